package a64emu.cpu.isa;

import a64emu.cpu.Cpu;

/**
 * Integer helpers of the Advanced SIMD pseudocode shared by the vector, scalar and
 * by-element forms: SatQ (saturation that sets FPSR.QC), the shift-by-register of
 * [S|U][Q][R]SHL, the doubling multiplies of SQDMULH/SQRDMULH/SQDMULL/SQRDMLAH, and
 * polynomial multiplication. Values are passed sign- or zero-extended to 64 bits.
 */
public final class SimdInt {
    private SimdInt() {}

    public static long signedMax(int esize) {
        return Vectors.mask(esize) >>> 1;
    }

    public static long signedMin(int esize) {
        return -signedMax(esize) - 1;
    }

    /** SignedSatQ of an exact value: clamps to esize bits, setting FPSR.QC if it clips. */
    public static long satSigned(Cpu cpu, long value, int esize) {
        long max = signedMax(esize);
        long min = -max - 1;
        if (value > max || value < min) {
            cpu.fpsr |= Fp.FPSR_QC;
            return value > max ? max : min;
        }
        return value;
    }

    /** UnsignedSatQ of an exact signed value (negative clamps to 0). */
    public static long satUnsignedOfSigned(Cpu cpu, long value, int esize) {
        if (value < 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return 0;
        }
        if (esize < 64 && value > Vectors.mask(esize)) {
            cpu.fpsr |= Fp.FPSR_QC;
            return Vectors.mask(esize);
        }
        return value;
    }

    /** UnsignedSatQ of an exact unsigned value (as an unsigned long). */
    public static long satUnsigned(Cpu cpu, long value, int esize) {
        if (esize < 64 && Long.compareUnsigned(value, Vectors.mask(esize)) > 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return Vectors.mask(esize);
        }
        return value;
    }

    /** Signed a + b saturated to esize bits, exact even for 64-bit lanes. */
    public static long addSigned(Cpu cpu, long a, long b, int esize) {
        long sum = a + b;
        if (esize == 64 && ((a ^ sum) & (b ^ sum)) < 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return satSigned(cpu, sum, esize);
    }

    /** Signed a - b saturated to esize bits. */
    public static long subSigned(Cpu cpu, long a, long b, int esize) {
        long diff = a - b;
        if (esize == 64 && ((a ^ b) & (a ^ diff)) < 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return satSigned(cpu, diff, esize);
    }

    /**
     * The element operation of SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL (ARM ARM
     * C7 "SQRSHL"): {@code (element + round_const) << shift} with shift the signed
     * byte of the second operand, negative shifting right; optionally saturated.
     * {@code v} is sign-extended (signed) or zero-extended to 64 bits.
     */
    public static long shiftByRegister(Cpu cpu, long v, int shift, int esize, boolean unsigned,
                                       boolean round, boolean saturate) {
        if (shift >= 0) {
            if (!saturate) {
                return shift >= 64 ? 0 : v << shift;
            }
            return shiftLeftSat(cpu, v, shift, esize, unsigned);
        }
        int s = -shift;
        long r;
        if (s >= 64) {
            if (unsigned) {
                r = round && s == 64 ? v >>> 63 : 0;
            } else {
                r = round ? 0 : v >> 63;
            }
        } else if (unsigned) {
            r = (v >>> s) + (round ? (v >>> (s - 1)) & 1 : 0);
        } else {
            r = (v >> s) + (round ? (v >> (s - 1)) & 1 : 0);
        }
        return r;
    }

    /** SatQ(v << shift): v sign- or zero-extended, shift 0..255. */
    public static long shiftLeftSat(Cpu cpu, long v, int shift, int esize, boolean unsigned) {
        if (v == 0) {
            return 0;
        }
        if (shift >= esize) {
            cpu.fpsr |= Fp.FPSR_QC;
            if (unsigned) {
                return Vectors.mask(esize);
            }
            return v < 0 ? signedMin(esize) : signedMax(esize);
        }
        long r = v << shift;
        if (unsigned) {
            if ((r >>> shift) != v) {
                cpu.fpsr |= Fp.FPSR_QC;
                return Vectors.mask(esize);
            }
            return satUnsigned(cpu, r, esize);
        }
        if ((r >> shift) != v) {
            cpu.fpsr |= Fp.FPSR_QC;
            return v < 0 ? signedMin(esize) : signedMax(esize);
        }
        return satSigned(cpu, r, esize);
    }

    /** SQSHLU: a signed element shifted left and saturated to an unsigned result. */
    public static long shiftLeftSatSignedToUnsigned(Cpu cpu, long v, int shift, int esize) {
        if (v < 0) {
            cpu.fpsr |= Fp.FPSR_QC;
            return 0;
        }
        return shiftLeftSat(cpu, v, shift, esize, true);
    }

    /**
     * SQDMULH / SQRDMULH: SignedSatQ((2*a*b + round_const) >> esize) for esize 16 or 32,
     * computed as (a*b + round_const/2) >> (esize-1), which cannot overflow.
     */
    public static long doublingMultiplyHigh(Cpu cpu, long a, long b, int esize, boolean round) {
        long product = a * b + (round ? 1L << (esize - 2) : 0);
        return satSigned(cpu, product >> (esize - 1), esize);
    }

    /**
     * SQRDMLAH / SQRDMLSH (FEAT_RDM): SignedSatQ(((acc << esize) +/- 2*a*b + round_const)
     * >> esize), computed halved ((acc << (esize-1)) +/- a*b + 2^(esize-2)) >> (esize-1)
     * so that 32-bit elements stay within 64 bits.
     */
    public static long roundingDoublingMultiplyAccumulateHigh(Cpu cpu, long acc, long a, long b, int esize,
                                                              boolean subtract) {
        long product = a * b;
        long sum = (acc << (esize - 1)) + (subtract ? -product : product) + (1L << (esize - 2));
        return satSigned(cpu, sum >> (esize - 1), esize);
    }

    /** SQDMULL: SignedSatQ(2*a*b, 2*esize) for esize 16 or 32. */
    public static long doublingMultiplyLong(Cpu cpu, long a, long b, int esize) {
        long product = a * b;
        if (esize == 32 && product == 1L << 62) {
            cpu.fpsr |= Fp.FPSR_QC;
            return Long.MAX_VALUE;
        }
        return satSigned(cpu, 2 * product, 2 * esize);
    }

    /** PolynomialMult: carry-less product of two values of up to 32 bits. */
    public static long polyMul(long a, long b, int bits) {
        long r = 0;
        for (int i = 0; i < bits; i++) {
            if (((b >>> i) & 1) != 0) {
                r ^= a << i;
            }
        }
        return r;
    }

    /** The low 64 bits of the 128-bit carry-less product of two 64-bit values. */
    public static long polyMul64Lo(long a, long b) {
        long lo = 0;
        for (int i = 0; i < 64; i++) {
            if (((b >>> i) & 1) != 0) {
                lo ^= a << i;
            }
        }
        return lo;
    }

    /** The high 64 bits of the 128-bit carry-less product of two 64-bit values. */
    public static long polyMul64Hi(long a, long b) {
        long hi = 0;
        for (int i = 1; i < 64; i++) {
            if (((b >>> i) & 1) != 0) {
                hi ^= a >>> (64 - i);
            }
        }
        return hi;
    }

    public static long absDiff(long a, long b) {
        return a > b ? a - b : b - a;
    }
}
