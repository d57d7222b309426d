package a64emu.guest.fs;

import a64emu.guest.Errno;
import a64emu.guest.sched.HrTimers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A timerfd (Linux {@code fs/timerfd.c}): a timer on the kernel's high-resolution timers
 * whose expirations a read returns as an 8-byte count. On expiry the count goes up by one and
 * readers and pollers wake; an interval timer is not re-armed then but when the count is
 * read (or the time is asked), forwarded past the present with every interval missed meanwhile
 * added to the count ({@code hrtimer_forward_now}), so a reader late by three intervals reads 4.
 *
 * <p>Times are on the scheduler's clock: the system call layer turns the timer's own clock
 * (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME) and TFD_TIMER_ABSTIME into a deadline
 * there; {@code now} reads it.
 */
public final class TimerFd extends AnonInodeFile {
    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_TIMER_CANCEL_ON_SET = 2;
    public static final int TFD_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int TFD_NONBLOCK = OpenFlags.O_NONBLOCK;

    private final int clockId;
    private final HrTimers timers;
    private final LongSupplier now;
    private final HrTimers.Timer timer = new HrTimers.Timer(this::expired);
    /** The expiry of a disarmed timer. */
    private static final long DISARMED = Long.MIN_VALUE;
    /** The expiry on the scheduler's clock (kept after the timer fires, as the hrtimer keeps it), and the interval (0: once). */
    private long expires = DISARMED;
    private long interval;
    private long ticks;
    /** The timer fired and has not been forwarded since. */
    private boolean expired;

    /** timerfd_create(clockid, flags), both already checked. */
    public TimerFd(int clockId, int flags, HrTimers timers, LongSupplier now, Consumer<Object> sleepers) {
        super("timerfd", OpenFlags.O_RDWR | (flags & TFD_NONBLOCK), sleepers);
        this.clockId = clockId;
        this.timers = timers;
        this.now = now;
    }

    public int clockId() {
        return clockId;
    }

    /** timerfd_tmrproc: one more expiration; readers and pollers wake. */
    private void expired() {
        synchronized (this) {
            expired = true;
            ticks++;
        }
        wakeUp(PollTable.POLLIN);
    }

    /** The timer's deadline has come but the timer queue has not run yet: it runs now, as the interrupt would have. */
    private void catchUp() {
        if (timer.armed() && timer.expires() <= now.getAsLong()) {
            timers.fire(now.getAsLong());
        }
    }

    /** hrtimer_forward_now: moves the expiry past now by whole intervals; how many. */
    private long forwardNow() {
        long t = now.getAsLong();
        if (t < expires) {
            return 0;
        }
        long overruns = (t - expires) / interval + 1;
        expires += overruns * interval;
        return overruns;
    }

    /**
     * timerfd_settime: {@code deadline} on the scheduler's clock (-1 disarms), {@code newInterval}
     * in nanoseconds. Returns what gettime answered before, {remaining, interval}.
     */
    public long[] set(long deadline, long newInterval) {
        catchUp();
        long[] old;
        synchronized (this) {
            if (expired && interval > 0) {
                forwardNow();
            }
            old = new long[] {remaining(), interval};
            timers.cancel(timer);
            ticks = 0;
            expired = false;
            interval = newInterval;
            expires = deadline < 0 ? DISARMED : deadline;
        }
        if (deadline >= 0) {
            timers.start(timer, deadline);
            catchUp();
        }
        return old;
    }

    /** timerfd_gettime: {remaining, interval} in nanoseconds; an interval timer that fired is forwarded and re-armed. */
    public long[] get() {
        catchUp();
        boolean wake = false;
        long[] r;
        synchronized (this) {
            if (expired && interval > 0) {
                expired = false;
                ticks += forwardNow() - 1;
                timers.start(timer, expires);
                wake = true;
            }
            r = new long[] {remaining(), interval};
        }
        if (wake) {
            wakeUp(PollTable.POLLIN);
        }
        return r;
    }

    /** Time to the expiry, 0 once passed or when disarmed (timerfd_get_remaining). */
    private long remaining() {
        return expires == DISARMED ? 0 : Math.max(0, expires - now.getAsLong());
    }

    @Override
    long read(byte[] buf, int off, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        catchUp();
        long n;
        synchronized (this) {
            if (ticks == 0) {
                return -Errno.EAGAIN;
            }
            n = ticks;
            if (expired && interval > 0) {
                n += forwardNow() - 1;
                timers.start(timer, expires);
            }
            expired = false;
            ticks = 0;
        }
        ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        return 8;
    }

    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        catchUp();
        synchronized (this) {
            return ticks > 0 ? PollTable.POLLIN : 0;
        }
    }

    @Override
    protected void closeResource() {
        timers.cancel(timer);
    }
}
