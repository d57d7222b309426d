package a64emu.guest.lmk;

/**
 * One kill by lmkd, with what {@code kill_one_process} logs of it.
 *
 * @param nanos        when, on the kernel's monotonic clock
 * @param pid          the victim
 * @param name         its name as lmkd reads it ({@code proc_get_name}: /proc/PID/cmdline up to
 *                     the first NUL or space)
 * @param uid          its uid
 * @param oomScoreAdj  its oom_score_adj
 * @param minAdj       the lowest adj the decision allowed
 * @param rssKb        VmRSS when it was killed
 * @param swapKb       VmSwap when it was killed
 * @param reason       why ({@link KillReason#NONE} for the minfree policy)
 * @param description  the reason in lmkd's words, null for the minfree policy
 */
public record LmkKill(long nanos, int pid, String name, int uid, int oomScoreAdj, int minAdj, long rssKb,
                      long swapKb, KillReason reason, String description) {
    /**
     * lmkd's line (tag lowmemorykiller): {@code Kill 'NAME' (PID), uid UID, oom_score_adj ADJ to free
     * RSSkB rss, SWAPkB swap; reason: WHY}, or without a reason {@code ..., SWAPkb swap} (sic, lower
     * case, as lmkd prints it).
     */
    public String logLine() {
        if (description != null) {
            return String.format("Kill '%s' (%d), uid %d, oom_score_adj %d to free %dkB rss, %dkB swap; reason: %s",
                    name, pid, uid, oomScoreAdj, rssKb, swapKb, description);
        }
        return String.format("Kill '%s' (%d), uid %d, oom_score_adj %d to free %dkB rss, %dkb swap",
                name, pid, uid, oomScoreAdj, rssKb, swapKb);
    }
}
