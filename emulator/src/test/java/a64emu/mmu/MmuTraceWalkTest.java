package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class MmuTraceWalkTest {
    private static final long VA = 0x0000_7FFF_1234_5678L;
    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);

    @Test
    void traceListsEveryDescriptorReadAndTheOutputAddress() {
        long slot = tables.mapPage(VA, 0x0042_3000L, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(7, 0);
        TranslationTrace t = mmu.traceWalk(VA, AccessType.READ, 0);
        assertEquals(0x0042_3678L, t.pa());
        assertNull(t.fault());
        assertEquals(4, t.steps().size());
        for (int level = 0; level < 4; level++) {
            assertEquals(level, t.steps().get(level).level());
        }
        assertEquals(slot, t.steps().get(3).entryPa());
        assertEquals(ram.read64(slot), t.steps().get(3).descriptor());
        String text = t.toString();
        assertTrue(text.startsWith("VA 0x00007fff12345678 (TTBR0, ASID 7, 48-bit)"), text);
        assertTrue(text.contains("page PA=0x423000 AttrIndx=0 SH=inner AP=EL0-RO AF nG UXN PXN"), text);
        assertTrue(text.endsWith("=> PA 0x423678"), text);
    }

    @Test
    void traceStopsAtTheFaultingLevelAndReportsTheFault() {
        tables.mapPage(VA, 0x0042_3000L, Descriptor.PAGE_READONLY);
        tables.write(VA, 2, 0);
        Mmu mmu = tables.mmu(7, 0);
        TranslationTrace t = mmu.traceWalk(VA, AccessType.WRITE, 0);
        assertTrue(t.faulted());
        assertEquals(3, t.steps().size());
        assertEquals(Fault.Kind.TRANSLATION, t.fault().kind());
        assertEquals(2, t.fault().level());
        assertEquals(-1, t.pa());
    }

    @Test
    void traceChangesNothing() {
        long slot = tables.mapPage(VA, 0x0042_3000L, Descriptor.PAGE_READONLY & ~Descriptor.AF);
        Mmu mmu = tables.mmu(7, Tcr.HA);
        assertEquals(0x0042_3678L, mmu.traceWalk(VA, AccessType.READ, 0).pa());
        assertFalse(Descriptor.af(ram.read64(slot)), "no hardware AF update from a debug walk");
        assertEquals(0, mmu.tlb().validEntries());
        assertEquals(0, mmu.tlb().walks() + mmu.tlb().walkReads() + mmu.tlb().misses());
    }

    @Test
    void traceRecordsEachTableIndexTheLimitsAboveAndTheLeafsRights() {
        tables.mapPage(VA, 0x0042_3000L, Descriptor.PAGE_READWRITE_EXEC_DIRTY);
        tables.addTableAttrs(VA, 1, Descriptor.AP_TABLE_RDONLY | Descriptor.UXN_TABLE);
        Mmu mmu = tables.mmu(7, 0);
        TranslationTrace t = mmu.traceWalk(VA, AccessType.WRITE, 0);
        TranslationTrace.Step l1 = t.steps().get(1);
        assertEquals(tables.root, t.steps().get(0).tableAddress());
        assertEquals(Descriptor.index(VA, 1), l1.index());
        assertEquals(l1.tableAddress() + 8L * l1.index(), l1.entryPa());
        assertEquals(0, l1.tableLimits(), "the limits are what the tables above say");
        assertEquals(Descriptor.AP_TABLE_RDONLY | Descriptor.UXN_TABLE, t.steps().get(3).tableLimits());
        assertEquals("EL0 r-- EL1 r--", Tlb.describePermissions(t.permissions()),
                "APTable[1] and UXNTable above an EL0-RW executable page");
        assertEquals(Fault.Kind.PERMISSION, t.fault().kind());
        assertEquals(-1, mmu.traceWalk(VA + 0x1000, AccessType.READ, 0).permissions(), "no leaf, no rights");
    }
}
