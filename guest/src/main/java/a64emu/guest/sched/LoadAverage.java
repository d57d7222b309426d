package a64emu.guest.sched;

import java.util.function.IntSupplier;

/**
 * The load average, after Linux's kernel/sched/loadavg.c: once per LOAD_FREQ (five seconds and
 * a tick) the number of active threads is folded into three exponentially decaying averages,
 * over one, five and fifteen minutes, in FSHIFT-bit fixed point. The sample is taken at the
 * first look after ten ticks past the window's end (calc_global_load); windows that passed
 * without a look (the clock jumped while every thread slept) are folded at once with the
 * count of that moment (calc_global_nohz). Times are in jiffies since boot, so the arithmetic,
 * rounding included, is Linux's.
 */
public final class LoadAverage {
    /** Bits of fraction (FSHIFT) and 1.0 (FIXED_1). */
    public static final int FSHIFT = 11;
    public static final long FIXED_1 = 1L << FSHIFT;
    /** 1/exp(5 s/1 min), 1/exp(5 s/5 min), 1/exp(5 s/15 min) in fixed point. */
    static final long[] EXP = {1884, 2014, 2037};
    /** LOAD_FREQ in jiffies: five seconds and one tick. */
    static final long LOAD_FREQ = 5L * Scheduler.HZ + 1;
    /** The ticks calc_global_load waits after a window for every CPU's count. */
    static final long SAMPLE_DELAY = 10;
    private static final long TICK_NANOS = 1_000_000_000L / Scheduler.HZ;

    private final long[] avenrun = new long[3];
    /** calc_load_update: the end of the window to sample next, in jiffies (sched_init). */
    private long nextWindow = LOAD_FREQ;

    /**
     * A look at {@code sinceBootNanos}, when {@code active} threads count towards the load; the
     * count is taken only when a window is due.
     */
    void sample(long sinceBootNanos, IntSupplier active) {
        long jiffies = sinceBootNanos / TICK_NANOS;
        if (jiffies < nextWindow + SAMPLE_DELAY) {
            return;
        }
        int threads = active.getAsInt();
        long load = threads > 0 ? threads * FIXED_1 : 0;
        for (int i = 0; i < 3; i++) {
            avenrun[i] = calcLoad(avenrun[i], EXP[i], load);
        }
        nextWindow += LOAD_FREQ;
        if (jiffies >= nextWindow + SAMPLE_DELAY) {
            long n = 1 + (jiffies - nextWindow - SAMPLE_DELAY) / LOAD_FREQ;
            for (int i = 0; i < 3; i++) {
                avenrun[i] = calcLoad(avenrun[i], fixedPowerInt(EXP[i], n), load);
            }
            nextWindow += n * LOAD_FREQ;
        }
    }

    long[] averages() {
        return avenrun.clone();
    }

    /** Linux calc_load: load * exp + active * (1 - exp), rounded up while the load rises. */
    static long calcLoad(long load, long exp, long active) {
        long newload = load * exp + active * (FIXED_1 - exp);
        if (active >= load) {
            newload += FIXED_1 - 1;
        }
        return newload / FIXED_1;
    }

    /** Linux fixed_power_int: x to the n in FSHIFT-bit fixed point, rounding each product. */
    static long fixedPowerInt(long x, long n) {
        long result = FIXED_1;
        long half = 1L << (FSHIFT - 1);
        while (n != 0) {
            if ((n & 1) != 0) {
                result = (result * x + half) >> FSHIFT;
            }
            n >>= 1;
            if (n == 0) {
                break;
            }
            x = (x * x + half) >> FSHIFT;
        }
        return result;
    }
}
