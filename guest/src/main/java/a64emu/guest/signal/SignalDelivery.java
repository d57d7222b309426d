package a64emu.guest.signal;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.PollTable;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Sending and delivering signals, Linux {@code kernel/signal.c} ({@code send_signal},
 * {@code complete_signal}, {@code force_sig_info}, {@code get_signal}) with arm64's
 * {@code do_signal}/{@code handle_signal} on the way back to user space.
 *
 * <p>A signal for the process waits in its shared queue, one for a thread in the thread's;
 * a standard signal already pending is not queued twice. On every return to user space
 * the kernel takes the deliverable signals (synchronous ones first, then by number): an
 * ignored one vanishes, a default action runs (terminate, or nothing for the ignoring
 * kinds), and a handler gets a signal frame.
 */
public final class SignalDelivery {
    private final Kernel kernel;

    public SignalDelivery(Kernel kernel) {
        this.kernel = kernel;
    }

    /** kill(2) to a process: queue it for the group and wake a thread that can take it. */
    public void sendToProcess(Process p, SignalInfo info) {
        sendToProcess(p, info, true);
    }

    /**
     * send_sigqueue for a POSIX timer's own signal to the process: queued even when a standard
     * signal of the number is pending already (the timer counts its overruns itself). False if
     * the signal is ignored and so not queued.
     */
    public boolean queuePreallocated(Process p, SignalInfo info) {
        return sendToProcess(p, info, false);
    }

    /** send_sigqueue for a POSIX timer's signal to one thread (SIGEV_THREAD_ID); false if ignored. */
    public boolean queuePreallocated(Task t, SignalInfo info) {
        return sendToThread(t, info, false);
    }

    /** True if queued (or acted on at once, SIGKILL), false if ignored or the process is gone. */
    private boolean sendToProcess(Process p, SignalInfo info, boolean coalesce) {
        if (p.hasExited()) {
            return false;
        }
        jobControl(p, info.signo());
        // sig_ignored: a blocked signal is never ignored (its handler may change before it is
        // unblocked; signalfd and sigwait take it meanwhile).
        if (p.signals.ignores(info.signo()) && (p.leader().blocked() & SignalActions.bit(info.signo())) == 0) {
            return false;
        }
        if (info.signo() == Signal.SIGKILL) {
            kernel.groupExit(p, new Process.Termination(0, info, p.leader().cpu.pc));
            return true;
        }
        if (coalesce && alreadyPending(p.sharedPending, info.signo())) {
            return true;
        }
        p.sharedPending.add(info);
        signalfdNotify(p);
        for (Task t : p.threads()) {
            wakeSigwait(t, info.signo());
        }
        // complete_signal: the first thread that does not block it is told.
        for (Task t : p.threads()) {
            if (t.isAlive() && (t.blocked() & SignalActions.bit(info.signo())) == 0) {
                interrupt(t, info.signo());
                return true;
            }
        }
        return true;
    }

    /** tgkill(2) and signals the kernel sends one thread. */
    public void sendToThread(Task t, SignalInfo info) {
        sendToThread(t, info, true);
    }

    private boolean sendToThread(Task t, SignalInfo info, boolean coalesce) {
        Process p = t.process;
        if (p.hasExited() || !t.isAlive()) {
            return false;
        }
        jobControl(p, info.signo());
        if (p.signals.ignores(info.signo()) && (t.blocked() & SignalActions.bit(info.signo())) == 0) {
            return false;
        }
        if (info.signo() == Signal.SIGKILL) {
            kernel.groupExit(p, new Process.Termination(0, info, t.cpu.pc));
            return true;
        }
        if (coalesce && alreadyPending(t.pending, info.signo())) {
            return true;
        }
        t.pending.add(info);
        signalfdNotify(p);
        wakeSigwait(t, info.signo());
        if ((t.blocked() & SignalActions.bit(info.signo())) == 0) {
            interrupt(t, info.signo());
        }
        return true;
    }

    /**
     * Linux signalfd_notify: a signal queued, blocked or not, wakes the signalfd readers and
     * pollers of the process (they look at the pending sets again).
     */
    private void signalfdNotify(Process p) {
        p.signals.signalfdWait.wakeUp(PollTable.POLLIN);
        kernel.wakeChannel(p.signals.signalfdWait);
    }

    /** A thread in rt_sigtimedwait for this signal runs its call again and takes it. */
    private static void wakeSigwait(Task t, int signo) {
        Task.Wait w = t.waitingFor();
        if (t.state() == Task.State.BLOCKED && (w.signalSet & SignalActions.bit(signo)) != 0) {
            t.wake(0);
        }
    }

    /**
     * A fault or trap in {@code t} (Linux force_sig_info): if the signal is blocked or
     * ignored it cannot be, so the default action is restored and the signal unblocked,
     * which kills the process.
     */
    public void forceFault(Task t, SignalInfo info) {
        Process p = t.process;
        int signo = info.signo();
        SignalActions.Action a = p.signals.get(signo);
        boolean blocked = (t.blocked() & SignalActions.bit(signo)) != 0;
        if (a.handler() == SignalActions.SIG_IGN || blocked) {
            p.signals.set(signo, SignalActions.Action.DEFAULT);
            if (blocked) {
                t.setBlocked(t.blocked() & ~SignalActions.bit(signo));
            }
        }
        if (info.signo() == Signal.SIGKILL) {
            kernel.groupExit(p, new Process.Termination(0, info, t.cpu.pc));
            return;
        }
        // A synchronous signal is taken before anything else pending (Linux SYNCHRONOUS_MASK).
        t.pending.addFirst(info);
    }

    /**
     * Linux prepare_signal: SIGCONT resumes a stopped process at once (whatever its
     * disposition) and drops pending stop signals; a stop signal drops a pending SIGCONT.
     */
    private void jobControl(Process p, int signo) {
        if (signo == Signal.SIGCONT) {
            removePending(p, s -> Signal.defaultAction(s) == Signal.DefaultAction.STOP);
            if (p.stopped) {
                p.stopped = false;
                p.stopReport = 0;
                p.continueReport = true;
                notifyParent(p, Signal.CLD_CONTINUED, Signal.SIGCONT);
            }
        } else if (Signal.defaultAction(signo) == Signal.DefaultAction.STOP) {
            removePending(p, s -> s == Signal.SIGCONT);
        }
    }

    private static void removePending(Process p, java.util.function.IntPredicate which) {
        p.sharedPending.removeIf(s -> which.test(s.signo()));
        for (Task t : p.threads()) {
            t.pending.removeIf(s -> which.test(s.signo()));
        }
    }

    /**
     * do_notify_parent_cldstop: the parent's waiters look again, and it gets SIGCHLD with
     * CLD_STOPPED or CLD_CONTINUED unless its SIGCHLD action has SA_NOCLDSTOP.
     */
    private void notifyParent(Process p, int code, int status) {
        Process parent = p.parent();
        if (parent == null || parent.hasExited()) {
            return;
        }
        kernel.wakeWaitingParent(parent);
        SignalActions.Action chld = parent.signals.get(Signal.SIGCHLD);
        if ((chld.flags() & SignalActions.SA_NOCLDSTOP) == 0) {
            sendToProcess(parent, new SignalInfo(Signal.SIGCHLD, code, SignalInfo.NO_ADDRESS,
                    "child " + p.pid + (code == Signal.CLD_STOPPED ? " stopped" : " continued"), p.pid,
                    (int) p.credentials.uid(), status, 0));
        }
    }

    /** do_signal_stop: the whole process stops; its parent may learn it with WUNTRACED. */
    private void stop(Process p, int signo) {
        if (p.stopped) {
            return;
        }
        p.stopped = true;
        p.stopReport = signo;
        p.continueReport = false;
        notifyParent(p, Signal.CLD_STOPPED, signo);
    }

    private static boolean alreadyPending(ArrayDeque<SignalInfo> q, int signo) {
        if (signo >= 32) {
            return false; // real-time signals queue every instance
        }
        for (SignalInfo s : q) {
            if (s.signo() == signo) {
                return true;
            }
        }
        return false;
    }

    /**
     * signal_wake_up for a thread blocked in a system call: it returns EINTR, or runs
     * again after the handler when the handler has SA_RESTART and the call restarts
     * (Linux -ERESTARTSYS); a signal whose default is to do nothing does not interrupt.
     */
    private void interrupt(Task t, int signo) {
        if (t.state() != Task.State.BLOCKED) {
            return;
        }
        SignalActions.Action a = t.process.signals.get(signo);
        if (a.handler() == SignalActions.SIG_DFL
                && Signal.defaultAction(signo) != Signal.DefaultAction.TERMINATE
                && Signal.defaultAction(signo) != Signal.DefaultAction.CORE) {
            return;
        }
        Task.Wait w = t.waitingFor();
        if (!w.interruptible) {
            return;
        }
        if (w.remainderAddress != 0) {
            long left = Math.max(0, w.deadlineNanos - kernel.scheduler().now());
            kernel.withAddressSpace(t.process, () -> {
                try {
                    t.process.user.write64(w.remainderAddress, left / 1_000_000_000L);
                    t.process.user.write64(w.remainderAddress + 8, left % 1_000_000_000L);
                } catch (BadUserAddressException e) {
                    // Linux: EFAULT from the copy replaces EINTR; the sleep is over either way.
                }
            });
        }
        if (w.pageFault) {
            t.wake(0); // a retried wait: x0 and the PC stay; the handler runs, then the access again
            return;
        }
        kernel.futex().forget(t);
        boolean restart = w.retry && w.restartable && (a.flags() & SignalActions.SA_RESTART) != 0;
        if (w.retry && !restart) {
            t.cpu.pc += 4;
        }
        t.wake(-Errno.EINTR);
        if (!restart) {
            t.dropRestartBlock();
        }
        if (w.retry && !restart) {
            t.cpu.x[0] = -Errno.EINTR;
        }
    }

    /** Whether {@code t} has a signal it does not block waiting (for rt_sigsuspend and waits). */
    public static boolean hasDeliverable(Task t) {
        long blocked = t.blocked();
        for (SignalInfo s : t.pending) {
            if ((blocked & SignalActions.bit(s.signo())) == 0) {
                return true;
            }
        }
        for (SignalInfo s : t.process.sharedPending) {
            if ((blocked & SignalActions.bit(s.signo())) == 0) {
                return true;
            }
        }
        return false;
    }

    /** All pending signals of a thread, private and shared (rt_sigpending). */
    public static long pendingSet(Task t) {
        long set = 0;
        for (SignalInfo s : t.pending) {
            set |= SignalActions.bit(s.signo());
        }
        for (SignalInfo s : t.process.sharedPending) {
            set |= SignalActions.bit(s.signo());
        }
        return set;
    }

    /**
     * Linux dequeue_signal: the first signal not in {@code blocked}, synchronous ones
     * first, then the lowest number, the thread's own queue before the process's. Null if none.
     */
    public static SignalInfo dequeue(Task t, long blocked) {
        SignalInfo best = pick(t.pending, blocked, null);
        best = pick(t.process.sharedPending, blocked, best);
        if (best != null && !removeExact(t.pending, best)) {
            removeExact(t.process.sharedPending, best);
        }
        if (best != null && best.code() == Signal.SI_TIMER) {
            best = t.process.posixTimers.dequeued(best); // posixtimer_rearm
        }
        return best;
    }

    /** Removes {@code s} itself, not an equal entry (a timer knows its own signal by identity). */
    private static boolean removeExact(ArrayDeque<SignalInfo> q, SignalInfo s) {
        for (Iterator<SignalInfo> it = q.iterator(); it.hasNext(); ) {
            if (it.next() == s) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private static SignalInfo pick(ArrayDeque<SignalInfo> q, long blocked, SignalInfo best) {
        for (Iterator<SignalInfo> it = q.iterator(); it.hasNext(); ) {
            SignalInfo s = it.next();
            if ((blocked & SignalActions.bit(s.signo())) != 0) {
                continue;
            }
            if (best == null || rank(s) < rank(best)) {
                best = s;
            }
        }
        return best;
    }

    private static int rank(SignalInfo s) {
        return (Signal.isSynchronous(s.signo()) && s.code() > 0 ? 0 : 100) + s.signo();
    }

    /**
     * Delivers what is deliverable before {@code t} returns to user space (Linux do_signal):
     * default actions, or a handler frame for each caught signal (nested, the last one
     * taken runs first). Returns false if the thread's process died.
     */
    public boolean deliverPending(Task t) {
        while (t.isAlive() && !t.process.hasExited()) {
            SignalInfo info = dequeue(t, t.blocked());
            if (info == null) {
                break;
            }
            // The signal-delivery stop of a tracer: it may drop the signal or send another.
            info = kernel.events().signalDelivering(t, info);
            if (info == null) {
                continue;
            }
            Process p = t.process;
            int signo = info.signo();
            SignalActions.Action a = p.signals.get(signo);
            if (a.handler() == SignalActions.SIG_IGN) {
                continue;
            }
            if (a.handler() == SignalActions.SIG_DFL) {
                switch (Signal.defaultAction(signo)) {
                    case IGNORE, CONTINUE -> {
                        continue;
                    }
                    case STOP -> {
                        stop(p, signo);
                        return true;
                    }
                    case TERMINATE, CORE -> {
                        kernel.groupExit(p, new Process.Termination(0, info, t.cpu.pc));
                        return false;
                    }
                }
            }
            handleSignal(t, info, a);
        }
        if (t.restoreSigmask) {
            t.restoreSigmask = false;
            t.setBlocked(t.savedSigmask);
        }
        return t.isAlive() && !t.process.hasExited();
    }

    /** Linux handle_signal: the frame, then the handler's mask and SA_RESETHAND. */
    private void handleSignal(Task t, SignalInfo info, SignalActions.Action a) {
        Process p = t.process;
        int signo = info.signo();
        Object restart = t.takeRestartBlock();
        if (restart instanceof Task.AbandonableRestart held) held.abandon();
        if (restart != null) {
            // Woken to run its poll again, it meets the signal first: Linux's poll loop sees
            // it pending and returns -ERESTARTNOHAND, which is EINTR with a handler.
            t.cpu.pc += 4;
            t.cpu.x[0] = -Errno.EINTR;
        }
        long oldMask = t.restoreSigmask ? t.savedSigmask : t.blocked();
        t.restoreSigmask = false;
        // rseq_signal_deliver: a critical section the signal interrupts aborts, so the frame saves abort_ip.
        boolean rseqFailed = !t.rseq.signalDeliver(p.user, t.cpu, p.mm.layout().taskSize());
        long stackTop = t.cpu.sp;
        SignalActions.AltStack alt = t.altStack;
        boolean altUsable = alt.size() != 0 && (alt.flags() & SignalActions.SS_DISABLE) == 0;
        boolean switchesStack = (a.flags() & SignalActions.SA_ONSTACK) != 0 && altUsable && !t.onAltStack(stackTop);
        if (switchesStack) {
            stackTop = alt.sp() + alt.size();
        }
        try {
            SignalFrame.setup(t, p.user, info, a, stackTop, oldMask, p.vdsoSigreturn());
        } catch (BadUserAddressException e) {
            // Linux signal_setup_done(failed) -> force_sigsegv: the process dies of SIGSEGV.
            kernel.groupExit(p, new Process.Termination(0, SignalInfo.fault(Signal.SIGSEGV, Signal.SI_KERNEL,
                    e.address, "cannot push the frame for " + Signal.name(signo) + " on the stack"), t.cpu.pc));
            return;
        }
        if (switchesStack && (alt.flags() & SignalActions.SS_AUTODISARM) != 0) {
            t.altStack = SignalActions.AltStack.DISABLED;
        }
        long mask = t.blocked() | a.mask();
        if ((a.flags() & SignalActions.SA_NODEFER) == 0) {
            mask |= SignalActions.bit(signo);
        }
        t.setBlocked(mask);
        if ((a.flags() & SignalActions.SA_RESETHAND) != 0) {
            p.signals.set(signo, SignalActions.Action.DEFAULT);
        }
        if (rseqFailed) {
            forceSigsegv(t, signo, "rseq: bad struct rseq or rseq_cs");
        }
    }

    /**
     * Linux force_sigsegv(sig): SIGSEGV that the thread cannot catch when it comes while a
     * SIGSEGV handler is being set up (the handler is reset), nor block or ignore.
     */
    public void forceSigsegv(Task t, int delivering, String why) {
        if (delivering == Signal.SIGSEGV) {
            t.process.signals.set(Signal.SIGSEGV, SignalActions.Action.DEFAULT);
        }
        forceFault(t, SignalInfo.fromKernel(Signal.SIGSEGV, why));
    }

    /** rt_sigreturn for {@code t}; returns the restored x0, or kills with SIGSEGV on a bad frame. */
    public long sigreturn(Task t) {
        long sp = t.cpu.sp;
        try {
            SignalFrame.Restored r = SignalFrame.restore(t, t.process.user);
            t.setBlocked(r.sigmask());
            restoreAltStack(t, r.altStack());
            return t.cpu.x[0];
        } catch (SignalFrame.BadFrameException e) {
            // arm64_notify_segfault(sp): SEGV_MAPERR if nothing is mapped there, else ACCERR.
            int code = t.process.mm.find(sp) == null ? Signal.SEGV_MAPERR : Signal.SEGV_ACCERR;
            forceFault(t, SignalInfo.fault(Signal.SIGSEGV, code, sp, "rt_sigreturn with a bad frame: "
                    + e.getMessage()));
            return t.cpu.x[0];
        }
    }

    /** Linux restore_altstack: as do_sigaltstack would set it, errors ignored. */
    private static void restoreAltStack(Task t, SignalActions.AltStack s) {
        if (t.onAltStack(t.cpu.sp)) {
            return;
        }
        int mode = s.flags() & ~SignalActions.SS_AUTODISARM & ~SignalActions.SS_ONSTACK;
        if (mode == SignalActions.SS_DISABLE) {
            t.altStack = SignalActions.AltStack.DISABLED;
        } else if (mode == 0 && s.size() >= a64emu.guest.loader.AuxVector.MINSIGSTKSZ) {
            t.altStack = new SignalActions.AltStack(s.sp(), s.flags() & SignalActions.SS_AUTODISARM, s.size());
        }
    }
}
