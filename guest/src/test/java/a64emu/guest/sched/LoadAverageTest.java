package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The load average's fixed-point arithmetic and sampling windows, as kernel/sched/loadavg.c has them. */
class LoadAverageTest {
    private static final long TICK = 1_000_000_000L / Scheduler.HZ;
    /** The end of the k-th five-second window, plus the ten ticks calc_global_load waits, in ns. */
    private static long sampleTime(long k) {
        return (k * LoadAverage.LOAD_FREQ + LoadAverage.SAMPLE_DELAY) * TICK;
    }

    @Test
    void oneRunnableThreadForOneWindowGivesLinuxsFamiliarPoint08Point02Point01() {
        LoadAverage l = new LoadAverage();
        l.sample(sampleTime(1), () -> 1);
        // 0.08 0.02 0.01 in /proc/loadavg after five seconds of one busy thread.
        assertArrayEquals(new long[] {164, 34, 11}, l.averages());
    }

    @Test
    void nothingIsSampledBeforeTenTicksAfterTheWindowEnds() {
        LoadAverage l = new LoadAverage();
        l.sample(sampleTime(1) - TICK, () -> 5);
        assertArrayEquals(new long[] {0, 0, 0}, l.averages());
        l.sample(sampleTime(1), () -> 1);
        assertArrayEquals(new long[] {164, 34, 11}, l.averages());
        l.sample(sampleTime(1) + 1000 * TICK, () -> 7);
        assertArrayEquals(new long[] {164, 34, 11}, l.averages(), "one sample per window");
    }

    @Test
    void aMinuteOfOneBusyThreadBringsTheOneMinuteAverageToPoint63() {
        LoadAverage l = new LoadAverage();
        for (int k = 1; k <= 12; k++) {
            l.sample(sampleTime(k), () -> 1);
        }
        // 1 - e^-1 = 0.63, 1 - e^-0.2 = 0.18, 1 - e^-(1/15) = 0.06
        assertArrayEquals(new long[] {1299, 378, 132}, l.averages());
    }

    @Test
    void windowsThatPassedWhileEveryoneSleptAreFoldedAtOnceAsCalcGlobalNohzDoes() {
        LoadAverage l = new LoadAverage();
        for (int k = 1; k <= 12; k++) {
            l.sample(sampleTime(k), () -> 1);
        }
        // A minute asleep: window 13 is folded alone, windows 14..24 with EXP to the 11th power.
        l.sample(sampleTime(24), () -> 0);
        assertArrayEquals(new long[] {475, 308, 123}, l.averages());
    }

    @Test
    void fixedPowerIntRoundsEachProductAsLinuxDoes() {
        assertArrayEquals(new long[] {816, 1705, 1929}, new long[] {
            LoadAverage.fixedPowerInt(1884, 11), LoadAverage.fixedPowerInt(2014, 11),
            LoadAverage.fixedPowerInt(2037, 11)});
        assertArrayEquals(new long[] {LoadAverage.FIXED_1}, new long[] {LoadAverage.fixedPowerInt(1884, 0)});
    }
}
