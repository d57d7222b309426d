package a64emu.guest.sched;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a thread, or a sum of threads, has consumed: Linux's per-task {@code utime},
 * {@code stime}, {@code min_flt}, {@code maj_flt}, {@code nvcsw} and {@code nivcsw}
 * ({@code kernel/sched/cputime.c}, {@code kernel/sys.c} getrusage).
 *
 * <p>CPU time is host time spent on the thread: user time while the CPU executes its
 * instructions, system time while the kernel handles its exceptions (system calls and
 * page faults). Time the thread spends blocked, or the clock skips while every thread
 * sleeps, is neither, so CPU time never exceeds the time that passed.
 */
public final class ResourceUsage {
    public long userNanos;
    public long systemNanos;
    /** Page faults resolved without reading a file (Linux min_flt). */
    public long minorFaults;
    /** Page faults that had to read the page from a file (Linux maj_flt). */
    public long majorFaults;
    /** Times the thread gave up the CPU: it blocked or yielded (Linux nvcsw). */
    public long voluntarySwitches;
    /** Times the scheduler took the CPU away at the end of a quantum (Linux nivcsw). */
    public long involuntarySwitches;

    public long cpuNanos() {
        return userNanos + systemNanos;
    }

    /** Adds {@code o} into this one. */
    public ResourceUsage add(ResourceUsage o) {
        userNanos += o.userNanos;
        systemNanos += o.systemNanos;
        minorFaults += o.minorFaults;
        majorFaults += o.majorFaults;
        voluntarySwitches += o.voluntarySwitches;
        involuntarySwitches += o.involuntarySwitches;
        return this;
    }

    /** struct rusage on 64-bit Linux: ru_utime and ru_stime (timevals), then fourteen longs. */
    public static final int RUSAGE_SIZE = 144;

    /**
     * This usage as struct rusage, with {@code maxRssPages} as ru_maxrss (in KiB); the
     * counters this kernel has no source for (shared-memory sizes, swaps, block I/O, IPC
     * messages, signals received) are zero, as Linux leaves most of them.
     */
    public byte[] toRusage(long maxRssPages) {
        ByteBuffer b = ByteBuffer.allocate(RUSAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        putTimeval(b, userNanos);
        putTimeval(b, systemNanos);
        b.putLong(maxRssPages * 4);     // ru_maxrss, KiB of 4 KiB pages
        b.putLong(0).putLong(0).putLong(0); // ru_ixrss, ru_idrss, ru_isrss: unmaintained in Linux
        b.putLong(minorFaults);
        b.putLong(majorFaults);
        b.putLong(0);                    // ru_nswap: unmaintained
        b.putLong(0).putLong(0);         // ru_inblock, ru_oublock: no block device here
        b.putLong(0).putLong(0).putLong(0); // ru_msgsnd, ru_msgrcv, ru_nsignals: unmaintained
        b.putLong(voluntarySwitches);
        b.putLong(involuntarySwitches);
        return b.array();
    }

    private static void putTimeval(ByteBuffer b, long nanos) {
        b.putLong(nanos / 1_000_000_000L);
        b.putLong(nanos % 1_000_000_000L / 1000);
    }

    public ResourceUsage copy() {
        return new ResourceUsage().add(this);
    }
}
