package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The TLB as the kernel sees it: ASID tagging, global entries, staleness, TLBI, counters. */
class MmuTlbTest {
    private static final long VA = 0x0000_0000_0040_0000L;
    private static final long USER_RW = Descriptor.PAGE_READWRITE_DIRTY;            // nG=1
    private static final long GLOBAL_RW = Descriptor.PAGE_READWRITE_DIRTY & ~Descriptor.NG;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables a = new TestTables(ram, 0x10_0000, 48);
    private final TestTables b = new TestTables(ram, 0x20_0000, 48);

    private static long ttbr(TestTables t, int asid) {
        return t.root | ((long) asid << Mmu.TTBR_ASID_SHIFT);
    }

    @Test
    void sameVaUnderTwoAsidsTranslatesToTwoPhysicalPages() {
        a.mapPage(VA, 0x0011_1000L, USER_RW);
        b.mapPage(VA, 0x0022_2000L, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ));
        mmu.setTtbr0(ttbr(b, 2));
        assertEquals(0x0022_2000L, mmu.translate(VA, AccessType.READ));
        mmu.setTtbr0(ttbr(a, 1));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ));
        mmu.setTtbr0(ttbr(b, 2));
        assertEquals(0x0022_2000L, mmu.translate(VA, AccessType.READ));
        assertEquals(2, mmu.tlb().walks(), "both ASIDs' entries stay cached across switches");
        assertEquals(2, mmu.tlb().hits());
    }

    @Test
    void globalEntryServesEveryAsid() {
        a.mapPage(VA, 0x0011_1000L, GLOBAL_RW);
        b.mapPage(VA, 0x0022_2000L, GLOBAL_RW);
        Mmu mmu = a.mmu(1, 0);
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ));
        mmu.setTtbr0(ttbr(b, 2));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ), "nG=0: the entry matches any ASID");
        assertTrue(mmu.tlb().isGlobal(mmu.tlb().lookup(VA, 7)));
    }

    @Test
    void globalEntriesSurviveAside1() {
        long userVa = VA + 0x1000;
        long globalSlot = a.mapPage(VA, 0x0011_1000L, GLOBAL_RW);
        long userSlot = a.mapPage(userVa, 0x0011_2000L, USER_RW);
        Mmu mmu = a.mmu(5, 0);
        mmu.translate(VA, AccessType.READ);
        mmu.translate(userVa, AccessType.READ);
        ram.write64(globalSlot, Descriptor.page(0x0033_3000L, GLOBAL_RW));
        ram.write64(userSlot, Descriptor.page(0x0033_4000L, USER_RW));

        mmu.tlbi(TlbiOp.ASIDE1IS, TlbiOp.asidOperand(5));

        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ), "global entry still cached (stale)");
        assertEquals(0x0033_4000L, mmu.translate(userVa, AccessType.READ), "ASID 5 entry was invalidated");
        mmu.tlbi(TlbiOp.VMALLE1, 0);
        assertEquals(0x0033_3000L, mmu.translate(VA, AccessType.READ), "VMALLE1 removes global entries too");
    }

    @Test
    void aside1ForAsidZeroLeavesGlobalEntries() {
        long globalSlot = a.mapPage(VA, 0x0011_1000L, GLOBAL_RW);
        Mmu mmu = a.mmu(0, 0);
        mmu.translate(VA, AccessType.READ);
        ram.write64(globalSlot, Descriptor.page(0x0033_3000L, GLOBAL_RW));
        mmu.tlbi(TlbiOp.ASIDE1, TlbiOp.asidOperand(0));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ));
    }

    @Test
    void staleEntryKeepsTranslatingUntilVae1() {
        long slot = a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(3, 0);
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ));
        ram.write64(slot, Descriptor.page(0x0044_4000L, USER_RW));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ), "no TLBI yet: old translation, as on hardware");
        mmu.tlbi(TlbiOp.VAE1, TlbiOp.operand(VA, 4));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.READ), "TLBI for another ASID leaves it");
        mmu.tlbi(TlbiOp.VAE1IS, TlbiOp.operand(VA, 3));
        assertEquals(0x0044_4000L, mmu.translate(VA, AccessType.READ));
    }

    @Test
    void staleUnmappedEntryKeepsTranslatingUntilVale1() {
        long slot = a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(3, 0);
        mmu.translate(VA, AccessType.WRITE);
        ram.write64(slot, 0);
        assertEquals(0x0011_1008L, mmu.translate(VA + 8, AccessType.WRITE));
        mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(VA, 3));
        GuestException e = assertThrows(GuestException.class, () -> mmu.translate(VA, AccessType.WRITE));
        assertEquals(Fault.Kind.TRANSLATION, e.fault.kind());
    }

    @Test
    void stalePermissionsStayUntilTlbi() {
        long slot = a.mapPage(VA, 0x0011_1000L, Descriptor.PAGE_READONLY);
        Mmu mmu = a.mmu(3, 0);
        mmu.translate(VA, AccessType.READ);
        ram.write64(slot, Descriptor.page(0x0011_1000L, USER_RW)); // upgrade without TLBI
        assertThrows(GuestException.class, () -> mmu.translate(VA, AccessType.WRITE));
        mmu.tlbi(TlbiOp.VALE1, TlbiOp.operand(VA, 3));
        assertEquals(0x0011_1000L, mmu.translate(VA, AccessType.WRITE));
    }

    @Test
    void vaae1InvalidatesTheVaForAllAsids() {
        long slotA = a.mapPage(VA, 0x0011_1000L, USER_RW);
        long slotB = b.mapPage(VA, 0x0022_2000L, USER_RW);
        long otherVa = VA + 0x1000;
        a.mapPage(otherVa, 0x0011_2000L, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        mmu.translate(VA, AccessType.READ);
        mmu.translate(otherVa, AccessType.READ);
        mmu.setTtbr0(ttbr(b, 2));
        mmu.translate(VA, AccessType.READ);
        ram.write64(slotA, Descriptor.page(0x0055_1000L, USER_RW));
        ram.write64(slotB, Descriptor.page(0x0055_2000L, USER_RW));

        mmu.tlbi(TlbiOp.VAAE1IS, TlbiOp.operand(VA, 0));

        assertEquals(0x0055_2000L, mmu.translate(VA, AccessType.READ));
        mmu.setTtbr0(ttbr(a, 1));
        assertEquals(0x0055_1000L, mmu.translate(VA, AccessType.READ));
        long walks = mmu.tlb().walks();
        assertEquals(0x0011_2000L, mmu.translate(otherVa, AccessType.READ), "other VAs stay cached");
        assertEquals(walks, mmu.tlb().walks());
    }

    @Test
    void tlbiByVaInsideABlockRemovesTheWholeBlockEntry() {
        long slot = a.mapBlock(0x4000_0000L, 0x0060_0000L, 2, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        mmu.translate(0x4000_0000L, AccessType.READ);
        ram.write64(slot, Descriptor.block(0x0080_0000L, 2, USER_RW));
        assertEquals(0x0060_5000L, mmu.translate(0x4000_5000L, AccessType.READ));
        mmu.tlbi(TlbiOp.VAE1, TlbiOp.operand(0x4012_3000L, 1));
        assertEquals(0x0080_5000L, mmu.translate(0x4000_5000L, AccessType.READ));
    }

    @Test
    void tlbiForATtbr1AddressMatchesTheSignExtendedVa() {
        TestTables high = new TestTables(ram, 0x30_0000, 48);
        long kva = 0xFFFF_8000_0010_0000L;
        long slot = high.mapPage(kva, 0x0011_1000L, GLOBAL_RW);
        Mmu mmu = a.mmu(1, 0);
        mmu.setTtbr1(high.root);
        mmu.translate(kva, AccessType.READ, 1);
        ram.write64(slot, Descriptor.page(0x0066_6000L, GLOBAL_RW));
        mmu.tlbi(TlbiOp.VAALE1IS, TlbiOp.operand(kva, 0));
        assertEquals(0x0066_6000L, mmu.translate(kva, AccessType.READ, 1));
    }

    @Test
    void asidComesFromTtbr1WhenTcrA1IsSet() {
        a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(9, Tcr.A1);
        mmu.setTtbr1(0x0042L << Mmu.TTBR_ASID_SHIFT);
        assertEquals(0x42, mmu.asid());
        mmu.translate(VA, AccessType.READ);
        assertEquals(0x42, mmu.tlb().asid(mmu.tlb().lookup(VA, 0x42)));
    }

    @Test
    void eightBitAsidsIgnoreTheUpperByte() {
        a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(0x1203, 0);
        mmu.setTcr(mmu.tcr() & ~Tcr.AS);
        assertEquals(0x03, mmu.asid());
        mmu.translate(VA, AccessType.READ);
        mmu.tlbi(TlbiOp.ASIDE1, TlbiOp.asidOperand(0x7703)); // upper byte ignored: ASID 3
        assertEquals(0, mmu.tlb().validEntries());
    }

    @Test
    void countersTrackHitsMissesWalksReadsAndEvictions() {
        // 8 entries, 2 ways: 4 sets indexed by VA[13:12].
        Mmu mmu = new Mmu(ram, new Tlb(8, 2));
        Mmu configured = a.mmu(1, 0);
        mmu.setTcr(configured.tcr());
        mmu.setTtbr0(configured.ttbr0());
        mmu.setSctlr(configured.sctlr());
        for (int i = 0; i < 4; i++) {
            a.mapPage(VA + i * 0x4000L, 0x0070_0000L + i * 0x1000L, USER_RW); // all in set 0
        }
        Tlb tlb = mmu.tlb();
        for (int i = 0; i < 4; i++) {
            assertEquals(0x0070_0000L + i * 0x1000L, mmu.translate(VA + i * 0x4000L, AccessType.READ));
        }
        assertEquals(4, tlb.misses());
        assertEquals(4, tlb.walks());
        assertEquals(16, tlb.walkReads());
        assertEquals(2, tlb.evictions());
        assertEquals(2, tlb.validEntries());
        mmu.translate(VA + 3 * 0x4000L, AccessType.READ);
        assertEquals(1, tlb.hits());
        mmu.translate(VA, AccessType.READ);   // evicted earlier: walks again
        assertEquals(5, tlb.walks());
        tlb.resetCounters();
        assertEquals(0, tlb.hits() + tlb.misses() + tlb.walks() + tlb.walkReads() + tlb.evictions());
    }

    @Test
    void tlbHitAllocatesNothing() {
        a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += mmu.translate(VA + (i & 0xFF8), AccessType.READ);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1_000_000; i++) {
            sink += mmu.translate(VA + (i & 0xFF8), AccessType.READ);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(sink != 0);
        assertTrue(allocated < 4096, "a million TLB hits allocated " + allocated + " bytes");
    }

    @Test
    void microTlbAnswersRecentPagesAndTheMainTlbRefillsIt() {
        // 2-entry micro-TLB in front of an 8-entry 2-way main TLB.
        Mmu mmu = new Mmu(ram, new Tlb(new Tlb.Geometry(2, 8, 2)));
        Mmu configured = a.mmu(1, 0);
        mmu.setTcr(configured.tcr());
        mmu.setTtbr0(configured.ttbr0());
        mmu.setSctlr(configured.sctlr());
        for (int i = 0; i < 3; i++) {
            a.mapPage(VA + i * 0x1000L, 0x0070_0000L + i * 0x1000L, USER_RW);
            mmu.translate(VA + i * 0x1000L, AccessType.READ);
        }
        Tlb tlb = mmu.tlb();
        assertEquals(3, tlb.walks());
        assertEquals(1, tlb.microEvictions(), "the third fill pushed the first page out of the micro-TLB");
        assertEquals(2, tlb.validMicroEntries());
        assertEquals(3, tlb.validEntries());

        mmu.translate(VA + 0x2000, AccessType.READ);
        assertEquals(1, tlb.microHits());
        mmu.translate(VA, AccessType.READ);
        assertEquals(1, tlb.mainHits(), "the first page is still in the main TLB");
        mmu.translate(VA + 8, AccessType.READ);
        assertEquals(2, tlb.microHits(), "and the main hit copied it back into the micro-TLB");
        assertEquals(3, tlb.walks());
        assertEquals(0.5, tlb.hitRate(), 1e-9, "3 hits in 6 lookups");
    }

    @Test
    void tlbiRemovesAnEntryFromBothTheMicroAndTheMainTlb() {
        long slot = a.mapPage(VA, 0x0011_1000L, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        assertEquals(48, mmu.tlb().microEntries(), "the default geometry is Cortex-A-like");
        mmu.translate(VA, AccessType.READ);
        assertEquals(1, mmu.tlb().validMicroEntries());
        ram.write64(slot, Descriptor.page(0x0022_2000L, USER_RW));
        mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(VA, 1));
        assertEquals(0, mmu.tlb().validMicroEntries() + mmu.tlb().validEntries());
        assertEquals(0x0022_2000L, mmu.translate(VA, AccessType.READ));
    }

    @Test
    void blockEntryIsOneEntryOfItsOwnSize() {
        a.mapBlock(0x4000_0000L, 0x0060_0000L, 2, USER_RW);
        Mmu mmu = a.mmu(1, 0);
        for (long off = 0; off < (2L << 20); off += 0x1000) {
            assertEquals(0x0060_0000L + off, mmu.translate(0x4000_0000L + off, AccessType.READ));
        }
        assertEquals(1, mmu.tlb().walks());
        assertEquals(1, mmu.tlb().validEntries());
    }
}
