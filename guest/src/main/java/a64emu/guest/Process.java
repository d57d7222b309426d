package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.sched.IntervalTimer;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.Syscalls;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One guest process, a thread group (Linux's {@code signal_struct}, {@code mm_struct},
 * {@code files_struct} and {@code sighand_struct} shared by its threads): the address
 * space, file descriptors, signal handlers and shared pending signals, resource limits,
 * its parent and children, and how it ended. The threads ({@link Task}) hold the
 * registers and per-thread signal state.
 */
public final class Process {
    /**
     * How a process ended: exit status, or the fatal signal with its diagnosis.
     *
     * @param coreDumped whether the signal's default action dumped core; never, as
     *                   RLIMIT_CORE is 0 (Linux do_coredump gives up), so the 0x80 bit stays clear
     */
    public record Termination(int exitCode, SignalInfo signal, long pc, boolean coreDumped) {
        public Termination(int exitCode, SignalInfo signal, long pc) {
            this(exitCode, signal, pc, false);
        }

        /** What a shell reports: the exit code, or 128 + signal number. */
        public int shellStatus() {
            return signal == null ? exitCode & 0xFF : 128 + signal.signo();
        }

        /**
         * The status word wait4 stores (Linux {@code do_exit} code): exit code in bits 15..8,
         * or the signal in bits 6..0 with 0x80 when a core was dumped.
         */
        public int waitStatus() {
            return signal == null ? (exitCode & 0xFF) << 8 : signal.signo() | (coreDumped ? 0x80 : 0);
        }
    }

    /** Resource numbers (asm-generic/resource.h) and RLIM_INFINITY. */
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_NPROC = 6;
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int RLIMIT_AS = 9;
    public static final int RLIMIT_MSGQUEUE = 12;
    public static final int RLIMIT_NICE = 13;
    public static final int RLIMIT_RTPRIO = 14;
    public static final int RLIM_NLIMITS = 16;
    public static final long RLIM_INFINITY = -1L;

    public final int pid;
    /** Replaced whole by the setuid family (Linux commit_creds); shared by the threads. */
    public InitialStack.Credentials credentials;
    /** The registers of the thread group leader (the thread whose tid is the pid). */
    public final Cpu cpu;
    public final AddressSpace mm;
    public final MemoryMap memoryMap;
    public final FaultHandler faults;
    public final FrameAllocator frames;
    /** When the process started (System.nanoTime), for sysinfo's uptime and /proc. */
    public final long startNanos = System.nanoTime();
    public final UserMemory user;
    /** The descriptor table; replaced only by unshare(CLONE_FILES) ({@link #unshareFiles}). */
    public FileTable files;
    /** Handlers (sighand_struct), shared by the threads. */
    public final SignalActions signals;
    public final SplittableRandom random;
    /** Signals sent to the whole process (kill), waiting for a thread that does not block them. */
    public final ArrayDeque<SignalInfo> sharedPending = new ArrayDeque<>();
    /** Soft and hard limit per resource, as getrlimit reports them; copied at fork. */
    public final long[][] limits;
    /** Files kept open by file-backed mappings (a VMA's vm_file); released at exit. */
    private final List<OpenFile> mappedFiles = new ArrayList<>();
    private final List<Task> threads = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    /** The kernel this process runs in; null only for a process built alone by a test. */
    public Kernel kernel;
    /** The system calls of this process (they act on its mm and files). */
    public Syscalls syscalls;
    /** The parent; null means init (pid 1), which reaps what it adopts. */
    private Process parent;
    private final int initialPpid;
    /** The thread the kernel is running or last ran (its tid is what gettid answers). */
    public Task current;
    /** The command name (Linux comm, 15 characters at most). */
    private String comm = "";
    /** Process group and session (setpgid, setsid); the first process leads both. */
    public int pgid;
    public int sid;
    /** The execution domain and its flags (personality(2)); PER_LINUX. */
    public int personality;
    /** personality flag: the next exec gets no address-space randomisation (setarch -R). */
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;
    /** personality flag: the next exec gets the legacy bottom-up mmap layout (setarch -L). */
    public static final int ADDR_COMPAT_LAYOUT = 0x0200000;
    private int oomScoreAdj;
    /** prctl state (kernel/sys.c), kept as Linux keeps it across fork and exec; see {@link #forkPrctlState}. */
    private int pdeathSignal;
    private int dumpable = SUID_DUMP_USER;
    private boolean noNewPrivs;
    /** The dumpable modes of prctl(PR_SET_DUMPABLE) (include/linux/sched/coredump.h). */
    public static final int SUID_DUMP_DISABLE = 0;
    public static final int SUID_DUMP_USER = 1;
    /**
     * oom_score_adj_min (signal_struct): how low a writer without CAP_SYS_RESOURCE may set
     * oom_score_adj; a privileged writer of oom_score_adj sets it too. Inherited at fork,
     * kept across execve, as oom_score_adj is.
     */
    private int oomScoreAdjMin;
    /** The signal the parent gets when this process ends: SIGCHLD, or clone's exit signal. */
    public int exitSignal = Signal.SIGCHLD;
    /**
     * When the process was forked, in nanoseconds on the kernel's boot clock (Linux
     * task->start_boottime, /proc/pid/stat's starttime); set when the kernel registers the
     * process, kept across execve. Negative until then.
     */
    public long startBoottimeNanos = -1;
    /** PF_FORKNOEXEC: created by fork and has not called execve since. */
    public boolean forkedWithoutExec;
    /**
     * Job control (Linux SIGNAL_STOP_STOPPED): a stopped process's threads are not
     * scheduled until SIGCONT. {@code stopReport} is the stop signal a WUNTRACED wait has
     * yet to see (0 if none), {@code continueReport} a continue a WCONTINUED wait has yet to see.
     */
    public boolean stopped;
    public int stopReport;
    public boolean continueReport;
    /**
     * Capabilities (Linux cred's cap_effective, cap_permitted, cap_inheritable, bit n =
     * capability n): all of them for root, none for another user, as at login; capset may
     * drop them.
     */
    public long capEffective;
    public long capPermitted;
    public long capInheritable;
    /** Capabilities 0..CAP_LAST_CAP (40, CAP_CHECKPOINT_RESTORE). */
    public static final long CAP_FULL_SET = (1L << 41) - 1;
    public static final int CAP_KILL = 5;
    public static final int CAP_SETGID = 6;
    public static final int CAP_SETUID = 7;
    public static final int CAP_IPC_LOCK = 14;
    public static final int CAP_SYS_RAWIO = 17;
    public static final int CAP_SYS_PTRACE = 19;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_NICE = 23;
    public static final int CAP_SYS_RESOURCE = 24;
    public static final int CAP_SYSLOG = 34;

    /** Linux capable(): whether the effective set holds {@code cap}. */
    public boolean capable(int cap) {
        return (capEffective & (1L << cap)) != 0;
    }

    /** What execve grants (no file capabilities): root gets every capability back, others none. */
    public void setCapabilitiesForExec() {
        long all = credentials.euid() == 0 ? CAP_FULL_SET : 0;
        capPermitted = all;
        capEffective = all;
    }

    /**
     * The interval timers (signal_struct's real_timer and it[]): ITIMER_REAL counts on the
     * kernel's clock and raises SIGALRM; ITIMER_VIRTUAL counts the process's user time and
     * raises SIGVTALRM; ITIMER_PROF its user and system time, SIGPROF. Kept across execve,
     * not inherited by fork.
     */
    public final IntervalTimer realTimer = new IntervalTimer();
    public final IntervalTimer virtualTimer = new IntervalTimer();
    public final IntervalTimer profTimer = new IntervalTimer();
    /** The AIO contexts of this process's address space (mm->ioctx_table); shared with CLONE_VM children. */
    public a64emu.guest.aio.AioContexts aio = new a64emu.guest.aio.AioContexts();
    /** timer_create's timers (signal_struct.posix_timers): none at fork, all deleted at exec and exit. */
    public final a64emu.guest.sched.PosixTimers posixTimers = a64emu.guest.sched.PosixTimers.of(this);
    /** What threads no longer listed used, and the images before an execve (signal_struct's utime...). */
    public final ResourceUsage exitedThreadsUsage = new ResourceUsage();
    /** What reaped children, with what they had reaped, used (signal_struct's cutime, cstime, cmin_flt...). */
    public final ResourceUsage reapedChildrenUsage = new ResourceUsage();
    /** The largest peak RSS, in pages, among reaped children and theirs (signal_struct's cmaxrss). */
    public long reapedChildrenMaxRssPages;
    /** The peak RSS, in pages, of the images before an execve (signal_struct's maxrss). */
    public long execMaxRssPages;
    /** The exit code the leader gave if it ended before the other threads (what wait reports). */
    public int leaderExitCode;
    /** The thread sleeping in vfork until this child execs or exits. */
    public Task vforkParent;

    private Termination termination;
    private boolean reaped;

    public Process(int pid, int ppid, InitialStack.Credentials credentials, Cpu cpu, AddressSpace mm,
                   FrameAllocator frames, FaultHandler faults, UserMemory user, FileTable files, long seed) {
        this(pid, ppid, credentials, cpu, mm, frames, faults, user, files, new SignalActions(),
                new SplittableRandom(seed), defaultLimits());
    }

    public Process(int pid, int ppid, InitialStack.Credentials credentials, Cpu cpu, AddressSpace mm,
                   FrameAllocator frames, FaultHandler faults, UserMemory user, FileTable files,
                   SignalActions signals, SplittableRandom random, long[][] limits) {
        this.pid = pid;
        this.initialPpid = ppid;
        this.credentials = credentials;
        this.cpu = cpu;
        this.mm = mm;
        this.memoryMap = new MemoryMap(mm);
        this.faults = faults;
        this.frames = frames;
        this.user = user;
        this.files = files;
        this.signals = signals;
        this.random = random;
        this.limits = limits;
        this.pgid = pid;
        this.sid = pid;
        setCapabilitiesForExec();
        Task leader = new Task(pid, this, cpu);
        threads.add(leader);
        current = leader;
    }

    /** Linux's boot-time limits (init_task's rlimits, include/asm-generic/resource.h). */
    public static long[][] defaultLimits() {
        long[][] l = new long[RLIM_NLIMITS][];
        for (int i = 0; i < RLIM_NLIMITS; i++) {
            l[i] = new long[] {RLIM_INFINITY, RLIM_INFINITY};
        }
        l[RLIMIT_STACK] = new long[] {VmLayout.RLIMIT_STACK, RLIM_INFINITY};
        // INR_OPEN_CUR and INR_OPEN_MAX.
        l[RLIMIT_NOFILE] = new long[] {FileTable.DEFAULT_NOFILE, 4096};
        l[RLIMIT_MEMLOCK] = new long[] {VmLayout.RLIMIT_MEMLOCK, VmLayout.RLIMIT_MEMLOCK};
        l[RLIMIT_CORE] = new long[] {0, RLIM_INFINITY};
        // MQ_BYTES_MAX: the bytes of POSIX message queues a user may create.
        l[RLIMIT_MSGQUEUE] = new long[] {819200, 819200};
        // No nice value below 0 and no real-time priority without CAP_SYS_NICE.
        l[RLIMIT_NICE] = new long[] {0, 0};
        l[RLIMIT_RTPRIO] = new long[] {0, 0};
        // init_task: max_threads / 2, with max_threads the kernel's task limit here.
        l[RLIMIT_NPROC] = new long[] {Kernel.MAX_THREADS / 2, Kernel.MAX_THREADS / 2};
        return l;
    }

    public static long[][] copyLimits(long[][] from) {
        long[][] l = new long[from.length][];
        for (int i = 0; i < from.length; i++) {
            l[i] = from[i].clone();
        }
        return l;
    }

    /** The thread id of the thread making the current system call. */
    /**
     * unshare(CLONE_FILES) of a table shared with another process: this process goes on with
     * a copy ({@code copy}), the others keep the original.
     */
    public void unshareFiles(FileTable copy) {
        files = copy;
        if (syscalls != null) {
            syscalls.filesReplaced();
        }
    }

    public int tid() {
        return current.tid;
    }

    public Task leader() {
        return threads.get(0);
    }

    /** The live threads, leader first (it stays listed as a zombie until the group ends). */
    public List<Task> threads() {
        return Collections.unmodifiableList(threads);
    }

    public void addThread(Task t) {
        threads.add(t);
    }

    /** Forgets an exited non-leader thread (Linux release_task for a thread). */
    public void removeThread(Task t) {
        if (t != leader() && threads.remove(t)) {
            exitedThreadsUsage.add(t.usage);
        }
    }

    /** What the whole thread group has used: its threads, the ones gone, the images before execve. */
    public ResourceUsage usage() {
        ResourceUsage u = exitedThreadsUsage.copy();
        for (Task t : threads) {
            u.add(t.usage);
        }
        return u;
    }

    /** The peak RSS of the process in pages, over every image it ran (getrusage's ru_maxrss). */
    public long maxRssPages() {
        return Math.max(execMaxRssPages, mm.pageTables().peakResidentPages());
    }

    /**
     * Carries what {@code old} used into this image of the same process (execve keeps the
     * process: its CPU time, its children's, its peak RSS and its interval timers).
     */
    public void inheritUsage(Process old) {
        exitedThreadsUsage.add(old.usage());
        reapedChildrenUsage.add(old.reapedChildrenUsage);
        reapedChildrenMaxRssPages = old.reapedChildrenMaxRssPages;
        execMaxRssPages = old.maxRssPages();
        realTimer.copyFrom(old.realTimer);
        virtualTimer.copyFrom(old.virtualTimer);
        profTimer.copyFrom(old.profTimer);
        posixTimers.continueIdsFrom(old.posixTimers);
    }

    /** The parent reaps this child: what it and its reaped children used becomes the parent's. */
    public void chargeToParent(Process parent) {
        parent.reapedChildrenUsage.add(usage()).add(reapedChildrenUsage);
        parent.reapedChildrenMaxRssPages = Math.max(parent.reapedChildrenMaxRssPages,
                Math.max(maxRssPages(), reapedChildrenMaxRssPages));
    }

    public boolean allThreadsDead() {
        for (Task t : threads) {
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    public Process parent() {
        return parent;
    }

    /** The parent's pid; 1 once the parent is gone (re-parented to init). */
    public int ppid() {
        if (parent != null) {
            return parent.pid;
        }
        return orphaned ? 1 : initialPpid;
    }

    private boolean orphaned;

    public void setParent(Process p) {
        parent = p;
    }

    /** Re-parents to init, as Linux forget_original_parent does when the parent exits. */
    public void orphan() {
        parent = null;
        orphaned = true;
    }

    public int initialPpid() {
        return initialPpid;
    }

    public List<Process> children() {
        return children;
    }

    public String comm() {
        return comm;
    }

    /** Linux {@code __set_task_comm}: at most TASK_COMM_LEN - 1 = 15 bytes. */
    public void setComm(String name) {
        int slash = name.lastIndexOf('/');
        String base = slash >= 0 ? name.substring(slash + 1) : name;
        comm = base.length() > 15 ? base.substring(0, 15) : base;
    }

    /** prctl(PR_SET_NAME): the name as given (no basename), cut to TASK_COMM_LEN - 1 = 15 bytes by the caller. */
    public void setTaskComm(String name) {
        comm = name;
    }

    /** prctl(PR_SET_PDEATHSIG): the signal this process gets when its parent dies; 0 for none. */
    public int pdeathSignal() {
        return pdeathSignal;
    }

    public void setPdeathSignal(int sig) {
        pdeathSignal = sig;
    }

    /** prctl(PR_GET_DUMPABLE): SUID_DUMP_DISABLE or SUID_DUMP_USER (an mm property: exec resets it). */
    public int dumpable() {
        return dumpable;
    }

    public void setDumpable(int mode) {
        dumpable = mode;
    }

    /** prctl(PR_SET_NO_NEW_PRIVS): once set, never cleared, inherited by fork and kept by exec. */
    public boolean noNewPrivs() {
        return noNewPrivs;
    }

    public void setNoNewPrivs() {
        noNewPrivs = true;
    }

    /**
     * What a fork child inherits of the prctl state (copy_process clears pdeath_signal, the
     * copied mm keeps its dumpable mode) or an exec image keeps (begin_new_exec: dumpable back to
     * SUID_DUMP_USER for a non-setuid program; no_new_privs and pdeath_signal stay).
     */
    public void forkPrctlState(Process parent, boolean exec) {
        pdeathSignal = exec ? parent.pdeathSignal : 0;
        dumpable = exec ? SUID_DUMP_USER : parent.dumpable;
        noNewPrivs = parent.noNewPrivs;
    }

    public int oomScoreAdj() {
        return oomScoreAdj;
    }

    /** OOM_SCORE_ADJ_MIN -1000 .. OOM_SCORE_ADJ_MAX 1000. */
    public void setOomScoreAdj(int adj) {
        if (adj < -1000 || adj > 1000) {
            throw new IllegalArgumentException("oom_score_adj out of range: " + adj);
        }
        oomScoreAdj = adj;
    }

    public int oomScoreAdjMin() {
        return oomScoreAdjMin;
    }

    /** OOM_SCORE_ADJ_MIN -1000 .. OOM_SCORE_ADJ_MAX 1000. */
    public void setOomScoreAdjMin(int adj) {
        if (adj < -1000 || adj > 1000) {
            throw new IllegalArgumentException("oom_score_adj_min out of range: " + adj);
        }
        oomScoreAdjMin = adj;
    }

    public void keepMappedFile(OpenFile f) {
        f.retain();
        mappedFiles.add(f);
    }

    /** Mapped files for a fork child to keep open too. */
    public List<OpenFile> mappedFiles() {
        return Collections.unmodifiableList(mappedFiles);
    }

    public boolean hasExited() {
        return termination != null;
    }

    public Termination termination() {
        return termination;
    }

    public boolean isReaped() {
        return reaped;
    }

    public void markReaped() {
        reaped = true;
    }

    /** exit_group: the process ends with {@code code} (the first reason to end wins). */
    public void exit(int code) {
        if (termination == null) {
            termination = new Termination(code, null, current.cpu.pc);
        }
    }

    /** The process dies of a signal raised at {@code pc}. */
    public void kill(SignalInfo signal, long pc) {
        if (termination == null) {
            termination = new Termination(0, signal, pc);
        }
    }

    /**
     * Releases what the process holds: descriptors, mapped files, frames and page tables
     * (Linux exit_mm, exit_files). Idempotent.
     */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        residentAtExit = mm.isReleased() ? 0 : mm.pageTables().residentPages();
        if (releasesMm) {
            // Before the files: MAP_SHARED write-back still needs them open.
            mm.release();
        }
        for (OpenFile f : mappedFiles) {
            f.release();
        }
        mappedFiles.clear();
        if (releasesFiles) {
            files.closeAll();
        }
    }

    private boolean released;
    private long residentAtExit;
    private long vdsoSigreturn;
    /** False while another process shares the address space (vfork child) or the file table. */
    public boolean releasesMm = true;
    public boolean releasesFiles = true;

    /** User pages mapped when the process released its memory (RSS at exit). */
    public long residentAtExit() {
        return residentAtExit;
    }

    /** Address of __kernel_rt_sigreturn in the process's [vdso]. */
    public long vdsoSigreturn() {
        return vdsoSigreturn;
    }

    public void setVdsoSigreturn(long address) {
        vdsoSigreturn = address;
    }

    /** Whether the address space and files are gone (after exit or exec). */
    public boolean isReleased() {
        return released;
    }
}
