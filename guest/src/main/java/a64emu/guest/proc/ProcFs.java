package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.W_OK;
import static a64emu.guest.fs.OpenFlags.X_OK;

import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticNode.Entry;
import a64emu.guest.fs.SyntheticNode.Kind;
import a64emu.guest.fs.SyntheticTree;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The proc file system mounted on /proc (Linux fs/proc/root.c, self.c, thread_self.c): the root
 * directory lists the system-wide files (sys, swaps, uptime, vmstat, cpuinfo, loadavg, meminfo,
 * pressure, zoneinfo, buddyinfo), then self, thread-self and one directory per process, kernel threads
 * included; "self" is a link to the calling process's pid directory and "thread-self" to its
 * thread's, resolved at each lookup from the process table's current thread, as Linux's
 * proc_self_get_link reads current.
 */
public final class ProcFs implements SyntheticTree {
    /** PROC_ROOT_INO. */
    static final long ROOT_INODE = 1;
    /**
     * st_dev of every proc node. procfs sits on an anonymous device (major 0) whose minor is
     * whichever get_anon_bdev handed out at mount; any fixed minor is as true as another.
     */
    static final long DEVICE = 0x16;
    /** Dynamic proc inode numbers start here (fs/proc/generic.c PROC_DYNAMIC_FIRST). */
    static final long PROC_DYNAMIC_FIRST = 0xF0000000L;

    private final ProcessTable processes;
    private final KernelState kernel;
    private final FrameAllocator frames;
    /** Whether the deprecation of oom_adj has been logged (once a boot). */
    private boolean warnedOomAdj;

    public ProcFs(ProcessTable processes, KernelState kernel, FrameAllocator frames) {
        this.processes = processes;
        this.kernel = kernel;
        this.frames = frames;
    }

    @Override
    public String mountPoint() {
        return "proc";
    }

    @Override
    public long device() {
        return DEVICE;
    }

    /**
     * Static entries of the root in readdir order: the proc_dir_entries as proc_readdir_de lists
     * them (their rbtree orders by name length, then bytes), then the links proc_pid_readdir
     * puts before the pids.
     */
    private enum RootEntry {
        SYS("sys", Kind.DIRECTORY),
        SWAPS("swaps", Kind.REGULAR),
        UPTIME("uptime", Kind.REGULAR),
        VMSTAT("vmstat", Kind.REGULAR),
        CPUINFO("cpuinfo", Kind.REGULAR),
        LOADAVG("loadavg", Kind.REGULAR),
        MEMINFO("meminfo", Kind.REGULAR),
        SYSVIPC("sysvipc", Kind.DIRECTORY),
        PRESSURE("pressure", Kind.DIRECTORY),
        ZONEINFO("zoneinfo", Kind.REGULAR),
        BUDDYINFO("buddyinfo", Kind.REGULAR),
        SELF("self", Kind.SYMLINK),
        THREAD_SELF("thread-self", Kind.SYMLINK);

        final String fileName;
        final Kind kind;

        RootEntry(String fileName, Kind kind) {
            this.fileName = fileName;
            this.kind = kind;
        }

        long inode() {
            return this == SYS ? ProcSysctl.SYS_INODE : PROC_DYNAMIC_FIRST + ordinal();
        }
    }

    @Override
    public SyntheticNode lookup(List<String> below) {
        if (below.isEmpty()) {
            return new ProcEntry.Dir(ROOT_INODE, 0555, 0, 0, this::rootListing);
        }
        String first = below.get(0);
        List<String> rest = below.subList(1, below.size());
        if (first.equals(RootEntry.SYS.fileName)) return ProcSysctl.lookup(rest, frames);
        if (first.equals(RootEntry.SYSVIPC.fileName)) {
            return kernel.ipc() == null ? null : SysvIpc.lookup(kernel.ipc(), RootEntry.SYSVIPC.inode(), rest);
        }
        if (first.equals(RootEntry.PRESSURE.fileName)) {
            return kernel.psi() == null ? null : Pressure.lookup(this, kernel.psi(), RootEntry.PRESSURE.inode(), rest);
        }
        for (RootEntry e : RootEntry.values()) {
            if (e.fileName.equals(first)) return rest.isEmpty() ? rootEntry(e) : null;
        }
        int pid = parsePid(first);
        if (pid < 0) return null;
        ProcessView p = processes.find(pid);
        return p == null ? null : Base.lookup(this, p, -1, rest);
    }

    private SyntheticNode rootEntry(RootEntry e) {
        return switch (e) {
            case SELF -> new ProcEntry.Link(e.inode(), 0777, 0, 0,
                    () -> Integer.toString(caller().pid()));
            case THREAD_SELF -> new ProcEntry.Link(e.inode(), 0777, 0, 0,
                    () -> caller().pid() + "/task/" + processes.currentTid());
            case MEMINFO -> file(e, () -> Meminfo.show(frames));
            case CPUINFO -> file(e, () -> CpuInfo.show(kernel.cpuIds(), AuxVector.HWCAP, AuxVector.HWCAP2));
            case VMSTAT -> file(e, () -> Vmstat.show(frames, kernel.faultCounts()));
            case ZONEINFO -> file(e, () -> Zoneinfo.show(frames));
            case BUDDYINFO -> file(e, () -> Buddyinfo.show(frames));
            case SWAPS -> file(e, () -> Swaps.show(frames.swap()));
            case SYS -> throw new IllegalStateException("/proc/sys is looked up by ProcSysctl");
            case PRESSURE -> throw new IllegalStateException("/proc/pressure is looked up by Pressure");
            case SYSVIPC -> throw new IllegalStateException("/proc/sysvipc is looked up by SysvIpc");
            case UPTIME -> file(e, () -> Uptime.show(kernel.uptimeNanos(), kernel.idleNanos()));
            case LOADAVG -> file(e, this::loadavg);
        };
    }

    private static ProcEntry.File file(RootEntry e, ProcEntry.Generator g) {
        return new ProcEntry.File(e.inode(), 0444, 0, 0, g, null);
    }

    /** The load averages, the runnable threads (the reader among them) over all, the last pid. */
    private byte[] loadavg() {
        int running = 0;
        int threads = 0;
        for (ProcessView p : processes.processes()) {
            for (int tid : p.tids()) {
                threads++;
                if (p.thread(tid).state() == 'R') running++;
            }
        }
        return Loadavg.show(kernel.loadAverages(), running, threads, kernel.lastPid());
    }

    private List<Entry> rootListing() {
        List<Entry> out = new ArrayList<>();
        for (RootEntry e : RootEntry.values()) {
            // psi_proc_init makes /proc/pressure only when PSI is on.
            if (e == RootEntry.PRESSURE && kernel.psi() == null) continue;
            if (e == RootEntry.SYSVIPC && kernel.ipc() == null) continue;
            out.add(new Entry(e.fileName, e.inode(), e.kind));
        }
        for (ProcessView p : processes.processes()) {
            out.add(new Entry(Integer.toString(p.pid()), Base.inode(p.pid(), -1, 0), Kind.DIRECTORY));
        }
        return out;
    }

    /** Every process and kernel thread, for the writers that update the processes sharing a target's memory. */
    List<ProcessView> processes() {
        return processes.processes();
    }

    /**
     * The pr_warn_once of __set_oom_adj for the first write of any oom_adj since boot:
     * {@code "prog (4242): /proc/4300/oom_adj is deprecated, please use /proc/4300/oom_score_adj instead."}
     */
    void warnOomAdjDeprecated(ProcessView target) {
        if (warnedOomAdj) return;
        warnedOomAdj = true;
        ProcessView caller = processes.current();
        String comm = caller == null ? "swapper/0" : caller.comm();
        int pid = caller == null ? 0 : caller.pid();
        kernel.kernelLog().log(KernelLog.WARNING, String.format(
                "%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.",
                comm, pid, target.pid(), target.pid()));
    }

    /** The calling process; ENOENT when no thread runs (proc_self_get_link without a pid). */
    private ProcessView caller() throws ErrnoException {
        ProcessView p = processes.current();
        if (p == null) throw new ErrnoException(Errno.ENOENT);
        return p;
    }

    /**
     * Linux generic_permission for the calling process: the owner's, the group's or the others'
     * bits by its effective ids; failing those, CAP_DAC_OVERRIDE grants reading and writing (and
     * searching a directory, or executing anything with an x bit), CAP_DAC_READ_SEARCH reading
     * and searching. So root with those capabilities opens a read-only proc file for writing,
     * and its write then fails with EINVAL as the file has no write method. The files of
     * /proc/sys are checked by sysctl's own rule instead ({@link ProcSysctl#permits}).
     */
    @Override
    public boolean permits(SyntheticNode node, int mask) {
        ProcessView caller = processes.current();
        if (caller == null) return SyntheticTree.super.permits(node, mask);
        if (node instanceof ProcSysctl.Node sysctl) return ProcSysctl.permits(sysctl, caller.euid(), caller.egid(), mask);
        return genericPermission(caller, node, mask);
    }

    /**
     * Linux generic_permission of {@code node} for {@code caller}, as {@link #permits} describes
     * it; for other synthetic file systems (sysfs) whose files are checked the same way.
     */
    public static boolean genericPermission(ProcessView caller, SyntheticNode node, int mask) {
        int perm = node.permissions();
        int bits = caller.euid() == node.uid() ? perm >> 6 : caller.egid() == node.gid() ? perm >> 3 : perm;
        if ((bits & mask) == mask) return true;
        boolean directory = node.kind() == Kind.DIRECTORY;
        Capabilities caps = caller.capabilities();
        boolean execOk = (mask & X_OK) == 0 || directory || (perm & 0111) != 0;
        if (caps.has(Capabilities.CAP_DAC_OVERRIDE) && execOk) return true;
        return caps.has(Capabilities.CAP_DAC_READ_SEARCH) && (mask & W_OK) == 0
                && ((mask & X_OK) == 0 || directory);
    }

    /** The calling process's pid, or -1 when no thread runs. */
    int callerPid() {
        ProcessView p = processes.current();
        return p == null ? -1 : p.pid();
    }

    /** Whether the writing process has CAP_SYS_RESOURCE in its effective set. */
    boolean callerPrivileged() {
        return callerHas(Capabilities.CAP_SYS_RESOURCE);
    }

    /** Whether the calling process has {@code cap} in its effective set (capable()). */
    boolean callerHas(int cap) {
        ProcessView p = processes.current();
        return p != null && p.capabilities().has(cap);
    }

    /**
     * Linux ptrace_may_access(target, PTRACE_MODE_READ_FSCREDS) for the calling process: a
     * thread of the same group, or a caller whose file-system ids (its effective ids here) are
     * the target's real, effective and saved ids, or one with CAP_SYS_PTRACE. The kernel
     * itself (no calling process) may.
     */
    boolean callerMayRead(ProcessView target) {
        ProcessView caller = processes.current();
        if (caller == null || caller.pid() == target.pid()) return true;
        boolean sameIds = caller.euid() == target.uid() && caller.euid() == target.euid()
                && caller.egid() == target.gid() && caller.egid() == target.egid();
        return sameIds || caller.capabilities().has(Capabilities.CAP_SYS_PTRACE);
    }

    /**
     * Linux proc_mem_open (mm_access with PTRACE_MODE_READ): the target's address space for an
     * open of environ, auxv or pagemap, null if it has none (a zombie); EACCES if the caller
     * may not read it.
     */
    AddressSpace openMm(ProcessView target) throws ErrnoException {
        AddressSpace mm = target.mm();
        if (mm != null && !callerMayRead(target)) throw new ErrnoException(Errno.EACCES);
        return mm;
    }

    /** Linux name_to_int: a decimal number without sign or leading zero, else -1. */
    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 10 || (name.length() > 1 && name.charAt(0) == '0')) return -1;
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
