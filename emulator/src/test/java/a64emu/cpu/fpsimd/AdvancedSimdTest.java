package a64emu.cpu.fpsimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;

import org.junit.jupiter.api.Test;

/**
 * Advanced SIMD vector instructions. Words from aarch64-linux-gnu-as; lane values are
 * worked out by hand (little-endian: byte 0 of a register is the low byte of vLo).
 */
class AdvancedSimdTest {
    private final CpuHarness h = new CpuHarness();

    /** "hello, world\0xyz" as the 16 bytes of a Q register. */
    private static final long HELLO_LO = 0x77202c6f6c6c6568L;
    private static final long HELLO_HI = 0x7a797800646c726fL;

    @Test
    void cmeqZeroThenUmaxpFindsTheTerminatorAsStrlenDoes() {
        h.v(0, HELLO_LO, HELLO_HI);
        h.run(0x4e209801,   // cmeq v1.16b, v0.16b, #0
              0x6e21a422,   // umaxp v2.16b, v1.16b, v1.16b
              0x9e660040);  // fmov x0, d2
        assertEquals(0, h.vLo(1));
        assertEquals(0x0000_00FF_0000_0000L, h.vHi(1), "byte 12 is the NUL");
        assertEquals(0x00FF_0000_0000_0000L, h.x(0), "pair (12,13) is byte 6 of the pairwise result");
        assertEquals(0x00FF_0000_0000_0000L, h.vHi(2));
    }

    @Test
    void shrnBuildsTheFourBitsPerByteSyndrome() {
        h.v(1, 0, 0x0000_00FF_0000_0000L).v(3, -1, -1);
        h.run(0x0f0c8423);  // shrn v3.8b, v1.8h, #4
        assertEquals(0x000F_0000_0000_0000L, h.vLo(3));
        assertEquals(0, h.vHi(3), "a 64-bit arrangement zeroes the upper half");
    }

    @Test
    void uminpTakesPairwiseMinimaOfBothOperands() {
        h.v(0, HELLO_LO, HELLO_HI).run(0x6e20ac04); // uminp v4.16b, v0.16b, v0.16b
        assertEquals(0x7900_646f_202c_6c65L, h.vLo(4));
        assertEquals(0x7900_646f_202c_6c65L, h.vHi(4));
    }

    @Test
    void tblLooksUpBytesAndGivesZeroOutOfRangeWhileTbxKeepsTheOldByte() {
        h.v(6, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        h.v(7, 0x1716151413121110L, 0x1f1e1d1c1b1a1918L);
        h.v(8, 0x0f1105ff20101f00L, 0x800a1e4004030201L);
        h.run(0x4e0820c5);  // tbl v5.16b, {v6.16b, v7.16b}, v8.16b
        assertEquals(0x0f11050000101f00L, h.vLo(5));
        assertEquals(0x000a1e0004030201L, h.vHi(5));
        h.v(5, 0xAAAA_AAAA_AAAA_AAAAL, -1);
        h.run(0x0e0810c5);  // tbx v5.8b, {v6.16b}, v8.8b
        assertEquals(0x0fAA05AAAAAAAA00L, h.vLo(5));
        assertEquals(0, h.vHi(5));
    }

    @Test
    void moviFamilyExpandsItsImmediates() {
        h.v(3, -1, -1).v(4, -1, -1).v(7, 0x0000_0001_0000_0002L, 3);
        h.run(0x6f05e540,   // movi v0.2d, #0xff00ff00ff00ff00
              0x4f002641,   // movi v1.4s, #0x12, lsl #8
              0x6f00c642,   // mvni v2.4s, #0x12, msl #8
              0x6f07b7e3,   // bic v3.8h, #0xff, lsl #8
              0x2f04e464,   // movi d4, #0xff0000000000ffff
              0x4f03e425,   // movi v5.16b, #0x61
              0x6f03f706,   // fmov v6.2d, #1.5
              0x4f047407);  // orr v7.4s, #0x80, lsl #24
        assertEquals(0xff00ff00ff00ff00L, h.vLo(0));
        assertEquals(0xff00ff00ff00ff00L, h.vHi(0));
        assertEquals(0x0000_1200_0000_1200L, h.vHi(1));
        assertEquals(0xFFFF_ED00_FFFF_ED00L, h.vLo(2));
        assertEquals(0x00FF_00FF_00FF_00FFL, h.vHi(3));
        assertEquals(0xff0000000000ffffL, h.vLo(4));
        assertEquals(0, h.vHi(4));
        assertEquals(0x6161_6161_6161_6161L, h.vHi(5));
        assertEquals(Double.doubleToRawLongBits(1.5), h.vHi(6));
        assertEquals(0x8000_0001_8000_0002L, h.vLo(7));
        assertEquals(0x8000_0000_8000_0003L, h.vHi(7));
    }

    @Test
    void copyGroupMovesLanesBetweenGeneralAndVectorRegisters() {
        h.x(1, 0x1234_5678_90AB_CDEFL).v(3, 11, 22);
        h.run(0x4e010c20,   // dup v0.16b, w1
              0x4e020c21,   // dup v1.8h, w1
              0x4e180462);  // dup v2.2d, v3.d[1]
        assertEquals(0xEFEF_EFEF_EFEF_EFEFL, h.vHi(0));
        assertEquals(0xCDEF_CDEF_CDEF_CDEFL, h.vLo(1));
        assertEquals(22, h.vLo(2));
        assertEquals(22, h.vHi(2));
        h.run(0x0e0e3c20);  // umov w0, v1.h[3]
        assertEquals(0xCDEF, h.x(0));
        h.run(0x4e1f2c20);  // smov x0, v1.b[15]
        assertEquals(0xFFFF_FFFF_FFFF_FFCDL, h.x(0));
        h.v(1, 5, 6).run(0x4e183c20); // mov x0, v1.d[1]
        assertEquals(6, h.x(0));
        h.v(0, 1, 2).run(0x4e141c20); // mov v0.s[2], w1
        assertEquals(1, h.vLo(0));
        assertEquals(0x90AB_CDEFL, h.vHi(0));
        h.v(1, 0x77, 0).run(0x6e1f0420); // mov v0.b[15], v1.b[0]
        assertEquals(0x7700_0000_90AB_CDEFL, h.vHi(0));
    }

    @Test
    void pairwiseAndAcrossLaneReductions() {
        h.v(1, 0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L);
        h.v(2, 0x0000_0014_0000_000AL, 0x0000_0028_0000_001EL);
        h.run(0x4ea2bc20);  // addp v0.4s, v1.4s, v2.4s
        assertEquals(0x0000_0007_0000_0003L, h.vLo(0));
        assertEquals(0x0000_0046_0000_001EL, h.vHi(0));
        h.v(1, 0x0102_0304_F005_0607L, 0x0809_0A0B_0C0D_0E0FL).run(0x6e30a820); // umaxv b0, v1.16b
        assertEquals(0xF0, h.vLo(0));
        h.v(1, -1, -1).run(0x6e303820); // uaddlv h0, v1.16b
        assertEquals(16 * 255, h.vLo(0));
        h.v(1, 0x0000_0002_0000_0001L, 0xFFFF_FFFF_0000_0003L).run(0x4eb1b820); // addv s0, v1.4s
        assertEquals(5, h.vLo(0));
        h.v(1, 40, 2).run(0x5ef1b820); // addp d0, v1.2d
        assertEquals(42, h.vLo(0));
        h.run(0x5e180420);  // mov d0, v1.d[1]
        assertEquals(2, h.vLo(0));
        assertEquals(0, h.vHi(0));
    }

    @Test
    void narrowingAndLengtheningMoves() {
        h.v(1, 0x1122_3344_5566_7788L, 0x99AA_BBCC_DDEE_FF00L).v(0, -1, -1);
        h.run(0x0e212820);  // xtn v0.8b, v1.8h
        assertEquals(0xAACC_EE00_2244_6688L, h.vLo(0));
        assertEquals(0, h.vHi(0));
        h.run(0x4e212820);  // xtn2 v0.16b, v1.8h
        assertEquals(0xAACC_EE00_2244_6688L, h.vLo(0), "XTN2 keeps the lower half");
        assertEquals(0xAACC_EE00_2244_6688L, h.vHi(0));
        h.v(1, 0x8000_0000_7FFF_FFFFL, 0xFFFF_FFFF_0000_0001L);
        h.run(0x0f20a420);  // sxtl v0.2d, v1.2s
        assertEquals(0x7FFF_FFFFL, h.vLo(0));
        assertEquals(0xFFFF_FFFF_8000_0000L, h.vHi(0));
        h.run(0x4f23a420);  // sshll2 v0.2d, v1.4s, #3
        assertEquals(8, h.vLo(0));
        assertEquals(-8, h.vHi(0));
    }

    @Test
    void longMultipliesWidenBeforeMultiplying() {
        h.v(1, 0x0000_0003_FFFF_FFFEL, 0x0000_0002_FFFF_FFFFL);
        h.v(2, 0xFFFF_FFFC_7FFF_FFFFL, 0x0000_0003_FFFF_FFFFL);
        h.run(0x0ea2c020);  // smull v0.2d, v1.2s, v2.2s
        assertEquals(-2L * 0x7FFF_FFFFL, h.vLo(0));
        assertEquals(-12, h.vHi(0));
        h.run(0x6ea2c020);  // umull2 v0.2d, v1.4s, v2.4s
        assertEquals(0xFFFF_FFFE_0000_0001L, h.vLo(0));
        assertEquals(6, h.vHi(0));
    }

    @Test
    void permutesExtractAndReverse() {
        h.v(1, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        h.v(2, 0x1716151413121110L, 0x1f1e1d1c1b1a1918L);
        h.run(0x6e021820);  // ext v0.16b, v1.16b, v2.16b, #3
        assertEquals(0x0a09080706050403L, h.vLo(0));
        assertEquals(0x1211100f0e0d0c0bL, h.vHi(0));
        h.run(0x4e023820);  // zip1 v0.16b, v1.16b, v2.16b
        assertEquals(0x1303120211011000L, h.vLo(0));
        assertEquals(0x1707160615051404L, h.vHi(0));
        h.run(0x4e825820);  // uzp2 v0.4s, v1.4s, v2.4s
        assertEquals(0x0f0e0d0c07060504L, h.vLo(0));
        assertEquals(0x1f1e1d1c17161514L, h.vHi(0));
        h.run(0x4e200820);  // rev64 v0.16b, v1.16b
        assertEquals(0x0001020304050607L, h.vLo(0));
        assertEquals(0x08090a0b0c0d0e0fL, h.vHi(0));
    }

    @Test
    void integerLaneArithmeticAndBitwiseSelects() {
        h.v(0, -1, -1).v(1, 0x01FF_0000_0000_0080L, 1).v(2, 0x0101_0000_0000_0080L, 2);
        h.run(0x0e228420);  // add v0.8b, v1.8b, v2.8b
        assertEquals(0x0200_0000_0000_0000L, h.vLo(0), "lanes wrap at 8 bits");
        assertEquals(0, h.vHi(0));
        h.run(0x6e223c20);  // cmhs v0.16b, v1.16b, v2.16b
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, h.vLo(0));
        assertEquals(0xFFFF_FFFF_FFFF_FF00L, h.vHi(0));
        h.v(0, 0x00FF, 0).v(1, 0x1234, 0).v(2, 0x0F0F, 0);
        h.run(0x6ea21c20);  // bit v0.16b, v1.16b, v2.16b: insert v1 where v2 is set
        assertEquals(0x02F4, h.vLo(0));
        h.v(0, 0x00FF, 0).run(0x6e621c20); // bsl: v0 selects v1 (set) or v2 (clear)
        assertEquals(0x0F34, h.vLo(0));
        h.v(1, 0x0301_FF00_0000_0007L, -1).run(0x4e205820); // cnt v0.16b, v1.16b
        assertEquals(0x0201_0800_0000_0003L, h.vLo(0));
        assertEquals(0x0808_0808_0808_0808L, h.vHi(0));
        h.v(1, 7, 0x0000_0005_0000_0004L).v(2, 3, 0x0000_0002_0000_0003L).v(0, 0, 0x0000_0064_0000_0064L);
        h.run(0x4ea29c20);  // mul v0.4s
        assertEquals(21, h.vLo(0));
        assertEquals(0x0000_000A_0000_000CL, h.vHi(0));
        h.v(0, 100, 0x0000_0064_0000_0064L).run(0x6ea29420); // mls v0.4s: 100 - v1*v2
        assertEquals(79, h.vLo(0));
        assertEquals(0x0000_005A_0000_0058L, h.vHi(0));
    }

    @Test
    void shiftsByImmediate() {
        h.v(1, -1, 0x8000_0000_0000_0000L);
        h.run(0x6f400420);  // ushr v0.2d, v1.2d, #64
        assertEquals(0, h.vLo(0));
        assertEquals(0, h.vHi(0));
        h.v(1, 0x8000_0000_7FFF_FFFFL, 0).run(0x4f210420); // sshr v0.4s, v1.4s, #31
        assertEquals(0xFFFF_FFFF_0000_0000L, h.vLo(0));
        h.v(0, 0x0001_0001_0001_0001L, 0).v(1, 0xFF00_1200_0100_0000L, 0);
        h.run(0x6f181420);  // usra v0.8h, v1.8h, #8
        assertEquals(0x0100_0013_0002_0001L, h.vLo(0));
        h.v(1, 0x0800_0000_0000_0001L, 0).run(0x4f255420); // shl v0.4s, v1.4s, #5
        assertEquals(0x0000_0000_0000_0020L, h.vLo(0));
        h.v(1, 0x1234_5678_0000_FFFFL, 0).v(2, 0x0000_0001_0000_0001L, 0);
        h.run(0x0e224020);  // addhn v0.8b, v1.8h, v2.8h: high byte of each 16-bit sum
        assertEquals(0x0000_0000_1256_0000L, h.vLo(0) & 0xFFFF_FFFF_FFFFL);
    }

    @Test
    void vectorFloatingPoint() {
        h.v(1, -3L, 1L << 62);
        h.run(0x4e61d820);  // scvtf v0.2d, v1.2d
        assertEquals(Double.doubleToRawLongBits(-3.0), h.vLo(0));
        assertEquals(Double.doubleToRawLongBits(0x1p62), h.vHi(0));
        h.v(1, Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(-9.0));
        h.v(2, Double.doubleToRawLongBits(4.0), Double.doubleToRawLongBits(3.0));
        h.run(0x6e62fc20);  // fdiv v0.2d, v1.2d, v2.2d
        assertEquals(Double.doubleToRawLongBits(0.25), h.vLo(0));
        assertEquals(Double.doubleToRawLongBits(-3.0), h.vHi(0));
    }

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long s2(float lo, float hi) {
        return (Float.floatToRawIntBits(lo) & 0xFFFF_FFFFL) | ((long) Float.floatToRawIntBits(hi) << 32);
    }

    @Test
    void byElementFormsUseOneLaneOfVm() {
        h.v(0, d(1.0), d(2.0)).v(1, d(3.0), d(4.0)).v(2, d(100.0), d(0.5));
        h.run(0x4fc21820);  // fmla v0.2d, v1.2d, v2.d[1]
        assertEquals(d(2.5), h.vLo(0));
        assertEquals(d(4.0), h.vHi(0));
        h.run(0x5fc29820);  // fmul d0, d1, v2.d[1]
        assertEquals(d(1.5), h.vLo(0));
        assertEquals(0, h.vHi(0));
        h.v(1, 0x0000_0003_0000_0002L, 0xFFFF_FFFF_0000_0004L).v(2, 0, 0x0000_0005_0000_0000L);
        h.run(0x4fa28820);  // mul v0.4s, v1.4s, v2.s[3]
        assertEquals(0x0000_000F_0000_000AL, h.vLo(0));
        assertEquals(0xFFFF_FFFB_0000_0014L, h.vHi(0));
        h.v(1, 0x0001_0002_0003_0004L, 0).v(15, 0, 0x0003_0000_0000_0000L);
        h.run(0x4f7f8820);  // mul v0.8h, v1.8h, v15.h[7]
        assertEquals(0x0003_0006_0009_000CL, h.vLo(0));
        h.v(1, 0, 0xFFFF_FFFF_0000_0002L).v(2, 0xFFFF_FFFF_0000_0000L, 0);
        h.run(0x6fa2a020);  // umull2 v0.2d, v1.4s, v2.s[1]
        assertEquals(0x0000_0001_FFFF_FFFEL, h.vLo(0));
        assertEquals(0xFFFF_FFFE_0000_0001L, h.vHi(0));
    }

    @Test
    void precisionConversionsRoundingAndReductions() {
        h.v(1, s2(1.5f, -0.25f), 0);
        h.run(0x0e617820);  // fcvtl v0.2d, v1.2s
        assertEquals(d(1.5), h.vLo(0));
        assertEquals(d(-0.25), h.vHi(0));
        h.v(1, d(0.1), d(1e300)).v(0, 7, 9);
        h.run(0x4e616820);  // fcvtn2 v0.4s, v1.2d: the lower half is kept
        assertEquals(7, h.vLo(0));
        assertEquals(s2(0.1f, Float.POSITIVE_INFINITY), h.vHi(0));
        h.v(1, 0x0000_0001_8000_0000L, 0x0000_0000_0001_0000L).run(0x6ea04820); // clz v0.4s
        assertEquals(0x0000_001F_0000_0000L, h.vLo(0));
        assertEquals(0x0000_0020_0000_000FL, h.vHi(0));
        h.v(1, d(-2.5), d(2.75)).run(0x4e619820); // frintm v0.2d
        assertEquals(d(-3.0), h.vLo(0));
        assertEquals(d(2.0), h.vHi(0));
        h.v(1, s2(Float.NaN, -1.0f), s2(3.0f, 2.0f)).run(0x6e30c820); // fmaxnmv s0, v1.4s
        assertEquals(Float.floatToRawIntBits(3.0f), h.vLo(0));
    }

    @Test
    void eorOfARegisterWithItselfClearsIt() {
        h.v(0, 0x1234, 0x5678).run(0x6e201c00); // eor v0.16b, v0.16b, v0.16b
        assertEquals(0, h.vLo(0));
        assertEquals(0, h.vHi(0));
    }

    @Test
    void reservedArrangementsAreUndefined() {
        h.assertUndefined(0x0ee28420); // add v0.1d: size 11 with Q=0
        h.assertUndefined(0x6ee1a422); // umaxp .2d: no 64-bit lanes
        h.assertUndefined(0x4e605820); // cnt .8h: bytes only
        h.assertUndefined(0x2e62fc20); // fdiv .1d
        h.assertUndefined(0x2e024020); // ext .8b with index 8
        h.assertUndefined(0x0f408423); // shrn from 128-bit lanes (immh = 1xxx)
        h.assertUndefined(0x0ee12820); // xtn from 128-bit lanes
        h.assertUndefined(0x0e083c20); // umov w0, v1.d[0]: 64-bit lane needs Q=1
        h.assertUndefined(0x4e000c20); // dup with imm5 = 00000
        h.assertUndefined(0x6f00fc00); // "fmov" with op=1, o2=1: unallocated
    }
}
