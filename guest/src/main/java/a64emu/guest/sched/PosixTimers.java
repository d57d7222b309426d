package a64emu.guest.sched;

import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The POSIX timers of a process (Linux {@code kernel/time/posix-timers.c} for the clocks
 * the high-resolution timers run, {@code posix-cpu-timers.c} for the CPU-time clocks):
 * timer_create's table, ids 0, 1, 2 ... in creation order per process, never inherited by
 * fork and deleted by exec and exit.
 *
 * <p>Each timer owns one preallocated signal (Linux's {@code sigq}). When the timer fires
 * while that signal is still queued, the queued one counts an overrun instead of a second
 * signal. An interval timer is not re-armed when it fires but when its signal is taken
 * ({@link #dequeued}, Linux {@code posixtimer_rearm}): it is then forwarded past the present,
 * and the intervals it missed become the si_overrun of the signal and what
 * timer_getoverrun answers. A timer whose signal is ignored re-arms itself at once.
 *
 * <p>Expiries are kept on the timer's clock: the scheduler's for CLOCK_REALTIME,
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME (the kernel's {@link HrTimers} run them), the process's
 * or one thread's CPU time for the CPU-time clocks (the run loop looks at them after every
 * stretch of execution, as Linux's tick does, {@link #expireCpuTimers}).
 */
public final class PosixTimers {
    public static final int SIGEV_SIGNAL = 0;
    public static final int SIGEV_NONE = 1;
    public static final int SIGEV_THREAD = 2;
    public static final int SIGEV_THREAD_ID = 4;
    public static final int TIMER_ABSTIME = 1;
    /** Linux SIGRTMAX. */
    public static final int SIGRTMAX = 64;

    /** The clock a timer measures: the scheduler's, or CPU time. */
    public enum ClockKind { HIGH_RESOLUTION, PROCESS_CPU, THREAD_CPU }

    /** One timer (Linux struct k_itimer). */
    public final class Timer {
        final int id;
        final int clockId;
        final ClockKind kind;
        /** The thread whose CPU time a THREAD_CPU timer counts. */
        final Task clockThread;
        final int notify;
        final int signo;
        final long sigval;
        /** The thread SIGEV_THREAD_ID sends to; null: the process. */
        final Task target;
        final HrTimers.Timer hrtimer = new HrTimers.Timer(this::fire);
        /** Expiry on the timer's clock (kept after it fires, as the hrtimer keeps it). */
        long expires;
        /** A CPU-clock timer waiting for its expiry. */
        boolean cpuArmed;
        long interval;
        /** it_active: armed and its signal not waiting to re-arm it. */
        boolean active;
        /** it_overrun, counting from -1 while the timer is re-armed; it_overrun_last. */
        long overrun = -1;
        long overrunLast;
        /** it_requeue_pending: odd while an interval timer's signal waits to re-arm it. */
        long requeuePending;
        /** The signal queued now (compared by identity), the requeue count it carries, its overruns. */
        SignalInfo queued;
        long queuedPrivate;
        int queuedOverrun;
        boolean deleted;

        Timer(int id, int clockId, ClockKind kind, Task clockThread, int notify, int signo, long sigval, Task target) {
            this.id = id;
            this.clockId = clockId;
            this.kind = kind;
            this.clockThread = clockThread;
            this.notify = notify;
            this.signo = signo;
            this.sigval = sigval;
            this.target = target;
        }

        public int id() {
            return id;
        }

        public int clockId() {
            return clockId;
        }

        boolean sigevNone() {
            return (notify & ~SIGEV_THREAD_ID) == SIGEV_NONE;
        }

        long now() {
            return switch (kind) {
                case HIGH_RESOLUTION -> hrNow.getAsLong();
                case PROCESS_CPU -> process.usage().cpuNanos();
                case THREAD_CPU -> clockThread.usage.cpuNanos();
            };
        }

        /** hrtimer_forward: moves the expiry past {@code now} by whole intervals; how many. */
        long forward(long now) {
            if (now < expires) {
                return 0;
            }
            long n = (now - expires) / interval + 1;
            expires += n * interval;
            return n;
        }

        void start() {
            if (kind == ClockKind.HIGH_RESOLUTION) {
                kernel().hrtimers().start(hrtimer, expires);
            } else {
                cpuArmed = true;
            }
        }

        void cancel() {
            if (kind == ClockKind.HIGH_RESOLUTION) {
                kernel().hrtimers().cancel(hrtimer);
            }
            cpuArmed = false;
        }

        /** posix_timer_fn and cpu_timer_fire: the signal, or the timer re-armed if it is ignored. */
        void fire() {
            active = false;
            cpuArmed = false;
            if (sigevNone()) {
                return;
            }
            long siPrivate = 0;
            if (interval != 0) {
                siPrivate = ++requeuePending;
            }
            if (sendSignal(this, siPrivate) && interval != 0) {
                overrun += forward(now());
                start();
                ++requeuePending;
                active = true;
            }
        }
    }

    private final Process process;
    private final LongSupplier hrNow;
    private final Map<Integer, Timer> timers = new TreeMap<>();
    /** The timers' signals while queued, by identity, including those of deleted timers. */
    private final Map<SignalInfo, Timer> queued = new IdentityHashMap<>();
    /** Linux signal_struct.posix_timer_id: the next id tried. */
    private int nextId;

    public PosixTimers(Process process, LongSupplier hrNow) {
        this.process = process;
        this.hrNow = hrNow;
    }

    private Kernel kernel() {
        return process.kernel;
    }

    /**
     * posix_timer_add: the next free id from the cursor, which moves on whether or not the
     * create then succeeds; -1 when every id is taken (EAGAIN).
     */
    public int allocateId() {
        int first = nextId;
        do {
            int id = nextId;
            nextId = nextId == Integer.MAX_VALUE ? 0 : nextId + 1;
            if (!timers.containsKey(id)) {
                return id;
            }
        } while (nextId != first);
        return -1;
    }

    /** Adds a timer already checked by timer_create under the id {@link #allocateId} gave. */
    public Timer create(int id, int clockId, ClockKind kind, Task clockThread, int notify, int signo, long sigval,
                        Task target) {
        Timer t = new Timer(id, clockId, kind, clockThread, notify, signo, sigval, target);
        timers.put(id, t);
        return t;
    }

    /** lock_timer: the timer with {@code id}, or null (EINVAL). */
    public Timer get(int id) {
        return id < 0 ? null : timers.get(id);
    }

    /** How many timers exist. */
    public int count() {
        return timers.size();
    }

    /** The counter {@link #allocateId} goes on from (exec keeps it, as the signal_struct is kept). */
    public void continueIdsFrom(PosixTimers old) {
        nextId = old.nextId;
    }

    /** timer_delete: disarmed and forgotten; a signal already queued stays queued. */
    public void delete(Timer t) {
        t.cancel();
        t.interval = 0;
        t.active = false;
        t.deleted = true;
        timers.remove(t.id);
    }

    /** exit_itimers: every timer deleted (exec and exit). */
    public void deleteAll() {
        for (Timer t : java.util.List.copyOf(timers.values())) {
            delete(t);
        }
    }

    /**
     * common_timer_get: {remaining, interval} in nanoseconds. A timer whose signal waits to
     * re-arm it, and a SIGEV_NONE timer, are forwarded past the present first; a timer that
     * expired and is not re-armed yet shows 1 ns, an expired SIGEV_NONE one-shot 0.
     */
    public long[] get(Timer t) {
        long[] r = {0, t.interval};
        if (t.interval == 0 && !t.active && !t.sigevNone()) {
            return r;
        }
        long now = t.now();
        if (t.interval != 0 && ((t.requeuePending & 1) != 0 || t.sigevNone())) {
            t.overrun += t.forward(now);
        }
        long remaining = t.expires - now;
        if (remaining <= 0) {
            r[0] = t.sigevNone() ? 0 : 1;
        } else {
            r[0] = remaining;
        }
        return r;
    }

    /**
     * common_timer_set: disarms {@code t} and, for a nonzero {@code value}, arms it to expire at
     * {@code value} on its clock ({@code absolute}) or that long from now, then every
     * {@code interval}. {@code clockOffset} is what to add to an absolute value on CLOCK_REALTIME to
     * get the scheduler's clock (0 for the other clocks). Returns the old setting as {@link #get}.
     */
    public long[] set(Timer t, boolean absolute, long clockOffset, long value, long interval) {
        long[] old = get(t);
        t.interval = 0;
        t.cancel();
        t.active = false;
        t.requeuePending = (t.requeuePending + 2) & ~1L;
        t.overrunLast = 0;
        if (value == 0) {
            return old; // the expiry stays: a SIGEV_NONE timer's gettime still counts down to it, as Linux's
        }
        t.interval = interval;
        long now = t.now();
        long expires = absolute ? value + clockOffset : saturatingAdd(now, value);
        t.expires = expires;
        t.active = !t.sigevNone();
        if (t.active) {
            t.start();
            if (expires <= now) {
                fireDue(t); // already passed: it fires before the caller goes on, as the interrupt would
            }
        }
        return old;
    }

    private void fireDue(Timer t) {
        if (t.kind == ClockKind.HIGH_RESOLUTION) {
            kernel().hrtimers().fire(hrNow.getAsLong());
        } else if (t.cpuArmed) {
            t.fire();
        }
    }

    private static long saturatingAdd(long a, long b) {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    /** timer_getoverrun: the overruns of the last expiry that was delivered, at most INT_MAX. */
    public int overrun(Timer t) {
        return (int) Math.min(Integer.MAX_VALUE, t.overrunLast);
    }

    /** The CPU-clock timers whose time has come fire (Linux run_posix_cpu_timers). */
    public void expireCpuTimers() {
        if (timers.isEmpty()) {
            return;
        }
        for (Timer t : java.util.List.copyOf(timers.values())) {
            if (t.cpuArmed && t.now() >= t.expires) {
                t.fire();
            }
        }
    }

    /**
     * send_sigqueue: queues the timer's signal to its thread or the process. Already queued, the
     * queued one counts an overrun. Returns true if the signal is ignored (nothing queued).
     */
    private boolean sendSignal(Timer t, long siPrivate) {
        Kernel k = kernel();
        if (k == null || process.hasExited() || (t.target != null && !t.target.isAlive())) {
            return false; // Linux: no task to send to; the timer stays stopped
        }
        if (t.queued != null && stillQueued(t)) {
            t.queuedOverrun = t.queuedOverrun == Integer.MAX_VALUE ? Integer.MAX_VALUE : t.queuedOverrun + 1;
            return false;
        }
        SignalInfo info = SignalInfo.timer(t.signo, t.id, 0, t.sigval);
        t.queued = info;
        t.queuedPrivate = siPrivate;
        t.queuedOverrun = 0;
        boolean sent = t.target != null ? k.signals().queuePreallocated(t.target, info)
                : k.signals().queuePreallocated(process, info);
        if (!sent) {
            t.queued = null;
            return true;
        }
        queued.put(info, t);
        return false;
    }

    private boolean stillQueued(Timer t) {
        ArrayDeque<SignalInfo> q = t.target != null ? t.target.pending : process.sharedPending;
        for (SignalInfo s : q) {
            if (s == t.queued) {
                return true;
            }
        }
        queued.remove(t.queued);
        t.queued = null;
        return false;
    }

    /**
     * The signal {@code s} is being taken (Linux dequeue_signal, then posixtimer_rearm): for a
     * timer's own signal, an interval timer not set again since is forwarded past the present and
     * re-armed, and the signal reports the overruns. Any other signal is returned as it is.
     */
    public SignalInfo dequeued(SignalInfo s) {
        Timer t = queued.remove(s);
        if (t == null || t.queued != s) {
            return s;
        }
        t.queued = null;
        long overrun = t.queuedOverrun;
        if (!t.deleted && t.interval != 0 && t.requeuePending == t.queuedPrivate) {
            t.overrun += t.forward(t.now());
            t.start();
            t.active = true;
            t.overrunLast = t.overrun;
            t.overrun = -1;
            ++t.requeuePending;
            overrun = Math.min(Integer.MAX_VALUE, t.overrunLast + overrun);
        }
        return SignalInfo.timer(s.signo(), s.timerId(), (int) overrun, s.status());
    }

    /** The empty table of a new process (fork or exec), on its kernel's clock once it has one. */
    public static PosixTimers of(Process p) {
        return new PosixTimers(p, () -> p.kernel == null ? System.nanoTime() : p.kernel.scheduler().now());
    }

    /** good_sigevent's range for the signal of SIGEV_SIGNAL and SIGEV_THREAD_ID: 1 to SIGRTMAX. */
    public static boolean validSignal(int signo) {
        return signo > 0 && signo <= SIGRTMAX;
    }
}
