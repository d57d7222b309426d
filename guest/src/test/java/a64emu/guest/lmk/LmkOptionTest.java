package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.KernelConfig;
import org.junit.jupiter.api.Test;

/** The values of {@code --lmk}, and the table errors that make it a usage error. */
class LmkOptionTest {
    private static String error(String value) {
        return assertThrows(IllegalArgumentException.class, () -> LmkConfig.parse(value)).getMessage();
    }

    @Test
    void psiIsTheDefaultPolicy() {
        assertEquals(LmkConfig.DEFAULT, LmkConfig.parse("psi"));
        assertEquals(LmkConfig.Mode.PSI, KernelConfig.Memory.DEFAULT.lmk().mode());
        assertEquals(LmkConfig.DEFAULT, new KernelConfig.Memory(-1, 60, false).lmk());
    }

    @Test
    void offRunsNoLmkd() {
        assertFalse(LmkConfig.parse("off").enabled());
        assertTrue(LmkConfig.parse("psi").enabled());
    }

    @Test
    void minfreeAloneTakesAndroidsTableForTheRam() {
        LmkConfig c = LmkConfig.parse("minfree");
        assertEquals(LmkConfig.Mode.MINFREE, c.mode());
        assertNull(c.minfree());
        assertEquals(MinfreeTable.android(1024 * 1024), c.minfreeFor(1024 * 1024));
    }

    @Test
    void anExplicitTableIsPagesThenAdj() {
        LmkConfig c = LmkConfig.parse("minfree=1024,2048,4096,adj=0,500,900");
        MinfreeTable t = c.minfree();
        assertEquals(3, t.levels());
        assertEquals(2048, t.minfree(1));
        assertEquals(900, t.adj(2));
        assertEquals("minfree=1024,2048,4096,adj=0,500,900", c.toString());
        assertEquals(c, LmkConfig.parse(c.toString()));
    }

    @Test
    void unequalLengthsAreAnError() {
        assertEquals("minfree table: 3 minfree levels but 2 adj values: each level needs both",
                error("minfree=1,2,3,adj=0,900"));
    }

    @Test
    void nonNumericValuesAreAnError() {
        assertEquals("minfree table: 'lots' is not a number (minfree level (pages))", error("minfree=lots,adj=900"));
        assertEquals("minfree table: '9x' is not a number (adj value)", error("minfree=1,adj=9x"));
        assertEquals("minfree table: '' is not a number (adj value)", error("minfree=1,2,adj=900,"));
    }

    @Test
    void adjOutsideMinus1000To1000IsAnError() {
        assertEquals("minfree table: adj 1001 is outside -1000..1000", error("minfree=1,adj=1001"));
        assertEquals("minfree table: adj -1001 is outside -1000..1000", error("minfree=1,adj=-1001"));
    }

    @Test
    void minfreeThatDoesNotIncreaseIsAnError() {
        assertEquals("minfree table: minfree levels must increase: 100 after 200", error("minfree=200,100,adj=0,1"));
        assertEquals("minfree table: minfree levels must increase: 200 after 200", error("minfree=200,200,adj=0,1"));
    }

    @Test
    void moreThanSixLevelsOrNoneAreAnError() {
        assertEquals("minfree table: a table has 1 to 6 levels (lmkd's MAX_TARGETS), not 7",
                error("minfree=1,2,3,4,5,6,7,adj=1,2,3,4,5,6,7"));
        assertEquals("minfree table: 'adj=1' has no minfree levels before adj=", error("minfree=adj=1"));
    }

    @Test
    void aMissingAdjListIsAnError() {
        assertEquals("minfree table: '1,2' has no adj=A,... after the minfree levels", error("minfree=1,2"));
    }

    @Test
    void anUnknownPolicyIsAnError() {
        assertEquals("'vmpressure' is not psi, minfree, minfree=PAGES,...,adj=ADJ,... or off", error("vmpressure"));
    }
}
