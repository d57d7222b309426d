package a64emu.guest;

import a64emu.guest.sched.ResourceUsage;

/**
 * A kernel thread besides kswapd0 (lmkd, say): the scheduler runs it between the guest's time
 * slices when it has work, as it runs kswapd0, and its host time is its system time. A
 * wake-up that needs it to run before the current thread's slice ends asks the kernel to
 * reschedule ({@link Kernel#requestResched}).
 */
public interface KernelThread {
    /** Its name, as /proc/PID/comm shows it. */
    String name();

    /** Whether it has work at {@code now} on the kernel's clock (woken, or a timer of its due). */
    boolean runnable(long now);

    /** Does that work. */
    void run(long now);

    /** Its CPU time and counts, for /proc. */
    ResourceUsage usage();

    /**
     * An allocation has been through direct reclaim and its retries without getting memory,
     * and the kernel is about to call the OOM killer: a thread that can free memory itself
     * (lmkd) gets its chance first. True if it freed memory, so the allocation tries again.
     */
    default boolean beforeOutOfMemory(long now) {
        return false;
    }
}
