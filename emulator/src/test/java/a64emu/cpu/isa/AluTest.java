package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AluTest {
    @Test
    void decodeBitMasksOfKnownImmediates() {
        // N=0, imms=111100: 2-bit elements '01', no rotation.
        assertEquals(0x5555_5555_5555_5555L, Alu.decodeLogicalImmediate(0, 0b111100, 0, 64));
        // Rotated by one: '10' elements.
        assertEquals(0xAAAA_AAAA_AAAA_AAAAL, Alu.decodeLogicalImmediate(0, 0b111100, 1, 64));
        // N=0, imms=001111 (32-bit elements of 16 ones), immr=16.
        assertEquals(0xFFFF_0000_FFFF_0000L, Alu.decodeLogicalImmediate(0, 0b001111, 16, 64));
        // N=1: one 64-bit element of 8 ones rotated right by 8 to the top byte.
        assertEquals(0xFF00_0000_0000_0000L, Alu.decodeLogicalImmediate(1, 0b000111, 8, 64));
        // 32-bit datasize keeps the low word only.
        assertEquals(0xFFL, Alu.decodeLogicalImmediate(0, 0b000111, 0, 32));
    }

    @Test
    void reservedLogicalImmediatesAreUndefined() {
        assertThrows(GuestException.class, () -> Alu.decodeLogicalImmediate(0, 0b111111, 0, 64));
        assertThrows(GuestException.class, () -> Alu.decodeLogicalImmediate(1, 0b111111, 0, 64));
        assertThrows(GuestException.class, () -> Alu.decodeLogicalImmediate(0, 0b111101, 0, 64)); // 2-bit all ones
    }

    /** The A64 logical immediates: 5334 distinct 64-bit values and 1302 distinct 32-bit ones. */
    @Test
    void everyEncodableLogicalImmediateIsCounted() {
        assertEquals(5334, distinctLogicalImmediates(64));
        assertEquals(1302, distinctLogicalImmediates(32));
    }

    private static int distinctLogicalImmediates(int datasize) {
        Set<Long> values = new HashSet<>();
        for (int n = 0; n <= (datasize == 64 ? 1 : 0); n++) {
            for (int immr = 0; immr < 64; immr++) {
                for (int imms = 0; imms < 64; imms++) {
                    try {
                        long v = Alu.decodeLogicalImmediate(n, imms, immr, datasize);
                        assertTrue(v != 0 && v != (datasize == 64 ? -1L : 0xFFFF_FFFFL));
                        values.add(v);
                    } catch (GuestException reserved) {
                        // a reserved encoding: not counted
                    }
                }
            }
        }
        return values.size();
    }

    @Test
    void conditionHoldsForSignedComparisons() {
        int lessThan = Alu.N; // N != V
        assertTrue(Alu.conditionHolds(0xB, lessThan));   // LT
        assertFalse(Alu.conditionHolds(0xA, lessThan));  // GE
        assertTrue(Alu.conditionHolds(0xD, Alu.Z));      // LE on equal
        assertFalse(Alu.conditionHolds(0xC, Alu.Z));     // GT on equal
        assertTrue(Alu.conditionHolds(0xE, 0));          // AL
        assertTrue(Alu.conditionHolds(0xF, 0));          // NV also means always
    }

    @Test
    void bitfieldMoveExtractsAndInserts() {
        // UBFX x, #8, #8 == UBFM immr=8, imms=15
        assertEquals(0x12L, Alu.bitfieldMove(0x1234, 0, 8, 15, 64, 2));
        // SBFX of 0x80 at bit 0, width 8 sign-extends.
        assertEquals(-128L, Alu.bitfieldMove(0x80, 0, 0, 7, 64, 0));
        // BFI #4, #4 into 0xFFFF keeps the other bits.
        assertEquals(0xFF5FL, Alu.bitfieldMove(0x5, 0xFFFF, 60, 3, 64, 1));
        // 32-bit ASR #31 of a negative word.
        assertEquals(0xFFFF_FFFFL, Alu.bitfieldMove(0x8000_0000L, 0, 31, 31, 32, 0));
    }

    @Test
    void extendAndShift() {
        assertEquals(-2L << 2, Alu.extend(0xFE, 4, 2)); // SXTB #2
        assertEquals(0xFFFF_FFFFL, Alu.extend(-1L, 2, 0)); // UXTW
        assertEquals(0x8000_0000_0000_0000L, Alu.shift64(1, 3, 1)); // ROR #1
        assertEquals(0xC000_0000L, Alu.shift32(0x8000_0000L, 2, 1)); // 32-bit ASR
    }

    /** Operands at the edges where the flags change: zero, one, the sign boundaries, all ones, and random ones. */
    private static long[] compareOperands() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        long[] edges = {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
                0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, -0x8000_0000L};
        long[] all = java.util.Arrays.copyOf(edges, edges.length + 40);
        for (int i = edges.length; i < all.length; i++) {
            all[i] = i % 2 == 0 ? r.nextLong() : r.nextInt(5) - 2;
        }
        return all;
    }

    @Test
    void conditionAfterCompareIsConditionHoldsOfTheSubtractionsFlags() {
        long[] values = compareOperands();
        for (int cond = 0; cond < 16; cond++) {
            for (long x : values) {
                for (long y : values) {
                    assertEquals(Alu.conditionHolds(cond, Alu.nzcvOfAdd64(x, ~y, 1)),
                            Alu.conditionAfterCompare64(cond, x, y), cond + " " + x + " " + y);
                    assertEquals(Alu.conditionHolds(cond, Alu.nzcvOfAdd32((int) x, ~(int) y, 1)),
                            Alu.conditionAfterCompare32(cond, (int) x, (int) y), cond + " w " + x + " " + y);
                }
            }
        }
    }

    /** The ARM ARM's pseudocode of SBFM/BFM/UBFM: DecodeBitMasks(immediate = FALSE), ROR, wmask and tmask. */
    private static long pseudocodeBitfield(long src, long dst, int r, int s, int size, int kind) {
        long sizeMask = Alu.ones(size);
        long welem = Alu.ones(s + 1);
        long wmask = r == 0 ? welem : ((welem >>> r) | (welem << (size - r))) & sizeMask;
        long tmask = Alu.ones(((s - r) & (size - 1)) + 1);
        long x = src & sizeMask;
        long ror = r == 0 ? x : ((x >>> r) | (x << (size - r))) & sizeMask;
        long result;
        if (kind == 1) {
            long bot = (dst & ~wmask) | (ror & wmask);
            result = (dst & ~tmask) | (bot & tmask);
        } else {
            long bot = ror & wmask;
            long top = kind == 0 && ((src >>> s) & 1) != 0 ? sizeMask : 0;
            result = (top & ~tmask) | (bot & tmask);
        }
        return result & sizeMask;
    }

    @Test
    void bitfieldMoveIsTheArmArmPseudocodeForEveryImmrAndImms() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int size : new int[] {32, 64}) {
            for (int r = 0; r < size; r++) {
                for (int s = 0; s < size; s++) {
                    for (int i = 0; i < 4; i++) {
                        long src = random.nextLong();
                        long dst = random.nextLong();
                        for (int kind = 0; kind < 3; kind++) {
                            long expected = pseudocodeBitfield(src, dst, r, s, size, kind);
                            long got = Alu.bitfieldMove(src, dst, r, s, size, kind);
                            assertEquals(expected, size == 32 ? got & 0xFFFF_FFFFL : got,
                                    "size " + size + " r " + r + " s " + s + " kind " + kind);
                        }
                    }
                }
            }
        }
    }
}
