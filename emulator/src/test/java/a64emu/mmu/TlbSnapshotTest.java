package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Tlb#snapshot}: what a debugger sees of the TLB, read without changing it. */
class TlbSnapshotTest {
    private static final long VA = 0x0000_0000_0040_0000L;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);

    @Test
    void emptyTlbHasNoEntries() {
        assertTrue(new Tlb().snapshot().isEmpty());
    }

    @Test
    void walkedPageAppearsInMicroAndMainTlbWithAsidAndPermissions() {
        tables.mapPage(VA, 0x0011_1000L, Descriptor.PAGE_READONLY_EXEC);
        Mmu mmu = tables.mmu(7, 0);
        assertEquals(0x0011_1234L, mmu.translate(VA + 0x234, AccessType.READ));

        List<Tlb.EntryView> entries = mmu.tlb().snapshot();

        assertEquals(2, entries.size(), "a walk fills the main TLB and the micro-TLB");
        Tlb.EntryView micro = entries.get(0);
        Tlb.EntryView main = entries.get(1);
        assertTrue(micro.micro());
        assertFalse(main.micro());
        for (Tlb.EntryView e : entries) {
            assertEquals(VA, e.va());
            assertEquals(0x0011_1000L, e.pa());
            assertEquals(4096, e.size());
            assertEquals(7, e.asid());
            assertFalse(e.global());
            assertEquals(3, e.level());
            assertEquals("EL0 r-x EL1 r--", Tlb.describePermissions(e.permissions()));
            assertTrue(e.contains(VA + 0xFFF));
            assertFalse(e.contains(VA + 0x1000));
        }
    }

    @Test
    void globalEntryIsMarkedGlobal() {
        tables.mapPage(VA, 0x0011_1000L, Descriptor.PAGE_READWRITE_DIRTY & ~Descriptor.NG);
        Mmu mmu = tables.mmu(3, 0);
        mmu.translate(VA, AccessType.WRITE);
        assertTrue(mmu.tlb().snapshot().stream().allMatch(Tlb.EntryView::global));
    }

    @Test
    void snapshotChangesNoCounter() {
        tables.mapPage(VA, 0x0011_1000L, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(1, 0);
        mmu.translate(VA, AccessType.READ);
        TlbCounts before = mmu.tlb().counts();
        mmu.tlb().snapshot();
        assertEquals(before, mmu.tlb().counts());
    }

    @Test
    void invalidatedEntriesDisappear() {
        tables.mapPage(VA, 0x0011_1000L, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(1, 0);
        mmu.translate(VA, AccessType.READ);
        mmu.tlbi(TlbiOp.VMALLE1, 0);
        assertTrue(mmu.tlb().snapshot().isEmpty());
    }
}
