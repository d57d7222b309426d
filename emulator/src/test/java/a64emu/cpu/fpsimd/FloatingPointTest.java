package a64emu.cpu.fpsimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.isa.Fp;

import org.junit.jupiter.api.Test;

/**
 * Scalar floating point. Instruction words come from aarch64-linux-gnu-as; expected
 * values were checked against qemu-aarch64 -cpu cortex-a53.
 */
class FloatingPointTest {
    private final CpuHarness h = new CpuHarness();

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long s(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    private CpuHarness dreg(int n, double v) {
        return h.v(n, d(v), 0x1234_5678_9ABC_DEF0L);
    }

    @Test
    void fmovImmediateExpandsVfpImmAndZeroesUpperBits() {
        h.v(0, -1, -1).v(1, -1, -1);
        h.run(0x1e7e9000,   // fmov d0, #-1.25
              0x1e27f001,   // fmov s1, #31.0
              0x1e681002);  // fmov d2, #0.125
        assertEquals(d(-1.25), h.vLo(0));
        assertEquals(0, h.vHi(0));
        assertEquals(s(31.0f), h.vLo(1));
        assertEquals(0, h.vHi(1));
        assertEquals(d(0.125), h.vLo(2));
        assertEquals(0x3F80_0000L, Fp.expandImm(0x70, 32), "imm8 0x70 is 1.0");
        assertEquals(0x3FC0_0000L, Fp.expandImm(0x78, 32), "imm8 0x78 is 1.5");
        assertEquals(d(-2.0), Fp.expandImm(0x80, 64));
    }

    @Test
    void fcvtzsSaturatesOutOfRangeAndTurnsNaNIntoZeroWithInvalidFlag() {
        dreg(0, 1e20).run(0x9e780000);          // fcvtzs x0, d0
        assertEquals(Long.MAX_VALUE, h.x(0));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);

        h.cpu.fpsr = 0;
        dreg(0, -1e20).run(0x9e780000);
        assertEquals(Long.MIN_VALUE, h.x(0));

        h.cpu.fpsr = 0;
        dreg(0, 3e9).run(0x1e780000);           // fcvtzs w0, d0
        assertEquals(0x7FFF_FFFFL, h.x(0));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);

        h.cpu.fpsr = 0;
        h.v(0, 0x7FF8_0000_0000_0000L, 0).run(0x9e780000);
        assertEquals(0, h.x(0));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);

        h.cpu.fpsr = 0;
        dreg(0, -2.7).run(0x9e780000);
        assertEquals(-2, h.x(0), "rounds toward zero");
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);

        h.cpu.fpsr = 0;
        dreg(0, -0.5).run(0x9e790000);          // fcvtzu x0, d0: -0.5 truncates to -0, in range
        assertEquals(0, h.x(0));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
    }

    @Test
    void fcvtzsFixedPointScalesBeforeTruncating() {
        dreg(1, 1.75).run(0x9e58e020);          // fcvtzs x0, d1, #8
        assertEquals(448, h.x(0));
        h.x(1, 24).run(0x9e42f020);             // scvtf d0, x1, #4
        assertEquals(d(1.5), h.vLo(0));
    }

    @Test
    void ucvtfOfTwoToTheSixtyFourMinusOneRoundsUpToTwoToTheSixtyFour() {
        h.x(0, -1L).run(0x9e630000);            // ucvtf d0, x0
        assertEquals(0x43F0_0000_0000_0000L, h.vLo(0));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
        h.x(0, -1L).run(0x9e230000);            // ucvtf s0, x0
        assertEquals(0x5F80_0000L, h.vLo(0));
    }

    @Test
    void scvtfRoundsTiesToEvenAndHonoursDirectedRounding() {
        h.x(0, (1L << 53) + 1).run(0x9e620000); // scvtf d0, x0
        assertEquals(d(0x1p53), h.vLo(0));
        h.cpu.fpcr = (long) Fp.RP << Fp.FPCR_RMODE_SHIFT;
        h.x(0, (1L << 53) + 1).run(0x9e620000);
        assertEquals(d(0x1p53 + 2), h.vLo(0));
        h.cpu.fpcr = 0;
        h.x(0, 0xFFFF_FFFFL).run(0x1e220000);   // scvtf s0, w0: w0 = -1
        assertEquals(s(-1.0f), h.vLo(0));
    }

    @Test
    void fcmpSetsNzcvAndUnorderedIsZeroZeroOneOne() {
        dreg(0, 1.0);
        dreg(1, 2.0).run(0x1e612000);            // fcmp d0, d1
        assertEquals(0b1000, h.nzcv());
        dreg(1, 1.0).run(0x1e612000);
        assertEquals(0b0110, h.nzcv());
        dreg(1, -3.0).run(0x1e612000);
        assertEquals(0b0010, h.nzcv());
        h.v(1, 0x7FF8_0000_0000_0000L, 0).run(0x1e612000);
        assertEquals(0b0011, h.nzcv());
        assertEquals(0, h.cpu.fpsr, "FCMP with a quiet NaN does not signal");
        h.run(0x1e612010);                       // fcmpe d0, d1
        assertEquals(0b0011, h.nzcv());
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr, "FCMPE signals on any NaN");
        dreg(0, -0.0).run(0x1e602008);           // fcmp d0, #0.0
        assertEquals(0b0110, h.nzcv());
    }

    @Test
    void fccmpComparesOnlyWhenTheConditionHolds() {
        dreg(0, 1.0);
        dreg(1, 2.0);
        h.nzcv(0b0000).run(0x1e610405);          // fccmp d0, d1, #5, eq (Z clear: flags = 0101)
        assertEquals(0b0101, h.nzcv());
        h.nzcv(0b0100).run(0x1e610405);          // Z set: compare, 1 < 2
        assertEquals(0b1000, h.nzcv());
        h.nzcv(0b1000).run(0x1e62bc20);          // fcsel d0, d1, d2, lt (N != V: take d1)
        assertEquals(d(2.0), h.vLo(0));
    }

    @Test
    void fmaddRoundsOnlyOnce() {
        double x = 1 + 0x1p-30;
        dreg(1, x);
        dreg(2, x);
        dreg(3, -(1 + 0x1p-29)).run(0x1f420c20); // fmadd d0, d1, d2, d3
        assertEquals(d(0x1p-60), h.vLo(0), "x*x - (1+2^-29) is 2^-60 exactly; unfused it would be 0");
        dreg(3, 1 + 0x1p-29).run(0x1f428c20);    // fmsub d0, d1, d2, d3 = d3 - d1*d2
        assertEquals(d(-0x1p-60), h.vLo(0));
        dreg(3, 1.0).run(0x1f620c20);            // fnmadd d0 = -d3 - d1*d2
        assertEquals(d(-1.0 - x * x), h.vLo(0));
    }

    @Test
    void divisionFollowsFpcrRoundingMode() {
        dreg(1, 1.0);
        dreg(2, 3.0).run(0x1e621820);            // fdiv d0, d1, d2
        assertEquals(0x3FD5_5555_5555_5555L, h.vLo(0));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
        h.cpu.fpcr = (long) Fp.RP << Fp.FPCR_RMODE_SHIFT;
        h.run(0x1e621820);
        assertEquals(0x3FD5_5555_5555_5556L, h.vLo(0));
        h.cpu.fpcr = (long) Fp.RM << Fp.FPCR_RMODE_SHIFT;
        h.v(1, s(-1.0f), 0).v(2, s(3.0f), 0).run(0x1e221820); // fdiv s0, s1, s2
        assertEquals(0xBEAA_AAABL, h.vLo(0), "-1/3 rounded toward minus infinity");
    }

    @Test
    void divisionByZeroGivesInfinityAndDzc() {
        dreg(1, -1.0);
        dreg(2, 0.0).run(0x1e621820);
        assertEquals(d(Double.NEGATIVE_INFINITY), h.vLo(0));
        assertEquals(Fp.FPSR_DZC, h.cpu.fpsr);
        h.cpu.fpsr = 0;
        dreg(1, 0.0).run(0x1e621820);
        assertEquals(0x7FF8_0000_0000_0000L, h.vLo(0), "0/0 is the default NaN");
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);
    }

    @Test
    void signallingNaNOperandIsQuietedAndRaisesInvalid() {
        h.v(1, 0x7FF0_0000_0000_0001L, 0);
        dreg(2, 1.0).run(0x1e622820);            // fadd d0, d1, d2
        assertEquals(0x7FF8_0000_0000_0001L, h.vLo(0));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);
        h.cpu.fpcr = Fp.FPCR_DN;
        h.v(1, 0xFFF8_0000_0000_1234L, 0).run(0x1e622820);
        assertEquals(0x7FF8_0000_0000_0000L, h.vLo(0), "FPCR.DN gives the default NaN");
    }

    @Test
    void roundToIntegralUsesTheInstructionsMode() {
        dreg(1, 2.5).run(0x1e664020);            // frinta
        assertEquals(d(3.0), h.vLo(0));
        h.run(0x1e644020);                       // frintn
        assertEquals(d(2.0), h.vLo(0));
        dreg(1, -2.5).run(0x1e654020);           // frintm
        assertEquals(d(-3.0), h.vLo(0));
        h.cpu.fpsr = 0;
        dreg(1, -0.25).run(0x1e674020);          // frintx: -0.25 -> -0.0, inexact
        assertEquals(d(-0.0), h.vLo(0));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
    }

    @Test
    void fcvtConvertsBetweenHalfSingleAndDouble() {
        dreg(1, 1e300).run(0x1e624020);          // fcvt s0, d1
        assertEquals(0x7F80_0000L, h.vLo(0));
        assertEquals(Fp.FPSR_OFC | Fp.FPSR_IXC, h.cpu.fpsr);
        h.v(1, s(65520.0f), 0).run(0x1e23c020);  // fcvt h0, s1: ties to even overflows to infinity
        assertEquals(0x7C00L, h.vLo(0));
        h.v(1, s(-0.333251953125f), 0).run(0x1e23c020);
        assertEquals(0xB555L, h.vLo(0));
        h.v(1, 0x3C01, 0).run(0x1ee2c020);       // fcvt d0, h1
        assertEquals(d(1 + 0x1p-10), h.vLo(0));
    }

    @Test
    void narrowingJustAboveTheLargestFloatOverflowsOnlyWhenRoundingAway() {
        double justAbove = Float.MAX_VALUE + 0.75 * 0x1p104; // between MAX + ulp/2 and MAX + ulp
        h.cpu.fpcr = (long) Fp.RZ << Fp.FPCR_RMODE_SHIFT;
        dreg(1, justAbove).run(0x1e624020);      // fcvt s0, d1
        assertEquals(0x7F7F_FFFFL, h.vLo(0));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr, "toward zero stops at the largest normal: no overflow");
        h.cpu.fpcr = 0;
        h.cpu.fpsr = 0;
        h.run(0x1e624020);
        assertEquals(0x7F80_0000L, h.vLo(0));
        assertEquals(Fp.FPSR_OFC | Fp.FPSR_IXC, h.cpu.fpsr);
        h.cpu.fpcr = (long) Fp.RP << Fp.FPCR_RMODE_SHIFT;
        h.cpu.fpsr = 0;
        dreg(1, -justAbove).run(0x1e624020);
        assertEquals(0xFF7F_FFFFL, h.vLo(0), "rounding up a negative overflow gives -MAX");
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
    }

    @Test
    void fusedResultJustBelowTwoToThe128RoundedTowardZeroIsTheLargestFloatWithoutOverflow() {
        // Found by difftest against Unicorn and qemu-aarch64: the product is exactly 2^128,
        // the addend pulls the exact sum just below it, so the double nearest the sum is
        // 2^128 but the exact value does not reach the overflow threshold.
        h.cpu.fpcr = (long) Fp.RZ << Fp.FPCR_RMODE_SHIFT;
        h.v(14, s(-0x1p65f), 0).v(1, s(-0x1p63f), 0).v(4, s(-1.0f), 0);
        h.run(0x1f0111d2);                       // fmadd s18, s14, s1, s4
        assertEquals(0x7F7F_FFFFL, h.vLo(18));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr, "inexact, not overflow");
    }

    @Test
    void alternativeHalfConversionBeyondItsRangeSaturatesWithOnlyInvalidOperation() {
        // FPConvert with FPCR.AHP: the format has no infinity, so a value beyond 131008
        // saturates and raises IOC alone, in every rounding mode (difftest vs Unicorn/qemu).
        h.cpu.fpcr = Fp.FPCR_AHP | (long) Fp.RZ << Fp.FPCR_RMODE_SHIFT;
        h.v(18, s(1.0e6f), 0).run(0x1e23c255);   // fcvt h21, s18
        assertEquals(0x7FFFL, h.vLo(21));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr);
        h.cpu.fpcr = Fp.FPCR_AHP;
        h.cpu.fpsr = 0;
        h.v(18, s(131000.0f), 0).run(0x1e23c255);
        assertEquals(0x7FFFL, h.vLo(21), "131000 rounds to the largest alternative half, 131008");
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
    }

    @Test
    void fmovBetweenGeneralAndFpRegistersMovesBits() {
        h.v(1, 0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L);
        h.run(0x9e660020);                       // fmov x0, d1
        assertEquals(0x1111_2222_3333_4444L, h.x(0));
        h.run(0x9eae0020);                       // fmov x0, v1.d[1]
        assertEquals(0x5555_6666_7777_8888L, h.x(0));
        h.run(0x1e260020);                       // fmov w0, s1
        assertEquals(0x3333_4444L, h.x(0));
        h.v(0, 7, 9).x(1, -2).run(0x9e670020);   // fmov d0, x1
        assertEquals(-2, h.vLo(0));
        assertEquals(0, h.vHi(0));
        h.v(0, 7, 9).run(0x9eaf0020);            // fmov v0.d[1], x1 keeps the low half
        assertEquals(7, h.vLo(0));
        assertEquals(-2, h.vHi(0));
    }

    @Test
    void minMaxAndSignOperations() {
        dreg(1, Double.NaN);
        h.v(1, 0x7FF8_0000_0000_0000L, 0);
        dreg(2, 4.0).run(0x1e626820);            // fmaxnm d0, d1, d2
        assertEquals(d(4.0), h.vLo(0), "maxNum prefers the number to a quiet NaN");
        dreg(1, 0.0);
        dreg(2, -0.0).run(0x1e625820);           // fmin d0, d1, d2
        assertEquals(d(-0.0), h.vLo(0));
        dreg(1, 3.0);
        dreg(2, 2.0).run(0x1e628820);            // fnmul
        assertEquals(d(-6.0), h.vLo(0));
        dreg(1, 2.25).run(0x1e61c020);           // fsqrt
        assertEquals(d(1.5), h.vLo(0));
        dreg(1, -2.25).run(0x1e60c020);          // fabs
        assertEquals(d(2.25), h.vLo(0));
        h.v(1, s(1.0f), 0).run(0x1e214020);      // fneg s0, s1
        assertEquals(s(-1.0f), h.vLo(0));
    }

    @Test
    void halfPrecisionArithmeticWithFp16AndReservedTypes() {
        h.v(1, 0x3C00, 0).v(2, 0x4000, 0);      // 1.0 and 2.0 in half precision
        h.run(0x1ee22820);                       // fadd h0, h1, h2 (FEAT_FP16)
        assertEquals(0x4200, h.vLo(0));          // 3.0
        h.assertUndefined(0x1ea22820);           // ftype 10 is unallocated
        h.assertUndefined(0x1e634020);           // fcvt to type 10: unallocated
        h.assertUndefined(0x1e602001);           // fcmp with opcode2<2:0> != 0
    }
}
