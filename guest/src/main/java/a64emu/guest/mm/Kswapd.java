package a64emu.guest.mm;

import a64emu.guest.mm.VmEvents.Event;
import a64emu.guest.sched.ResourceUsage;

/**
 * kswapd0, the node's reclaim thread (Linux {@code kswapd()} in {@code mm/vmscan.c}): it
 * sleeps until an allocation finds free memory below the low watermark and wakes it
 * ({@code wakeup_kswapd}), then reclaims until the zone is above its high watermark
 * ({@code balance_pgdat}) and goes back to sleep. It is a thread of the scheduler like the
 * guest's: the kernel runs it when it is runnable, between the guest's time slices, and a
 * wake-up preempts the running thread at its next return from the kernel, as a woken
 * kernel thread preempts under CFS. The host time it spends is its system time.
 *
 * <p>{@code kswapd_try_to_sleep}: a kswapd woken again soon after it went to sleep counts
 * {@code kswapd_low_wmark_hit_quickly}; one that could not get the zone balanced stays
 * runnable and counts {@code kswapd_high_wmark_hit_quickly}. A kswapd that reclaims nothing
 * {@link FrameAllocator#MAX_RECLAIM_RETRIES} times in a row is left asleep (the node is
 * hopeless; direct reclaim and the OOM path deal with it) until reclaim makes progress.
 */
public final class Kswapd {
    /** The thread's name, as /proc/PID/comm shows it. */
    public static final String NAME = "kswapd0";
    /** HZ/10: kswapd's short nap before it sleeps for good. */
    static final long NAP_NANOS = 100_000_000L;

    private final Vmscan vmscan;
    private final VmEvents events;
    private final java.util.function.LongSupplier clock;
    private final ResourceUsage usage = new ResourceUsage();
    private Runnable preempt = () -> { };
    private boolean runnable;
    private int order;
    /** When it last went to sleep, on the kernel's clock; -1 before the first time. */
    private long sleptAt = -1;
    private long runs;
    private long reclaimed;

    /** @param clock the kernel's monotonic clock in nanoseconds */
    public Kswapd(Vmscan vmscan, VmEvents events, java.util.function.LongSupplier clock) {
        this.vmscan = vmscan;
        this.events = events;
        this.clock = clock;
        vmscan.setKswapdWaker(() -> wake(0));
    }

    /** What a wake-up asks of the running thread: give up the CPU at its next chance. */
    public void setPreempt(Runnable r) {
        preempt = r;
    }

    /** {@code wakeup_kswapd} found it needed: it becomes runnable. */
    void wake(int forOrder) {
        order = Math.max(order, forOrder);
        if (runnable) {
            // Still behind: the allocating thread, which keeps falling below the low watermark,
            // yields to it again, as CFS lets a woken kswapd with less runtime preempt.
            preempt.run();
            return;
        }
        runnable = true;
        events.count(Event.KSWAPD_WAKEUPS);
        if (sleptAt >= 0 && clock.getAsLong() - sleptAt < NAP_NANOS) {
            events.count(Event.KSWAPD_LOW_WMARK_HIT_QUICKLY);
        }
        preempt.run();
    }

    public boolean runnable() {
        return runnable;
    }

    /**
     * One run: balance_pgdat, then sleep if the zone is balanced or kswapd has failed too
     * often (kswapd_try_to_sleep); otherwise it stays runnable for another run.
     */
    public void run() {
        long start = System.nanoTime();
        int want = order;
        order = 0;
        long got = vmscan.balance(want);
        reclaimed += got;
        runs++;
        if (vmscan.balanced(0) || vmscan.kswapdHopeless()) {
            runnable = false;
            sleptAt = clock.getAsLong();
        } else {
            events.count(Event.KSWAPD_HIGH_WMARK_HIT_QUICKLY);
        }
        usage.systemNanos += System.nanoTime() - start;
    }

    /** Its CPU time (all system time) and counts, for /proc. */
    public ResourceUsage usage() {
        return usage;
    }

    /** balance_pgdat runs so far. */
    public long runs() {
        return runs;
    }

    /** Pages kswapd reclaimed so far. */
    public long reclaimed() {
        return reclaimed;
    }
}
