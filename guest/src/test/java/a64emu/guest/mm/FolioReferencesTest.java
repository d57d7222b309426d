package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.Vmscan.References;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.PteState;
import org.junit.jupiter.api.Test;

/**
 * {@code folio_check_references} (Linux 6.1 {@code mm/vmscan.c}) and the aging under it,
 * {@code folio_referenced} / {@code folio_referenced_one} ({@code mm/rmap.c}) with arm64's
 * {@code ptep_clear_flush_young}: a young entry is made old in the descriptor and its TLB
 * entry invalidated ({@code flush_tlb_page_nosync}: TLBI VALE1IS), so that with software AF
 * management the next access takes an Access flag fault.
 *
 * <pre>
 *   vm_flags & VM_LOCKED                      ACTIVATE (and the folio is mlocked)
 *   referenced_ptes > 0: folio_set_referenced, then
 *     referenced_folio || referenced_ptes > 1 ACTIVATE
 *     VM_EXEC && !swapbacked                   ACTIVATE
 *     otherwise                                KEEP
 *   referenced_folio && !swapbacked            RECLAIM_CLEAN
 *   otherwise                                  RECLAIM
 * </pre>
 */
class FolioReferencesTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc first = Proc.first(m);

    private long frameAt(long va) {
        return PageTables.frameOf(m.pt.pte(va));
    }

    private References check(long pa) {
        return m.vmscan.checkReferences(FrameAllocator.pfn(pa));
    }

    private long anonPageWritten() throws Exception {
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 7);
        return a;
    }

    private long filePageRead(int prot) throws Exception {
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) PAGE]), "/lib/x.so",
                true, false);
        long a = m.memoryMap.mmap(0, PAGE, prot, Mman.MAP_PRIVATE, f, 0);
        m.user.read64(a);
        return a;
    }

    @Test
    void referencedOnceMappedPageIsKeptWithPgReferencedSet() throws Exception {
        long a = anonPageWritten();
        long pa = frameAt(a);
        assertFalse(m.frames.isReferenced(pa));
        assertEquals(References.KEEP, check(pa));
        assertTrue(m.frames.isReferenced(pa), "folio_set_referenced: one more trip, then activation");
    }

    @Test
    void aPageYoungAgainAfterItsFirstTripIsActivated() throws Exception {
        long a = anonPageWritten();
        long pa = frameAt(a);
        assertEquals(References.KEEP, check(pa));
        m.user.read64(a); // Access flag fault: young again
        assertEquals(References.ACTIVATE, check(pa));
        assertTrue(m.frames.isReferenced(pa), "the mark is set for activated folios as well");
    }

    @Test
    void aPageYoungInTwoMappingsIsActivatedAtOnce() throws Exception {
        long a = anonPageWritten();
        Proc child = first.fork(2);
        child.run().user.read64(a); // the child's entry starts old; this makes it young
        first.run();
        long pa = frameAt(a);
        assertTrue(Descriptor.af(m.pt.pte(a)) && Descriptor.af(child.mm.pageTables().pte(a)));
        assertEquals(References.ACTIVATE, check(pa));
        assertFalse(Descriptor.af(m.pt.pte(a)), "every mapping's entry is aged");
        assertFalse(Descriptor.af(child.mm.pageTables().pte(a)));
    }

    @Test
    void aPageFoundInAVmLockedAreaIsActivatedAndMlocked() throws Exception {
        long a = anonPageWritten();
        long pa = frameAt(a);
        // The area became VM_LOCKED without the page being marked (the "mlock which got missed").
        Vma v = m.mm.find(a);
        m.mm.replace(v, v.withFlags(v.flags() | Vma.VM_LOCKED));
        assertFalse(m.frames.isMlocked(pa));
        assertEquals(References.ACTIVATE, check(pa));
        assertTrue(m.frames.isMlocked(pa), "folio_referenced_one: mlock_vma_folio");
        assertEquals(ListId.UNEVICTABLE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
    }

    @Test
    void aReferencedExecutableFilePageIsActivatedAfterItsFirstUse() throws Exception {
        long a = filePageRead(Mman.PROT_READ | Mman.PROT_EXEC);
        assertEquals(References.ACTIVATE, check(frameAt(a)));
    }

    @Test
    void aReferencedExecutableAnonymousPageOnlyGetsAnotherTrip() throws Exception {
        // VM_EXEC activates only !swapbacked folios: a JIT's anonymous code is kept, not activated.
        long a = m.memoryMap.mmap(0, PAGE, RW | Mman.PROT_EXEC, ANON, null, 0);
        m.user.write64(a, 1);
        assertEquals(References.KEEP, check(frameAt(a)));
    }

    @Test
    void aReferencedNonExecutableFilePageIsKeptForAnotherTrip() throws Exception {
        long a = filePageRead(Mman.PROT_READ);
        long pa = frameAt(a);
        assertEquals(References.KEEP, check(pa));
        assertTrue(m.frames.isReferenced(pa));
    }

    @Test
    void aFilePageWithPgReferencedAndNoYoungEntryIsReclaimedOnlyIfClean() throws Exception {
        long a = filePageRead(Mman.PROT_READ);
        long pa = frameAt(a);
        assertEquals(References.KEEP, check(pa)); // sets PG_referenced, ages the entry
        assertEquals(References.RECLAIM_CLEAN, check(pa));
        assertFalse(m.frames.isReferenced(pa), "folio_test_clear_referenced");
        assertEquals(References.RECLAIM, check(pa));
    }

    @Test
    void anUnmappedPageCachePageWithPgReferencedIsReclaimClean() throws Exception {
        long a = filePageRead(Mman.PROT_READ);
        long pa = frameAt(a);
        m.frames.get(pa);
        try {
            assertEquals(0, m.memoryMap.munmap(a, PAGE));
            m.frames.setReferenced(pa, true);
            assertEquals(References.RECLAIM_CLEAN, check(pa));
        } finally {
            m.frames.put(pa);
        }
    }

    @Test
    void anAnonymousPageWithPgReferencedAndNoYoungEntryIsReclaimed() throws Exception {
        long a = anonPageWritten();
        long pa = frameAt(a);
        assertEquals(References.KEEP, check(pa));
        // Swap-backed: RECLAIM_CLEAN is only for !swapbacked folios.
        assertEquals(References.RECLAIM, check(pa));
    }

    @Test
    void anMadvFreePageWithPgReferencedAndNoYoungEntryIsReclaimClean() throws Exception {
        // A lazyfree folio is !swapbacked, so PG_referenced without a young entry is RECLAIM_CLEAN.
        long a = anonPageWritten();
        long pa = frameAt(a);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        m.frames.setReferenced(pa, true);
        assertEquals(References.RECLAIM_CLEAN, check(pa));
    }

    @Test
    void referencesThroughASequentialMappingDoNotCountButAreStillAged() throws Exception {
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) PAGE]), "/data",
                true, false);
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_SEQUENTIAL));
        m.user.read64(a);
        assertEquals(References.RECLAIM, check(frameAt(a)));
        assertFalse(Descriptor.af(m.pt.pte(a)), "ptep_clear_flush_young_notify ran anyway");
    }

    // ---- aging: the descriptor in RAM and the TLB ------------------------------------

    @Test
    void agingClearsTheAccessFlagInTheDescriptorInRam() throws Exception {
        long a = anonPageWritten();
        long before = m.pt.pte(a);
        assertTrue(Descriptor.af(before));
        check(frameAt(a));
        long after = m.pt.pte(a);
        assertEquals(PteState.PRESENT, PteState.of(after));
        assertEquals(before & ~Descriptor.AF, after, "only AF (bit 10) changes: pte_mkold");
    }

    @Test
    void agingInvalidatesTheCachedTranslation() throws Exception {
        long a = anonPageWritten();
        m.mmu.translate(a, AccessType.READ, 0); // the young translation is in the TLB now
        long invalidations = m.mmu.tlb().invalidations();
        check(frameAt(a));
        assertTrue(m.mmu.tlb().invalidations() > invalidations, "TLBI VALE1IS for the aged entry");
        GuestException e = assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.READ, 0));
        assertEquals(Fault.Kind.ACCESS_FLAG, e.fault.kind());
    }

    @Test
    void theNextAccessAfterAgingTakesAnAccessFlagFaultThatMakesTheEntryYoung() throws Exception {
        long a = anonPageWritten();
        check(frameAt(a));
        long faults = m.faults.accessFlagFaults();
        assertEquals(7, m.user.read64(a));
        assertEquals(faults + 1, m.faults.accessFlagFaults());
        assertTrue(Descriptor.af(m.pt.pte(a)));
        assertEquals(1, m.faults.counts().agedAccessFlag());
    }

    @Test
    void anOldEntryIsNotInvalidatedAgain() throws Exception {
        // ptep_clear_flush_young flushes only if the entry was young.
        long a = anonPageWritten();
        check(frameAt(a));
        long invalidations = m.mmu.tlb().invalidations();
        assertEquals(References.RECLAIM, check(frameAt(a)));
        assertEquals(invalidations, m.mmu.tlb().invalidations());
    }

    // ---- the table through reclaim itself ---------------------------------------------

    @Test
    void referencedOnceMappedPageGetsAnotherTripRoundTheInactiveList() throws Exception {
        MemorySwapDevice dev = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPageWritten();
        long pa = frameAt(a);
        assertEquals(0, m.vmscan.directReclaim(0));
        assertEquals(PteState.PRESENT, PteState.of(m.pt.pte(a)), "not unmapped");
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
        assertTrue(m.frames.isReferenced(pa));
        assertFalse(Descriptor.af(m.pt.pte(a)));
        assertEquals(0, dev.writes);
        // Not used since: the next trip reclaims it.
        assertEquals(1, m.vmscan.directReclaim(0));
        assertEquals(PteState.SWAP, PteState.of(m.pt.pte(a)));
        assertEquals(1, dev.writes);
        assertEquals(7, m.user.read64(a));
    }

    @Test
    void aPageUsedAgainDuringItsExtraTripIsActivatedNotSwapped() throws Exception {
        MemorySwapDevice dev = MemorySwapDevice.attach(m, 1 << 20);
        long a = anonPageWritten();
        m.vmscan.directReclaim(0);
        m.user.read64(a);
        assertEquals(0, m.vmscan.directReclaim(0));
        assertEquals(1, m.frames.events().get(VmEvents.Event.PGACTIVATE));
        assertEquals(PteState.PRESENT, PteState.of(m.pt.pte(a)));
        assertEquals(0, dev.writes);
    }
}
