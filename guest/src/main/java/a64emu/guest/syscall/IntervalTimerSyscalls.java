package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;

/**
 * getitimer and setitimer (Linux {@code kernel/time/itimer.c}) for ITIMER_REAL, which is
 * what alarm(3) uses: SIGALRM after a time on the kernel's clock, so a sleeping program's
 * alarm comes when the clock jumps rather than after the host waited. ITIMER_VIRTUAL and
 * ITIMER_PROF (CPU-time timers) are not offered: EINVAL.
 */
final class IntervalTimerSyscalls {
    static final int ITIMER_REAL = 0;
    private static final long NANOS = 1_000_000_000L;
    private static final long MICROS = 1_000_000L;

    private final Process process;

    IntervalTimerSyscalls(Process process) {
        this.process = process;
    }

    /** struct itimerval: it_interval {tv_sec, tv_usec}, it_value {tv_sec, tv_usec}. */
    long getitimer(int which, long value) throws BadUserAddressException {
        if (which != ITIMER_REAL || process.kernel == null) {
            return -Errno.EINVAL;
        }
        writeItimerval(value);
        return 0;
    }

    long setitimer(int which, long value, long oldValue) throws BadUserAddressException {
        if (which != ITIMER_REAL || process.kernel == null) {
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
            writeItimerval(oldValue);
        }
        long now = process.kernel.scheduler().now();
        process.realTimerInterval = interval;
        process.realTimerDeadline = first == 0 ? -1 : now + first;
        return 0;
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

    /** The timer as it stands: the interval, and the time left (rounded up to a microsecond). */
    private void writeItimerval(long va) throws BadUserAddressException {
        long left = process.realTimerDeadline < 0 ? 0
                : Math.max(1000, process.realTimerDeadline - process.kernel.scheduler().now());
        long leftUs = (left + 999) / 1000;
        long intervalUs = process.realTimerInterval / 1000;
        process.user.write64(va, intervalUs / MICROS);
        process.user.write64(va + 8, intervalUs % MICROS);
        process.user.write64(va + 16, process.realTimerDeadline < 0 ? 0 : leftUs / MICROS);
        process.user.write64(va + 24, process.realTimerDeadline < 0 ? 0 : leftUs % MICROS);
    }
}
