package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.mm.Zone.Pageset;
import a64emu.guest.mm.Zone.Stat;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoneTest {
    private static final long MIB = 1024 * 1024 / VmLayout.PAGE_SIZE;

    /** All of RAM in the one zone, every page managed (the reference table's assumption). */
    private static Zone ram(long pages) {
        return Zone.ram(0x40000, pages, pages);
    }

    private static void assertMarks(Zone zone, int minFreeKbytes, long min, long low, long high) {
        assertEquals(minFreeKbytes, zone.minFreeKbytes(), "min_free_kbytes");
        assertEquals(min, zone.min(), "min");
        assertEquals(low, zone.low(), "low");
        assertEquals(high, zone.high(), "high");
    }

    /**
     * memory-pressure.md section 1 (listed for 6.12; MIN/LOW/HIGH are the same formula in
     * 6.1, only the promo mark above HIGH is not printed there).
     */
    @ParameterizedTest(name = "{0} MiB")
    @CsvSource({
        "2048, 5792, 1448, 1972, 2496, 3020",
        "4096, 8192, 2048, 3096, 4144, 5192",
        "8192, 11585, 2896, 4993, 7090, 9187",
    })
    void bootWatermarksMatchTheReferenceTable(long mib, int minFreeKbytes, long min, long low, long high, long promo) {
        Zone zone = ram(mib * MIB);
        assertMarks(zone, minFreeKbytes, min, low, high);
        assertEquals(promo, zone.promo());
    }

    @Test
    void bootWatermarksForTheSmallRamSizesA64emuRuns() {
        // 64 MiB = 16384 pages: sqrt(65536 KiB * 16) = sqrt(1048576) = 1024 KiB, 256 pages.
        // step = max(256 >> 2 = 64, mult_frac(16384, 10, 10000) = 1*10 + 6384*10/10000 = 16) = 64.
        assertMarks(ram(64 * MIB), 1024, 256, 320, 384);
        // 128 MiB = 32768 pages: sqrt(131072 * 16 = 2097152) = 1448.15 -> 1448 KiB, 362 pages.
        // step = max(362 >> 2 = 90, 3*10 + 2768*10/10000 = 32) = 90.
        assertMarks(ram(128 * MIB), 1448, 362, 452, 542);
        // 1 GiB = 262144 pages: sqrt(1048576 * 16 = 16777216) = 4096 KiB, 1024 pages.
        // step = max(1024 >> 2 = 256, 26*10 + 2144*10/10000 = 262) = 262.
        assertMarks(ram(1024 * MIB), 4096, 1024, 1286, 1548);
    }

    @Test
    void minFreeKbytesIsClampedTo128KiBAnd256MiB() {
        // 64 pages = 256 KiB: sqrt(4096) = 64 KiB, raised to 128 KiB = 32 pages.
        assertEquals(128, ram(64).minFreeKbytes());
        assertEquals(32, ram(64).min());
        // 4 TiB = 2^30 pages: sqrt(2^32 KiB * 16) = 2^18 = 262144 KiB exactly; 8 TiB is clamped.
        assertEquals(262144, ram(1L << 30).minFreeKbytes());
        assertEquals(262144, ram(1L << 31).minFreeKbytes());
    }

    @Test
    void watermarkScaleFactor200AsZumaWritesItWidensTheStepsNotMin() {
        // 8 GiB: step = mult_frac(2097152, 200, 10000) = 209*200 + 7152*200/10000 = 41800 + 143.
        Zone eight = ram(8192 * MIB);
        assertTrue(eight.setWatermarkScaleFactor(200));
        assertEquals(200, eight.watermarkScaleFactor());
        assertMarks(eight, 11585, 2896, 2896 + 41943, 2896 + 2 * 41943);
        // 2 GiB: step = 52*200 + 4288*200/10000 = 10400 + 85 = 10485.
        Zone two = ram(2048 * MIB);
        assertTrue(two.setWatermarkScaleFactor(200));
        assertMarks(two, 5792, 1448, 11933, 22418);
    }

    @Test
    void watermarkScaleFactorOutside1To3000IsRefusedAsEinvalAndChangesNothing() {
        Zone zone = ram(2048 * MIB);
        assertFalse(zone.setWatermarkScaleFactor(0));
        assertFalse(zone.setWatermarkScaleFactor(3001));
        assertEquals(10, zone.watermarkScaleFactor());
        assertEquals(1972, zone.low());
        assertTrue(zone.setWatermarkScaleFactor(3000));
        // step = 52*3000 + 4288*3000/10000 = 156000 + 1286.
        assertEquals(1448 + 157286, zone.low());
    }

    @Test
    void writingMinFreeKbytesMovesEveryMark() {
        Zone zone = ram(2048 * MIB);
        assertTrue(zone.setMinFreeKbytes(16384));
        // 4096 pages; step = max(1024, 524).
        assertMarks(zone, 16384, 4096, 5120, 6144);
        assertFalse(zone.setMinFreeKbytes(-1));
        assertEquals(16384, zone.minFreeKbytes());
        assertTrue(zone.setMinFreeKbytes(0));
        // Nothing reserved at min; the steps fall back to watermark_scale_factor's 524.
        assertMarks(zone, 0, 0, 524, 1048);
    }

    @Test
    void recalculationCountsOnlyPagesAboveHighAndPrefersALargerUserValue() {
        Zone zone = ram(2048 * MIB);
        // After boot HIGH is 2496: sqrt((524288 - 2496) * 4 * 16 = 33394688) = 5778.8.
        zone.recalculateMinFreeKbytes();
        assertEquals(5778, zone.minFreeKbytes());
        zone.setMinFreeKbytes(16384);
        zone.recalculateMinFreeKbytes();
        assertEquals(16384, zone.minFreeKbytes(), "the user's larger value is preferred");
        zone.setMinFreeKbytes(100);
        // MIN 25, step 524, HIGH 1073: sqrt((524288 - 1073) * 64 = 33485760) = 5786.7.
        zone.recalculateMinFreeKbytes();
        assertEquals(5786, zone.minFreeKbytes(), "a smaller user value gives way");
    }

    @Test
    void khugepagedRaisesMinFreeKbytesToElevenPageblocks() {
        // 512 * (2 + 3 * 3) = 5632 pages = 22528 KiB, under 5% of (524288 - 2496).
        Zone two = ram(2048 * MIB);
        two.setRecommendedMinFreeKbytes();
        assertMarks(two, 22528, 5632, 5632 + 1408, 5632 + 2 * 1408);
        // 64 MiB: 5% of (16384 - 384) = 800 pages = 3200 KiB; step = max(200, 16).
        Zone small = ram(64 * MIB);
        small.setRecommendedMinFreeKbytes();
        assertMarks(small, 3200, 800, 1000, 1200);
    }

    @Test
    void orderZeroWatermarkNeedsMoreFreePagesThanTheMark() {
        Zone zone = ram(2048 * MIB);
        assertTrue(zone.watermarkOk(1449, zone.min(), 0, null));
        assertFalse(zone.watermarkOk(1448, zone.min(), 0, null));
    }

    @Test
    void allocHighHalvesMinAndHarderOrOomGoFurther() {
        Zone zone = ram(2048 * MIB);
        long min = zone.min(); // 1448
        // ALLOC_HIGH: 1448 - 724 = 724.
        assertTrue(zone.watermarkOk(725, min, 0, Zone.ALLOC_HIGH, null));
        assertFalse(zone.watermarkOk(724, min, 0, Zone.ALLOC_HIGH, null));
        // ALLOC_HIGH | ALLOC_HARDER (GFP_ATOMIC): 724 - 181 = 543.
        assertTrue(zone.watermarkOk(544, min, 0, Zone.ALLOC_HIGH | Zone.ALLOC_HARDER, null));
        assertFalse(zone.watermarkOk(543, min, 0, Zone.ALLOC_HIGH | Zone.ALLOC_HARDER, null));
        // ALLOC_HARDER alone: 1448 - 362 = 1086.
        assertFalse(zone.watermarkOk(1086, min, 0, Zone.ALLOC_HARDER, null));
        // ALLOC_OOM takes half instead of a quarter: 1448 - 724 = 724; with ALLOC_HIGH 362.
        assertFalse(zone.watermarkOk(724, min, 0, Zone.ALLOC_OOM, null));
        assertTrue(zone.watermarkOk(363, min, 0, Zone.ALLOC_HIGH | Zone.ALLOC_OOM, null));
        assertFalse(zone.watermarkOk(362, min, 0, Zone.ALLOC_HIGH | Zone.ALLOC_OOM, null));
    }

    @Test
    void higherOrderWatermarkNeedsAFreeBlockOfThatOrderAndDiscountsTheRest() {
        Zone zone = ram(2048 * MIB);
        int[] onlySinglePages = new int[BuddyAllocator.MAX_ORDER];
        onlySinglePages[0] = 100000;
        assertFalse(zone.watermarkOk(100000, zone.low(), 2, onlySinglePages));
        int[] oneOrder3 = onlySinglePages.clone();
        oneOrder3[3] = 1;
        assertTrue(zone.watermarkOk(100008, zone.low(), 2, oneOrder3));
        // An order-2 request cannot count 3 of its own pages: 1972 + 3 free is not above 1972.
        assertFalse(zone.watermarkOk(zone.low() + 3, zone.low(), 2, oneOrder3));
        assertTrue(zone.watermarkOk(zone.low() + 4, zone.low(), 2, oneOrder3));
    }

    @Test
    void theRamZoneIsDma32OfAGkiArm64NodeWithFourZonesAndNoProtection() {
        assertEquals(Zone.Type.DMA32, Zone.RAM_ZONE);
        assertEquals(4, Zone.MAX_NR_ZONES);
        assertEquals(List.of("DMA32", "Normal", "Movable", "Device"),
                List.of(Zone.Type.values()).stream().map(Zone.Type::procName).toList());
        assertArrayEquals(new long[] {0, 0, 0, 0}, ram(2048 * MIB).lowmemReserve());
    }

    @Test
    void zoneinfoIsPrintedAsZoneinfoShowPrintDoesFor6_1() {
        Zone zone = Zone.ram(0x40000, 64 * MIB, 64 * MIB);
        String text = zone.zoneinfo(0, 16000,
                List.of(new Stat("nr_inactive_anon", 12), new Stat("nr_mlock", 0)),
                List.of(new Stat("nr_free_pages", 16000), new Stat("nr_zone_inactive_anon", 12)),
                List.of(new Pageset(5, 6, 1, 2)), false);
        assertEquals("Node 0, zone    DMA32\n"
                + "  per-node stats\n"
                + "      nr_inactive_anon 12\n"
                + "      nr_mlock     0\n"
                + "  pages free     16000\n"
                + "        boost    0\n"
                + "        min      256\n"
                + "        low      320\n"
                + "        high     384\n"
                + "        spanned  16384\n"
                + "        present  16384\n"
                + "        managed  16384\n"
                + "        cma      0\n"
                + "        protection: (0, 0, 0, 0)\n"
                + "      nr_free_pages 16000\n"
                + "      nr_zone_inactive_anon 12\n"
                + "  pagesets\n"
                + "    cpu: 0\n"
                + "              count: 5\n"
                + "              high:  6\n"
                + "              batch: 1\n"
                + "  vm stats threshold: 2\n"
                + "  node_unreclaimable:  0\n"
                + "  start_pfn:           262144\n", text);
    }

    @Test
    void anUnpopulatedZoneStopsAfterItsProtectionLine() {
        assertEquals("Node 0, zone   Normal\n"
                + "  pages free     0\n"
                + "        boost    0\n"
                + "        min      0\n"
                + "        low      0\n"
                + "        high     0\n"
                + "        spanned  0\n"
                + "        present  0\n"
                + "        managed  0\n"
                + "        cma      0\n"
                + "        protection: (0, 0, 0, 0)\n", Zone.zoneinfoUnpopulated(0, Zone.Type.NORMAL));
    }

    @Test
    void intSqrtIsTheFloorOfTheSquareRootUpToLongMax() {
        long[] samples = {0, 1, 2, 3, 4, 15, 16, 17, 33554432, 33394688, (1L << 52) + 1,
            3037000499L * 3037000499L, 3037000499L * 3037000499L - 1, Long.MAX_VALUE};
        for (long x : samples) {
            BigInteger expected = BigInteger.valueOf(x).sqrt();
            assertEquals(expected.longValueExact(), Zone.intSqrt(x), "int_sqrt(" + x + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> Zone.intSqrt(-1));
    }

    @Test
    void multFracEqualsTheExactQuotientWithoutOverflowingTheProduct() {
        assertEquals(524, Zone.multFrac(524288, 10, 10000));
        assertEquals(41943, Zone.multFrac(2097152, 200, 10000));
        long huge = Long.MAX_VALUE / 1000;
        BigInteger exact = BigInteger.valueOf(huge).multiply(BigInteger.valueOf(3000)).divide(BigInteger.valueOf(10000));
        assertEquals(exact.longValueExact(), Zone.multFrac(huge, 3000, 10000));
    }
}
