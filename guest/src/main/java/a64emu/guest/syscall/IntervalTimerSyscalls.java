package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.sched.IntervalTimer;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Scheduler;

/**
 * getitimer and setitimer (Linux {@code kernel/time/itimer.c}). ITIMER_REAL, which is what
 * alarm(3) uses, counts on the kernel's clock, so a sleeping program's alarm comes when the
 * clock jumps rather than after the host waited; ITIMER_VIRTUAL counts the process's user
 * time and ITIMER_PROF its user and system time ({@link ResourceUsage}), and the kernel
 * raises SIGVTALRM or SIGPROF when they run out.
 */
final class IntervalTimerSyscalls {
    static final int ITIMER_REAL = 0;
    static final int ITIMER_VIRTUAL = 1;
    static final int ITIMER_PROF = 2;
    private static final long NANOS = 1_000_000_000L;
    private static final long MICROS = 1_000_000L;
    /** What getitimer reports of a CPU timer already due: one jiffy (Linux TICK_NSEC). */
    private static final long TICK_NANOS = Scheduler.TICK_NANOS;

    private final Process process;

    IntervalTimerSyscalls(Process process) {
        this.process = process;
    }

    /** struct itimerval: it_interval {tv_sec, tv_usec}, it_value {tv_sec, tv_usec}. */
    long getitimer(int which, long value) throws BadUserAddressException {
        if (!valid(which)) {
            return -Errno.EINVAL;
        }
        writeItimerval(which, value);
        return 0;
    }

    long setitimer(int which, long value, long oldValue) throws BadUserAddressException {
        if (!valid(which)) {
            return -Errno.EINVAL;
        }
        long interval = 0;
        long first = 0;
        if (value != 0) {
            interval = timeval(value);
            first = timeval(value + 16);
            if (interval < 0 || first < 0) {
                return -Errno.EINVAL;
            }
        }
        if (oldValue != 0) {
            writeItimerval(which, oldValue);
        }
        IntervalTimer timer = timer(which);
        timer.interval = interval;
        timer.deadline = first == 0 ? -1 : now(which) + first;
        return 0;
    }

    private IntervalTimer timer(int which) {
        return switch (which) {
            case ITIMER_REAL -> process.realTimer;
            case ITIMER_VIRTUAL -> process.virtualTimer;
            default -> process.profTimer;
        };
    }

    private boolean valid(int which) {
        return process.kernel != null && (which == ITIMER_REAL || which == ITIMER_VIRTUAL || which == ITIMER_PROF);
    }

    /** The clock timer {@code which} counts on: the kernel's, or the process's CPU time. */
    private long now(int which) {
        return switch (which) {
            case ITIMER_REAL -> process.kernel.scheduler().now();
            case ITIMER_VIRTUAL -> process.usage().userNanos;
            default -> process.usage().cpuNanos();
        };
    }

    /** A timeval in nanoseconds; -1 if tv_usec is out of range or the time negative. */
    private long timeval(long va) throws BadUserAddressException {
        long sec = process.user.read64(va);
        long usec = process.user.read64(va + 8);
        if (sec < 0 || usec < 0 || usec >= MICROS) {
            return -1;
        }
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE / 2 : sec * NANOS + usec * 1000;
    }

    /**
     * The timer as it stands: the interval, and the time left, rounded up to a microsecond
     * (at least one for a real timer, one tick for a CPU timer already due, as Linux).
     */
    private void writeItimerval(int which, long va) throws BadUserAddressException {
        IntervalTimer timer = timer(which);
        long left = 0;
        if (timer.armed()) {
            long remaining = timer.deadline - now(which);
            left = which == ITIMER_REAL ? Math.max(1000, remaining) : remaining <= 0 ? TICK_NANOS : remaining;
        }
        long leftUs = (left + 999) / 1000;
        long intervalUs = timer.interval / 1000;
        process.user.write64(va, intervalUs / MICROS);
        process.user.write64(va + 8, intervalUs % MICROS);
        process.user.write64(va + 16, leftUs / MICROS);
        process.user.write64(va + 24, leftUs % MICROS);
    }
}
