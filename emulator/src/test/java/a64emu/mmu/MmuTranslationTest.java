package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Successful walks: page and block mappings for several VA sizes, TTBR1, TBI. */
class MmuTranslationTest {
    private static final long RW = Descriptor.PAGE_READWRITE_DIRTY;
    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);

    @Test
    void fortyEightBitTableResolvesAPageThroughFourLevels() {
        TestTables t = new TestTables(ram, 0x10_0000, 48);
        t.mapPage(0x0000_7FFF_1234_5000L, 0x0042_3000L, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0042_3ABCL, mmu.translate(0x0000_7FFF_1234_5ABCL, AccessType.READ));
        assertEquals(4, mmu.tlb().walkReads());
    }

    @Test
    void thirtyNineBitTableResolvesAPageThroughThreeLevels() {
        TestTables t = new TestTables(ram, 0x10_0000, 39);
        assertEquals(1, t.startLevel());
        t.mapPage(0x0000_0040_0000_1000L, 0x0055_5000L, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0055_5008L, mmu.translate(0x0000_0040_0000_1008L, AccessType.WRITE));
        assertEquals(3, mmu.tlb().walkReads());
    }

    @ParameterizedTest
    @ValueSource(ints = {48, 44, 40, 39, 36, 32, 30, 25})
    void everyInputSizeFromTwentyFiveToFortyEightBitsWalksFromItsStartLevel(int vaBits) {
        TestTables t = new TestTables(ram, 0x10_0000, vaBits);
        long va = (1L << (vaBits - 1)) | 0x7000;
        t.mapPage(va, 0x0066_6000L, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0066_6123L, mmu.translate(va | 0x123, AccessType.READ));
        assertEquals(4 - Descriptor.startLevel(64 - vaBits), mmu.tlb().walkReads());
        // One bit above the input size is outside the TTBR0 region.
        GuestException e = assertThrows(GuestException.class,
                () -> mmu.translate(va | (1L << vaBits), AccessType.READ));
        assertEquals(Esr.FSC_TRANSLATION, e.fault.fsc());
    }

    @Test
    void twoMegabyteBlockServesEveryPageInsideIt() {
        TestTables t = new TestTables(ram, 0x10_0000, 48);
        t.mapBlock(0x0000_0000_4000_0000L, 0x0060_0000L, 2, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0060_0000L, mmu.translate(0x4000_0000L, AccessType.READ));
        assertEquals(0x007F_FFFFL, mmu.translate(0x401F_FFFFL, AccessType.READ));
        assertEquals(0x0061_2345L, mmu.translate(0x4001_2345L, AccessType.WRITE));
        assertEquals(1, mmu.tlb().walks());
        assertEquals(2, mmu.tlb().hits());
    }

    @Test
    void oneGigabyteBlockAtLevelOneResolvesInAThirtyNineBitTable() {
        TestTables t = new TestTables(ram, 0x10_0000, 39);
        t.mapBlock(0x0000_0040_0000_0000L, 0x0000_00C0_0000_0000L, 1, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0000_00C0_3FFF_FFF8L, mmu.translate(0x0000_0040_3FFF_FFF8L, AccessType.READ));
        assertEquals(0x0000_00C0_0000_1000L, mmu.translate(0x0000_0040_0000_1000L, AccessType.READ));
        assertEquals(1, mmu.tlb().walks());
        assertEquals(1, mmu.tlb().walkReads());
    }

    @Test
    void highAddressesWalkTheTtbr1Tables() {
        TestTables low = new TestTables(ram, 0x10_0000, 48);
        TestTables high = new TestTables(ram, 0x20_0000, 48);
        low.mapPage(0x0000_0000_0040_0000L, 0x0011_1000L, RW);
        high.mapPage(0xFFFF_0000_0040_0000L, 0x0022_2000L, Descriptor.PAGE_DEFAULT);
        Mmu mmu = low.mmu(1, 0);
        mmu.setTtbr1(high.root);
        assertEquals(0x0011_1010L, mmu.translate(0x0000_0000_0040_0010L, AccessType.READ, 1));
        assertEquals(0x0022_2010L, mmu.translate(0xFFFF_0000_0040_0010L, AccessType.READ, 1));
    }

    @Test
    void tbi0IgnoresThePointerTagOnLowAddresses() {
        TestTables t = new TestTables(ram, 0x10_0000, 48);
        t.mapPage(0x0000_0000_0040_0000L, 0x0011_1000L, RW);
        Mmu tagged = t.mmu(1, Tcr.TBI0);
        assertEquals(0x0011_1004L, tagged.translate(0xB400_0000_0040_0004L, AccessType.READ));
        assertEquals(0x0011_1008L, tagged.translate(0x0000_0000_0040_0008L, AccessType.READ));
        assertEquals(1, tagged.tlb().walks(), "tagged and untagged pointers share one TLB entry");

        Mmu untagged = t.mmu(1, 0);
        GuestException e = assertThrows(GuestException.class,
                () -> untagged.translate(0xB400_0000_0040_0004L, AccessType.READ));
        assertEquals(0x04, e.fault.fsc());
        assertEquals(0xB400_0000_0040_0004L, e.far);
    }

    @Test
    void mmuOffMapsAddressesFlat() {
        Mmu mmu = new Mmu(ram);
        assertEquals(0x1234, mmu.translate(0x1234, AccessType.READ));
        GuestException noRam = assertThrows(GuestException.class, () -> mmu.translate(64L << 20, AccessType.READ));
        assertEquals(0x10, noRam.fault.fsc(), "inside PARange but no RAM: synchronous External abort");
        GuestException e = assertThrows(GuestException.class, () -> mmu.translate(1L << 48, AccessType.READ));
        assertEquals(Esr.EC_DABT_LOWER, e.ec);
        assertEquals(0x00, e.fault.fsc(), "Address size fault, level 0");
    }

    @Test
    void contiguousStartTableIsIndexedWithFewerBitsForThirtySixBitVa() {
        // T0SZ=28: start level 1 with a 64-entry (512-byte) table.
        TestTables t = new TestTables(ram, 0x10_0000, 36);
        assertEquals(64, Descriptor.startLevelEntries(28));
        t.mapPage(0x0000_000F_C000_0000L, 0x0033_3000L, RW);
        Mmu mmu = t.mmu(1, 0);
        assertEquals(0x0033_3000L, mmu.translate(0x0000_000F_C000_0000L, AccessType.READ));
        assertEquals(0x10_0000 + 63 * 8, t.slot(0x0000_000F_C000_0000L, 1, false));
    }
}
