package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fault kind the walker raises, with the exact ESR (EC, ISS) and FAR. */
class MmuFaultTest {
    private static final long VA = 0x0000_7FFF_1234_5678L;
    private static final long PAGE_PA = 0x0042_3000L;
    private static final long RW = Descriptor.PAGE_READWRITE_DIRTY;
    private static final long WNR = Esr.ISS_DA_WNR;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);

    private static GuestException abort(Executable access) {
        return assertThrows(GuestException.class, access);
    }

    /** Checks the whole ESR value and FAR, as the kernel would read them. */
    private static void assertEsr(int ec, long iss, long far, GuestException e) {
        assertEquals(Esr.value(ec, (int) iss), Esr.value(e.ec, e.iss),
                () -> String.format("ESR expected EC 0x%x ISS 0x%x, got %s", ec, iss, e.getMessage()));
        assertEquals(far, e.far);
        assertEquals(far, e.fault.va());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void invalidDescriptorRaisesTranslationFaultAtItsLevel(int level) {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.write(VA, level, 0);
        Mmu mmu = tables.mmu(1, 0);
        GuestException e = abort(() -> mmu.translate(VA, AccessType.READ));
        assertEsr(Esr.EC_DABT_LOWER, Esr.FSC_TRANSLATION | level, VA, e);
        assertEquals(Fault.Kind.TRANSLATION, e.fault.kind());
        assertEquals(level, e.fault.level());
        assertEquals(0, e.fault.el());
    }

    @Test
    void writeToUnmappedPageSetsWnR() {
        tables.mapPage(VA + 0x1000, PAGE_PA, RW);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x07 | WNR, VA, abort(() -> mmu.translate(VA, AccessType.WRITE)));
    }

    @Test
    void fetchFromUnmappedPageIsAnInstructionAbortWithoutWnR() {
        tables.mapPage(VA + 0x1000, PAGE_PA, RW);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_IABT_LOWER, 0x07, VA, abort(() -> mmu.translate(VA, AccessType.EXECUTE)));
        assertEsr(Esr.EC_IABT_CUR, 0x07, VA, abort(() -> mmu.translate(VA, AccessType.EXECUTE, 1)));
    }

    @Test
    void el1DataAbortIsTakenWithoutChangeOfExceptionLevel() {
        Mmu mmu = tables.mmu(1, 0);
        GuestException e = abort(() -> mmu.translate(VA, AccessType.WRITE, 1));
        assertEsr(Esr.EC_DABT_CUR, Esr.FSC_TRANSLATION | WNR, VA, e);
        assertEquals(1, e.fault.el());
    }

    @Test
    void blockEncodingAtLevelZeroIsTranslationFaultAtLevelZero() {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.write(VA, 0, 0x0000_0080_0000_0000L | Descriptor.TYPE_BLOCK | Descriptor.AF);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x04, VA, abort(() -> mmu.translate(VA, AccessType.READ)));
    }

    @Test
    void reservedBlockEncodingAtLevelThreeIsTranslationFaultAtLevelThree() {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.write(VA, 3, tables.read(VA, 3) & ~Descriptor.TABLE_BIT);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x07, VA, abort(() -> mmu.translate(VA, AccessType.READ)));
    }

    @Test
    void clearAccessFlagRaisesAccessFlagFaultAtLevel3() {
        tables.mapPage(VA, PAGE_PA, RW & ~Descriptor.AF);
        Mmu mmu = tables.mmu(1, 0);
        GuestException e = abort(() -> mmu.translate(VA, AccessType.READ));
        assertEsr(Esr.EC_DABT_LOWER, 0x0B, VA, e);
        assertEquals(Fault.Kind.ACCESS_FLAG, e.fault.kind());
    }

    @Test
    void clearAccessFlagOnBlockRaisesAccessFlagFaultAtLevel2() {
        tables.mapBlock(0x4000_0000L, 0x0060_0000L, 2, RW & ~Descriptor.AF);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x0A, 0x4001_0000L, abort(() -> mmu.translate(0x4001_0000L, AccessType.READ)));
    }

    @Test
    void accessFlagFaultTakesPriorityOverPermissionFault() {
        tables.mapPage(VA, PAGE_PA, Descriptor.PAGE_READONLY & ~Descriptor.AF);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x0B | WNR, VA, abort(() -> mmu.translate(VA, AccessType.WRITE)));
    }

    @Test
    void writeToReadOnlyPageRaisesPermissionFaultAtLevel3() {
        tables.mapPage(VA, PAGE_PA, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PAGE_PA | 0x678, mmu.translate(VA, AccessType.READ));
        GuestException e = abort(() -> mmu.translate(VA, AccessType.WRITE));
        assertEsr(Esr.EC_DABT_LOWER, 0x0F | WNR, VA, e);
        assertEquals(Fault.Kind.PERMISSION, e.fault.kind());
    }

    @Test
    void writeToReadOnlyBlockRaisesPermissionFaultAtLevel2() {
        tables.mapBlock(0x4000_0000L, 0x0060_0000L, 2, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(1, 0);
        assertEsr(Esr.EC_DABT_LOWER, 0x0E | WNR, 0x4000_0010L,
                abort(() -> mmu.translate(0x4000_0010L, AccessType.WRITE)));
    }

    @Test
    void ttbrBaseAboveOutputSizeIsAddressSizeFaultAtLevel0() {
        Mmu mmu = tables.mmu(1, 0);
        mmu.setTcr(mmu.tcr() & ~(7L << Tcr.IPS_SHIFT)); // IPS=000: 32-bit PA
        mmu.setTtbr0(1L << 32);
        assertEsr(Esr.EC_DABT_LOWER, 0x00, VA, abort(() -> mmu.translate(VA, AccessType.READ)));
    }

    @Test
    void nextTableAboveOutputSizeIsAddressSizeFaultAtTheTablesLevel() {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.write(VA, 1, Descriptor.table(1L << 33));
        Mmu mmu = tables.mmu(1, 0);
        mmu.setTcr(mmu.tcr() & ~(7L << Tcr.IPS_SHIFT));
        assertEsr(Esr.EC_DABT_LOWER, 0x01, VA, abort(() -> mmu.translate(VA, AccessType.READ)));
    }

    @Test
    void outputAddressAboveOutputSizeIsAddressSizeFaultAtTheLeafLevel() {
        tables.mapPage(VA, 0x1_0000_0000L, RW);
        Mmu mmu = tables.mmu(1, 0);
        mmu.setTcr(mmu.tcr() & ~(7L << Tcr.IPS_SHIFT));
        assertEsr(Esr.EC_DABT_LOWER, 0x03 | WNR, VA, abort(() -> mmu.translate(VA, AccessType.WRITE)));
        // With a 36-bit IPS the same output address is fine.
        mmu.setTcr(mmu.tcr() | Tcr.ips(36));
        assertEquals(0x1_0000_0678L, mmu.translate(VA, AccessType.WRITE));
    }

    @Test
    void tableOutsideRamIsSynchronousExternalAbortOnWalkAtThatLevel() {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.write(VA, 2, Descriptor.table(0x1000_0000L)); // 256 MiB: inside IPS, beyond the 64 MiB RAM
        Mmu mmu = tables.mmu(1, 0);
        GuestException e = abort(() -> mmu.translate(VA, AccessType.READ));
        // FSC 0x17: SEA on walk, level 3. S1PTW stays 0 with no stage 2 (ISS.S1PTW is RES0).
        assertEsr(Esr.EC_DABT_LOWER, 0x17, VA, e);
        assertEquals(Fault.Kind.EXTERNAL_ABORT_ON_WALK, e.fault.kind());
        assertFalse(e.fault.s1ptw());
    }

    @Test
    void addressBetweenTheTwoHalvesIsTranslationFaultAtLevel0() {
        Mmu mmu = tables.mmu(1, 0);
        long nonCanonical = 0x0001_0000_0000_0000L;
        assertEsr(Esr.EC_DABT_LOWER, 0x04, nonCanonical, abort(() -> mmu.translate(nonCanonical, AccessType.READ)));
        long upperHole = 0xFF80_7F00_0000_0000L; // VA[55]=1 selects TTBR1, but [63:48] are not all ones
        assertEsr(Esr.EC_DABT_LOWER, 0x04, upperHole, abort(() -> mmu.translate(upperHole, AccessType.READ)));
    }

    @Test
    void ttbr1RegionSizeFollowsT1sz() {
        TestTables high = new TestTables(ram, 0x20_0000, 39);
        long kernelVa = 0xFFFF_FF80_0000_1000L;
        high.mapPage(kernelVa, 0x0077_7000L, Descriptor.PAGE_DEFAULT);
        Mmu mmu = tables.mmu(1, 0);
        mmu.setTcr((mmu.tcr() & ~(0x3FL << Tcr.T1SZ_SHIFT)) | Tcr.t1sz(39));
        mmu.setTtbr1(high.root);
        assertEquals(0x0077_7000L, mmu.translate(kernelVa, AccessType.READ, 1));
        long outside = 0xFFFF_FF00_0000_1000L; // below the 39-bit TTBR1 region
        assertEsr(Esr.EC_DABT_CUR, 0x04, outside, abort(() -> mmu.translate(outside, AccessType.READ, 1)));
    }

    @Test
    void epd0TurnsAMissIntoTranslationFaultAtLevel0ButHitsStillTranslate() {
        tables.mapPage(VA, PAGE_PA, RW);
        tables.mapPage(VA + 0x1000, PAGE_PA + 0x1000, RW);
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(PAGE_PA | 0x678, mmu.translate(VA, AccessType.READ));
        mmu.setTcr(mmu.tcr() | Tcr.EPD0);
        assertEquals(PAGE_PA | 0x678, mmu.translate(VA, AccessType.READ), "EPD only stops walks");
        assertEsr(Esr.EC_DABT_LOWER, 0x04, VA + 0x1000, abort(() -> mmu.translate(VA + 0x1000, AccessType.READ)));
    }

    @Test
    void translationAndAccessFlagFaultsAreNeverCached() {
        Mmu mmu = tables.mmu(1, 0);
        abort(() -> mmu.translate(VA, AccessType.READ));
        long slot = tables.mapPage(VA, PAGE_PA, RW & ~Descriptor.AF);
        // No TLBI: a fault result may not be held in the TLB, so the next access walks again.
        abort(() -> mmu.translate(VA, AccessType.READ));
        ram.write64(slot, ram.read64(slot) | Descriptor.AF);
        assertEquals(PAGE_PA | 0x678, mmu.translate(VA, AccessType.READ));
        assertEquals(3, mmu.tlb().walks());
        assertEquals(1, mmu.tlb().validEntries());
    }

    @Test
    void faultRecordNamesTheFaultInWords() {
        tables.mapPage(VA, PAGE_PA, Descriptor.PAGE_READONLY);
        Mmu mmu = tables.mmu(1, 0);
        GuestException e = abort(() -> mmu.translate(VA, AccessType.WRITE));
        assertEquals("permission fault level 3 on write at 0x7fff12345678 (Permission fault, level 3)",
                e.fault.toString());
    }
}
