package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcrTest {
    /** Linux's TCR_EL1 for 48-bit VA, 4K pages, AS, A1, TBI0 and IPS from PARange 48. */
    private static final long LINUX_TCR = Tcr.t0sz(48) | Tcr.t1sz(48) | Tcr.TG1_4K_FIELD | Tcr.ips(48)
            | Tcr.AS | Tcr.A1 | Tcr.TBI0;

    @Test
    void fieldsDecodeFromTheirArchitecturalPositions() {
        assertEquals(0x0000_0035_8050_0010L, LINUX_TCR);
        assertEquals(16, Tcr.txsz(LINUX_TCR, false));
        assertEquals(48, Tcr.inputSize(LINUX_TCR, true));
        assertTrue(Tcr.is4kGranule(LINUX_TCR, false));
        assertTrue(Tcr.is4kGranule(LINUX_TCR, true));
        assertTrue(Tcr.tbi(LINUX_TCR, false));
        assertFalse(Tcr.tbi(LINUX_TCR, true));
        assertEquals(48, Tcr.outputSize(LINUX_TCR, Mmu.PA_RANGE_BITS));
        assertEquals(40, Tcr.outputSize(Tcr.ips(40), Mmu.PA_RANGE_BITS));
        assertEquals(48, Tcr.outputSize(Tcr.ips(52), Mmu.PA_RANGE_BITS), "IPS is bounded by PARange");
    }

    @Test
    void outOfRangeTxszBehavesAsTheNearestLimit() {
        assertEquals(16, Tcr.txsz(Tcr.t0sz(52), false));
        assertEquals(39, Tcr.txsz(Tcr.t0sz(20), false));
    }

    @Test
    void describeNamesTheFields() {
        assertEquals("T0SZ=16 (48-bit) T1SZ=16 (48-bit) TG0=4K TG1=4K IPS=48-bit ASID=16-bit A1 TBI0",
                Tcr.describe(LINUX_TCR));
    }
}
