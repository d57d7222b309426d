package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * LSE atomics (ARM ARM C3.2.12): LD&lt;op&gt;{a}{l}{b,h}, SWP, CAS, CASP. A load-op whose
 * result goes to the zero register without acquire prints as ST&lt;op&gt;{l}.
 */
final class AtomicFormats {
    private AtomicFormats() {}

    static void register(Map<String, Format> t) {
        for (String op : new String[] {"ADD", "CLR", "EOR", "SET", "SMAX", "SMIN", "UMAX", "UMIN"}) {
            t.put("LD" + op, i -> loadOp(i, op.toLowerCase(java.util.Locale.ROOT)));
        }
        t.put("SWP", AtomicFormats::swap);
        t.put("CAS", AtomicFormats::compareAndSwap);
        t.put("CASP", AtomicFormats::compareAndSwapPair);
    }

    private static String ordering(boolean acquire, boolean release) {
        return (acquire ? "a" : "") + (release ? "l" : "");
    }

    private static Disassembly loadOp(Insn i, String op) {
        int size = i.bits(31, 30);
        boolean acquire = i.bit(23);
        boolean release = i.bit(22);
        boolean x = size == 3;
        String suffix = LoadStoreIntegerFormats.sizeSuffix(size);
        String address = "[" + Reg.xsp(i.rn()) + "]";
        if (i.rd() == 31 && !acquire) {
            return of("st" + op + ordering(false, release) + suffix, Reg.r(x, i.rm()) + ", " + address);
        }
        return of("ld" + op + ordering(acquire, release) + suffix,
                Reg.r(x, i.rm()) + ", " + Reg.r(x, i.rd()) + ", " + address);
    }

    private static Disassembly swap(Insn i) {
        int size = i.bits(31, 30);
        boolean x = size == 3;
        return of("swp" + ordering(i.bit(23), i.bit(22)) + LoadStoreIntegerFormats.sizeSuffix(size),
                Reg.r(x, i.rm()) + ", " + Reg.r(x, i.rd()) + ", [" + Reg.xsp(i.rn()) + "]");
    }

    private static Disassembly compareAndSwap(Insn i) {
        int size = i.bits(31, 30);
        boolean x = size == 3;
        return of("cas" + ordering(i.bit(22), i.bit(15)) + LoadStoreIntegerFormats.sizeSuffix(size),
                Reg.r(x, i.rm()) + ", " + Reg.r(x, i.rd()) + ", [" + Reg.xsp(i.rn()) + "]");
    }

    private static Disassembly compareAndSwapPair(Insn i) {
        if ((i.rm() & 1) != 0 || (i.rd() & 1) != 0) {
            return null;
        }
        boolean x = i.bit(30);
        return of("casp" + ordering(i.bit(22), i.bit(15)),
                Reg.r(x, i.rm()) + ", " + Reg.r(x, i.rm() + 1) + ", " + Reg.r(x, i.rd()) + ", "
                        + Reg.r(x, i.rd() + 1) + ", [" + Reg.xsp(i.rn()) + "]");
    }
}
