package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.R_OK;
import static a64emu.guest.fs.OpenFlags.W_OK;
import static a64emu.guest.fs.OpenFlags.X_OK;

import a64emu.guest.Errno;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticNode.Entry;
import a64emu.guest.fs.SyntheticNode.Kind;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.Overcommit;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.mm.Vmscan;
import a64emu.guest.mm.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * /proc/sys (Linux fs/proc/proc_sysctl.c) with the one directory this kernel has tunables
 * for, vm (the vm_table of kernel/sysctl.c and the tables mm/ registers), each file a
 * proc_dointvec_minmax int ({@link ProcDointvec}), root-owned, listed in the order of the
 * sysctl rbtree (by name).
 *
 * <p>Writable, as in Linux (mode 0644), and going to the kernel's own state: swappiness
 * (0..200, {@link Vmscan#setSwappiness}), min_free_kbytes (0.., {@link Zone#setMinFreeKbytes},
 * which recomputes the watermarks and becomes the user's value) and watermark_scale_factor
 * (1..3000, {@link Zone#setWatermarkScaleFactor}).
 *
 * <p>Read-only here (0444, where Linux has 0644) because this kernel has exactly one
 * behaviour for them, which the value describes: overcommit_memory 0 ({@link Overcommit} is
 * the heuristic mode, OVERCOMMIT_GUESS) and overcommit_ratio (what CommitLimit uses);
 * max_map_count and mmap_min_addr (the limits {@link MemoryMap} enforces); page-cluster 0
 * (a swap-in reads the one page that faulted, no readahead: 2^0 pages, as Pixel's
 * init.gs101.rc sets it); watermark_boost_factor 0 (the zone never boosts its watermarks,
 * which is what AOSP's init.rc asks by writing 0). A write to them fails with EACCES, for
 * root too, as sysctl's own permission check (test_perm) allows no capability to override a
 * mode.
 *
 * <p>Not done: sysctl_writes_strict's rule that a write at a non-zero file position is ignored
 * (this kernel's synthetic files pass no position to a write; each write is parsed whole).
 */
final class ProcSysctl {
    private ProcSysctl() {}

    /** OVERCOMMIT_GUESS (include/linux/mman.h): the heuristic mode, the only one {@link Overcommit} has. */
    static final int OVERCOMMIT_GUESS = 0;
    /** A swap-in reads 2^page_cluster pages: this kernel reads the faulting page alone. */
    static final int PAGE_CLUSTER = 0;
    /** watermark_boost_factor: 0, boosting off; the zone's boost stays 0. */
    static final int WATERMARK_BOOST_FACTOR = 0;

    /** Inodes of /proc/sys nodes (Linux gives each a get_next_ino number). */
    private static final long INODE_BASE = 0xF1000000L;
    static final long SYS_INODE = INODE_BASE;
    private static final long VM_INODE = INODE_BASE + 1;

    /** A node of /proc/sys, whose permission is sysctl's test_perm rather than generic_permission. */
    interface Node extends SyntheticNode {}

    /** /proc/sys itself (no ctl_table: r-x for everyone) and /proc/sys/vm. */
    record Dir(long inode, int permissions, Supplier<List<Entry>> entries) implements Node {
        @Override
        public Kind kind() {
            return Kind.DIRECTORY;
        }

        @Override
        public int uid() {
            return 0;
        }

        @Override
        public int gid() {
            return 0;
        }

        @Override
        public List<Entry> list() {
            return entries.get();
        }
    }

    /** One int sysctl; {@code store} null for a read-only one. */
    record IntFile(long inode, int permissions, IntSupplier value, long min, long max, IntConsumer store)
            implements Node {
        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public int uid() {
            return 0;
        }

        @Override
        public int gid() {
            return 0;
        }

        @Override
        public PositionalReader openReader() {
            return (pos, buf, off, len) -> ProcDointvec.read(value.getAsInt(), pos, buf, off, len);
        }

        @Override
        public long write(byte[] data) {
            if (store == null) return -Errno.EACCES;
            return ProcDointvec.writeMinmax(data, min, max, store);
        }
    }

    /** One entry of the vm table. */
    private record VmEntry(String name, IntSupplier value, long min, long max, IntConsumer store) {
        int mode() {
            return store == null ? 0444 : 0644;
        }
    }

    /** The vm table, by name (the order proc_sys_readdir walks the rbtree in). */
    private static List<VmEntry> vmTable(FrameAllocator frames) {
        Zone zone = frames.zone();
        Vmscan vmscan = frames.vmscan();
        List<VmEntry> t = new ArrayList<>();
        t.add(new VmEntry("max_map_count", () -> MemoryMap.MAX_MAP_COUNT, 0, 0, null));
        t.add(new VmEntry("min_free_kbytes", zone::minFreeKbytes, 0, Integer.MAX_VALUE, zone::setMinFreeKbytes));
        t.add(new VmEntry("mmap_min_addr", () -> (int) VmLayout.MMAP_MIN_ADDR, 0, 0, null));
        t.add(new VmEntry("overcommit_memory", () -> OVERCOMMIT_GUESS, 0, 0, null));
        t.add(new VmEntry("overcommit_ratio", () -> Overcommit.OVERCOMMIT_RATIO, 0, 0, null));
        t.add(new VmEntry("page-cluster", () -> PAGE_CLUSTER, 0, 0, null));
        if (vmscan != null) {
            t.add(new VmEntry("swappiness", vmscan::swappiness, 0, Vmscan.MAX_SWAPPINESS, vmscan::setSwappiness));
        }
        t.add(new VmEntry("watermark_boost_factor", () -> WATERMARK_BOOST_FACTOR, 0, 0, null));
        t.add(new VmEntry("watermark_scale_factor", zone::watermarkScaleFactor, Zone.WATERMARK_SCALE_FACTOR_MIN,
                Zone.WATERMARK_SCALE_FACTOR_MAX, zone::setWatermarkScaleFactor));
        return t;
    }

    /** The node at {@code below} (the components under /proc/sys), or null. */
    static SyntheticNode lookup(List<String> below, FrameAllocator frames) {
        if (below.isEmpty()) {
            return new Dir(SYS_INODE, 0555, () -> List.of(new Entry("vm", VM_INODE, Kind.DIRECTORY)));
        }
        if (!below.get(0).equals("vm")) return null;
        List<VmEntry> table = vmTable(frames);
        if (below.size() == 1) {
            return new Dir(VM_INODE, 0555, () -> {
                List<Entry> out = new ArrayList<>();
                for (int i = 0; i < table.size(); i++) {
                    out.add(new Entry(table.get(i).name(), fileInode(i), Kind.REGULAR));
                }
                return out;
            });
        }
        if (below.size() != 2) return null;
        for (int i = 0; i < table.size(); i++) {
            VmEntry e = table.get(i);
            if (e.name().equals(below.get(1))) {
                return new IntFile(fileInode(i), e.mode(), e.value(), e.min(), e.max(), e.store());
            }
        }
        return null;
    }

    private static long fileInode(int index) {
        return INODE_BASE + 2 + index;
    }

    /**
     * Linux proc_sys_permission: no regular file under /proc/sys may be executed; otherwise
     * test_perm on the entry's mode, with the owner's bits for euid 0, the group's for a member
     * of group 0 and the others' for anyone else, and no capability overriding them.
     */
    static boolean permits(Node node, long euid, long egid, int mask) {
        if ((mask & X_OK) != 0 && node.kind() == Kind.REGULAR) return false;
        int mode = node.permissions();
        if (euid == 0) {
            mode >>= 6;
        } else if (egid == 0) {
            mode >>= 3;
        }
        return (mask & ~mode & (R_OK | W_OK | X_OK)) == 0;
    }
}
