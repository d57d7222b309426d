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
            Encoding.of("FMUL_ELEM_SCALAR", "010111111zLMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmul),
            Encoding.of("FMULX_ELEM", "0q1011111zLMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmulx),
            Encoding.of("SQDMULH_ELEM", "0q001111ssLMmmmm1100H0nnnnnddddd", AdvSimdIndexedElement::sqdmulh),
            Encoding.of("SQRDMULH_ELEM", "0q001111ssLMmmmm1101H0nnnnnddddd", AdvSimdIndexedElement::sqrdmulh),
            Encoding.of("SQRDMLAH_ELEM", "0q101111ssLMmmmm1101H0nnnnnddddd", AdvSimdIndexedElement::sqrdmlah),
            Encoding.of("SQRDMLSH_ELEM", "0q101111ssLMmmmm1111H0nnnnnddddd", AdvSimdIndexedElement::sqrdmlsh),
            Encoding.of("SQDMLAL_ELEM", "0q001111ssLMmmmm0011H0nnnnnddddd", AdvSimdIndexedElement::sqdmlal),
            Encoding.of("SQDMLSL_ELEM", "0q001111ssLMmmmm0111H0nnnnnddddd", AdvSimdIndexedElement::sqdmlsl),
            Encoding.of("SQDMULL_ELEM", "0q001111ssLMmmmm1011H0nnnnnddddd", AdvSimdIndexedElement::sqdmull),
            Encoding.of("SDOT_ELEM", "0q001111ssLMmmmm1110H0nnnnnddddd", AdvSimdIndexedElement::sdot),
            Encoding.of("UDOT_ELEM", "0q101111ssLMmmmm1110H0nnnnnddddd", AdvSimdIndexedElement::udot),
            Encoding.of("FMULX_ELEM_SCALAR", "011111111zLMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmulx),
            Encoding.of("SQDMULH_ELEM_SCALAR", "01011111ssLMmmmm1100H0nnnnnddddd", AdvSimdIndexedElement::sqdmulh),
            Encoding.of("SQRDMULH_ELEM_SCALAR", "01011111ssLMmmmm1101H0nnnnnddddd", AdvSimdIndexedElement::sqrdmulh),
            Encoding.of("SQRDMLAH_ELEM_SCALAR", "01111111ssLMmmmm1101H0nnnnnddddd", AdvSimdIndexedElement::sqrdmlah),
            Encoding.of("SQRDMLSH_ELEM_SCALAR", "01111111ssLMmmmm1111H0nnnnnddddd", AdvSimdIndexedElement::sqrdmlsh),
            Encoding.of("SQDMLAL_ELEM_SCALAR", "01011111ssLMmmmm0011H0nnnnnddddd", AdvSimdIndexedElement::sqdmlal),
            Encoding.of("SQDMLSL_ELEM_SCALAR", "01011111ssLMmmmm0111H0nnnnnddddd", AdvSimdIndexedElement::sqdmlsl),
            Encoding.of("SQDMULL_ELEM_SCALAR", "01011111ssLMmmmm1011H0nnnnnddddd", AdvSimdIndexedElement::sqdmull),
            Encoding.of("FCMLA_ELEM", "0q101111ssLMmmmm0rr1H0nnnnnddddd", AdvSimdIndexedElement::fcmla),
            // FEAT_FHM (size 10): the half element H:L:M of V0-V15.
            Encoding.of("FMLAL_ELEM", "0q00111110LMmmmm0000H0nnnnnddddd", AdvSimdIndexedElement::fmlal),
            Encoding.of("FMLSL_ELEM", "0q00111110LMmmmm0100H0nnnnnddddd", AdvSimdIndexedElement::fmlsl),
            Encoding.of("FMLAL2_ELEM", "0q10111110LMmmmm1000H0nnnnnddddd", AdvSimdIndexedElement::fmlal2),
            Encoding.of("FMLSL2_ELEM", "0q10111110LMmmmm1100H0nnnnnddddd", AdvSimdIndexedElement::fmlsl2),
            // FEAT_FP16 (size 00): index H:L:M, Vm in V0-V15.
            Encoding.of("FMLA_ELEM_H", "0q00111100LMmmmm0001H0nnnnnddddd", AdvSimdIndexedElement::fmla),
            Encoding.of("FMLS_ELEM_H", "0q00111100LMmmmm0101H0nnnnnddddd", AdvSimdIndexedElement::fmls),
            Encoding.of("FMUL_ELEM_H", "0q00111100LMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmul),
            Encoding.of("FMULX_ELEM_H", "0q10111100LMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmulx),
            Encoding.of("FMLA_ELEM_SCALAR_H", "0101111100LMmmmm0001H0nnnnnddddd", AdvSimdIndexedElement::fmla),
            Encoding.of("FMLS_ELEM_SCALAR_H", "0101111100LMmmmm0101H0nnnnnddddd", AdvSimdIndexedElement::fmls),
            Encoding.of("FMUL_ELEM_SCALAR_H", "0101111100LMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmul),
            Encoding.of("FMULX_ELEM_SCALAR_H", "0111111100LMmmmm1001H0nnnnnddddd", AdvSimdIndexedElement::fmulx));

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
        return Vectors.lane(cpu.v[2 * rm], cpu.v[2 * rm + 1], index, esize);
    }

    /** Integer element size: 16 or 32 bits (size 01 or 10). */
    private static int integerSize(int word) {
        int size = (word >>> 22) & 3;
        if (size == 0 || size == 3) {
            throw GuestException.undefined();
        }
        return Vectors.esize(size);
    }

    /**
     * The indexed integer element of Vm in every lane: the long forms by element are their
     * vector forms ({@link AdvSimdThreeDifferent}) with this as the second operand.
     */
    private static long integerElement(Cpu cpu, int word) {
        int esize = integerSize(word);
        return Vectors.replicate(element(cpu, word, esize), esize);
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
        int n = (word >>> 5) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int low = 64 / esize;
        long lo = sameWidthHalf(aLo, accLo, b, esize, low, false, op);
        long hi = q ? sameWidthHalf(aHi, accHi, b, esize, low, false, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /**
     * {@code op(acc, a, b)} on the first {@code count} lanes of one half of Vd and Vn (sign-
     * extended when {@code signed}) with the element {@code b}; the rest of the half is zero.
     */
    private static long sameWidthHalf(long a, long acc, long b, int esize, int count, boolean signed,
            AccumulateOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            long x = (a >>> shift) & mask;
            long c = (acc >>> shift) & mask;
            if (signed) {
                x = Vectors.signExtend(x, esize);
                c = Vectors.signExtend(c, esize);
            }
            r |= (op.apply(c, x, b) & mask) << shift;
        }
        return r;
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
    private static void widening(Cpu cpu, int word, boolean signed, AdvSimdThreeDifferent.WideOp op) {
        long lanes = integerElement(cpu, word);
        AdvSimdThreeDifferent.longOp(cpu, word, signed, false, lanes, lanes, op);
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
        int size = (word >>> 22) & 3;
        if (size == 1 || (size == 3 && !Vectors.fullWidth(word) && !Vectors.isScalar(word))) {
            throw GuestException.undefined();
        }
        int esize = size == 0 ? 16 : size == 2 ? 32 : 64; // size 00: FEAT_FP16
        long b = element(cpu, word, esize);
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = floatingHalf(cpu, aLo, accLo, b, esize, low, op);
        long hi = elements > low ? floatingHalf(cpu, aHi, accHi, b, esize, elements - low, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    private static long floatingHalf(Cpu cpu, long a, long acc, long b, int esize, int count, FpAccumulateOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            r |= (op.apply(cpu, esize, (acc >>> shift) & mask, (a >>> shift) & mask, b) & mask) << shift;
        }
        return r;
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

    public static void fmulx(Cpu cpu, int word) {
        floating(cpu, word, (c, e, acc, a, b) -> Fp.mulX(c, e, a, b));
    }

    /** The saturating same-width forms, vector or scalar (one element, rest of Vd zeroed). */
    private static void saturating(Cpu cpu, int word, AccumulateOp op) {
        int esize = integerSize(word);
        long b = Vectors.signExtend(element(cpu, word, esize), esize);
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = sameWidthHalf(aLo, accLo, b, esize, low, true, op);
        long hi = elements > low ? sameWidthHalf(aHi, accHi, b, esize, elements - low, true, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    public static void sqdmulh(Cpu cpu, int word) {
        int esize = integerSize(word);
        saturating(cpu, word, (c, a, b) -> SimdInt.doublingMultiplyHigh(cpu, a, b, esize, false));
    }

    public static void sqrdmulh(Cpu cpu, int word) {
        int esize = integerSize(word);
        saturating(cpu, word, (c, a, b) -> SimdInt.doublingMultiplyHigh(cpu, a, b, esize, true));
    }

    public static void sqrdmlah(Cpu cpu, int word) {
        int esize = integerSize(word);
        saturating(cpu, word, (c, a, b) -> SimdInt.roundingDoublingMultiplyAccumulateHigh(cpu, c, a, b, esize, false));
    }

    public static void sqrdmlsh(Cpu cpu, int word) {
        int esize = integerSize(word);
        saturating(cpu, word, (c, a, b) -> SimdInt.roundingDoublingMultiplyAccumulateHigh(cpu, c, a, b, esize, true));
    }

    /** SQDMULL/SQDMLAL/SQDMLSL (by element, vector or scalar). */
    public static void sqdmull(Cpu cpu, int word) {
        long lanes = integerElement(cpu, word);
        AdvSimdThreeDifferent.doublingLong(cpu, word, 0, lanes, lanes);
    }

    public static void sqdmlal(Cpu cpu, int word) {
        long lanes = integerElement(cpu, word);
        AdvSimdThreeDifferent.doublingLong(cpu, word, 1, lanes, lanes);
    }

    public static void sqdmlsl(Cpu cpu, int word) {
        long lanes = integerElement(cpu, word);
        AdvSimdThreeDifferent.doublingLong(cpu, word, -1, lanes, lanes);
    }

    /** SDOT/UDOT (by element, FEAT_DotProd): the four-byte group H:L of Vm (M:Rm). */
    public static void sdot(Cpu cpu, int word) {
        AdvSimdThreeSame.dot(cpu, word, true, (((word >>> 11) & 1) << 1) | ((word >>> 21) & 1));
    }

    public static void udot(Cpu cpu, int word) {
        AdvSimdThreeSame.dot(cpu, word, false, (((word >>> 11) & 1) << 1) | ((word >>> 21) & 1));
    }

    /**
     * FCMLA (by element, FEAT_FCMA): the complex pair H (single, size 10, Q=1, L=0) or
     * H:L (half, size 01) of Vm (M:Rm).
     */
    public static void fcmla(Cpu cpu, int word) {
        int size = (word >>> 22) & 3;
        boolean q = ((word >>> 30) & 1) != 0;
        int h = (word >>> 11) & 1;
        int l = (word >>> 21) & 1;
        if (size == 1) {
            // Half precision: pair index H:L, Q=0 allows only pair 0..1 (H=0).
            if (h == 1 && !q) {
                throw GuestException.undefined();
            }
            AdvSimdThreeSame.complexMultiplyAccumulate(cpu, word, (word >>> 13) & 3, 16, (h << 1) | l);
            return;
        }
        if (size != 2 || !q || l != 0) {
            throw GuestException.undefined();
        }
        AdvSimdThreeSame.complexMultiplyAccumulate(cpu, word, (word >>> 13) & 3, 32, h);
    }

    private static int halfIndex(int word) {
        return (((word >>> 11) & 1) << 2) | (((word >>> 21) & 1) << 1) | ((word >>> 20) & 1);
    }

    public static void fmlal(Cpu cpu, int word) {
        AdvSimdThreeSame.widenMultiplyAccumulate(cpu, word, false, false, halfIndex(word));
    }

    public static void fmlsl(Cpu cpu, int word) {
        AdvSimdThreeSame.widenMultiplyAccumulate(cpu, word, false, true, halfIndex(word));
    }

    public static void fmlal2(Cpu cpu, int word) {
        AdvSimdThreeSame.widenMultiplyAccumulate(cpu, word, true, false, halfIndex(word));
    }

    public static void fmlsl2(Cpu cpu, int word) {
        AdvSimdThreeSame.widenMultiplyAccumulate(cpu, word, true, true, halfIndex(word));
    }
}
