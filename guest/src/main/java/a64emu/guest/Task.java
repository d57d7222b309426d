package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.guest.sched.ResourceUsage;
import a64emu.guest.sched.Rseq;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayDeque;

/**
 * One thread of a guest process, Linux's {@code task_struct} as opposed to the thread
 * group it belongs to: its own registers (a {@link Cpu} sharing the one core's MMU), its
 * tid, its blocked-signal mask and private pending signals, its alternate signal stack,
 * and the {@code clear_child_tid} and robust list that glibc registers for
 * {@code pthread_join} and robust mutexes.
 */
public final class Task {
    /** Where the scheduler keeps a thread (Linux's TASK_RUNNING, TASK_INTERRUPTIBLE, EXIT_DEAD). */
    public enum State { RUNNABLE, BLOCKED, DEAD }

    /**
     * Why a blocked thread sleeps and how it resumes. {@code retry}: the system call runs
     * again when the thread wakes (wait4, vfork's parent); otherwise the waker sets x0.
     * {@code deadlineNanos}: virtual time at which it times out with {@code timeoutResult}
     * (-1 for never).
     */
    public static final class Wait {
        public final String reason;
        public final long deadlineNanos;
        public final long timeoutResult;
        public final boolean retry;
        /** futex key this thread sleeps on, or null. */
        public Object futexKey;
        /** futex_waitv: the keys of every word this thread sleeps on, in the vector's order; else null. */
        public Object[] futexKeys;
        public int futexBitset;
        /** rt_sigtimedwait: the signals that end the wait although blocked. */
        public long signalSet;
        /** nanosleep's rem: where a signal that ends the sleep early writes the time left. */
        public long remainderAddress;
        /** What the thread sleeps on for {@code Kernel.wakeChannel} (a pipe), or null. */
        public Object channel;
        /**
         * Whether a retried call restarts after a SA_RESTART handler (-ERESTARTSYS) or
         * returns EINTR regardless (-ERESTARTNOHAND, as rt_sigtimedwait).
         */
        public boolean restartable = true;
        /** False for a wait only SIGKILL ends (Linux TASK_KILLABLE, as vfork's). */
        public boolean interruptible = true;
        /**
         * At the deadline a retried call runs again instead of returning {@code timeoutResult}
         * (poll and select: they write back what they found, and the time left).
         */
        public boolean rerunOnTimeout;
        /**
         * What the call keeps for its next run after a wake-up (Linux {@code restart_block}:
         * a poll's end time); see {@link Task#takeRestartBlock}.
         */
        public Object restartBlock;
        /**
         * The host's standard input, when the sleeper also waits for it among other things (a
         * poll that includes it): the scheduler waits in real time, not jumping the clock.
         */
        public a64emu.guest.fs.HostInput hostInput;
        /**
         * A sleep inside a page fault (a userfaultfd's missing page), not a system call: a
         * wake-up or a signal leaves the registers alone and the faulting access runs again.
         */
        public boolean pageFault;

        public Wait(String reason, long deadlineNanos, long timeoutResult, boolean retry) {
            this.reason = reason;
            this.deadlineNanos = deadlineNanos;
            this.timeoutResult = timeoutResult;
            this.retry = retry;
        }
    }

    public final int tid;
    public Process process;
    public final Cpu cpu;
    /** Policy, nice value and affinity (sched_*, setpriority). */
    public final a64emu.guest.sched.SchedParams sched = new a64emu.guest.sched.SchedParams();
    private State state = State.RUNNABLE;
    private Wait wait;
    /** Signals directed at this thread (tgkill, synchronous faults), in arrival order. */
    public final ArrayDeque<SignalInfo> pending = new ArrayDeque<>();
    private long blocked;
    /** The mask rt_sigsuspend replaced, restored after the handler runs (Linux saved_sigmask). */
    public long savedSigmask;
    public boolean restoreSigmask;
    public SignalActions.AltStack altStack = SignalActions.AltStack.DISABLED;

    /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits. */
    public long clearChildTid;
    public long robustListHead;
    public long robustListLength;

    /** CPU time, faults and context switches of this thread. */
    public final ResourceUsage usage = new ResourceUsage();

    /** The thread's NUMA policy (set_mempolicy; Linux task->mempolicy), null for MPOL_DEFAULT. */
    public a64emu.guest.mm.MemPolicy mempolicy;

    /** seccomp mode and filters (kernel/seccomp.c): per thread, copied by clone, kept by execve. */
    public a64emu.guest.security.Seccomp seccomp = new a64emu.guest.security.Seccomp();
    /** Restartable sequences registered by this thread (rseq). */
    public final Rseq rseq = new Rseq();

    /** The restart block of the wait a wake-up ended, for the call that runs again; null otherwise. */
    private Object restartBlock;

    /** sched_yield: give up the rest of the quantum. */
    public boolean yielded;
    // Repeated-fault detection: the same resolved fault at the same PC again and again is a bug.
    public long lastFaultPc = -1;
    public long lastFaultVa = -1;
    public int faultRepeats;

    public Task(int tid, Process process, Cpu cpu) {
        this.tid = tid;
        this.process = process;
        this.cpu = cpu;
    }

    public State state() {
        return state;
    }

    /**
     * A restart block that holds something the call took (a FIFO end counted in while its open
     * waits): when a signal handler ends the call instead, it is given back.
     */
    public interface AbandonableRestart {
        void abandon();
    }

    public Wait waitingFor() {
        return wait;
    }

    public void block(Wait w) {
        state = State.BLOCKED;
        wait = w;
    }

    /** Wakes a blocked thread; unless it retries its call, x0 becomes {@code result}. */
    public void wake(long result) {
        if (state != State.BLOCKED) {
            return;
        }
        if (!wait.retry) {
            cpu.x[0] = result;
        }
        restartBlock = wait.retry ? wait.restartBlock : null;
        state = State.RUNNABLE;
        wait = null;
    }

    /**
     * Ends a wait with {@code result} as the call's return value, a retried call too (its PC
     * goes past the SVC it was to run again): a futex_waitv sleep, which a signal restarts
     * after an SA_RESTART handler but a wake-up ends with the woken word's index.
     */
    public void complete(long result) {
        if (state != State.BLOCKED) {
            return;
        }
        if (wait.retry) {
            cpu.pc += 4;
        }
        cpu.x[0] = result;
        restartBlock = null;
        state = State.RUNNABLE;
        wait = null;
    }

    /**
     * The restart block the call left when it slept, if this run of it is the one its
     * wake-up asked for; null for a fresh call. Taken once.
     */
    public Object takeRestartBlock() {
        Object r = restartBlock;
        restartBlock = null;
        return r;
    }

    /** The restart block a woken call will take when it runs again, left in place; null for none. */
    public Object restartBlock() {
        return restartBlock;
    }

    /**
     * The call the wake-up was to run again will not run (a signal interrupted it, or a
     * handler runs first): its restart block goes.
     */
    public void dropRestartBlock() {
        restartBlock = null;
    }

    /**
     * The wait's deadline passed: the call ends with the timeout result; a call that would
     * have run again (pc back at its SVC, x0 its first argument) returns instead, unless it
     * asked to run again at its deadline too ({@link Wait#rerunOnTimeout}).
     */
    public void timeOut() {
        if (state != State.BLOCKED) {
            return;
        }
        if (wait.retry && wait.rerunOnTimeout) {
            restartBlock = wait.restartBlock;
            state = State.RUNNABLE;
            wait = null;
            return;
        }
        restartBlock = null;
        if (wait.retry) {
            cpu.pc += 4;
        }
        cpu.x[0] = wait.timeoutResult;
        state = State.RUNNABLE;
        wait = null;
    }

    public void markDead() {
        // A call that dies sleeping gives back what it held (a FIFO end counted in).
        Object held = wait != null ? wait.restartBlock : restartBlock;
        if (held instanceof AbandonableRestart a) a.abandon();
        state = State.DEAD;
        wait = null;
        restartBlock = null;
    }

    public boolean isAlive() {
        return state != State.DEAD;
    }

    public long blocked() {
        return blocked;
    }

    /** SIGKILL and SIGSTOP can never be blocked (Linux sigdelsetmask in sigprocmask). */
    public void setBlocked(long mask) {
        blocked = mask & ~(SignalActions.bit(a64emu.guest.signal.Signal.SIGKILL)
                | SignalActions.bit(a64emu.guest.signal.Signal.SIGSTOP));
    }

    /** Whether {@code sp} lies on the alternate signal stack (Linux on_sig_stack). */
    public boolean onAltStack(long sp) {
        SignalActions.AltStack s = altStack;
        return s.size() != 0 && (s.flags() & SignalActions.SS_DISABLE) == 0
                && Long.compareUnsigned(sp - s.sp(), s.size()) <= 0 && sp > s.sp();
    }

    /** Copies the register state of {@code from} (fork, clone). */
    public void copyRegistersFrom(Cpu from) {
        System.arraycopy(from.x, 0, cpu.x, 0, from.x.length);
        System.arraycopy(from.v, 0, cpu.v, 0, from.v.length);
        cpu.sp = from.sp;
        cpu.pc = from.pc;
        cpu.nzcv = from.nzcv;
        cpu.fpcr = from.fpcr;
        cpu.fpsr = from.fpsr;
        cpu.tpidrEl0 = from.tpidrEl0;
        cpu.tpidrroEl0 = from.tpidrroEl0;
    }

    @Override
    public String toString() {
        return "task " + tid + " (" + process.comm() + ") " + state + (wait == null ? "" : " in " + wait.reason);
    }
}
