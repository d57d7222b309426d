package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The swap area's slot bookkeeping against Linux 6.1 {@code mm/swapfile.c}: {@code swap_map}
 * holds a count of swap entries per slot plus SWAP_HAS_CACHE while a page of the slot is in
 * the swap cache; slot 0 is the header (SWAP_MAP_BAD, so {@code si->pages = maxpages - 1});
 * a slot is free when both the count and the cache bit are gone, and only then is the device
 * told ({@code swap_range_free} → {@code swap_slot_free_notify}). And the swap cache of
 * {@code mm/swap_state.c}: one reference per cached page, a workingset shadow left behind on
 * deletion, and {@code folio_free_swap} only when no swap entry refers to the slot.
 */
class SwapSpaceTest {
    private static final long PAGE = 4096;

    private final MemorySwapDevice device = new MemorySwapDevice();
    private final SwapSpace swap = new SwapSpace(device, 8 * PAGE);

    @Test
    void slotZeroIsTheHeaderAndIsNeverHandedOut() {
        assertEquals(7, swap.totalPages(), "si->pages = maxpages - 1");
        for (long expected = 1; expected <= 7; expected++) {
            assertEquals(expected, swap.allocate());
        }
        assertEquals(0, swap.allocate(), "full: get_swap_page finds nothing");
        assertEquals(7, swap.usedPages());
        assertEquals(0, swap.freePages());
    }

    @Test
    void aNewSlotBelongsToTheSwapCacheOnly() {
        // add_to_swap: get_swap_page then add_to_swap_cache; swap_map[offset] == SWAP_HAS_CACHE.
        long s = swap.allocate();
        assertTrue(swap.hasCache(s));
        assertEquals(0, swap.count(s));
        assertEquals(1, swap.usedPages(), "inuse_pages counts a slot held by the cache alone");
        assertEquals(6, swap.freePages());
    }

    @Test
    void theSlotIsFreedAndTheDeviceToldOnlyWhenTheCountAndTheCacheBitAreBothGone() {
        long s = swap.allocate();
        swap.duplicate(s); // try_to_unmap: one swap entry
        swap.duplicate(s); // fork: a second one
        assertEquals(2, swap.count(s));
        swap.clearCache(s); // __remove_mapping: the page left the swap cache
        assertTrue(swap.inUse(s));
        assertEquals(List.of(), device.freed);
        swap.free(s);
        assertEquals(1, swap.count(s));
        assertEquals(List.of(), device.freed);
        swap.free(s);
        assertFalse(swap.inUse(s));
        assertEquals(List.of(s), device.freed, "swap_slot_free_notify once, at the end");
        assertEquals(0, swap.usedPages());
    }

    @Test
    void aSlotWhoseLastEntryGoesWhileItsPageIsCachedStaysUntilTheCacheLetsGo() {
        long s = swap.allocate();
        swap.duplicate(s);
        swap.free(s);
        assertEquals(0, swap.count(s));
        assertTrue(swap.inUse(s), "swap_map == SWAP_HAS_CACHE");
        assertEquals(List.of(), device.freed);
        swap.clearCache(s);
        assertEquals(List.of(s), device.freed);
    }

    @Test
    void aFreedSlotIsHandedOutAgain() {
        for (int i = 0; i < 7; i++) {
            swap.allocate();
        }
        swap.clearCache(3);
        assertEquals(3, swap.allocate());
    }

    @Test
    void swapIsFullWhenLessThanHalfOfItIsFree() {
        // vm_swap_full: atomic_long_read(&nr_swap_pages) * 2 < total_swap_pages.
        for (int i = 0; i < 3; i++) {
            swap.allocate();
        }
        assertFalse(swap.isFull(), "4 of 7 free");
        swap.allocate();
        assertTrue(swap.isFull(), "3 of 7 free");
    }

    @Test
    void aSwapEntryIsTheLinux61Arm64Layout() {
        // 6.1 arch/arm64/include/asm/pgtable.h: type [7:3], offset [57:8]; pgtable-prot.h PTE_SWP_EXCLUSIVE bit 2.
        long pte = SwapSpace.pte(0x1234, true);
        assertEquals((0x1234L << 8) | (1L << 2), pte);
        assertEquals(PteState.SWAP, PteState.of(pte));
        assertEquals(0, SwapPte.type(pte));
        assertEquals(0x1234, SwapPte.offset(pte));
        assertTrue(SwapPte.exclusive(pte));
        long shared = SwapSpace.pte(0x1234, false);
        assertEquals(0x1234L << 8, shared);
        assertFalse(SwapPte.exclusive(shared));
        assertEquals(shared, SwapPte.clearExclusive(pte));
    }

    // ---- the swap cache ---------------------------------------------------------------

    private final FrameAllocator frames = new FrameAllocator(new PhysicalMemory(1 << 20));

    private SwapCache cacheOn(SwapSpace s) {
        frames.setSwap(s);
        return frames.swapCache();
    }

    @Test
    void theSwapCacheHoldsOneReferenceToEachOfItsPages() throws Exception {
        SwapCache cache = cacheOn(swap);
        long pa = frames.allocate();
        long s = swap.allocate();
        cache.add(pa, s);
        assertEquals(2, frames.refcount(pa));
        assertTrue(frames.inSwapCache(pa));
        assertEquals(s, frames.swapOffset(pa));
        assertEquals(pa, cache.find(s));
        assertEquals(1, frames.countSwapCached());
        cache.delete(pa, 41);
        assertEquals(1, frames.refcount(pa));
        assertFalse(frames.inSwapCache(pa));
        assertEquals(-1, cache.find(s));
        assertFalse(swap.inUse(s), "put_swap_folio: the cache bit was the slot's only use");
        frames.put(pa);
    }

    @Test
    void deletionLeavesAShadowThatIsTakenOnce() throws Exception {
        SwapCache cache = cacheOn(swap);
        long pa = frames.allocate();
        long s = swap.allocate();
        cache.add(pa, s);
        swap.duplicate(s);
        cache.delete(pa, 41);
        frames.put(pa);
        assertEquals(41, cache.takeShadow(s));
        assertEquals(-1, cache.takeShadow(s));
    }

    @Test
    void folioFreeSwapRefusesWhileAnEntryStillRefersToTheSlot() throws Exception {
        SwapCache cache = cacheOn(swap);
        long pa = frames.allocate();
        long s = swap.allocate();
        cache.add(pa, s);
        swap.duplicate(s);
        assertFalse(cache.freeSwap(pa), "folio_swapped: a swap entry still needs the slot");
        assertTrue(frames.inSwapCache(pa));
        swap.free(s);
        assertTrue(cache.freeSwap(pa));
        assertTrue(frames.isDirty(pa), "folio_free_swap: folio_set_dirty, memory holds the only copy");
        assertFalse(swap.inUse(s));
        assertEquals(List.of(s), device.freed);
        frames.put(pa);
    }
}
