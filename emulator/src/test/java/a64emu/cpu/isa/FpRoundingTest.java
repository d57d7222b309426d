package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import a64emu.cpu.Cpu;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import org.junit.jupiter.api.Test;

/**
 * The round-to-nearest fast paths of {@link Fp}: a single-precision result is rounded
 * once from the exact value, even where the double nearest to it is a midpoint between
 * two floats (ARM ARM FPRound), and IXC follows the exactness of the result.
 */
class FpRoundingTest {
    private final Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(16L << 20)));

    private static long single(float f) {
        return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
    }

    @Test
    void fusedMultiplyAddBelowADoubleMidpointRoundsDownNotToEven() {
        // 1+2^-23 + (1+2^-23)(1-2^-23)2^-24 = 1 + 2^-23 + 2^-24 - 2^-70: the nearest double
        // is the midpoint 1 + 2^-23 + 2^-24, whose tie would go to the even 1 + 2^-22; the
        // exact value lies below it, so the result is 1 + 2^-23.
        float odd = 1f + 0x1p-23f;
        float below = (1f - 0x1p-23f) * 0x1p-24f;
        long r = Fp.mulAdd(cpu, 32, single(odd), single(odd), single(below));
        assertEquals(single(odd), r);
        assertNotEquals(0, cpu.fpsr & Fp.FPSR_IXC);
    }

    @Test
    void singleProductOnAnExactMidpointRoundsToEven() {
        // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 exactly: a true tie, which goes to the even 1 + 2^-11.
        float a = 1f + 0x1p-12f;
        long r = Fp.mul(cpu, 32, single(a), single(a));
        assertEquals(single(1f + 0x1p-11f), r);
        assertNotEquals(0, cpu.fpsr & Fp.FPSR_IXC);
    }

    @Test
    void exactSingleAndDoubleResultsLeaveInexactClear() {
        assertEquals(single(3f), Fp.add(cpu, 32, single(1f), single(2f)));
        assertEquals(Double.doubleToRawLongBits(0.75),
                Fp.mul(cpu, 64, Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(0.5)));
        assertEquals(0, cpu.fpsr & Fp.FPSR_IXC);
    }

    @Test
    void inexactDoubleQuotientIsJavasAndSetsInexact() {
        long r = Fp.div(cpu, 64, Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(3.0));
        assertEquals(Double.doubleToRawLongBits(1.0 / 3.0), r);
        assertNotEquals(0, cpu.fpsr & Fp.FPSR_IXC);
    }
}
