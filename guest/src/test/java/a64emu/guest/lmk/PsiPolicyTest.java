package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.lmk.PsiPolicy.Level;
import a64emu.guest.lmk.PsiPolicy.Poll;
import a64emu.guest.lmk.PsiPolicy.Update;
import org.junit.jupiter.api.Test;

/**
 * mp_event_psi's decisions from synthetic memory states, rule by rule, with lmkd's default
 * properties unless a test says otherwise: which rule fires first, its words in the kill line,
 * the lowest adj it allows, and what polling does next.
 */
class PsiPolicyTest {
    private final Machine m = new Machine();
    private final FakeKiller killer = new FakeKiller();
    private PsiPolicy policy = new PsiPolicy(LmkProperties.DEFAULTS);

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    /**
     * A wake-up at 2 s that sees kswapd at work and nothing short: it opens a thrashing window
     * over a file LRU of 10000 pages with no refaults yet, and kills nothing.
     */
    private void warmUp() {
        Poll p = policy.handle(Level.MEDIUM, false, ms(2000), m.kswapdScans().state(), killer);
        assertEquals(new Poll(Update.DO_NOT_CHANGE, 100), p);
        assertTrue(killer.calls.isEmpty());
    }

    /** A poll at {@code atMs} that finds kswapd still reclaiming. */
    private Poll poll(long atMs) {
        return policy.handle(Level.MEDIUM, false, ms(atMs), m.kswapdScans().state(), killer);
    }

    @Test
    void freeMemoryBelowTheLowWatermarkKillsCachedAppsDownToAdj701() {
        warmUp();
        m.free = 300;
        Poll p = poll(2100);
        assertEquals(new FakeKiller.Call(701, KillReason.LOW_MEM, "low watermark is breached"), killer.last());
        // After a kill lmkd polls fast (PSI_POLL_PERIOD_SHORT_MS) and keeps polling.
        assertEquals(new Poll(Update.START, 10), p);
    }

    @Test
    void freeMemoryBelowTheMinWatermarkIsNamedMinInTheReason() {
        warmUp();
        m.free = 200;
        poll(2100);
        assertEquals(new FakeKiller.Call(701, KillReason.LOW_MEM, "min watermark is breached"), killer.last());
    }

    @Test
    void aLowWatermarkBreachSinceTheLastLookCountsThoughFreeMemoryRecovered() {
        warmUp();
        m.breachedSince = MemoryState.Watermark.LOW; // kswapd was woken, and balanced again
        poll(2100);
        assertEquals(new FakeKiller.Call(701, KillReason.LOW_MEM, "low watermark is breached"), killer.last());
    }

    @Test
    void directReclaimSinceTheLastLookCountsAsTheMinWatermarkBreached() {
        warmUp();
        m.breachedSince = MemoryState.Watermark.MIN;
        poll(2100);
        assertEquals(new FakeKiller.Call(701, KillReason.LOW_MEM, "min watermark is breached"), killer.last());
    }

    @Test
    void theAllocatorsCountersTellTheLowestBreachSinceTheLastLook() {
        assertEquals(MemoryState.Watermark.MIN, MemoryState.breachedSince(3, 4, 10, 10));
        assertEquals(MemoryState.Watermark.LOW, MemoryState.breachedSince(3, 3, 10, 42));
        assertEquals(MemoryState.Watermark.NONE, MemoryState.breachedSince(3, 3, 10, 10));
    }

    @Test
    void onlyTheHighWatermarkBreachedKillsNothing() {
        // get_lowest_watermark says WMARK_HIGH, and the rules ask for less than that.
        warmUp();
        m.free = 350;
        Poll p = policy.handle(Level.MEDIUM, false, ms(2100), m.kswapdScans().state(), killer);
        assertTrue(killer.calls.isEmpty());
        assertEquals(KillReason.NONE, policy.lastDecision().reason());
        assertEquals(new Poll(Update.DO_NOT_CHANGE, 100), p);
    }

    @Test
    void aWakeUpWithoutReclaimOrRefaultsDecidesNothingButAnEventStartsPolling() {
        m.free = 100; // even below min: no reclaim and no refault means lmkd bails out early
        Poll p = policy.handle(Level.MEDIUM, true, ms(5000), m.state(), killer);
        assertTrue(killer.calls.isEmpty());
        assertEquals(new Poll(Update.START, 100), p);
        assertEquals(new Poll(Update.DO_NOT_CHANGE, 100), policy.handle(Level.MEDIUM, false, ms(5100), m.state(),
                killer));
    }

    @Test
    void minWatermarkStillBreachedAfterAKillAllowsAdjZero() {
        warmUp();
        m.free = 300;
        poll(2100); // kills for the low watermark
        m.free = 200;
        poll(2110);
        assertEquals(new FakeKiller.Call(0, KillReason.PRESSURE_AFTER_KILL, "min watermark is breached even after kill"),
                killer.last());
    }

    @Test
    void lowWatermarkAfterAKillIsNoPressureAfterKill() {
        warmUp();
        m.free = 300;
        poll(2100);
        poll(2110);
        assertEquals(2, killer.calls.size());
        assertEquals(KillReason.LOW_MEM, killer.last().reason());
    }

    @Test
    void aCriticalEventMeansTheDeviceIsNotRespondingAndAllowsAdjZero() {
        warmUp();
        policy.handle(Level.CRITICAL, true, ms(2100), m.kswapdScans().state(), killer);
        assertEquals(new FakeKiller.Call(0, KillReason.NOT_RESPONDING, "device is not responding"), killer.last());
    }

    @Test
    void aPollAtTheCriticalLevelIsNoCriticalEvent() {
        warmUp();
        policy.handle(Level.CRITICAL, false, ms(2100), m.kswapdScans().state(), killer);
        assertTrue(killer.calls.isEmpty());
    }

    @Test
    void lowSwapAndThrashingSparesPerceptibleApps() {
        warmUp();
        m.swapFree = 500; // below 10% of 8192 pages
        m.workingsetRefaultFile = 15000; // 15000 * 100 / (10000 + 1) = 149 %
        Poll p = policy.handle(Level.MEDIUM, false, ms(2100), m.kswapdScans().state(), killer);
        assertEquals(new FakeKiller.Call(201, KillReason.LOW_SWAP_AND_THRASHING,
                "device is low on swap (2000kB < 3276kB) and thrashing (149%)"), killer.last());
        // Swap is low: fast polling.
        assertEquals(new Poll(Update.START, 10), p);
    }

    @Test
    void lowSwapAndCriticalThrashingAllowsAdjZero() {
        warmUp();
        m.swapFree = 500;
        m.workingsetRefaultFile = 31000; // 309 %: at thrashing_limit_critical (300) or above
        policy.handle(Level.MEDIUM, false, ms(2100), m.kswapdScans().state(), killer);
        assertEquals(0, killer.last().minAdj());
        assertEquals(KillReason.LOW_SWAP_AND_THRASHING, killer.last().reason());
    }

    @Test
    void freeSwapCountsAtMostTheEasilyAvailableMemory() {
        warmUp();
        // 8192 free slots, but zram can only take them from MemFree + Inactive(file) = 300 + 400.
        m.free = 300;
        m.inactiveFile = 400;
        poll(2100);
        assertEquals(new FakeKiller.Call(201, KillReason.LOW_MEM_AND_SWAP,
                "low watermark is breached and swap is low (2800kB < 3276kB)"), killer.last());
    }

    @Test
    void lowSwapBelowTheMinWatermarkAllowsAdjZero() {
        warmUp();
        m.swapFree = 500;
        m.free = 200;
        poll(2100);
        assertEquals(new FakeKiller.Call(0, KillReason.LOW_MEM_AND_SWAP,
                "min watermark is breached and swap is low (2000kB < 3276kB)"), killer.last());
    }

    @Test
    void highSwapUtilizationKillsWhenSwapUtilMaxIsBelow100() {
        policy = new PsiPolicy(LmkProperties.DEFAULTS.withSwapUtilMax(50));
        warmUp();
        m.free = 300;
        m.swapFree = 4000; // 4192 used against 1000 anon pages: 80 %
        poll(2100);
        assertEquals(new FakeKiller.Call(0, KillReason.LOW_MEM_AND_SWAP_UTIL,
                "low watermark is breached and swap utilization is high (80% > 50%)"), killer.last());
    }

    @Test
    void highSwapUtilizationIsNoReasonAtTheDefaultSwapUtilMax() {
        warmUp();
        m.free = 300;
        m.swapFree = 4000;
        poll(2100);
        assertEquals(KillReason.LOW_MEM, killer.last().reason());
    }

    @Test
    void thrashingBelowTheHighWatermarkSparesPerceptibleAppsAndLowersTheLimitAfterTheKill() {
        warmUp();
        m.free = 300;
        m.workingsetRefaultFile = 15000;
        poll(2100);
        assertEquals(new FakeKiller.Call(201, KillReason.LOW_MEM_AND_THRASHING,
                "low watermark is breached and thrashing (149%)"), killer.last());
        // thrashing_limit_decay: 10 % less each time a kill for thrashing freed memory.
        assertEquals(90, policy.thrashingLimit());
    }

    @Test
    void directReclaimWithThrashingKillsEvenAboveTheHighWatermark() {
        warmUp();
        m.workingsetRefaultFile = 15000;
        policy.handle(Level.MEDIUM, false, ms(2100), m.directReclaimScans().state(), killer);
        assertEquals(new FakeKiller.Call(201, KillReason.DIRECT_RECL_AND_THRASHING,
                "device is in direct reclaim and thrashing (149%)"), killer.last());
    }

    @Test
    void kswapdWithThrashingAboveTheHighWatermarkKillsNothing() {
        warmUp();
        m.workingsetRefaultFile = 15000;
        Poll p = policy.handle(Level.MEDIUM, false, ms(2100), m.kswapdScans().state(), killer);
        assertTrue(killer.calls.isEmpty());
        assertEquals(149, policy.lastDecision().thrashing());
        assertEquals(new Poll(Update.DO_NOT_CHANGE, 100), p);
    }

    @Test
    void directReclaimKeepsPollingGoing() {
        warmUp();
        Poll p = policy.handle(Level.MEDIUM, false, ms(2100), m.directReclaimScans().state(), killer);
        assertTrue(killer.calls.isEmpty());
        assertEquals(new Poll(Update.START, 100), p);
    }

    @Test
    void fileCacheBelowFilecacheMinAfterThrashingKeepsKillingBackgroundApps() {
        policy = new PsiPolicy(LmkProperties.DEFAULTS.withFilecacheMinKb(100_000));
        warmUp();
        m.free = 300;
        m.workingsetRefaultFile = 15000;
        poll(2100); // thrashing: kill, and check the file cache from now on
        m.free = 1000;
        policy.handle(Level.MEDIUM, false, ms(2110), m.kswapdScans().state(), killer);
        assertEquals(new FakeKiller.Call(201, KillReason.LOW_FILECACHE_AFTER_THRASHING,
                "filecache is low (40000kB < 100000kB) after thrashing"), killer.last());
    }

    @Test
    void thrashingIsRefaultsInPercentOfTheFileLruAndHalvesWhenAWindowEnds() {
        warmUp();
        m.workingsetRefaultFile = 5000;
        policy.handle(Level.MEDIUM, false, ms(2500), m.kswapdScans().state(), killer);
        assertEquals(49, policy.lastDecision().thrashing()); // 5000 * 100 / 10001
        m.workingsetRefaultFile = 6000;
        policy.handle(Level.MEDIUM, false, ms(3100), m.kswapdScans().state(), killer);
        // The 1 s window ended: its 59 % (under the limit) carries over halved, a new window begins.
        assertEquals(29, policy.lastDecision().thrashing());
        m.workingsetRefaultFile = 7000;
        policy.handle(Level.MEDIUM, false, ms(3200), m.kswapdScans().state(), killer);
        assertEquals(29 + 9, policy.lastDecision().thrashing()); // + 1000 * 100 / 10001
    }

    @Test
    void aCriticalStallAllowsAdjZeroForAnyReason() {
        policy = new PsiPolicy(new LmkProperties(70, 700, 10, 100, 10, 300, 100, 100, false, 0, 0, 50, 701, 1));
        warmUp();
        m.free = 300;
        m.psiFullAvg10 = 60;
        poll(2100);
        assertEquals(new FakeKiller.Call(0, KillReason.LOW_MEM, "low watermark is breached"), killer.last());
    }

    @Test
    void whileTheVictimIsDyingPollingPauses() {
        killer.waitsAfterKill = true;
        warmUp();
        m.free = 300;
        assertEquals(Poll.PAUSE, poll(2100));
    }

    @Test
    void aKillThatFreedNothingIsNoKill() {
        killer.pagesPerKill = 0;
        warmUp();
        m.free = 300;
        Poll p = poll(2100);
        assertEquals(KillReason.LOW_MEM, killer.last().reason());
        assertEquals(new Poll(Update.DO_NOT_CHANGE, 100), p);
        m.free = 200;
        poll(2110);
        assertEquals(KillReason.LOW_MEM, killer.last().reason(), "not 'even after kill'");
    }

    @Test
    void noDecisionBeforeTheFirstWakeUp() {
        assertEquals(KillReason.NONE, policy.lastDecision().reason());
        assertNull(policy.lastDecision().description());
    }
}
