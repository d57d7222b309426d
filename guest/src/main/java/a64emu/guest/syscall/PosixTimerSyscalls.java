package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.sched.PosixTimers;
import a64emu.guest.sched.PosixTimers.ClockKind;
import a64emu.guest.sched.PosixTimers.Timer;
import a64emu.guest.signal.Signal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * timer_create, timer_settime, timer_gettime, timer_getoverrun and timer_delete (Linux
 * {@code kernel/time/posix-timers.c}), the checks in Linux's order. The timers themselves are
 * {@link PosixTimers}; this class reads struct sigevent and struct itimerspec from guest memory
 * and picks the clock.
 */
final class PosixTimerSyscalls {
    /** sizeof(struct sigevent). */
    static final int SIGEVENT_SIZE = 64;
    /** CLOCKFD: a dynamic clock (a PTP device's fd), which has no timers. */
    private static final int CLOCKFD = 3;
    private static final int CPUCLOCK_VIRT = 1;
    private static final int CPUCLOCK_PERTHREAD = 4;

    private final Process process;
    private final TimeSyscalls time;

    PosixTimerSyscalls(Process process, TimeSyscalls time) {
        this.process = process;
        this.time = time;
    }

    private Task current() {
        return process.current;
    }

    /** timer_create(clockid, sevp, timerid). */
    long timerCreate(int clockId, long sevp, long timerIdAddress) throws BadUserAddressException {
        byte[] event = sevp == 0 ? null : process.user.read(sevp, SIGEVENT_SIZE);
        // clockid_to_kclock, then whether the clock has timers at all.
        if (!knownClock(clockId)) {
            return -Errno.EINVAL;
        }
        if (!clockHasTimers(clockId)) {
            return -Errno.ENOTSUP;
        }
        PosixTimers timers = process.posixTimers;
        int id = timers.allocateId();
        if (id < 0) {
            return -Errno.EAGAIN;
        }
        int notify = PosixTimers.SIGEV_SIGNAL;
        int signo = Signal.SIGALRM;
        long value = id; // sival_int = the id when there is no sigevent
        Task target = null;
        if (event != null) {
            ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
            value = b.getLong(0);
            signo = b.getInt(8);
            notify = b.getInt(12);
            // good_sigevent
            switch (notify) {
                case PosixTimers.SIGEV_SIGNAL | PosixTimers.SIGEV_THREAD_ID -> {
                    target = process.kernel == null ? null : process.kernel.task(b.getInt(16));
                    if (target == null || target.process != process || !PosixTimers.validSignal(signo)) {
                        return -Errno.EINVAL;
                    }
                }
                case PosixTimers.SIGEV_SIGNAL, PosixTimers.SIGEV_THREAD -> {
                    if (!PosixTimers.validSignal(signo)) {
                        return -Errno.EINVAL;
                    }
                }
                case PosixTimers.SIGEV_NONE -> { }
                default -> {
                    return -Errno.EINVAL;
                }
            }
        }
        process.user.write32(timerIdAddress, id);
        // The clock's own timer_create.
        if ((clockId == TimeSyscalls.CLOCK_REALTIME_ALARM || clockId == TimeSyscalls.CLOCK_BOOTTIME_ALARM)
                && !process.capable(EventSyscalls.CAP_WAKE_ALARM)) {
            return -Errno.EPERM;
        }
        ClockKind kind = ClockKind.HIGH_RESOLUTION;
        Task clockThread = null;
        if (clockId == TimeSyscalls.CLOCK_PROCESS_CPUTIME_ID) {
            kind = ClockKind.PROCESS_CPU;
        } else if (clockId == TimeSyscalls.CLOCK_THREAD_CPUTIME_ID) {
            kind = ClockKind.THREAD_CPU;
            clockThread = current();
        } else if (clockId < 0) {
            clockThread = cpuClockThread(clockId);
            if (clockThread == null) {
                return -Errno.EINVAL; // pid_for_clock
            }
            kind = (clockId & CPUCLOCK_PERTHREAD) != 0 ? ClockKind.THREAD_CPU : ClockKind.PROCESS_CPU;
        }
        if (process.kernel == null) {
            return -Errno.ENOTSUP; // a process built alone has no clock to run timers on
        }
        timers.create(id, clockId, kind, clockThread, notify, signo, value, target);
        return 0;
    }

    private static boolean knownClock(int id) {
        if (id < 0) {
            return true; // a CPU-time clock or a dynamic clock: which one is found below
        }
        return id <= TimeSyscalls.CLOCK_BOOTTIME_ALARM || id == TimeSyscalls.CLOCK_TAI;
    }

    /** MONOTONIC_RAW, the coarse clocks and the dynamic clocks have no timer_create. */
    private static boolean clockHasTimers(int id) {
        if (id < 0) {
            return (id & 7) != CLOCKFD;
        }
        return id != TimeSyscalls.CLOCK_MONOTONIC_RAW && id != TimeSyscalls.CLOCK_REALTIME_COARSE
                && id != TimeSyscalls.CLOCK_MONOTONIC_COARSE;
    }

    /**
     * pid_for_clock for a clock of clock_getcpuclockid or pthread_getcpuclockid: pid 0 or the
     * caller's own pid, or a thread of the caller's process; the thread whose clock it is (for a
     * process clock, the caller). Null when the clock names anything else (also the user-time
     * clock CPUCLOCK_VIRT, which this kernel does not run timers on).
     */
    private Task cpuClockThread(int id) {
        int pid = ~(id >> 3);
        int which = id & 3;
        if (which == 3 || which == CPUCLOCK_VIRT) {
            return null;
        }
        if ((id & CPUCLOCK_PERTHREAD) != 0) {
            Task t = pid == 0 ? current() : process.kernel == null ? null : process.kernel.task(pid);
            return t != null && t.process == process ? t : null;
        }
        return pid == 0 || pid == process.pid ? current() : null;
    }

    /** timer_settime(timerid, flags, new_value, old_value). */
    long timerSettime(int timerId, int flags, long newValue, long oldValue) throws BadUserAddressException {
        if (newValue == 0) {
            return -Errno.EINVAL;
        }
        long[] spec = readItimerspec(newValue);
        // do_timer_settime: timespec64_valid on both, then lock_timer.
        if (spec == null) {
            return -Errno.EINVAL;
        }
        Timer t = process.posixTimers.get(timerId);
        if (t == null) {
            return -Errno.EINVAL;
        }
        boolean absolute = (flags & PosixTimers.TIMER_ABSTIME) != 0;
        long offset = 0;
        if (absolute && t.clockId() >= 0 && t.clockId() != TimeSyscalls.CLOCK_PROCESS_CPUTIME_ID
                && t.clockId() != TimeSyscalls.CLOCK_THREAD_CPUTIME_ID) {
            // An absolute time on the timer's clock, as a deadline on the scheduler's clock.
            offset = process.kernel.scheduler().now() - time.now(t.clockId());
        }
        long[] old = process.posixTimers.set(t, absolute, offset, spec[1], spec[0]);
        if (oldValue != 0) {
            writeItimerspec(oldValue, old);
        }
        return 0;
    }

    /** timer_gettime(timerid, curr_value). */
    long timerGettime(int timerId, long currValue) throws BadUserAddressException {
        Timer t = process.posixTimers.get(timerId);
        if (t == null) {
            return -Errno.EINVAL;
        }
        writeItimerspec(currValue, process.posixTimers.get(t));
        return 0;
    }

    /** timer_getoverrun(timerid). */
    long timerGetoverrun(int timerId) {
        Timer t = process.posixTimers.get(timerId);
        return t == null ? -Errno.EINVAL : process.posixTimers.overrun(t);
    }

    /** timer_delete(timerid). */
    long timerDelete(int timerId) {
        Timer t = process.posixTimers.get(timerId);
        if (t == null) {
            return -Errno.EINVAL;
        }
        process.posixTimers.delete(t);
        return 0;
    }

    /** struct itimerspec {it_interval, it_value} as {interval, value} nanoseconds; null if either is invalid. */
    private long[] readItimerspec(long va) throws BadUserAddressException {
        byte[] raw = process.user.read(va, 32);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long interval = nanos(b.getLong(0), b.getLong(8));
        long value = nanos(b.getLong(16), b.getLong(24));
        return interval < 0 || value < 0 ? null : new long[] {interval, value};
    }

    /** timespec64_valid, saturating as ktime does: -1 if invalid. */
    private static long nanos(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= PollWait.NANOS) {
            return -1;
        }
        return sec >= Long.MAX_VALUE / PollWait.NANOS ? Long.MAX_VALUE : sec * PollWait.NANOS + nsec;
    }

    /** {remaining, interval} as struct itimerspec. */
    private void writeItimerspec(long va, long[] remainingAndInterval) throws BadUserAddressException {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, remainingAndInterval[1] / PollWait.NANOS);
        b.putLong(8, remainingAndInterval[1] % PollWait.NANOS);
        b.putLong(16, remainingAndInterval[0] / PollWait.NANOS);
        b.putLong(24, remainingAndInterval[0] % PollWait.NANOS);
        process.user.write(va, b.array());
    }
}
