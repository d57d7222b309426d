package a64emu.guest.lmk;

import a64emu.guest.lmk.MemoryState.Watermark;
import a64emu.guest.lmk.MemoryState.Watermarks;

/**
 * lmkd's new kill strategy, {@code mp_event_psi}: on each PSI event and each poll after one it
 * reads the memory state, works out which watermark free memory is below, whether swap is low,
 * whether reclaim is running and how hard the page cache is thrashing, and decides by the first
 * rule that matches whether to kill and down to which oom_score_adj:
 *
 * <ol>
 * <li>the last wake-up killed and free memory is still below the min watermark:
 *     "min watermark is breached even after kill", down to pressure_after_kill_min_score (0);
 * <li>a critical event (PSI full stall): "device is not responding", down to 0;
 * <li>swap is low and the cache thrashes beyond thrashing_limit: "device is low on swap (...)
 *     and thrashing (...)", down to 201 unless below min or thrashing is critical;
 * <li>swap is low and free memory below the low watermark: "... watermark is breached and swap
 *     is low (...)", likewise 201 or 0;
 * <li>below low and swap utilisation above swap_util_max (off at its default 100);
 * <li>below low and thrashing beyond the (decaying) limit: "... watermark is breached and
 *     thrashing (...)", 201 unless thrashing is critical; the limit drops after the kill;
 * <li>direct reclaim and thrashing: "device is in direct reclaim and thrashing (...)", likewise;
 * <li>after thrashing, file cache below filecache_min_kb (off at its default 0): down to 201;
 * <li>otherwise, below low: "... watermark is breached", down to lowmem_min_oom_score (701).
 * </ol>
 *
 * "Below low" is lmkd's {@code wmark < WMARK_HIGH}: {@code get_lowest_watermark} names the lowest
 * mark free memory is under, so WMARK_HIGH alone (between low and high) is not enough. "min" names
 * the min watermark in the lines, "low" the low one, as lmkd words them.
 * Thrashing is the file refaults since the window began, in percent of the file LRU as it was
 * then, windows being 1 s ({@code THRASHING_RESET_INTERVAL_MS}); a window that ends carries its
 * thrashing into the next, halved per window passed unless it was over the limit. A wake-up that
 * sees no reclaim (pgscan_kswapd, pgscan_direct and pgrefill unchanged) and no new refault does
 * nothing. The watermarks are re-read once a minute and before the first kill.
 *
 * <p>The state that lmkd keeps in function statics is this object's. Times are the kernel's
 * monotonic clock in nanoseconds; lmkd's differences are whole milliseconds.
 */
final class PsiPolicy {
    /** lmkd's pressure levels that have PSI monitors in the new strategy (VMPRESS_LEVEL_LOW has none). */
    enum Level { MEDIUM, CRITICAL }

    /** {@code enum polling_update}. */
    enum Update { DO_NOT_CHANGE, START, PAUSE, RESUME }

    /** What a wake-up asks of lmkd's polling: the update, and the interval (-1: unchanged). */
    record Poll(Update update, int intervalMs) {
        static final Poll PAUSE = new Poll(Update.PAUSE, -1);
    }

    /** A decision: the reason (NONE for no kill), its words and the lowest adj that may go. */
    record Decision(KillReason reason, String description, int minAdj, long thrashing) {}

    /** {@code enum reclaim_state}. */
    enum Reclaim { NONE, KSWAPD, DIRECT }

    /** PSI_POLL_PERIOD_SHORT_MS and PSI_POLL_PERIOD_LONG_MS. */
    static final int POLL_SHORT_MS = 10;
    static final int POLL_LONG_MS = 100;
    /** THRASHING_RESET_INTERVAL_MS. */
    static final long THRASHING_RESET_INTERVAL_MS = 1000;
    /** Watermarks are re-read after a minute (b/140521024). */
    static final long WATERMARK_REFRESH_MS = 60_000;

    private final LmkProperties props;

    // mp_event_psi's statics.
    private long initWsRefault;
    private long prevWorkingsetRefault;
    private long baseFileLru;
    private long initPgscanKswapd;
    private long initPgscanDirect;
    private long initPgrefill;
    private boolean killing;
    private int thrashingLimit;
    private Watermarks watermarks;
    private long wmarkUpdateNanos;
    private long thrashingResetNanos;
    private long prevThrashGrowth;
    private boolean checkFilecache;
    private long maxThrashing;
    private boolean firstKill = true;
    private Decision last = new Decision(KillReason.NONE, null, 0, 0);

    PsiPolicy(LmkProperties props) {
        this.props = props;
        this.thrashingLimit = props.thrashingLimit();
    }

    /** The decision of the last wake-up that got as far as deciding. */
    Decision lastDecision() {
        return last;
    }

    /** The thrashing limit now (thrashing_limit, cut by thrashing_limit_decay after each kill for thrashing). */
    int thrashingLimit() {
        return thrashingLimit;
    }

    /**
     * One wake-up at {@code now}: by an event of {@code level} ({@code event}) or a poll of it.
     * Kills through {@code killer} if a rule says so and returns what polling should do next. The
     * caller has already made sure no earlier victim is still dying (lmkd skips the wake-up then).
     */
    Poll handle(Level level, boolean event, long now, MemoryState m, Killer killer) {
        return handle(level, event, now, m, killer, false);
    }

    /**
     * {@link #handle}, where {@code allocatorStalled} says a task is in direct reclaim at this
     * moment (the allocator is about to give up): lmkd's memevents listener would report it even
     * when reclaim found nothing to scan, so the scan counters standing still do not mean calm.
     */
    Poll handle(Level level, boolean event, long now, MemoryState m, Killer killer, boolean allocatorStalled) {
        boolean swapIsLow = false;
        boolean cycleAfterKill = false;
        Reclaim reclaim = Reclaim.NONE;
        long workingsetRefaultFile = m.workingsetRefaultFile();

        if (killing) {
            // Reset the file LRU size and refault base after a kill.
            killing = false;
            cycleAfterKill = true;
            baseFileLru = m.fileLru();
            initWsRefault = workingsetRefaultFile;
            thrashingResetNanos = now;
            prevThrashGrowth = 0;
        }

        long swapLowThreshold = 0;
        if (props.swapFreeLowPercentage() > 0) {
            swapLowThreshold = m.swapTotalPages() * props.swapFreeLowPercentage() / 100;
            swapIsLow = m.freeSwap(props.swapCompressionRatio()) < swapLowThreshold;
        }

        // Without the memevents listener, reclaim shows in the vmstat scan counters.
        boolean inDirectReclaim = allocatorStalled || m.pgscanDirect() != initPgscanDirect;
        boolean inKswapdReclaim = m.pgscanKswapd() != initPgscanKswapd || m.pgrefill() != initPgrefill;
        if (inDirectReclaim) {
            initPgscanDirect = m.pgscanDirect();
            initPgscanKswapd = m.pgscanKswapd();
            initPgrefill = m.pgrefill();
            reclaim = Reclaim.DIRECT;
        } else if (inKswapdReclaim) {
            initPgscanKswapd = m.pgscanKswapd();
            initPgrefill = m.pgrefill();
            reclaim = Reclaim.KSWAPD;
        } else if (workingsetRefaultFile == prevWorkingsetRefault) {
            // Neither thrashing nor reclaiming: nothing to do until these change.
            return noKill(event, swapIsLow, reclaim, killer);
        }
        prevWorkingsetRefault = workingsetRefaultFile;

        long thrashing = 0;
        long sinceResetMs = millis(now - thrashingResetNanos);
        if (sinceResetMs > THRASHING_RESET_INTERVAL_MS) {
            prevThrashGrowth = (workingsetRefaultFile - initWsRefault) * 100 / (baseFileLru + 1);
            long windowsPassed = sinceResetMs / THRASHING_RESET_INTERVAL_MS;
            // Decay unless over-the-limit thrashing was seen in the window just ended (no one was
            // left to kill then; keep it so that a new candidate is killed).
            if (windowsPassed > 1 || prevThrashGrowth < thrashingLimit) {
                // C leaves shifts of 64 or more undefined; the intent is all decayed.
                prevThrashGrowth = windowsPassed >= Long.SIZE ? 0 : prevThrashGrowth >> windowsPassed;
            }
            baseFileLru = m.fileLru();
            initWsRefault = workingsetRefaultFile;
            thrashingResetNanos = now;
            thrashingLimit = props.thrashingLimit();
        } else {
            thrashing = (workingsetRefaultFile - initWsRefault) * 100 / (baseFileLru + 1);
        }
        thrashing += prevThrashGrowth;
        maxThrashing = Math.max(maxThrashing, thrashing);

        // The decision; lmkd goes back here once, with fresh watermarks, before its first kill,
        // keeping what the first pass set.
        KillReason reason = KillReason.NONE;
        String description = null;
        int minAdj = 0;
        boolean cutThrashingLimit = false;
        boolean criticalStall;
        boolean refreshed = false;
        while (true) {
            if (watermarks == null || watermarks.high() == 0 || refreshed
                    || millis(now - wmarkUpdateNanos) > WATERMARK_REFRESH_MS) {
                watermarks = m.watermarks();
                wmarkUpdateNanos = now;
            }
            Watermark wmark = m.lowestWatermark(watermarks);
            String breached = wmark.compareTo(Watermark.LOW) < 0 ? "min" : "low";
            criticalStall = m.psiFullAvg10() > props.stallLimitCritical();
            long freeSwapKb = m.freeSwap(props.swapCompressionRatio()) * MemoryState.PAGE_KB;
            long swapLowKb = swapLowThreshold * MemoryState.PAGE_KB;
            int swapUtil;

            // "Even after kill" is about memory now that the victim's is back: a stall the
            // allocator left meanwhile (breachedSince) may predate the victim's exit.
            if (cycleAfterKill && m.currentWatermark(watermarks).compareTo(Watermark.LOW) < 0) {
                // Kills are not freeing enough: something allocates faster than reclaim can free.
                minAdj = props.pressureAfterKillMinScore();
                reason = KillReason.PRESSURE_AFTER_KILL;
                description = "min watermark is breached even after kill";
            } else if (level == Level.CRITICAL && event) {
                // Every task stalled on memory for psi_complete_stall_ms of the last second.
                reason = KillReason.NOT_RESPONDING;
                description = "device is not responding";
            } else if (swapIsLow && thrashing > props.thrashingLimit()) {
                reason = KillReason.LOW_SWAP_AND_THRASHING;
                description = String.format("device is low on swap (%dkB < %dkB) and thrashing (%d%%)",
                        freeSwapKb, swapLowKb, thrashing);
                // Perceptible apps stay unless below min or thrashing critically.
                if (wmark.compareTo(Watermark.MIN) > 0 && thrashing < props.thrashingLimitCritical()) {
                    minAdj = LmkProperties.PERCEPTIBLE_APP_ADJ + 1;
                }
                checkFilecache = true;
            } else if (swapIsLow && wmark.compareTo(Watermark.HIGH) < 0) {
                reason = KillReason.LOW_MEM_AND_SWAP;
                description = String.format("%s watermark is breached and swap is low (%dkB < %dkB)",
                        breached, freeSwapKb, swapLowKb);
                if (wmark.compareTo(Watermark.MIN) > 0 && thrashing < props.thrashingLimitCritical()) {
                    minAdj = LmkProperties.PERCEPTIBLE_APP_ADJ + 1;
                }
            } else if (wmark.compareTo(Watermark.HIGH) < 0 && props.swapUtilMax() < 100
                    && (swapUtil = m.swapUtilization(props.swapCompressionRatio())) > props.swapUtilMax()) {
                // Much anon memory swapped out while swap is not low: unswappable allocations press.
                reason = KillReason.LOW_MEM_AND_SWAP_UTIL;
                description = String.format("%s watermark is breached and swap utilization is high (%d%% > %d%%)",
                        breached, swapUtil, props.swapUtilMax());
            } else if (wmark.compareTo(Watermark.HIGH) < 0 && thrashing > thrashingLimit) {
                reason = KillReason.LOW_MEM_AND_THRASHING;
                description = String.format("%s watermark is breached and thrashing (%d%%)", breached, thrashing);
                cutThrashingLimit = true;
                if (thrashing < props.thrashingLimitCritical()) {
                    minAdj = LmkProperties.PERCEPTIBLE_APP_ADJ + 1;
                }
                checkFilecache = true;
            } else if (reclaim == Reclaim.DIRECT && thrashing > thrashingLimit) {
                reason = KillReason.DIRECT_RECL_AND_THRASHING;
                description = String.format("device is in direct reclaim and thrashing (%d%%)", thrashing);
                cutThrashingLimit = true;
                if (thrashing < props.thrashingLimitCritical()) {
                    minAdj = LmkProperties.PERCEPTIBLE_APP_ADJ + 1;
                }
                checkFilecache = true;
            } else if (checkFilecache) {
                long fileLruKb = m.fileLru() * MemoryState.PAGE_KB;
                if (fileLruKb < props.filecacheMinKb()) {
                    reason = KillReason.LOW_FILECACHE_AFTER_THRASHING;
                    description = String.format("filecache is low (%dkB < %dkB) after thrashing", fileLruKb,
                            props.filecacheMinKb());
                    minAdj = LmkProperties.PERCEPTIBLE_APP_ADJ + 1;
                } else {
                    checkFilecache = false;
                }
            }

            // A cached app goes when free memory is below low and nothing above applied.
            if (reason == KillReason.NONE && wmark.compareTo(Watermark.HIGH) < 0) {
                reason = KillReason.LOW_MEM;
                description = String.format("%s watermark is breached", breached);
                minAdj = props.lowmemMinOomScore();
            }
            if (reason != KillReason.NONE && firstKill) {
                // Make sure the watermarks are current before the first kill.
                firstKill = false;
                refreshed = true;
                continue;
            }
            break;
        }

        last = new Decision(reason, description, minAdj, thrashing);
        if (reason != KillReason.NONE) {
            if (criticalStall) {
                minAdj = 0; // the system is stalled: perceptible apps may go
                last = new Decision(reason, description, minAdj, thrashing);
            }
            long pagesFreed = killer.findAndKill(minAdj, reason, description);
            if (pagesFreed > 0) {
                killing = true;
                maxThrashing = 0;
                if (cutThrashingLimit) {
                    // Lower the limit by thrashing_limit_decay % until the system stops thrashing.
                    thrashingLimit = thrashingLimit * (100 - props.thrashingLimitDecay()) / 100;
                }
            }
        }
        return noKill(event, swapIsLow, reclaim, killer);
    }

    /** The end of every wake-up ({@code no_kill}): how to poll next. */
    private Poll noKill(boolean event, boolean swapIsLow, Reclaim reclaim, Killer killer) {
        if (killer.waitingForKill()) {
            return Poll.PAUSE; // polling resumes when the victim has died
        }
        // Poll after an event, and on while killing or in direct reclaim; kswapd alone may
        // reclaim for a long time without real pressure, so it does not extend polling.
        Update update = event || killing || reclaim == Reclaim.DIRECT ? Update.START : Update.DO_NOT_CHANGE;
        return new Poll(update, swapIsLow || killing ? POLL_SHORT_MS : POLL_LONG_MS);
    }

    /** get_time_diff_ms for two times of the kernel's clock. */
    static long millis(long nanos) {
        return nanos / 1_000_000L;
    }
}
