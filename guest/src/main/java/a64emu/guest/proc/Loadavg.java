package a64emu.guest.proc;

import a64emu.guest.sched.LoadAverage;

/**
 * /proc/loadavg (Linux fs/proc/loadavg.c, loadavg_proc_show): the 1, 5 and 15 minute load
 * averages with two decimals, the runnable threads over all threads, and the last pid allocated.
 */
final class Loadavg {
    private Loadavg() {}

    /** get_avenrun's offset: FIXED_1/200 rounds the hundredths to nearest. */
    static final long ROUNDING = LoadAverage.FIXED_1 / 200;

    static byte[] show(long[] avenrun, int running, int threads, int lastPid) {
        SeqFile m = new SeqFile();
        for (long a : avenrun) {
            long load = a + ROUNDING;
            m.printf("%d.%02d ", loadInt(load), loadFrac(load));
        }
        return m.printf("%d/%d %d\n", running, threads, lastPid).bytes();
    }

    /** LOAD_INT: the whole part of a fixed-point load. */
    static long loadInt(long x) {
        return x >> LoadAverage.FSHIFT;
    }

    /** LOAD_FRAC: its hundredths, truncated. */
    static long loadFrac(long x) {
        return loadInt((x & (LoadAverage.FIXED_1 - 1)) * 100);
    }
}
