package a64emu.guest.lmk;

import java.util.function.Consumer;

/**
 * lmkd's old kill strategy, {@code mp_event_common} with {@code use_minfree_levels}: on a
 * memory pressure event it compares free memory less the zone reserve ({@code other_free}) and
 * the page cache that is neither shmem, unevictable nor swap cache ({@code other_file}) with the
 * minfree table, and the first level where both are below gives the lowest oom_score_adj that
 * may be killed; then one process goes, the highest adj first. The kill line has no reason; a
 * "Reclaimed ..." line follows each kill, and each failure to find a victim at most once a second.
 */
final class MinfreePolicy {
    /** FAIL_REPORT_RLIMIT_MS: failed kills are reported at most once per second. */
    static final long FAIL_REPORT_RLIMIT_MS = 1000;

    private final MinfreeTable table;
    private long lastReportNanos;
    private long reportSkipCount;

    MinfreePolicy(MinfreeTable table) {
        this.table = table;
    }

    MinfreeTable table() {
        return table;
    }

    /**
     * One pressure event at {@code now} with the machine in state {@code m} (the caller has
     * checked that no victim is still dying). Kills through {@code killer} when a level matches,
     * and writes lmkd's report lines to {@code log}. Returns the adj level that matched, or -1.
     */
    int handle(long now, MemoryState m, Killer killer, Consumer<String> log) {
        long otherFree = m.otherFree();
        long otherFile = m.otherFile();
        int level = table.level(otherFree, otherFile);
        if (level < 0) {
            return -1; // both above every level: ignore the event
        }
        int minAdj = table.adj(level);
        long pagesFreed = killer.findAndKill(minAdj, KillReason.NONE, null);
        if (pagesFreed == 0) {
            // Rate-limit the reports of finding nothing to kill.
            if (PsiPolicy.millis(now - lastReportNanos) < FAIL_REPORT_RLIMIT_MS) {
                reportSkipCount++;
                return minAdj;
            }
        }
        log.accept(String.format("Reclaimed %dkB, cache(%dkB) and free(%dkB)-reserved(%dkB) below min(%dkB) "
                        + "for oom_score_adj %d", pagesFreed * MemoryState.PAGE_KB, otherFile * MemoryState.PAGE_KB,
                m.freePages() * MemoryState.PAGE_KB, m.watermarks().high() * MemoryState.PAGE_KB,
                table.minfreeKb(level), minAdj));
        if (reportSkipCount > 0) {
            log.accept(String.format("Suppressed %d failed kill reports", reportSkipCount));
            reportSkipCount = 0;
        }
        lastReportNanos = now;
        return minAdj;
    }
}
