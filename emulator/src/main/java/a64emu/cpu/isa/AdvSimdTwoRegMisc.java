package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Advanced SIMD two-register miscellaneous (ARM ARM C4.1.6, "0 Q U 01110 size 10000
 * opcode 10 Rn Rd"): reversals, population count, NOT/RBIT, compares against zero,
 * ABS/NEG and their saturating forms, the narrowing and widening moves, SUQADD/USQADD,
 * the reciprocal estimates, and the vector floating-point conversions, roundings
 * (incl. FRINT32/64), FABS/FNEG/FSQRT; also the FP16 form ("0 Q U 01110 a 1111 00
 * opcode 10"), told apart by bit 19.
 */
public final class AdvSimdTwoRegMisc {
    private AdvSimdTwoRegMisc() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("REV64_V", "0q001110ss100000000010nnnnnddddd", AdvSimdTwoRegMisc::rev64),
            Encoding.of("REV16_V", "0q001110ss100000000110nnnnnddddd", AdvSimdTwoRegMisc::rev16),
            Encoding.of("REV32_V", "0q101110ss100000000010nnnnnddddd", AdvSimdTwoRegMisc::rev32),
            Encoding.of("CNT_V", "0q001110ss100000010110nnnnnddddd", AdvSimdTwoRegMisc::cnt),
            Encoding.of("NOT_RBIT_V", "0q101110ss100000010110nnnnnddddd", AdvSimdTwoRegMisc::notOrRbit),
            Encoding.of("CMGT_ZERO", "0q001110ss100000100010nnnnnddddd", AdvSimdTwoRegMisc::cmgtZero),
            Encoding.of("CMEQ_ZERO", "0q001110ss100000100110nnnnnddddd", AdvSimdTwoRegMisc::cmeqZero),
            Encoding.of("CMLT_ZERO", "0q001110ss100000101010nnnnnddddd", AdvSimdTwoRegMisc::cmltZero),
            Encoding.of("CMGE_ZERO", "0q101110ss100000100010nnnnnddddd", AdvSimdTwoRegMisc::cmgeZero),
            Encoding.of("CMLE_ZERO", "0q101110ss100000100110nnnnnddddd", AdvSimdTwoRegMisc::cmleZero),
            Encoding.of("ABS_V", "0q001110ss100000101110nnnnnddddd", AdvSimdTwoRegMisc::abs),
            Encoding.of("NEG_V", "0q101110ss100000101110nnnnnddddd", AdvSimdTwoRegMisc::neg),
            Encoding.of("XTN", "0q001110ss100001001010nnnnnddddd", AdvSimdTwoRegMisc::xtn),
            Encoding.of("FABS_V", "0q0011101z100000111110nnnnnddddd", AdvSimdTwoRegMisc::fabs),
            Encoding.of("FNEG_V", "0q1011101z100000111110nnnnnddddd", AdvSimdTwoRegMisc::fneg),
            Encoding.of("FCVTZS_V", "0q0011101z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzs),
            Encoding.of("FCVTZU_V", "0q1011101z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzu),
            Encoding.of("SCVTF_V", "0q0011100z100001110110nnnnnddddd", AdvSimdTwoRegMisc::scvtf),
            Encoding.of("UCVTF_V", "0q1011100z100001110110nnnnnddddd", AdvSimdTwoRegMisc::ucvtf),
            Encoding.of("FSQRT_V", "0q1011101z100001111110nnnnnddddd", AdvSimdTwoRegMisc::fsqrt),
            Encoding.of("SADDLP", "0q001110ss100000001010nnnnnddddd", AdvSimdTwoRegMisc::saddlp),
            Encoding.of("UADDLP", "0q101110ss100000001010nnnnnddddd", AdvSimdTwoRegMisc::uaddlp),
            Encoding.of("SADALP", "0q001110ss100000011010nnnnnddddd", AdvSimdTwoRegMisc::sadalp),
            Encoding.of("UADALP", "0q101110ss100000011010nnnnnddddd", AdvSimdTwoRegMisc::uadalp),
            Encoding.of("SQXTN", "0q001110ss100001010010nnnnnddddd", AdvSimdTwoRegMisc::sqxtn),
            Encoding.of("UQXTN", "0q101110ss100001010010nnnnnddddd", AdvSimdTwoRegMisc::uqxtn),
            Encoding.of("SQXTUN", "0q101110ss100001001010nnnnnddddd", AdvSimdTwoRegMisc::sqxtun),
            Encoding.of("CLS_V", "0q001110ss100000010010nnnnnddddd", AdvSimdTwoRegMisc::cls),
            Encoding.of("CLZ_V", "0q101110ss100000010010nnnnnddddd", AdvSimdTwoRegMisc::clz),
            Encoding.of("FCMGT_ZERO", "0q0011101z100000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgtZero),
            Encoding.of("FCMEQ_ZERO", "0q0011101z100000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmeqZero),
            Encoding.of("FCMLT_ZERO", "0q0011101z100000111010nnnnnddddd", AdvSimdTwoRegMisc::fcmltZero),
            Encoding.of("FCMGE_ZERO", "0q1011101z100000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgeZero),
            Encoding.of("FCMLE_ZERO", "0q1011101z100000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmleZero),
            Encoding.of("FCVTN", "0q0011100z100001011010nnnnnddddd", AdvSimdTwoRegMisc::fcvtn),
            Encoding.of("FCVTL", "0q0011100z100001011110nnnnnddddd", AdvSimdTwoRegMisc::fcvtl),
            Encoding.of("FRINTN_V", "0q0011100z100001100010nnnnnddddd", AdvSimdTwoRegMisc::frintn),
            Encoding.of("FRINTM_V", "0q0011100z100001100110nnnnnddddd", AdvSimdTwoRegMisc::frintm),
            Encoding.of("FRINTP_V", "0q0011101z100001100010nnnnnddddd", AdvSimdTwoRegMisc::frintp),
            Encoding.of("FRINTZ_V", "0q0011101z100001100110nnnnnddddd", AdvSimdTwoRegMisc::frintz),
            Encoding.of("FRINTA_V", "0q1011100z100001100010nnnnnddddd", AdvSimdTwoRegMisc::frinta),
            Encoding.of("FRINTX_V", "0q1011100z100001100110nnnnnddddd", AdvSimdTwoRegMisc::frintx),
            Encoding.of("FRINTI_V", "0q1011101z100001100110nnnnnddddd", AdvSimdTwoRegMisc::frinti),
            Encoding.of("FCVTNS_V", "0q0011100z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtns),
            Encoding.of("FCVTMS_V", "0q0011100z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtms),
            Encoding.of("FCVTAS_V", "0q0011100z100001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtas),
            Encoding.of("FCVTPS_V", "0q0011101z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtps),
            Encoding.of("FCVTNU_V", "0q1011100z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtnu),
            Encoding.of("FCVTMU_V", "0q1011100z100001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtmu),
            Encoding.of("FCVTAU_V", "0q1011100z100001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtau),
            Encoding.of("FCVTPU_V", "0q1011101z100001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtpu),
            Encoding.of("SUQADD_V", "0q001110ss100000001110nnnnnddddd", AdvSimdTwoRegMisc::suqadd),
            Encoding.of("USQADD_V", "0q101110ss100000001110nnnnnddddd", AdvSimdTwoRegMisc::usqadd),
            Encoding.of("SQABS_V", "0q001110ss100000011110nnnnnddddd", AdvSimdTwoRegMisc::sqabs),
            Encoding.of("SQNEG_V", "0q101110ss100000011110nnnnnddddd", AdvSimdTwoRegMisc::sqneg),
            Encoding.of("SHLL", "0q101110ss100001001110nnnnnddddd", AdvSimdTwoRegMisc::shll),
            Encoding.of("URECPE", "0q0011101z100001110010nnnnnddddd", AdvSimdTwoRegMisc::urecpe),
            Encoding.of("URSQRTE", "0q1011101z100001110010nnnnnddddd", AdvSimdTwoRegMisc::ursqrte),
            Encoding.of("FRECPE_V", "0q0011101z100001110110nnnnnddddd", AdvSimdTwoRegMisc::frecpe),
            Encoding.of("FRSQRTE_V", "0q1011101z100001110110nnnnnddddd", AdvSimdTwoRegMisc::frsqrte),
            Encoding.of("FCVTXN", "0q1011100z100001011010nnnnnddddd", AdvSimdTwoRegMisc::fcvtxn),
            // Advanced SIMD two-register miscellaneous (FP16), "0 Q U 01110 a 1111 00 opcode 10".
            Encoding.of("FRINTN_V_H", "0q00111001111001100010nnnnnddddd", AdvSimdTwoRegMisc::frintn),
            Encoding.of("FRINTM_V_H", "0q00111001111001100110nnnnnddddd", AdvSimdTwoRegMisc::frintm),
            Encoding.of("FCVTNS_V_H", "0q00111001111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtns),
            Encoding.of("FCVTMS_V_H", "0q00111001111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtms),
            Encoding.of("FCVTAS_V_H", "0q00111001111001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtas),
            Encoding.of("SCVTF_V_H", "0q00111001111001110110nnnnnddddd", AdvSimdTwoRegMisc::scvtf),
            Encoding.of("FCMGT_ZERO_V_H", "0q00111011111000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgtZero),
            Encoding.of("FCMEQ_ZERO_V_H", "0q00111011111000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmeqZero),
            Encoding.of("FCMLT_ZERO_V_H", "0q00111011111000111010nnnnnddddd", AdvSimdTwoRegMisc::fcmltZero),
            Encoding.of("FABS_V_H", "0q00111011111000111110nnnnnddddd", AdvSimdTwoRegMisc::fabs),
            Encoding.of("FRINTP_V_H", "0q00111011111001100010nnnnnddddd", AdvSimdTwoRegMisc::frintp),
            Encoding.of("FRINTZ_V_H", "0q00111011111001100110nnnnnddddd", AdvSimdTwoRegMisc::frintz),
            Encoding.of("FCVTPS_V_H", "0q00111011111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtps),
            Encoding.of("FCVTZS_V_H", "0q00111011111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzs),
            Encoding.of("FRECPE_V_H", "0q00111011111001110110nnnnnddddd", AdvSimdTwoRegMisc::frecpe),
            Encoding.of("FRINTA_V_H", "0q10111001111001100010nnnnnddddd", AdvSimdTwoRegMisc::frinta),
            Encoding.of("FRINTX_V_H", "0q10111001111001100110nnnnnddddd", AdvSimdTwoRegMisc::frintx),
            Encoding.of("FCVTNU_V_H", "0q10111001111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtnu),
            Encoding.of("FCVTMU_V_H", "0q10111001111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtmu),
            Encoding.of("FCVTAU_V_H", "0q10111001111001110010nnnnnddddd", AdvSimdTwoRegMisc::fcvtau),
            Encoding.of("UCVTF_V_H", "0q10111001111001110110nnnnnddddd", AdvSimdTwoRegMisc::ucvtf),
            Encoding.of("FCMGE_ZERO_V_H", "0q10111011111000110010nnnnnddddd", AdvSimdTwoRegMisc::fcmgeZero),
            Encoding.of("FCMLE_ZERO_V_H", "0q10111011111000110110nnnnnddddd", AdvSimdTwoRegMisc::fcmleZero),
            Encoding.of("FNEG_V_H", "0q10111011111000111110nnnnnddddd", AdvSimdTwoRegMisc::fneg),
            Encoding.of("FRINTI_V_H", "0q10111011111001100110nnnnnddddd", AdvSimdTwoRegMisc::frinti),
            Encoding.of("FCVTPU_V_H", "0q10111011111001101010nnnnnddddd", AdvSimdTwoRegMisc::fcvtpu),
            Encoding.of("FCVTZU_V_H", "0q10111011111001101110nnnnnddddd", AdvSimdTwoRegMisc::fcvtzu),
            Encoding.of("FRSQRTE_V_H", "0q10111011111001110110nnnnnddddd", AdvSimdTwoRegMisc::frsqrte),
            Encoding.of("FSQRT_V_H", "0q10111011111001111110nnnnnddddd", AdvSimdTwoRegMisc::fsqrt),
            // FEAT_FRINTTS
            Encoding.of("FRINT32Z_V", "0q0011100z100001111010nnnnnddddd", AdvSimdTwoRegMisc::frint32z),
            Encoding.of("FRINT32X_V", "0q1011100z100001111010nnnnnddddd", AdvSimdTwoRegMisc::frint32x),
            Encoding.of("FRINT64Z_V", "0q0011100z100001111110nnnnnddddd", AdvSimdTwoRegMisc::frint64z),
            Encoding.of("FRINT64X_V", "0q1011100z100001111110nnnnnddddd", AdvSimdTwoRegMisc::frint64x));

    /** A lane operation on one source lane. */
    @FunctionalInterface
    interface UnaryOp {
        long apply(Cpu cpu, long a, int esize);
    }

    private static boolean q(int word) {
        return ((word >>> 30) & 1) != 0;
    }

    private static int size(int word) {
        return (word >>> 22) & 3;
    }

    /** Applies {@code op} to each lane; size 11 needs Q=1 and {@code allowD}. */
    private static void lanes(Cpu cpu, int word, boolean allowD, UnaryOp op) {
        boolean q = q(word);
        int size = size(word);
        if (size == 3 && (!q || !allowD)) {
            throw GuestException.undefined();
        }
        lanesOfSize(cpu, word, Vectors.esize(size), op);
    }

    private static void lanesOfSize(Cpu cpu, int word, int esize, UnaryOp op) {
        int n = (word >>> 5) & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = unaryHalf(cpu, aLo, esize, low, op);
        long hi = elements > low ? unaryHalf(cpu, aHi, esize, elements - low, op) : 0;
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    /** {@code op} on the first {@code count} lanes of one 64-bit half, the rest zero. */
    private static long unaryHalf(Cpu cpu, long a, int esize, int count, UnaryOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            r |= (op.apply(cpu, (a >>> shift) & mask, esize) & mask) << shift;
        }
        return r;
    }

    /** REV16/REV32/REV64: reverse the order of elements within each container. */
    private static void reverse(Cpu cpu, int word, int containerBits) {
        int esize = Vectors.esize(size(word));
        if (esize >= containerBits) {
            throw GuestException.undefined();
        }
        boolean q = q(word);
        int n = (word >>> 5) & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        // Containers are at most 64 bits, so each half reverses on its own.
        Vectors.writeQ(cpu, word & 31, reverseHalf(aLo, esize, containerBits),
                q ? reverseHalf(aHi, esize, containerBits) : 0);
        cpu.pc += 4;
    }

    private static long reverseHalf(long a, int esize, int containerBits) {
        int perContainer = containerBits / esize;
        long r = 0;
        for (int i = 0; i < 64 / esize; i++) {
            int base = i - i % perContainer;
            int mirrored = base + (perContainer - 1 - (i - base));
            r |= Vectors.laneOf(a, mirrored, esize) << (i * esize);
        }
        return r;
    }

    public static void rev64(Cpu cpu, int word) {
        reverse(cpu, word, 64);
    }

    public static void rev32(Cpu cpu, int word) {
        reverse(cpu, word, 32);
    }

    public static void rev16(Cpu cpu, int word) {
        reverse(cpu, word, 16);
    }

    /** CNT: bits set in each byte; only the 8B/16B arrangements exist. */
    public static void cnt(Cpu cpu, int word) {
        if (size(word) != 0) {
            throw GuestException.undefined();
        }
        lanesOfSize(cpu, word, 8, (c, a, e) -> Long.bitCount(a));
    }

    /** size 00 is NOT, size 01 RBIT (reverse the bits of each byte); others are unallocated. */
    public static void notOrRbit(Cpu cpu, int word) {
        switch (size(word)) {
            case 0 -> lanesOfSize(cpu, word, 8, (c, a, e) -> ~a);
            case 1 -> lanesOfSize(cpu, word, 8, (c, a, e) -> Integer.reverse((int) a) >>> 24);
            default -> throw GuestException.undefined();
        }
    }

    private static long s(long v, int esize) {
        return Vectors.signExtend(v, esize);
    }

    /** CLZ: leading zero bits of each lane. */
    public static void clz(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, e) -> Long.numberOfLeadingZeros(a) - (64 - e));
    }

    /** CLS: leading bits equal to the sign bit, not counting the sign bit itself. */
    public static void cls(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, e) -> {
            long x = s(a, e);
            return Long.numberOfLeadingZeros(x ^ (x >> 63)) - (64 - e) - 1;
        });
    }

    public static void cmgtZero(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Vectors.ones(s(a, e) > 0));
    }

    public static void cmeqZero(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Vectors.ones(a == 0));
    }

    public static void cmltZero(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Vectors.ones(s(a, e) < 0));
    }

    public static void cmgeZero(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Vectors.ones(s(a, e) >= 0));
    }

    public static void cmleZero(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Vectors.ones(s(a, e) <= 0));
    }

    public static void abs(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> Math.abs(s(a, e)));
    }

    public static void neg(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> -a);
    }

    /** SADDLP/UADDLP (and the accumulating ADALP): adjacent lane pairs summed into lanes twice as wide. */
    private static void addPairsLong(Cpu cpu, int word, boolean signed, boolean accumulate) {
        int size = size(word);
        if (size == 3) {
            throw GuestException.undefined();
        }
        boolean q = q(word);
        int esize = Vectors.esize(size);
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long[] v = cpu.v;
        long lo = addPairsLongHalf(v[2 * n], v[2 * d], esize, signed, accumulate);
        long hi = q ? addPairsLongHalf(v[2 * n + 1], v[2 * d + 1], esize, signed, accumulate) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** The pairs of one half of Vn summed into the 2*esize lanes of the same half of Vd. */
    private static long addPairsLongHalf(long a, long acc, int esize, boolean signed, boolean accumulate) {
        int wide = 2 * esize;
        long wideMask = Vectors.mask(wide);
        long r = 0;
        for (int i = 0; i < 64 / wide; i++) {
            long x = Vectors.laneOf(a, 2 * i, esize);
            long y = Vectors.laneOf(a, 2 * i + 1, esize);
            if (signed) {
                x = Vectors.signExtend(x, esize);
                y = Vectors.signExtend(y, esize);
            }
            long sum = x + y + (accumulate ? Vectors.laneOf(acc, i, wide) : 0);
            r |= (sum & wideMask) << (i * wide);
        }
        return r;
    }

    public static void saddlp(Cpu cpu, int word) {
        addPairsLong(cpu, word, true, false);
    }

    public static void uaddlp(Cpu cpu, int word) {
        addPairsLong(cpu, word, false, false);
    }

    public static void sadalp(Cpu cpu, int word) {
        addPairsLong(cpu, word, true, true);
    }

    public static void uadalp(Cpu cpu, int word) {
        addPairsLong(cpu, word, false, true);
    }

    /**
     * The narrowing moves, vector or scalar (SQXTN Bd, Hn ...): each 2*esize lane of Vn
     * into esize bits of Vd ({@link Vectors#narrow}); size 11 is reserved.
     */
    private static void narrow(Cpu cpu, int word, Vectors.LaneFunction op) {
        int size = size(word);
        if (size == 3) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        Vectors.narrow(cpu, word, esize, 0, op);
        cpu.pc += 4;
    }

    /** SQXTN: signed saturation to esize bits (FPSR.QC on clipping). */
    public static void sqxtn(Cpu cpu, int word) {
        narrow(cpu, word, (c, w, e, shift) -> SimdInt.satSigned(c, s(w, 2 * e), e));
    }

    /** UQXTN: unsigned saturation to esize bits. */
    public static void uqxtn(Cpu cpu, int word) {
        narrow(cpu, word, (c, w, e, shift) -> SimdInt.satUnsigned(c, w, e));
    }

    /** SQXTUN: a signed source saturated to the unsigned esize range. */
    public static void sqxtun(Cpu cpu, int word) {
        narrow(cpu, word, (c, w, e, shift) -> SimdInt.satUnsignedOfSigned(c, s(w, 2 * e), e));
    }

    /** XTN/XTN2: the low esize bits of each 2*esize lane. */
    public static void xtn(Cpu cpu, int word) {
        narrow(cpu, word, (c, w, e, shift) -> w);
    }

    // ---- floating point ---------------------------------------------------------------------------

    private static void fpLanes(Cpu cpu, int word, UnaryOp op) {
        lanesOfSize(cpu, word, fpSize(word), op);
    }

    /**
     * "Two-register miscellaneous (FP16)" is "a 1111 00" in bits 23:17 where the other
     * forms have "size 10000": bit 19 tells them apart (FEAT_FP16).
     */
    private static int fpSize(int word) {
        return ((word >>> 19) & 1) != 0 ? 16 : AdvSimdThreeSame.fpSize(word);
    }

    public static void fabs(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.abs(a, e));
    }

    public static void fneg(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.neg(a, e));
    }

    public static void fsqrt(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.sqrt(c, e, a));
    }

    public static void fcvtzs(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, false, e, Fp.RZ));
    }

    public static void fcvtzu(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, true, e, Fp.RZ));
    }

    public static void fcvtns(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, false, e, Fp.RN));
    }

    public static void fcvtnu(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, true, e, Fp.RN));
    }

    public static void fcvtms(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, false, e, Fp.RM));
    }

    public static void fcvtmu(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, true, e, Fp.RM));
    }

    public static void fcvtps(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, false, e, Fp.RP));
    }

    public static void fcvtpu(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, true, e, Fp.RP));
    }

    public static void fcvtas(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, false, e, Fp.RA));
    }

    public static void fcvtau(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.toFixed(c, a, e, 0, true, e, Fp.RA));
    }

    public static void frintn(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.RN, false));
    }

    public static void frintm(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.RM, false));
    }

    public static void frintp(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.RP, false));
    }

    public static void frintz(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.RZ, false));
    }

    public static void frinta(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.RA, false));
    }

    public static void frintx(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.rmode(c), true));
    }

    public static void frinti(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntegral(c, e, a, Fp.rmode(c), false));
    }

    /** The FP compares against +0.0: GT/GE/LT/LE signal on any NaN, EQ only on signalling ones. */
    public static void fcmgtZero(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Vectors.ones(Fp.compareQuiet(c, e, a, 0, 2, true)));
    }

    public static void fcmgeZero(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Vectors.ones(Fp.compareQuiet(c, e, a, 0, 1, true)));
    }

    public static void fcmeqZero(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Vectors.ones(Fp.compareQuiet(c, e, a, 0, 0, false)));
    }

    /** FCMLT #0: 0 > a, so the operands of the GT compare are swapped. */
    public static void fcmltZero(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Vectors.ones(Fp.compareQuiet(c, e, 0, a, 2, true)));
    }

    public static void fcmleZero(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Vectors.ones(Fp.compareQuiet(c, e, 0, a, 1, true)));
    }

    /** FCVTN/FCVTN2: narrow double to single (sz=1) or single to half (sz=0) into the lower or upper half. */
    public static void fcvtn(Cpu cpu, int word) {
        int esize = narrowFpSize(word);
        Vectors.narrow(cpu, word, esize, 0, (c, wide, e, shift) -> Fp.convert(c, wide, 2 * e, e));
        cpu.pc += 4;
    }

    /** FCVTL/FCVTL2: widen the lower or upper half, half to single (sz=0) or single to double (sz=1). */
    public static void fcvtl(Cpu cpu, int word) {
        int esize = narrowFpSize(word);
        Vectors.lengthen(cpu, word, esize, 0, (c, a, e, shift) -> Fp.convert(c, a, e, 2 * e));
        cpu.pc += 4;
    }

    /** The narrower of the two FCVTN/FCVTL formats: sz=0 half, sz=1 single. */
    private static int narrowFpSize(int word) {
        return ((word >>> 22) & 1) != 0 ? 32 : 16;
    }

    public static void scvtf(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.fromFixed(c, Vectors.signExtend(a, e), false, 0, e, Fp.rmode(c)));
    }

    public static void ucvtf(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.fromFixed(c, a, true, 0, e, Fp.rmode(c)));
    }

    // ---- saturating accumulate, absolute value and negate; SHLL --------------------------------

    /** An accumulating lane operation: the old Vd lane and the Vn lane (both zero-extended). */
    @FunctionalInterface
    interface AccumulateOp {
        long apply(long acc, long a, int esize);
    }

    /** Like {@link #lanes}, with the old lane of Vd as accumulator (SUQADD/USQADD). */
    private static void accumulateLanes(Cpu cpu, int word, AccumulateOp op) {
        int size = size(word);
        if (size == 3 && !q(word)) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = accumulateHalf(aLo, accLo, esize, low, op);
        long hi = elements > low ? accumulateHalf(aHi, accHi, esize, elements - low, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    private static long accumulateHalf(long a, long acc, int esize, int count, AccumulateOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            r |= (op.apply((acc >>> shift) & mask, (a >>> shift) & mask, esize) & mask) << shift;
        }
        return r;
    }

    /** SUQADD: signed Vd plus unsigned Vn, signed-saturated. */
    public static void suqadd(Cpu cpu, int word) {
        accumulateLanes(cpu, word, (acc, a, e) -> {
            long x = s(acc, e);
            if (e == 64) {
                // The exact sum exceeds 2^63-1 iff a > (2^63-1) - x, compared as unsigned.
                if (Long.compareUnsigned(a, Long.MAX_VALUE - x) > 0) {
                    cpu.fpsr |= Fp.FPSR_QC;
                    return Long.MAX_VALUE;
                }
                return x + a;
            }
            return SimdInt.satSigned(cpu, x + a, e);
        });
    }

    /** USQADD: unsigned Vd plus signed Vn, unsigned-saturated. */
    public static void usqadd(Cpu cpu, int word) {
        accumulateLanes(cpu, word, (x, a, e) -> {
            long y = s(a, e);
            if (e == 64) {
                long sum = x + y;
                if (y >= 0 && Long.compareUnsigned(sum, x) < 0) {
                    cpu.fpsr |= Fp.FPSR_QC;
                    return -1L;
                }
                if (y < 0 && Long.compareUnsigned(x, -y) < 0) {
                    cpu.fpsr |= Fp.FPSR_QC;
                    return 0;
                }
                return sum;
            }
            return SimdInt.satUnsignedOfSigned(cpu, x + y, e);
        });
    }

    /** SQABS/SQNEG: only the most negative value saturates (to the most positive). */
    public static void sqabs(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> saturatedNegation(c, s(a, e), e, true));
    }

    public static void sqneg(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, e) -> saturatedNegation(c, s(a, e), e, false));
    }

    private static long saturatedNegation(Cpu cpu, long x, int esize, boolean onlyNegative) {
        if (x == SimdInt.signedMin(esize)) {
            cpu.fpsr |= Fp.FPSR_QC;
            return SimdInt.signedMax(esize);
        }
        return onlyNegative && x >= 0 ? x : -x;
    }

    /** SHLL/SHLL2: each element of the lower or upper half widened and shifted left by esize. */
    public static void shll(Cpu cpu, int word) {
        int size = size(word);
        if (size == 3) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        Vectors.lengthen(cpu, word, esize, 0, (c, a, e, shift) -> a << e);
        cpu.pc += 4;
    }

    // ---- estimates, FCVTXN, FRINT32/64 -----------------------------------------------------------

    /** URECPE/URSQRTE: 32-bit elements only (sz=1 is reserved). */
    private static void unsignedEstimate(Cpu cpu, int word, LongUnaryOperator estimate) {
        if (((word >>> 22) & 1) != 0) {
            throw GuestException.undefined();
        }
        lanesOfSize(cpu, word, 32, (c, a, e) -> estimate.applyAsLong(a));
    }

    public static void urecpe(Cpu cpu, int word) {
        unsignedEstimate(cpu, word, Fp::unsignedRecipEstimate);
    }

    public static void ursqrte(Cpu cpu, int word) {
        unsignedEstimate(cpu, word, Fp::unsignedRSqrtEstimate);
    }

    public static void frecpe(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.recipEstimate(c, e, a));
    }

    public static void frsqrte(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.rsqrtEstimate(c, e, a));
    }

    /** FRECPX (scalar only): the exponent inverted. */
    public static void frecpx(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, a, e) -> Fp.recpX(c, e, a));
    }

    /**
     * FCVTXN/FCVTXN2: double to single rounding to odd; only sz=1 is allocated. The
     * scalar form narrows one element.
     */
    public static void fcvtxn(Cpu cpu, int word) {
        if (((word >>> 22) & 1) == 0) {
            throw GuestException.undefined();
        }
        Vectors.narrow(cpu, word, 32, 0, (c, wide, e, shift) -> Fp.convertToOdd(c, wide));
        cpu.pc += 4;
    }

    private static void roundToIntN(Cpu cpu, int word, int mode, int intSize) {
        fpLanes(cpu, word, (c, a, e) -> Fp.roundToIntN(c, e, a, mode, intSize));
    }

    public static void frint32z(Cpu cpu, int word) {
        roundToIntN(cpu, word, Fp.RZ, 32);
    }

    public static void frint32x(Cpu cpu, int word) {
        roundToIntN(cpu, word, Fp.rmode(cpu), 32);
    }

    public static void frint64z(Cpu cpu, int word) {
        roundToIntN(cpu, word, Fp.RZ, 64);
    }

    public static void frint64x(Cpu cpu, int word) {
        roundToIntN(cpu, word, Fp.rmode(cpu), 64);
    }
}
