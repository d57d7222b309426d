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

    /** Restartable sequences registered by this thread (rseq). */
    public final Rseq rseq = new Rseq();

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
        state = State.RUNNABLE;
        wait = null;
    }

    /**
     * The wait's deadline passed: the call ends with the timeout result; a call that would
     * have run again (pc back at its SVC, x0 its first argument) returns instead.
     */
    public void timeOut() {
        if (state != State.BLOCKED) {
            return;
        }
        if (wait.retry) {
            cpu.pc += 4;
        }
        cpu.x[0] = wait.timeoutResult;
        state = State.RUNNABLE;
        wait = null;
    }

    public void markDead() {
        state = State.DEAD;
        wait = null;
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
