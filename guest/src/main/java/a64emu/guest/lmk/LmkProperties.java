package a64emu.guest.lmk;

/**
 * lmkd's tunables, the {@code ro.lmk.*} properties, with the defaults lmkd's
 * {@code update_props} gives them on a device that is not low-RAM ({@code ro.config.low_ram}
 * false): the one place their values are written down.
 *
 * @param psiPartialStallMs        psi_partial_stall_ms: "some" stall in a 1 s window that is a
 *                                 medium-pressure event (70; 200 on low-RAM devices)
 * @param psiCompleteStallMs       psi_complete_stall_ms: "full" stall in 1 s that is a critical
 *                                 event (700)
 * @param swapFreeLowPercentage    swap_free_low_percentage: swap is low below this share of
 *                                 SwapTotal (10 in lmkd.cpp; the README says 20)
 * @param thrashingLimit           thrashing_limit: % of the file LRU refaulted per window that is
 *                                 thrashing (100; 30 on low-RAM devices)
 * @param thrashingLimitDecay      thrashing_limit_decay: % the limit drops after each kill for
 *                                 thrashing (10; 50 on low-RAM devices)
 * @param thrashingLimitCritical   thrashing_limit_critical: thrashing at which perceptible apps
 *                                 may go too (3 x thrashing_limit)
 * @param swapUtilMax              swap_util_max: swap utilisation % that counts as too high
 *                                 (100, which turns that rule off)
 * @param killTimeoutMs            kill_timeout_ms: how long lmkd waits for its last victim to
 *                                 die before it kills again (100 in lmkd.cpp; the README says 0)
 * @param killHeaviestTask         kill_heaviest_task: within an adj level, the largest RSS rather
 *                                 than the least recently prioritised process (false)
 * @param pressureAfterKillMinScore pressure_after_kill_min_score: lowest adj killed when the min
 *                                 watermark is still breached after a kill (0)
 * @param filecacheMinKb           filecache_min_kb: file cache below which lmkd keeps killing
 *                                 after thrashing (0, off)
 * @param stallLimitCritical       stall_limit_critical: PSI full avg10 above which even
 *                                 perceptible apps may go (100, never: avg10 is a percentage)
 * @param lowmemMinOomScore        lowmem_min_oom_score: lowest adj killed for a breached
 *                                 watermark alone (PREVIOUS_APP_ADJ + 1 = 701)
 * @param swapCompressionRatio     swap_compression_ratio: free swap counts at most this times the
 *                                 easily available memory (1)
 */
public record LmkProperties(int psiPartialStallMs, int psiCompleteStallMs, int swapFreeLowPercentage,
                            int thrashingLimit, int thrashingLimitDecay, int thrashingLimitCritical,
                            int swapUtilMax, int killTimeoutMs, boolean killHeaviestTask,
                            int pressureAfterKillMinScore, long filecacheMinKb, long stallLimitCritical,
                            int lowmemMinOomScore, int swapCompressionRatio) {
    /** OOM_SCORE_ADJ_MIN and OOM_SCORE_ADJ_MAX, the range of oom_score_adj. */
    public static final int OOM_SCORE_ADJ_MIN = -1000;
    public static final int OOM_SCORE_ADJ_MAX = 1000;
    /** ProcessList.PERCEPTIBLE_APP_ADJ: at or below it lmkd picks the heaviest process of a level. */
    public static final int PERCEPTIBLE_APP_ADJ = 200;
    /** ProcessList.PREVIOUS_APP_ADJ. */
    public static final int PREVIOUS_APP_ADJ = 700;

    /** lmkd's defaults (DEF_* in lmkd.cpp and update_props). */
    public static final LmkProperties DEFAULTS = new LmkProperties(70, 700, 10, 100, 10, 300, 100, 100, false, 0,
            0, 100, PREVIOUS_APP_ADJ + 1, 1);

    /** The same properties with kill_heaviest_task set to {@code on}. */
    public LmkProperties withKillHeaviestTask(boolean on) {
        return new LmkProperties(psiPartialStallMs, psiCompleteStallMs, swapFreeLowPercentage, thrashingLimit,
                thrashingLimitDecay, thrashingLimitCritical, swapUtilMax, killTimeoutMs, on,
                pressureAfterKillMinScore, filecacheMinKb, stallLimitCritical, lowmemMinOomScore,
                swapCompressionRatio);
    }

    /** The same properties with swap_util_max set to {@code percent}. */
    public LmkProperties withSwapUtilMax(int percent) {
        return new LmkProperties(psiPartialStallMs, psiCompleteStallMs, swapFreeLowPercentage, thrashingLimit,
                thrashingLimitDecay, thrashingLimitCritical, percent, killTimeoutMs, killHeaviestTask,
                pressureAfterKillMinScore, filecacheMinKb, stallLimitCritical, lowmemMinOomScore,
                swapCompressionRatio);
    }

    /** The same properties with filecache_min_kb set to {@code kb}. */
    public LmkProperties withFilecacheMinKb(long kb) {
        return new LmkProperties(psiPartialStallMs, psiCompleteStallMs, swapFreeLowPercentage, thrashingLimit,
                thrashingLimitDecay, thrashingLimitCritical, swapUtilMax, killTimeoutMs, killHeaviestTask,
                pressureAfterKillMinScore, kb, stallLimitCritical, lowmemMinOomScore, swapCompressionRatio);
    }
}
