package a64emu.guest.lmk;

/** What a kill policy asks of lmkd: to kill one process, and whether it still waits for one to die. */
interface Killer {
    /**
     * {@code find_and_kill_process}: kills one process with oom_score_adj {@code minAdj} or more,
     * the highest adj first; {@code reason} and {@code description} go into the kill line
     * (null description: the minfree policy's line, which has none). Returns the pages the victim
     * held (its RSS), 0 when no process could be killed, -1 when a chosen one could not be.
     */
    long findAndKill(int minAdj, KillReason reason, String description);

    /** {@code is_waiting_for_kill}: a victim was killed and its death not yet seen. */
    boolean waitingForKill();
}
