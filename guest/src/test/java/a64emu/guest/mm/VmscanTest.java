package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reclaim as a whole, Linux 6.1 {@code mm/vmscan.c}: under memory pressure the allocator's
 * direct reclaim swaps anonymous pages out and every page still reads back as written;
 * mlocked pages are never reclaimed ({@code folio_evictable}, the unevictable list);
 * {@code shrink_active_list} deactivates pages with PG_workingset set but gives referenced
 * executable file pages another round; and the bookkeeping stays exact: each slot's
 * {@code swap_map} count equals the swap entries naming it, and the reverse map the entries
 * in RAM.
 */
class VmscanTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    /** Each slot's count equals the swap entries that name it, in every address space. */
    static void assertSwapCountsMatchEntries(FrameAllocator frames) {
        Map<Long, Integer> entries = new HashMap<>();
        for (AddressSpace as : frames.addressSpaces()) {
            as.pageTables().forEachEntry(0, as.layout().taskSize(), (va, pte) -> {
                if (PteState.of(pte) == PteState.SWAP) {
                    assertEquals(SwapSpace.TYPE, SwapPte.type(pte));
                    entries.merge(SwapPte.offset(pte), 1, Integer::sum);
                }
                return pte;
            });
        }
        SwapSpace swap = frames.swap();
        long used = 0;
        for (long offset = 1; offset <= swap.totalPages(); offset++) {
            assertEquals((int) entries.getOrDefault(offset, 0), swap.count(offset), "swap_map count of slot " + offset);
            if (swap.hasCache(offset)) {
                long pa = frames.swapCache().find(offset);
                assertTrue(pa >= 0 && frames.inSwapCache(pa) && frames.swapOffset(pa) == offset,
                        "SWAP_HAS_CACHE with a cached page for slot " + offset);
            }
            if (swap.inUse(offset)) {
                used++;
            }
        }
        assertEquals(used, swap.usedPages());
    }

    private static long pattern(int page, int word) {
        return 0x6100_0000_0000L | ((long) page << 12) | word;
    }

    @Test
    void everyPageWrittenUnderMemoryPressureReadsBackTheSame() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        MemorySwapDevice device = MemorySwapDevice.attach(m, 16L << 20);
        int pages = 3000; // 12 MiB of anonymous memory in 8 MiB of RAM
        long a = m.memoryMap.mmap(0, pages * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < pages; i++) {
            m.user.write64(a + i * PAGE, pattern(i, 0));
            m.user.write64(a + i * PAGE + PAGE - 8, pattern(i, 511));
        }
        assertTrue(device.writes > 0, "pages went to swap");
        assertTrue(m.frames.events().get(Event.ALLOCSTALL_MOVABLE) > 0, "the allocator reclaimed directly");
        assertSwapCountsMatchEntries(m.frames);
        RmapTest.assertRmapMatchesPageTables(m.frames);
        for (int i = 0; i < pages; i++) {
            assertEquals(pattern(i, 0), m.user.read64(a + i * PAGE), "page " + i);
            assertEquals(pattern(i, 511), m.user.read64(a + i * PAGE + PAGE - 8), "page " + i);
        }
        assertTrue(m.frames.events().get(Event.PSWPIN) > 0);
        assertSwapCountsMatchEntries(m.frames);
        RmapTest.assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void forkedProcessesUnderMemoryPressureEachKeepTheirOwnData() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        MemorySwapDevice.attach(m, 32L << 20);
        Proc parent = Proc.first(m);
        int pages = 1200;
        long a = parent.map.mmap(0, pages * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < pages; i++) {
            parent.user.write64(a + i * PAGE, pattern(i, 1));
        }
        Proc child = parent.fork(2);
        for (int i = 0; i < pages; i += 3) {
            child.run().user.write64(a + i * PAGE, pattern(i, 2));
        }
        // More memory than is left, in the parent: both processes' pages are reclaimed.
        long b = parent.run().map.mmap(0, 1500 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 1500; i++) {
            parent.user.write64(b + i * PAGE, pattern(i, 3));
        }
        assertSwapCountsMatchEntries(m.frames);
        RmapTest.assertRmapMatchesPageTables(m.frames);
        for (int i = 0; i < pages; i++) {
            assertEquals(i % 3 == 0 ? pattern(i, 2) : pattern(i, 1), child.run().user.read64(a + i * PAGE),
                    "child page " + i);
            assertEquals(pattern(i, 1), parent.run().user.read64(a + i * PAGE), "parent page " + i);
        }
        for (int i = 0; i < 1500; i++) {
            assertEquals(pattern(i, 3), parent.user.read64(b + i * PAGE));
        }
        assertSwapCountsMatchEntries(m.frames);
        RmapTest.assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void mlockedPagesAreNeverSwappedOut() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        MemorySwapDevice.attach(m, 16L << 20);
        m.memoryMap.setPrivileged(true);
        long locked = m.memoryMap.mmap(0, 64 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 64; i++) {
            m.user.write64(locked + i * PAGE, pattern(i, 7));
        }
        assertEquals(0, m.memoryMap.mlock(locked, 64 * PAGE, 0));
        long a = m.memoryMap.mmap(0, 3000 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 3000; i++) {
            m.user.write64(a + i * PAGE, i);
        }
        assertTrue(m.frames.events().get(Event.PSWPOUT) > 0);
        for (int i = 0; i < 64; i++) {
            long pte = m.pt.pte(locked + i * PAGE);
            assertEquals(PteState.PRESENT, PteState.of(pte), "locked page " + i);
            long pa = PageTables.frameOf(pte);
            assertTrue(m.frames.isMlocked(pa));
            assertFalse(m.frames.inSwapCache(pa), "never given a swap slot");
            assertEquals(ListId.UNEVICTABLE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
            assertEquals(pattern(i, 7), m.user.read64(locked + i * PAGE));
        }
    }

    @Test
    void aPageFaultedIntoAnMlockedAreaIsUnevictableFromTheStart() throws Exception {
        TestMachine m = new TestMachine(48);
        m.memoryMap.setPrivileged(true);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON | Mman.MAP_LOCKED, null, 0);
        m.user.write64(a, 1);
        long pa = PageTables.frameOf(m.pt.pte(a));
        assertTrue(m.frames.isMlocked(pa));
        assertEquals(ListId.UNEVICTABLE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
    }

    @Test
    void withoutSwapAnonymousPagesAreNotScanned() throws Exception {
        // get_scan_count: no swap -> SCAN_FILE; zone_reclaimable_pages leaves anon out.
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            m.user.write64(a + i * PAGE, i);
        }
        assertEquals(0, m.vmscan.directReclaim(0));
        assertEquals(0, m.frames.events().get(Event.PGSCAN_ANON));
        assertEquals(0, m.vmscan.reclaimablePages());
    }

    @Test
    void reclaimablePagesCountAnonymousPagesOnlyWhileSwapHasRoom() throws Exception {
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            m.user.write64(a + i * PAGE, i);
        }
        m.frames.setSwap(new SwapSpace(new MemorySwapDevice(), 2 * PAGE));
        assertEquals(4, m.vmscan.reclaimablePages(), "zone_reclaimable_pages with free swap");
        m.frames.swap().allocate();
        assertEquals(0, m.vmscan.reclaimablePages(), "get_nr_swap_pages() == 0");
    }

    // ---- shrink_active_list -------------------------------------------------------------

    private static void activate(TestMachine m, long pa) {
        m.frames.setActive(pa, true);
        m.frames.lruPutback(FrameAllocator.pfn(pa));
    }

    private static long fileFrame(TestMachine m, int prot) throws Exception {
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) PAGE]), "/bin/x",
                true, false);
        long a = m.memoryMap.mmap(0, PAGE, prot, Mman.MAP_PRIVATE, f, 0);
        m.user.read64(a);
        return PageTables.frameOf(m.pt.pte(a));
    }

    @Test
    void aReferencedExecutableFilePageGetsAnotherRoundOnTheActiveList() throws Exception {
        TestMachine m = new TestMachine(48);
        long pa = fileFrame(m, Mman.PROT_READ | Mman.PROT_EXEC);
        activate(m, pa);
        m.vmscan.directReclaim(0);
        assertEquals(ListId.ACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
        assertEquals(1, m.frames.events().get(Event.PGREFILL));
        assertEquals(0, m.frames.events().get(Event.PGDEACTIVATE));
    }

    @Test
    void aReferencedNonExecutableFilePageIsDeactivatedWithPgWorkingset() throws Exception {
        TestMachine m = new TestMachine(48);
        long pa = fileFrame(m, Mman.PROT_READ);
        activate(m, pa);
        m.vmscan.directReclaim(0);
        assertEquals(ListId.INACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
        assertTrue(m.frames.isWorkingset(pa));
        assertFalse(m.frames.isActive(pa));
        assertEquals(1, m.frames.events().get(Event.PGDEACTIVATE));
    }

    @Test
    void aReferencedActiveAnonymousPageIsDeactivatedWhenTheInactiveListIsLow() throws Exception {
        // Anon folios are not rotated even with VM_EXEC ("JVM can create lots of anon VM_EXEC folios").
        TestMachine m = new TestMachine(48);
        MemorySwapDevice.attach(m, 1 << 20);
        long a = m.memoryMap.mmap(0, PAGE, RW | Mman.PROT_EXEC, ANON, null, 0);
        m.user.write64(a, 3);
        long pa = PageTables.frameOf(m.pt.pte(a));
        activate(m, pa);
        m.frames.get(pa); // keep the frame to look at its flags
        try {
            m.vmscan.directReclaim(0);
            assertEquals(1, m.frames.events().get(Event.PGDEACTIVATE));
            assertTrue(m.frames.isWorkingset(pa));
            assertFalse(m.frames.isActive(pa));
        } finally {
            m.frames.put(pa);
        }
        // shrink_lruvec ages the anon lists at every priority; once inactive and aged (its young bit
        // spent by shrink_active_list's folio_referenced) the page is reclaimed at priority 0.
        assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a)));
        assertEquals(3, m.user.read64(a));
    }

    @Test
    void anEvictedWorkingsetPageThatRefaultsIsRestored() throws Exception {
        // workingset_refault: within the workingset and PG_workingset in the shadow -> WORKINGSET_RESTORE.
        TestMachine m = new TestMachine(48);
        MemorySwapDevice.attach(m, 1 << 20);
        long a = m.memoryMap.mmap(0, 8 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 8; i++) {
            m.user.write64(a + i * PAGE, i);
        }
        long pa = PageTables.frameOf(m.pt.pte(a));
        m.frames.setWorkingset(pa, true);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        // Make the rest active so that the anon refault distance (1) is within the workingset.
        for (int i = 1; i < 8; i++) {
            activate(m, PageTables.frameOf(m.pt.pte(a + i * PAGE)));
        }
        m.user.read64(a);
        long back = PageTables.frameOf(m.pt.pte(a));
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_ACTIVATE_ANON));
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_RESTORE_ANON));
        assertTrue(m.frames.isWorkingset(back));
        assertEquals(ListId.ACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(back)));
    }

    @Test
    void refaultsSeenBeforeAReclaimKeepFileDeactivationOnForAllOfIt() throws Exception {
        // prepare_scan_count: WORKINGSET_ACTIVATE_FILE != lruvec->refaults[WORKINGSET_FILE] sets
        // DEACTIVATE_FILE "to get rid of any stale active pages quickly", at every priority.
        TestMachine m = new TestMachine(48);
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) (19 * PAGE)]),
                "/data", true, false);
        long a = m.memoryMap.mmap(0, 19 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        for (int i = 0; i < 19; i++) {
            m.user.read64(a + i * PAGE);
        }
        assertEquals(0, m.memoryMap.munmap(a, 16 * PAGE)); // 16 cached, unmapped, inactive
        for (int i = 16; i < 18; i++) {
            activate(m, PageTables.frameOf(m.pt.pte(a + i * PAGE)));
        }
        // A refault within the workingset (distance 1 <= 2 active): one workingset activation.
        assertEquals(0, m.memoryMap.madvise(a + 18 * PAGE, PAGE, Mman.MADV_PAGEOUT));
        m.user.read64(a + 18 * PAGE);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_ACTIVATE_FILE));
        // Inactive 16 against active 3 is not low at any priority of this reclaim; only the refault
        // asks for deactivation. Linux deactivates once 3 >> priority is non-zero (priority 1).
        m.vmscan.directReclaim(0);
        assertTrue(m.frames.events().get(Event.PGDEACTIVATE) > 0);
    }

    @Test
    void theAnonListsAreAgedWhileSwapExistsEvenWhenItIsFull() throws Exception {
        // shrink_lruvec: "Even if we did not try to evict anon pages at all, we want to rebalance
        // the anon lru active/inactive ratio": can_age_anon_pages && inactive_is_low.
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        long pa = PageTables.frameOf(m.pt.pte(a));
        activate(m, pa);
        SwapSpace full = new SwapSpace(new MemorySwapDevice(), 2 * PAGE);
        m.frames.setSwap(full);
        full.allocate();
        m.vmscan.directReclaim(0);
        assertEquals(1, m.frames.events().get(Event.PGDEACTIVATE));
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
    }
}
