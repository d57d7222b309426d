package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.mm.Lru.ListId;
import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The balance of reclaim between anonymous and file pages, Linux 6.1 {@code mm/vmscan.c}:
 * {@code get_scan_count} (first match wins: no swap → SCAN_FILE; priority 0 with swappiness
 * → SCAN_EQUAL; {@code file_is_tiny} → SCAN_ANON; {@code cache_trim_mode} → SCAN_FILE;
 * otherwise SCAN_FRACT with {@code ap = swappiness * (total_cost + 1) / (anon_cost + 1)},
 * {@code fp = (200 - swappiness) * (total_cost + 1) / (file_cost + 1)} after each cost has
 * the total added, and {@code scan = (size >> priority) * fraction / (ap + fp)}), and
 * {@code inactive_is_low} ({@code inactive * int_sqrt(10 * GiB) < active}, ratio 1 below 1 GiB).
 *
 * <p>Lists are filled with page numbers directly: only their sizes matter here.
 */
class ScanBalanceTest {
    private static final long PAGE = 4096;
    private static final int IA = ListId.INACTIVE_ANON.ordinal();
    private static final int AA = ListId.ACTIVE_ANON.ordinal();
    private static final int IF = ListId.INACTIVE_FILE.ordinal();
    private static final int AF = ListId.ACTIVE_FILE.ordinal();

    private final FrameAllocator frames = new FrameAllocator(new PhysicalMemory(64L << 20));
    private final Vmscan vmscan = new Vmscan(frames);
    private int nextPfn = 1;

    ScanBalanceTest() {
        frames.setSwap(new SwapSpace(new MemorySwapDevice(), 1 << 20));
        fill(ListId.INACTIVE_ANON, 4000);
        fill(ListId.ACTIVE_ANON, 2000);
        fill(ListId.INACTIVE_FILE, 4000);
        fill(ListId.ACTIVE_FILE, 2000);
    }

    private void fill(ListId list, int pages) {
        for (int i = 0; i < pages; i++) {
            frames.lru().addHead(nextPfn++, list);
        }
    }

    private Vmscan.ScanControl sc(int priority, long anonCost, long fileCost) {
        Vmscan.ScanControl sc = new Vmscan.ScanControl(true);
        sc.priority = priority;
        sc.anonCost = anonCost;
        sc.fileCost = fileCost;
        return sc;
    }

    /** nr[] for INACTIVE_ANON, ACTIVE_ANON, INACTIVE_FILE, ACTIVE_FILE. */
    private long[] scan(Vmscan.ScanControl sc) {
        long[] nr = vmscan.getScanCount(sc);
        return new long[] {nr[IA], nr[AA], nr[IF], nr[AF]};
    }

    @Test
    void defaultSwappinessPutsSixtyParts140OnFileWithNoRecordedCost() {
        // total_cost 0: ap = 60 * 1 / 1, fp = 140 * 1 / 1; at priority 2 the lists give 1000, 500, 1000, 500.
        assertEquals(60, vmscan.swappiness());
        assertArrayEquals(new long[] {300, 150, 700, 350}, scan(sc(2, 0, 0)));
    }

    @Test
    void swappinessZeroScansNoAnonymousPagesEvenWithSwap() {
        vmscan.setSwappiness(0);
        assertArrayEquals(new long[] {0, 0, 1000, 500}, scan(sc(2, 0, 0)));
        assertArrayEquals(new long[] {0, 0, 1000, 500}, scan(sc(2, 50, 3)), "whatever the costs");
    }

    @Test
    void swappinessZeroStillScansNoAnonymousPagesAtPriorityZero() {
        // SCAN_EQUAL needs "!sc->priority && swappiness": with swappiness 0 it stays SCAN_FRACT.
        vmscan.setSwappiness(0);
        assertArrayEquals(new long[] {0, 0, 4000, 2000}, scan(sc(0, 0, 0)));
    }

    @Test
    void swappinessZeroScansAnonymousPagesOnlyWhenTheFileLruIsTiny() {
        vmscan.setSwappiness(0);
        Vmscan.ScanControl sc = sc(2, 0, 0);
        sc.fileIsTiny = true;
        assertArrayEquals(new long[] {1000, 500, 0, 0}, scan(sc), "SCAN_ANON");
    }

    @Test
    void swappiness200ScansNoFilePages() {
        vmscan.setSwappiness(200);
        assertArrayEquals(new long[] {1000, 500, 0, 0}, scan(sc(2, 0, 0)));
    }

    @Test
    void swappiness100WithEqualCostsScansBothTypesEqually() {
        vmscan.setSwappiness(100);
        // total 20; anon 30, file 30; total 60: ap = fp = 100 * 61 / 31 = 196.
        assertArrayEquals(new long[] {500, 250, 500, 250}, scan(sc(2, 10, 10)));
        assertArrayEquals(new long[] {500, 250, 500, 250}, scan(sc(2, 0, 0)));
    }

    @Test
    void theCostlierTypeIsScannedLess() {
        vmscan.setSwappiness(100);
        // total 40; anon 50, file 70; total 120: ap = 12100 / 51 = 237, fp = 12100 / 71 = 170; denominator 407.
        assertArrayEquals(new long[] {1000 * 237 / 407, 500 * 237 / 407, 1000 * 170 / 407, 500 * 170 / 407},
                scan(sc(2, 10, 30)));
    }

    @Test
    void atPriorityZeroBothTypesAreScannedWhole() {
        assertArrayEquals(new long[] {4000, 2000, 4000, 2000}, scan(sc(0, 100, 0)), "SCAN_EQUAL");
    }

    @Test
    void withoutSwapOnlyFilePagesAreScanned() {
        frames.setSwap(null);
        vmscan.setSwappiness(200);
        assertArrayEquals(new long[] {0, 0, 4000, 2000}, scan(sc(0, 0, 0)), "SCAN_FILE before SCAN_EQUAL");
    }

    @Test
    void withSwapFullOnlyFilePagesAreScanned() {
        // can_reclaim_anon_pages: get_nr_swap_pages() > 0.
        SwapSpace small = new SwapSpace(new MemorySwapDevice(), 2 * PAGE);
        frames.setSwap(small);
        small.allocate();
        assertArrayEquals(new long[] {0, 0, 1000, 500}, scan(sc(2, 0, 0)));
    }

    @Test
    void cacheTrimModeScansOnlyFilePages() {
        Vmscan.ScanControl sc = sc(2, 0, 0);
        sc.cacheTrimMode = true;
        assertArrayEquals(new long[] {0, 0, 1000, 500}, scan(sc));
    }

    @Test
    void fileIsTinyComesBeforeCacheTrimMode() {
        Vmscan.ScanControl sc = sc(2, 0, 0);
        sc.cacheTrimMode = true;
        sc.fileIsTiny = true;
        assertArrayEquals(new long[] {1000, 500, 0, 0}, scan(sc));
    }

    @Test
    void atPriorityTwelveSmallListsAreNotScannedAtAll() {
        // lruvec_size >> DEF_PRIORITY: 4000 >> 12 = 0.
        assertArrayEquals(new long[] {0, 0, 0, 0}, scan(sc(Vmscan.DEF_PRIORITY, 0, 0)));
    }

    // ---- inactive_is_low ----------------------------------------------------------------

    @Test
    void belowOneGibTheInactiveListIsLowWhenSmallerThanTheActiveOne() {
        FrameAllocator f = new FrameAllocator(new PhysicalMemory(64L << 20));
        Vmscan v = new Vmscan(f);
        for (int p = 1; p <= 100; p++) {
            f.lru().addHead(p, ListId.INACTIVE_FILE);
        }
        for (int p = 101; p <= 200; p++) {
            f.lru().addHead(p, ListId.ACTIVE_FILE);
        }
        assertFalse(v.inactiveIsLow(ListId.INACTIVE_FILE), "100 * 1 < 100 is false");
        f.lru().addHead(201, ListId.ACTIVE_FILE);
        assertTrue(v.inactiveIsLow(ListId.INACTIVE_FILE));
        assertFalse(v.inactiveIsLow(ListId.INACTIVE_ANON), "empty lists: 0 < 0 is false");
    }

    @Test
    void theInactiveRatioIsIntSqrtOfTenTimesTheGibibytesOnTheLists() {
        // 4 GiB of RAM so that 1 GiB (ratio int_sqrt(10) = 3) and 4 GiB (int_sqrt(40) = 6) of list fit.
        FrameAllocator f = new FrameAllocator(new PhysicalMemory(4L << 30));
        Vmscan v = new Vmscan(f);
        Lru lru = f.lru();
        int pfn = 0;
        // 1 GiB: 262144 pages. inactive 65536 * 3 = 196608 < 196609 active.
        for (int i = 0; i < 65536; i++) {
            lru.addHead(pfn++, ListId.INACTIVE_ANON);
        }
        for (int i = 0; i < 196608; i++) {
            lru.addHead(pfn++, ListId.ACTIVE_ANON);
        }
        assertFalse(v.inactiveIsLow(ListId.INACTIVE_ANON), "196608 < 196608 is false at ratio 3");
        lru.addHead(pfn++, ListId.ACTIVE_ANON);
        assertTrue(v.inactiveIsLow(ListId.INACTIVE_ANON), "65536 * 3 < 196609");
        // Exactly 4 GiB on the lists (1048576 pages): ratio 6. 149797 * 6 = 898782 >= 898779 active.
        while (lru.size(ListId.INACTIVE_ANON) < 149797) {
            lru.addHead(pfn++, ListId.INACTIVE_ANON);
        }
        while (lru.size(ListId.ACTIVE_ANON) < 898779) {
            lru.addHead(pfn++, ListId.ACTIVE_ANON);
        }
        assertEquals(1L << 20, lru.size(ListId.INACTIVE_ANON) + lru.size(ListId.ACTIVE_ANON));
        assertFalse(v.inactiveIsLow(ListId.INACTIVE_ANON), "149797 * 6 = 898782 >= 898779");
        int moved = lru.tail(ListId.INACTIVE_ANON);
        lru.moveHead(moved, ListId.ACTIVE_ANON);
        assertTrue(v.inactiveIsLow(ListId.INACTIVE_ANON), "149796 * 6 = 898776 < 898780");
    }
}
