package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Swap-out and {@code do_swap_page} (Linux 6.1 {@code mm/memory.c}) for pages only one
 * mapping holds: the entry left behind ({@code try_to_unmap_one}: {@code swp_entry_to_pte},
 * {@code pte_swp_mkexclusive} for a PageAnonExclusive page), the read back (a zRAM-like
 * SWP_SYNCHRONOUS_IO device with {@code __swap_count == 1} skips the swap cache; the fault is
 * VM_FAULT_MAJOR with PGMAJFAULT and PSWPIN counted; {@code swap_free} releases the slot),
 * the mapping's write permission ({@code exclusive || folio_ref_count == 1}), the workingset
 * refault ({@code workingset_refault} from the shadow in the swap cache), and
 * {@code zap_pte_range}'s {@code free_swap_and_cache} for swap entries.
 */
class SwapFaultTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final MemorySwapDevice device = MemorySwapDevice.attach(m, 4 << 20);

    private long anonPages(int n) throws Exception {
        long a = m.memoryMap.mmap(0, n * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < n; i++) {
            m.user.write64(a + i * PAGE, 0x1000 + i);
        }
        return a;
    }

    private void pageout(long a, int n) {
        assertEquals(0, m.memoryMap.madvise(a, n * PAGE, Mman.MADV_PAGEOUT));
    }

    @Test
    void aSwappedOutPagesEntryDecodesAsTypeZeroItsSlotAndTheExclusiveBit() throws Exception {
        long a = anonPages(1);
        long frame = PageTables.frameOf(m.pt.pte(a));
        pageout(a, 1);
        long pte = m.pt.pte(a);
        assertEquals(PteState.SWAP, PteState.of(pte), SwapPte.describe(pte));
        assertEquals(0, pte & Descriptor.VALID);
        assertEquals(SwapSpace.TYPE, SwapPte.type(pte));
        long offset = SwapPte.offset(pte);
        assertEquals(List.of(offset), List.copyOf(device.stored.keySet()), "the device holds that slot");
        assertTrue(SwapPte.exclusive(pte), "written by this process alone: PageAnonExclusive");
        assertEquals(1, m.frames.swap().count(offset));
        assertFalse(m.frames.swap().hasCache(offset), "__remove_mapping took it out of the swap cache");
        assertFalse(m.frames.isAllocated(frame), "the frame went back to the allocator");
        assertEquals(0, m.pt.residentPages());
        assertEquals(1, m.pt.swapEntries(), "MM_SWAPENTS");
        assertEquals(1, m.frames.events().get(Event.PSWPOUT));
    }

    @Test
    void swapInReturnsTheSameBytes() throws Exception {
        long a = m.memoryMap.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        byte[][] data = new byte[4][(int) PAGE];
        Random r = new Random(61);
        for (int i = 0; i < 4; i++) {
            r.nextBytes(data[i]);
            m.user.write(a + i * PAGE, data[i]);
        }
        pageout(a, 4);
        assertEquals(4, device.writes);
        for (int i = 3; i >= 0; i--) {
            assertArrayEquals(data[i], m.user.read(a + i * PAGE, (int) PAGE), "page " + i);
        }
    }

    @Test
    void aSwapInFromTheDeviceIsAMajorFaultCountedInPgmajfaultAndPswpin() throws Exception {
        long a = anonPages(1);
        pageout(a, 1);
        long majorBefore = m.faults.majorFaults();
        assertEquals(0x1000, m.user.read64(a));
        assertEquals(majorBefore + 1, m.faults.majorFaults());
        assertEquals(1, m.frames.events().get(Event.PGMAJFAULT));
        assertEquals(1, m.frames.events().get(Event.PSWPIN));
        assertEquals(1, m.faults.counts().swapIn());
        assertEquals(1, device.reads);
    }

    @Test
    void aSwapInOfAnEntryOnlyThisMappingHoldsFreesItsSlotAtOnce() throws Exception {
        // do_swap_page: SWP_SYNCHRONOUS_IO && __swap_count(entry) == 1 skips the swap cache,
        // then swap_free drops the last reference and the slot is released.
        long a = anonPages(1);
        pageout(a, 1);
        long offset = SwapPte.offset(m.pt.pte(a));
        m.user.read64(a);
        assertFalse(m.frames.swap().inUse(offset));
        assertEquals(List.of(offset), device.freed, "swap_slot_free_notify");
        assertEquals(0, m.frames.countSwapCached());
        assertEquals(0, m.pt.swapEntries());
        assertEquals(1, m.pt.residentPages());
        assertEquals(0, m.frames.swap().usedPages());
    }

    @Test
    void aReadSwapInMapsThePageReadOnlyAndTheFirstWriteReusesIt() throws Exception {
        long a = anonPages(1);
        pageout(a, 1);
        m.user.read64(a);
        long pte = m.pt.pte(a);
        assertTrue(Descriptor.rdonly(pte), "mk_pte(page, vma->vm_page_prot): a private page starts read-only");
        long frame = PageTables.frameOf(pte);
        m.user.write64(a, 99);
        assertEquals(frame, PageTables.frameOf(m.pt.pte(a)), "exclusive: do_wp_page reuses, no copy");
        assertEquals(99, m.user.read64(a));
    }

    @Test
    void aWriteSwapInOfAnExclusiveEntryMapsThePageWritableAndDirtyWithoutACopy() throws Exception {
        long a = anonPages(1);
        pageout(a, 1);
        m.user.write64(a + 8, 5);
        long pte = m.pt.pte(a);
        assertTrue(ProtectionMap.isWritable(pte));
        assertTrue(ProtectionMap.isDirty(pte));
        assertEquals(0, m.faults.cowFaults(), "maybe_mkwrite(pte_mkdirty(pte)): no do_wp_page");
        assertEquals(0x1000, m.user.read64(a));
        assertEquals(5, m.user.read64(a + 8));
    }

    @Test
    void aSwapInOfAnEvictedPageIsAWorkingsetRefaultAnon() throws Exception {
        long a = anonPages(1);
        pageout(a, 1);
        m.user.read64(a);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_REFAULT_ANON));
        assertEquals(0, m.frames.events().get(Event.WORKINGSET_REFAULT_FILE));
    }

    @Test
    void anAnonRefaultWithinTheFileLruIsActivated() throws Exception {
        // workingset_refault: for anon, workingset_size = active_file + inactive_file (+ active_anon
        // with free swap). The refault distance here is 1 eviction; 4 inactive file pages cover it.
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) (4 * PAGE)]),
                "/data", true, false);
        long file = m.memoryMap.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        for (int i = 0; i < 4; i++) {
            m.user.read64(file + i * PAGE);
        }
        long a = anonPages(1);
        pageout(a, 1);
        m.user.read64(a);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_ACTIVATE_ANON));
        long frame = PageTables.frameOf(m.pt.pte(a));
        assertEquals(ListId.ACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(frame)));
    }

    @Test
    void anAnonRefaultBeyondTheWorkingsetIsNotActivated() throws Exception {
        // Nothing on the file lists and no active anon: workingset_size 0 < distance 1.
        long a = anonPages(1);
        pageout(a, 1);
        m.user.read64(a);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_REFAULT_ANON));
        assertEquals(0, m.frames.events().get(Event.WORKINGSET_ACTIVATE_ANON));
        long frame = PageTables.frameOf(m.pt.pte(a));
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(frame)));
    }

    @Test
    void munmapOfASwapEntryFreesItsSlot() throws Exception {
        long a = anonPages(2);
        pageout(a, 2);
        long first = SwapPte.offset(m.pt.pte(a));
        assertEquals(0, m.memoryMap.munmap(a, PAGE));
        assertEquals(List.of(first), device.freed, "zap_pte_range: free_swap_and_cache");
        assertEquals(1, m.frames.swap().usedPages());
        assertEquals(1, m.pt.swapEntries());
    }

    @Test
    void madvDontneedOfSwapEntriesFreesTheirSlots() throws Exception {
        long a = anonPages(3);
        pageout(a, 3);
        assertEquals(0, m.memoryMap.madvise(a, 3 * PAGE, Mman.MADV_DONTNEED));
        assertEquals(3, device.freed.size());
        assertEquals(0, m.frames.swap().usedPages());
        assertEquals(0, m.user.read64(a), "refaults zero-filled");
    }

    @Test
    void exitFreesEverySwapSlotOfTheProcess() throws Exception {
        long a = anonPages(3);
        pageout(a, 3);
        m.mm.release();
        assertEquals(0, m.frames.swap().usedPages());
        assertEquals(3, device.freed.size());
    }

    @Test
    void mincoreReportsASwappedOutPageAsNotResident() throws Exception {
        long a = anonPages(2);
        pageout(a, 1);
        byte[] vec = m.memoryMap.mincore(a, 2 * PAGE, new int[1]);
        assertEquals(0, vec[0]);
        assertEquals(1, vec[1]);
    }

    @Test
    void aFailedSwapWriteLeavesThePageDirtyInTheSwapCacheWithItsDataIntact() throws Exception {
        // end_swap_bio_write: "Write-error on swap-device", set_page_dirty; the folio is kept in the
        // swap cache (already unmapped: its entries are swap entries) and written again later.
        long a = anonPages(1);
        device.failWrites = 1;
        pageout(a, 1);
        long pte = m.pt.pte(a);
        assertEquals(PteState.SWAP, PteState.of(pte));
        long offset = SwapPte.offset(pte);
        long frame = m.frames.swapCache().find(offset);
        assertTrue(frame >= 0, "still in the swap cache");
        assertTrue(m.frames.isDirty(frame));
        assertEquals(0, device.writes);
        assertEquals(0x1000, m.user.read64(a), "found in the swap cache: a minor fault");
        assertEquals(0, m.faults.majorFaults());
        assertEquals(frame, PageTables.frameOf(m.pt.pte(a)));
    }

    @Test
    void aProtNonePageIsSwappedOutAndReadBackAfterMprotect() throws Exception {
        // A PROT_NONE entry is pte_present: reclaim unmaps it like any other and leaves a swap entry.
        long a = anonPages(1);
        assertEquals(0, m.memoryMap.mprotect(a, PAGE, Mman.PROT_NONE));
        assertEquals(PteState.PROT_NONE, PteState.of(m.pt.pte(a)));
        pageout(a, 1);
        assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a)));
        assertEquals(0, m.memoryMap.mprotect(a, PAGE, RW));
        assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a)), "mprotect leaves swap entries alone");
        assertEquals(0x1000, m.user.read64(a));
    }

    @Test
    void noCachedTranslationOutlivesTheSwapOut() throws Exception {
        // try_to_unmap_one: ptep_clear_flush, so the CPU cannot keep writing to the freed frame.
        long a = anonPages(1);
        m.mmu.translate(a, AccessType.WRITE, 0);
        pageout(a, 1);
        GuestException e = assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.WRITE, 0));
        assertEquals(Fault.Kind.TRANSLATION, e.fault.kind());
    }
}
