package a64emu.guest.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Memory pressure stall information (Linux 6.1 {@code kernel/sched/psi.c}, the memory
 * resource of the system group): how much of the time tasks could not run because they were
 * waiting for memory. A stall is a stretch of work a task does instead of its own (direct
 * reclaim in an allocation, kswapd's balancing, reading back a workingset page that was
 * evicted too early); it counts towards {@code some} always, and towards {@code full} when no
 * task that is not stalled could have run meanwhile (on this one CPU: no other runnable
 * thread). Stalls are timed on the kernel's clock, so the times are real.
 *
 * <p>The totals are in nanoseconds ({@code /proc/pressure/memory} shows microseconds); the
 * averages over 10 s, 60 s and 300 s follow {@code update_averages} and {@code calc_avgs}
 * exactly: once per {@link #PERIOD_NANOS} the share of stalled time in the last period, in
 * percent, is folded into each average as the load average is, periods that passed without a
 * look counting as zero pressure.
 *
 * <p>Triggers ({@code psi_trigger_create}: "some 70000 1000000" writes a threshold of stall
 * time in a window) are checked whenever a stall ends, with {@code window_update}'s linear
 * interpolation of the previous window, and fire at most once per window.
 */
public final class Psi {
    /** The two memory states. */
    public enum State { SOME, FULL }

    /** PSI_FREQ: 2 s and a tick, in nanoseconds. */
    public static final long PERIOD_NANOS = (2L * Scheduler.HZ + 1) * Scheduler.TICK_NANOS;
    /** 1/exp(2 s/10 s), 1/exp(2 s/60 s), 1/exp(2 s/300 s) in FSHIFT-bit fixed point (EXP_10s ...). */
    static final long[] EXP = {1677, 1981, 2034};

    /** A registered trigger: fires when stall time in {@code windowNanos} reaches {@code thresholdNanos}. */
    public static final class Trigger {
        public final State state;
        public final long thresholdNanos;
        public final long windowNanos;
        private final Runnable onEvent;
        private long windowStart;
        private long windowStartValue;
        private long prevGrowth;
        private long lastEvent = Long.MIN_VALUE / 2;
        private boolean pendingEvent;
        private long events;

        Trigger(State state, long thresholdNanos, long windowNanos, Runnable onEvent, long now, long value) {
            this.state = state;
            this.thresholdNanos = thresholdNanos;
            this.windowNanos = windowNanos;
            this.onEvent = onEvent;
            this.windowStart = now;
            this.windowStartValue = value;
        }

        /** Events it has fired. */
        public long events() {
            return events;
        }

        /** {@code window_update}: stall growth over the window, the previous one's share interpolated in. */
        private long windowUpdate(long now, long value) {
            long elapsed = now - windowStart;
            long growth = value - windowStartValue;
            if (elapsed > windowNanos) {
                windowStart = now;
                windowStartValue = value;
                prevGrowth = growth;
            } else {
                long remaining = windowNanos - elapsed;
                growth += prevGrowth * remaining / windowNanos;
            }
            return growth;
        }
    }

    private final LongSupplier clock;
    private final long[] total = new long[2];
    /** The totals as of the last averaging (group->avg_total). */
    private final long[] avgTotal = new long[2];
    private final long[][] avg = new long[2][3];
    private long avgLastUpdate;
    private long avgNextUpdate;
    private final List<Trigger> triggers = new ArrayList<>();

    /** @param clock the kernel's monotonic clock in nanoseconds */
    public Psi(LongSupplier clock) {
        this.clock = clock;
        long now = clock.getAsLong();
        avgLastUpdate = now;
        avgNextUpdate = now + PERIOD_NANOS;
    }

    /**
     * Records a stall of {@code nanos} that has just ended; {@code full} when no other task
     * could run meanwhile.
     */
    public void stalled(long nanos, boolean full) {
        if (nanos <= 0) {
            return;
        }
        long now = clock.getAsLong();
        // The periods that ended before the stall began close without it; the stall then
        // counts towards the period it ends in, any excess carried over (update_averages).
        updateAverages(now - nanos);
        total[State.SOME.ordinal()] += nanos;
        if (full) {
            total[State.FULL.ordinal()] += nanos;
        }
        updateAverages(now);
        checkTriggers(now);
    }

    /** The stall time so far, in nanoseconds ({@code total=} shows it in microseconds). */
    public long total(State s) {
        return total[s.ordinal()];
    }

    /**
     * The averages {@code avg10, avg60, avg300} of {@code s}, in FSHIFT-bit fixed point
     * percent (print as {@code x >> 11} "." {@code ((x & 2047) * 100) >> 11}), brought up to date.
     */
    public long[] averages(State s) {
        updateAverages(clock.getAsLong());
        return avg[s.ordinal()].clone();
    }

    /** One line of /proc/pressure/memory ({@code psi_show}). */
    public String line(State s) {
        long[] a = averages(s);
        StringBuilder b = new StringBuilder(s == State.SOME ? "some" : "full");
        String[] names = {"avg10", "avg60", "avg300"};
        for (int i = 0; i < 3; i++) {
            long x = a[i];
            b.append(String.format(" %s=%d.%02d", names[i], x >> LoadAverage.FSHIFT,
                    ((x & (LoadAverage.FIXED_1 - 1)) * 100) >> LoadAverage.FSHIFT));
        }
        b.append(" total=").append(total[s.ordinal()] / 1000);
        return b.toString();
    }

    /** /proc/pressure/memory: the some line, then the full line. */
    public String show() {
        return line(State.SOME) + "\n" + line(State.FULL) + "\n";
    }

    /** {@code update_averages}, when a period has ended. */
    private void updateAverages(long now) {
        if (now < avgNextUpdate) {
            return;
        }
        long missedPeriods = 0;
        long expires = avgNextUpdate;
        if (now - expires >= PERIOD_NANOS) {
            missedPeriods = (now - expires) / PERIOD_NANOS;
        }
        avgNextUpdate = expires + (1 + missedPeriods) * PERIOD_NANOS;
        long period = now - (avgLastUpdate + missedPeriods * PERIOD_NANOS);
        avgLastUpdate = now;
        for (int s = 0; s < 2; s++) {
            long sample = total[s] - avgTotal[s];
            // A stall recorded as a whole may run past the period: at most the period counts.
            if (sample > period) {
                sample = period;
            }
            avgTotal[s] += sample;
            calcAvgs(avg[s], missedPeriods, sample, period);
        }
    }

    /** {@code calc_avgs}: zeroes for the missed periods, then the share of the last one. */
    private static void calcAvgs(long[] avg, long missedPeriods, long time, long period) {
        for (int i = 0; i < 3; i++) {
            if (missedPeriods > 0) {
                avg[i] = LoadAverage.calcLoad(avg[i], LoadAverage.fixedPowerInt(EXP[i], missedPeriods), 0);
            }
            long pct = period == 0 ? 0 : time * 100 / period * LoadAverage.FIXED_1;
            avg[i] = LoadAverage.calcLoad(avg[i], EXP[i], pct);
        }
    }

    /**
     * {@code psi_trigger_create}: calls {@code onEvent} whenever {@code state}'s stall time in
     * a window of {@code windowNanos} reaches {@code thresholdNanos}, at most once per window.
     */
    public Trigger addTrigger(State state, long thresholdNanos, long windowNanos, Runnable onEvent) {
        Trigger t = new Trigger(state, thresholdNanos, windowNanos, onEvent, clock.getAsLong(), total[state.ordinal()]);
        triggers.add(t);
        return t;
    }

    public void removeTrigger(Trigger t) {
        triggers.remove(t);
    }

    /** {@code update_triggers} after new stall time. */
    private void checkTriggers(long now) {
        for (Trigger t : List.copyOf(triggers)) {
            long growth = t.windowUpdate(now, total[t.state.ordinal()]);
            if (!t.pendingEvent) {
                if (growth < t.thresholdNanos) {
                    continue;
                }
                t.pendingEvent = true;
            }
            // Rate-limit: one event per window.
            if (now < t.lastEvent + t.windowNanos) {
                continue;
            }
            t.lastEvent = now;
            t.pendingEvent = false;
            t.events++;
            t.onEvent.run();
        }
    }
}
