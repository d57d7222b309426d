package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.HostInput;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalDelivery;

/**
 * What ppoll, pselect6 and epoll_pwait share (Linux {@code fs/select.c} and
 * {@code fs/eventpoll.c}): the timeout argument, the temporary signal mask
 * ({@code set_user_sigmask}, {@code restore_saved_sigmask_unless}), and sleeping until a
 * polled file wakes the thread, the deadline passes or a signal comes. A woken or timed-out
 * call runs again with the deadline it had (the thread's restart block), so that it looks at
 * the files once more and writes back what it found; a signal ends it with EINTR whatever
 * SA_RESTART says (-ERESTARTNOHAND, -EINTR).
 */
final class PollWait {
    static final long NANOS = 1_000_000_000L;
    private static final long SIGSET_SIZE = 8;
    /** A timeout argument that is invalid (negative, or tv_nsec of 10^9 or more): EINVAL. */
    static final long INVALID = Long.MIN_VALUE;
    /** No timeout: wait without limit. */
    static final long FOREVER = -1;

    /** The restart block of a sleeping poll: its deadline on the scheduler's clock (-1: none). */
    record Deadline(long nanos) {}

    private PollWait() {}

    /** A struct timespec timeout in nanoseconds, {@link #FOREVER} for a null pointer, {@link #INVALID} (poll_select_set_timeout). */
    static long timeout(Process p, long tsp) throws BadUserAddressException {
        if (tsp == 0) {
            return FOREVER;
        }
        long sec = p.user.read64(tsp);
        long nsec = p.user.read64(tsp + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) {
            return INVALID;
        }
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    /**
     * The call's deadline on the scheduler's clock: the one it slept with when this is its run
     * after a wake-up, else now plus {@code relative}; -1 for none (and for a process with no
     * scheduler, which cannot sleep).
     */
    static long deadline(Process p, Task t, long relative) {
        Object block = t.takeRestartBlock();
        if (block instanceof Deadline d) {
            return d.nanos();
        }
        if (relative < 0 || p.kernel == null) {
            return -1;
        }
        long now = p.kernel.scheduler().now();
        return relative > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + relative;
    }

    /** Whether {@code deadline} has passed (never for -1). */
    static boolean expired(Process p, long deadline) {
        return deadline >= 0 && p.kernel != null && deadline <= p.kernel.scheduler().now();
    }

    /**
     * signal_pending for a wait: a signal the thread does not block and will not discard
     * (one ignored is dropped on the way back to user space, and Linux restarts the call
     * unseen, -ERESTARTNOHAND with no handler run).
     */
    static boolean signalPending(Task t) {
        long pending = SignalDelivery.pendingSet(t) & ~t.blocked();
        for (int signo = 1; signo <= Signal.NSIG; signo++) {
            if ((pending & SignalActions.bit(signo)) != 0 && !t.process.signals.ignores(signo)) {
                return true;
            }
        }
        return false;
    }

    /** set_user_sigmask: 0 or -EINVAL; with a mask, it holds until the call ends (or its signal is delivered). */
    static long installSigmask(Process p, Task t, long sigmask, long sigsetsize) throws BadUserAddressException {
        if (sigmask == 0) {
            return 0;
        }
        if (sigsetsize != SIGSET_SIZE) {
            return -a64emu.guest.Errno.EINVAL;
        }
        long mask = p.user.read64(sigmask);
        t.savedSigmask = t.blocked();
        t.restoreSigmask = true;
        t.setBlocked(mask);
        return 0;
    }

    /**
     * restore_saved_sigmask_unless(interrupted): a call that returns restores the caller's
     * mask now; one that a signal interrupts keeps the temporary mask until the signal is
     * delivered, whose handler then returns to the caller's.
     */
    static void finish(Task t, boolean interrupted) {
        if (!interrupted && t.restoreSigmask) {
            t.restoreSigmask = false;
            t.setBlocked(t.savedSigmask);
        }
    }

    /**
     * poll_select_finish's write-back of the time left to {@code tsp} (none for a zero timeout
     * or none at all); a write that faults is ignored as Linux ignores it.
     */
    static void writeTimeLeft(Process p, long tsp, long relative, long deadline) {
        if (tsp == 0 || relative == 0 || deadline < 0 || p.kernel == null) {
            return;
        }
        long left = Math.max(0, deadline - p.kernel.scheduler().now());
        try {
            p.user.write64(tsp, left / NANOS);
            p.user.write64(tsp + 8, left % NANOS);
        } catch (BadUserAddressException e) {
            // Linux: the timeout stays as it was (the "sticky" case).
        }
    }

    /**
     * Puts {@code t} to sleep on {@code channel} until a wake-up there, the deadline (then
     * the call runs again), or a signal (EINTR, the time left written to {@code tsp}).
     */
    static void sleep(Task t, String reason, Object channel, long deadline, HostInput hostInput, long tsp) {
        Task.Wait w = new Task.Wait(reason, deadline, 0, true);
        w.channel = channel;
        w.restartable = false;
        w.rerunOnTimeout = true;
        w.restartBlock = new Deadline(deadline);
        w.hostInput = hostInput;
        w.remainderAddress = deadline < 0 ? 0 : tsp;
        t.block(w);
    }
}
