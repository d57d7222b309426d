package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Scheduler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * getrusage and times (Linux {@code kernel/sys.c}): what the process, its reaped children
 * or the calling thread have used, from the threads' {@link ResourceUsage}.
 */
final class ResourceUsageSyscalls {
    static final int RUSAGE_SELF = 0;
    static final int RUSAGE_CHILDREN = -1;
    static final int RUSAGE_THREAD = 1;
    /** USER_HZ: clock_t counts hundredths of a second (AT_CLKTCK). */
    private static final long USER_HZ = AuxVector.CLOCK_TICKS;
    private static final long NANOS = 1_000_000_000L;
    /**
     * Linux starts jiffies 300 s before wrapping 32 bits (INITIAL_JIFFIES) so that wrap bugs
     * show early; times() returns them in clock ticks: this many at boot.
     */
    private static final long INITIAL_CLOCK_TICKS = ((1L << 32) - 300L * Scheduler.HZ) * USER_HZ / Scheduler.HZ;
    /** struct tms: four clock_t. */
    private static final int TMS_SIZE = 32;

    private final Process process;

    ResourceUsageSyscalls(Process process) {
        this.process = process;
    }

    long getrusage(int who, long usage) throws BadUserAddressException {
        byte[] ru = switch (who) {
            case RUSAGE_SELF -> process.usage().toRusage(process.maxRssPages());
            case RUSAGE_CHILDREN -> process.reapedChildrenUsage.toRusage(process.reapedChildrenMaxRssPages);
            case RUSAGE_THREAD -> process.current.usage.toRusage(process.mm.pageTables().peakResidentPages());
            default -> null;
        };
        if (ru == null) {
            return -Errno.EINVAL;
        }
        process.user.write(usage, ru);
        return 0;
    }

    /** times(buf): the CPU times in clock ticks, and the clock ticks since boot as the result. */
    long times(long buf) throws BadUserAddressException {
        if (buf != 0) {
            ResourceUsage self = process.usage();
            ResourceUsage children = process.reapedChildrenUsage;
            ByteBuffer b = ByteBuffer.allocate(TMS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(ticks(self.userNanos)).putLong(ticks(self.systemNanos));
            b.putLong(ticks(children.userNanos)).putLong(ticks(children.systemNanos));
            process.user.write(buf, b.array());
        }
        long uptime = process.kernel == null ? 0 : process.kernel.monotonicNanos();
        return INITIAL_CLOCK_TICKS + ticks(uptime);
    }

    private static long ticks(long nanos) {
        return nanos / (NANOS / USER_HZ);
    }
}
