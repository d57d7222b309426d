package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.UserMemory;
import java.time.Instant;

/**
 * Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep.
 * The CPU-time clocks read the threads' {@link a64emu.guest.sched.ResourceUsage}; sleeping
 * on one (clock_nanosleep on CLOCK_PROCESS_CPUTIME_ID) waits that long on the monotonic
 * clock instead, as if the other threads kept a CPU busy.
 */
final class TimeSyscalls {
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    static final int CLOCK_THREAD_CPUTIME_ID = 3;
    static final int CLOCK_MONOTONIC_RAW = 4;
    static final int CLOCK_REALTIME_COARSE = 5;
    static final int CLOCK_MONOTONIC_COARSE = 6;
    static final int CLOCK_BOOTTIME = 7;
    static final int CLOCK_REALTIME_ALARM = 8;
    static final int CLOCK_BOOTTIME_ALARM = 9;
    static final int CLOCK_TAI = 11;
    private static final int TIMER_ABSTIME = 1;
    private static final long NANOS = 1_000_000_000L;
    /** Resolution of the coarse clocks: one jiffy. */
    private static final long COARSE_RESOLUTION = a64emu.guest.sched.Scheduler.TICK_NANOS;

    private final UserMemory user;
    /** The monotonic clock counts from the emulated machine's boot: the kernel's creation. */
    private final long bootNanos = System.nanoTime();
    /** The process whose thread calls; its kernel's clock (and scheduler, for sleeping) when it has one. */
    private final a64emu.guest.Process process;

    TimeSyscalls(UserMemory user) {
        this(user, null);
    }

    TimeSyscalls(UserMemory user, a64emu.guest.Process process) {
        this.user = user;
        this.process = process;
    }

    private a64emu.guest.Kernel kernel() {
        return process == null ? null : process.kernel;
    }

    /** Nanoseconds on clock {@code id}, or -1 for an unknown clock. */
    long now(int id) {
        return switch (id) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM, CLOCK_TAI -> {
                Instant t = Instant.now();
                // Time the kernel skipped while every thread slept passed for the guest too.
                yield t.getEpochSecond() * NANOS + t.getNano() + (kernel() == null ? 0 : kernel().sleptNanos());
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
                 CLOCK_BOOTTIME_ALARM ->
                    kernel() == null ? System.nanoTime() - bootNanos : kernel().monotonicNanos();
            case CLOCK_PROCESS_CPUTIME_ID -> process == null ? -1 : process.usage().cpuNanos();
            case CLOCK_THREAD_CPUTIME_ID -> process == null ? -1 : process.current.usage.cpuNanos();
            default -> id < 0 ? cpuClock(id) : -1;
        };
    }

    /** CPUCLOCK_VIRT counts user time; CPUCLOCK_PROF (0) and CPUCLOCK_SCHED (2) all CPU time. */
    private static final int CPUCLOCK_VIRT = 1;
    private static final int CPUCLOCK_PERTHREAD = 4;

    /**
     * The CPU-time clocks of other processes and threads (clock_getcpuclockid,
     * pthread_getcpuclockid): Linux encodes them as {@code (~pid << 3) | perthread << 2 | which},
     * pid 0 meaning the caller. -1 for an invalid clock or one of a process not found.
     */
    private long cpuClock(int id) {
        int pid = ~(id >> 3);
        int which = id & 3;
        boolean perThread = (id & CPUCLOCK_PERTHREAD) != 0;
        if (which == 3 || process == null) {
            return -1;
        }
        a64emu.guest.sched.ResourceUsage u;
        if (perThread) {
            a64emu.guest.Task t = pid == 0 ? process.current : kernel() == null ? null : kernel().task(pid);
            if (t == null || t.process.pid != process.pid) {
                return -1; // Linux: a thread clock only of the caller's own thread group
            }
            u = t.usage;
        } else {
            a64emu.guest.Process p = pid == 0 ? process : kernel() == null ? null : kernel().process(pid);
            if (p == null) {
                return -1;
            }
            u = p.usage();
        }
        return which == CPUCLOCK_VIRT ? u.userNanos : u.cpuNanos();
    }

    long clockGettime(int id, long tp) throws BadUserAddressException {
        long t = now(id);
        if (t < 0) {
            return -Errno.EINVAL;
        }
        writeTimespec(tp, t);
        return 0;
    }

    long clockGetres(int id, long res) throws BadUserAddressException {
        if (now(id) < 0) {
            return -Errno.EINVAL;
        }
        if (res != 0) {
            boolean coarse = id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE;
            writeTimespec(res, coarse ? COARSE_RESOLUTION : 1);
        }
        return 0;
    }

    /** struct timeval {tv_sec; tv_usec}; the obsolete timezone is written as zeros. */
    long gettimeofday(long tv, long tz) throws BadUserAddressException {
        long t = now(CLOCK_REALTIME);
        if (tv != 0) {
            user.write64(tv, t / NANOS);
            user.write64(tv + 8, (t % NANOS) / 1000);
        }
        if (tz != 0) {
            user.write64(tz, 0);
        }
        return 0;
    }

    long nanosleep(long req, long rem) throws BadUserAddressException {
        long d = readTimespec(req);
        if (d < 0) {
            return -Errno.EINVAL;
        }
        return sleepFor(d, rem);
    }

    long clockNanosleep(int id, int flags, long req, long rem) throws BadUserAddressException {
        long now = now(id);
        if (now < 0 || id == CLOCK_THREAD_CPUTIME_ID || (id < 0 && (id & CPUCLOCK_PERTHREAD) != 0)) {
            return -Errno.EINVAL;
        }
        long d = readTimespec(req);
        if (d < 0) {
            return -Errno.EINVAL;
        }
        return sleepFor((flags & TIMER_ABSTIME) != 0 ? d - now : d, (flags & TIMER_ABSTIME) != 0 ? 0 : rem);
    }

    /**
     * Under a kernel the calling thread sleeps on the scheduler's clock (others run; if
     * none can, the clock jumps); a signal ends the sleep with EINTR and the time left in
     * {@code rem}. A process built alone sleeps the host.
     */
    private long sleepFor(long nanos, long rem) {
        if (kernel() == null) {
            sleep(nanos);
            return 0;
        }
        if (nanos <= 0) {
            return 0;
        }
        return kernel().sleep(process.current, nanos, rem);
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A struct timespec in nanoseconds; -1 if it is invalid (negative, or tv_nsec ≥ 10^9). */
    private long readTimespec(long va) throws BadUserAddressException {
        long sec = user.read64(va);
        long nsec = user.read64(va + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) {
            return -1;
        }
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    private void writeTimespec(long va, long nanos) throws BadUserAddressException {
        user.write64(va, nanos / NANOS);
        user.write64(va + 8, nanos % NANOS);
    }
}
