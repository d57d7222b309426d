package a64emu.cpu.isa;

import a64emu.cpu.Cpu;

import java.math.BigDecimal;

/**
 * IEEE 754 arithmetic as the ARM ARM's FP pseudocode library defines it (ARM ARM
 * J1.1, shared/functions/float): FPCR-controlled rounding, NaN propagation, default
 * NaN, flush-to-zero and the FPSR cumulative exception flags.
 *
 * <p>Values travel as raw bit patterns of {@code esize} bits (16, 32 or 64). Each
 * operation computes the double nearest to the exact result (Java's arithmetic is
 * round-to-nearest-even) together with the sign of the remaining error, obtained
 * exactly from an FMA residual, TwoSum or BigDecimal; {@link #round} then rounds that
 * to the destination format in the FPCR rounding mode. Knowing the error sign makes the
 * second rounding (double to single or half) and the directed modes exact.
 */
public final class Fp {
    private Fp() {}

    // ---- FPCR (ARM ARM D17.2.46) ----------------------------------------------------------
    public static final long FPCR_AHP = 1L << 26;
    public static final long FPCR_DN = 1L << 25;
    public static final long FPCR_FZ = 1L << 24;
    /** FEAT_FP16: flush half-precision denormals to zero (ARM ARM FPCR.FZ16). */
    public static final long FPCR_FZ16 = 1L << 19;
    public static final int FPCR_RMODE_SHIFT = 22;

    // ---- FPSR cumulative flags (ARM ARM D17.2.51) -------------------------------------------
    public static final long FPSR_IOC = 1;
    public static final long FPSR_DZC = 1 << 1;
    public static final long FPSR_OFC = 1 << 2;
    public static final long FPSR_UFC = 1 << 3;
    public static final long FPSR_IXC = 1 << 4;
    public static final long FPSR_IDC = 1 << 7;
    /** Cumulative saturation (Advanced SIMD saturating arithmetic). */
    public static final long FPSR_QC = 1L << 27;

    // ---- rounding modes: FPCR.RMode values, plus ties-away used by FCVTA*/FRINTA ------------
    public static final int RN = 0;
    public static final int RP = 1;
    public static final int RM = 2;
    public static final int RZ = 3;
    public static final int RA = 4;

    public static int rmode(Cpu cpu) {
        return (int) (cpu.fpcr >>> FPCR_RMODE_SHIFT) & 3;
    }

    // ---- format facts ------------------------------------------------------------------------

    public static long signBit(int esize) {
        return 1L << (esize - 1);
    }

    private static int fracBits(int esize) {
        return esize == 64 ? 52 : esize == 32 ? 23 : 10;
    }

    private static long expMask(int esize) {
        int f = fracBits(esize);
        return ((1L << (esize - 1 - f)) - 1) << f;
    }

    /** 2^(E-1) - 1 for an exponent field of E bits: 1023, 127 or 15. */
    private static int exponentBias(int esize) {
        return (1 << (esize - 1 - fracBits(esize) - 1)) - 1;
    }

    private static long fracMask(int esize) {
        return (1L << fracBits(esize)) - 1;
    }

    public static boolean isNaN(long bits, int esize) {
        return (bits & expMask(esize)) == expMask(esize) && (bits & fracMask(esize)) != 0;
    }

    /** A signalling NaN has the most significant fraction bit clear (ARM ARM FPUnpack). */
    public static boolean isSignallingNaN(long bits, int esize) {
        return isNaN(bits, esize) && (bits & quietBit(esize)) == 0;
    }

    private static long quietBit(int esize) {
        return 1L << (fracBits(esize) - 1);
    }

    private static boolean isDenormal(long bits, int esize) {
        return (bits & expMask(esize)) == 0 && (bits & fracMask(esize)) != 0;
    }

    /** FPDefaultNaN: positive, quiet, zero payload. */
    public static long defaultNaN(int esize) {
        return expMask(esize) | quietBit(esize);
    }

    public static long infinity(int esize, boolean negative) {
        return expMask(esize) | (negative ? signBit(esize) : 0);
    }

    private static long maxNormal(int esize, boolean negative) {
        return (expMask(esize) - (1L << fracBits(esize))) | fracMask(esize) | (negative ? signBit(esize) : 0);
    }

    private static double minNormal(int esize) {
        return esize == 64 ? Double.MIN_NORMAL : esize == 32 ? Float.MIN_NORMAL : 0x1p-14;
    }

    public static double toDouble(long bits, int esize) {
        switch (esize) {
            case 64:
                return Double.longBitsToDouble(bits);
            case 32:
                return Float.intBitsToFloat((int) bits);
            default:
                return halfToDouble((int) bits & 0xFFFF);
        }
    }

    /** The bits of {@code v}, which must be representable in the format. */
    public static long bits(double v, int esize) {
        switch (esize) {
            case 64:
                return Double.doubleToRawLongBits(v);
            case 32:
                return Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
            default:
                return halfBits(v);
        }
    }

    private static double halfToDouble(int h) {
        double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
        int exp = (h >>> 10) & 0x1F;
        int frac = h & 0x3FF;
        if (exp == 0) {
            return sign * frac * 0x1p-24;
        }
        if (exp == 31) {
            return frac == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * Math.scalb((double) (1024 + frac), exp - 25);
    }

    private static long halfBits(double v) {
        long sign = (Double.doubleToRawLongBits(v) < 0) ? 0x8000 : 0;
        double a = Math.abs(v);
        if (Double.isInfinite(a)) {
            return sign | 0x7C00;
        }
        if (a < 0x1p-14) {
            return sign | (long) (a * 0x1p24);
        }
        int e = Math.getExponent(a);
        return sign | ((long) (e + 15) << 10) | ((long) Math.scalb(a, 10 - e) - 1024);
    }

    /**
     * The 29 fraction bits a double has beyond a float's 23: a normal double is exactly
     * halfway between two adjacent normal floats when they read 1000...0.
     */
    private static final long FLOAT_MIDPOINT_MASK = (1L << 29) - 1;
    private static final long FLOAT_MIDPOINT = 1L << 28;

    /** Round-to-nearest-even of {@code d} to the format, as a double. */
    private static double nearest(double d, int esize) {
        switch (esize) {
            case 64:
                return d;
            case 32:
                return (float) d;
            default:
                double a = Math.abs(d);
                if (a >= 65520.0) {
                    return Math.copySign(Double.POSITIVE_INFINITY, d);
                }
                int e = Math.max(Math.getExponent(a), -14);
                return Math.copySign(Math.scalb(Math.rint(Math.scalb(a, 10 - e)), e - 10), d);
        }
    }

    private static double nextUp(double v, int esize) {
        switch (esize) {
            case 64:
                return Math.nextUp(v);
            case 32:
                return Math.nextUp((float) v);
            default:
                if (v == 0) {
                    return 0x1p-24;
                }
                if (Double.isInfinite(v)) {
                    return v > 0 ? v : -65504.0;
                }
                long b = halfBits(v);
                return halfToDouble((int) (v > 0 ? b + 1 : b - 1));
        }
    }

    private static double nextDown(double v, int esize) {
        return -nextUp(-v, esize);
    }

    // ---- NaNs and flushing ---------------------------------------------------------------

    /** FPProcessNaN: quiets a signalling NaN (IOC), or returns the default NaN under FPCR.DN. */
    public static long processNaN(Cpu cpu, long nan, int esize) {
        if (isSignallingNaN(nan, esize)) {
            cpu.fpsr |= FPSR_IOC;
            nan |= quietBit(esize);
        }
        return (cpu.fpcr & FPCR_DN) != 0 ? defaultNaN(esize) : nan;
    }

    /** FPProcessNaNs: signalling NaNs first, then quiet ones, each in operand order. */
    public static long processNaNs(Cpu cpu, int esize, long a, long b) {
        if (isSignallingNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        if (isSignallingNaN(b, esize)) {
            return processNaN(cpu, b, esize);
        }
        return processNaN(cpu, isNaN(a, esize) ? a : b, esize);
    }

    private static long processNaNs3(Cpu cpu, int esize, long a, long b, long c) {
        long nan;
        if (isSignallingNaN(a, esize)) {
            nan = a;
        } else if (isSignallingNaN(b, esize)) {
            nan = b;
        } else if (isSignallingNaN(c, esize)) {
            nan = c;
        } else if (isNaN(a, esize)) {
            nan = a;
        } else if (isNaN(b, esize)) {
            nan = b;
        } else if (isNaN(c, esize)) {
            nan = c;
        } else {
            throw new IllegalStateException("no NaN operand");
        }
        return processNaN(cpu, nan, esize);
    }

    /**
     * FPUnpack under FPCR.FZ: a single/double denormal input is read as zero (IDC); a
     * half-precision one under FPCR.FZ16, without IDC (ARM ARM FPUnpackBase).
     */
    public static long flushIn(Cpu cpu, long bits, int esize) {
        if (esize == 16) {
            return (cpu.fpcr & FPCR_FZ16) != 0 && isDenormal(bits, 16) ? bits & signBit(16) : bits;
        }
        if ((cpu.fpcr & FPCR_FZ) != 0 && isDenormal(bits, esize)) {
            cpu.fpsr |= FPSR_IDC;
            return bits & signBit(esize);
        }
        return bits;
    }

    /** FPUnpackCV: as {@link #flushIn}, but conversions ignore FZ16 (ARM ARM FPConvert). */
    private static long flushInConvert(Cpu cpu, long bits, int esize) {
        return esize == 16 ? bits : flushIn(cpu, bits, esize);
    }

    /** Whether a tiny result is flushed to zero: FPCR.FZ, or FPCR.FZ16 for half precision. */
    private static boolean flushesOutputs(Cpu cpu, int esize) {
        return (cpu.fpcr & (esize == 16 ? FPCR_FZ16 : FPCR_FZ)) != 0;
    }

    private static long invalid(Cpu cpu, int esize) {
        cpu.fpsr |= FPSR_IOC;
        return defaultNaN(esize);
    }

    // ---- rounding ---------------------------------------------------------------------------

    /** {@link #round(Cpu, double, int, int, int)} in the FPCR rounding mode. */
    public static long round(Cpu cpu, double d, int errSign, int esize) {
        return round(cpu, d, errSign, esize, rmode(cpu));
    }

    /**
     * FPRound: rounds an exact real result to the format. The result is described by
     * {@code d}, the double nearest to it, and {@code errSign}, the sign of (exact - d);
     * an infinite {@code d} with a non-zero {@code errSign} means a finite result that
     * overflowed the double range. Sets IXC, OFC and UFC (tininess before rounding, as
     * ARM does) and honours FPCR.FZ on the output.
     */
    public static long round(Cpu cpu, double d, int errSign, int esize, int mode) {
        return round(cpu, d, errSign, esize, mode, true);
    }

    /**
     * FPRoundBase; {@code honourFz16} is false for FPRoundCV (precision conversions,
     * which ignore FPCR.FZ16).
     */
    private static long round(Cpu cpu, double d, int errSign, int esize, int mode, boolean honourFz16) {
        if (Double.isInfinite(d)) {
            if (errSign == 0) {
                return infinity(esize, d < 0);
            }
            cpu.fpsr |= FPSR_OFC | FPSR_IXC;
            return overflowResult(esize, d < 0, mode);
        }
        if (mode == RN) {
            // Fast paths for a normal result far from overflow, rounded to nearest (what the
            // general path below computes, without its neighbour search): the result is d
            // itself (double), or (float) d unless d is a midpoint between two floats that is
            // not the exact value, where rounding twice would differ from rounding the exact
            // value once. Only IXC can be raised here: not tiny rules out UFC and flushing,
            // the magnitude rules out OFC.
            double m = Math.abs(d);
            if (esize == 64 && m > Double.MIN_NORMAL) {
                if (errSign != 0) {
                    cpu.fpsr |= FPSR_IXC;
                }
                return Double.doubleToRawLongBits(d);
            }
            if (esize == 32 && m > Float.MIN_NORMAL && m < 0x1p127
                    && (errSign == 0 || (Double.doubleToRawLongBits(d) & FLOAT_MIDPOINT_MASK) != FLOAT_MIDPOINT)) {
                float f = (float) d;
                if (errSign != 0 || f != d) {
                    cpu.fpsr |= FPSR_IXC;
                }
                return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
            }
        }
        // Tininess is judged on the exact value before rounding (ARM ARM FPRound).
        double min = minNormal(esize);
        boolean tiny = (d != 0 || errSign != 0)
                && (Math.abs(d) < min || (Math.abs(d) == min && errSign != 0 && (errSign < 0) == (d > 0)));
        if (tiny && (honourFz16 || esize != 16) && flushesOutputs(cpu, esize)) {
            // Flush-to-zero of a tiny result raises Underflow, not Inexact (ARM ARM FPRound).
            cpu.fpsr |= FPSR_UFC;
            return Double.doubleToRawLongBits(d) < 0 ? signBit(esize) : 0;
        }
        double near = nearest(d, esize);
        if (near == d && errSign == 0) {
            return bits(d, esize);
        }
        double lo;
        double hi;
        if (near == d ? errSign > 0 : near < d) {
            lo = near;
            hi = nextUp(near, esize);
        } else {
            lo = nextDown(near, esize);
            hi = near;
        }
        double r;
        switch (mode) {
            case RP:
                r = hi;
                break;
            case RM:
                r = lo;
                break;
            case RZ:
                r = lo >= 0 ? lo : hi;
                break;
            default:
                r = near;
                if (near != d && errSign != 0) {
                    // d sits exactly on the midpoint between two values: the error decides.
                    double mid = Double.isInfinite(hi) ? lo + (lo - nextDown(lo, esize)) / 2 : lo / 2 + hi / 2;
                    if (d == mid) {
                        r = errSign > 0 ? hi : lo;
                    }
                }
                break;
        }
        cpu.fpsr |= FPSR_IXC;
        // Overflow: the result rounded with an unbounded exponent exceeds the largest
        // normal. Rounding away from zero that shows as infinity; rounding toward zero
        // (which stops at the largest normal) only when |exact| reaches 2^(emax+1).
        if (Double.isInfinite(r) || exactMagnitudeReaches(d, errSign, overflowThreshold(esize))) {
            cpu.fpsr |= FPSR_OFC;
        }
        if (tiny) {
            cpu.fpsr |= FPSR_UFC;
        }
        return bits(r, esize);
    }

    /**
     * |exact| >= threshold, where the exact value is {@code d} corrected by the sign of its
     * error: an exact result just below 2^(emax+1) whose nearest double is 2^(emax+1)
     * does not reach it (rounded toward zero it is the largest normal, no overflow).
     */
    private static boolean exactMagnitudeReaches(double d, int errSign, double threshold) {
        double m = Math.abs(d);
        return m > threshold || (m == threshold && (errSign == 0 || (errSign > 0) == (d > 0)));
    }

    /** 2^(emax+1): the smallest magnitude that overflows in every rounding mode. */
    private static double overflowThreshold(int esize) {
        return esize == 64 ? Double.POSITIVE_INFINITY : esize == 32 ? 0x1p128 : 65536.0;
    }

    private static boolean roundsAwayFromZero(int mode, boolean negative) {
        return mode == RN || (mode == RP && !negative) || (mode == RM && negative);
    }

    /** ARM ARM FPRound: an overflow gives infinity or the largest normal, by rounding mode. */
    private static long overflowResult(int esize, boolean negative, int mode) {
        return roundsAwayFromZero(mode, negative) ? infinity(esize, negative) : maxNormal(esize, negative);
    }

    private static int sign(double v) {
        return v > 0 ? 1 : v < 0 ? -1 : 0;
    }

    /**
     * Below this magnitude an FMA residual can itself underflow and lose the error sign,
     * so the residual is computed exactly with BigDecimal instead.
     */
    private static boolean tiny(double v) {
        return Math.abs(v) < 0x1p-900;
    }

    private static BigDecimal exact(double v) {
        return new BigDecimal(v);
    }

    // ---- arithmetic --------------------------------------------------------------------------

    public static long add(Cpu cpu, int esize, long a, long b) {
        return addSub(cpu, esize, a, b, false);
    }

    public static long sub(Cpu cpu, int esize, long a, long b) {
        return addSub(cpu, esize, a, b, true);
    }

    /** Two operands after FPUnpack that are numbers: their (flushed) bits and their values. */
    @FunctionalInterface
    private interface NumericOp {
        long apply(long a, long b, double x, double y);
    }

    /**
     * The front that FPMulX and the reciprocal steps share (FPAdd, FPMul, FPDiv and FPMax
     * spell it out, so that the hot arithmetic allocates no capturing lambda): FPUnpack of
     * both operands (input flushing), then FPProcessNaNs when either is a NaN; otherwise
     * {@code op} on the two numbers.
     */
    private static long onNumbers(Cpu cpu, int esize, long op1, long op2, NumericOp op) {
        long a = flushIn(cpu, op1, esize);
        long b = flushIn(cpu, op2, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            return processNaNs(cpu, esize, a, b);
        }
        return op.apply(a, b, toDouble(a, esize), toDouble(b, esize));
    }

    /** Infinity times zero, in either order: the invalid product (ARM ARM FPMul, FPMulAdd). */
    private static boolean infinityTimesZero(double x, double y) {
        return (Double.isInfinite(x) && y == 0) || (x == 0 && Double.isInfinite(y));
    }

    private static long addSub(Cpu cpu, int esize, long op1, long op2, boolean subtract) {
        long a = flushIn(cpu, op1, esize);
        long b = flushIn(cpu, op2, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            return processNaNs(cpu, esize, a, b);
        }
        double x = toDouble(a, esize);
        double value2 = toDouble(b, esize);
        double y = subtract ? -value2 : value2;
        if (Double.isInfinite(x) && Double.isInfinite(y) && x != y) {
            return invalid(cpu, esize);
        }
        double s = x + y;
        int err;
        if (Double.isInfinite(s)) {
            err = Double.isInfinite(x) || Double.isInfinite(y) ? 0 : 1;
        } else {
            // TwoSum (Knuth): the rounding error of x + y, exactly.
            double bv = s - x;
            err = sign((x - (s - bv)) + (y - bv));
        }
        if (s == 0 && err == 0 && rmode(cpu) == RM) {
            // An exact zero sum is -0 when rounding toward minus infinity, unless both are +0.
            boolean bothPlus = Double.doubleToRawLongBits(x) == 0 && Double.doubleToRawLongBits(y) == 0;
            s = bothPlus ? 0.0 : -0.0;
        }
        return round(cpu, s, err, esize);
    }

    public static long mul(Cpu cpu, int esize, long op1, long op2) {
        long a = flushIn(cpu, op1, esize);
        long b = flushIn(cpu, op2, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            return processNaNs(cpu, esize, a, b);
        }
        double x = toDouble(a, esize);
        double y = toDouble(b, esize);
        if (infinityTimesZero(x, y)) {
            return invalid(cpu, esize);
        }
        double p = x * y;
        int err;
        if (Double.isInfinite(p)) {
            err = Double.isInfinite(x) || Double.isInfinite(y) ? 0 : 1;
        } else if (esize != 64 || x == 0 || y == 0) {
            err = 0; // a product of singles or halves, or with a zero, is exact in a double
        } else if (tiny(p)) {
            err = exact(x).multiply(exact(y)).compareTo(exact(p));
        } else {
            err = sign(Math.fma(x, y, -p));
        }
        return round(cpu, p, err, esize);
    }

    public static long div(Cpu cpu, int esize, long op1, long op2) {
        long a = flushIn(cpu, op1, esize);
        long b = flushIn(cpu, op2, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            return processNaNs(cpu, esize, a, b);
        }
        double x = toDouble(a, esize);
        double y = toDouble(b, esize);
        if ((x == 0 && y == 0) || (Double.isInfinite(x) && Double.isInfinite(y))) {
            return invalid(cpu, esize);
        }
        if (y == 0 && !Double.isInfinite(x)) {
            cpu.fpsr |= FPSR_DZC;
        }
        double q = x / y;
        int err;
        if (Double.isInfinite(q)) {
            err = Double.isInfinite(x) || y == 0 ? 0 : 1;
        } else if (Double.isInfinite(y) || q == 0 && x == 0) {
            err = 0;
        } else {
            // x - q*y; the exact quotient minus q has its sign times the sign of y.
            int residual = tiny(x) || tiny(y) || tiny(q)
                    ? exact(x).subtract(exact(q).multiply(exact(y))).signum()
                    : sign(Math.fma(-q, y, x));
            err = residual * sign(y);
        }
        return round(cpu, q, err, esize);
    }

    public static long sqrt(Cpu cpu, int esize, long a) {
        a = flushIn(cpu, a, esize);
        if (isNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        double x = toDouble(a, esize);
        if (x < 0) {
            return invalid(cpu, esize);
        }
        double s = Math.sqrt(x);
        int err = Double.isInfinite(s) || s == 0 ? 0
                : tiny(x) ? exact(x).subtract(exact(s).multiply(exact(s))).signum()
                : sign(Math.fma(-s, s, x));
        return round(cpu, s, err, esize);
    }

    /** FPMulAdd: addend + op1 * op2 with a single rounding (FMADD and friends, FMLA). */
    public static long mulAdd(Cpu cpu, int esize, long addend, long op1, long op2) {
        addend = flushIn(cpu, addend, esize);
        op1 = flushIn(cpu, op1, esize);
        op2 = flushIn(cpu, op2, esize);
        double x = toDouble(op1, esize);
        double y = toDouble(op2, esize);
        boolean infTimesZero = infinityTimesZero(x, y);
        if (isNaN(addend, esize) && !isSignallingNaN(addend, esize) && infTimesZero
                && !isNaN(op1, esize) && !isNaN(op2, esize)) {
            return invalid(cpu, esize);
        }
        if (isNaN(addend, esize) || isNaN(op1, esize) || isNaN(op2, esize)) {
            return processNaNs3(cpu, esize, addend, op1, op2);
        }
        double a = toDouble(addend, esize);
        if (infTimesZero) {
            return invalid(cpu, esize);
        }
        boolean productInf = Double.isInfinite(x) || Double.isInfinite(y);
        if (productInf || Double.isInfinite(a)) {
            boolean productNegative = (Double.doubleToRawLongBits(x) < 0) != (Double.doubleToRawLongBits(y) < 0);
            if (productInf && Double.isInfinite(a) && (a < 0) != productNegative) {
                return invalid(cpu, esize);
            }
            return infinity(esize, productInf ? productNegative : a < 0);
        }
        double r = Math.fma(x, y, a);
        if (canSkipErrorSign(cpu, r, esize)) {
            return bits(esize == 64 ? r : (float) r, esize);
        }
        int err;
        if (esize != 64) {
            // Single and half operands: x*y is exact in a double (at most 48 significant
            // bits, magnitudes between 2^-298 and 2^256), so r is the double sum of the
            // product and the addend and TwoSum gives the sign of its error exactly.
            double p = x * y;
            double bv = r - p;
            err = sign((p - (r - bv)) + (a - bv));
        } else {
            BigDecimal exact = new BigDecimal(x).multiply(new BigDecimal(y)).add(new BigDecimal(a));
            err = Double.isInfinite(r) ? 1 : exact.compareTo(new BigDecimal(r));
        }
        if (r == 0 && err == 0) {
            // Exact zero: same-signed zeros keep their sign; otherwise +0, or -0 rounding down.
            boolean productNegative = (Double.doubleToRawLongBits(x) < 0) != (Double.doubleToRawLongBits(y) < 0);
            boolean addendNegative = Double.doubleToRawLongBits(a) < 0;
            boolean negative = (a == 0 && productNegative == addendNegative) ? addendNegative : rmode(cpu) == RM;
            r = negative ? -0.0 : 0.0;
        }
        return round(cpu, r, err, esize);
    }

    /**
     * The exact error sign of a double-precision FMA costs a BigDecimal. It is not needed
     * when rounding to nearest with IXC already set (the cumulative flag cannot change) and
     * the result is far from the underflow and overflow ranges: Math.fma already rounded
     * the exact value once.
     */
    private static boolean canSkipErrorSign(Cpu cpu, double r, int esize) {
        // Only double precision: for single and half the exact error's sign is cheap (TwoSum
        // below), and a float shortcut would have to find every midpoint between two floats,
        // including the one a quarter ulp below a power of two.
        if (esize != 64) {
            return false;
        }
        return rmode(cpu) == RN && (cpu.fpsr & FPSR_IXC) != 0 && !Double.isInfinite(r)
                && Math.abs(r) >= 2 * minNormal(esize);
    }

    public static long neg(long a, int esize) {
        return a ^ signBit(esize);
    }

    public static long abs(long a, int esize) {
        return a & ~signBit(esize);
    }

    /** FPMax / FPMin: NaNs propagate; +0 is larger than -0. */
    public static long max(Cpu cpu, int esize, long op1, long op2, boolean isMax) {
        long a = flushIn(cpu, op1, esize);
        long b = flushIn(cpu, op2, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            return processNaNs(cpu, esize, a, b);
        }
        double x = toDouble(a, esize);
        double y = toDouble(b, esize);
        if (x == y) {
            // Equal values differ only for zeros: max(+0,-0) = +0, min(+0,-0) = -0.
            boolean aNeg = (a & signBit(esize)) != 0;
            return isMax ? (aNeg ? b : a) : (aNeg ? a : b);
        }
        return (x > y) == isMax ? a : b;
    }

    /** FPMaxNum / FPMinNum (IEEE maxNum): a single quiet NaN loses to a number. */
    public static long maxNum(Cpu cpu, int esize, long a, long b, boolean isMax) {
        boolean aq = isNaN(a, esize) && !isSignallingNaN(a, esize);
        boolean bq = isNaN(b, esize) && !isSignallingNaN(b, esize);
        if (aq && !isNaN(b, esize)) {
            a = infinity(esize, isMax);
        } else if (bq && !isNaN(a, esize)) {
            b = infinity(esize, isMax);
        }
        return max(cpu, esize, a, b, isMax);
    }

    /**
     * FPCompare: NZCV in bits 3:0 (equal 0110, less 1000, greater 0010, unordered 0011).
     * A signalling NaN, or with {@code signalAll} (FCMPE) any NaN, raises IOC.
     */
    public static int compare(Cpu cpu, int esize, long a, long b, boolean signalAll) {
        a = flushIn(cpu, a, esize);
        b = flushIn(cpu, b, esize);
        if (isNaN(a, esize) || isNaN(b, esize)) {
            if (signalAll || isSignallingNaN(a, esize) || isSignallingNaN(b, esize)) {
                cpu.fpsr |= FPSR_IOC;
            }
            return 0b0011;
        }
        double x = toDouble(a, esize);
        double y = toDouble(b, esize);
        return x == y ? 0b0110 : x < y ? 0b1000 : 0b0010;
    }

    /** FPCompareEQ/GE/GT for the vector compares: a NaN compares false. */
    public static boolean compareQuiet(Cpu cpu, int esize, long a, long b, int cond, boolean signalAll) {
        int flags = compare(cpu, esize, a, b, signalAll);
        switch (cond) {
            case 0:
                return flags == 0b0110;
            case 1:
                return flags == 0b0110 || flags == 0b0010;
            default:
                return flags == 0b0010;
        }
    }

    // ---- conversions ---------------------------------------------------------------------------

    /** FPConvert between precisions; a NaN keeps the top bits of its payload (ARM ARM FPConvertNaN). */
    public static long convert(Cpu cpu, long a, int from, int to) {
        boolean alternativeHalf = (cpu.fpcr & FPCR_AHP) != 0;
        if (alternativeHalf && from == 16) {
            return bits(alternativeHalfToDouble((int) a & 0xFFFF), to); // exact in single and double
        }
        a = flushInConvert(cpu, a, from);
        if (alternativeHalf && to == 16) {
            return toAlternativeHalf(cpu, a, from);
        }
        if (isNaN(a, from)) {
            if (isSignallingNaN(a, from)) {
                cpu.fpsr |= FPSR_IOC;
            }
            if ((cpu.fpcr & FPCR_DN) != 0) {
                return defaultNaN(to);
            }
            long sign = (a & signBit(from)) != 0 ? signBit(to) : 0;
            long payload = a & fracMask(from);
            int shift = fracBits(to) - fracBits(from);
            payload = shift >= 0 ? payload << shift : payload >>> -shift;
            return sign | expMask(to) | quietBit(to) | (payload & fracMask(to));
        }
        return round(cpu, toDouble(a, from), 0, to, rmode(cpu), false);
    }

    /**
     * FPCR.AHP's alternative half-precision format (ARM ARM A1.4.2): as IEEE half, but
     * exponent 31 encodes normal numbers up to 131008; there are no infinities or NaNs.
     */
    private static double alternativeHalfToDouble(int h) {
        if (((h >>> 10) & 0x1F) == 31) {
            double magnitude = Math.scalb((double) (1024 + (h & 0x3FF)), 31 - 25);
            return (h & 0x8000) != 0 ? -magnitude : magnitude;
        }
        return halfToDouble(h);
    }

    /**
     * FPConvert to the alternative half-precision format: NaN gives a signed zero and
     * infinity or a result beyond 131008 the largest magnitude, both with IOC and no
     * other flag (ARM ARM FPConvert, FPRoundBase with alternative format).
     */
    private static long toAlternativeHalf(Cpu cpu, long a, int from) {
        long sign = (a & signBit(from)) != 0 ? 0x8000 : 0;
        if (isNaN(a, from)) {
            cpu.fpsr |= FPSR_IOC;
            return sign;
        }
        double x = toDouble(a, from);
        if (Double.isInfinite(x)) {
            cpu.fpsr |= FPSR_IOC;
            return sign | 0x7FFF;
        }
        long saved = cpu.fpsr;
        int mode = rmode(cpu);
        if (Math.abs(x) >= 0x1p16) {
            // Exponent 31: round x/2 in the IEEE exponent-30 binade and step the exponent up.
            // Beyond the format's range (IEEE overflow of x/2, shown as infinity or, rounding
            // toward zero, as OFC on the largest normal) the result saturates with IOC only.
            cpu.fpsr = 0;
            long r = round(cpu, x / 2, 0, 16, mode, false);
            long raised = cpu.fpsr;
            if ((r & 0x7C00) == 0x7C00 || (raised & FPSR_OFC) != 0) {
                cpu.fpsr = saved | FPSR_IOC;
                return sign | 0x7FFF;
            }
            cpu.fpsr = saved | raised;
            return r + 0x400;
        }
        long r = round(cpu, x, 0, 16, mode, false);
        if ((r & 0x7C00) == 0x7C00) {
            // Rounded up to 2^16, which the alternative format represents: inexact only.
            cpu.fpsr = saved | FPSR_IXC;
            return sign | 0x7C00;
        }
        return r;
    }

    /** Rounds {@code x} to an integral value in the given mode (FPRoundInt on a double). */
    public static double roundIntegral(double x, int mode) {
        switch (mode) {
            case RN:
                return Math.rint(x);
            case RP:
                return Math.ceil(x);
            case RM:
                return Math.floor(x);
            case RZ:
                return x < 0 ? Math.ceil(x) : Math.floor(x);
            default:
                double t = x < 0 ? Math.ceil(x) : Math.floor(x);
                return Math.abs(x - t) >= 0.5 ? t + Math.copySign(1.0, x) : t;
        }
    }

    /** FRINT*: round to an integral value in the same format; {@code exact} (FRINTX) signals IXC. */
    public static long roundToIntegral(Cpu cpu, int esize, long a, int mode, boolean exact) {
        a = flushIn(cpu, a, esize);
        if (isNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        double x = toDouble(a, esize);
        double r = roundIntegral(x, mode);
        if (exact && r != x) {
            cpu.fpsr |= FPSR_IXC;
        }
        return bits(r, esize);
    }

    /**
     * FPToFixed: converts to a signed or unsigned integer of {@code intSize} bits with
     * {@code fbits} fraction bits. NaN gives 0 and out-of-range values saturate, both
     * raising IOC; otherwise an inexact result raises IXC. Returns the value masked to
     * {@code intSize} bits.
     */
    public static long toFixed(Cpu cpu, long a, int esize, int fbits, boolean unsigned, int intSize, int mode) {
        a = flushIn(cpu, a, esize);
        if (isNaN(a, esize)) {
            cpu.fpsr |= FPSR_IOC;
            return 0;
        }
        double x = Math.scalb(toDouble(a, esize), fbits);
        double r = roundIntegral(x, mode);
        long result;
        if (unsigned) {
            double limit = Math.scalb(1.0, intSize);
            if (r >= limit) {
                cpu.fpsr |= FPSR_IOC;
                return Vectors.mask(intSize);
            }
            if (r < 0) {
                cpu.fpsr |= FPSR_IOC;
                return 0;
            }
            result = r >= 0x1p63 ? (long) (r - 0x1p63) + Long.MIN_VALUE : (long) r;
        } else {
            double limit = Math.scalb(1.0, intSize - 1);
            if (r >= limit) {
                cpu.fpsr |= FPSR_IOC;
                return Vectors.mask(intSize) >>> 1;
            }
            if (r < -limit) {
                cpu.fpsr |= FPSR_IOC;
                return (1L << (intSize - 1)) & Vectors.mask(intSize);
            }
            result = (long) r;
        }
        if (r != x) {
            cpu.fpsr |= FPSR_IXC;
        }
        return result & Vectors.mask(intSize);
    }

    /** FixedToFP: a signed or unsigned 64-bit integer with {@code fbits} fraction bits, rounded. */
    public static long fromFixed(Cpu cpu, long value, boolean unsigned, int fbits, int esize, int mode) {
        double d;
        int err;
        if (!unsigned || value >= 0) {
            d = (double) value;
            err = Math.abs(value) <= (1L << 53) ? 0 : new BigDecimal(value).compareTo(new BigDecimal(d));
        } else {
            // Round-to-odd halving keeps the sticky bit, so the final RNE is correct.
            d = (double) ((value >>> 1) | (value & 1)) * 2.0;
            BigDecimal exact = new BigDecimal(new java.math.BigInteger(Long.toUnsignedString(value)));
            err = exact.compareTo(new BigDecimal(d));
        }
        return round(cpu, Math.scalb(d, -fbits), err, esize, mode);
    }

    /**
     * FRINT32Z/32X/64Z/64X (FEAT_FRINTTS): FPRoundIntN. NaN, infinity and results outside
     * the signed {@code intSize}-bit range give -2^(intSize-1) with IOC; otherwise the
     * integral value, with IXC when it differs from the operand.
     */
    public static long roundToIntN(Cpu cpu, int esize, long a, int mode, int intSize) {
        a = flushIn(cpu, a, esize);
        double x = toDouble(a, esize);
        double min = -Math.scalb(1.0, intSize - 1);
        if (isNaN(a, esize) || Double.isInfinite(x)) {
            cpu.fpsr |= FPSR_IOC;
            return bits(min, esize);
        }
        double r = roundIntegral(x, mode);
        if (r >= -min || r < min) {
            cpu.fpsr |= FPSR_IOC;
            return bits(min, esize);
        }
        if (r != x) {
            cpu.fpsr |= FPSR_IXC;
        }
        return bits(r, esize);
    }

    /**
     * FCVTXN: double to single with FPRounding_ODD: truncate, and if the result is
     * inexact set its lowest bit (so a later rounding to a narrower format is correct).
     */
    public static long convertToOdd(Cpu cpu, long a) {
        a = flushIn(cpu, a, 64);
        if (isNaN(a, 64)) {
            return convert(cpu, a, 64, 32);
        }
        double x = toDouble(a, 64);
        long r = round(cpu, x, 0, 32, RZ);
        boolean flushedToZero = flushesOutputs(cpu, 32) && (r & ~signBit(32)) == 0;
        if (!Double.isInfinite(x) && toDouble(r, 32) != x && !flushedToZero) {
            r |= 1;
        }
        return r;
    }

    /** VFPExpandImm: the 8-bit FMOV immediate as a value of {@code esize} bits. */
    public static long expandImm(int imm8, int esize) {
        int e = esize == 64 ? 11 : esize == 32 ? 8 : 5;
        int f = esize - e - 1;
        long sign = (imm8 >>> 7) & 1;
        long b6 = (imm8 >>> 6) & 1;
        long exp = ((b6 ^ 1) << (e - 1)) | ((b6 == 1 ? (1L << (e - 3)) - 1 : 0) << 2) | ((imm8 >>> 4) & 3);
        long frac = (long) (imm8 & 0xF) << (f - 4);
        return (sign << (esize - 1)) | (exp << f) | frac;
    }

    // ---- FMULX, reciprocal and reciprocal square root estimates and steps ----------------------

    /** FPMulX: FPMul, except that infinity times zero is 2.0 with the XOR of the signs. */
    public static long mulX(Cpu cpu, int esize, long op1, long op2) {
        return onNumbers(cpu, esize, op1, op2, (a, b, x, y) -> infinityTimesZero(x, y)
                ? bits(2.0, esize) | ((a ^ b) & signBit(esize))
                : mul(cpu, esize, a, b));
    }

    /**
     * FPRecipStepFused and FPRSqrtStepFused: op1 negated, NaNs processed, infinity times
     * zero giving {@code special}, and an infinite operand giving infinity with the XOR of
     * the signs; otherwise {@code fused} on the negated op1 and op2.
     */
    private static long stepFused(Cpu cpu, int esize, long op1, long op2, double special, NumericOp fused) {
        return onNumbers(cpu, esize, neg(op1, esize), op2, (negA, b, x, y) -> {
            if (infinityTimesZero(x, y)) {
                return bits(special, esize);
            }
            if (Double.isInfinite(x) || Double.isInfinite(y)) {
                return infinity(esize, ((negA ^ b) & signBit(esize)) != 0);
            }
            return fused.apply(negA, b, x, y);
        });
    }

    /** FRECPS: FPRecipStepFused, 2.0 - op1 * op2 with one rounding. */
    public static long recipStep(Cpu cpu, int esize, long op1, long op2) {
        return stepFused(cpu, esize, op1, op2, 2.0, (negA, b, x, y) -> mulAdd(cpu, esize, bits(2.0, esize), negA, b));
    }

    /**
     * FRSQRTS: FPRSqrtStepFused, (3.0 - op1 * op2) / 2 with one rounding, computed as
     * 1.5 + (op1 / 2) * op2 where halving an operand is exact.
     */
    public static long rsqrtStep(Cpu cpu, int esize, long op1, long op2) {
        return stepFused(cpu, esize, op1, op2, 1.5, (negA, b, x, y) -> {
            if (x == 0 || y == 0) {
                return bits(1.5, esize);
            }
            long c = cpu.fpsr;
            if (Math.abs(x) >= Math.abs(y) && Math.abs(x) / 2 >= minNormal(esize)) {
                return mulAdd(cpu, esize, bits(1.5, esize), bits(x / 2, esize), b);
            } else if (Math.abs(y) / 2 >= minNormal(esize)) {
                return mulAdd(cpu, esize, bits(1.5, esize), negA, bits(y / 2, esize));
            }
            // Both operands tiny: the product only decides the inexact rounding of 1.5.
            long r = mulAdd(cpu, esize, bits(3.0, esize), negA, b);
            cpu.fpsr = c | (cpu.fpsr & FPSR_IXC);
            return bits(toDouble(r, esize) / 2, esize);
        });
    }

    /** ARM ARM RecipEstimate: a in 256..511 (0.5 <= x < 1.0 in steps of 1/512) to 256..511. */
    static int recipEstimate(int a) {
        a = a * 2 + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /** ARM ARM RecipSqrtEstimate: a in 128..511 (0.25 <= x < 1.0) to 256..511. */
    static int recipSqrtEstimate(int a) {
        if (a < 256) {
            a = a * 2 + 1;
        } else {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        long b = 512;
        while ((long) a * (b + 1) * (b + 1) < (1L << 28)) {
            b++;
        }
        return (int) ((b + 1) / 2);
    }

    /** The operand's exponent field and fraction left-aligned to 52 bits. */
    private static long fraction52(long bits, int esize) {
        return (bits & fracMask(esize)) << (52 - fracBits(esize));
    }

    private static int biasedExponent(long bits, int esize) {
        return (int) ((bits & expMask(esize)) >>> fracBits(esize));
    }

    /** FRECPE: FPRecipEstimate (ARM ARM shared/functions/float). */
    public static long recipEstimate(Cpu cpu, int esize, long a) {
        a = flushIn(cpu, a, esize);
        boolean negative = (a & signBit(esize)) != 0;
        if (isNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        double v = Math.abs(toDouble(a, esize));
        if (Double.isInfinite(v)) {
            return negative ? signBit(esize) : 0;
        }
        if (v == 0) {
            cpu.fpsr |= FPSR_DZC;
            return infinity(esize, negative);
        }
        if (v < (esize == 32 ? 0x1p-128 : esize == 64 ? 0x1p-1024 : 0x1p-16)) {
            cpu.fpsr |= FPSR_OFC | FPSR_IXC;
            return overflowResult(esize, negative, rmode(cpu));
        }
        if (flushesOutputs(cpu, esize) && v >= (esize == 32 ? 0x1p126 : esize == 64 ? 0x1p1022 : 0x1p14)) {
            cpu.fpsr |= FPSR_UFC;
            return negative ? signBit(esize) : 0;
        }
        long fraction = fraction52(a, esize);
        int exp = biasedExponent(a, esize);
        if (exp == 0) {
            if ((fraction & (1L << 51)) == 0) {
                exp = -1;
                fraction = (fraction << 2) & ((1L << 52) - 1);
            } else {
                fraction = (fraction << 1) & ((1L << 52) - 1);
            }
        }
        int scaled = (int) (0x100 | (fraction >>> 44));
        int resultExp = 2 * exponentBias(esize) - 1 - exp;
        long estimate = recipEstimate(scaled);
        long resultFraction = (estimate & 0xFF) << 44;
        if (resultExp == 0) {
            resultFraction = (1L << 51) | (resultFraction >>> 1);
        } else if (resultExp == -1) {
            resultFraction = (1L << 50) | (resultFraction >>> 2);
            resultExp = 0;
        }
        return (negative ? signBit(esize) : 0) | ((long) resultExp << fracBits(esize))
                | (resultFraction >>> (52 - fracBits(esize)));
    }

    /** FRSQRTE: FPRSqrtEstimate. */
    public static long rsqrtEstimate(Cpu cpu, int esize, long a) {
        a = flushIn(cpu, a, esize);
        boolean negative = (a & signBit(esize)) != 0;
        if (isNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        double v = toDouble(a, esize);
        if (v == 0) {
            cpu.fpsr |= FPSR_DZC;
            return infinity(esize, negative);
        }
        if (negative) {
            return invalid(cpu, esize);
        }
        if (Double.isInfinite(v)) {
            return 0;
        }
        long fraction = fraction52(a, esize);
        int exp = biasedExponent(a, esize);
        if (exp == 0) {
            while ((fraction & (1L << 51)) == 0) {
                fraction = (fraction << 1) & ((1L << 52) - 1);
                exp--;
            }
            fraction = (fraction << 1) & ((1L << 52) - 1);
        }
        int scaled = (exp & 1) == 0 ? (int) (0x100 | (fraction >>> 44)) : (int) (0x80 | (fraction >>> 45));
        int resultExp = Math.floorDiv(3 * exponentBias(esize) - 1 - exp, 2);
        long estimate = recipSqrtEstimate(scaled);
        return ((long) resultExp << fracBits(esize)) | ((estimate & 0xFF) << (fracBits(esize) - 8));
    }

    /** FRECPX: FPRecpX, the sign with the exponent inverted (zero/denormal: max exponent - 1). */
    public static long recpX(Cpu cpu, int esize, long a) {
        a = flushIn(cpu, a, esize);
        if (isNaN(a, esize)) {
            return processNaN(cpu, a, esize);
        }
        long sign = a & signBit(esize);
        long exp = a & expMask(esize);
        if (exp == 0) {
            return sign | (expMask(esize) - (1L << fracBits(esize)));
        }
        return sign | (~exp & expMask(esize));
    }

    /** URECPE: UnsignedRecipEstimate of a 32-bit element. */
    public static long unsignedRecipEstimate(long a) {
        if ((a & 0x8000_0000L) == 0) {
            return 0xFFFF_FFFFL;
        }
        return (long) recipEstimate((int) ((a >>> 23) & 0x1FF)) << 23;
    }

    /** URSQRTE: UnsignedRSqrtEstimate of a 32-bit element. */
    public static long unsignedRSqrtEstimate(long a) {
        if ((a & 0xC000_0000L) == 0) {
            return 0xFFFF_FFFFL;
        }
        return (long) recipSqrtEstimate((int) ((a >>> 23) & 0x1FF)) << 23;
    }

    /**
     * FEAT_FHM FPMulAddH: single-precision addend + half op1 * half op2 with one
     * rounding. The halves (read under FZ16) widen exactly to single, NaNs by
     * FPConvertNaN, so the single-precision fused multiply-add gives the result and
     * NaN priority of the pseudocode.
     */
    public static long mulAddHalfToSingle(Cpu cpu, long addend, long op1, long op2) {
        return mulAdd(cpu, 32, addend, halfToSingleExact(flushIn(cpu, op1, 16)),
                halfToSingleExact(flushIn(cpu, op2, 16)));
    }

    private static long halfToSingleExact(long h) {
        if (isNaN(h, 16)) {
            return ((h & 0x8000) << 16) | 0x7F80_0000L | ((h & 0x3FF) << 13);
        }
        return bits(halfToDouble((int) h & 0xFFFF), 32);
    }
}
