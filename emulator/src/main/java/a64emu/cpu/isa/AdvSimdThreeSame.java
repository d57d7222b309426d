package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD three same (ARM ARM C4.1.6, "0 Q U 01110 size 1 Rm opcode 1 Rn Rd"):
 * lane-wise integer arithmetic, compares, min/max and their pairwise forms, the
 * bitwise operations (size selects the operation), and the vector floating-point
 * arithmetic and compares (size<0> = sz selects single or double).
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
            Encoding.of("FDIV_V", "0q1011100z1mmmmm111111nnnnnddddd", AdvSimdThreeSame::fdiv));

    /** An integer lane operation that may depend on the element size. */
    @FunctionalInterface
    interface SizedOp {
        long apply(long a, long b, int esize);
    }

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
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        Vectors.write(cpu, word & 31, Vectors.map(a, b, esize, Vectors.elements(word, esize),
                (x, y) -> op.apply(x, y, esize)), Vectors.fullWidth(word));
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
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        long[] acc = Vectors.read(cpu, word & 31);
        long[] r = new long[2];
        for (int i = 0; i < Vectors.lanes(q, esize); i++) {
            long prod = op.apply(Vectors.get(a, i, esize), Vectors.get(b, i, esize), esize);
            Vectors.set(r, i, esize, Vectors.get(acc, i, esize) + prod);
        }
        Vectors.write(cpu, word & 31, r, q);
        cpu.pc += 4;
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
        int lanes = Vectors.lanes(q, esize);
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        long[] r = new long[2];
        for (int i = 0; i < lanes; i++) {
            long[] src = i < lanes / 2 ? a : b;
            int j = 2 * (i % (lanes / 2));
            Vectors.set(r, i, esize, op.apply(Vectors.get(src, j, esize), Vectors.get(src, j + 1, esize), esize));
        }
        Vectors.write(cpu, word & 31, r, q);
        cpu.pc += 4;
    }

    private static long s(long v, int esize) {
        return Vectors.signExtend(v, esize);
    }

    public static void add(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> a + b);
    }

    public static void sub(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> a - b);
    }

    public static void cmtst(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones((a & b) != 0));
    }

    public static void cmeq(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones(a == b));
    }

    public static void cmgt(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones(s(a, e) > s(b, e)));
    }

    public static void cmge(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones(s(a, e) >= s(b, e)));
    }

    public static void cmhi(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones(Long.compareUnsigned(a, b) > 0));
    }

    public static void cmhs(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> Vectors.ones(Long.compareUnsigned(a, b) >= 0));
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
        lanes(cpu, word, true, (a, b, e) -> shiftByRegister(a, b, e, true));
    }

    public static void ushl(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> shiftByRegister(a, b, e, false));
    }

    private static long smaxOp(long a, long b, int e) {
        return s(a, e) >= s(b, e) ? a : b;
    }

    private static long sminOp(long a, long b, int e) {
        return s(a, e) <= s(b, e) ? a : b;
    }

    private static long umaxOp(long a, long b, int e) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long uminOp(long a, long b, int e) {
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
        pairwise(cpu, word, true, (a, b, e) -> a + b);
    }

    /** Signed saturation of an exact result to esize bits; sets FPSR.QC when it clips. */
    static long saturateSigned(Cpu cpu, long value, int esize) {
        long max = Vectors.mask(esize) >>> 1;
        long min = -max - 1;
        if (value > max || value < min) {
            cpu.fpsr |= Fp.FPSR_QC;
            return value > max ? max : min;
        }
        return value;
    }

    private static long saturatingAdd(Cpu cpu, long a, long b, int e, boolean signed, boolean subtract) {
        if (signed) {
            long x = s(a, e);
            long y = s(b, e);
            if (e < 64) {
                return saturateSigned(cpu, subtract ? x - y : x + y, e);
            }
            long r = subtract ? x - y : x + y;
            boolean overflow = subtract ? ((x ^ y) & (x ^ r)) < 0 : ((x ^ r) & (y ^ r)) < 0;
            if (overflow) {
                cpu.fpsr |= Fp.FPSR_QC;
                return x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            return r;
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
        lanes(cpu, word, true, (a, b, e) -> saturatingAdd(cpu, a, b, e, true, false));
    }

    public static void uqadd(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> saturatingAdd(cpu, a, b, e, false, false));
    }

    public static void sqsub(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> saturatingAdd(cpu, a, b, e, true, true));
    }

    public static void uqsub(Cpu cpu, int word) {
        lanes(cpu, word, true, (a, b, e) -> saturatingAdd(cpu, a, b, e, false, true));
    }

    /** The halving adds: (a + b [+ 1]) >> 1 computed without losing the carry (no 64-bit lanes). */
    private static long halvingAdd(long a, long b, int e, boolean signed, boolean round) {
        long x = signed ? s(a, e) : a;
        long y = signed ? s(b, e) : b;
        return (x + y + (round ? 1 : 0)) >> 1;
    }

    public static void shadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (a, b, e) -> halvingAdd(a, b, e, true, false));
    }

    public static void uhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (a, b, e) -> halvingAdd(a, b, e, false, false));
    }

    public static void srhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (a, b, e) -> halvingAdd(a, b, e, true, true));
    }

    public static void urhadd(Cpu cpu, int word) {
        lanes(cpu, word, false, (a, b, e) -> halvingAdd(a, b, e, false, true));
    }

    public static void mul(Cpu cpu, int word) {
        lanes(cpu, word, false, (a, b, e) -> a * b);
    }

    public static void mla(Cpu cpu, int word) {
        accumulate(cpu, word, (a, b, e) -> a * b);
    }

    public static void mls(Cpu cpu, int word) {
        accumulate(cpu, word, (a, b, e) -> -(a * b));
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
        long hi = op.apply(cpu.v[2 * d + 1], cpu.v[2 * n + 1], cpu.v[2 * m + 1]);
        Vectors.write(cpu, d, new long[] {lo, hi}, q(word));
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
        boolean sz = ((word >>> 22) & 1) != 0;
        if (sz && !q(word)) {
            throw GuestException.undefined();
        }
        return sz ? 64 : 32;
    }

    private static void fpLanes(Cpu cpu, int word, FpOp op) {
        int esize = fpSize(word);
        boolean q = q(word);
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        Vectors.write(cpu, word & 31, Vectors.map(a, b, esize, Vectors.elements(word, esize),
                (x, y) -> op.apply(cpu, esize, x, y)), Vectors.fullWidth(word));
        cpu.pc += 4;
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

    private static void fpPairwise(Cpu cpu, int word, FpOp op) {
        int esize = fpSize(word);
        pairwiseOfSize(cpu, word, esize, (a, b, e) -> op.apply(cpu, esize, a, b));
    }

    public static void fmaxnmp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, true));
    }

    public static void fminnmp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, e, a, b) -> Fp.maxNum(c, e, a, b, false));
    }

    public static void fmaxp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, true));
    }

    public static void fminp(Cpu cpu, int word) {
        fpPairwise(cpu, word, (c, e, a, b) -> Fp.max(c, e, a, b, false));
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
        fpPairwise(cpu, word, Fp::add);
    }

    private static void fusedAccumulate(Cpu cpu, int word, boolean negate) {
        int esize = fpSize(word);
        boolean q = q(word);
        long[] a = Vectors.read(cpu, (word >>> 5) & 31);
        long[] b = Vectors.read(cpu, (word >>> 16) & 31);
        long[] acc = Vectors.read(cpu, word & 31);
        long[] r = new long[2];
        for (int i = 0; i < Vectors.lanes(q, esize); i++) {
            long x = Vectors.get(a, i, esize);
            Vectors.set(r, i, esize, Fp.mulAdd(cpu, esize, Vectors.get(acc, i, esize),
                    negate ? Fp.neg(x, esize) : x, Vectors.get(b, i, esize)));
        }
        Vectors.write(cpu, word & 31, r, q);
        cpu.pc += 4;
    }

    /** FMLA: Vd + Vn*Vm fused. */
    public static void fmla(Cpu cpu, int word) {
        fusedAccumulate(cpu, word, false);
    }

    /** FMLS: Vd + (-Vn)*Vm fused. */
    public static void fmls(Cpu cpu, int word) {
        fusedAccumulate(cpu, word, true);
    }
}
