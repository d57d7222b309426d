package a64emu.mmu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.Descriptor;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: for random field values, encoding a descriptor with {@link Descriptor} and
 * decoding it again gives the same fields, for tables at levels 0-2, blocks at levels 1-2 and
 * pages at level 3. Each encoded word is also checked bit by bit against the ARM ARM layout
 * (D4.3, "VMSAv8-64 translation table descriptor formats"), written here independently, so a
 * field moved consistently in both encoder and decoder still fails.
 */
class DescriptorRoundTripTest {
    private static final int SAMPLES = 2000;

    // ARM ARM D4.3: positions of the fields, for the independent bit-level check.
    private static final int ATTRINDX_LSB = 2;
    private static final int NS_BIT = 5;
    private static final int AP_LSB = 6;
    private static final int SH_LSB = 8;
    private static final int AF_BIT = 10;
    private static final int NG_BIT = 11;
    private static final int GP_BIT = 50;
    private static final int DBM_BIT = 51;
    private static final int CONT_BIT = 52;
    private static final int PXN_BIT = 53;
    private static final int UXN_BIT = 54;
    private static final int SOFTWARE_LSB = 55;
    private static final int PXNTABLE_BIT = 59;
    private static final int UXNTABLE_BIT = 60;
    private static final int APTABLE_LSB = 61;
    private static final int NSTABLE_BIT = 63;

    record LeafFields(long pa, int attrIndx, boolean ns, int ap, int sh, boolean af, boolean ng, boolean gp,
                      boolean dbm, boolean cont, boolean pxn, boolean uxn, int software) {}

    record TableFields(long next, boolean pxnTable, boolean uxnTable, int apTable, boolean nsTable) {}

    private static long field(long word, int lsb, int width) {
        return (word >>> lsb) & ((1L << width) - 1);
    }

    private static boolean flag(long word, int bit) {
        return ((word >>> bit) & 1) != 0;
    }

    private static LeafFields randomLeaf(Random r, int level) {
        long size = Descriptor.bytesMappedAt(level);
        long pa = (r.nextLong() & 0x0000_FFFF_FFFF_FFFFL) & -size;
        int[] shValues = {0, 2, 3}; // 01 is reserved
        return new LeafFields(pa, r.nextInt(8), r.nextBoolean(), r.nextInt(4), shValues[r.nextInt(3)],
                r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean(), r.nextBoolean(), r.nextInt(16));
    }

    private static long encodeLeaf(LeafFields f, int level) {
        long attrs = Descriptor.attrIndx(f.attrIndx())
                | (f.ns() ? Descriptor.NS : 0)
                | ((long) f.ap() << Descriptor.AP_SHIFT)
                | ((long) f.sh() << Descriptor.SH_SHIFT)
                | (f.af() ? Descriptor.AF : 0)
                | (f.ng() ? Descriptor.NG : 0)
                | (f.gp() ? Descriptor.GP : 0)
                | (f.dbm() ? Descriptor.DBM : 0)
                | (f.cont() ? Descriptor.CONT : 0)
                | (f.pxn() ? Descriptor.PXN : 0)
                | (f.uxn() ? Descriptor.UXN : 0)
                | (((long) f.software() << 55) & Descriptor.SOFTWARE_MASK);
        return level == 3 ? Descriptor.page(f.pa(), attrs) : Descriptor.block(f.pa(), level, attrs);
    }

    private static LeafFields decodeLeaf(long d, int level) {
        return new LeafFields(Descriptor.outputAddress(d, level), Descriptor.attrIndxOf(d), (d & Descriptor.NS) != 0,
                Descriptor.ap(d), Descriptor.sh(d), Descriptor.af(d), Descriptor.ng(d), (d & Descriptor.GP) != 0,
                Descriptor.dbm(d), Descriptor.cont(d), Descriptor.pxn(d), Descriptor.uxn(d),
                (int) ((d & Descriptor.SOFTWARE_MASK) >>> 55));
    }

    /** The same fields read straight from the ARM ARM bit positions. */
    private static LeafFields leafAtArchitecturePositions(long d, int level) {
        int shift = 12 + 9 * (3 - level);
        long pa = d & 0x0000_FFFF_FFFF_FFFFL & -(1L << shift);
        return new LeafFields(pa, (int) field(d, ATTRINDX_LSB, 3), flag(d, NS_BIT), (int) field(d, AP_LSB, 2),
                (int) field(d, SH_LSB, 2), flag(d, AF_BIT), flag(d, NG_BIT), flag(d, GP_BIT), flag(d, DBM_BIT),
                flag(d, CONT_BIT), flag(d, PXN_BIT), flag(d, UXN_BIT), (int) field(d, SOFTWARE_LSB, 4));
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {1, 2, 3})
    void blockAndPageFieldsSurviveEncodeAndDecode(int level) {
        Random r = new Random(0x5EED_0000L + level);
        for (int i = 0; i < SAMPLES; i++) {
            LeafFields f = randomLeaf(r, level);
            long d = encodeLeaf(f, level);
            String where = String.format("level %d sample %d: %s -> 0x%016x", level, i, f, d);
            assertEquals(f, decodeLeaf(d, level), where);
            assertEquals(f, leafAtArchitecturePositions(d, level), where + " (ARM ARM bit positions)");
            // [1:0]: 11 page at level 3, 01 block at levels 1-2; nothing else is set.
            assertEquals(level == 3 ? 3 : 1, field(d, 0, 2), where);
            assertEquals(0, field(d, 59, 5), where + " (bits [63:59] are not leaf fields)");
            assertTrue(Descriptor.isValid(d) && Descriptor.isLeaf(d, level), where);
            assertFalse(Descriptor.isTable(d, level), where);
            assertFalse(Descriptor.describe(d, level).isEmpty(), where);
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 2})
    void tableFieldsSurviveEncodeAndDecode(int level) {
        Random r = new Random(0x7AB1_E000L + level);
        for (int i = 0; i < SAMPLES; i++) {
            TableFields f = new TableFields((r.nextLong() & 0x0000_FFFF_FFFF_F000L), r.nextBoolean(), r.nextBoolean(),
                    r.nextInt(4), r.nextBoolean());
            long attrs = (f.pxnTable() ? Descriptor.PXN_TABLE : 0) | (f.uxnTable() ? Descriptor.UXN_TABLE : 0)
                    | ((long) f.apTable() << 61) | (f.nsTable() ? Descriptor.NS_TABLE : 0);
            long d = Descriptor.table(f.next(), attrs);
            String where = String.format("level %d sample %d: %s -> 0x%016x", level, i, f, d);
            assertEquals(f, new TableFields(Descriptor.nextTable(d), Descriptor.pxnTable(d), Descriptor.uxnTable(d),
                    Descriptor.apTable(d), (d & Descriptor.NS_TABLE) != 0), where);
            assertEquals(f, new TableFields(d & 0x0000_FFFF_FFFF_F000L, flag(d, PXNTABLE_BIT), flag(d, UXNTABLE_BIT),
                    (int) field(d, APTABLE_LSB, 2), flag(d, NSTABLE_BIT)), where + " (ARM ARM bit positions)");
            assertEquals(3, field(d, 0, 2), where);
            assertEquals(0, field(d, 2, 10) | field(d, 48, 11), where + " (no stray bits)");
            assertTrue(Descriptor.isTable(d, level), where);
            assertFalse(Descriptor.isLeaf(d, level), where);
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {1, 2, 3})
    void replacingTheOutputAddressKeepsEveryAttribute(int level) {
        Random r = new Random(0x0A0A_0000L + level);
        for (int i = 0; i < SAMPLES; i++) {
            LeafFields f = randomLeaf(r, level);
            LeafFields g = randomLeaf(r, level);
            long moved = Descriptor.withOutputAddress(encodeLeaf(f, level), level, g.pa());
            LeafFields expected = new LeafFields(g.pa(), f.attrIndx(), f.ns(), f.ap(), f.sh(), f.af(), f.ng(), f.gp(),
                    f.dbm(), f.cont(), f.pxn(), f.uxn(), f.software());
            assertEquals(expected, decodeLeaf(moved, level), String.format("level %d sample %d", level, i));
        }
    }
}
