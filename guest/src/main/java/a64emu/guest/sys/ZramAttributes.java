package a64emu.guest.sys;

import a64emu.guest.Errno;
import a64emu.guest.sched.Scheduler;
import a64emu.guest.zram.Zram;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of /sys/devices/virtual/block/zram0 (/sys/block/zram0): the attribute group of
 * Linux 6.1 drivers/block/zram/zram_drv.c (zram_disk_attrs) that this kernel's {@link Zram}
 * can back, and the block device's own size and stat (block/genhd.c disk_attrs). The texts and
 * the parsing of writes are {@link Zram}'s; this class gives each its name and mode.
 *
 * <p>Present: disksize (RW), initstate (RO), reset (WO), compact (WO), mem_limit (WO),
 * mem_used_max (WO), max_comp_streams (RW), comp_algorithm (RW), io_stat, mm_stat, debug_stat
 * (RO), size and stat (RO), and bd_stat only when {@link Zram#bdStatText()} has a text: 6.1
 * creates it, with backing_dev and the writeback files, only under CONFIG_ZRAM_WRITEBACK,
 * which the android14-6.1 GKI defconfig (CONFIG_ZRAM=m) does not set.
 *
 * <p>Left out: idle (marking slots idle needs a per-slot idle flag this zram does not keep)
 * and the generic block-device files (dev, range, ro, queue/, holders/, power/, uevent, ...),
 * which describe block-layer machinery this kernel does not have.
 */
final class ZramAttributes {
    private ZramAttributes() {}

    /** SECTOR_SHIFT: the block layer counts in 512-byte sectors. */
    private static final int SECTOR_SHIFT = 9;

    /** A name and its file. */
    record Named(String name, int mode, Kernfs.Show show, Kernfs.Store store) {}

    /** The attributes, in the order zram_disk_attrs and disk_attrs create them. */
    static List<Named> of(Zram zram) {
        List<Named> a = new ArrayList<>();
        a.add(new Named("disksize", 0644, zram::disksizeText, (text, count) -> zram.writeDisksize(text)));
        // initstate_show: init_done, and this zram is set up (disksize given) when it is made.
        a.add(new Named("initstate", 0444, () -> "1\n", null));
        a.add(new Named("reset", 0200, null, (text, count) -> reset(text)));
        a.add(new Named("compact", 0200, null, (text, count) -> {
            zram.compact();
            return count;
        }));
        a.add(new Named("mem_limit", 0200, null, (text, count) -> zram.writeMemLimit(text)));
        a.add(new Named("mem_used_max", 0200, null, (text, count) -> zram.writeMemUsedMax(text)));
        // max_comp_streams: one compression stream per online CPU since 4.7; a write is taken and ignored.
        a.add(new Named("max_comp_streams", 0644, () -> Scheduler.NR_CPUS + "\n", (text, count) -> count));
        a.add(new Named("comp_algorithm", 0644, zram::compAlgorithmText,
                (text, count) -> zram.writeCompAlgorithm(text)));
        a.add(new Named("io_stat", 0444, zram::ioStatText, null));
        a.add(new Named("mm_stat", 0444, zram::mmStatText, null));
        zram.bdStatText().ifPresent(text -> a.add(new Named("bd_stat", 0444, () -> zram.bdStatText().orElseThrow(), null)));
        a.add(new Named("debug_stat", 0444, zram::debugStatText, null));
        // part_size_show: the capacity in sectors.
        a.add(new Named("size", 0444, () -> Long.toUnsignedString(zram.disksize() >>> SECTOR_SHIFT) + "\n", null));
        a.add(new Named("stat", 0444, zram::statText, null));
        return a;
    }

    /**
     * reset_store: kstrtou16 in base 10, 0 is EINVAL; any other number finds the device held
     * by swap (swapon keeps it open), which 6.1 refuses with EBUSY.
     */
    static long reset(String text) {
        long value = KstrtoU16.parse(text);
        if (value < 0) return value;
        return value == 0 ? -Errno.EINVAL : -Errno.EBUSY;
    }

    /** kstrtou16(s, 10): an optional '+', decimal digits, one optional newline; at most 65535. */
    static final class KstrtoU16 {
        private KstrtoU16() {}

        /** The value, or -EINVAL (not a number) or -ERANGE (above 65535). */
        static long parse(String s) {
            int at = s.startsWith("+") ? 1 : 0;
            int start = at;
            BigInteger v = BigInteger.ZERO;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                v = v.multiply(BigInteger.TEN).add(BigInteger.valueOf(s.charAt(at) - '0'));
                at++;
            }
            if (at == start) return -Errno.EINVAL;
            String rest = s.substring(at);
            if (!rest.isEmpty() && !rest.equals("\n")) return -Errno.EINVAL;
            // _kstrtoull's overflow, then kstrtou16's narrowing: both ERANGE.
            if (v.compareTo(BigInteger.valueOf(0xffff)) > 0) return -Errno.ERANGE;
            return v.longValue();
        }
    }
}
