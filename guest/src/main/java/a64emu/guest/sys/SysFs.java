package a64emu.guest.sys;

import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticTree;
import a64emu.guest.proc.ProcFs;
import a64emu.guest.proc.ProcessTable;
import a64emu.guest.proc.ProcessView;
import a64emu.guest.zram.Zram;
import java.util.ArrayList;
import java.util.List;

/**
 * sysfs mounted on /sys: the part of Linux 6.1's device tree this kernel has something for.
 * zram0 is a virtual block device, so its directory is /sys/devices/virtual/block/zram0 and
 * /sys/block/zram0 is a link to it, as register_disk makes them; the directory holds the
 * attributes of {@link ZramAttributes}. Without swap (--zram 0) there is no zram0, and
 * /sys/block is empty.
 *
 * <pre>
 * /sys
 *   block/zram0 -&gt; ../devices/virtual/block/zram0
 *   devices/virtual/block/zram0/{disksize, mm_stat, ...}
 * </pre>
 *
 * <p>Permissions are generic_permission's (kernfs_iop_permission), with the caller's ids and
 * capabilities as for /proc; the nodes are root's.
 */
public final class SysFs implements SyntheticTree {
    /**
     * st_dev of every sysfs node: an anonymous device (major 0) with whichever minor
     * get_anon_bdev gave at mount; any fixed minor is as true as another.
     */
    static final long DEVICE = 0x15;
    /** The path of zram0's directory below /sys, and the link /sys/block/zram0 to it. */
    static final String ZRAM0 = "zram0";
    static final String ZRAM0_LINK = "../devices/virtual/block/" + ZRAM0;

    /** kernfs inode numbers: the root is 1 (KERNFS_ROOT's first id), the rest in creation order. */
    private static final long ROOT_INO = 1;
    private static final long BLOCK_INO = 2;
    private static final long DEVICES_INO = 3;
    private static final long VIRTUAL_INO = 4;
    private static final long VIRTUAL_BLOCK_INO = 5;
    private static final long ZRAM0_INO = 6;
    private static final long ZRAM0_LINK_INO = 7;
    private static final long FIRST_ATTRIBUTE_INO = 8;

    private final ProcessTable processes;
    private final Zram zram;

    /** @param zram zram0, or null when the kernel has no swap device */
    public SysFs(ProcessTable processes, Zram zram) {
        this.processes = processes;
        this.zram = zram;
    }

    @Override
    public String mountPoint() {
        return "sys";
    }

    @Override
    public long device() {
        return DEVICE;
    }

    @Override
    public SyntheticNode lookup(List<String> below) {
        SyntheticNode node = root();
        for (String name : below) {
            if (!(node instanceof Kernfs.Dir dir)) return null;
            node = dir.child(name);
            if (node == null) return null;
        }
        return node;
    }

    private Kernfs.Dir root() {
        return new Kernfs.Dir(ROOT_INO, () -> List.of(
                new Kernfs.Child("block", blockClass()),
                new Kernfs.Child("devices", new Kernfs.Dir(DEVICES_INO, () -> List.of(
                        new Kernfs.Child("virtual", new Kernfs.Dir(VIRTUAL_INO, this::virtualDevices)))))));
    }

    /** /sys/block: a link per disk. */
    private Kernfs.Dir blockClass() {
        return new Kernfs.Dir(BLOCK_INO, () -> zram == null ? List.of()
                : List.of(new Kernfs.Child(ZRAM0, new Kernfs.Link(ZRAM0_LINK_INO, ZRAM0_LINK))));
    }

    /** /sys/devices/virtual: its "block" directory appears with the first virtual disk. */
    private List<Kernfs.Child> virtualDevices() {
        if (zram == null) return List.of();
        return List.of(new Kernfs.Child("block", new Kernfs.Dir(VIRTUAL_BLOCK_INO,
                () -> List.of(new Kernfs.Child(ZRAM0, new Kernfs.Dir(ZRAM0_INO, this::zram0Files))))));
    }

    private List<Kernfs.Child> zram0Files() {
        List<Kernfs.Child> out = new ArrayList<>();
        List<ZramAttributes.Named> attrs = ZramAttributes.of(zram);
        for (int i = 0; i < attrs.size(); i++) {
            ZramAttributes.Named a = attrs.get(i);
            out.add(new Kernfs.Child(a.name(), new Kernfs.Attribute(FIRST_ATTRIBUTE_INO + i, a.mode(), a.show(), a.store())));
        }
        return out;
    }

    /** generic_permission for the calling process; the kernel itself (no caller) as the owner. */
    @Override
    public boolean permits(SyntheticNode node, int mask) {
        ProcessView caller = processes.current();
        if (caller == null) return SyntheticTree.super.permits(node, mask);
        return ProcFs.genericPermission(caller, node, mask);
    }
}
