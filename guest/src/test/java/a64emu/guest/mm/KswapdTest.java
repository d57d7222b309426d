package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.memory.PhysicalMemory;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * When reclaim runs, Linux 6.1 {@code mm/page_alloc.c} and {@code mm/vmscan.c}: the fast path
 * allocates while free pages stay above the low watermark ({@code zone_watermark_fast}:
 * {@code free > mark}); an allocation that finds free memory at or below it wakes kswapd
 * ({@code wake_all_kswapds}) and may go down to min; at or below min the task reclaims
 * itself ({@code __alloc_pages_direct_reclaim}, ALLOCSTALL) and retries while
 * {@code should_reclaim_retry} allows (progress resets the count; more than
 * MAX_RECLAIM_RETRIES = 16 rounds without progress, or reclaimable + free pages that could
 * not lift the zone above min, end it); only then does the allocation fail. kswapd
 * ({@code balance_pgdat}) reclaims until the zone is above its high watermark, and
 * {@code wakeup_kswapd} leaves a balanced or hopeless node alone.
 */
class KswapdTest {
    private static final long PAGE = 4096;

    /** A reclaimer that records what the allocator asks of it. */
    private static final class Spy implements FrameAllocator.Reclaimer {
        int wakes;
        int directs;
        long progress;
        long reclaimable;
        Runnable onDirect = () -> { };

        @Override
        public void wakeKswapd(int order) {
            wakes++;
        }

        @Override
        public long directReclaim(int order) {
            directs++;
            onDirect.run();
            return progress;
        }

        @Override
        public long reclaimablePages() {
            return reclaimable;
        }
    }

    private final FrameAllocator frames = new FrameAllocator(new PhysicalMemory(8L << 20));
    private final Spy spy = new Spy();
    private final Deque<Long> taken = new ArrayDeque<>();

    KswapdTest() {
        frames.setReclaimer(spy);
    }

    private void allocateWhileFreeAbove(long mark) throws OutOfFramesException {
        while (frames.freeFrames() > mark) {
            taken.push(frames.allocate());
        }
    }

    @Test
    void theFastPathAllocatesDownToTheLowWatermarkWithoutWakingKswapd() throws Exception {
        long low = frames.zone().low();
        allocateWhileFreeAbove(low);
        assertEquals(low, frames.freeFrames());
        assertEquals(0, spy.wakes);
        taken.push(frames.allocate()); // free == low: zone_watermark_fast fails at LOW
        assertEquals(1, spy.wakes, "wake_all_kswapds");
        assertEquals(0, spy.directs, "still above min");
    }

    @Test
    void anAllocationAtTheMinWatermarkReclaimsDirectly() throws Exception {
        long min = frames.zone().min();
        allocateWhileFreeAbove(min);
        assertEquals(min, frames.freeFrames());
        assertEquals(0, spy.directs, "allocations above min need no direct reclaim");
        spy.onDirect = () -> {
            for (int i = 0; i < 8; i++) {
                frames.put(taken.pop());
            }
        };
        spy.progress = 8;
        taken.push(frames.allocate());
        assertEquals(1, spy.directs);
        assertEquals(1, frames.events().get(Event.ALLOCSTALL_MOVABLE));
    }

    @Test
    void withNothingToReclaimTheAllocationFailsAfterOneDirectReclaim() throws Exception {
        // should_reclaim_retry: reclaimable + free <= min means reclaim cannot help: straight to OOM.
        allocateWhileFreeAbove(frames.zone().min());
        assertThrows(OutOfFramesException.class, frames::allocate);
        assertEquals(1, spy.directs);
    }

    @Test
    void theAllocationFailsOnlyAfterSeventeenRoundsWithoutProgress() throws Exception {
        // no_progress_loops > MAX_RECLAIM_RETRIES (16): the 17th fruitless direct reclaim ends it.
        allocateWhileFreeAbove(frames.zone().min());
        spy.reclaimable = 1000;
        assertThrows(OutOfFramesException.class, frames::allocate);
        assertEquals(17, spy.directs);
    }

    @Test
    void progressResetsTheRetriesAndTheAllocationSucceedsOnceReclaimFreesPages() throws Exception {
        allocateWhileFreeAbove(frames.zone().min());
        spy.reclaimable = 1000;
        int[] calls = new int[1];
        spy.onDirect = () -> {
            calls[0]++;
            spy.progress = calls[0] % 10 == 0 ? 1 : 0; // a little progress every tenth round
            if (calls[0] == 25) {
                for (int i = 0; i < 4; i++) {
                    frames.put(taken.pop());
                }
            }
        };
        taken.push(frames.allocate());
        assertEquals(25, spy.directs, "rounds 10 and 20 made progress, so round 25 was still tried");
    }

    @Test
    void reclaimIsRetriedWhileReclaimableAndFreePagesExceedMinByOnePage() throws Exception {
        // should_reclaim_retry: __zone_watermark_ok(zone, 0, min, ..., available = reclaimable + free)
        // is free_pages - 0 > min: with min + 1 available reclaim may still lift the zone.
        allocateWhileFreeAbove(frames.zone().min());
        spy.reclaimable = 1;
        assertThrows(OutOfFramesException.class, frames::allocate);
        assertEquals(17, spy.directs);
    }

    // ---- kswapd on a machine with real reclaim -------------------------------------------

    /** A file of {@code pages} pages whose bytes are made up as they are read. */
    private static PageSource bigFile(long pages) {
        return new PageSource() {
            @Override
            public long size() {
                return pages * PAGE;
            }

            @Override
            public int readAt(long pos, byte[] dst, int off, int len) {
                int n = (int) Math.min(len, size() - pos);
                java.util.Arrays.fill(dst, off, off + n, (byte) (pos / PAGE));
                return n;
            }
        };
    }

    @Test
    void kswapdIsWokenBelowTheLowWatermarkAndReclaimsToTheHighOne() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        Kswapd kswapd = new Kswapd(m.vmscan, m.frames.events(), () -> 0L);
        PageSource file = bigFile(100_000);
        long low = m.frames.zone().low();
        long freeAtWake = -1;
        for (long i = 0; !kswapd.runnable(); i++) {
            long free = m.frames.freeFrames();
            m.frames.pageCache().findOrRead(file, i * PAGE);
            if (kswapd.runnable()) {
                freeAtWake = free;
            }
        }
        assertTrue(freeAtWake <= low, "woken by an allocation at " + freeAtWake + " free, low is " + low);
        assertEquals(1, m.frames.events().get(Event.KSWAPD_WAKEUPS));
        assertEquals(0, m.frames.events().get(Event.ALLOCSTALL_MOVABLE));
        kswapd.run();
        assertTrue(m.frames.freeFrames() > m.frames.zone().high(), "balance_pgdat: above the high watermark");
        assertTrue(m.frames.events().get(Event.PGSTEAL_KSWAPD) > 0);
        assertEquals(0, m.frames.events().get(Event.PGSTEAL_DIRECT));
        assertFalse(kswapd.runnable(), "balanced: back to sleep");
    }

    @Test
    void withoutKswapdRunningAllocationsReachMinAndReclaimDirectly() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        PageSource file = bigFile(100_000);
        long min = m.frames.zone().min();
        for (long i = 0; m.frames.events().get(Event.ALLOCSTALL_MOVABLE) == 0; i++) {
            long free = m.frames.freeFrames();
            m.frames.pageCache().findOrRead(file, i * PAGE);
            if (m.frames.events().get(Event.ALLOCSTALL_MOVABLE) != 0) {
                assertTrue(free <= min, "direct reclaim at " + free + " free, min is " + min);
            }
        }
        assertTrue(m.frames.events().get(Event.PGSTEAL_DIRECT) > 0);
        assertTrue(m.frames.freeFrames() > 0);
    }

    @Test
    void theOutOfMemoryPathComesOnlyAfterThePageCacheIsGone() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        PageSource file = bigFile(100_000);
        for (long i = 0; i < 1000; i++) {
            m.frames.pageCache().findOrRead(file, i * PAGE);
        }
        assertTrue(m.frames.pageCache().size() > 500);
        assertThrows(OutOfFramesException.class, () -> {
            while (true) {
                m.frames.allocate(); // unreclaimable: never mapped, on no LRU list
            }
        });
        assertEquals(0, m.frames.pageCache().size(), "every clean cached page was reclaimed first");
        assertTrue(m.frames.freeFrames() <= m.frames.zone().min());
    }

    @Test
    void aBalancedNodeDoesNotWakeKswapd() {
        TestMachine m = new TestMachine(48, 8L << 20);
        Kswapd kswapd = new Kswapd(m.vmscan, m.frames.events(), () -> 0L);
        m.vmscan.wakeKswapd(0);
        assertFalse(kswapd.runnable());
    }

    @Test
    void sixteenKswapdRunsThatReclaimNothingMakeTheNodeHopeless() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        Kswapd kswapd = new Kswapd(m.vmscan, m.frames.events(), () -> 0L);
        while (m.frames.freeFrames() > m.frames.zone().low()) {
            m.frames.allocate(); // nothing reclaimable
        }
        for (int i = 0; i < 15; i++) {
            m.vmscan.wakeKswapd(0);
            assertTrue(kswapd.runnable(), "failure " + i + " of 16: still woken");
            kswapd.run();
        }
        m.vmscan.wakeKswapd(0);
        kswapd.run();
        assertTrue(m.vmscan.kswapdHopeless());
        m.vmscan.wakeKswapd(0);
        assertFalse(kswapd.runnable(), "kswapd_failures >= MAX_RECLAIM_RETRIES: left to direct reclaim");
    }

    @Test
    void aKswapdRunThatFindsTheNodeBalancedIsNotAFailure() {
        TestMachine m = new TestMachine(48, 8L << 20);
        for (int i = 0; i < 16; i++) {
            m.vmscan.balance(0);
        }
        assertFalse(m.vmscan.kswapdHopeless());
    }

    @Test
    void anUnbalancedKswapdThatReclaimedNothingRunsAgainUntilTheNodeIsHopeless() throws Exception {
        TestMachine m = new TestMachine(48, 8L << 20);
        Kswapd kswapd = new Kswapd(m.vmscan, m.frames.events(), () -> 0L);
        while (m.frames.freeFrames() > m.frames.zone().low()) {
            m.frames.allocate(); // nothing reclaimable
        }
        m.vmscan.wakeKswapd(0);
        kswapd.run();
        assertTrue(kswapd.runnable(), "not balanced, 1 failure of 16: balance_pgdat again");
        for (int i = 1; i < 16; i++) {
            kswapd.run();
        }
        assertTrue(m.vmscan.kswapdHopeless());
        assertFalse(kswapd.runnable());
        assertEquals(15, m.frames.events().get(Event.KSWAPD_HIGH_WMARK_HIT_QUICKLY));
    }
}
