package a64emu.guest.proc;

import a64emu.guest.Errno;
import a64emu.guest.OomKiller;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticNode.Entry;
import a64emu.guest.fs.SyntheticNode.Kind;
import a64emu.guest.mm.AddressSpace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The /proc/pid and /proc/pid/task/tid directories, after Linux's fs/proc/base.c
 * (tgid_base_stuff, tid_base_stuff): which names they hold, in Linux's readdir order, with
 * Linux's permissions, and the small files whose code lives there: environ, auxv, cmdline,
 * comm, oom_score, oom_adj, oom_score_adj, and the exe, cwd, root and fd/N links.
 */
final class Base {
    private Base() {}

    /** One name in a pid directory (Linux's pid_entry). */
    enum PidEntry {
        TASK("task", Kind.DIRECTORY, 0555, true, false),
        FD("fd", Kind.DIRECTORY, 0500, true, true),
        ENVIRON("environ", Kind.REGULAR, 0400, true, true),
        AUXV("auxv", Kind.REGULAR, 0400, true, true),
        STATUS("status", Kind.REGULAR, 0444, true, true),
        COMM("comm", Kind.REGULAR, 0644, true, true),
        CMDLINE("cmdline", Kind.REGULAR, 0444, true, true),
        STAT("stat", Kind.REGULAR, 0444, true, true),
        STATM("statm", Kind.REGULAR, 0444, true, true),
        MAPS("maps", Kind.REGULAR, 0444, true, true),
        CWD("cwd", Kind.SYMLINK, 0777, true, true),
        ROOT("root", Kind.SYMLINK, 0777, true, true),
        EXE("exe", Kind.SYMLINK, 0777, true, true),
        SMAPS("smaps", Kind.REGULAR, 0444, true, true),
        SMAPS_ROLLUP("smaps_rollup", Kind.REGULAR, 0444, true, false),
        PAGEMAP("pagemap", Kind.REGULAR, 0400, true, true),
        OOM_SCORE("oom_score", Kind.REGULAR, 0444, true, true),
        OOM_ADJ("oom_adj", Kind.REGULAR, 0644, true, true),
        OOM_SCORE_ADJ("oom_score_adj", Kind.REGULAR, 0644, true, true);

        final String fileName;
        final Kind kind;
        final int permissions;
        final boolean inTgid;
        final boolean inTid;

        PidEntry(String fileName, Kind kind, int permissions, boolean inTgid, boolean inTid) {
            this.fileName = fileName;
            this.kind = kind;
            this.permissions = permissions;
            this.inTgid = inTgid;
            this.inTid = inTid;
        }

        static PidEntry named(String name, boolean thread) {
            for (PidEntry e : values()) {
                if (e.fileName.equals(name) && (thread ? e.inTid : e.inTgid)) return e;
            }
            return null;
        }
    }

    /** OOM_SCORE_ADJ_MIN and OOM_SCORE_ADJ_MAX (include/uapi/linux/oom.h). */
    static final int OOM_SCORE_ADJ_MIN = OomKiller.OOM_SCORE_ADJ_MIN;
    static final int OOM_SCORE_ADJ_MAX = OomKiller.OOM_SCORE_ADJ_MAX;
    /**
     * The legacy oom_adj scale (include/uapi/linux/oom.h): OOM_DISABLE -17, OOM_ADJUST_MIN
     * -16, OOM_ADJUST_MAX 15.
     */
    static final int OOM_DISABLE = -17;
    static final int OOM_ADJUST_MIN = -16;
    static final int OOM_ADJUST_MAX = 15;
    /** PROC_NUMBUF: oom_score_adj_write reads at most PROC_NUMBUF - 1 bytes of a write. */
    static final int PROC_NUMBUF = 13;
    /** is_global_init: pid 1, whose oom_score_adj no other process's write changes. */
    static final int INIT_PID = 1;

    /**
     * The node at {@code rest} inside the directory of process {@code p}: its pid directory when
     * {@code tid} is negative, else its thread {@code tid}'s directory under task/.
     */
    static SyntheticNode lookup(ProcFs proc, ProcessView p, int tid, List<String> rest) {
        boolean thread = tid >= 0;
        if (rest.isEmpty()) {
            return new ProcEntry.Dir(inode(p.pid(), tid, 0), 0555, (int) p.euid(), (int) p.egid(),
                    () -> listing(p, tid));
        }
        PidEntry e = PidEntry.named(rest.get(0), thread);
        if (e == null) return null;
        List<String> below = rest.subList(1, rest.size());
        if (e == PidEntry.TASK) return task(proc, p, below);
        if (e == PidEntry.FD) return fd(p, tid, below);
        if (!below.isEmpty()) return null;
        return entry(proc, p, tid, e);
    }

    private static List<Entry> listing(ProcessView p, int tid) {
        List<Entry> out = new ArrayList<>();
        for (PidEntry e : PidEntry.values()) {
            if (tid >= 0 ? e.inTid : e.inTgid) out.add(new Entry(e.fileName, inode(p.pid(), tid, e.ordinal() + 1), e.kind));
        }
        return out;
    }

    /** A stable inode number per (process, thread, entry), as Linux gives each proc inode its own. */
    static long inode(int pid, int tid, int index) {
        long owner = tid >= 0 ? (1L << 31) | tid : pid;
        return (owner << 12) | (0x800 + index);
    }

    private static SyntheticNode task(ProcFs proc, ProcessView p, List<String> below) {
        int uid = (int) p.euid();
        int gid = (int) p.egid();
        if (below.isEmpty()) {
            return new ProcEntry.Dir(inode(p.pid(), -1, PidEntry.TASK.ordinal() + 1), 0555, uid, gid, () -> {
                List<Entry> out = new ArrayList<>();
                for (int t : p.tids()) out.add(new Entry(Integer.toString(t), inode(p.pid(), t, 0), Kind.DIRECTORY));
                return out;
            });
        }
        int t = ProcFs.parsePid(below.get(0));
        if (t < 0 || !p.tids().contains(t)) return null;
        return lookup(proc, p, t, below.subList(1, below.size()));
    }

    private static SyntheticNode fd(ProcessView p, int tid, List<String> below) {
        int uid = (int) p.euid();
        int gid = (int) p.egid();
        long base = inode(p.pid(), tid, PidEntry.FD.ordinal() + 1) << 11;
        if (below.isEmpty()) {
            return new ProcEntry.Dir(inode(p.pid(), tid, PidEntry.FD.ordinal() + 1), 0500, uid, gid, () -> {
                List<Entry> out = new ArrayList<>();
                for (Map.Entry<Integer, String> f : p.fds().entrySet()) {
                    out.add(new Entry(Integer.toString(f.getKey()), base + f.getKey(), Kind.SYMLINK));
                }
                return out;
            });
        }
        if (below.size() != 1) return null;
        int fd = ProcFs.parsePid(below.get(0));
        if (fd < 0 || !p.fds().containsKey(fd)) return null;
        a64emu.guest.fs.OpenFile file = p.openFile(fd);
        // tid_fd_update_inode: r-x for a readable description, -wx for a writable one.
        int mode = file == null ? 0700 : (file.readable() ? 0500 : 0) | (file.writable() ? 0300 : 0);
        return new ProcEntry.FdLink(base + fd, mode, uid, gid, () -> {
            String target = p.fds().get(fd);
            if (target == null) throw new ErrnoException(Errno.ENOENT);
            return target;
        }, file);
    }

    private static SyntheticNode entry(ProcFs proc, ProcessView p, int tid, PidEntry e) {
        long ino = inode(p.pid(), tid, e.ordinal() + 1);
        int uid = (int) p.euid();
        int gid = (int) p.egid();
        int task = tid >= 0 ? tid : p.pid();
        return switch (e) {
            case ENVIRON -> new ProcEntry.InPlaceFile(ino, e.permissions, uid, gid, () -> {
                AddressSpace mm = proc.openMm(p);
                return (pos, buf, off, len) -> environRead(mm, pos, buf, off, len);
            });
            case AUXV -> file(ino, e, uid, gid, () -> auxv(proc.openMm(p)), null);
            case STATUS -> file(ino, e, uid, gid, () -> Array.status(p, task), null);
            case STAT -> file(ino, e, uid, gid, () -> Array.stat(p, task, tid < 0, proc.callerMayRead(p)), null);
            case PAGEMAP -> new ProcEntry.InPlaceFile(ino, e.permissions, uid, gid,
                    () -> Pagemap.reader(proc.openMm(p), proc.callerHas(Capabilities.CAP_SYS_ADMIN)));
            case COMM -> file(ino, e, uid, gid, () -> ascii(p.comm() + "\n"),
                    data -> proc.callerPid() == p.pid() ? commWrite(p, data) : -Errno.EINVAL);
            case CMDLINE -> file(ino, e, uid, gid, p::cmdline, null);
            case STATM -> file(ino, e, uid, gid, () -> TaskMmu.statm(p), null);
            case MAPS -> file(ino, e, uid, gid, () -> TaskMmu.maps(p), null);
            case SMAPS -> file(ino, e, uid, gid, () -> TaskMmu.smaps(p), null);
            case SMAPS_ROLLUP -> new ProcEntry.InPlaceFile(ino, e.permissions, uid, gid, () -> smapsRollupReader(p));
            case OOM_SCORE -> file(ino, e, uid, gid, () -> ascii(p.oomScore() + "\n"), null);
            case OOM_ADJ -> file(ino, e, uid, gid, () -> ascii(oomAdj(p.oomScoreAdj()) + "\n"),
                    data -> oomAdjWrite(proc, p, data));
            case OOM_SCORE_ADJ -> file(ino, e, uid, gid, () -> ascii(p.oomScoreAdj() + "\n"),
                    data -> oomScoreAdjWrite(proc, p, data));
            case CWD -> new ProcEntry.Link(ino, e.permissions, uid, gid, p::cwd);
            // Every process shares the one root (--root or the host's "/"): proc_root_link
            // names it, and a path through it is walked inside that root like any other.
            case ROOT -> new ProcEntry.Link(ino, e.permissions, uid, gid, () -> "/");
            case EXE -> new ProcEntry.Link(ino, e.permissions, uid, gid, () -> {
                String exe = p.exePath();
                if (exe == null) throw new ErrnoException(Errno.ENOENT);
                return exe;
            });
            case TASK, FD -> throw new IllegalStateException(e + " is a directory");
        };
    }

    /**
     * smaps_rollup through seq_file: the text is made at the first read and read on from there;
     * a process without an mm (a kernel thread, a zombie) fails the read with ESRCH
     * (show_smaps_rollup finds no mm to walk).
     */
    static SyntheticNode.PositionalReader smapsRollupReader(ProcessView p) {
        byte[][] text = {null};
        return (pos, buf, off, len) -> {
            if (text[0] == null) {
                if (p.mm() == null) return -Errno.ESRCH;
                text[0] = TaskMmu.smapsRollup(p);
            }
            if (pos >= text[0].length) return 0;
            int n = (int) Math.min(len, text[0].length - pos);
            System.arraycopy(text[0], (int) pos, buf, off, n);
            return n;
        };
    }

    /**
     * Linux environ_read: the bytes of the environment strings exec wrote, from env_start +
     * {@code pos} up to env_end, read from the process's memory when the reader reads; nothing
     * for a process without an mm or one that has not been exec'd far enough to have them.
     */
    static long environRead(AddressSpace mm, long pos, byte[] buf, int off, int len) {
        if (mm == null || mm.isReleased() || mm.envEnd() == 0) return 0;
        long size = mm.envEnd() - mm.envStart();
        if (pos >= size) return 0;
        byte[] b = RemoteMemory.read(mm, mm.envStart() + pos, (int) Math.min(len, size - pos));
        System.arraycopy(b, 0, buf, off, b.length);
        return b.length;
    }

    /**
     * Linux auxv_read: the auxiliary vector exec gave the program, as the kernel saved it
     * (mm->saved_auxv), type and value words up to and including the AT_NULL pair.
     */
    static byte[] auxv(AddressSpace mm) {
        if (mm == null) return new byte[0];
        long[] words = mm.savedAuxv();
        byte[] out = new byte[words.length * 8];
        for (int w = 0; w < words.length; w++) {
            for (int b = 0; b < 8; b++) out[w * 8 + b] = (byte) (words[w] >>> (8 * b));
        }
        return out;
    }

    private static ProcEntry.File file(long ino, PidEntry e, int uid, int gid, ProcEntry.Generator g,
                                       ProcEntry.Writer w) {
        return new ProcEntry.File(ino, e.permissions, uid, gid, g, w);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Linux comm_write: up to TASK_COMM_LEN - 1 bytes become the name; the whole count is taken.
     * Only a thread of the same group may rename it (-EINVAL otherwise, checked by the caller).
     */
    static long commWrite(ProcessView p, byte[] data) {
        int n = Math.min(data.length, 15);
        int end = 0;
        while (end < n && data[end] != 0) end++;
        String name = new String(data, 0, end, StandardCharsets.UTF_8);
        // set_task_comm keeps the text as written, a trailing newline included if it fits.
        p.setComm(name);
        return data.length;
    }

    /**
     * Linux oom_adj_read: oom_score_adj on the legacy scale, {@code adj * 17 / 1000} (truncated
     * toward zero, so 999 reads 16) except that 1000 reads OOM_ADJUST_MAX, 15.
     */
    static int oomAdj(int oomScoreAdj) {
        return oomScoreAdj == OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : oomScoreAdj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
    }

    /**
     * Linux oom_adj_write: a number parsed as oom_score_adj_write parses it, -17..15 (else
     * -EINVAL), scaled to oom_score_adj: 15 to 1000, anything else {@code x * 1000 / 17}; then
     * {@link #setOomAdj} as a legacy write.
     */
    static long oomAdjWrite(ProcFs proc, ProcessView p, byte[] data) {
        int count = Math.min(data.length, PROC_NUMBUF - 1);
        long value;
        try {
            value = parseNumber(data, count);
        } catch (ErrnoException e) {
            return e.negated();
        }
        if ((value < OOM_ADJUST_MIN || value > OOM_ADJUST_MAX) && value != OOM_DISABLE) return -Errno.EINVAL;
        int adj = value == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : (int) value * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
        int err = setOomAdj(proc, p, adj, true);
        return err < 0 ? err : count;
    }

    /**
     * Linux oom_score_adj_write: at most PROC_NUMBUF - 1 bytes, blanks stripped, parsed by
     * kstrtoint with base 0 (decimal, 0x hex, 0 octal; one trailing newline allowed): -EINVAL
     * if it is no number or outside -1000..1000, -ERANGE if it overflows an int; then
     * {@link #setOomAdj}. Returns the count taken.
     */
    static long oomScoreAdjWrite(ProcFs proc, ProcessView p, byte[] data) {
        int count = Math.min(data.length, PROC_NUMBUF - 1);
        long value;
        try {
            value = parseNumber(data, count);
        } catch (ErrnoException e) {
            return e.negated();
        }
        if (value < OOM_SCORE_ADJ_MIN || value > OOM_SCORE_ADJ_MAX) return -Errno.EINVAL;
        int err = setOomAdj(proc, p, (int) value, false);
        return err < 0 ? err : count;
    }

    /** The first {@code count} bytes up to a NUL, strstrip'ed and parsed by kstrtoint(s, 0). */
    private static long parseNumber(byte[] data, int count) throws ErrnoException {
        int end = 0;
        while (end < count && data[end] != 0) end++;
        return KstrtoInt.parse(strstrip(new String(data, 0, end, StandardCharsets.ISO_8859_1)));
    }

    /**
     * Linux 6.1 __set_oom_adj. Without CAP_SYS_RESOURCE a legacy (oom_adj) write may not lower
     * oom_score_adj at all, and an oom_score_adj write may not go below oom_score_adj_min:
     * -EACCES. The first legacy write of the boot logs that oom_adj is deprecated. A writer
     * with CAP_SYS_RESOURCE sets oom_score_adj_min along with oom_score_adj (not through
     * oom_adj). The other processes sharing the target's memory (clone with CLONE_VM but not
     * CLONE_VFORK: MMF_MULTIPROCESS), init and kernel threads apart, get the same values, unless
     * the target is a vfork child, which has its own. Returns 0 or -errno.
     */
    static int setOomAdj(ProcFs proc, ProcessView p, int adj, boolean legacy) {
        boolean privileged = proc.callerPrivileged();
        if (legacy) {
            if (adj < p.oomScoreAdj() && !privileged) return -Errno.EACCES;
            proc.warnOomAdjDeprecated(p);
        } else if (adj < p.oomScoreAdjMin() && !privileged) {
            return -Errno.EACCES;
        }
        boolean setMin = !legacy && privileged;
        List<ProcessView> sharers = new ArrayList<>();
        if (!p.inVfork() && p.mm() != null) {
            for (ProcessView other : proc.processes()) {
                if (other.pid() != p.pid() && other.pid() != INIT_PID && other.mm() == p.mm() && !other.inVfork()) {
                    sharers.add(other); // other.mm() is null for kernel threads, never equal
                }
            }
        }
        sharers.add(0, p);
        for (ProcessView each : sharers) {
            each.setOomScoreAdj(adj);
            if (setMin) each.setOomScoreAdjMin(adj);
        }
        return 0;
    }

    /** Linux strstrip: leading and trailing isspace() characters removed. */
    static String strstrip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) b++;
        while (e > b && isSpace(s.charAt(e - 1))) e--;
        return s.substring(b, e);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
