package a64emu.guest.sched;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's high-resolution timers (Linux {@code kernel/time/hrtimer.c}) on the
 * scheduler's clock: a timerfd arms one, and its function runs when the clock reaches the
 * expiry. The scheduler asks for the earliest expiry when every thread sleeps (the clock
 * jumps there) and fires the due ones between slices, as the timer interrupt would.
 */
public final class HrTimers {
    /** One timer (struct hrtimer): an expiry on the scheduler's clock while armed, and its function. */
    public static final class Timer {
        private final Runnable function;
        private long expires;
        private boolean armed;

        public Timer(Runnable function) {
            this.function = function;
        }

        public boolean armed() {
            return armed;
        }

        /** The expiry on the scheduler's clock while armed. */
        public long expires() {
            return expires;
        }
    }

    private final Set<Timer> armed = new LinkedHashSet<>();

    /** hrtimer_start: (re)arms {@code t} to run at {@code expires} on the scheduler's clock. */
    public void start(Timer t, long expires) {
        armed.remove(t);
        t.expires = expires;
        t.armed = true;
        armed.add(t);
    }

    /** hrtimer_cancel. */
    public void cancel(Timer t) {
        armed.remove(t);
        t.armed = false;
    }

    /** The earliest armed expiry, or Long.MAX_VALUE. */
    public long earliest() {
        long e = Long.MAX_VALUE;
        for (Timer t : armed) {
            e = Math.min(e, t.expires);
        }
        return e;
    }

    /** Runs the function of every timer due at {@code now}, earliest first; each is disarmed before it runs. */
    public void fire(long now) {
        List<Timer> due = new ArrayList<>();
        for (Timer t : armed) {
            if (t.expires <= now) {
                due.add(t);
            }
        }
        due.sort((a, b) -> Long.compare(a.expires, b.expires));
        for (Timer t : due) {
            if (armed.remove(t)) {
                t.armed = false;
                t.function.run();
            }
        }
    }
}
