package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD vector x indexed element (ARM ARM C4.1.6, "0 Q U 01111 size L M Rm
 * opcode H 0 Rn Rd") and its scalar twin ("01 U 11111 ..."): each lane of Vn combined
 * with one element of Vm. The element index is H:L:M for 16-bit elements (Vm limited
 * to V0-V15), H:L for 32-bit and H for 64-bit (L must be 0); 8-bit elements are
 * reserved, as are FP16 (size 00 on the FP forms) and 64-bit integer elements.
 */
public final class AdvSimdIndexedElement {
    private AdvSimdIndexedElement() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("MLA_ELEM", "0q101111ssLMmmmm0000H0nnnnnddddd", AdvSimdIndexedElement::mla),
            Encoding.of("MLS_ELEM", "0q101111ssLMmmmm0100H0nnnnnddddd", AdvSimdIndexedElement::mls),
            Encoding.of("MUL_ELEM", "0q001111ssLMmmmm1000H0nnnnnddddd", AdvSimdIndexedElement::mul),
            Encoding.of("SMLAL_ELEM", "0q001111ssLMmmmm0010H0nnnnnddddd", AdvSimdIndexedElement::smlal),
            Encoding.of("UMLAL_ELEM", "0q101111ssLMmmmm0010H0nnnnnddddd", AdvSimdIndexedElement::umlal),
            Encoding.of("SMLSL_ELEM", "0q001111ssLMmmmm0110H0nnnnnddddd", AdvSimdIndexedElement::smlsl),
            Encoding.of("UMLSL_ELEM", "0q101111ssLMmmmm0110H0nnnnnddddd", AdvSimdIndexedElement::umlsl),
            Encoding.of("SMULL_ELEM", "0q001111ssLMmmmm1010H0nnnnnddddd", AdvSimdIndexedElement::smull),
            Encoding.of("UMULL_ELEM", "0q101111ssLMmmmm1010H0nnnnnddddd", AdvSimdIndexedElement::umull),
            Encoding.of("FMLA_ELEM", "0q0011111zLMmmmm0001H0nnnnnddddd", AdvSimdIndexedElement::fmla),
            Encoding.of("FMLS_ELEM", "0q0011111zLMmmmm0101H0nnnnnddddd", AdvSimdIndexedElement::fmls),
            Encoding.of("FMUL_ELEM", "0q0011111zLMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmul),
            Encoding.of("FMLA_ELEM_SCALAR", "010111111zLMmmmm0001H0nnnnnddddd", AdvSimdIndexedElement::fmla),
            Encoding.of("FMLS_ELEM_SCALAR", "010111111zLMmmmm0101H0nnnnnddddd", AdvSimdIndexedElement::fmls),
            Encoding.of("FMUL_ELEM_SCALAR", "010111111zLMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmul));

    /** The indexed element of Vm, zero-extended, for element size {@code esize} (16, 32 or 64). */
    private static long element(Cpu cpu, int word, int esize) {
        int h = (word >>> 11) & 1;
        int l = (word >>> 21) & 1;
        int m = (word >>> 20) & 1;
        int rm = (word >>> 16) & 0xF;
        int index;
        switch (esize) {
            case 16 -> index = (h << 2) | (l << 1) | m;
            case 32 -> {
                index = (h << 1) | l;
                rm |= m << 4;
            }
            default -> {
                if (l != 0) {
                    throw GuestException.undefined();
                }
                index = h;
                rm |= m << 4;
            }
        }
        return Vectors.get(Vectors.read(cpu, rm), index, esize);
    }

    /** Integer element size: 16 or 32 bits (size 01 or 10). */
    private static int integerSize(int word) {
        int size = (word >>> 22) & 3;
        if (size == 0 || size == 3) {
            throw GuestException.undefined();
        }
        return Vectors.esize(size);
    }

    @FunctionalInterface
    interface AccumulateOp {
        long apply(long acc, long a, long b);
    }

    private static void sameWidth(Cpu cpu, int word, AccumulateOp op) {
        int esize = integerSize(word);
        boolean q = ((word >>> 30) & 1) != 0;
        long b = element(cpu, word, esize);
        int d = word & 31;
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] acc = Vectors.read(cpu, d);
        long[] r = new long[2];
        for (int i = 0; i < Vectors.lanes(q, esize); i++) {
            Vectors.set(r, i, esize, op.apply(Vectors.get(acc, i, esize), Vectors.get(a, i, esize), b));
        }
        Vectors.write(cpu, d, r, q);
        cpu.pc += 4;
    }

    public static void mul(Cpu cpu, int word) {
        sameWidth(cpu, word, (c, a, b) -> a * b);
    }

    public static void mla(Cpu cpu, int word) {
        sameWidth(cpu, word, (c, a, b) -> c + a * b);
    }

    public static void mls(Cpu cpu, int word) {
        sameWidth(cpu, word, (c, a, b) -> c - a * b);
    }

    /** The long forms read the lower (Q=0) or upper (Q=1) half of Vn and write 2*esize lanes. */
    private static void widening(Cpu cpu, int word, boolean signed, AccumulateOp op) {
        int esize = integerSize(word);
        boolean upper = ((word >>> 30) & 1) != 0;
        long b = element(cpu, word, esize);
        if (signed) {
            b = Vectors.signExtend(b, esize);
        }
        int d = word & 31;
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] acc = Vectors.read(cpu, d);
        long[] r = new long[2];
        int lanes = 64 / esize;
        for (int i = 0; i < lanes; i++) {
            int src = (upper ? lanes : 0) + i;
            long x = signed ? Vectors.getSigned(a, src, esize) : Vectors.get(a, src, esize);
            Vectors.set(r, i, 2 * esize, op.apply(Vectors.get(acc, i, 2 * esize), x, b));
        }
        Vectors.write(cpu, d, r, true);
        cpu.pc += 4;
    }

    public static void smull(Cpu cpu, int word) {
        widening(cpu, word, true, (c, a, b) -> a * b);
    }

    public static void umull(Cpu cpu, int word) {
        widening(cpu, word, false, (c, a, b) -> a * b);
    }

    public static void smlal(Cpu cpu, int word) {
        widening(cpu, word, true, (c, a, b) -> c + a * b);
    }

    public static void umlal(Cpu cpu, int word) {
        widening(cpu, word, false, (c, a, b) -> c + a * b);
    }

    public static void smlsl(Cpu cpu, int word) {
        widening(cpu, word, true, (c, a, b) -> c - a * b);
    }

    public static void umlsl(Cpu cpu, int word) {
        widening(cpu, word, false, (c, a, b) -> c - a * b);
    }

    @FunctionalInterface
    interface FpAccumulateOp {
        long apply(Cpu cpu, int esize, long acc, long a, long b);
    }

    /** FP forms: sz selects S or D; a 1D vector (sz=1, Q=0) is reserved. */
    private static void floating(Cpu cpu, int word, FpAccumulateOp op) {
        boolean sz = ((word >>> 22) & 1) != 0;
        if (sz && !Vectors.fullWidth(word) && !Vectors.isScalar(word)) {
            throw GuestException.undefined();
        }
        int esize = sz ? 64 : 32;
        long b = element(cpu, word, esize);
        int d = word & 31;
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] acc = Vectors.read(cpu, d);
        long[] r = new long[2];
        for (int i = 0; i < Vectors.elements(word, esize); i++) {
            Vectors.set(r, i, esize, op.apply(cpu, esize, Vectors.get(acc, i, esize), Vectors.get(a, i, esize), b));
        }
        Vectors.write(cpu, d, r, Vectors.fullWidth(word));
        cpu.pc += 4;
    }

    public static void fmul(Cpu cpu, int word) {
        floating(cpu, word, (c, e, acc, a, b) -> Fp.mul(c, e, a, b));
    }

    /** FMLA (by element): acc + a*b with one rounding. */
    public static void fmla(Cpu cpu, int word) {
        floating(cpu, word, (c, e, acc, a, b) -> Fp.mulAdd(c, e, acc, a, b));
    }

    /** FMLS (by element): acc + (-a)*b with one rounding. */
    public static void fmls(Cpu cpu, int word) {
        floating(cpu, word, (c, e, acc, a, b) -> Fp.mulAdd(c, e, acc, Fp.neg(a, e), b));
    }
}
