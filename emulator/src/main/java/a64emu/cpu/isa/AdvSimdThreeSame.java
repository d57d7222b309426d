package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD three same (ARM ARM C4.1.6, "0 Q U 01110 size 1 Rm opcode 1 Rn Rd"):
 * lane-wise integer arithmetic (incl. the saturating, halving and rounding forms and
 * the shifts by register), compares, min/max and their pairwise forms, the bitwise
 * operations (size selects the operation), and the vector floating-point arithmetic
 * and compares (size<0> = sz selects single or double). Also "three same (FP16)"
 * ("0 Q U 01110 a 10 Rm 00 opcode 1": the FP semantics on half-precision lanes) and
 * "three same (extra)" ("0 Q U 01110 size 0 Rm 1 opcode 1": SQRDMLAH/SQRDMLSH, SDOT/
 * UDOT, FCMLA/FCADD), and FMLAL/FMLSL (FEAT_FHM).
 */
public final class AdvSimdThreeSame {
    private AdvSimdThreeSame() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("ADD_V", "0q001110ss1mmmmm100001nnnnnddddd", AdvSimdThreeSame::add),
            Encoding.of("SUB_V", "0q101110ss1mmmmm100001nnnnnddddd", AdvSimdThreeSame::sub),
            Encoding.of("CMTST_V", "0q001110ss1mmmmm100011nnnnnddddd", AdvSimdThreeSame::cmtst),
            Encoding.of("CMEQ_V", "0q101110ss1mmmmm100011nnnnnddddd", AdvSimdThreeSame::cmeq),
            Encoding.of("CMGT_V", "0q001110ss1mmmmm001101nnnnnddddd", AdvSimdThreeSame::cmgt),
            Encoding.of("CMHI_V", "0q101110ss1mmmmm001101nnnnnddddd", AdvSimdThreeSame::cmhi),
            Encoding.of("CMGE_V", "0q001110ss1mmmmm001111nnnnnddddd", AdvSimdThreeSame::cmge),
            Encoding.of("CMHS_V", "0q101110ss1mmmmm001111nnnnnddddd", AdvSimdThreeSame::cmhs),
            Encoding.of("SSHL_V", "0q001110ss1mmmmm010001nnnnnddddd", AdvSimdThreeSame::sshl),
            Encoding.of("USHL_V", "0q101110ss1mmmmm010001nnnnnddddd", AdvSimdThreeSame::ushl),
            Encoding.of("SMAX_V", "0q001110ss1mmmmm011001nnnnnddddd", AdvSimdThreeSame::smax),
            Encoding.of("UMAX_V", "0q101110ss1mmmmm011001nnnnnddddd", AdvSimdThreeSame::umax),
            Encoding.of("SMIN_V", "0q001110ss1mmmmm011011nnnnnddddd", AdvSimdThreeSame::smin),
            Encoding.of("UMIN_V", "0q101110ss1mmmmm011011nnnnnddddd", AdvSimdThreeSame::umin),
            Encoding.of("MLA_V", "0q001110ss1mmmmm100101nnnnnddddd", AdvSimdThreeSame::mla),
            Encoding.of("MLS_V", "0q101110ss1mmmmm100101nnnnnddddd", AdvSimdThreeSame::mls),
            Encoding.of("MUL_V", "0q001110ss1mmmmm100111nnnnnddddd", AdvSimdThreeSame::mul),
            Encoding.of("SMAXP_V", "0q001110ss1mmmmm101001nnnnnddddd", AdvSimdThreeSame::smaxp),
            Encoding.of("UMAXP_V", "0q101110ss1mmmmm101001nnnnnddddd", AdvSimdThreeSame::umaxp),
            Encoding.of("SMINP_V", "0q001110ss1mmmmm101011nnnnnddddd", AdvSimdThreeSame::sminp),
            Encoding.of("UMINP_V", "0q101110ss1mmmmm101011nnnnnddddd", AdvSimdThreeSame::uminp),
            Encoding.of("ADDP_V", "0q001110ss1mmmmm101111nnnnnddddd", AdvSimdThreeSame::addp),
            Encoding.of("AND_V", "0q001110001mmmmm000111nnnnnddddd", AdvSimdThreeSame::and),
            Encoding.of("BIC_V", "0q001110011mmmmm000111nnnnnddddd", AdvSimdThreeSame::bic),
            Encoding.of("ORR_V", "0q001110101mmmmm000111nnnnnddddd", AdvSimdThreeSame::orr),
            Encoding.of("ORN_V", "0q001110111mmmmm000111nnnnnddddd", AdvSimdThreeSame::orn),
            Encoding.of("EOR_V", "0q101110001mmmmm000111nnnnnddddd", AdvSimdThreeSame::eor),
            Encoding.of("BSL_V", "0q101110011mmmmm000111nnnnnddddd", AdvSimdThreeSame::bsl),
            Encoding.of("BIT_V", "0q101110101mmmmm000111nnnnnddddd", AdvSimdThreeSame::bit),
            Encoding.of("BIF_V", "0q101110111mmmmm000111nnnnnddddd", AdvSimdThreeSame::bif),
            Encoding.of("FMLA_V", "0q0011100z1mmmmm110011nnnnnddddd", AdvSimdThreeSame::fmla),
            Encoding.of("FMLS_V", "0q0011101z1mmmmm110011nnnnnddddd", AdvSimdThreeSame::fmls),
            Encoding.of("FADD_V", "0q0011100z1mmmmm110101nnnnnddddd", AdvSimdThreeSame::fadd),
            Encoding.of("FSUB_V", "0q0011101z1mmmmm110101nnnnnddddd", AdvSimdThreeSame::fsub),
            Encoding.of("FADDP_V", "0q1011100z1mmmmm110101nnnnnddddd", AdvSimdThreeSame::faddp),
            Encoding.of("FMUL_V", "0q1011100z1mmmmm110111nnnnnddddd", AdvSimdThreeSame::fmul),
            Encoding.of("FCMEQ_V", "0q0011100z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmeq),
            Encoding.of("FCMGE_V", "0q1011100z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmge),
            Encoding.of("FCMGT_V", "0q1011101z1mmmmm111001nnnnnddddd", AdvSimdThreeSame::fcmgt),
            Encoding.of("FMAX_V", "0q0011100z1mmmmm111101nnnnnddddd", AdvSimdThreeSame::fmax),
            Encoding.of("FMIN_V", "0q0011101z1mmmmm111101nnnnnddddd", AdvSimdThreeSame::fmin),
            Encoding.of("SQADD_V", "0q001110ss1mmmmm000011nnnnnddddd", AdvSimdThreeSame::sqadd),
            Encoding.of("UQADD_V", "0q101110ss1mmmmm000011nnnnnddddd", AdvSimdThreeSame::uqadd),
            Encoding.of("SQSUB_V", "0q001110ss1mmmmm001011nnnnnddddd", AdvSimdThreeSame::sqsub),
            Encoding.of("UQSUB_V", "0q101110ss1mmmmm001011nnnnnddddd", AdvSimdThreeSame::uqsub),
            Encoding.of("SHADD_V", "0q001110ss1mmmmm000001nnnnnddddd", AdvSimdThreeSame::shadd),
            Encoding.of("UHADD_V", "0q101110ss1mmmmm000001nnnnnddddd", AdvSimdThreeSame::uhadd),
            Encoding.of("SRHADD_V", "0q001110ss1mmmmm000101nnnnnddddd", AdvSimdThreeSame::srhadd),
            Encoding.of("URHADD_V", "0q101110ss1mmmmm000101nnnnnddddd", AdvSimdThreeSame::urhadd),
            Encoding.of("FMAXNM_V", "0q0011100z1mmmmm110001nnnnnddddd", AdvSimdThreeSame::fmaxnm),
            Encoding.of("FMINNM_V", "0q0011101z1mmmmm110001nnnnnddddd", AdvSimdThreeSame::fminnm),
            Encoding.of("FMAXNMP_V", "0q1011100z1mmmmm110001nnnnnddddd", AdvSimdThreeSame::fmaxnmp),
            Encoding.of("FMINNMP_V", "0q1011101z1mmmmm110001nnnnnddddd", AdvSimdThreeSame::fminnmp),
            Encoding.of("FMAXP_V", "0q1011100z1mmmmm111101nnnnnddddd", AdvSimdThreeSame::fmaxp),
            Encoding.of("FMINP_V", "0q1011101z1mmmmm111101nnnnnddddd", AdvSimdThreeSame::fminp),
            Encoding.of("FABD_V", "0q1011101z1mmmmm110101nnnnnddddd", AdvSimdThreeSame::fabd),
            Encoding.of("FDIV_V", "0q1011100z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::fdiv),
            Encoding.of("SHSUB_V", "0q001110ss1mmmmm001001nnnnnddddd", AdvSimdThreeSame::shsub),
            Encoding.of("UHSUB_V", "0q101110ss1mmmmm001001nnnnnddddd", AdvSimdThreeSame::uhsub),
            Encoding.of("SQSHL_V", "0q001110ss1mmmmm010011nnnnnddddd", AdvSimdThreeSame::sqshl),
            Encoding.of("UQSHL_V", "0q101110ss1mmmmm010011nnnnnddddd", AdvSimdThreeSame::uqshl),
            Encoding.of("SRSHL_V", "0q001110ss1mmmmm010101nnnnnddddd", AdvSimdThreeSame::srshl),
            Encoding.of("URSHL_V", "0q101110ss1mmmmm010101nnnnnddddd", AdvSimdThreeSame::urshl),
            Encoding.of("SQRSHL_V", "0q001110ss1mmmmm010111nnnnnddddd", AdvSimdThreeSame::sqrshl),
            Encoding.of("UQRSHL_V", "0q101110ss1mmmmm010111nnnnnddddd", AdvSimdThreeSame::uqrshl),
            Encoding.of("SABD_V", "0q001110ss1mmmmm011101nnnnnddddd", AdvSimdThreeSame::sabd),
            Encoding.of("UABD_V", "0q101110ss1mmmmm011101nnnnnddddd", AdvSimdThreeSame::uabd),
            Encoding.of("SABA_V", "0q001110ss1mmmmm011111nnnnnddddd", AdvSimdThreeSame::saba),
            Encoding.of("UABA_V", "0q101110ss1mmmmm011111nnnnnddddd", AdvSimdThreeSame::uaba),
            Encoding.of("PMUL_V", "0q101110ss1mmmmm100111nnnnnddddd", AdvSimdThreeSame::pmul),
            Encoding.of("SQDMULH_V", "0q001110ss1mmmmm101101nnnnnddddd", AdvSimdThreeSame::sqdmulh),
            Encoding.of("SQRDMULH_V", "0q101110ss1mmmmm101101nnnnnddddd", AdvSimdThreeSame::sqrdmulh),
            Encoding.of("FMULX_V", "0q0011100z1mmmmm110111nnnnnddddd", AdvSimdThreeSame::fmulx),
            Encoding.of("FRECPS_V", "0q0011100z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::frecps),
            Encoding.of("FRSQRTS_V", "0q0011101z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::frsqrts),
            Encoding.of("FACGE_V", "0q1011100z1mmmmm111011nnnnnddddd", AdvSimdThreeSame::facge),
            Encoding.of("FACGT_V", "0q1011101z1mmmmm111011nnnnnddddd", AdvSimdThreeSame::facgt),
            // Advanced SIMD three same (extra), "0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd":
            // FEAT_RDM and FEAT_DotProd.
            Encoding.of("SQRDMLAH_V", "0q101110ss0mmmmm100001nnnnnddddd", AdvSimdThreeSame::sqrdmlah),
            Encoding.of("SQRDMLSH_V", "0q101110ss0mmmmm100011nnnnnddddd", AdvSimdThreeSame::sqrdmlsh),
            Encoding.of("SDOT_V", "0q001110ss0mmmmm100101nnnnnddddd", AdvSimdThreeSame::sdot),
            Encoding.of("UDOT_V", "0q101110ss0mmmmm100101nnnnnddddd", AdvSimdThreeSame::udot),
            // Advanced SIMD three same (FP16), "0 Q U 01110 a 10 Rm 00 opcode 1 Rn Rd":
            // the same semantics on half-precision lanes (fpSize).
            Encoding.of("FMAXNM_V_H", "0q001110010mmmmm000001nnnnnddddd", AdvSimdThreeSame::fmaxnm),
            Encoding.of("FMLA_V_H", "0q001110010mmmmm000011nnnnnddddd", AdvSimdThreeSame::fmla),
            Encoding.of("FADD_V_H", "0q001110010mmmmm000101nnnnnddddd", AdvSimdThreeSame::fadd),
            Encoding.of("FMULX_V_H", "0q001110010mmmmm000111nnnnnddddd", AdvSimdThreeSame::fmulx),
            Encoding.of("FCMEQ_V_H", "0q001110010mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmeq),
            Encoding.of("FMAX_V_H", "0q001110010mmmmm001101nnnnnddddd", AdvSimdThreeSame::fmax),
            Encoding.of("FRECPS_V_H", "0q001110010mmmmm001111nnnnnddddd", AdvSimdThreeSame::frecps),
            Encoding.of("FMINNM_V_H", "0q001110110mmmmm000001nnnnnddddd", AdvSimdThreeSame::fminnm),
            Encoding.of("FMLS_V_H", "0q001110110mmmmm000011nnnnnddddd", AdvSimdThreeSame::fmls),
            Encoding.of("FSUB_V_H", "0q001110110mmmmm000101nnnnnddddd", AdvSimdThreeSame::fsub),
            Encoding.of("FMIN_V_H", "0q001110110mmmmm001101nnnnnddddd", AdvSimdThreeSame::fmin),
            Encoding.of("FRSQRTS_V_H", "0q001110110mmmmm001111nnnnnddddd", AdvSimdThreeSame::frsqrts),
            Encoding.of("FMAXNMP_V_H", "0q101110010mmmmm000001nnnnnddddd", AdvSimdThreeSame::fmaxnmp),
            Encoding.of("FADDP_V_H", "0q101110010mmmmm000101nnnnnddddd", AdvSimdThreeSame::faddp),
            Encoding.of("FMUL_V_H", "0q101110010mmmmm000111nnnnnddddd", AdvSimdThreeSame::fmul),
            Encoding.of("FCMGE_V_H", "0q101110010mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmge),
            Encoding.of("FACGE_V_H", "0q101110010mmmmm001011nnnnnddddd", AdvSimdThreeSame::facge),
            Encoding.of("FMAXP_V_H", "0q101110010mmmmm001101nnnnnddddd", AdvSimdThreeSame::fmaxp),
            Encoding.of("FDIV_V_H", "0q101110010mmmmm001111nnnnnddddd", AdvSimdThreeSame::fdiv),
            Encoding.of("FMINNMP_V_H", "0q101110110mmmmm000001nnnnnddddd", AdvSimdThreeSame::fminnmp),
            Encoding.of("FABD_V_H", "0q101110110mmmmm000101nnnnnddddd", AdvSimdThreeSame::fabd),
            Encoding.of("FCMGT_V_H", "0q101110110mmmmm001001nnnnnddddd", AdvSimdThreeSame::fcmgt),
            Encoding.of("FACGT_V_H", "0q101110110mmmmm001011nnnnnddddd", AdvSimdThreeSame::facgt),
            Encoding.of("FMINP_V_H", "0q101110110mmmmm001101nnnnnddddd", AdvSimdThreeSame::fminp),
            // FEAT_FHM: widening half-precision multiply-add into single lanes.
            Encoding.of("FMLAL_V", "0q001110001mmmmm111011nnnnnddddd", AdvSimdThreeSame::fmlal),
            Encoding.of("FMLSL_V", "0q001110101mmmmm111011nnnnnddddd", AdvSimdThreeSame::fmlsl),
            Encoding.of("FMLAL2_V", "0q101110001mmmmm110011nnnnnddddd", AdvSimdThreeSame::fmlal2),
            Encoding.of("FMLSL2_V", "0q101110101mmmmm110011nnnnnddddd", AdvSimdThreeSame::fmlsl2),
            // FEAT_FCMA: complex multiply-accumulate (rotation rr) and add (rotation r).
            Encoding.of("FCMLA_V", "0q101110ss0mmmmm110rr1nnnnnddddd", AdvSimdThreeSame::fcmla),
            Encoding.of("FCADD_V", "0q101110ss0mmmmm111r01nnnnnddddd", AdvSimdThreeSame::fcadd));

    /** An integer lane operation (lanes zero-extended); the Cpu is there for FPSR.QC. */
    @FunctionalInterface
    interface SizedOp extends Vectors.SizedLaneOp {}

    private static boolean q(int word) {
        return ((word >>> 30) & 1) != 0;
    }

    /**
     * Applies a lane operation to Vn and Vm. size 11 with Q=0 (a 1D arrangement) is
     * reserved for all of these; {@code allowD} says whether 2D is valid.
     */
    private static void lanes(Cpu cpu, int word, boolean allowD, SizedOp op) {
        boolean q = q(word);
        int size = (word >>> 22) & 3;
        if (size == 3 && (!q || !allowD)) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = Vectors.mapHalf(cpu, aLo, bLo, esize, low, op);
        long hi = elements > low ? Vectors.mapHalf(cpu, aHi, bHi, esize, elements - low, op) : 0;
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    /** Multiply-accumulate: the accumulator is the old Vd. */
    private static void accumulate(Cpu cpu, int word, SizedOp op) {
        boolean q = q(word);
        int size = (word >>> 22) & 3;
        if (size == 3) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo = accumulateHalf(cpu, aLo, bLo, v[2 * d], esize, op);
        long hi = q ? accumulateHalf(cpu, aHi, bHi, v[2 * d + 1], esize, op) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** Every lane of one half: acc + op(a, b), truncated to the lane. */
    private static long accumulateHalf(Cpu cpu, long a, long b, long acc, int esize, SizedOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int shift = 0; shift < 64; shift += esize) {
            long prod = op.apply(cpu, (a >>> shift) & mask, (b >>> shift) & mask, esize);
            r |= ((((acc >>> shift) & mask) + prod) & mask) << shift;
        }
        return r;
    }

    /** Pairwise: the concatenation Vm:Vn read as pairs of adjacent lanes, n's lanes first. */
    private static void pairwise(Cpu cpu, int word, boolean allowD, SizedOp op) {
        boolean q = q(word);
        int size = (word >>> 22) & 3;
        if (size == 3 && (!q || !allowD)) {
            throw GuestException.undefined();
        }
        pairwiseOfSize(cpu, word, Vectors.esize(size), op);
    }

    private static void pairwiseOfSize(Cpu cpu, int word, int esize, SizedOp op) {
        boolean q = q(word);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo;
        long hi;
        if (esize == 64) {
            lo = op.apply(cpu, aLo, aHi, 64); // 2D: one pair per source register (Q=1, checked by the caller)
            hi = op.apply(cpu, bLo, bHi, 64);
        } else if (q) {
            // 128-bit: the pairs of Vn fill the low half of the result, those of Vm the high.
            lo = pairsHalf(cpu, aLo, esize, 0, op) | pairsHalf(cpu, aHi, esize, 32 / esize, op);
            hi = pairsHalf(cpu, bLo, esize, 0, op) | pairsHalf(cpu, bHi, esize, 32 / esize, op);
        } else {
            lo = pairsHalf(cpu, aLo, esize, 0, op) | pairsHalf(cpu, bLo, esize, 32 / esize, op);
            hi = 0;
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    /**
     * The 32/esize pairs of adjacent lanes (esize &lt; 64) of one 64-bit half, each reduced
     * by {@code op}, placed from result lane {@code first} of a half.
     */
    private static long pairsHalf(Cpu cpu, long x, int esize, int first, SizedOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int p = 0; p < 32 / esize; p++) {
            long value = op.apply(cpu, (x >>> (2 * p * esize)) & mask, (x >>> ((2 * p + 1) * esize)) & mask, esize);
            r |= (value & mask) << ((first + p) * esize);
        }
        return r;
    }

    private static long s(long v, int esize) {
        return Vectors.signExtend(v, esize);
    }

    public static void add(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> a + b);
    }

    public static void sub(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> a - b);
    }

    public static void cmtst(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones((a & b) != 0));
    }

    public static void cmeq(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones(a == b));
    }

    public static void cmgt(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones(s(a, e) > s(b, e)));
    }

    public static void cmge(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones(s(a, e) >= s(b, e)));
    }

    public static void cmhi(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones(Long.compareUnsigned(a, b) > 0));
    }

    public static void cmhs(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> Vectors.ones(Long.compareUnsigned(a, b) >= 0));
    }

    /**
     * SSHL/USHL: shift by the signed low byte of each Vm lane, left if positive, right
     * if negative; shifts of the lane width or more give 0 (or the sign for SSHL right).
     */
    private static long shiftByRegister(long a, long b, int esize, boolean signed) {
        int shift = (byte) b;
        if (shift >= 0) {
            return shift >= esize ? 0 : a << shift;
        }
        int right = -shift;
        if (signed) {
            return s(a, esize) >> Math.min(right, esize - 1);
        }
        return right >= esize ? 0 : a >>> right;
    }

    public static void sshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> shiftByRegister(a, b, e, true));
    }

    public static void ushl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> shiftByRegister(a, b, e, false));
    }

    private static long smaxOp(Cpu c, long a, long b, int e) {
        return s(a, e) >= s(b, e) ? a : b;
    }

    private static long sminOp(Cpu c, long a, long b, int e) {
        return s(a, e) <= s(b, e) ? a : b;
    }

    private static long umaxOp(Cpu c, long a, long b, int e) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long uminOp(Cpu c, long a, long b, int e) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    // SMAX/UMAX/SMIN/UMIN and their pairwise forms have no 64-bit lanes (size 11 reserved).
    public static void smax(Cpu cpu, int word) {
        lanes(cpu, word, false, AdvSimdThreeSame::smaxOp);
    }

    public static void umax(Cpu cpu, int word) {
        lanes(cpu, word, false, AdvSimdThreeSame::umaxOp);
    }

    public static void smin(Cpu cpu, int word) {
        lanes(cpu, word, false, AdvSimdThreeSame::sminOp);
    }

    public static void umin(Cpu cpu, int word) {
        lanes(cpu, word, false, AdvSimdThreeSame::uminOp);
    }

    public static void smaxp(Cpu cpu, int word) {
        pairwise(cpu, word, false, AdvSimdThreeSame::smaxOp);
    }

    public static void umaxp(Cpu cpu, int word) {
        pairwise(cpu, word, false, AdvSimdThreeSame::umaxOp);
    }

    public static void sminp(Cpu cpu, int word) {
        pairwise(cpu, word, false, AdvSimdThreeSame::sminOp);
    }

    public static void uminp(Cpu cpu, int word) {
        pairwise(cpu, word, false, AdvSimdThreeSame::uminOp);
    }

    public static void addp(Cpu cpu, int word) {
        pairwise(cpu, word, true, (c, a, b, e) -> a + b);
    }

    /** SQADD/UQADD/SQSUB/UQSUB: the exact sum or difference, saturated (SimdInt). */
    private static long saturatingAdd(Cpu cpu, long a, long b, int e, boolean signed, boolean subtract) {
        if (signed) {
            return subtract ? SimdInt.subSigned(cpu, s(a, e), s(b, e), e) : SimdInt.addSigned(cpu, s(a, e), s(b, e), e);
        }
        if (subtract) {
            if (Long.compareUnsigned(a, b) < 0) {
                cpu.fpsr |= Fp.FPSR_QC;
                return 0;
            }
            return a - b;
        }
        long r = a + b;
        if (Long.compareUnsigned(r & Vectors.mask(e), a) < 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return Vectors.mask(e);
        }
        return r;
    }

    public static void sqadd(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> saturatingAdd(c, a, b, e, true, false));
    }

    public static void uqadd(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> saturatingAdd(c, a, b, e, false, false));
    }

    public static void sqsub(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> saturatingAdd(c, a, b, e, true, true));
    }

    public static void uqsub(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> saturatingAdd(c, a, b, e, false, true));
    }

    /** The halving adds: (a + b [+ 1]) >> 1 computed without losing the carry (no 64-bit lanes). */
    private static long halvingAdd(long a, long b, int e, boolean signed, boolean round) {
        long x = signed ? s(a, e) : a;
        long y = signed ? s(b, e) : b;
        return (x + y + (round ? 1 : 0)) >> 1;
    }

    public static void shadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> halvingAdd(a, b, e, true, false));
    }

    public static void uhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> halvingAdd(a, b, e, false, false));
    }

    public static void srhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> halvingAdd(a, b, e, true, true));
    }

    public static void urhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> halvingAdd(a, b, e, false, true));
    }

    public static void mul(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> a * b);
    }

    public static void mla(Cpu cpu, int word) {
        accumulate(cpu, word, (c, a, b, e) -> a * b);
    }

    public static void mls(Cpu cpu, int word) {
        accumulate(cpu, word, (c, a, b, e) -> -(a * b));
    }

    // ---- bitwise: whole registers, size selects the operation ---------------------------------

    @FunctionalInterface
    interface BitwiseOp {
        long apply(long d, long n, long m);
    }

    private static void bitwise(Cpu cpu, int word, BitwiseOp op) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long lo = op.apply(cpu.v[2 * d], cpu.v[2 * n], cpu.v[2 * m]);
        long hi = q(word) ? op.apply(cpu.v[2 * d + 1], cpu.v[2 * n + 1], cpu.v[2 * m + 1]) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    public static void and(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> n & m);
    }

    public static void bic(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> n & ~m);
    }

    public static void orr(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> n | m);
    }

    public static void orn(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> n | ~m);
    }

    public static void eor(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> n ^ m);
    }

    /** BSL: Vd selects, bit by bit, Vn where set and Vm where clear. */
    public static void bsl(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> (n & d) | (m & ~d));
    }

    /** BIT: insert Vn's bits where Vm is set. */
    public static void bit(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> (d & ~m) | (n & m));
    }

    /** BIF: insert Vn's bits where Vm is clear. */
    public static void bif(Cpu cpu, int word) {
        bitwise(cpu, word, (d, n, m) -> (d & m) | (n & ~m));
    }

    // ---- floating point: sz (bit 22) selects S or D lanes; 1D (sz=1, Q=0) is reserved --------------

    @FunctionalInterface
    interface FpOp {
        long apply(Cpu cpu, int esize, long a, long b);
    }

    static int fpSize(int word) {
        if (((word >>> 21) & 1) == 0) {
            return 16; // "three same (FP16)": a 1 0 in bits 23:21 (FEAT_FP16)
        }
        boolean sz = ((word >>> 22) & 1) != 0;
        if (sz && !q(word)) {
            throw GuestException.undefined();
        }
        return sz ? 64 : 32;
    }

    private static void fpLanes(Cpu cpu, int word, FpOp op) {
        int esize = fpSize(word);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        int elements = Vectors.elements(word, esize);
        int low = Vectors.lowLanes(elements, esize);
        long lo = fpHalf(cpu, aLo, bLo, esize, low, op);
        long hi = elements > low ? fpHalf(cpu, aHi, bHi, esize, elements - low, op) : 0;
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    /** {@code op} on the first {@code count} lanes of two 64-bit halves, the rest zero. */
    private static long fpHalf(Cpu cpu, long a, long b, int esize, int count, FpOp op) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int j = 0, shift = 0; j < count; j++, shift += esize) {
            r |= (op.apply(cpu, esize, (a >>> shift) & mask, (b >>> shift) & mask) & mask) << shift;
        }
        return r;
    }

    public static void fadd(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::add);
    }

    public static void fsub(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::sub);
    }

    public static void fmul(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::mul);
    }

    public static void fdiv(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::div);
    }

    /** FABD: the absolute value of the rounded difference (ARM ARM: FPAbs(FPSub(...))). */
    public static void fabd(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Fp.abs(Fp.sub(c, e, a, b), e));
    }

    public static void fmax(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, true));
    }

    public static void fmin(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, false));
    }

    public static void fmaxnm(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, true));
    }

    public static void fminnm(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, false));
    }

    private static void fpPairwise(Cpu cpu, int word, SizedOp op) {
        pairwiseOfSize(cpu, word, fpSize(word), op);
    }

    public static void fmaxnmp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, a, b, e) -> Fp.maxNum(c, e, a, b, true));
    }

    public static void fminnmp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, a, b, e) -> Fp.maxNum(c, e, a, b, false));
    }

    public static void fmaxp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, a, b, e) -> Fp.max(c, e, a, b, true));
    }

    public static void fminp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, a, b, e) -> Fp.max(c, e, a, b, false));
    }

    public static void fcmeq(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Vectors.ones(Fp.compareQuiet(c, e, a, b, 0, false)));
    }

    public static void fcmge(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Vectors.ones(Fp.compareQuiet(c, e, a, b, 1, true)));
    }

    public static void fcmgt(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Vectors.ones(Fp.compareQuiet(c, e, a, b, 2, true)));
    }

    public static void faddp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, a, b, e) -> Fp.add(c, e, a, b));
    }

    private static void fusedAccumulate(Cpu cpu, int word, boolean negate) {
        int esize = fpSize(word);
        boolean q = q(word);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo = fusedHalf(cpu, aLo, bLo, v[2 * d], esize, negate);
        long hi = q ? fusedHalf(cpu, aHi, bHi, v[2 * d + 1], esize, negate) : 0;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** Every lane of one half: acc + (-)a * b fused (FPMulAdd). */
    private static long fusedHalf(Cpu cpu, long a, long b, long acc, int esize, boolean negate) {
        long mask = Vectors.mask(esize);
        long r = 0;
        for (int shift = 0; shift < 64; shift += esize) {
            long x = (a >>> shift) & mask;
            long value = Fp.mulAdd(cpu, esize, (acc >>> shift) & mask, negate ? Fp.neg(x, esize) : x, (b >>> shift) & mask);
            r |= (value & mask) << shift;
        }
        return r;
    }

    /** FMLA: Vd + Vn*Vm fused. */
    public static void fmla(Cpu cpu, int word) {
        fusedAccumulate(cpu, word, false);
    }

    /** FMLS: Vd + (-Vn)*Vm fused. */
    public static void fmls(Cpu cpu, int word) {
        fusedAccumulate(cpu, word, true);
    }

    // ---- halving subtract, saturating and rounding shifts, absolute difference -----------------------

    public static void shsub(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> (s(a, e) - s(b, e)) >> 1);
    }

    public static void uhsub(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> (a - b) >> 1);
    }

    // [S|U][Q][R]SHL: shift by the signed low byte of each Vm lane (SimdInt.shiftByRegister).

    public static void sqshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, s(a, e), (byte) b, e, false, false, true));
    }

    public static void uqshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, a, (byte) b, e, true, false, true));
    }

    public static void srshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, s(a, e), (byte) b, e, false, true, false));
    }

    public static void urshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, a, (byte) b, e, true, true, false));
    }

    public static void sqrshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, s(a, e), (byte) b, e, false, true, true));
    }

    public static void uqrshl(Cpu cpu, int word) {
        lanes(cpu, word, true, (c, a, b, e) -> SimdInt.shiftByRegister(c, a, (byte) b, e, true, true, true));
    }

    public static void sabd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> SimdInt.absDiff(s(a, e), s(b, e)));
    }

    public static void uabd(Cpu cpu, int word) {
        lanes(cpu, word, false, (c, a, b, e) -> SimdInt.absDiff(a, b));
    }

    public static void saba(Cpu cpu, int word) {
        accumulate(cpu, word, (c, a, b, e) -> SimdInt.absDiff(s(a, e), s(b, e)));
    }

    public static void uaba(Cpu cpu, int word) {
        accumulate(cpu, word, (c, a, b, e) -> SimdInt.absDiff(a, b));
    }

    /** PMUL: polynomial multiply of bytes; only size 00 is allocated. */
    public static void pmul(Cpu cpu, int word) {
        if (((word >>> 22) & 3) != 0) {
            throw GuestException.undefined();
        }
        lanes(cpu, word, false, (c, a, b, e) -> SimdInt.polyMul(a, b, 8));
    }

    /** The doubling multiplies exist for 16- and 32-bit elements only. */
    private static void checkHalfOrSingle(int word) {
        int size = (word >>> 22) & 3;
        if (size == 0 || size == 3) {
            throw GuestException.undefined();
        }
    }

    public static void sqdmulh(Cpu cpu, int word) {
        checkHalfOrSingle(word);
        lanes(cpu, word, false, (c, a, b, e) -> SimdInt.doublingMultiplyHigh(c, s(a, e), s(b, e), e, false));
    }

    public static void sqrdmulh(Cpu cpu, int word) {
        checkHalfOrSingle(word);
        lanes(cpu, word, false, (c, a, b, e) -> SimdInt.doublingMultiplyHigh(c, s(a, e), s(b, e), e, true));
    }

    /** SQRDMLAH/SQRDMLSH (FEAT_RDM): the accumulator is the old Vd. */
    private static void roundingDoublingAccumulate(Cpu cpu, int word, boolean subtract) {
        checkHalfOrSingle(word);
        int esize = Vectors.esize((word >>> 22) & 3);
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long accLo = v[2 * d];
        long accHi = v[2 * d + 1];
        int perHalf = 64 / esize;
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < Vectors.elements(word, esize); i++) {
            long value = SimdInt.roundingDoublingMultiplyAccumulateHigh(cpu,
                    Vectors.laneSigned(accLo, accHi, i, esize), Vectors.laneSigned(aLo, aHi, i, esize),
                    Vectors.laneSigned(bLo, bHi, i, esize), esize, subtract);
            if (i < perHalf) {
                lo = Vectors.withLane(lo, i, esize, value);
            } else {
                hi = Vectors.withLane(hi, i - perHalf, esize, value);
            }
        }
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    public static void sqrdmlah(Cpu cpu, int word) {
        roundingDoublingAccumulate(cpu, word, false);
    }

    public static void sqrdmlsh(Cpu cpu, int word) {
        roundingDoublingAccumulate(cpu, word, true);
    }

    /**
     * SDOT/UDOT (FEAT_DotProd): each 32-bit lane of Vd accumulates the four products of
     * the corresponding bytes of Vn and Vm (or of the Vm group {@code mIndex}, by element).
     */
    static void dot(Cpu cpu, int word, boolean signed, int mIndex) {
        if (((word >>> 22) & 3) != 2) {
            throw GuestException.undefined();
        }
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo = v[2 * d];
        long hi = v[2 * d + 1];
        boolean q = q(word);
        for (int i = 0; i < Vectors.lanes(q, 32); i++) {
            long sum = i < 2 ? Vectors.laneOf(lo, i, 32) : Vectors.laneOf(hi, i - 2, 32);
            int group = mIndex < 0 ? i : mIndex;
            for (int k = 0; k < 4; k++) {
                long x = Vectors.lane(aLo, aHi, 4 * i + k, 8);
                long y = Vectors.lane(bLo, bHi, 4 * group + k, 8);
                if (signed) {
                    x = Vectors.signExtend(x, 8);
                    y = Vectors.signExtend(y, 8);
                }
                sum += x * y;
            }
            if (i < 2) {
                lo = Vectors.withLane(lo, i, 32, sum);
            } else {
                hi = Vectors.withLane(hi, i - 2, 32, sum);
            }
        }
        Vectors.writeQ(cpu, d, lo, q ? hi : 0);
        cpu.pc += 4;
    }

    public static void sdot(Cpu cpu, int word) {
        dot(cpu, word, true, -1);
    }

    public static void udot(Cpu cpu, int word) {
        dot(cpu, word, false, -1);
    }

    // ---- FMULX, reciprocal steps, absolute compares -------------------------------------------------

    public static void fmulx(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::mulX);
    }

    public static void frecps(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::recipStep);
    }

    public static void frsqrts(Cpu cpu, int word) {
        fpLanes(cpu, word, Fp::rsqrtStep);
    }

    /** FACGE: |Vn| >= |Vm|. */
    public static void facge(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Vectors.ones(Fp.compareQuiet(c, e, Fp.abs(a, e), Fp.abs(b, e), 1, true)));
    }

    public static void facgt(Cpu cpu, int word) {
        fpLanes(cpu, word, (c, e, a, b) -> Vectors.ones(Fp.compareQuiet(c, e, Fp.abs(a, e), Fp.abs(b, e), 2, true)));
    }

    // ---- FEAT_FCMA -----------------------------------------------------------------------------------

    /**
     * The complex-number element size: half (size 01, FEAT_FP16), single (10) or double
     * (11, Q=1 only); size 00 is reserved.
     */
    static int complexSize(int word) {
        int size = (word >>> 22) & 3;
        if (size == 0 || (size == 3 && !q(word))) {
            throw GuestException.undefined();
        }
        return Vectors.esize(size);
    }

    /**
     * FCMLA (vector and by element, ARM ARM C7.2): each complex pair (real at even,
     * imaginary at odd lanes) of Vd accumulates one half of the product of Vn's pair
     * and Vm's pair {@code mPair} (or the same pair, when negative) rotated by
     * rot * 90 degrees: two fused multiply-adds per pair.
     */
    static void complexMultiplyAccumulate(Cpu cpu, int word, int rot, int esize, int mPair) {
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo = v[2 * d];
        long hi = v[2 * d + 1];
        int perHalf = 64 / esize;
        for (int e = 0; e < Vectors.lanes(q(word), esize) / 2; e++) {
            int pair = mPair < 0 ? e : mPair;
            long bRe = Vectors.lane(bLo, bHi, 2 * pair, esize);
            long bIm = Vectors.lane(bLo, bHi, 2 * pair + 1, esize);
            long aRe = Vectors.lane(aLo, aHi, 2 * e, esize);
            long aIm = Vectors.lane(aLo, aHi, 2 * e + 1, esize);
            long element1;
            long element2;
            long element3;
            long element4;
            switch (rot) {
                case 0 -> { element1 = bRe; element2 = aRe; element3 = bIm; element4 = aRe; }
                case 1 -> { element1 = Fp.neg(bIm, esize); element2 = aIm; element3 = bRe; element4 = aIm; }
                case 2 -> { element1 = Fp.neg(bRe, esize); element2 = aRe; element3 = Fp.neg(bIm, esize); element4 = aRe; }
                default -> { element1 = bIm; element2 = aIm; element3 = Fp.neg(bRe, esize); element4 = aIm; }
            }
            int re = 2 * e;
            int im = 2 * e + 1;
            long reValue = Fp.mulAdd(cpu, esize, Vectors.lane(lo, hi, re, esize), element2, element1);
            long imValue = Fp.mulAdd(cpu, esize, Vectors.lane(lo, hi, im, esize), element4, element3);
            // With 64-bit lanes the real part is in the low half and the imaginary in the high.
            if (re < perHalf) {
                lo = Vectors.withLane(lo, re, esize, reValue);
            } else {
                hi = Vectors.withLane(hi, re - perHalf, esize, reValue);
            }
            if (im < perHalf) {
                lo = Vectors.withLane(lo, im, esize, imValue);
            } else {
                hi = Vectors.withLane(hi, im - perHalf, esize, imValue);
            }
        }
        Vectors.writeQ(cpu, d, lo, q(word) ? hi : 0);
        cpu.pc += 4;
    }

    public static void fcmla(Cpu cpu, int word) {
        complexMultiplyAccumulate(cpu, word, (word >>> 11) & 3, complexSize(word), -1);
    }

    /** FCADD: Vn plus Vm rotated by 90 (rot 0) or 270 (rot 1) degrees. */
    public static void fcadd(Cpu cpu, int word) {
        int esize = complexSize(word);
        boolean rot270 = ((word >>> 12) & 1) != 0;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        int perHalf = 64 / esize;
        long lo = 0;
        long hi = 0;
        for (int e = 0; e < Vectors.lanes(q(word), esize) / 2; e++) {
            long bRe = Vectors.lane(bLo, bHi, 2 * e, esize);
            long bIm = Vectors.lane(bLo, bHi, 2 * e + 1, esize);
            long element1 = rot270 ? bIm : Fp.neg(bIm, esize);
            long element3 = rot270 ? Fp.neg(bRe, esize) : bRe;
            long reValue = Fp.add(cpu, esize, Vectors.lane(aLo, aHi, 2 * e, esize), element1);
            long imValue = Fp.add(cpu, esize, Vectors.lane(aLo, aHi, 2 * e + 1, esize), element3);
            for (int i = 2 * e; i <= 2 * e + 1; i++) {
                long value = i == 2 * e ? reValue : imValue;
                if (i < perHalf) {
                    lo = Vectors.withLane(lo, i, esize, value);
                } else {
                    hi = Vectors.withLane(hi, i - perHalf, esize, value);
                }
            }
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    // ---- FEAT_FHM ------------------------------------------------------------------------------------

    /**
     * FMLAL/FMLSL(2) (vector and by element): each single lane of Vd accumulates the
     * product of half-precision elements of the lower (or, for the "2" forms, upper)
     * half of the 64- or 32-bit source parts, op1 negated for FMLSL. {@code mIndex} is
     * the Vm element for the by-element forms, or -1.
     */
    static void widenMultiplyAccumulate(Cpu cpu, int word, boolean upperPart, boolean subtract, int mIndex) {
        boolean q = q(word);
        int elements = q ? 4 : 2;
        int offset = upperPart ? elements : 0;
        int n = (word >>> 5) & 31;
        int m = mIndex < 0 ? (word >>> 16) & 31 : (word >>> 16) & 15;
        int d = word & 31;
        long[] v = cpu.v;
        long aLo = v[2 * n];
        long aHi = v[2 * n + 1];
        long bLo = v[2 * m];
        long bHi = v[2 * m + 1];
        long lo = v[2 * d];
        long hi = v[2 * d + 1];
        for (int e = 0; e < elements; e++) {
            long x = Vectors.lane(aLo, aHi, offset + e, 16);
            long y = mIndex < 0 ? Vectors.lane(bLo, bHi, offset + e, 16) : Vectors.lane(bLo, bHi, mIndex, 16);
            if (subtract) {
                x = Fp.neg(x, 16);
            }
            if (e < 2) {
                lo = Vectors.withLane(lo, e, 32, Fp.mulAddHalfToSingle(cpu, Vectors.laneOf(lo, e, 32), x, y));
            } else {
                hi = Vectors.withLane(hi, e - 2, 32, Fp.mulAddHalfToSingle(cpu, Vectors.laneOf(hi, e - 2, 32), x, y));
            }
        }
        Vectors.writeQ(cpu, d, lo, q ? hi : 0);
        cpu.pc += 4;
    }

    public static void fmlal(Cpu cpu, int word) {
        widenMultiplyAccumulate(cpu, word, false, false, -1);
    }

    public static void fmlsl(Cpu cpu, int word) {
        widenMultiplyAccumulate(cpu, word, false, true, -1);
    }

    public static void fmlal2(Cpu cpu, int word) {
        widenMultiplyAccumulate(cpu, word, true, false, -1);
    }

    public static void fmlsl2(Cpu cpu, int word) {
        widenMultiplyAccumulate(cpu, word, true, true, -1);
    }
}
