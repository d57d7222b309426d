package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stale TLB entry behaves as on hardware (it keeps translating after its descriptor
 * changed, until the matching TLBI), and --tlb-check mode reports every such use.
 */
class MmuTlbCheckTest {
    private static final long VA = 0x0000_0000_0040_0000L;
    private static final long OLD_PA = 0x0011_1000L;
    private static final long NEW_PA = 0x0033_3000L;
    private static final long USER_RW = Descriptor.PAGE_READWRITE_DIRTY;
    private static final int ASID = 7;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);
    private final List<StaleTranslation> reports = new ArrayList<>();

    @Test
    void staleEntrySurvivesADescriptorChangeUntilTheMatchingTlbiAndEachUseIsReported() {
        long slot = tables.mapPage(VA, OLD_PA, USER_RW);
        Mmu mmu = tables.mmu(ASID, 0);
        mmu.setTlbCheck(reports::add);
        assertEquals(OLD_PA + 0x10, mmu.translate(VA + 0x10, AccessType.READ));
        assertTrue(reports.isEmpty(), "tables and TLB agree");

        ram.write64(slot, Descriptor.page(NEW_PA, USER_RW)); // no TLBI: a missing flush
        assertEquals(OLD_PA + 0x20, mmu.translate(VA + 0x20, AccessType.READ), "the stale entry is used");
        assertEquals(1, reports.size());
        StaleTranslation s = reports.get(0);
        assertEquals(VA + 0x20, s.va());
        assertEquals(ASID, s.asid());
        assertEquals(OLD_PA + 0x20, s.cachedPa());
        assertEquals(NEW_PA + 0x20, s.tablePa());
        assertEquals(s.cachedPermissions(), s.tablePermissions());
        assertEquals("PA 0x111020 EL0 rw- EL1 rw- nG", s.cached());
        assertEquals("PA 0x333020 EL0 rw- EL1 rw- nG", s.tables());

        // TLBIs that do not name the entry leave it: another ASID, another page.
        mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(VA, ASID + 1));
        mmu.tlbi(TlbiOp.VAE1IS, TlbiOp.operand(VA + 0x1000, ASID));
        mmu.tlbi(TlbiOp.ASIDE1IS, TlbiOp.asidOperand(ASID + 1));
        assertEquals(OLD_PA, mmu.translate(VA, AccessType.WRITE));
        assertEquals(2, reports.size());

        mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(VA, ASID));
        assertEquals(NEW_PA, mmu.translate(VA, AccessType.WRITE));
        assertEquals(NEW_PA, mmu.translate(VA, AccessType.READ));
        assertEquals(2, reports.size(), "after the TLBI the entry is fresh");
    }

    @Test
    void unmappedPageStillInTheTlbIsReportedWithTheFaultTheTablesGiveNow() {
        long slot = tables.mapPage(VA, OLD_PA, USER_RW);
        Mmu mmu = tables.mmu(ASID, 0);
        mmu.setTlbCheck(reports::add);
        mmu.translate(VA, AccessType.READ);
        ram.write64(slot, 0);
        assertEquals(OLD_PA, mmu.translate(VA, AccessType.READ));
        StaleTranslation s = reports.get(0);
        assertEquals(Fault.Kind.TRANSLATION, s.tableFault().kind());
        assertEquals(3, s.tableFault().level());
        assertEquals("Translation fault, level 3", s.tables());
    }

    @Test
    void writeProtectWithoutTlbiIsReportedAsAPermissionDifference() {
        long slot = tables.mapPage(VA, OLD_PA, USER_RW);
        Mmu mmu = tables.mmu(ASID, 0);
        mmu.setTlbCheck(reports::add);
        mmu.translate(VA, AccessType.WRITE);
        ram.write64(slot, Descriptor.page(OLD_PA, Descriptor.PAGE_READONLY));
        assertEquals(OLD_PA, mmu.translate(VA, AccessType.WRITE), "the stale entry still allows the write");
        StaleTranslation s = reports.get(0);
        assertEquals(OLD_PA, s.tablePa());
        assertEquals("PA 0x111000 EL0 r-- EL1 r-- nG", s.tables());
        assertNull(s.tableFault());
    }

    @Test
    void cleanDbmPageAboutToBeDirtiedByHardwareIsNotStale() {
        long slot = tables.mapPage(VA, OLD_PA, Descriptor.PAGE_SHARED);
        Mmu mmu = tables.mmu(ASID, Tcr.HA | Tcr.HD);
        mmu.setTlbCheck(reports::add);
        mmu.translate(VA, AccessType.READ);
        assertEquals(OLD_PA, mmu.translate(VA, AccessType.WRITE));
        assertEquals(0, Descriptor.ap(ram.read64(slot)) & 2, "AP[2] cleared by the hardware dirty update");
        mmu.translate(VA, AccessType.WRITE);
        assertTrue(reports.isEmpty(), reports.toString());
    }

    @Test
    void withoutTheCheckAHitWalksNothing() {
        tables.mapPage(VA, OLD_PA, USER_RW);
        Mmu mmu = tables.mmu(ASID, 0);
        mmu.translate(VA, AccessType.READ);
        long reads = mmu.tlb().walkReads();
        mmu.setTlbCheck(reports::add);
        mmu.translate(VA, AccessType.READ);
        assertEquals(reads, mmu.tlb().walkReads(), "the check's walk is not counted as a walk");
        assertEquals(2, mmu.tlb().hits() + mmu.tlb().misses());
    }

    @Test
    void setTcrRefusesThe16And64KilobyteGranulesWithAClearError() {
        Mmu mmu = tables.mmu(ASID, 0);
        long fourK = mmu.tcr();
        UnsupportedGranuleException e = assertThrows(UnsupportedGranuleException.class,
                () -> mmu.setTcr(fourK | (1L << Tcr.TG0_SHIFT)));
        assertEquals(String.format("TCR_EL1=0x%x: TG0=0b01 selects the 64 KiB granule for TTBR0_EL1; "
                + "a64emu implements the 4 KiB granule only (TG0=0b00)", fourK | (1L << Tcr.TG0_SHIFT)), e.getMessage());
        long sixteenK1 = (fourK & ~(3L << Tcr.TG1_SHIFT)) | (1L << Tcr.TG1_SHIFT);
        assertTrue(assertThrows(UnsupportedGranuleException.class, () -> mmu.setTcr(sixteenK1))
                .getMessage().contains("TG1=0b01 selects the 16 KiB granule for TTBR1_EL1"));
        assertEquals(fourK, mmu.tcr(), "a refused value is not written");
    }
}
