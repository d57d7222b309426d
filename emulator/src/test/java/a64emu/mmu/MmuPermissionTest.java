package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Access permissions: AP[2:1], XN, hierarchical table attributes, WXN, PAN, HA/HD. */
class MmuPermissionTest {
    private static final long VA = 0x0000_0000_0040_0000L;
    private static final long PA = 0x0050_0000L;
    private static final long BASE = Descriptor.PAGE_DEFAULT | Descriptor.NG;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);

    private static void assertPermissionFault(int ec, int iss, Runnable access) {
        GuestException e = assertThrows(GuestException.class, access::run);
        assertEquals(Esr.value(ec, iss), Esr.value(e.ec, e.iss), e::getMessage);
        assertEquals(Fault.Kind.PERMISSION, e.fault.kind());
    }

    /** ARM ARM D8.4.1: AP[2:1] 00 EL1 RW; 01 EL1+EL0 RW; 10 EL1 RO; 11 EL1+EL0 RO. */
    @ParameterizedTest(name = "AP={0} EL{1} {2} allowed={3}")
    @CsvSource({
            "0, 1, READ, true", "0, 1, WRITE, true", "0, 0, READ, false", "0, 0, WRITE, false",
            "1, 1, READ, true", "1, 1, WRITE, true", "1, 0, READ, true", "1, 0, WRITE, true",
            "2, 1, READ, true", "2, 1, WRITE, false", "2, 0, READ, false", "2, 0, WRITE, false",
            "3, 1, READ, true", "3, 1, WRITE, false", "3, 0, READ, true", "3, 0, WRITE, false"})
    void accessPermissionFieldDecidesDataAccessPerExceptionLevel(int ap, int el, AccessType access, boolean allowed) {
        tables.mapPage(VA, PA, BASE | ((long) ap << Descriptor.AP_SHIFT));
        Mmu mmu = tables.mmu(1, 0);
        if (allowed) {
            assertEquals(PA | 0x10, mmu.translate(VA | 0x10, access, el));
            // The TLB now holds the entry: a second access is decided by the cached permissions.
            assertEquals(PA | 0x20, mmu.translate(VA | 0x20, access, el));
            assertEquals(1, mmu.tlb().hits());
        } else {
            int ec = el == 0 ? Esr.EC_DABT_LOWER : Esr.EC_DABT_CUR;
            int iss = 0x0F | (access == AccessType.WRITE ? Esr.ISS_DA_WNR : 0);
            assertPermissionFault(ec, iss, () -> mmu.translate(VA, access, el));
            assertPermissionFault(ec, iss, () -> mmu.translate(VA, access, el)); // from the TLB
        }
    }

    @Test
    void uxnPageRaisesInstructionAbortOnEl0Fetch() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READONLY);
        tables.mapPage(VA + 0x1000, PA + 0x1000, Descriptor.PAGE_READONLY_EXEC);
        Mmu mmu = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_IABT_LOWER, 0x0F, () -> mmu.translate(VA, AccessType.EXECUTE));
        assertEquals(PA + 0x1000, mmu.translate(VA + 0x1000, AccessType.EXECUTE));
    }

    @Test
    void executeOnlyPageCanBeFetchedButNotReadFromEl0() {
        tables.mapPage(VA, PA, Descriptor.PAGE_EXECONLY);
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PA, mmu.translate(VA, AccessType.EXECUTE));
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F, () -> mmu.translate(VA, AccessType.READ));
    }

    @Test
    void pxnPageCannotBeExecutedAtEl1() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READONLY_EXEC);
        Mmu mmu = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_IABT_CUR, 0x0F, () -> mmu.translate(VA, AccessType.EXECUTE, 1));
    }

    @Test
    void el1CannotExecuteAPageThatEl0CanWrite() {
        tables.mapPage(VA, PA, BASE | Descriptor.USER);            // AP=01, PXN=0
        tables.mapPage(VA + 0x1000, PA + 0x1000, BASE);            // AP=00, PXN=0
        Mmu mmu = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_IABT_CUR, 0x0F, () -> mmu.translate(VA, AccessType.EXECUTE, 1));
        assertEquals(PA + 0x1000, mmu.translate(VA + 0x1000, AccessType.EXECUTE, 1));
    }

    @Test
    void wxnMakesWritablePagesExecuteNever() {
        tables.mapPage(VA, PA, BASE | Descriptor.USER);                                     // EL0 RW
        tables.mapPage(VA + 0x1000, PA + 0x1000, BASE | Descriptor.USER | Descriptor.RDONLY); // EL0 RO
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PA, mmu.translate(VA, AccessType.EXECUTE), "without WXN a writable page may execute");
        Mmu wxn = tables.mmu(1, 0);
        wxn.setSctlr(Mmu.SCTLR_M | Mmu.SCTLR_WXN);
        assertPermissionFault(Esr.EC_IABT_LOWER, 0x0F, () -> wxn.translate(VA, AccessType.EXECUTE));
        assertEquals(PA + 0x1000, wxn.translate(VA + 0x1000, AccessType.EXECUTE));
    }

    @Test
    void apTableZeroDeniesEl0AccessBelowIt() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READWRITE_DIRTY);
        tables.addTableAttrs(VA, 1, Descriptor.AP_TABLE_NO_EL0);
        Mmu mmu = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F, () -> mmu.translate(VA, AccessType.READ));
        assertEquals(PA, mmu.translate(VA, AccessType.WRITE, 1));
    }

    @Test
    void apTableOneMakesEverythingBelowReadOnly() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READWRITE_DIRTY);
        tables.addTableAttrs(VA, 2, Descriptor.AP_TABLE_RDONLY);
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PA, mmu.translate(VA, AccessType.READ));
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F | Esr.ISS_DA_WNR, () -> mmu.translate(VA, AccessType.WRITE));
        assertPermissionFault(Esr.EC_DABT_CUR, 0x0F | Esr.ISS_DA_WNR, () -> mmu.translate(VA, AccessType.WRITE, 1));
    }

    @Test
    void uxnTableAndPxnTableForbidExecutionBelowThem() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READONLY_EXEC);
        tables.mapPage(VA + 0x1000, PA + 0x1000, BASE);
        tables.addTableAttrs(VA, 0, Descriptor.UXN_TABLE | Descriptor.PXN_TABLE);
        Mmu mmu = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_IABT_LOWER, 0x0F, () -> mmu.translate(VA, AccessType.EXECUTE));
        assertPermissionFault(Esr.EC_IABT_CUR, 0x0F, () -> mmu.translate(VA + 0x1000, AccessType.EXECUTE, 1));
    }

    @Test
    void hpd0IgnoresHierarchicalAttributes() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READWRITE_DIRTY);
        tables.addTableAttrs(VA, 1, Descriptor.AP_TABLE_NO_EL0 | Descriptor.AP_TABLE_RDONLY);
        Mmu mmu = tables.mmu(1, Tcr.HPD0);
        assertEquals(PA, mmu.translate(VA, AccessType.WRITE));
    }

    @Test
    void hardwareAccessFlagSetsAfInMemoryInsteadOfFaulting() {
        long slot = tables.mapPage(VA, PA, Descriptor.PAGE_READONLY & ~Descriptor.AF);
        Mmu mmu = tables.mmu(1, Tcr.HA);
        assertEquals(PA | 4, mmu.translate(VA | 4, AccessType.READ));
        assertTrue(Descriptor.af(ram.read64(slot)));
        assertEquals(Descriptor.page(PA, Descriptor.PAGE_READONLY), ram.read64(slot));
    }

    @Test
    void hardwareAccessFlagIsNotSetWhenTheAccessTakesAPermissionFault() {
        long slot = tables.mapPage(VA, PA, Descriptor.PAGE_READONLY & ~Descriptor.AF);
        Mmu mmu = tables.mmu(1, Tcr.HA);
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F | Esr.ISS_DA_WNR, () -> mmu.translate(VA, AccessType.WRITE));
        assertFalse(Descriptor.af(ram.read64(slot)));
    }

    @Test
    void hardwareDirtyClearsReadOnlyOnWriteToDbmPage() {
        long slot = tables.mapPage(VA, PA, Descriptor.PAGE_SHARED); // RDONLY + DBM (Linux PTE_WRITE), clean
        Mmu withoutHd = tables.mmu(1, 0);
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F | Esr.ISS_DA_WNR,
                () -> withoutHd.translate(VA, AccessType.WRITE));

        Mmu mmu = tables.mmu(1, Tcr.HA | Tcr.HD);
        assertEquals(PA, mmu.translate(VA, AccessType.READ));
        assertTrue(Descriptor.rdonly(ram.read64(slot)), "a read leaves the page clean");
        assertEquals(PA | 8, mmu.translate(VA | 8, AccessType.WRITE));
        assertFalse(Descriptor.rdonly(ram.read64(slot)), "the write made it dirty in memory");
        assertEquals(2, mmu.tlb().walks(), "the write re-walked to update the descriptor");
        assertEquals(PA | 16, mmu.translate(VA | 16, AccessType.WRITE));
        assertEquals(2, mmu.tlb().walks());
    }

    @Test
    void hardwareDirtyWithoutHardwareAccessFlagIsIgnored() {
        long slot = tables.mapPage(VA, PA, Descriptor.PAGE_SHARED);
        Mmu mmu = tables.mmu(1, Tcr.HD);
        assertPermissionFault(Esr.EC_DABT_LOWER, 0x0F | Esr.ISS_DA_WNR, () -> mmu.translate(VA, AccessType.WRITE));
        assertTrue(Descriptor.rdonly(ram.read64(slot)));
    }

    @Test
    void panForbidsEl1DataAccessToUserPagesButNotToKernelPages() {
        tables.mapPage(VA, PA, Descriptor.PAGE_READWRITE_DIRTY);
        tables.mapPage(VA + 0x1000, PA + 0x1000, BASE);
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PA, mmu.translate(VA, AccessType.READ, 1));
        mmu.setPan(true);
        assertPermissionFault(Esr.EC_DABT_CUR, 0x0F, () -> mmu.translate(VA, AccessType.READ, 1));
        assertEquals(PA, mmu.translate(VA, AccessType.READ, 0));
        assertEquals(PA + 0x1000, mmu.translate(VA + 0x1000, AccessType.WRITE, 1));
        mmu.setPan(false);
        assertEquals(PA, mmu.translate(VA, AccessType.WRITE, 1));
    }
}
