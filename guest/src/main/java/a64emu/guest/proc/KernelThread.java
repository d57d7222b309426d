package a64emu.guest.proc;

import a64emu.guest.Process;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Kswapd;
import a64emu.guest.mm.Vma;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.signal.Signal;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A kernel thread as /proc shows it (Linux 6.1 kernel/kthread.c, fs/proc/array.c): a task with
 * no mm, so its maps and smaps are empty, its statm all zeros, its cmdline empty and its
 * status without the Vm and Rss lines; owned by root with every capability; every signal
 * ignored (kthreadd's ignore_signals, which the threads it creates inherit); the file table
 * and file-system context of init_task (no descriptors, cwd "/", umask 0), shared with
 * CLONE_FILES | CLONE_FS.
 *
 * <p>kthreadd (pid 2, child of the idle task, pid 0) is the parent of all the others: kswapd0
 * (pid 3), the reclaim thread {@link Kswapd}, and then every other kernel thread the kernel
 * started ({@link a64emu.guest.KernelThread}, lmkd say), pids 4, 5, ... in the order they
 * were started; the state and CPU time of each are the real thread's. None has a counterpart
 * in the guest's process table; they take pids below the first guest pid, which never collide
 * with the guest's (pid allocation starts above them and wraps to 300, RESERVED_PIDS).
 */
final class KernelThread implements ProcessView {
    /** kthreadd's pid: rest_init creates it second, after init. */
    static final int KTHREADD_PID = 2;
    /** kswapd0's pid here: the next kernel thread. */
    static final int KSWAPD_PID = 3;
    /** kthreadd's parent: the idle task, pid 0. */
    static final int IDLE_PID = 0;
    /** The pid of the first kernel thread after kswapd0. */
    static final int FIRST_OTHER_PID = KSWAPD_PID + 1;

    private final int pid;
    private final int ppid;
    private String comm;
    private final long flags;
    private final int exitSignal;
    private final BooleanSupplier runnable;
    private final Supplier<ResourceUsage> usage;
    private int oomScoreAdj;
    private int oomScoreAdjMin;

    private KernelThread(int pid, int ppid, String comm, long flags, int exitSignal, BooleanSupplier runnable,
                         Supplier<ResourceUsage> usage) {
        this.pid = pid;
        this.ppid = ppid;
        this.comm = comm;
        this.flags = flags;
        this.exitSignal = exitSignal;
        this.runnable = runnable;
        this.usage = usage;
    }

    /**
     * kthreadd: sleeping in its loop until asked for a thread; PF_NOFREEZE as kthreadd() sets
     * it; exit signal 0, since rest_init creates it with CLONE_FS | CLONE_FILES and no signal.
     * It has used no CPU time this kernel counts.
     */
    static KernelThread kthreadd() {
        ResourceUsage none = new ResourceUsage();
        return new KernelThread(KTHREADD_PID, IDLE_PID, "kthreadd", Array.PF_KTHREAD | Array.PF_NOFREEZE | Array.PF_FORKNOEXEC,
                0, () -> false, () -> none);
    }

    /**
     * kswapd0: runnable while woken and not yet balanced, else sleeping; its flags as kswapd()
     * sets them (PF_MEMALLOC | PF_KSWAPD, PF_NOFREEZE cleared by set_freezable); SIGCHLD as
     * exit signal, as kthreadd creates its threads with it; its CPU time the host time
     * {@link Kswapd#run} took, all system time.
     */
    static KernelThread kswapd(Kswapd k) {
        return new KernelThread(KSWAPD_PID, KTHREADD_PID, Kswapd.NAME,
                Array.PF_KTHREAD | Array.PF_KSWAPD | Array.PF_MEMALLOC | Array.PF_FORKNOEXEC, Signal.SIGCHLD,
                k::runnable, k::usage);
    }

    /**
     * Another kernel thread, the {@code index}th started: kthreadd's child, with the flags it
     * inherits from kthreadd (PF_KTHREAD, PF_NOFREEZE unless it calls set_freezable, and
     * PF_FORKNOEXEC from copy_process), SIGCHLD as exit signal; running while it has work at
     * the kernel's time {@code now}, its CPU time what its runs took.
     */
    static KernelThread other(a64emu.guest.KernelThread t, int index, LongSupplier now) {
        return new KernelThread(FIRST_OTHER_PID + index, KTHREADD_PID, t.name(),
                Array.PF_KTHREAD | Array.PF_NOFREEZE | Array.PF_FORKNOEXEC, Signal.SIGCHLD,
                () -> t.runnable(now.getAsLong()), t::usage);
    }

    @Override public int pid() { return pid; }
    @Override public int ppid() { return ppid; }
    @Override public List<Integer> tids() { return List.of(pid); }
    @Override public String comm() { return comm; }

    @Override
    public void setComm(String name) {
        comm = name;
    }

    @Override
    public Thread thread(int tid) {
        if (tid != pid) return null;
        return new Thread(pid, runnable.getAsBoolean() ? 'R' : 'S', 0, 0, usage.get().copy());
    }

    @Override public ResourceUsage usage() { return usage.get().copy(); }
    @Override public ResourceUsage childrenUsage() { return new ResourceUsage(); }
    /** Started at boot, before the clock the guest's processes are timed by had moved. */
    @Override public long startBoottimeNanos() { return 0; }
    @Override public long taskFlags() { return flags; }
    /** Kernel threads are in no process group or session: both 0. */
    @Override public int pgrp() { return 0; }
    @Override public int session() { return 0; }
    @Override public int exitSignal() { return exitSignal; }
    @Override public int exitCode() { return 0; }
    @Override public long rssLimit() { return Process.defaultLimits()[ProcessAdapter.RLIMIT_RSS][0]; }
    @Override public long uid() { return 0; }
    @Override public long euid() { return 0; }
    @Override public long gid() { return 0; }
    @Override public long egid() { return 0; }
    @Override public Capabilities capabilities() { return Capabilities.forUid(0); }
    @Override public AddressSpace mm() { return null; }
    @Override public byte[] cmdline() { return new byte[0]; }
    /** get_task_exe_file gives no file for a PF_KTHREAD task: exe is ENOENT. */
    @Override public String exePath() { return null; }
    @Override public String cwd() { return "/"; }
    @Override public int umask() { return 0; }
    @Override public SortedMap<Integer, String> fds() { return new TreeMap<>(); }
    @Override public int oomScoreAdj() { return oomScoreAdj; }

    @Override
    public void setOomScoreAdj(int adj) {
        oomScoreAdj = adj;
    }

    @Override public int oomScoreAdjMin() { return oomScoreAdjMin; }

    @Override
    public void setOomScoreAdjMin(int adj) {
        oomScoreAdjMin = adj;
    }

    /** oom_badness skips kernel threads (oom_unkillable_task): never chosen, score 0. */
    @Override public long oomScore() { return 0; }

    @Override public FileId mappedFile(Vma vma) { return null; }
    @Override public long sigSharedPending() { return 0; }
    /** ignore_signals: every action SIG_IGN. */
    @Override public long sigIgnored() { return -1L; }
    @Override public long sigCaught() { return 0; }
    @Override public int sigQueued() { return 0; }
    @Override public long sigQueueLimit() { return Process.defaultLimits()[ProcessAdapter.RLIMIT_SIGPENDING][0]; }

}
