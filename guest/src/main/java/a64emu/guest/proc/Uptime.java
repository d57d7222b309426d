package a64emu.guest.proc;

/**
 * /proc/uptime (Linux fs/proc/uptime.c, uptime_proc_show): the time since boot on CLOCK_BOOTTIME,
 * then the time the CPUs have spent idle, both in seconds with two decimals, truncated.
 */
final class Uptime {
    private Uptime() {}

    static final long NSEC_PER_SEC = 1_000_000_000L;

    static byte[] show(long uptimeNanos, long idleNanos) {
        return new SeqFile().printf("%d.%02d %d.%02d\n", uptimeNanos / NSEC_PER_SEC,
                uptimeNanos % NSEC_PER_SEC / (NSEC_PER_SEC / 100), idleNanos / NSEC_PER_SEC,
                idleNanos % NSEC_PER_SEC / (NSEC_PER_SEC / 100)).bytes();
    }
}
