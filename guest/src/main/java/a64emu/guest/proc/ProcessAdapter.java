package a64emu.guest.proc;

import a64emu.guest.Kernel;
import a64emu.guest.OomKiller;
import a64emu.guest.OpenFilePages;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.SharedAnonymous;
import a64emu.guest.mm.Vma;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The kernel's {@link Process} as /proc sees it. */
final class ProcessAdapter implements ProcessView {
    /** RLIMIT_RSS and RLIMIT_SIGPENDING (asm-generic/resource.h). */
    static final int RLIMIT_RSS = 5;
    static final int RLIMIT_SIGPENDING = 11;
    /** _NSIG on arm64. */
    static final int NSIG = 64;

    private final Process p;
    private final ShmemInodes shmem;

    ProcessAdapter(Process p, ShmemInodes shmem) {
        this.p = p;
        this.shmem = shmem;
    }

    @Override
    public int pid() {
        return p.pid;
    }

    @Override
    public int ppid() {
        return p.ppid();
    }

    @Override
    public List<Integer> tids() {
        List<Integer> out = new ArrayList<>();
        for (Task t : p.threads()) out.add(t.tid);
        return out;
    }

    @Override
    public String comm() {
        return p.comm();
    }

    @Override
    public void setComm(String name) {
        p.setComm(name);
    }

    @Override
    public Thread thread(int tid) {
        for (Task t : p.threads()) {
            if (t.tid == tid) {
                return new Thread(tid, stateLetter(t), mask(t.pending), t.blocked(), t.usage, t.sched.nice,
                        t.sched.policy, t.sched.rtPriority);
            }
        }
        return null;
    }

    /**
     * Linux get_task_state for one thread: Z once the group has exited, or for a leader that
     * ended before its threads (it stays listed as a zombie); T while the process is stopped;
     * R when runnable; S in an interruptible sleep, D in an uninterruptible one (a vfork
     * parent's).
     */
    private char stateLetter(Task t) {
        if (p.hasExited() || !t.isAlive()) {
            return 'Z';
        }
        if (p.stopped) {
            return 'T';
        }
        if (t.state() == Task.State.RUNNABLE) {
            return 'R';
        }
        return t.waitingFor().interruptible ? 'S' : 'D';
    }

    @Override
    public ResourceUsage usage() {
        return p.usage();
    }

    @Override
    public ResourceUsage childrenUsage() {
        return p.reapedChildrenUsage.copy();
    }

    @Override
    public long startBoottimeNanos() {
        return p.startBoottimeNanos;
    }

    /**
     * PF_RANDOMIZE when exec laid the address space out at random, PF_FORKNOEXEC until a
     * forked process calls execve, PF_EXITING once it has exited, PF_SIGNALED when a signal
     * ended it. PF_SUPERPRIV is not shown: the kernel checks capabilities before they are
     * needed (mlock's CAP_IPC_LOCK at every memory call), so whether one was used is not known.
     */
    @Override
    public long taskFlags() {
        long flags = 0;
        if (p.mm.layout().randomized()) {
            flags |= Array.PF_RANDOMIZE;
        }
        if (p.forkedWithoutExec) {
            flags |= Array.PF_FORKNOEXEC;
        }
        if (p.hasExited()) {
            flags |= Array.PF_EXITING;
            if (p.termination().signal() != null) {
                flags |= Array.PF_SIGNALED;
            }
        }
        return flags;
    }

    @Override
    public int pgrp() {
        return p.pgid;
    }

    @Override
    public int session() {
        return p.sid;
    }

    @Override
    public int exitSignal() {
        return p.exitSignal;
    }

    @Override
    public int exitCode() {
        return p.hasExited() ? p.termination().waitStatus() : 0;
    }

    @Override
    public long rssLimit() {
        return p.limits[RLIMIT_RSS][0];
    }

    @Override
    public long uid() {
        return p.credentials.uid();
    }

    @Override
    public long euid() {
        return p.credentials.euid();
    }

    @Override
    public long gid() {
        return p.credentials.gid();
    }

    @Override
    public long egid() {
        return p.credentials.egid();
    }

    @Override
    public long suid() {
        return p.credentials.suid();
    }

    @Override
    public long fsuid() {
        return p.credentials.fsuid();
    }

    @Override
    public long sgid() {
        return p.credentials.sgid();
    }

    @Override
    public long fsgid() {
        return p.credentials.fsgid();
    }

    @Override
    public java.util.List<Long> groups() {
        return p.credentials.groups();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.ofHost(euid());
    }

    @Override
    public boolean noNewPrivs() {
        return p.noNewPrivs();
    }

    @Override
    public int seccompMode(int tid) {
        Task t = task(tid);
        return t == null ? 0 : t.seccomp.mode();
    }

    @Override
    public int seccompFilters(int tid) {
        Task t = task(tid);
        return t == null ? 0 : t.seccomp.filterCount();
    }

    private Task task(int tid) {
        for (Task t : p.threads()) {
            if (t.tid == tid) {
                return t;
            }
        }
        return null;
    }

    @Override
    public AddressSpace mm() {
        return p.isReleased() ? null : p.mm;
    }

    @Override
    public byte[] cmdline() {
        AddressSpace mm = mm();
        return mm == null ? new byte[0] : RemoteMemory.cmdline(mm);
    }

    @Override
    public String exePath() {
        return p.isReleased() ? null : p.files.exePath();
    }

    @Override
    public String cwd() {
        return p.files.getcwd();
    }

    @Override
    public int umask() {
        return p.files.fileSystem().currentUmask();
    }

    @Override
    public SortedMap<Integer, String> fds() {
        SortedMap<Integer, String> out = new TreeMap<>();
        if (p.isReleased()) return out;
        for (int fd = 0; fd < p.files.maxFds(); fd++) {
            OpenFile f = p.files.file(fd);
            if (f != null) out.put(fd, f.guestPath());
        }
        return out;
    }

    @Override
    public int fdTableSize() {
        return p.isReleased() ? FileTable.NR_OPEN_DEFAULT : p.files.maxFds();
    }

    @Override
    public OpenFile openFile(int fd) {
        return p.isReleased() ? null : p.files.file(fd);
    }

    @Override
    public int oomScoreAdj() {
        return p.oomScoreAdj();
    }

    @Override
    public void setOomScoreAdj(int adj) {
        p.setOomScoreAdj(adj);
    }

    @Override
    public int oomScoreAdjMin() {
        return p.oomScoreAdjMin();
    }

    @Override
    public void setOomScoreAdjMin(int adj) {
        p.setOomScoreAdjMin(adj);
    }

    @Override
    public long oomScore() {
        return OomKiller.oomScore(p, p.frames);
    }

    /** A vfork child until it execs or exits: it still runs in its parent's address space. */
    @Override
    public boolean inVfork() {
        return p.vforkParent != null && p.vforkParent.process.mm == p.mm;
    }

    @Override
    public FileId mappedFile(Vma vma) {
        if (vma.backing() == null) return null;
        if (vma.backing().source() instanceof SharedAnonymous object) return shmem.idOf(object);
        if (vma.backing().source() instanceof a64emu.guest.ipc.ShmSegment.Attachment a) {
            // newseg: the segment's inode on the internal shm mount is numbered by its id.
            return new FileId(ShmemInodes.SHM_MNT_DEV, a.segment().id());
        }
        if (!(vma.backing().source() instanceof OpenFilePages pages)) return null;
        try {
            KernelStat st = pages.file().fileStat();
            return new FileId(st.dev(), st.ino());
        } catch (ErrnoException e) {
            return null; // the file can no longer be stat'ed: shown as 00:00 0
        }
    }

    @Override
    public long sigSharedPending() {
        return mask(p.sharedPending);
    }

    @Override
    public long sigIgnored() {
        long set = 0;
        for (int s = 1; s <= NSIG; s++) {
            if (p.signals.get(s).handler() == SignalActions.SIG_IGN) set |= SignalActions.bit(s);
        }
        return set;
    }

    @Override
    public long sigCaught() {
        long set = 0;
        for (int s = 1; s <= NSIG; s++) {
            if (p.signals.userHandler(s) != 0) set |= SignalActions.bit(s);
        }
        return set;
    }

    @Override
    public int sigQueued() {
        int n = p.sharedPending.size();
        for (Task t : p.threads()) n += t.pending.size();
        return n;
    }

    @Override
    public long sigQueueLimit() {
        return p.limits[RLIMIT_SIGPENDING][0];
    }

    private static long mask(Iterable<SignalInfo> queue) {
        long set = 0;
        for (SignalInfo s : queue) set |= SignalActions.bit(s.signo());
        return set;
    }
}
