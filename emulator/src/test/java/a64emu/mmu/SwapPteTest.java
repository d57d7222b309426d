package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SwapPteTest {

    @Test
    void swapEntryLiesInTheBitsLinux61UsesOnArm64() {
        // arch/arm64/include/asm/pgtable.h (6.1): type [7:3], offset [57:8], PTE_SWP_EXCLUSIVE bit 2.
        long pte = SwapPte.encode(3, 0x1234, true);
        assertEquals((3L << 3) | (0x1234L << 8) | (1L << 2), pte);
        assertEquals(3, SwapPte.type(pte));
        assertEquals(0x1234, SwapPte.offset(pte));
        assertTrue(SwapPte.exclusive(pte));
        assertFalse(SwapPte.exclusive(SwapPte.clearExclusive(pte)));
    }

    @Test
    void aSwapEntryIsInvalidForTheMmuAndNeitherNoneNorProtNone() {
        long pte = SwapPte.encode(0, 1, false);
        assertFalse(Descriptor.isValid(pte));
        assertEquals(PteState.SWAP, PteState.of(pte));
        assertEquals(PteState.NONE, PteState.of(0));
        assertEquals(PteState.PROT_NONE, PteState.of(Descriptor.pte(0x7000, Descriptor.PAGE_NONE)));
        assertEquals(PteState.PRESENT, PteState.of(Descriptor.page(0x7000, Descriptor.PAGE_READONLY)));
    }

    @Test
    void theLargestOffsetFitsBelowProtNoneAndOffsetZeroIsTheHeader() {
        long pte = SwapPte.encode(0, SwapPte.OFFSET_MASK, false);
        assertEquals(0, pte & Descriptor.SW_PROT_NONE, "bit 58 must stay clear");
        assertEquals(SwapPte.OFFSET_MASK, SwapPte.offset(pte));
        assertThrows(IllegalArgumentException.class, () -> SwapPte.encode(0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> SwapPte.encode(32, 1, false));
    }

    @Test
    void describeDecodesTheEntryAtLevelThree() {
        assertEquals("invalid swap type=0 offset=0x1a2 exclusive",
                Descriptor.describe(SwapPte.encode(0, 0x1a2, true), 3));
        assertEquals("invalid swap type=1 offset=0x5", Descriptor.describe(SwapPte.encode(1, 5, false), 3));
    }
}
