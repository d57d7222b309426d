package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.GuestException;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.HostInput;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.Pipe;
import a64emu.guest.syscall.SyscallNumbers;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Kswapd;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.TranslationRegime;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.guest.mm.Vmscan;
import a64emu.guest.sched.AsidAllocator;
import a64emu.guest.sched.Futex;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Scheduler;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalDelivery;
import a64emu.guest.signal.SignalFrame;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.Syscalls;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.zram.Zram;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Mmu;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The guest kernel: runs a static AArch64 Linux program and every process and thread it
 * creates, from the first exec until the first process ends (Linux's exception entry of
 * {@code arch/arm64/kernel/entry-common.c}, with the scheduler of {@code kernel/sched/}
 * choosing the thread between exceptions).
 *
 * <p>One emulated core: each thread has its own registers ({@link Cpu}) and all share the
 * core's MMU and TLB. A context switch installs the next process's translation tables and
 * ASID and clears the exclusive monitor; so does every return from an exception, as ERET
 * does. The run loop gives the thread a quantum of instructions; when it stops on an
 * exception the kernel dispatches on the exception class: SVC to the system calls,
 * instruction and data aborts to the page-fault handler (then the instruction is
 * retried), and undefined instructions, alignment faults and BRK to signals. Before a
 * thread returns to user space its pending signals are delivered.
 *
 * <p>Mistakes of the user (no such program, not a static AArch64 ELF) are one line on
 * stderr and status 127 or 126. A Java exception inside the run loop is an emulator bug:
 * one loud line with the guest PC and instruction word and status 134; the Java stack
 * trace is printed only with {@code A64EMU_DEBUG=1} in the environment.
 */
public final class Kernel {
    /** Instructions a thread runs before the scheduler may switch (its time slice). */
    public static final long QUANTUM = 1L << 18;
    /** The pid of the first process. Fixed and not 1, which is init with its special signal rules. */
    public static final int FIRST_PID = 4242;
    /** Its parent: the process that ran a64emu is not visible, so init, as for an orphan. */
    public static final int FIRST_PPID = 1;
    /** Linux's threads-max for this machine: no more tasks exist at once (fork gives EAGAIN). */
    public static final int MAX_THREADS = 1024;
    /** Linux pid_max: pids and tids wrap around below it. */
    public static final int PID_MAX = 32768;
    /** 16-bit ASIDs (TCR.AS=1). */
    public static final int ASID_BITS = 16;
    public static final int STATUS_NOT_FOUND = 127;
    public static final int STATUS_CANNOT_EXECUTE = 126;
    public static final int STATUS_EMULATOR_BUG = 134;
    /**
     * Every thread blocked forever: the run is ended as a watchdog would end it, with
     * SIGKILL's status, after a line naming what each thread waits for.
     */
    public static final int STATUS_DEADLOCK = 128 + Signal.SIGKILL;

    private final KernelConfig config;
    private final PrintStream diagnostics;
    private RunStats stats = RunStats.NONE;
    /** The debugging tools' view of the run (walk, ptdump, --trace-faults, --tlb-check). */
    private GuestEvents events = GuestEvents.NONE;

    // The machine and the kernel's tables, for one run.
    private Mmu mmu;
    private a64emu.jit.Jit jit;
    private FrameAllocator frames;
    private a64emu.guest.ipc.IpcNamespace ipc;
    /** Page reclaim, and its thread (kswapd0); zram0, the swap device, or null without swap. */
    private Vmscan vmscan;
    private Kswapd kswapd;
    private Zram zram;
    /** The process whose exception (fault, system call) the kernel is handling now, or null. */
    private Process inKernel;
    /** Kernel threads besides kswapd0, in the order they were started. */
    private final List<KernelThread> kernelThreads = new ArrayList<>();
    /** Whether {@link #run} mounts the host files read-only ({@link #setReadOnlyFiles}). */
    private boolean readOnlyFiles;
    /** The kernel's message buffer. */
    private final KernelLog kernelLog = new KernelLog(this::monotonicNanos);
    /** Who dies when reclaim cannot free enough. */
    private final OomKiller oomKiller = new OomKiller(this);
    /** Memory pressure stall information (/proc/pressure/memory); made at boot, on the kernel's clock. */
    private a64emu.guest.sched.Psi psi;
    private FileSystem fs;
    private final Scheduler scheduler = new Scheduler();
    /** Runs the threads: the guest's slices, kswapd0 and the other kernel threads. */
    private final RunLoop loop = new RunLoop(this);
    /** What the kernel does with each exception a thread takes. */
    private final ExceptionEntry exceptions = new ExceptionEntry(this);
    private final Futex futex = new Futex(scheduler);
    /** The high-resolution timers (timerfd's) on the scheduler's clock. */
    private final a64emu.guest.sched.HrTimers hrtimers = new a64emu.guest.sched.HrTimers();
    private final AsidAllocator asids = new AsidAllocator(ASID_BITS);
    private final SignalDelivery signals = new SignalDelivery(this);
    /** The AF_UNIX names bound in this kernel, and the wake-up of threads sleeping on sockets. */
    private final a64emu.guest.net.UnixNamespace unixSockets = new a64emu.guest.net.UnixNamespace(this::wakeChannel);
    /** What the guest's AF_INET and AF_INET6 sockets reach ({@code run --net}): the host's network by default. */
    private a64emu.guest.net.HostNetwork network = new a64emu.guest.net.HostNetwork(
            a64emu.guest.net.HostNetwork.Mode.HOST, unixSockets, this::wakeChannel);
    private final Map<Integer, Process> processes = new TreeMap<>();
    private final Map<Integer, Task> tasks = new TreeMap<>();
    private int lastPid = FIRST_PID;
    /** The tables TTBR0 holds now, or null when unknown (released, or being built). */
    private PageTables installedTables;
    private Task running;
    /** Users of an address space or file table shared by processes (vfork, CLONE_VM, CLONE_FILES). */
    private final Map<Object, Integer> sharers = new java.util.IdentityHashMap<>();
    // Totals of what exited threads and processes did, for the run's statistics.
    private long retiredInstructions;
    private long retiredSyscalls;
    private FaultCounts retiredFaults = FaultCounts.ZERO;

    /** The machine's boot on the host's monotonic clock. */
    private final long bootNanos = System.nanoTime();

    public Kernel(KernelConfig config) {
        this.config = config;
        kernelLog.addReader(m -> a64emu.guest.printk.Printk.of(this).logged());
        scheduler.setTimers(new Scheduler.Timers() {
            @Override
            public long earliest() {
                long e = hrtimers.earliest();
                for (Process p : processes.values()) {
                    if (p.realTimer.armed() && !p.hasExited()) {
                        e = Math.min(e, p.realTimer.deadline);
                    }
                }
                return e;
            }

            @Override
            public void fire(long now) {
                hrtimers.fire(now);
                for (Process p : List.copyOf(processes.values())) {
                    if (p.realTimer.due(now) && !p.hasExited()) {
                        // it_real_fn: SIGALRM to the process, re-armed by the interval.
                        p.realTimer.expire(now);
                        signals.sendToProcess(p, SignalInfo.fromKernel(Signal.SIGALRM, "ITIMER_REAL expired"));
                    }
                }
            }
        });
        scheduler.setHostEvents(new Scheduler.HostEvents() {
            @Override
            public boolean wakeReady() {
                boolean spurious = idleWakeRequested;
                idleWakeRequested = false;
                boolean waiting = false;
                // What the host's sockets report wakes their sleepers and pollers first.
                network.refresh();
                boolean onSocket = false;
                for (Task t : List.copyOf(scheduler.tasks())) {
                    if (t.state() != Task.State.BLOCKED) {
                        continue;
                    }
                    Task.Wait w = t.waitingFor();
                    onSocket |= w.channel instanceof a64emu.guest.net.InetSocket s && s.waitsForHost();
                    if (w.channel instanceof HostInput in) {
                        if (in.ready() || spurious) {
                            t.wake(0); // the read runs again: with no input yet, it sleeps again
                        } else {
                            waiting = true;
                        }
                    } else if (w.hostInput != null) {
                        // A poll that includes standard input: what arrived wakes its pollers.
                        if (!w.hostInput.announceArrivals() && spurious) {
                            t.wake(0);
                        }
                        waiting |= t.state() == Task.State.BLOCKED && w.hostInput.mayDeliver();
                    }
                }
                socketWaiters = network.awaited(onSocket);
                return waiting || socketWaiters;
            }

            @Override
            public void await(long nanos) {
                if (socketWaiters) {
                    // A host socket and perhaps standard input are awaited: the selector in short
                    // waits when input is awaited too (its own thread delivers it meanwhile).
                    boolean input = false;
                    for (Task t : scheduler.tasks()) {
                        Task.Wait w = t.state() == Task.State.BLOCKED ? t.waitingFor() : null;
                        input |= w != null && (w.channel instanceof HostInput || w.hostInput != null);
                    }
                    network.await(Math.min(nanos, input ? MIXED_POLL_NANOS : IDLE_POLL_NANOS));
                    return;
                }
                for (Task t : scheduler.tasks()) {
                    Task.Wait w = t.state() == Task.State.BLOCKED ? t.waitingFor() : null;
                    HostInput in = w == null ? null : w.channel instanceof HostInput h ? h : w.hostInput;
                    if (in != null) {
                        // In short waits, so that a wakeIdle() is seen while no input comes.
                        if (w.channel == in) {
                            in.await(Math.min(nanos, IDLE_POLL_NANOS));
                        } else {
                            in.awaitArrival(Math.min(nanos, IDLE_POLL_NANOS));
                        }
                        return;
                    }
                }
            }
        });
        this.diagnostics = new PrintStream(config.stderr(), true, StandardCharsets.UTF_8);
    }

    /** How long the idle wait for the host sleeps before it looks for a {@link #wakeIdle} again. */
    private static final long IDLE_POLL_NANOS = 50_000_000;
    /** The idle wait's turns when both a host socket and the host's standard input are awaited. */
    private static final long MIXED_POLL_NANOS = 5_000_000;
    /** Whether the last look found a thread or poller waiting for a host socket. */
    private boolean socketWaiters;
    private volatile boolean idleWakeRequested;
    private RunLimits runLimits = RunLimits.NONE;

    /**
     * Ends the scheduler's idle wait, when every guest thread sleeps on the host's standard
     * input, within {@link #IDLE_POLL_NANOS}; safe from any thread. The sleepers wake as after
     * a spurious wakeup and run their read again, which without input sleeps again: the run
     * loop gets to its next slice, where a debugger's interrupt is taken.
     */
    public void wakeIdle() {
        idleWakeRequested = true;
        network.wakeup();
    }

    /**
     * Mounts the guest's host files read-only for the next {@link #run} ({@code run --read-only}):
     * the root with {@code --root}, else the whole host file system as the guest sees it. See
     * {@link FileSystem#setReadOnly()}.
     */
    public void setReadOnlyFiles(boolean readOnly) {
        this.readOnlyFiles = readOnly;
    }

    /** The user's limits on the next {@link #run}: host time and instructions retired. */
    public void setRunLimits(RunLimits limits) {
        runLimits = java.util.Objects.requireNonNull(limits);
        loop.setLimits(limits);
    }

    /**
     * Ends the run from outside the guest (a signal to a64emu, a tool's own limit): at the
     * end of the running thread's stretch, or at once if every thread sleeps; {@link #run}
     * then returns {@code why}'s status after one line on stderr. Safe from any thread.
     */
    public void requestStop(RunStop why) {
        loop.requestStop(why);
        java.util.function.BiConsumer<RunStop, String> stuck = stuckStop;
        if (stuck != null && runActive) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(STOP_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (runActive) {
                    Task r = running;
                    long pc = r != null ? r.cpu.pc : 0;
                    stuck.accept(why, why.message(runLimits, loop.retired(), pc)
                            + ", blocked in a host call that did not return within " + STOP_GRACE_MILLIS + " ms");
                }
            }, "a64emu-stop-grace");
            t.setDaemon(true);
            t.start();
        }
    }

    /** How long a stop request may wait for a thread blocked in the host before {@link #setStuckStop}'s action. */
    public static final long STOP_GRACE_MILLIS = 1000;

    /**
     * What to do when a {@link #requestStop} is not honoured within {@link #STOP_GRACE_MILLIS}
     * because the guest's thread is blocked in a host call that cannot be interrupted (a hung
     * host device or network file system): the action gets the stop
     * and its one line. The command line ends a64emu there with the stop's status; with none
     * (the default, for embedding) the run waits.
     */
    public void setStuckStop(java.util.function.BiConsumer<RunStop, String> action) {
        stuckStop = action;
    }

    private volatile java.util.function.BiConsumer<RunStop, String> stuckStop;
    /** Whether {@link #run} is running the guest. */
    private volatile boolean runActive;

    /** Lets the debugging tools watch the next {@link #run}; {@link GuestEvents#NONE} to stop. */
    public void setEvents(GuestEvents events) {
        this.events = java.util.Objects.requireNonNull(events);
    }

    /** Who listens to the run's events ({@link GuestEvents#NONE} if nobody). */
    public GuestEvents events() {
        return events;
    }

    /** What the last {@link #run} cost. */
    public RunStats stats() {
        return stats;
    }

    public KernelConfig config() {
        return config;
    }

    public Mmu mmu() {
        return mmu;
    }

    public FrameAllocator frames() {
        return frames;
    }

    /**
     * Starts a kernel thread: from now on the scheduler runs it whenever it has work,
     * between the guest's slices.
     */
    public void addKernelThread(KernelThread t) {
        kernelThreads.add(t);
    }

    /** The kernel threads besides kswapd0, in the order they were started. */
    public List<KernelThread> kernelThreads() {
        return Collections.unmodifiableList(kernelThreads);
    }

    /** A kernel thread woke: the running thread gives up the CPU at its next return from the kernel. */
    public void requestResched() {
        loop.requestResched();
    }

    /**
     * SIGKILL to free memory (the OOM killer's and lmkd's kills). A process whose kernel path
     * is running now (its fault or system call is being handled, or it shares that process's
     * memory) cannot have its memory torn down under it: it dies on its way back to user space
     * instead, and false says no memory was freed yet. Any other process ends at once.
     */
    public boolean killForMemory(Process victim, SignalInfo kill) {
        Process busy = inKernel;
        if (busy != null && (victim == busy || victim.mm == busy.mm)) {
            victim.user.killOnReturn(kill);
            if (victim != busy) {
                busy.user.killOnReturn(kill);
            }
            return false;
        }
        signals.sendToProcess(victim, kill);
        return true;
    }

    /**
     * Threads that could run now besides {@code stalled} (null for none) and, unless
     * {@code stalledIsKswapd}, kswapd: PSI's test of whether a stall is full.
     */
    int othersRunnable(Task stalled, boolean stalledIsKswapd) {
        int n = 0;
        for (Task t : scheduler.tasks()) {
            if (t != stalled && t.state() == Task.State.RUNNABLE && !t.process.stopped) {
                n++;
            }
        }
        if (!stalledIsKswapd && kswapd.runnable()) {
            n++;
        }
        return n;
    }

    /** Memory pressure stall information. */
    public a64emu.guest.sched.Psi psi() {
        return psi;
    }

    /** The OOM killer. */
    public OomKiller oomKiller() {
        return oomKiller;
    }

    /** The kernel's message buffer (dmesg). */
    public KernelLog kernelLog() {
        return kernelLog;
    }

    /** The machine's page reclaim (swappiness, kswapd's state). */
    public Vmscan vmscan() {
        return vmscan;
    }

    /** kswapd0. */
    public Kswapd kswapd() {
        return kswapd;
    }

    /** zRAM when it held the most pages so far, for --stats. */
    private MemoryPressureStats.Zram zramPeak;

    private void noteZramPeak() {
        if (zramPeak == null || zram.pagesStored() > zramPeak.pagesStored()) {
            zramPeak = new MemoryPressureStats.Zram(zram.disksize(), zram.pagesStored(), zram.comprDataSize(),
                    zram.memUsedTotal(), zram.samePages(), zram.hugePages(), zram.memUsedMax());
        }
    }

    /** The run's reclaim, swap and zRAM figures. */
    private MemoryPressureStats memoryPressureStats(FaultCounts faults) {
        VmEvents e = frames.events();
        MemoryPressureStats.Zram z = zramPeak;
        if (zram != null) {
            z = z == null ? new MemoryPressureStats.Zram(zram.disksize(), 0, 0, 0, 0, 0, zram.memUsedMax())
                    : new MemoryPressureStats.Zram(z.disksize(), z.pagesStored(), z.comprDataSize(), z.memUsedTotal(),
                            z.samePages(), z.hugePages(), zram.memUsedMax());
        }
        return new MemoryPressureStats(e.get(Event.PGSCAN_KSWAPD),
                e.get(Event.PGSCAN_DIRECT), e.get(Event.PGSTEAL_KSWAPD),
                e.get(Event.PGSTEAL_DIRECT), e.get(Event.KSWAPD_WAKEUPS),
                e.get(Event.ALLOCSTALL_MOVABLE) + e.get(Event.ALLOCSTALL_NORMAL), e.get(Event.PSWPOUT),
                e.get(Event.PSWPIN), e.get(Event.PGMAJFAULT),
                faults.swapCache(), faults.agedAccessFlag(),
                e.get(Event.WORKINGSET_REFAULT_ANON),
                e.get(Event.WORKINGSET_REFAULT_FILE), z);
    }

    /** zram0, or null when the run has no swap. */
    public Zram zram() {
        return zram;
    }

    public AsidAllocator asids() {
        return asids;
    }

    public Futex futex() {
        return futex;
    }

    public a64emu.guest.sched.HrTimers hrtimers() {
        return hrtimers;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public a64emu.guest.net.UnixNamespace unixSockets() {
        return unixSockets;
    }

    public a64emu.guest.net.HostNetwork network() {
        return network;
    }

    /**
     * The network the next {@link #run}'s AF_INET and AF_INET6 sockets reach ({@code run --net}):
     * the host's, or {@link a64emu.guest.net.HostNetwork.Mode#NONE}, a network namespace with no
     * interface up. Set before the run, while no socket is open.
     */
    public void setNetwork(a64emu.guest.net.HostNetwork.Mode mode) {
        network = new a64emu.guest.net.HostNetwork(mode, unixSockets, this::wakeChannel);
    }

    /** The System V IPC and POSIX message queue namespace of this kernel, or null before boot. */
    public a64emu.guest.ipc.IpcNamespace ipc() {
        return ipc;
    }

    /** The thread group in the kernel now (handling its call or fault, or running), 0 for none. */
    private int currentTgid() {
        Process p = inKernel != null ? inKernel : running == null ? null : running.process;
        return p == null ? 0 : p.pid;
    }

    public SignalDelivery signals() {
        return signals;
    }

    public PrintStream diagnostics() {
        return diagnostics;
    }

    /** The kernel's CLOCK_MONOTONIC: nanoseconds since boot, including time skipped while all slept. */
    public long monotonicNanos() {
        return scheduler.now() - bootNanos;
    }

    /** Nanoseconds the clock jumped forward while every thread slept. */
    public long sleptNanos() {
        return scheduler.skipped();
    }

    /**
     * nanosleep for {@code t}: it sleeps until the deadline on the kernel's clock (the
     * result 0 then), or a signal ends it with EINTR and the time left written to {@code rem}.
     */
    public long sleep(Task t, long nanos, long rem) {
        long now = scheduler.now();
        long deadline = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        Task.Wait w = new Task.Wait("nanosleep", deadline, 0, false);
        w.remainderAddress = rem;
        t.block(w);
        return 0;
    }

    /** The processes that exist (running, sleeping, or zombies not yet reaped), by pid. */
    public Collection<Process> processes() {
        return Collections.unmodifiableCollection(processes.values());
    }

    /** The process with {@code pid}, or null. */
    public Process process(int pid) {
        return processes.get(pid);
    }

    /** The thread with {@code tid}, or null. */
    public Task task(int tid) {
        return tasks.get(tid);
    }

    /** Live threads in the system (for the task limit). */
    public int taskCount() {
        return tasks.size();
    }

    /**
     * Linux alloc_pid: the next unused number after the last one given, wrapping to 300
     * (RESERVED_PIDS) at pid_max; -1 if every number is taken.
     */
    int allocatePid() {
        int candidate = lastPid;
        for (int i = 0; i < PID_MAX; i++) {
            candidate = candidate + 1 >= PID_MAX ? 300 : candidate + 1;
            if (!tasks.containsKey(candidate) && !processes.containsKey(candidate)) {
                lastPid = candidate;
                return candidate;
            }
        }
        return -1;
    }

    void register(Process p) {
        processes.put(p.pid, p);
        p.kernel = this;
        if (p.startBoottimeNanos < 0) {
            p.startBoottimeNanos = monotonicNanos();
        }
    }

    /** The pid allocated last (what /proc/loadavg shows last, Linux's pid cursor minus one). */
    public int lastPid() {
        return lastPid;
    }

    /**
     * Page faults of every process since boot, by kind: those of released address spaces and
     * those of the live ones, each fault handler counted once however many processes share it.
     */
    public FaultCounts faultCounts() {
        FaultCounts sum = retiredFaults;
        java.util.Set<FaultHandler> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Process p : processes.values()) {
            if (!p.isReleased() && seen.add(p.faults)) {
                sum = sum.plus(p.faults.counts());
            }
        }
        return sum;
    }

    void register(Task t) {
        tasks.put(t.tid, t);
        scheduler.add(t);
    }

    /** The JIT running the guest's hot code, or null when every instruction is interpreted. */
    public a64emu.jit.Jit jit() {
        return jit;
    }

    /**
     * Runs {@code program} with {@code argv} (argv[0] included; an empty list gives the
     * program path as argv[0]) and the environment {@code envp} ("NAME=value" strings).
     * Returns the exit status as a shell reports it: the exit code, or 128 + signal.
     */
    public int run(Path program, List<String> argv, List<String> envp) {
        String programPath = program.toString();
        PhysicalMemory ram = new PhysicalMemory(config.ramBytes());
        mmu = new Mmu(ram);
        frames = new FrameAllocator(ram);
        ipc = new a64emu.guest.ipc.IpcNamespace(frames, this::wakeChannel, this::currentTgid,
                () -> Math.floorDiv(java.time.Instant.now().toEpochMilli() * 1_000_000L + sleptNanos(), 1_000_000_000L));
        ipc.mqueue().setSignalSender((owner, image, signo, value, pid, uid) -> {
            Process p = processes.get(owner);
            // __do_notify: only to the image that registered (an execve replaces the Process).
            if (p != null && p == image && !p.hasExited()) {
                signals.sendToProcess(p, new SignalInfo(signo, Signal.SI_MESGQ, SignalInfo.NO_ADDRESS,
                        "message queue notification", pid, uid, value, 0));
            }
        });
        vmscan = new Vmscan(frames);
        vmscan.setSwappiness(config.memory().swappiness());
        vmscan.setKernelLog(line -> kernelLog.log(KernelLog.ALERT, line));
        kswapd = new Kswapd(vmscan, frames.events(), this::monotonicNanos);
        kswapd.setPreempt(loop::requestResched);
        zram = Swapon.zram0(config.zramBytes(), frames, vmscan,
                () -> monotonicNanos() / a64emu.guest.sched.Scheduler.TICK_NANOS, this::noteZramPeak);
        psi = new a64emu.guest.sched.Psi(this::monotonicNanos);
        frames.setMemoryStall(nanos -> psi.stalled(nanos, othersRunnable(running, false) == 0));
        frames.setCondResched(loop::condResched);
        if (config.memory().lmk().enabled()) {
            // Android's lmkd, started at boot as init starts it (here a kernel thread of the guest kernel).
            addKernelThread(new a64emu.guest.lmk.Lmkd(this, config.memory().lmk()));
        }
        frames.setOutOfMemoryHandler((kind, order) -> {
            Process current = inKernel != null ? inKernel : running == null ? null : running.process;
            String gfp = switch (kind) {
                case PAGE_TABLE -> OomKiller.GFP_PAGE_TABLE;
                case ANON, FILE, SHMEM -> OomKiller.GFP_USER_PAGE;
                default -> OomKiller.GFP_KERNEL;
            };
            if (current != null && OomKiller.willFreeMemory(current)) {
                return false; // a dying process's allocation fails; its exit frees memory
            }
            for (KernelThread k : List.copyOf(kernelThreads)) {
                if (k.beforeOutOfMemory(monotonicNanos())) {
                    return true;
                }
            }
            return oomKiller.outOfMemory(current, gfp, order) == OomKiller.Outcome.KILLED_OTHER;
        });
        try {
            fs = new FileSystem(config.root(), config.root() == null ? System.getProperty("user.dir") : "/");
        } catch (IllegalArgumentException e) {
            return fail(STATUS_CANNOT_EXECUTE, "a64emu: cannot use root '" + config.root() + "': " + e.getMessage());
        }
        if (readOnlyFiles) {
            fs.setReadOnly();
        }
        // /proc is the kernel's own in both modes: the guest never sees the JVM's /proc.
        a64emu.guest.proc.KernelProcesses procView = new a64emu.guest.proc.KernelProcesses(this);
        fs.mount(new a64emu.guest.proc.ProcFs(procView, procView, frames));
        fs.mount(new a64emu.guest.sys.SysFs(procView, zram));
        fs.mount(a64emu.guest.dev.Devtmpfs.of(this, procView));
        // read(2)/write(2)/ftruncate(2) stay coherent with mapped pages through the page cache.
        fs.attachPageCache(OpenFilePages.coherence(frames.pageCache()));
        fs.attachWaker(this::wakeChannel); // named pipes' sleepers
        OpenFile exe;
        try {
            exe = fs.openForExec(programPath);
        } catch (ErrnoException e) {
            int status = e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR
                    ? STATUS_NOT_FOUND : STATUS_CANNOT_EXECUTE;
            return fail(status, "a64emu: cannot run '" + programPath + "': " + strerror(e.errno()));
        }
        try {
            return runProgram(programPath, exe, argv, envp);
        } catch (RuntimeException | Error e) {
            // A failure while loading, before the first instruction ran.
            return emulatorBug(null, e);
        } finally {
            exe.release();
        }
    }

    private int runProgram(String programPath, OpenFile exe, List<String> argv, List<String> envp) {
        InitialStack.Credentials credentials = hostCredentials();
        SplittableRandom random = new SplittableRandom(config.seed());
        List<String> args = argv.isEmpty() ? List.of(programPath) : argv;
        Exec.Image image;
        try {
            image = Exec.load(this, exe, programPath, args, envp, credentials, random);
        } catch (Exec.ExecFailure e) {
            // As a shell reports execve's errors: ENOENT (a missing interpreter) is 127.
            int status = e.errno == Errno.ENOENT ? STATUS_NOT_FOUND : STATUS_CANNOT_EXECUTE;
            return fail(status, "a64emu: cannot run '" + programPath + "': " + e.getMessage());
        }
        Cpu cpu = new Cpu(mmu);
        if (config.jit() != null) {
            jit = new a64emu.jit.Jit(mmu, config.jit());
            cpu.setEngine(jit);
        }
        FileTable files = new FileTable(fs, config.stdin(), config.stdout(), config.stderr(), exe.guestPath());
        Process init = new Process(FIRST_PID, FIRST_PPID, credentials, cpu, image.mm(), frames, image.faults(),
                image.user(), files, new a64emu.guest.signal.SignalActions(), random, Process.defaultLimits());
        init.setVdsoSigreturn(image.vdsoSigreturn());
        init.setComm(exe.guestPath());
        init.keepMappedFile(exe);
        if (image.interpreter() != null) {
            init.keepMappedFile(image.interpreter());
            image.interpreter().release();
        }
        init.syscalls = new Syscalls(init, diagnostics);
        register(init);
        register(init.leader());
        cpu.sp = image.sp();
        cpu.pc = image.entry();
        cpu.x[0] = 0;
        events.processStarted(init);

        long started = System.nanoTime();
        int status;
        Task last = null;
        runActive = true;
        Thread watchdog = startTimeout();
        try {
            last = loop.schedule();
            RunStop stop = loop.stop();
            status = stop != null ? stopped(stop, last != null ? last.cpu : cpu)
                    : last == null ? STATUS_DEADLOCK : report(processes.get(FIRST_PID));
        } catch (RuntimeException | Error e) {
            // Every Java failure of the run, OutOfMemoryError included (the guest's memory is
            // emulated RAM, so a JVM out of heap is a64emu's failure, never the guest's).
            status = emulatorBug(running != null ? running.cpu : cpu, e);
        } finally {
            runActive = false;
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
        long nanos = System.nanoTime() - started;
        Process first = processes.getOrDefault(FIRST_PID, init);
        long residentAtExit = first.isReleased() ? first.residentAtExit() : first.mm.pageTables().residentPages();
        long peakResident = first.mm.pageTables().peakResidentPages();
        // The run ends with the first process: the others are killed, as init's death would.
        for (Process p : new ArrayList<>(processes.values())) {
            finishProcess(p);
        }
        network.close();
        stats = new RunStats(retiredInstructions, nanos, mmu.tlb().counts(), retiredFaults,
                residentAtExit, peakResident, retiredSyscalls, memoryPressureStats(retiredFaults));
        return status;
    }

    /** Makes {@code t} the running thread: its process's tables and ASID, a clear monitor. */
    void switchTo(Task t) {
        PageTables pt = t.process.mm.pageTables();
        if (installedTables != pt) {
            installAddressSpace(pt);
        }
        if (running != t) {
            t.cpu.clearExclusive();
        }
        running = t;
        t.process.current = t;
    }

    /** Linux cpu_switch_mm: TTBR0 with the tables, TTBR1 with the ASID (TCR.A1=1). */
    void installAddressSpace(PageTables pt) {
        TranslationRegime.install(mmu, pt, config.memory().hardwareAccessFlag());
        installedTables = pt;
    }

    /**
     * Runs {@code r} with {@code p}'s address space installed (the kernel touching another
     * process's user memory, as Linux does through that mm), then puts the previous back.
     */
    public void withAddressSpace(Process p, Runnable r) {
        PageTables before = installedTables;
        PageTables pt = p.mm.pageTables();
        if (before == pt) {
            r.run();
            return;
        }
        installAddressSpace(pt);
        try {
            r.run();
        } finally {
            // A table set released meanwhile was dropped from installedTables already.
            if (before != null) {
                installAddressSpace(before);
            } else {
                installedTables = null;
            }
        }
    }

    /** fs.aio-nr against fs.aio-max-nr. */
    private final a64emu.guest.aio.AioLimits aioLimits = new a64emu.guest.aio.AioLimits();

    public a64emu.guest.aio.AioLimits aioLimits() {
        return aioLimits;
    }

    /** kcmp's order of kernel objects, scrambled once per run. */
    private final Kcmp kcmp = new Kcmp(new SplittableRandom(System.nanoTime()));

    public Kcmp kcmp() {
        return kcmp;
    }

    /** Whether another process uses {@code resource} too (an address space or a file table). */
    public boolean isShared(Object resource) {
        return sharers.containsKey(resource);
    }

    /** The process stops using the shared {@code resource} without releasing it (unshare). */
    public void leave(Object resource) {
        unshare(resource);
    }

    /** One more process uses {@code resource} (an address space or a file table). */
    void share(Object resource) {
        sharers.merge(resource, 2, (old, one) -> old + 1);
    }

    /** A process stops using {@code resource}; true if it was the last. */
    private boolean unshare(Object resource) {
        Integer n = sharers.get(resource);
        if (n == null) {
            return true;
        }
        if (n <= 2) {
            sharers.remove(resource);
        } else {
            sharers.put(resource, n - 1);
        }
        return false;
    }

    public Task running() {
        return running;
    }

    void handleException(Task t, ExceptionInfo ex) {
        Process before = inKernel;
        inKernel = t.process;
        try {
            exceptions.dispatch(t, ex);
        } finally {
            inKernel = before;
        }
    }

    /** A child changed state: the parent's threads in wait4/waitid look again. */
    public void wakeWaitingParent(Process parent) {
        Exit.wakeWaiters(parent);
    }

    /** Wakes every thread sleeping on {@code channel}; each runs its call again. */
    public void wakeChannel(Object channel) {
        for (Task t : scheduler.tasks()) {
            Task.Wait w = t.waitingFor();
            if (t.state() == Task.State.BLOCKED && w.channel == channel) {
                t.wake(0);
            }
        }
    }

    /**
     * The whole process ends (Linux do_group_exit): every thread stops, the first reason
     * to end is kept, and the process becomes a zombie for its parent to reap.
     */
    public void groupExit(Process p, Process.Termination why) {
        if (!p.hasExited()) {
            if (why.signal() != null) {
                p.kill(why.signal(), why.pc());
            } else {
                p.exit(why.exitCode());
            }
        }
        for (Task t : new ArrayList<>(p.threads())) {
            if (t.isAlive()) {
                exitThread(t);
            }
        }
    }

    /**
     * One thread ends (Linux do_exit for a task): its clear_child_tid is zeroed and woken
     * (pthread_join), its robust futexes released; when it is the last, the process ends.
     */
    public void exitThread(Task t) {
        Process p = t.process;
        futex.forget(t);
        if ((t.clearChildTid != 0 || t.robustListHead != 0) && !p.isReleased() && !p.mm.isReleased()) {
            // The dying thread touches its own memory (a swapped-out robust list faults in): on
            // Linux it does so itself, so an allocation there is the dying task's, which the OOM
            // killer lets fail rather than kill anyone (task_will_free_mem). Here the killer's
            // context (lmkd, the OOM killer, another process's kill) runs it: account it to p.
            Process before = inKernel;
            inKernel = p;
            try {
                Exit.releaseThreadFutexes(this, t);
            } finally {
                inKernel = before;
            }
        }
        retiredInstructions += t.cpu.instructions;
        t.markDead();
        scheduler.remove(t);
        tasks.remove(t.tid);
        if (t != p.leader()) {
            p.removeThread(t);
        }
        if (p.allThreadsDead()) {
            if (!p.hasExited()) {
                p.exit(0);
            }
            Exit.exitProcess(this, p);
        }
    }

    /** Releases a process's memory and files and forgets it (run end, or reaped). */
    void finishProcess(Process p) {
        for (Task t : new ArrayList<>(p.threads())) {
            if (t.isAlive()) {
                discardThread(t);
            }
        }
        releaseProcess(p);
        processes.remove(p.pid);
    }

    /** exit_mm and exit_files, once, with the statistics kept. */
    void releaseProcess(Process p) {
        if (p.isReleased()) {
            return;
        }
        if (p.syscalls != null) {
            retiredSyscalls += p.syscalls.count();
        }
        PageTables pt = p.mm.pageTables();
        events.processExiting(p);
        p.posixTimers.deleteAll(); // exit_itimers
        p.releasesMm = unshare(p.mm);
        if (p.releasesMm) {
            // A vfork child shares its parent's address space and fault handler: the
            // handler's counts are retired once, by the last process using them.
            retiredFaults = retiredFaults.plus(p.faults.counts());
        }
        if (p.releasesMm) {
            p.aio.killAll(); // exit_aio
        }
        p.releasesFiles = unshare(p.files);
        // exit_mm runs in the dying (or exec'ing) process: the pids shm records are its own.
        Process before = inKernel;
        inKernel = p;
        try {
            p.release();
        } finally {
            inKernel = before;
        }
        if (p.releasesMm) {
            asids.free(pt.asid());
            if (installedTables == pt) {
                installedTables = null;
            }
        }
    }

    /** Forgets a reaped zombie. */
    void forget(Process p) {
        processes.remove(p.pid);
    }

    /**
     * execve's switch from {@code old} to {@code fresh} under the same pid: the old threads
     * end without a trace (Linux de_thread), the old image is released, and the new
     * leader runs.
     */
    void replaceByExec(Process old, Process fresh) {
        for (Task t : new ArrayList<>(old.threads())) {
            if (t.isAlive()) {
                discardThread(t);
            }
        }
        fresh.inheritUsage(old);
        releaseProcess(old);
        register(fresh);
        register(fresh.leader());
        switchTo(fresh.leader());
    }

    /** Ends one thread without its exit work (the other threads of an execve). */
    private void discardThread(Task t) {
        retiredInstructions += t.cpu.instructions;
        futex.forget(t);
        t.markDead();
        scheduler.remove(t);
        tasks.remove(t.tid);
    }

    /** How many blocked threads the deadlock line names before it only counts the rest. */
    static final int DEADLOCK_THREADS_NAMED = 8;

    void reportDeadlock() {
        StringBuilder b = new StringBuilder("a64emu: deadlock: every thread is blocked forever:");
        List<Task> blocked = List.copyOf(scheduler.blocked());
        // One line stays readable after a fork bomb: the first few threads, then a count.
        for (Task t : blocked.subList(0, Math.min(blocked.size(), DEADLOCK_THREADS_NAMED))) {
            b.append(' ').append(t.tid).append(" (").append(t.process.comm()).append(") in ")
                    .append(t.waitingFor().reason).append(';');
        }
        b.setLength(b.length() - 1);
        if (blocked.size() > DEADLOCK_THREADS_NAMED) {
            b.append("; and ").append(blocked.size() - DEADLOCK_THREADS_NAMED).append(" more threads");
        }
        diagnostics.println(b);
        diagnostics.flush();
    }

    /** --timeout's timer: a daemon thread that ends the run when the time is up; null if none. */
    private Thread startTimeout() {
        if (!runLimits.hasTimeout()) {
            return null;
        }
        long deadline = System.nanoTime() + runLimits.timeoutNanos();
        Thread t = new Thread(() -> {
            try {
                for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
                }
                requestStop(RunStop.TIMEOUT);
            } catch (InterruptedException runEnded) {
                // the guest ended first
            }
        }, "a64emu-timeout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Says why the run was ended from outside and where the guest was; returns the status. */
    private int stopped(RunStop stop, Cpu cpu) {
        return fail(stop.status, stop.message(runLimits, loop.retired(), cpu.pc));
    }

    /** Prints the fatal signal's diagnosis, if the process died of one, and returns the shell status. */
    private int report(Process process) {
        Process.Termination t = process.termination();
        if (t.signal() != null) {
            SignalInfo s = t.signal();
            diagnostics.println("a64emu: " + s.diagnosis(t.pc()));
            diagnostics.flush();
        }
        return t.shellStatus();
    }

    /**
     * Reports a Java exception escaping the kernel or the CPU: one line naming the guest PC
     * and the instruction word there, the stack trace only with A64EMU_DEBUG=1.
     */
    private int emulatorBug(Cpu cpu, Throwable e) {
        String where = cpu == null ? "while loading the program"
                : String.format("at pc=0x%x (instruction %s)", cpu.pc, instructionWord(cpu));
        boolean debug = "1".equals(System.getenv("A64EMU_DEBUG"));
        diagnostics.println("a64emu: emulator bug " + where + ": " + e
                + (debug ? "" : " (A64EMU_DEBUG=1 prints the Java stack trace)"));
        if (debug) {
            e.printStackTrace(diagnostics);
        }
        diagnostics.flush();
        return STATUS_EMULATOR_BUG;
    }

    /** The instruction word at the PC for a bug report, or why it cannot be read. */
    private static String instructionWord(Cpu cpu) {
        try {
            return String.format("0x%08x", cpu.ram.read32(cpu.mmu.translate(cpu.pc, AccessType.EXECUTE)));
        } catch (GuestException unreadable) {
            return "unreadable: " + unreadable.getMessage();
        }
    }

    private int fail(int status, String line) {
        diagnostics.println(line);
        diagnostics.flush();
        return status;
    }

    /** The host user's ids, which the guest sees as its own (as under qemu-aarch64). */
    private static InitialStack.Credentials hostCredentials() {
        com.sun.security.auth.module.UnixSystem unix = new com.sun.security.auth.module.UnixSystem();
        java.util.List<Long> groups = new java.util.ArrayList<>();
        for (long g : unix.getGroups()) {
            groups.add(g);
        }
        return new InitialStack.Credentials(unix.getUid(), unix.getUid(), unix.getUid(), unix.getUid(), unix.getGid(),
                unix.getGid(), unix.getGid(), unix.getGid(), groups);
    }

    /** The first process's file system (its interpreter and sysroot are looked up there). */
    FileSystem fileSystem() {
        return fs;
    }

    /** strerror(3) wording for the errors a program lookup can give. */
    static String strerror(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "No such file or directory";
            case Errno.EACCES -> "Permission denied";
            case Errno.ENOTDIR -> "Not a directory";
            case Errno.ELOOP -> "Too many levels of symbolic links";
            case Errno.ENAMETOOLONG -> "File name too long";
            case Errno.EISDIR -> "Is a directory";
            case Errno.EIO -> "Input/output error";
            default -> Errno.name(errno);
        };
    }
}
