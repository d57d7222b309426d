package a64emu.tools.debug;

import a64emu.cpu.Cpu;
import a64emu.cpu.DebugHooks;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.mm.FaultCounts;
import a64emu.tools.FaultOutcome;
import a64emu.guest.mm.Vma;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.mmu.Fault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A run under a debugger: the kernel runs the guest, this listener turns its events into
 * stops, and at each stop the {@link Frontend} (the console, or the gdb stub) looks at the
 * machine and says how to go on. Everything happens on the emulator's thread: a stop is the
 * front end's {@link Frontend#stopped} call, and the guest is frozen until it returns.
 *
 * <p>Breakpoints, single step and watchpoints are the CPU's {@link DebugHooks} (one set for
 * every thread): nothing is written into the guest's memory, so text pages, their checksums
 * and /proc/PID/smaps stay as they are. Stops are made at the run loop's events only, so
 * they hold for any engine that executes the code.
 *
 * <p>What stops the guest: a breakpoint, the end of a step, a watchpoint, a signal about to be
 * delivered that {@code stopOnSignal} accepts (by default every fault the kernel turns into
 * a signal, before it is delivered), every MMU fault when {@code stopOnPageFaults}, and
 * {@link #interrupt} (from any thread: the user's Ctrl-C, gdb's break packet).
 */
public final class DebugSession implements GuestEvents {
    /** Why the guest stopped. */
    public enum Reason {
        /** Loaded, before its first instruction. */
        STARTED,
        /** Before the instruction at a breakpoint. */
        BREAKPOINT,
        /** After one instruction of a step. */
        STEPPED,
        /** After an instruction that accessed a watched range. */
        WATCHPOINT,
        /** A signal is about to be delivered ({@link Stop#signal}). */
        SIGNAL,
        /** An MMU fault before the kernel handles it ({@code --stop-on page-fault}). */
        PAGE_FAULT,
        /** {@link #interrupt}: the user asked for a stop. */
        INTERRUPTED
    }

    /**
     * A stop.
     *
     * @param reason    why
     * @param thread    the thread that stopped (its registers are the CPU's now)
     * @param exception the exception behind it (breakpoint, step, watchpoint, MMU fault), or null
     * @param signal    the signal about to be delivered ({@link Reason#SIGNAL}), or null
     * @param watch     what a watchpoint saw ({@link Reason#WATCHPOINT}), or null
     */
    public record Stop(Reason reason, Task thread, ExceptionInfo exception, SignalInfo signal, WatchReport watch) {}

    /**
     * A watchpoint hit: the access at {@code address} ({@code write} or read) by the instruction
     * at {@code pc}, with the watched range's value before and after (little-endian, at most 8
     * bytes from the watchpoint's start).
     */
    public record WatchReport(DebugHooks.Watchpoint watchpoint, long address, boolean write, long pc,
                              long oldValue, long newValue) {}

    /** How to go on after a stop. */
    public enum Action { CONTINUE, STEP, KILL, DETACH }

    /**
     * The front end's answer.
     *
     * @param action what to do
     * @param tid    for STEP, the thread to step (0: the stopped one)
     * @param signal at a SIGNAL stop, the signal to deliver: the one stopped for
     *               ({@link #DELIVER}), 0 for none, or another number
     */
    public record Resume(Action action, int tid, int signal) {
        /** Deliver the signal the thread stopped for. */
        public static final int DELIVER = -1;

        public static Resume proceed() {
            return new Resume(Action.CONTINUE, 0, DELIVER);
        }

        public static Resume step() {
            return new Resume(Action.STEP, 0, DELIVER);
        }
    }

    /** The console or the gdb stub. All calls come on the emulator's thread. */
    public interface Frontend {
        /** The guest is stopped; returns how to go on. */
        Resume stopped(Stop stop);

        /** {@code process} is exiting (its memory still there); the guest is not stopped. */
        default void exited(Process process) {}

        /** {@code child} was made by {@code parent}: a new thread or a new process. */
        default void created(Task parent, Task child) {}

        /** {@code after} replaced {@code before} by execve. */
        default void execed(Process before, Process after) {}
    }

    /**
     * The last MMU fault a thread took: where, the VMA it hit (null if none), and the fault
     * handler's counts before and, once the kernel has handled it, after.
     */
    public record LastFault(Task thread, ExceptionInfo exception, Vma vma, FaultCounts before, FaultCounts after,
                            SignalInfo signal) {
        /** The fault record (kind, level, WnR, FAR). */
        public Fault fault() {
            return exception.fault();
        }

        /** What the kernel did, in words, or null while it has not handled it yet. */
        public String outcome() {
            if (signal != null) {
                return "the kernel sends " + Signal.name(signal.signo()) + " ("
                        + (signal.detail() == null ? "code " + signal.code() : signal.detail()) + ")";
            }
            if (after == null) {
                return null;
            }
            return "the kernel resolved it: " + FaultOutcome.describe(before, after);
        }
    }

    private final Kernel kernel;
    private final GuestEvents next;
    private final DebugHooks hooks = new DebugHooks();
    private Frontend frontend;
    private Predicate<SignalInfo> stopOnSignal = DebugSession::isFaultSignal;
    private boolean stopOnPageFaults;
    private volatile boolean interruptRequested;
    private boolean detached;
    private Process first;
    /** The thread a step runs, or 0. */
    private int steppingTid;
    private Task selected;
    private LastFault lastFault;
    private final Map<DebugHooks.Watchpoint, Long> watchedValues = new LinkedHashMap<>();
    private final Map<DebugHooks.Watchpoint, Process> watchedProcess = new LinkedHashMap<>();

    /** A session on {@code kernel}'s next run; {@code next} keeps hearing every event. */
    public DebugSession(Kernel kernel, Frontend frontend, GuestEvents next) {
        this.kernel = Objects.requireNonNull(kernel);
        this.frontend = Objects.requireNonNull(frontend);
        this.next = next == null ? GuestEvents.NONE : next;
        kernel.setEvents(this);
    }

    /** Whether {@code s} is a fault the kernel turned into a signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
    public static boolean isFaultSignal(SignalInfo s) {
        int n = s.signo();
        return (n == Signal.SIGSEGV || n == Signal.SIGBUS || n == Signal.SIGILL || n == Signal.SIGFPE
                || n == Signal.SIGTRAP) && s.code() > 0;
    }

    /** Which signals stop the guest before delivery (default: {@link #isFaultSignal}). */
    public void setStopOnSignal(Predicate<SignalInfo> which) {
        stopOnSignal = Objects.requireNonNull(which);
    }

    /** Stop at every MMU fault, those the kernel resolves too (demand paging, COW, access flag). */
    public void setStopOnPageFaults(boolean on) {
        stopOnPageFaults = on;
    }

    public void setFrontend(Frontend f) {
        frontend = Objects.requireNonNull(f);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The first process of the run (null before it starts). */
    public Process firstProcess() {
        return first;
    }

    /**
     * Stop at the next chance (between two slices of the guest): safe from any thread. While
     * every thread waits for the host's standard input there is no next slice until input
     * comes, so the kernel's idle wait is woken to make one.
     */
    public void interrupt() {
        interruptRequested = true;
        kernel.wakeIdle();
    }

    // ---- breakpoints and watchpoints -----------------------------------------------------

    public void addBreakpoint(long va) {
        hooks.addBreakpoint(va);
    }

    public boolean removeBreakpoint(long va) {
        return hooks.removeBreakpoint(va);
    }

    public boolean hasBreakpoint(long va) {
        return hooks.hasBreakpoint(va);
    }

    /**
     * Watches [address, address + length) of {@code process}'s memory for {@code kind}
     * accesses; the value there now is what the first hit reports as old.
     */
    public DebugHooks.Watchpoint addWatchpoint(Process process, long address, long length,
                                               DebugHooks.WatchKind kind) {
        DebugHooks.Watchpoint w = new DebugHooks.Watchpoint(address, length, kind);
        hooks.addWatchpoint(w);
        watchedProcess.put(w, process);
        watchedValues.put(w, valueOf(process, w));
        return w;
    }

    public boolean removeWatchpoint(DebugHooks.Watchpoint w) {
        watchedValues.remove(w);
        watchedProcess.remove(w);
        return hooks.removeWatchpoint(w);
    }

    public List<DebugHooks.Watchpoint> watchpoints() {
        return hooks.watchpoints();
    }

    // ---- the stopped machine ---------------------------------------------------------------

    /** The thread the commands look at: the stopped one, or the one {@link #select}ed. */
    public Task selected() {
        return selected;
    }

    /** Looks at thread {@code tid}; false if there is no such live thread. */
    public boolean select(int tid) {
        Task t = kernel.task(tid);
        if (t == null || !t.isAlive()) {
            return false;
        }
        selected = t;
        return true;
    }

    /** Every live thread of the run, by tid. */
    public List<Task> threads() {
        List<Task> all = new ArrayList<>();
        for (Process p : kernel.processes()) {
            for (Task t : p.threads()) {
                if (t.isAlive()) {
                    all.add(t);
                }
            }
        }
        all.sort((a, b) -> Integer.compare(a.tid, b.tid));
        return all;
    }

    /** The last MMU fault any thread took, or null. */
    public LastFault lastFault() {
        return lastFault;
    }

    /**
     * Reads {@code len} bytes of {@code p}'s memory as the kernel's user-access path does
     * (faulting pages in as ptrace's access_process_vm would); throws for an address the
     * process cannot read.
     */
    public byte[] read(Process p, long va, int len) throws BadUserAddressException {
        byte[][] out = new byte[1][];
        BadUserAddressException[] bad = new BadUserAddressException[1];
        kernel.withAddressSpace(p, () -> {
            try {
                out[0] = p.user.read(va, len);
            } catch (BadUserAddressException e) {
                bad[0] = e;
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        return out[0];
    }

    /** Writes {@code data} to {@code p}'s memory through the kernel's user-access path. */
    public void write(Process p, long va, byte[] data) throws BadUserAddressException {
        BadUserAddressException[] bad = new BadUserAddressException[1];
        kernel.withAddressSpace(p, () -> {
            try {
                p.user.write(va, data);
            } catch (BadUserAddressException e) {
                bad[0] = e;
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
    }

    // ---- the events ------------------------------------------------------------------------

    @Override
    public void processStarted(Process process) {
        first = process;
        next.processStarted(process);
        process.cpu.setDebugHooks(hooks);
        stop(new Stop(Reason.STARTED, process.leader(), null, null, null));
    }

    @Override
    public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        if (detached) {
            return next.run(thread, cpu, quantum);
        }
        if (cpu.debugHooks() != hooks) {
            cpu.setDebugHooks(hooks);
        }
        if (interruptRequested) {
            interruptRequested = false;
            stop(new Stop(Reason.INTERRUPTED, thread, null, null, null));
            if (detached || !thread.isAlive() || thread.process.hasExited()) {
                return null;
            }
        }
        hooks.setSingleStep(steppingTid == thread.tid);
        return next.run(thread, cpu, quantum);
    }

    @Override
    public void exceptionTaken(Task thread, ExceptionInfo ex) {
        next.exceptionTaken(thread, ex);
        if (!ex.isAbort() || ex.fault() == null) {
            return;
        }
        Process p = thread.process;
        lastFault = new LastFault(thread, ex, p.mm.find(ex.far() & 0x00FF_FFFF_FFFF_FFFFL), p.faults.counts(), null,
                null);
        if (stopOnPageFaults && !detached) {
            stop(new Stop(Reason.PAGE_FAULT, thread, ex, null, null));
        }
    }

    @Override
    public void exceptionHandled(Task thread, ExceptionInfo ex) {
        next.exceptionHandled(thread, ex);
        LastFault f = lastFault;
        if (f != null && f.exception() == ex && f.after() == null && !thread.process.isReleased()) {
            SignalInfo signal = null;
            for (SignalInfo s : thread.pending) {
                if (s.signo() != Signal.SIGKILL && isFaultSignal(s)) {
                    signal = s;
                    break;
                }
            }
            lastFault = new LastFault(f.thread(), ex, f.vma(), f.before(), thread.process.faults.counts(), signal);
        }
    }

    @Override
    public void debugException(Task thread, ExceptionInfo ex) {
        next.debugException(thread, ex);
        if (detached) {
            return;
        }
        switch (ex.ec()) {
            case Esr.EC_BREAKPT_LOWER -> {
                stop(new Stop(Reason.BREAKPOINT, thread, ex, null, null));
                // Going on executes the instruction at the breakpoint once, unless the PC moved.
                hooks.resumeAt(thread.cpu.pc);
            }
            case Esr.EC_SOFTSTP_LOWER -> {
                if (steppingTid == thread.tid) {
                    steppingTid = 0;
                    hooks.setSingleStep(false);
                    stop(new Stop(Reason.STEPPED, thread, ex, null, null));
                }
            }
            case Esr.EC_WATCHPT_LOWER -> {
                // Reported after the access (ELR the next instruction): a load or store does not
                // branch, so the accessing instruction is the one before.
                DebugHooks.WatchHit hit = thread.cpu.debugHooks().takeWatchStop();
                if (hit == null) {
                    return;
                }
                DebugHooks.Watchpoint w = hit.watchpoint();
                Process p = watchedProcess.getOrDefault(w, thread.process);
                long old = watchedValues.getOrDefault(w, 0L);
                long now = valueOf(p, w);
                watchedValues.put(w, now);
                boolean stepping = steppingTid == thread.tid;
                if (stepping) {
                    steppingTid = 0;
                    hooks.setSingleStep(false);
                }
                stop(new Stop(Reason.WATCHPOINT, thread, ex, null,
                        new WatchReport(w, hit.address(), hit.write(), ex.elr() - 4, old, now)));
            }
            default -> {
            }
        }
    }

    @Override
    public SignalInfo signalDelivering(Task thread, SignalInfo signal) {
        SignalInfo s = next.signalDelivering(thread, signal);
        if (s == null || detached || s.signo() == Signal.SIGKILL || !stopOnSignal.test(s)) {
            return s;
        }
        Resume r = stop(new Stop(Reason.SIGNAL, thread, null, s, null));
        if (r == null || r.signal() == Resume.DELIVER) {
            return s;
        }
        if (r.signal() == 0) {
            return null;
        }
        return r.signal() == s.signo() ? s
                : SignalInfo.fromKernel(r.signal(), "sent by the debugger in place of " + Signal.name(s.signo()));
    }

    @Override
    public void syscallEntry(Task thread, int nr) {
        next.syscallEntry(thread, nr);
    }

    @Override
    public void syscallExit(Task thread, int nr, long result) {
        next.syscallExit(thread, nr, result);
    }

    @Override
    public void threadSwitched(Task from, Task to) {
        next.threadSwitched(from, to);
    }

    @Override
    public void threadCreated(Task parent, Task child) {
        next.threadCreated(parent, child);
        child.cpu.setDebugHooks(hooks);
        if (!detached) {
            frontend.created(parent, child);
        }
    }

    @Override
    public void execed(Process before, Process after) {
        next.execed(before, after);
        if (before == first) {
            first = after;
        }
        if (!detached) {
            frontend.execed(before, after);
        }
    }

    @Override
    public void processExiting(Process process) {
        next.processExiting(process);
        if (!detached) {
            frontend.exited(process);
        }
    }

    // ---- stopping --------------------------------------------------------------------------

    /** Hands the stop to the front end and carries out its answer. */
    private Resume stop(Stop s) {
        // This stop answers a pending interrupt too: a ^C that came with a breakpoint is spent.
        interruptRequested = false;
        selected = s.thread();
        Resume r = frontend.stopped(s);
        if (r == null) {
            r = Resume.proceed();
        }
        switch (r.action()) {
            case CONTINUE -> {
            }
            case STEP -> {
                Task t = r.tid() == 0 ? s.thread() : kernel.task(r.tid());
                steppingTid = t == null ? s.thread().tid : t.tid;
                hooks.setSingleStep(true);
            }
            case KILL -> killAll();
            case DETACH -> detach();
        }
        return r;
    }

    /** Ends every process of the run with SIGKILL, as gdb's kill does. */
    private void killAll() {
        detach();
        for (Process p : List.copyOf(kernel.processes())) {
            if (!p.hasExited()) {
                kernel.groupExit(p, new Process.Termination(0,
                        SignalInfo.fromKernel(Signal.SIGKILL, "killed by the debugger"), p.leader().cpu.pc));
            }
        }
    }

    /** Forgets every breakpoint, watchpoint and step; the guest runs on unobserved. */
    private void detach() {
        detached = true;
        steppingTid = 0;
        for (Task t : threads()) {
            t.cpu.setDebugHooks(null);
        }
    }

    /** Up to 8 bytes of the watched range as a little-endian number (0 if unreadable). */
    private long valueOf(Process p, DebugHooks.Watchpoint w) {
        int n = (int) Math.min(8, w.length());
        try {
            byte[] b = read(p, w.address(), n);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = (v << 8) | (b[i] & 0xFF);
            }
            return v;
        } catch (BadUserAddressException | RuntimeException e) {
            return 0;
        }
    }
}
