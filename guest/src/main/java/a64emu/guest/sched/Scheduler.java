package a64emu.guest.sched;

import a64emu.guest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Which thread runs next: round robin over the runnable threads in creation order, each
 * for a quantum of instructions (or until it blocks), on the one emulated core. The order
 * depends only on what the guest does, so runs are reproducible.
 *
 * <p>Time: sleeping threads wait for a deadline on the kernel's clock, which follows the
 * host's monotonic clock but jumps forward when every thread sleeps (a guest that sleeps
 * does not make the host wait). When every thread is blocked with no deadline the run is
 * deadlocked, and the kernel says so instead of hanging.
 */
public final class Scheduler {
    /** Timers that are not a thread's wait (ITIMER_REAL): their next expiry, and firing them. */
    public interface Timers {
        /** The earliest armed expiry on the scheduler's clock, or Long.MAX_VALUE. */
        long earliest();

        /** Fires every timer due at {@code now} (which may wake threads). */
        void fire(long now);
    }

    /**
     * What the host delivers in its own time (the guest's standard input): threads sleeping
     * on it are not deadlocked, and while every thread sleeps the clock runs in real time
     * for them instead of jumping.
     */
    public interface HostEvents {
        /** Wakes the threads whose host event has come; whether any thread still waits for one. */
        boolean wakeReady();

        /** Blocks the host up to {@code nanos} (Long.MAX_VALUE: without limit) for a host event. */
        void await(long nanos);
    }

    /** The cores threads run on: one emulated core (sched_getaffinity's mask, /proc/cpuinfo). */
    public static final int NR_CPUS = 1;
    /** CONFIG_HZ: the kernel's tick, the resolution of the coarse clocks and of jiffies. */
    public static final int HZ = 250;
    /** One jiffy in nanoseconds (Linux TICK_NSEC). */
    public static final long TICK_NANOS = 1_000_000_000L / HZ;

    private final List<Task> tasks = new ArrayList<>();
    private Timers timers;
    /** The machine's boot on this scheduler's clock. */
    private final long bootNanos = now();
    private final LoadAverage loadAverage = new LoadAverage();
    private final IntSupplier activeThreads = this::activeThreads;

    public void setTimers(Timers t) {
        timers = t;
    }

    public void setHostEvents(HostEvents e) {
        hostEvents = e;
    }
    private HostEvents hostEvents;
    private int cursor;
    /** Nanoseconds skipped while every thread slept. */
    private long skipped;
    private long contextSwitches;

    public void add(Task t) {
        tasks.add(t);
    }

    /** Forgets a dead thread. */
    public void remove(Task t) {
        int i = tasks.indexOf(t);
        if (i >= 0) {
            tasks.remove(i);
            if (i < cursor) {
                cursor--;
            }
        }
    }

    public List<Task> tasks() {
        return tasks;
    }

    /** The kernel's monotonic clock in nanoseconds. */
    public long now() {
        return System.nanoTime() + skipped;
    }

    /** Wakes sleepers whose deadline has passed with their timeout result. */
    private void expireTimeouts() {
        long now = now();
        for (Task t : tasks) {
            Task.Wait w = t.waitingFor();
            if (t.state() == Task.State.BLOCKED && w.deadlineNanos >= 0 && w.deadlineNanos <= now) {
                t.timeOut();
                if (w.futexKey != null) {
                    w.futexKey = null;
                }
            }
        }
    }

    /**
     * The next thread to run after {@code previous} (null at the start), or null when none
     * can ever run again (deadlock). Jumps the clock to the earliest deadline when every
     * thread sleeps, unless one waits for the host ({@link HostEvents}): then it waits.
     */
    public Task pickNext(Task previous) {
        while (true) {
            // The load average samples the threads as they have been until now.
            loadAverage.sample(now() - bootNanos, activeThreads);
            expireTimeouts();
            if (timers != null) {
                timers.fire(now());
            }
            boolean hostWaiters = hostEvents != null && hostEvents.wakeReady();
            int n = tasks.size();
            if (n == 0) {
                return null;
            }
            int start = previous == null ? 0 : (tasks.indexOf(previous) + 1) % n;
            if (previous != null && tasks.indexOf(previous) < 0) {
                start = Math.min(cursor, n - 1);
            }
            for (int k = 0; k < n; k++) {
                Task t = tasks.get((start + k) % n);
                if (t.state() == Task.State.RUNNABLE && !t.process.stopped) {
                    cursor = (start + k) % n;
                    if (t != previous) {
                        contextSwitches++;
                    }
                    return t;
                }
            }
            long earliest = Long.MAX_VALUE;
            for (Task t : tasks) {
                Task.Wait w = t.waitingFor();
                if (t.state() == Task.State.BLOCKED && w.deadlineNanos >= 0) {
                    earliest = Math.min(earliest, w.deadlineNanos);
                }
            }
            if (timers != null) {
                earliest = Math.min(earliest, timers.earliest());
            }
            if (hostWaiters) {
                // Real time passes until the host delivers or the earliest deadline comes.
                hostEvents.await(earliest == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, earliest - now()));
                continue;
            }
            if (earliest == Long.MAX_VALUE) {
                return null;
            }
            long now = now();
            if (earliest > now) {
                // The load over the time skipped is that of the sleeping threads.
                loadAverage.sample(earliest - bootNanos, activeThreads);
                skipped += earliest - now;
            }
        }
    }

    /** Nanoseconds the clock jumped while every thread slept. */
    public long skipped() {
        return skipped;
    }

    /**
     * Threads that count towards the load (Linux calc_load_fold_active: nr_running plus
     * nr_uninterruptible): runnable ones, and those in an uninterruptible sleep (D, as a
     * vfork parent's). Threads of a stopped process count as neither.
     */
    public int activeThreads() {
        int n = 0;
        for (Task t : tasks) {
            if (t.process.stopped) {
                continue;
            }
            if (t.state() == Task.State.RUNNABLE
                    || (t.state() == Task.State.BLOCKED && !t.waitingFor().interruptible)) {
                n++;
            }
        }
        return n;
    }

    /** avenrun[]: the 1, 5 and 15 minute load averages, in {@link LoadAverage#FSHIFT}-bit fixed point. */
    public long[] loadAverages() {
        return loadAverage.averages();
    }

    public long contextSwitches() {
        return contextSwitches;
    }

    /** The threads blocked forever, for the deadlock diagnosis. */
    public List<Task> blocked() {
        List<Task> b = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state() == Task.State.BLOCKED) {
                b.add(t);
            }
        }
        return b;
    }
}
