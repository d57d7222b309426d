package a64emu.guest.zram;

import a64emu.guest.sched.Scheduler;
import java.util.function.LongSupplier;

/**
 * The block layer's I/O statistics of one disk, as Linux 6.1 keeps and prints them:
 * {@code struct disk_stats} ({@code include/linux/part_stat.h}), filled by
 * {@code bdev_start_io_acct}/{@code bdev_end_io_acct} ({@code block/blk-core.c}) around each
 * request and shown by {@code part_stat_show} ({@code block/genhd.c}) as
 * {@code /sys/block/<disk>/stat}. Times are jiffies of {@link Scheduler#HZ}.
 */
final class DiskStats {
    /** {@code enum stat_group}. */
    static final int STAT_READ = 0;
    static final int STAT_WRITE = 1;
    static final int STAT_DISCARD = 2;
    static final int STAT_FLUSH = 3;
    private static final int NR_STAT_GROUPS = 4;

    private static final long MSEC_PER_JIFFY = 1000L / Scheduler.HZ;
    private static final long NSEC_PER_JIFFY = 1_000_000_000L / Scheduler.HZ;
    private static final long NSEC_PER_MSEC = 1_000_000L;

    private final LongSupplier jiffies;
    private final long[] ios = new long[NR_STAT_GROUPS];
    private final long[] merges = new long[NR_STAT_GROUPS];
    private final long[] sectors = new long[NR_STAT_GROUPS];
    private final long[] nsecs = new long[NR_STAT_GROUPS];
    private long ioTicks;
    /** {@code bd_stamp}: the jiffy io_ticks was last brought up to. */
    private long stamp;
    private int inFlight;

    DiskStats(LongSupplier jiffies) {
        this.jiffies = jiffies;
    }

    /** {@code bdev_start_io_acct}: counts the request and its sectors when it starts; returns the start time. */
    long start(int group, int sectorCount) {
        long now = jiffies.getAsLong();
        updateIoTicks(now, false);
        ios[group]++;
        sectors[group] += sectorCount;
        inFlight++;
        return now;
    }

    /** {@code bdev_end_io_acct}: adds the request's duration. */
    void end(int group, long startTime) {
        long now = jiffies.getAsLong();
        updateIoTicks(now, true);
        nsecs[group] += (now - startTime) * NSEC_PER_JIFFY;
        inFlight--;
    }

    /**
     * {@code update_io_ticks}: busy time. A request starting in a new jiffy counts that
     * jiffy; one ending counts the jiffies since the last stamp.
     */
    private void updateIoTicks(long now, boolean end) {
        if (now - stamp > 0) { // time_after(now, stamp)
            ioTicks += end ? now - stamp : 1;
            stamp = now;
        }
    }

    long ios(int group) {
        return ios[group];
    }

    long sectors(int group) {
        return sectors[group];
    }

    /** {@code part_stat_show}: the 17 fields of {@code /sys/block/<disk>/stat}. */
    String statText() {
        if (inFlight != 0) {
            updateIoTicks(jiffies.getAsLong(), true);
        }
        return new SysfsLine()
                .u64(ios[STAT_READ]).u64(merges[STAT_READ]).u64(sectors[STAT_READ]).u32(msecs(nsecs[STAT_READ]))
                .u64(ios[STAT_WRITE]).u64(merges[STAT_WRITE]).u64(sectors[STAT_WRITE]).u32(msecs(nsecs[STAT_WRITE]))
                .u32(inFlight)
                .u32(ioTicks * MSEC_PER_JIFFY)
                .u32(msecs(nsecs[STAT_READ] + nsecs[STAT_WRITE] + nsecs[STAT_DISCARD] + nsecs[STAT_FLUSH]))
                .u64(ios[STAT_DISCARD]).u64(merges[STAT_DISCARD]).u64(sectors[STAT_DISCARD])
                .u32(msecs(nsecs[STAT_DISCARD]))
                .u64(ios[STAT_FLUSH]).u32(msecs(nsecs[STAT_FLUSH]))
                .end();
    }

    private static long msecs(long ns) {
        return ns / NSEC_PER_MSEC;
    }
}
