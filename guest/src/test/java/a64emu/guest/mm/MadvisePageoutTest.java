package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.mmu.Descriptor;
import a64emu.mmu.PteState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MADV_PAGEOUT, MADV_COLD and MADV_FREE against Linux 6.1 {@code mm/madvise.c}
 * ({@code madvise_cold_or_pageout_pte_range}: pages this process alone maps get their entry
 * made old and PG_referenced cleared, then {@code reclaim_pages} / {@code deactivate_page};
 * {@code madvise_free_pte_range}: swap entries freed at once, pages made clean, old and
 * lazily freeable) and the reclaim behind them ({@code shrink_folio_list}: a lazyfree folio
 * that stayed clean is discarded, one written again is made swap-backed and kept).
 */
class MadvisePageoutTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc first = Proc.first(m);
    @TempDir
    Path dir;

    private long anonPages(int n) throws Exception {
        long a = m.memoryMap.mmap(0, n * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < n; i++) {
            m.user.write64(a + i * PAGE, 0x5000 + i);
        }
        return a;
    }

    // ---- MADV_PAGEOUT ------------------------------------------------------------------

    @Test
    void madvPageoutOfAnonymousPagesSwapsThemOutAtOnce() throws Exception {
        MemorySwapDevice device = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPages(4);
        int free = m.frames.freeFrames();
        assertEquals(0, m.memoryMap.madvise(a, 4 * PAGE, Mman.MADV_PAGEOUT));
        for (int i = 0; i < 4; i++) {
            assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a + i * PAGE)), "page " + i);
        }
        assertEquals(4, device.writes);
        assertEquals(4, m.frames.events().get(Event.PSWPOUT));
        assertEquals(free + 4, m.frames.freeFrames(), "the four frames are free again");
        assertEquals(4, m.pt.swapEntries());
        assertEquals(0, m.pt.residentPages());
        assertEquals(4, m.frames.swap().usedPages());
        assertEquals(0, m.frames.countSwapCached(), "synchronous write: __remove_mapping in the same pass");
        for (int i = 0; i < 4; i++) {
            assertEquals(0x5000 + i, m.user.read64(a + i * PAGE));
        }
    }

    @Test
    void madvPageoutLeavesPagesThatAnotherProcessAlsoMaps() throws Exception {
        MemorySwapDevice device = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPages(1);
        first.fork(2);
        assertEquals(0, first.run().map.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(PteState.PRESENT, PteState.of(m.pt.pte(a)), "page_mapcount != 1: not interfered with");
        assertEquals(0, device.writes);
    }

    @Test
    void madvPageoutOfAnMlockedRangeIsEinvalAndNothingIsSwapped() throws Exception {
        // can_madv_lru_vma: VM_LOCKED areas are refused.
        MemorySwapDevice device = MemorySwapDevice.attach(m, 1 << 20);
        m.memoryMap.setPrivileged(true);
        long a = anonPages(2);
        assertEquals(0, m.memoryMap.mlock(a, 2 * PAGE, 0));
        assertEquals(-Errno.EINVAL, m.memoryMap.madvise(a, 2 * PAGE, Mman.MADV_PAGEOUT));
        assertEquals(-Errno.EINVAL, m.memoryMap.madvise(a, 2 * PAGE, Mman.MADV_COLD));
        assertEquals(0, device.writes);
        assertEquals(PteState.PRESENT, PteState.of(m.pt.pte(a)));
    }

    @Test
    void madvPageoutWithoutSwapActivatesAnonymousPagesInstead() throws Exception {
        // shrink_folio_list: add_to_swap fails -> activate_locked.
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(PteState.PRESENT, PteState.of(m.pt.pte(a)));
        long frame = PageTables.frameOf(m.pt.pte(a));
        assertEquals(ListId.ACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(frame)));
        assertEquals(0x5000, m.user.read64(a));
    }

    @Test
    void madvPageoutOfACleanFilePageDropsItFromThePageCacheLeavingAShadow() throws Exception {
        Path p = dir.resolve("lib");
        byte[] content = new byte[(int) PAGE];
        java.util.Arrays.fill(content, (byte) 0x5a);
        Files.write(p, content);
        TempFilePages source = new TempFilePages(p);
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(source, p.toString(), true, true);
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        m.user.read64(a);
        assertTrue(m.frames.pageCache().find(source, 0) >= 0);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(PteState.NONE, PteState.of(m.pt.pte(a)));
        assertEquals(-1, m.frames.pageCache().find(source, 0));
        long major = m.faults.majorFaults();
        assertArrayEquals(content, m.user.read(a, (int) PAGE));
        assertEquals(major + 1, m.faults.majorFaults(), "read from the file again");
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_REFAULT_FILE));
    }

    // ---- MADV_COLD ---------------------------------------------------------------------

    @Test
    void madvColdDeactivatesAnActivePageAndClearsItsReferences() throws Exception {
        long a = anonPages(1);
        long pa = PageTables.frameOf(m.pt.pte(a));
        int pfn = FrameAllocator.pfn(pa);
        m.frames.setActive(pa, true);
        m.frames.setReferenced(pa, true);
        m.frames.lruPutback(pfn);
        assertEquals(ListId.ACTIVE_ANON, m.frames.lru().listOf(pfn));
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_COLD));
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(pfn));
        assertFalse(m.frames.isReferenced(pa));
        assertFalse(Descriptor.af(m.pt.pte(a)), "the entry is made old");
        assertEquals(1, m.frames.events().get(Event.PGDEACTIVATE));
        long af = m.faults.accessFlagFaults();
        m.user.read64(a);
        assertEquals(af + 1, m.faults.accessFlagFaults());
    }

    @Test
    void madvColdLeavesAnInactivePageWhereItIs() throws Exception {
        long a = anonPages(2);
        int first = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a)));
        assertEquals(0, m.memoryMap.madvise(a + PAGE, PAGE, Mman.MADV_COLD));
        assertEquals(first, m.frames.lru().tail(ListId.INACTIVE_ANON), "deactivate_page: only active folios move");
        assertEquals(0, m.frames.events().get(Event.PGDEACTIVATE));
    }

    // ---- MADV_FREE ---------------------------------------------------------------------

    @Test
    void aCleanMadvFreePageIsDiscardedByReclaimAndReadsBackAsZero() throws Exception {
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        long reclaimed = m.vmscan.directReclaim(0);
        assertEquals(1, reclaimed);
        assertEquals(1, m.frames.events().get(Event.PGLAZYFREED));
        assertEquals(PteState.NONE, PteState.of(m.pt.pte(a)), "try_to_unmap_one: discard");
        assertEquals(0, m.user.read64(a));
    }

    @Test
    void anMadvFreePageWrittenAgainKeepsItsDataThroughReclaim() throws Exception {
        long a = anonPages(2);
        assertEquals(0, m.memoryMap.madvise(a, 2 * PAGE, Mman.MADV_FREE));
        m.user.write64(a + PAGE + 8, 77); // redirties the second page
        m.vmscan.directReclaim(0);
        m.vmscan.directReclaim(0);
        assertEquals(0, m.user.read64(a));
        assertEquals(0x5001, m.user.read64(a + PAGE));
        assertEquals(77, m.user.read64(a + PAGE + 8));
        assertEquals(1, m.frames.events().get(Event.PGLAZYFREED));
    }

    @Test
    void madvPageoutOfAnMadvFreePageDiscardsItWithoutSwapping() throws Exception {
        MemorySwapDevice device = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(0, device.writes);
        assertEquals(PteState.NONE, PteState.of(m.pt.pte(a)));
        assertEquals(0, m.user.read64(a));
    }

    @Test
    void madvFreeOfASwappedOutPageFreesItsSlotAtOnce() throws Exception {
        MemorySwapDevice device = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        assertEquals(1, device.freed.size(), "free_swap_and_cache");
        assertEquals(0, m.pt.pte(a), "pte_clear_not_present_full");
        assertEquals(0, m.pt.swapEntries());
        assertEquals(0, m.user.read64(a));
    }

    @Test
    void madvFreeIsRefusedOnLockedAndFileBackedAreas() throws Exception {
        m.memoryMap.setPrivileged(true);
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.mlock(a, PAGE, 0));
        assertEquals(-Errno.EINVAL, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) PAGE]), "/data",
                true, false);
        long b = m.memoryMap.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, f, 0);
        assertEquals(-Errno.EINVAL, m.memoryMap.madvise(b, PAGE, Mman.MADV_FREE));
    }
}
