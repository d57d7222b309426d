package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DescriptorTest {

    @Test
    void pageDescriptorRoundTripsEveryField() {
        long d = Descriptor.page(0x4012_3000L,
                Descriptor.attrIndx(4) | Descriptor.SH_OUTER | Descriptor.USER | Descriptor.RDONLY
                        | Descriptor.AF | Descriptor.NG | Descriptor.PXN | Descriptor.DBM | Descriptor.CONT);
        assertTrue(Descriptor.isValid(d));
        assertTrue(Descriptor.isPage(d, 3));
        assertFalse(Descriptor.isTable(d, 3));
        assertFalse(Descriptor.isBlock(d, 3));
        assertEquals(0x4012_3000L, Descriptor.outputAddress(d, 3));
        assertEquals(4, Descriptor.attrIndxOf(d));
        assertEquals(2, Descriptor.sh(d));
        assertEquals(3, Descriptor.ap(d));
        assertTrue(Descriptor.af(d));
        assertTrue(Descriptor.ng(d));
        assertTrue(Descriptor.pxn(d));
        assertFalse(Descriptor.uxn(d));
        assertTrue(Descriptor.dbm(d));
        assertTrue(Descriptor.cont(d));
        assertEquals(0b11, d & Descriptor.TYPE_MASK);
    }

    @Test
    void describePrintsFieldsInWords() {
        long d = Descriptor.page(0x4012_3000L, Descriptor.PAGE_DEFAULT | Descriptor.USER | Descriptor.NG
                | Descriptor.UXN | Descriptor.PXN);
        assertEquals("page PA=0x40123000 AttrIndx=0 SH=inner AP=EL0-RW AF nG UXN PXN", Descriptor.describe(d, 3));
        assertEquals("block-2M PA=0x40200000 AttrIndx=0 SH=inner AP=EL1-RO AF",
                Descriptor.describe(Descriptor.block(0x4020_0000L, 2, Descriptor.PAGE_DEFAULT | Descriptor.RDONLY), 2));
        assertEquals("table next=0x5000 UXNTable APTable-noEL0",
                Descriptor.describe(Descriptor.table(0x5000, Descriptor.UXN_TABLE | Descriptor.AP_TABLE_NO_EL0), 1));
        assertEquals("invalid", Descriptor.describe(0, 3));
        assertEquals("invalid PROT_NONE", Descriptor.describe(Descriptor.pte(0x7000, Descriptor.PAGE_NONE), 3));
        assertEquals("reserved level 3 encoding 0x401", Descriptor.describe(0x401, 3));
    }

    @Test
    void linuxUserPageAttributesMatchTheKernelsValues() {
        // Reference §2: private RO = PA|0x0060000000000FC3, anon RW dirty = PA|0x00E8000000000F43.
        assertEquals(0x0060_0000_0000_0FC3L | 0x1234_5000L, Descriptor.page(0x1234_5000L, Descriptor.PAGE_READONLY));
        assertEquals(0x00E8_0000_0000_0F43L | 0x1234_5000L,
                Descriptor.page(0x1234_5000L, Descriptor.PAGE_READWRITE_DIRTY));
        assertEquals(0, Descriptor.PAGE_READONLY_EXEC & Descriptor.UXN);
        assertFalse(Descriptor.isValid(Descriptor.pte(0x5000, Descriptor.PAGE_NONE)));
        assertEquals(Descriptor.AP_MASK & Descriptor.RDONLY, Descriptor.PAGE_EXECONLY & Descriptor.AP_MASK);
    }

    @Test
    void blocksExistOnlyAtLevelsOneAndTwoWithTheirOwnOutputAddressWidth() {
        long l1 = Descriptor.block(0x8000_0000L, 1, Descriptor.PAGE_DEFAULT);
        long l2 = Descriptor.block(0x8020_0000L, 2, Descriptor.PAGE_DEFAULT);
        assertTrue(Descriptor.isBlock(l1, 1));
        assertTrue(Descriptor.isBlock(l2, 2));
        assertFalse(Descriptor.isBlock(l1, 0));
        assertFalse(Descriptor.isBlock(l1, 3));
        assertFalse(Descriptor.isLeaf(l1, 3));
        assertEquals(0b01, l1 & Descriptor.TYPE_MASK);
        assertEquals(0x8000_0000L, Descriptor.outputAddress(l1, 1));
        assertEquals(0x8020_0000L, Descriptor.outputAddress(l2, 2));
        // Bits below the block size are not part of the OA (a level 1 block keeps [47:30]).
        assertEquals(0x4000_0000L, Descriptor.outputAddress(0x4020_0000L | 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.block(0x8000_0000L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.block(0x8000_0000L, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.block(0x8010_0000L, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.page(0x8010_0800L, 0));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.page(1L << 48, 0));
    }

    @Test
    void tableDescriptorCarriesNextTableAndHierarchicalAttributes() {
        long t = Descriptor.table(0x1234_5000L, Descriptor.PXN_TABLE | Descriptor.AP_TABLE_RDONLY);
        assertTrue(Descriptor.isTable(t, 0));
        assertTrue(Descriptor.isTable(t, 2));
        assertFalse(Descriptor.isTable(t, 3));
        assertTrue(Descriptor.isPage(t, 3));
        assertEquals(0x1234_5000L, Descriptor.nextTable(t));
        assertTrue(Descriptor.pxnTable(t));
        assertFalse(Descriptor.uxnTable(t));
        assertEquals(0b10, Descriptor.apTable(t));
        assertThrows(IllegalArgumentException.class, () -> Descriptor.table(0x1000, Descriptor.AF));
    }

    @Test
    void levelGeometryFollowsTheFourKilobyteGranule() {
        assertEquals(39, Descriptor.levelShift(0));
        assertEquals(1L << 30, Descriptor.bytesMappedAt(1));
        assertEquals(2L << 20, Descriptor.bytesMappedAt(2));
        assertEquals(4096, Descriptor.bytesMappedAt(3));
        assertEquals(0, Descriptor.startLevel(16));
        assertEquals(0, Descriptor.startLevel(24));
        assertEquals(1, Descriptor.startLevel(25));
        assertEquals(1, Descriptor.startLevel(33));
        assertEquals(2, Descriptor.startLevel(34));
        assertEquals(2, Descriptor.startLevel(39));
        assertEquals(512, Descriptor.startLevelEntries(16));
        assertEquals(512, Descriptor.startLevelEntries(25));
        assertEquals(32, Descriptor.startLevelEntries(20));
        long va = 0x0000_7F12_3456_7000L;
        assertEquals((int) ((va >>> 39) & 511), Descriptor.index(va, 0));
        assertEquals((int) ((va >>> 30) & 511), Descriptor.index(va, 1));
        assertEquals((int) ((va >>> 21) & 511), Descriptor.index(va, 2));
        assertEquals((int) ((va >>> 12) & 511), Descriptor.index(va, 3));
        // 36-bit VA (T0SZ=28): the start level 1 table has 64 entries.
        assertEquals(63, Descriptor.index(0xF_FFFF_F000L, 1, 28));
        assertEquals(511, Descriptor.index(0xF_FFFF_F000L, 2, 28));
        assertEquals(63, Descriptor.index(0x1FF_FFFF_F000L, 1, 28));
    }

    @Test
    void tlbiOperandUsesLinuxLayout() {
        long va = 0xFFFF_8000_1234_5000L;
        long op = TlbiOp.operand(va, 0x1234);
        assertEquals(((va >>> 12) & ((1L << 44) - 1)) | (0x1234L << 48), op);
        assertEquals(0x1234, TlbiOp.asidOf(op));
        assertEquals(va, TlbiOp.vaOf(op));
        assertEquals(0x0000_7FFF_FFFF_F000L, TlbiOp.vaOf(TlbiOp.operand(0x0000_7FFF_FFFF_F123L, 5)));
        assertEquals("tlbi vale1is", TlbiOp.VALE1IS.mnemonic());
        assertTrue(TlbiOp.VAALE1IS.lastLevelOnly && TlbiOp.VAALE1IS.innerShareable);
    }
}
