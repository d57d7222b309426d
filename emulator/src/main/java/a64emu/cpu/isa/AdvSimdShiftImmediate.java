package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD shift by immediate (ARM ARM C4.1.6, "0 Q U 011110 immh immb opcode 1 Rn
 * Rd"). The highest set bit of immh gives the element size; immh:immb encodes the shift
 * as (2*esize - shift) for right shifts and (esize + shift) for left shifts. immh = 0000
 * belongs to the modified-immediate group; 64-bit lanes need Q=1, and the narrowing and
 * lengthening forms have no 64-bit source or destination element (immh = 1xxx reserved).
 */
public final class AdvSimdShiftImmediate {
    private AdvSimdShiftImmediate() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("SSHR", "0q0011110hhhhbbb000001nnnnnddddd", AdvSimdShiftImmediate::sshr),
            Encoding.of("USHR", "0q1011110hhhhbbb000001nnnnnddddd", AdvSimdShiftImmediate::ushr),
            Encoding.of("SSRA", "0q0011110hhhhbbb000101nnnnnddddd", AdvSimdShiftImmediate::ssra),
            Encoding.of("USRA", "0q1011110hhhhbbb000101nnnnnddddd", AdvSimdShiftImmediate::usra),
            Encoding.of("SRSHR", "0q0011110hhhhbbb001001nnnnnddddd", AdvSimdShiftImmediate::srshr),
            Encoding.of("URSHR", "0q1011110hhhhbbb001001nnnnnddddd", AdvSimdShiftImmediate::urshr),
            Encoding.of("SRI", "0q1011110hhhhbbb010001nnnnnddddd", AdvSimdShiftImmediate::sri),
            Encoding.of("SHL", "0q0011110hhhhbbb010101nnnnnddddd", AdvSimdShiftImmediate::shl),
            Encoding.of("SLI", "0q1011110hhhhbbb010101nnnnnddddd", AdvSimdShiftImmediate::sli),
            Encoding.of("SHRN", "0q0011110hhhhbbb100001nnnnnddddd", AdvSimdShiftImmediate::shrn),
            Encoding.of("RSHRN", "0q0011110hhhhbbb100011nnnnnddddd", AdvSimdShiftImmediate::rshrn),
            Encoding.of("SSHLL", "0q0011110hhhhbbb101001nnnnnddddd", AdvSimdShiftImmediate::sshll),
            Encoding.of("USHLL", "0q1011110hhhhbbb101001nnnnnddddd", AdvSimdShiftImmediate::ushll),
            Encoding.of("SRSRA", "0q0011110hhhhbbb001101nnnnnddddd", AdvSimdShiftImmediate::srsra),
            Encoding.of("URSRA", "0q1011110hhhhbbb001101nnnnnddddd", AdvSimdShiftImmediate::ursra),
            Encoding.of("SQSHLU", "0q1011110hhhhbbb011001nnnnnddddd", AdvSimdShiftImmediate::sqshlu),
            Encoding.of("SQSHL_IMM", "0q0011110hhhhbbb011101nnnnnddddd", AdvSimdShiftImmediate::sqshl),
            Encoding.of("UQSHL_IMM", "0q1011110hhhhbbb011101nnnnnddddd", AdvSimdShiftImmediate::uqshl),
            Encoding.of("SQSHRN", "0q0011110hhhhbbb100101nnnnnddddd", AdvSimdShiftImmediate::sqshrn),
            Encoding.of("SQRSHRN", "0q0011110hhhhbbb100111nnnnnddddd", AdvSimdShiftImmediate::sqrshrn),
            Encoding.of("SQSHRUN", "0q1011110hhhhbbb100001nnnnnddddd", AdvSimdShiftImmediate::sqshrun),
            Encoding.of("SQRSHRUN", "0q1011110hhhhbbb100011nnnnnddddd", AdvSimdShiftImmediate::sqrshrun),
            Encoding.of("UQSHRN", "0q1011110hhhhbbb100101nnnnnddddd", AdvSimdShiftImmediate::uqshrn),
            Encoding.of("UQRSHRN", "0q1011110hhhhbbb100111nnnnnddddd", AdvSimdShiftImmediate::uqrshrn),
            Encoding.of("SCVTF_FIXED_V", "0q0011110hhhhbbb111001nnnnnddddd", AdvSimdShiftImmediate::scvtf),
            Encoding.of("UCVTF_FIXED_V", "0q1011110hhhhbbb111001nnnnnddddd", AdvSimdShiftImmediate::ucvtf),
            Encoding.of("FCVTZS_FIXED_V", "0q0011110hhhhbbb111111nnnnnddddd", AdvSimdShiftImmediate::fcvtzs),
            Encoding.of("FCVTZU_FIXED_V", "0q1011110hhhhbbb111111nnnnnddddd", AdvSimdShiftImmediate::fcvtzu));

    private static boolean q(int word) {
        return ((word >>> 30) & 1) != 0;
    }

    private static int immh(int word) {
        return (word >>> 19) & 0xF;
    }

    /** immh:immb. */
    private static int immhb(int word) {
        return (word >>> 16) & 0x7F;
    }

    /** Element size from the highest set bit of immh. */
    private static int esize(int word) {
        int immh = immh(word);
        if (immh == 0) {
            throw GuestException.undefined();
        }
        return 8 << (31 - Integer.numberOfLeadingZeros(immh));
    }

    /** A shift right by 1..esize of a lane already sign- or zero-extended to 64 bits. */
    private static long shiftRight(long a, int shift, boolean signed, boolean round) {
        long r = shift >= 64 ? (signed ? a >> 63 : 0) : signed ? a >> shift : a >>> shift;
        if (round) {
            // Adding 2^(shift-1) before shifting is adding the last bit shifted out.
            r += (a >>> (shift - 1)) & 1;
        }
        return r;
    }

    /** The element size of the same-width forms: 64-bit lanes need Q=1 (the scalar forms have it). */
    private static int sameWidthEsize(int word) {
        int esize = esize(word);
        if (esize == 64 && !q(word)) {
            throw GuestException.undefined();
        }
        return esize;
    }

    /**
     * A same-width lane operation: the Vn lane and the old Vd lane, both zero-extended,
     * with the element size and the immediate shift passed in (so the lambdas capture nothing).
     */
    @FunctionalInterface
    private interface LaneOp {
        long apply(long lane, long old, int esize, int shift);
    }

    /** The same-width forms, vector or scalar: each esize lane of Vn, with the old lane of Vd. */
    private static void sameWidth(Cpu cpu, int word, int esize, int shift, LaneOp op) {
        int n = (word >>> 5) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long oldLo = v[2 * d];
        long oldHi = v[2 * d + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = sameWidthHalf(aLo, oldLo, esize, shift, low, op);
        long hi = elements > low ? sameWidthHalf(aHi, oldHi, esize, shift, elements - low, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    private static long sameWidthHalf(long a, long old, int esize, int shift, int count, LaneOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, bit = 0; j < count; j++, bit += esize) {
            r |= (op.apply((a >>> bit) & mask, (old >>> bit) & mask, esize, shift) & mask) << bit;
        }
        return r;
    }

    /** Right-shift forms: the shift is 2*esize - immh:immb. */
    private static void right(Cpu cpu, int word, LaneOp op) {
        int esize = sameWidthEsize(word);
        sameWidth(cpu, word, esize, 2 * esize - immhb(word), op);
    }

    public static void sshr(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(Vectors.signExtend(lane, e), shift, true, false));
    }

    public static void ushr(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(lane, shift, false, false));
    }

    /** SSRA/USRA (and the rounding SRSRA/URSRA below) add into Vd. */
    public static void ssra(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(Vectors.signExtend(lane, e), shift, true, false) + old);
    }

    public static void usra(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(lane, shift, false, false) + old);
    }

    public static void srshr(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(Vectors.signExtend(lane, e), shift, true, true));
    }

    public static void urshr(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(lane, shift, false, true));
    }

    /** SHL and SLI (insert keeps the low {@code shift} bits of each Vd lane). */
    private static void left(Cpu cpu, int word, LaneOp op) {
        int esize = sameWidthEsize(word);
        sameWidth(cpu, word, esize, immhb(word) - esize, op);
    }

    public static void shl(Cpu cpu, int word) {
        left(cpu, word, (lane, old, e, shift) -> lane << shift);
    }

    public static void sli(Cpu cpu, int word) {
        left(cpu, word, (lane, old, e, shift) -> {
            long mask = Vectors.mask(e) << shift;
            return (old & ~mask) | ((lane << shift) & mask);
        });
    }

    /** SRI: shift right and insert; the top {@code shift} bits of each Vd lane are kept. */
    public static void sri(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> {
            long mask = shift >= 64 ? 0 : Vectors.mask(e) >>> shift;
            return (old & ~mask) | (shiftRight(lane, shift, false, false) & mask);
        });
    }

    /** SHRN/RSHRN(2): each 2*esize lane shifted right, into the lower (Q=0) or upper (Q=1) half of Vd. */
    private static void narrow(Cpu cpu, int word, Vectors.LaneFunction op) {
        int esize = narrowEsize(word);
        Vectors.narrow(cpu, word, esize, 2 * esize - immhb(word), op);
        cpu.pc += 4;
    }

    /** The element size of the narrowing and lengthening forms, which have no 64-bit one. */
    private static int narrowEsize(int word) {
        int esize = esize(word);
        if (esize == 64) {
            throw GuestException.undefined();
        }
        return esize;
    }

    public static void shrn(Cpu cpu, int word) {
        narrow(cpu, word, (c, wide, e, shift) -> shiftRight(wide, shift, false, false));
    }

    public static void rshrn(Cpu cpu, int word) {
        narrow(cpu, word, (c, wide, e, shift) -> shiftRight(wide, shift, false, true));
    }

    /** SSHLL/USHLL(2) (SXTL/UXTL when the shift is 0): widen the lower or upper half of Vn. */
    private static void lengthen(Cpu cpu, int word, Vectors.LaneFunction op) {
        int esize = narrowEsize(word);
        Vectors.lengthen(cpu, word, esize, immhb(word) - esize, op);
        cpu.pc += 4;
    }

    public static void sshll(Cpu cpu, int word) {
        lengthen(cpu, word, (c, lane, e, shift) -> Vectors.signExtend(lane, e) << shift);
    }

    public static void ushll(Cpu cpu, int word) {
        lengthen(cpu, word, (c, lane, e, shift) -> lane << shift);
    }

    public static void srsra(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(Vectors.signExtend(lane, e), shift, true, true) + old);
    }

    public static void ursra(Cpu cpu, int word) {
        right(cpu, word, (lane, old, e, shift) -> shiftRight(lane, shift, false, true) + old);
    }

    /** The saturating left shifts SQSHL/UQSHL/SQSHLU (immediate): shift = immh:immb - esize. */
    private static void leftSaturating(Cpu cpu, int word, boolean signedSource, boolean unsignedResult) {
        int esize = sameWidthEsize(word);
        int shift = immhb(word) - esize;
        sameWidth(cpu, word, esize, shift, (lane, old, e, s) -> {
            long a = signedSource ? Vectors.signExtend(lane, esize) : lane;
            return signedSource && unsignedResult ? SimdInt.shiftLeftSatSignedToUnsigned(cpu, a, shift, esize)
                    : SimdInt.shiftLeftSat(cpu, a, shift, esize, unsignedResult);
        });
    }

    public static void sqshl(Cpu cpu, int word) {
        leftSaturating(cpu, word, true, false);
    }

    public static void uqshl(Cpu cpu, int word) {
        leftSaturating(cpu, word, false, true);
    }

    public static void sqshlu(Cpu cpu, int word) {
        leftSaturating(cpu, word, true, true);
    }

    /** How a saturating narrowing shift clamps its exact result. */
    private enum Saturation { SIGNED, UNSIGNED, SIGNED_TO_UNSIGNED }

    /**
     * SQSHRN/UQSHRN/SQRSHRN/UQRSHRN/SQSHRUN/SQRSHRUN: each 2*esize lane shifted right by
     * 2*esize - immh:immb, saturated to esize bits, into the lower or upper half of Vd
     * (the scalar forms: one element, the rest of Vd zeroed).
     */
    private static void narrowSaturating(Cpu cpu, int word, Saturation sat, boolean round) {
        int esize = narrowEsize(word);
        int shift = 2 * esize - immhb(word);
        boolean signedSource = sat != Saturation.UNSIGNED;
        Vectors.narrow(cpu, word, esize, shift, (c, wide, e, s) -> {
            long lane = signedSource ? Vectors.signExtend(wide, 2 * esize) : wide;
            long shifted = shiftRight(lane, shift, signedSource, round);
            return switch (sat) {
                case SIGNED -> SimdInt.satSigned(cpu, shifted, esize);
                case UNSIGNED -> SimdInt.satUnsigned(cpu, shifted, esize);
                case SIGNED_TO_UNSIGNED -> SimdInt.satUnsignedOfSigned(cpu, shifted, esize);
            };
        });
        cpu.pc += 4;
    }

    public static void sqshrn(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.SIGNED, false);
    }

    public static void sqrshrn(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.SIGNED, true);
    }

    public static void uqshrn(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.UNSIGNED, false);
    }

    public static void uqrshrn(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.UNSIGNED, true);
    }

    public static void sqshrun(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.SIGNED_TO_UNSIGNED, false);
    }

    public static void sqrshrun(Cpu cpu, int word) {
        narrowSaturating(cpu, word, Saturation.SIGNED_TO_UNSIGNED, true);
    }

    /** A fixed-point conversion's lane operation: the lane, its size and fbits. */
    @FunctionalInterface
    private interface FixedOp {
        long apply(long lane, int esize, int fbits);
    }

    /**
     * SCVTF/UCVTF/FCVTZS/FCVTZU (vector and scalar, fixed-point): fbits = 2*esize -
     * immh:immb; half (immh = 001x, FEAT_FP16), single (01xx) or double (1xxx) lanes;
     * immh = 0001 is reserved.
     */
    private static void fixedPoint(Cpu cpu, int word, FixedOp op) {
        int esize = sameWidthEsize(word);
        if (esize < 16) {
            throw GuestException.undefined();
        }
        int fbits = 2 * esize - immhb(word);
        sameWidth(cpu, word, esize, fbits, (lane, old, e, f) -> op.apply(lane, e, f));
    }

    public static void scvtf(Cpu cpu, int word) {
        fixedPoint(cpu, word, (a, e, f) -> Fp.fromFixed(cpu, Vectors.signExtend(a, e), false, f, e, Fp.rmode(cpu)));
    }

    public static void ucvtf(Cpu cpu, int word) {
        fixedPoint(cpu, word, (a, e, f) -> Fp.fromFixed(cpu, a, true, f, e, Fp.rmode(cpu)));
    }

    public static void fcvtzs(Cpu cpu, int word) {
        fixedPoint(cpu, word, (a, e, f) -> Fp.toFixed(cpu, a, e, f, false, e, Fp.RZ));
    }

    public static void fcvtzu(Cpu cpu, int word) {
        fixedPoint(cpu, word, (a, e, f) -> Fp.toFixed(cpu, a, e, f, true, e, Fp.RZ));
    }
}
