package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/**
 * Advanced SIMD shift by immediate (vector forms). immh:immb encodes both the element size
 * (highest set bit of immh) and the shift: right shifts are 2*esize - immh:immb, left
 * shifts immh:immb - esize (ARM ARM C4.1.95).
 */
final class SimdShiftFormats {
    private SimdShiftFormats() {}

    static void register(Map<String, Format> t) {
        for (String n : new String[] {"SSHR", "USHR", "SSRA", "USRA", "SRSHR", "URSHR", "SRSRA", "URSRA", "SRI"}) {
            t.put(n, i -> same(i, true));
        }
        for (String n : new String[] {"SHL", "SLI", "SQSHLU", "SQSHL_IMM", "UQSHL_IMM"}) {
            t.put(n, i -> same(i, false));
        }
        for (String n : new String[] {"SHRN", "RSHRN", "SQSHRN", "SQRSHRN", "SQSHRUN", "SQRSHRUN", "UQSHRN", "UQRSHRN"}) {
            t.put(n, SimdShiftFormats::narrow);
        }
        t.put("SSHLL", SimdShiftFormats::longLeft);
        t.put("USHLL", SimdShiftFormats::longLeft);
        for (String n : new String[] {"SCVTF_FIXED_V", "UCVTF_FIXED_V", "FCVTZS_FIXED_V", "FCVTZU_FIXED_V"}) {
            t.put(n, SimdShiftFormats::fixed);
        }
    }

    private static Disassembly same(Insn i, boolean right) {
        int size = Simd.shiftSize(i);
        if (size < 0 || (size == 3 && !Simd.q(i))) {
            return null;
        }
        int esize = 8 << size;
        int shift = right ? 2 * esize - Simd.shiftImmediate(i) : Simd.shiftImmediate(i) - esize;
        return of(Simd.mnemonic(i), Simd.two(i, Reg.arrangement(size, Simd.q(i))) + ", " + Imm.dec(shift));
    }

    private static Disassembly narrow(Insn i) {
        int size = Simd.shiftSize(i);
        if (size < 0 || size == 3) {
            return null;
        }
        int shift = 2 * (8 << size) - Simd.shiftImmediate(i);
        return of(Simd.mnemonic(i) + Simd.part(i), Reg.v(i.rd(), Reg.arrangement(size, Simd.q(i))) + ", "
                + Reg.v(i.rn(), Reg.arrangement(size + 1, true)) + ", " + Imm.dec(shift));
    }

    private static Disassembly longLeft(Insn i) {
        int size = Simd.shiftSize(i);
        if (size < 0 || size == 3) {
            return null;
        }
        int shift = Simd.shiftImmediate(i) - (8 << size);
        String ops = Reg.v(i.rd(), Reg.arrangement(size + 1, true)) + ", " + Reg.v(i.rn(), Reg.arrangement(size, Simd.q(i)));
        String m = Simd.mnemonic(i);
        if (shift == 0) {
            return of(m.charAt(0) + "xtl" + Simd.part(i), ops);
        }
        return of(m + Simd.part(i), ops + ", " + Imm.dec(shift));
    }

    private static Disassembly fixed(Insn i) {
        int size = Simd.shiftSize(i);
        if (size < 1 || (size == 3 && !Simd.q(i))) {
            return null;
        }
        int fbits = 2 * (8 << size) - Simd.shiftImmediate(i);
        return of(Simd.mnemonic(i), Simd.two(i, Reg.arrangement(size, Simd.q(i))) + ", " + Imm.dec(fbits));
    }
}
