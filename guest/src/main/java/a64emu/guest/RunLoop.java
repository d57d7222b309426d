package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.util.List;

/**
 * The run loop: which thread runs next (a guest thread's slice, kswapd0, the other kernel
 * threads), one slice of a guest thread with the exceptions it takes handed to the kernel,
 * and the CPU-time timers checked after each stretch. Everything a tool sees of the run is
 * published from here and from the kernel as {@link a64emu.guest.events.GuestEvents}: the
 * slice itself ({@code run}), each exception before and after the kernel handles it, and
 * each switch of thread.
 */
final class RunLoop {
    private final Kernel kernel;
    /** A kernel thread became runnable: the running thread gives up the CPU at its next return. */
    private boolean needResched;
    /** Kernel threads are running from the allocator's retry loop (no recursion). */
    private boolean inCondResched;
    /** The user's limits on the whole run. */
    private RunLimits limits = RunLimits.NONE;
    /** Instructions retired by every guest thread of this run, for --max-instructions. */
    private long retired;
    /** Why the run must end from outside the guest (set from any thread), or null. */
    private volatile RunStop stop;

    RunLoop(Kernel kernel) {
        this.kernel = kernel;
    }

    void setLimits(RunLimits limits) {
        this.limits = limits;
    }

    /**
     * Ends the run at the next point where the guest is not inside an instruction: the end
     * of the running thread's current stretch, or at once when every thread sleeps. Safe
     * from any thread (a timer, a signal handler); the first reason given is kept.
     */
    void requestStop(RunStop why) {
        synchronized (this) {
            if (stop == null) {
                stop = why;
            }
        }
        kernel.wakeIdle();
    }

    /** Why the run was ended from outside, or null if the guest ended it. */
    RunStop stop() {
        return stop;
    }

    /** Instructions all guest threads retired so far. */
    long retired() {
        return retired;
    }

    /** A kernel thread woke: the running thread gives up the CPU at its next return from the kernel. */
    void requestResched() {
        needResched = true;
    }

    /**
     * {@code cond_resched} inside an allocation that is reclaiming: the kernel threads that
     * have work (lmkd, real-time on a device) run now, so they can free memory for it.
     */
    void condResched() {
        if (inCondResched || kernel.frames().inReclaim()) {
            return;
        }
        inCondResched = true;
        try {
            runKernelThreads();
        } finally {
            inCondResched = false;
        }
    }

    /** Runs each kernel thread that has work now; whether any ran. */
    private boolean runKernelThreads() {
        boolean ran = false;
        for (KernelThread k : List.copyOf(kernel.kernelThreads())) {
            long now = kernel.monotonicNanos();
            if (k.runnable(now)) {
                needResched = false;
                long start = System.nanoTime();
                k.run(now);
                k.usage().systemNanos += System.nanoTime() - start;
                ran = true;
            }
        }
        return ran;
    }

    /**
     * Runs threads until the first process has ended. Returns null on deadlock (after
     * saying so), else the last thread run.
     */
    Task schedule() {
        Task previous = null;
        boolean kswapdRanLast = false;
        boolean kthreadsRanLast = false;
        // execve replaces the first process's object under the same pid: look it up each time.
        while (!kernel.process(Kernel.FIRST_PID).hasExited()) {
            if (stop != null) {
                return previous;
            }
            if (kernel.kswapd().runnable() && (needResched || !kswapdRanLast)) {
                // kswapd0 runs between the guest's slices: at once when its wake-up ended a
                // slice early, and then taking turns with the guest while it stays runnable.
                needResched = false;
                long stallStart = System.nanoTime();
                kernel.kswapd().run();
                if (previous != null) {
                    previous.rseq.preempt(); // kswapd0 had the CPU
                }
                // balance_pgdat is a memstall of kswapd's; full when no other thread could run.
                kernel.psi().stalled(System.nanoTime() - stallStart, kernel.othersRunnable(null, true) == 0);
                kswapdRanLast = true;
                continue;
            }
            boolean resched = needResched;
            kswapdRanLast = false;
            // The other kernel threads likewise take turns with the guest.
            if ((resched || !kthreadsRanLast) && runKernelThreads()) {
                if (previous != null) {
                    previous.rseq.preempt();
                }
                kthreadsRanLast = true;
                continue;
            }
            kthreadsRanLast = false;
            Task t = kernel.scheduler().pickNext(previous);
            if (t == null && stop != null) {
                return previous; // woken from the idle wait to end the run
            }
            if (t == null) {
                kernel.reportDeadlock();
                return null;
            }
            if (previous != null && previous != t) {
                previous.rseq.preempt(); // rseq_preempt, as __schedule switches it out
            }
            if (previous != null && previous != t && previous.state() == Task.State.RUNNABLE) {
                previous.usage.involuntarySwitches++; // preempted (or yielded) for another thread
            }
            if (previous != t) {
                kernel.events().threadSwitched(previous, t);
            }
            kernel.switchTo(t);
            previous = t;
            if (!kernel.signals().deliverPending(t) || t.process.stopped) {
                continue;
            }
            runSlice(t);
            if (t.state() == Task.State.BLOCKED) {
                t.usage.voluntarySwitches++; // it sleeps: another thread or the idle clock runs
            }
        }
        return previous;
    }

    /** Runs {@code t} for one quantum or until it blocks, exits or yields. */
    private void runSlice(Task t) {
        long budget = Kernel.QUANTUM;
        if (limits.hasInstructionLimit()) {
            long left = limits.maxInstructions() - retired;
            if (left <= 0) {
                requestStop(RunStop.INSTRUCTION_LIMIT);
                return;
            }
            budget = Math.min(budget, left);
        }
        // Two clock reads per exception, not three: the host clock costs 30-80 ns here (kvm-clock),
        // a tenth of a page fault's service. User time runs from the end of the last exception's
        // handling, so the few checks after it (timers, pending signals) count as user time.
        long start = System.nanoTime();
        while (budget > 0 && t.state() == Task.State.RUNNABLE && !t.process.hasExited() && !t.yielded
                && !t.process.stopped && stop == null) {
            if (t.rseq.notifyResumePending()) {
                rseqNotifyResume(t);
                continue;
            }
            Cpu cpu = t.cpu;
            long before = cpu.instructions;
            ExceptionInfo ex = kernel.events().run(t, cpu, budget);
            long ran = System.nanoTime();
            t.usage.userNanos += ran - start;
            budget -= cpu.instructions - before;
            retired += cpu.instructions - before;
            if (ex == null) {
                expireCpuTimers(t.process);
                return;
            }
            Process p = t.process;
            long resolvedBefore = p.faults.resolvedFaults();
            long majorBefore = p.faults.majorFaults();
            kernel.events().exceptionTaken(t, ex);
            kernel.handleException(t, ex);
            kernel.events().exceptionHandled(t, ex);
            start = System.nanoTime();
            t.usage.systemNanos += start - ran;
            if (t.process == p) { // not replaced by execve
                long major = ex.isAbort() ? p.faults.majorFaults() - majorBefore : 0;
                long resolved = p.faults.resolvedFaults() - resolvedBefore;
                t.usage.majorFaults += major;
                t.usage.minorFaults += Math.max(0, resolved - major);
                expireCpuTimers(p);
            }
            // ERET clears the local exclusive monitor (ARM ARM D1.11.1).
            cpu.clearExclusive();
            if (t.state() == Task.State.RUNNABLE && !t.process.hasExited() && t == kernel.running()) {
                kernel.signals().deliverPending(t);
            }
            if (kernel.running() != t) {
                return; // exec replaced the thread, or the kernel switched address space
            }
            if (needResched) {
                if (!ex.isAbort() || budget <= 1) {
                    return; // a kernel thread (kswapd) woke and runs now
                }
                // A fault was just handled: the instruction retries first, so the page it needed
                // is used before reclaim can take it away again (on Linux the retry would find it
                // young and keep it; without the retry a thrashing thread could never progress).
                budget = 1;
            }
        }
        t.yielded = false;
    }

    /**
     * The rseq work of the return to user space (resume_user_mode_work): the CPU number, and
     * the abort of a critical section the thread was preempted in. A bad area is SIGSEGV.
     */
    private void rseqNotifyResume(Task t) {
        Process p = t.process;
        if (!t.rseq.handleNotifyResume(p.user, t.cpu, p.mm.layout().taskSize())) {
            kernel.signals().forceSigsegv(t, 0, "rseq: bad struct rseq or rseq_cs");
            kernel.signals().deliverPending(t);
        }
    }

    /**
     * The POSIX timers on CPU-time clocks, and ITIMER_VIRTUAL and ITIMER_PROF (Linux
     * check_process_timers): SIGVTALRM or SIGPROF once
     * the process's user, or user and system, time reaches the deadline, re-armed by the
     * interval. Checked after every stretch of execution, so the signal comes at most one
     * quantum late, as with Linux's tick.
     */
    private void expireCpuTimers(Process p) {
        if (!p.hasExited()) {
            p.posixTimers.expireCpuTimers();
        }
        if ((!p.virtualTimer.armed() && !p.profTimer.armed()) || p.hasExited()) {
            return;
        }
        ResourceUsage u = p.usage();
        if (p.virtualTimer.due(u.userNanos)) {
            p.virtualTimer.expire(u.userNanos);
            kernel.signals().sendToProcess(p, SignalInfo.fromKernel(Signal.SIGVTALRM, "ITIMER_VIRTUAL expired"));
        }
        if (p.profTimer.due(u.cpuNanos())) {
            p.profTimer.expire(u.cpuNanos());
            kernel.signals().sendToProcess(p, SignalInfo.fromKernel(Signal.SIGPROF, "ITIMER_PROF expired"));
        }
    }
}
