package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Swap entries shared by fork, against Linux 6.1: {@code copy_nonpresent_pte}
 * ({@code swap_duplicate}, the parent's entry loses PTE_SWP_EXCLUSIVE, the child gets
 * MM_SWAPENTS); {@code do_swap_page} for a slot with {@code __swap_count > 1} (read through
 * the swap cache, so the other side finds the page there as a minor fault; {@code swap_free}
 * drops one reference; the page is mapped writable only if {@code exclusive ||
 * folio_ref_count == 1}); and the release of the slot ({@code free_swap_and_cache} at zap,
 * {@code free_pages_and_swap_cache} when the last mapping of a swap-cache page goes).
 */
class ForkSwapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final MemorySwapDevice device = MemorySwapDevice.attach(m, 4 << 20);
    private final Proc parent = Proc.first(m);
    private SwapSpace swap() {
        return m.frames.swap();
    }

    /** One page written with {@code value} by the parent and swapped out; returns its address. */
    private long swappedOutPage(long value) throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, value);
        assertEquals(0, parent.map.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a)));
        return a;
    }

    @Test
    void forkOfASwappedOutPageGivesItsSlotASecondReference() throws Exception {
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        assertTrue(SwapPte.exclusive(m.pt.pte(a)));
        Proc child = parent.fork(2);
        long childPte = child.mm.pageTables().pte(a);
        assertEquals(2, swap().count(offset), "swap_duplicate");
        assertEquals(offset, SwapPte.offset(childPte));
        assertFalse(SwapPte.exclusive(m.pt.pte(a)), "the parent's entry is marked shared");
        assertFalse(SwapPte.exclusive(childPte));
        assertEquals(1, child.mm.pageTables().swapEntries(), "rss[MM_SWAPENTS]++");
        assertEquals(1, parent.mm.pageTables().swapEntries());
    }

    @Test
    void aSwapInByOneSideGoesThroughTheSwapCacheAndLeavesOneReference() throws Exception {
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        parent.fork(2);
        assertEquals(11, parent.run().user.read64(a));
        assertEquals(1, swap().count(offset));
        assertTrue(swap().hasCache(offset), "read into the swap cache: the child's entry still needs it");
        long frame = PageTables.frameOf(m.pt.pte(a));
        assertEquals(frame, m.frames.swapCache().find(offset));
        assertEquals(1, parent.faults.majorFaults());
        assertEquals(1, m.frames.events().get(Event.PSWPIN));
    }

    @Test
    void theOtherSideFindsThePageInTheSwapCacheAsAMinorFault() throws Exception {
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        Proc child = parent.fork(2);
        parent.run().user.read64(a);
        assertEquals(11, child.run().user.read64(a));
        assertEquals(0, child.faults.majorFaults(), "lookup_swap_cache hit: no VM_FAULT_MAJOR");
        assertEquals(1, child.faults.counts().swapCache());
        assertEquals(1, m.frames.events().get(Event.PSWPIN), "no second device read");
        assertEquals(1, m.frames.events().get(Event.PGMAJFAULT));
        assertEquals(1, device.reads);
        assertEquals(PageTables.frameOf(m.pt.pte(a)), PageTables.frameOf(child.mm.pageTables().pte(a)));
        assertEquals(0, swap().count(offset));
        assertEquals(2, m.frames.mapcount(PageTables.frameOf(m.pt.pte(a))));
    }

    @Test
    void aWriteAfterASharedSwapInCopiesAndTheOtherSideKeepsItsData() throws Exception {
        long a = swappedOutPage(11);
        Proc child = parent.fork(2);
        parent.run().user.write64(a, 12);
        assertEquals(12, parent.user.read64(a));
        assertEquals(11, child.run().user.read64(a));
        child.user.write64(a, 13);
        assertEquals(12, parent.run().user.read64(a));
        assertEquals(13, child.run().user.read64(a));
    }

    @Test
    void theSlotIsFreedAndTheDeviceToldWhenTheLastEntryGoes() throws Exception {
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        Proc child = parent.fork(2);
        child.mm.release();
        assertEquals(1, swap().count(offset));
        assertEquals(List.of(), device.freed);
        assertEquals(0, parent.run().map.munmap(a, PAGE));
        assertFalse(swap().inUse(offset));
        assertEquals(List.of(offset), device.freed);
    }

    @Test
    void onceTheChildIsGoneTheParentsSwapInIsExclusiveAgain() throws Exception {
        // __swap_count == 1: the page is read fresh, not exposed to the swap cache, so exclusive.
        long a = swappedOutPage(11);
        parent.fork(2).mm.release();
        parent.run().user.write64(a, 12);
        assertTrue(ProtectionMap.isWritable(m.pt.pte(a)));
        assertEquals(0, parent.faults.cowFaults());
        assertEquals(0, swap().usedPages());
    }

    @Test
    void aPageSharedByForkIsSwappedOutToOneSlotWithAReferencePerMapping() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 21);
        Proc child = parent.fork(2);
        // First trip: young once (the parent's entry) -> kept with PG_referenced; second: reclaimed.
        m.vmscan.directReclaim(0);
        assertEquals(1, m.vmscan.directReclaim(0));
        long p = m.pt.pte(a);
        long c = child.mm.pageTables().pte(a);
        assertEquals(PteState.SWAP, PteState.of(p));
        assertEquals(PteState.SWAP, PteState.of(c));
        assertEquals(SwapPte.offset(p), SwapPte.offset(c));
        assertEquals(2, swap().count(SwapPte.offset(p)));
        assertFalse(SwapPte.exclusive(p), "not PageAnonExclusive after fork");
        assertFalse(SwapPte.exclusive(c));
        assertEquals(21, child.run().user.read64(a));
        assertEquals(21, parent.run().user.read64(a));
    }

    @Test
    void unmappingTheLastMappingOfASwapCachePageReleasesItsSlot() throws Exception {
        // 6.1 mm/swap_state.c free_swap_cache: PageSwapCache && !folio_mapped -> folio_free_swap,
        // called from tlb_batch_pages_flush -> free_pages_and_swap_cache for every zapped page.
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        Proc child = parent.fork(2);
        parent.run().user.read64(a); // into the swap cache, count 1
        child.mm.release(); // count 0: SWAP_HAS_CACHE only; the parent still maps the page
        assertTrue(swap().hasCache(offset));
        assertEquals(0, parent.map.munmap(a, PAGE));
        assertEquals(0, m.frames.countSwapCached(), "SwapCached");
        assertFalse(swap().inUse(offset));
        assertEquals(List.of(offset), device.freed);
        assertEquals(0, swap().usedPages());
    }

    @Test
    void zapOfTheLastSwapEntryFreesAMappedSwapCachePageWhenSwapIsFull() throws Exception {
        // A small area: 7 usable slots; 4 in use makes vm_swap_full() true (3 * 2 < 7).
        m.frames.setSwap(new SwapSpace(device, 8 * PAGE));
        long a = swappedOutPage(11);
        long offset = SwapPte.offset(m.pt.pte(a));
        long filler = parent.map.mmap(0, 3 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 3; i++) {
            parent.user.write64(filler + i * PAGE, i);
        }
        assertEquals(0, parent.map.madvise(filler, 3 * PAGE, Mman.MADV_PAGEOUT));
        assertTrue(swap().isFull());
        Proc child = parent.fork(2);
        parent.run().user.read64(a); // into the swap cache; count 1 (the child's entry)
        assertTrue(swap().hasCache(offset));
        child.mm.release(); // count 0, swap full: __try_to_reclaim_swap frees the page's slot
        assertFalse(swap().inUse(offset));
        assertEquals(0, m.frames.countSwapCached());
        assertTrue(m.frames.isDirty(PageTables.frameOf(m.pt.pte(a))), "folio_free_swap: folio_set_dirty");
        assertEquals(11, parent.user.read64(a));
    }

    @Test
    void aForkedSwapEntryReadBySidesInTurnKeepsEveryValue() throws Exception {
        long a = parent.run().map.mmap(0, 3 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 3; i++) {
            parent.user.write64(a + i * PAGE, 300 + i);
        }
        assertEquals(0, parent.map.madvise(a, 3 * PAGE, Mman.MADV_PAGEOUT));
        Proc child = parent.fork(2);
        Proc grandchild = child.run().fork(3);
        assertEquals(3, swap().count(SwapPte.offset(m.pt.pte(a))));
        for (int i = 0; i < 3; i++) {
            assertEquals(300 + i, grandchild.run().user.read64(a + i * PAGE));
            assertEquals(300 + i, parent.run().user.read64(a + i * PAGE));
        }
        child.run().user.write64(a, 1);
        assertNotEquals(1, parent.run().user.read64(a));
        assertEquals(301, child.user.read64(a + PAGE));
        assertEquals(302, grandchild.run().user.read64(a + 2 * PAGE));
    }
}
