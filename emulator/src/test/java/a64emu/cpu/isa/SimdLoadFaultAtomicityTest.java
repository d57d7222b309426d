package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.ExceptionInfo;
import org.junit.jupiter.api.Test;

/**
 * SIMD&amp;FP loads of several registers or elements write their registers only once every
 * access has succeeded: a load that faults on its second page leaves all of them (and the
 * base) as they were. Within one page the loads fill registers as they go, and must give
 * the same result as gathering first. Words from aarch64-linux-gnu-as.
 */
class SimdLoadFaultAtomicityTest {
    private static final long END = CpuHarness.RAM_SIZE;
    private final CpuHarness h = new CpuHarness();

    private void assertFaultsKeeping(int word, int... registers) {
        for (int r : registers) {
            h.v(r, 0x1000 + r, 0x2000 + r);
        }
        h.x(0, END - 16);
        ExceptionInfo e = h.runExpectingException(word);
        assertTrue(e.isAbort(), e::toString);
        for (int r : registers) {
            assertEquals(0x1000 + r, h.vLo(r), "V" + r + " low half unchanged");
            assertEquals(0x2000 + r, h.vHi(r), "V" + r + " high half unchanged");
        }
        assertEquals(END - 16, h.x(0));
    }

    @Test
    void ld1TwoRegistersFaultingOnTheSecondPageWritesNeither() {
        assertFaultsKeeping(0x4c40a000, 0, 1); // ld1 {v0.16b, v1.16b}, [x0]
    }

    @Test
    void ld2FaultingOnTheSecondPageWritesNeither() {
        assertFaultsKeeping(0x4c408802, 2, 3); // ld2 {v2.4s, v3.4s}, [x0]
    }

    @Test
    void ldpQFaultingOnTheSecondPageWritesNeither() {
        assertFaultsKeeping(0xad401404, 4, 5); // ldp q4, q5, [x0]
    }

    @Test
    void ld4rFaultingOnTheSecondPageWritesNone() {
        h.x(0, END - 4);
        for (int r = 8; r < 12; r++) {
            h.v(r, r, r);
        }
        ExceptionInfo e = h.runExpectingException(0x4d60e408); // ld4r {v8.8h-v11.8h}, [x0]
        assertTrue(e.isAbort(), e::toString);
        for (int r = 8; r < 12; r++) {
            assertEquals(r, h.vLo(r));
            assertEquals(r, h.vHi(r));
        }
    }

    @Test
    void ld1FourRegistersWithinOnePageLoadsAndPostIncrements() {
        long base = CpuHarness.DATA;
        for (int i = 0; i < 8; i++) {
            h.mem64(base + 8L * i, 0x0101_0101_0101_0101L * (i + 1));
        }
        h.x(0, base);
        h.run(0x4cdf2000); // ld1 {v0.16b-v3.16b}, [x0], #64
        for (int r = 0; r < 4; r++) {
            assertEquals(0x0101_0101_0101_0101L * (2 * r + 1), h.vLo(r));
            assertEquals(0x0101_0101_0101_0101L * (2 * r + 2), h.vHi(r));
        }
        assertEquals(base + 64, h.x(0));
    }

    @Test
    void ld1SingleLaneKeepsTheOtherLanes() {
        h.mem64(CpuHarness.DATA, 0xCAFE_F00DL);
        h.v(6, 0x1111_1111_2222_2222L, 0x3333_3333_4444_4444L).x(0, CpuHarness.DATA);
        h.run(0x0d409006); // ld1 {v6.s}[1], [x0]
        assertEquals(0xCAFE_F00D_2222_2222L, h.vLo(6));
        assertEquals(0x3333_3333_4444_4444L, h.vHi(6));
    }
}
