package a64emu.guest.dev;

import a64emu.guest.Kernel;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticTree;
import a64emu.guest.printk.Caller;
import a64emu.guest.printk.DevKmsg;
import a64emu.guest.printk.Printk;
import a64emu.guest.proc.ProcFs;
import a64emu.guest.proc.ProcessTable;
import a64emu.guest.proc.ProcessView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * devtmpfs on /dev (Linux 6.1 drivers/base/devtmpfs.c): the nodes of the devices this kernel
 * itself drives, which a guest reaches through /dev whatever the root is. The host's /dev (or
 * the root's) stays beneath: the tree {@link #overlaysHost overlays} it, so /dev/null and the
 * rest are the host's as before, while /dev/kmsg is the kernel's own, not the host kernel's.
 * A root without /dev gets a /dev holding these nodes alone.
 *
 * <p>The nodes: {@code kmsg} (c 1:11, 0644 as mem.c's devlist gives it), the kernel log.
 * A readdir of a host /dev does not show them; stat, open and the rest reach them.
 */
public final class Devtmpfs implements SyntheticTree {
    /** st_dev of devtmpfs: an anonymous device (major 0), minor 5 as a booted system shows it. */
    static final long DEVICE = 0x5;
    /** Inode numbers: the root, then each device in the order of {@link #devices}. */
    private static final long ROOT_INO = 1;

    private final ProcessTable processes;
    private final List<CharDevice> devices;

    public Devtmpfs(ProcessTable processes, List<CharDevice> devices) {
        this.processes = processes;
        this.devices = List.copyOf(devices);
    }

    /**
     * devtmpfs as {@code kernel} mounts it on /dev: its devices, each open made by the process
     * running at the time; permissions checked for the caller {@code processes} names.
     */
    public static Devtmpfs of(Kernel kernel, ProcessTable processes) {
        return new Devtmpfs(processes, kernelDevices(Printk.of(kernel), () -> Caller.running(kernel)));
    }

    /**
     * The kernel's devices: {@code kmsg} over {@code printk}, its opener checking
     * {@code caller}, the process making the open(2).
     */
    public static List<CharDevice> kernelDevices(Printk printk, Supplier<Caller> caller) {
        return List.of(new CharDevice("kmsg", ROOT_INO + 1, CharDevice.MEM_MAJOR, CharDevice.KMSG_MINOR, 0644,
                flags -> DevKmsg.open(printk, flags, caller.get())));
    }

    @Override
    public String mountPoint() {
        return "dev";
    }

    @Override
    public long device() {
        return DEVICE;
    }

    @Override
    public boolean overlaysHost() {
        return true;
    }

    @Override
    public SyntheticNode lookup(List<String> below) {
        if (below.isEmpty()) return root();
        if (below.size() != 1) return null;
        for (CharDevice d : devices) {
            if (d.name().equals(below.get(0))) return d;
        }
        return null;
    }

    /** The root, a directory of the nodes (devtmpfs's root is 0755 root's). */
    private SyntheticNode root() {
        return new SyntheticNode() {
            @Override public Kind kind() { return Kind.DIRECTORY; }
            @Override public int permissions() { return 0755; }
            @Override public long inode() { return ROOT_INO; }
            @Override public int uid() { return 0; }
            @Override public int gid() { return 0; }

            @Override
            public List<Entry> list() {
                List<Entry> out = new ArrayList<>();
                for (CharDevice d : devices) out.add(new Entry(d.name(), d.inode(), Kind.CHARACTER_DEVICE));
                return out;
            }
        };
    }

    /** generic_permission for the calling process; the kernel itself (no caller) as the owner. */
    @Override
    public boolean permits(SyntheticNode node, int mask) {
        ProcessView caller = processes.current();
        if (caller == null) return SyntheticTree.super.permits(node, mask);
        return ProcFs.genericPermission(caller, node, mask);
    }
}
