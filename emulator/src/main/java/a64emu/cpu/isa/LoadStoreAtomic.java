package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;

import java.util.List;

/**
 * FEAT_LSE atomics (ARM ARM C4.1.88 "Atomic memory operations" and "Compare and swap"):
 * LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN and SWP
 * ("size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt"), CAS ("size 001000 1 L 1 Rs o0 11111 Rn
 * Rt") and CASP ("0 sz 001000 0 L 1 Rs o0 11111 Rn Rt"). A (acquire) and R/L/o0
 * (release) only order the access, which one in-order PE does anyway; the
 * assembler's ST* forms are these with Rt = XZR and A = 0.
 *
 * <p>Each instruction is one read-modify-write of naturally aligned memory (an
 * unaligned address takes an Alignment fault, ARM ARM B2.5.2 without FEAT_LSE2),
 * through a single translation for a write, so a read-only page faults as a write
 * even when CAS's compare fails. The access is atomic with respect to other PEs
 * sharing the RAM (their atomics lock the same object).
 *
 * <p>Fields: z = size, A = acquire, R = release, s = Rs, n = Rn, t = Rt.
 */
public final class LoadStoreAtomic {
    private LoadStoreAtomic() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("LDADD",  "zz111000AR1sssss000000nnnnnttttt", LoadStoreAtomic::ldadd),
            Encoding.of("LDCLR",  "zz111000AR1sssss000100nnnnnttttt", LoadStoreAtomic::ldclr),
            Encoding.of("LDEOR",  "zz111000AR1sssss001000nnnnnttttt", LoadStoreAtomic::ldeor),
            Encoding.of("LDSET",  "zz111000AR1sssss001100nnnnnttttt", LoadStoreAtomic::ldset),
            Encoding.of("LDSMAX", "zz111000AR1sssss010000nnnnnttttt", LoadStoreAtomic::ldsmax),
            Encoding.of("LDSMIN", "zz111000AR1sssss010100nnnnnttttt", LoadStoreAtomic::ldsmin),
            Encoding.of("LDUMAX", "zz111000AR1sssss011000nnnnnttttt", LoadStoreAtomic::ldumax),
            Encoding.of("LDUMIN", "zz111000AR1sssss011100nnnnnttttt", LoadStoreAtomic::ldumin),
            Encoding.of("SWP",    "zz111000AR1sssss100000nnnnnttttt", LoadStoreAtomic::swp),
            Encoding.of("CAS",    "zz0010001A1sssssR11111nnnnnttttt", LoadStoreAtomic::cas),
            Encoding.of("CASP",   "0z0010000A1sssssR11111nnnnnttttt", LoadStoreAtomic::casp));

    /** The memory operation of an atomic: the new memory value from the old one and Rs. */
    @FunctionalInterface
    interface AtomicOp {
        long apply(long memory, long operand, int bits);
    }

    private static int size(int word) {
        return word >>> 30;
    }

    /**
     * The address of an atomic access, aligned to {@code bytes}, translated once for a
     * write (ARM ARM: atomics are checked as stores, and an unaligned address is an
     * Alignment fault before translation).
     */
    private static long translate(Cpu cpu, int word, int bytes) {
        long va = LoadStoreInteger.base(cpu, (word >>> 5) & 31);
        if ((va & (bytes - 1)) != 0) {
            Fault f = new Fault(Fault.Kind.ALIGNMENT, -1, va, AccessType.WRITE, 0);
            throw new GuestException(f.ec(), f.iss(), va, f);
        }
        long pa = cpu.mmu.translate(va, AccessType.WRITE);
        cpu.noteAccess(va, bytes, true);
        return pa;
    }

    private static long readPhysical(PhysicalMemory ram, long pa, int size) {
        return switch (size) {
            case 0 -> ram.read8(pa) & 0xFFL;
            case 1 -> ram.read16(pa) & 0xFFFFL;
            case 2 -> ram.read32(pa) & 0xFFFF_FFFFL;
            default -> ram.read64(pa);
        };
    }

    private static void writePhysical(PhysicalMemory ram, long pa, int size, long value) {
        switch (size) {
            case 0 -> ram.write8(pa, (int) value);
            case 1 -> ram.write16(pa, (int) value);
            case 2 -> ram.write32(pa, (int) value);
            default -> ram.write64(pa, value);
        }
    }

    /**
     * ARM ARM MemAtomic: old = Mem[address]; Mem[address] = op(old, X[s]); X[t] = old
     * (zero-extended from the access size).
     */
    private static void atomic(Cpu cpu, int word, AtomicOp op) {
        int size = size(word);
        int bits = 8 << size;
        long operand = cpu.x[(word >>> 16) & 31] & Vectors.mask(bits);
        long pa = translate(cpu, word, 1 << size);
        long old;
        synchronized (cpu.ram) {
            old = readPhysical(cpu.ram, pa, size);
            writePhysical(cpu.ram, pa, size, op.apply(old, operand, bits));
        }
        cpu.setX(word & 31, old);
        cpu.pc += 4;
    }

    public static void ldadd(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> m + s);
    }

    /** LDCLR: memory AND NOT Rs. */
    public static void ldclr(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> m & ~s);
    }

    public static void ldeor(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> m ^ s);
    }

    public static void ldset(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> m | s);
    }

    public static void ldsmax(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) ->
                Vectors.signExtend(m, bits) >= Vectors.signExtend(s, bits) ? m : s);
    }

    public static void ldsmin(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) ->
                Vectors.signExtend(m, bits) <= Vectors.signExtend(s, bits) ? m : s);
    }

    public static void ldumax(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> Long.compareUnsigned(m, s) >= 0 ? m : s);
    }

    public static void ldumin(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> Long.compareUnsigned(m, s) <= 0 ? m : s);
    }

    public static void swp(Cpu cpu, int word) {
        atomic(cpu, word, (m, s, bits) -> s);
    }

    /**
     * CAS: if Mem[address] == Rs then Mem[address] = Rt; Rs = the old memory value
     * (zero-extended). The write is skipped when the compare fails (allowed: ARM ARM
     * C6.2 CAS, "the memory location is not updated").
     */
    public static void cas(Cpu cpu, int word) {
        int size = size(word);
        int bits = 8 << size;
        int s = (word >>> 16) & 31;
        long compare = cpu.x[s] & Vectors.mask(bits);
        long newValue = cpu.x[word & 31] & Vectors.mask(bits);
        long pa = translate(cpu, word, 1 << size);
        long old;
        synchronized (cpu.ram) {
            old = readPhysical(cpu.ram, pa, size);
            if (old == compare) {
                writePhysical(cpu.ram, pa, size, newValue);
            }
        }
        cpu.setX(s, old);
        cpu.pc += 4;
    }

    /**
     * CASP: compares the pair Rs:Rs+1 with memory (Rs at the lower address) and on a
     * match stores Rt:Rt+1; Rs:Rs+1 receive the old pair. Odd Rs or Rt is UNDEFINED.
     */
    public static void casp(Cpu cpu, int word) {
        int s = (word >>> 16) & 31;
        int t = word & 31;
        if ((s & 1) != 0 || (t & 1) != 0) {
            throw GuestException.undefined();
        }
        boolean sf = ((word >>> 30) & 1) != 0;
        long s1 = cpu.x[s];
        long s2 = cpu.x[s + 1];
        long t1 = cpu.x[t];
        long t2 = cpu.x[t + 1];
        long pa = translate(cpu, word, sf ? 16 : 8);
        long old1;
        long old2;
        synchronized (cpu.ram) {
            if (sf) {
                old1 = cpu.ram.read64(pa);
                old2 = cpu.ram.read64(pa + 8);
                if (old1 == s1 && old2 == s2) {
                    cpu.ram.write64(pa, t1);
                    cpu.ram.write64(pa + 8, t2);
                }
            } else {
                long both = cpu.ram.read64(pa);
                old1 = both & 0xFFFF_FFFFL;
                old2 = both >>> 32;
                if (old1 == (s1 & 0xFFFF_FFFFL) && old2 == (s2 & 0xFFFF_FFFFL)) {
                    cpu.ram.write64(pa, (t1 & 0xFFFF_FFFFL) | (t2 << 32));
                }
            }
        }
        cpu.setX(s, old1);
        cpu.setX(s + 1, old2);
        cpu.pc += 4;
    }
}
