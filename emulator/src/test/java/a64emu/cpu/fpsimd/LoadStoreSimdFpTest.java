package a64emu.cpu.fpsimd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;

import org.junit.jupiter.api.Test;

/** Loads and stores of SIMD&FP registers. Words from aarch64-linux-gnu-as. */
class LoadStoreSimdFpTest {
    private static final long DATA = CpuHarness.DATA;
    private final CpuHarness h = new CpuHarness();

    /** Bytes 0, 1, 2, ... at DATA. */
    private void fillCounting(int length) {
        for (int i = 0; i < length; i++) {
            h.mem8(DATA + i, i);
        }
    }

    @Test
    void stpQPreIndexAndLdpQPostIndexWriteBackTheBase() {
        h.v(0, 1, 2).v(1, 3, 4).x(0, DATA + 64);
        h.run(0xadbf0400);  // stp q0, q1, [x0, #-32]!
        assertEquals(DATA + 32, h.x(0));
        assertEquals(1, h.mem64(DATA + 32));
        assertEquals(2, h.mem64(DATA + 40));
        assertEquals(3, h.mem64(DATA + 48));
        assertEquals(4, h.mem64(DATA + 56));
        h.run(0xacc10c02);  // ldp q2, q3, [x0], #32
        assertEquals(DATA + 64, h.x(0));
        assertEquals(1, h.vLo(2));
        assertEquals(2, h.vHi(2));
        assertEquals(3, h.vLo(3));
        assertEquals(4, h.vHi(3));
    }

    @Test
    void ld1MultipleStructuresPostIndexByImmediateAndByRegister() {
        fillCounting(64);
        h.x(0, DATA).x(1, -16);
        h.run(0x4cdfa000);  // ld1 {v0.16b, v1.16b}, [x0], #32
        assertEquals(DATA + 32, h.x(0));
        assertEquals(0x0706050403020100L, h.vLo(0));
        assertEquals(0x1f1e1d1c1b1a1918L, h.vHi(1));
        h.run(0x4cc17802);  // ld1 {v2.4s}, [x0], x1
        assertEquals(DATA + 16, h.x(0));
        assertEquals(0x2726252423222120L, h.vLo(2));
    }

    @Test
    void ld2AndLd4DeinterleaveStructures() {
        fillCounting(32);
        h.v(4, -1, -1).x(0, DATA);
        h.run(0x0c408004);  // ld2 {v4.8b, v5.8b}, [x0]
        assertEquals(0x0e0c0a0806040200L, h.vLo(4));
        assertEquals(0, h.vHi(4));
        assertEquals(0x0f0d0b0907050301L, h.vLo(5));
        h.run(0x0c400404);  // ld4 {v4.4h-v7.4h}, [x0]: halfword k goes to register k % 4
        assertEquals(0x1918111009080100L, h.vLo(4));
        assertEquals(0x1f1e_1716_0f0e_0706L, h.vLo(7));
    }

    @Test
    void singleLaneLoadsAndStoresTouchOnlyTheirLane() {
        h.v(0, 0, 0xAABB_CCDD_1122_3344L).x(0, DATA).mem64(DATA, -1);
        h.run(0x4d009000);  // st1 {v0.s}[3], [x0]
        assertEquals(0xFFFF_FFFF_AABB_CCDDL, h.mem64(DATA));
        h.run(0x4d40c403);  // ld1r {v3.8h}, [x0]
        assertEquals(0xCCDD_CCDD_CCDD_CCDDL, h.vLo(3));
        assertEquals(0xCCDD_CCDD_CCDD_CCDDL, h.vHi(3));
        h.mem8(DATA, 0x5A).run(0x4ddf0403); // ld1 {v3.b}[9], [x0], #1
        assertEquals(DATA + 1, h.x(0));
        assertEquals(0xCCDD_CCDD_CCDD_CCDDL, h.vLo(3));
        assertEquals(0xCCDD_CCDD_CCDD_5ADDL, h.vHi(3));
    }

    @Test
    void registerOffsetLiteralAndUnscaledAddressing() {
        fillCounting(64);
        h.x(0, DATA + 16).x(1, 2);
        h.run(0x3ce17800);  // ldr q0, [x0, x1, lsl #4]
        assertEquals(0x3736353433323130L, h.vLo(0));
        h.v(1, -1, -1).x(1, 0xFFFF_FFFFL).run(0xbc61d801); // ldr s1, [x0, w1, sxtw #2]
        assertEquals(0x0f0e0d0cL, h.vLo(1));
        assertEquals(0, h.vHi(1), "a scalar load zeroes the rest of the register");
        h.load(CpuHarness.CODE + 0x24, 0x55667788, 0x11223344);
        h.run(0x5c000122);  // ldr d2, [pc, #0x24]
        assertEquals(0x1122334455667788L, h.vLo(2));
        h.v(3, 0x99, 0).run(0x3d001403); // str b3, [x0, #5]
        assertEquals(0x99, h.mem8(DATA + 21));
        assertEquals(0x16, h.mem8(DATA + 22));
        h.run(0xbc5fc004);  // ldur s4, [x0, #-4]
        assertEquals(0x0f0e0d0cL, h.vLo(4));
        h.run(0x7d400402);  // ldr h2, [x0, #2]
        assertEquals(0x1312, h.vLo(2));
        h.run(0x6c410400);  // ldnp d0, d1, [x0, #16]
        assertEquals(0x2726252423222120L, h.vLo(0));
        assertEquals(0x2f2e2d2c2b2a2928L, h.vLo(1));
        assertEquals(DATA + 16, h.x(0));
        h.v(7, 0x0102030405060708L, 9).run(0xfc1f8407); // str d7, [x0], #-8
        assertEquals(0x0102030405060708L, h.mem64(DATA + 16));
        assertEquals(DATA + 8, h.x(0));
    }

    @Test
    void st1FourRegistersStoresThemBackToBack() {
        h.v(0, 1, 2).v(1, 3, 4).v(2, 5, 6).v(3, 7, 8).x(0, DATA);
        h.run(0x4c002c00);  // st1 {v0.2d-v3.2d}, [x0]
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, h.mem64(DATA + 8L * i));
        }
        assertEquals(DATA, h.x(0));
    }

    @Test
    void misalignedSpBaseFaultsWhenSctlrSa0IsSet() {
        h.mmu.setSctlr(1 << 4);
        h.sp(CpuHarness.STACK - 8);
        ExceptionInfo e = h.runExpectingException(0x3dc007e5); // ldr q5, [sp, #16]
        assertEquals(Esr.EC_SP_ALIGN, e.ec());
        h.sp(CpuHarness.STACK - 32).mem64(CpuHarness.STACK - 16, 77);
        h.run(0x3dc007e5);
        assertEquals(77, h.vLo(5));
    }

    @Test
    void storeThatFaultsOnItsSecondPageWritesNothingAndKeepsTheBase() {
        long end = CpuHarness.RAM_SIZE;
        h.mem64(end - 8, 0x1111);
        h.v(6, 0xAAAA, 0xBBBB).x(0, end - 24);
        ExceptionInfo e = h.runExpectingException(0x3c810c06); // str q6, [x0, #16]!
        assertTrue(e.isAbort(), e::toString);
        assertEquals(end - 24, h.x(0), "no base write-back");
        assertEquals(0x1111, h.mem64(end - 8), "the first half was not stored");
    }

    @Test
    void reservedStructureFormsAreUndefined() {
        h.assertUndefined(0x0c408c04); // ld2 {v4.1d, v5.1d}: 1D needs one element per structure
        h.assertUndefined(0x0c40f004); // opcode 1111 is unallocated
        h.assertUndefined(0x4d40d403); // ld1r with S=1
        h.assertUndefined(0x4d00c403); // the replicate opcode has no store form
    }
}
