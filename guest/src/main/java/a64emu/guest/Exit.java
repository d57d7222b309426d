package a64emu.guest;

import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayList;

/**
 * How processes end and are waited for, Linux {@code kernel/exit.c}: the exit of a thread
 * (its futexes), of the last thread (resources released, children given to init, the
 * parent told with SIGCHLD), and wait4/waitid with Linux's status encoding.
 */
public final class Exit {
    private Exit() {}

    /** wait4/waitid options (UAPI linux/wait.h). */
    static final int WNOHANG = 0x0000_0001;
    static final int WUNTRACED = 0x0000_0002;
    static final int WEXITED = 0x0000_0004;
    static final int WCONTINUED = 0x0000_0008;
    static final int WNOWAIT = 0x0100_0000;
    static final int WNOTHREAD = 0x2000_0000;
    static final int WALL = 0x4000_0000;
    static final int WCLONE = 0x8000_0000;
    /** waitid idtype. */
    static final int P_ALL = 0;
    static final int P_PID = 1;
    static final int P_PGID = 2;

    /** futex word bits of robust mutexes (UAPI linux/futex.h). */
    static final int FUTEX_WAITERS = 0x8000_0000;
    static final int FUTEX_OWNER_DIED = 0x4000_0000;
    static final int FUTEX_TID_MASK = 0x3FFF_FFFF;
    /** Linux ROBUST_LIST_LIMIT: a circular or endless list stops here. */
    static final int ROBUST_LIST_LIMIT = 2048;

    /** What a thread blocked in wait4/waitid waits on. */
    static final String WAIT_CHILD = "wait4 for a child";
    static final String WAIT_VFORK = "vfork, until the child execs or exits";

    /**
     * Linux exit_robust_list and mm_release for an exiting thread: every robust mutex it
     * still holds is marked FUTEX_OWNER_DIED and a waiter woken; then clear_child_tid is
     * zeroed and one waiter woken (what pthread_join sleeps on). Runs in the thread's own
     * address space.
     */
    static void releaseThreadFutexes(Kernel kernel, Task t) {
        Process p = t.process;
        kernel.withAddressSpace(p, () -> {
            UserMemory user = p.user;
            if (t.robustListHead != 0) {
                try {
                    long head = t.robustListHead;
                    long entry = user.read64(head);
                    long offset = user.read64(head + 8);
                    long pending = user.read64(head + 16);
                    int n = 0;
                    while (entry != head && entry != 0 && n++ < ROBUST_LIST_LIMIT) {
                        long next = user.read64(entry);
                        if (entry != pending) {
                            futexDeath(kernel, t, entry + offset);
                        }
                        entry = next;
                    }
                    if (pending != 0) {
                        futexDeath(kernel, t, pending + offset);
                    }
                } catch (BadUserAddressException e) {
                    // Linux stops walking a list it cannot read; the thread exits all the same.
                }
            }
            if (t.clearChildTid != 0) {
                try {
                    user.write32(t.clearChildTid, 0);
                    kernel.futex().wakeAddress(t, t.clearChildTid, 1);
                } catch (BadUserAddressException e) {
                    // put_user failing is ignored by mm_release.
                }
            }
        });
    }

    private static void futexDeath(Kernel kernel, Task t, long uaddr) throws BadUserAddressException {
        if ((uaddr & 3) != 0) {
            return;
        }
        int uval = t.process.user.read32(uaddr);
        if ((uval & FUTEX_TID_MASK) != t.tid) {
            return;
        }
        t.process.user.write32(uaddr, (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
        if ((uval & FUTEX_WAITERS) != 0) {
            kernel.futex().wakeAddress(t, uaddr, 1);
        }
    }

    /**
     * The last thread is gone (Linux do_exit's exit_mm, exit_files, exit_notify): memory
     * and files released, a vfork parent let go, children given to init (which reaps the
     * zombies among them), and the parent told.
     */
    static void exitProcess(Kernel kernel, Process p) {
        if (kernel.ipc() != null) {
            // exit_sem, before exit_mm as in do_exit: the SEM_UNDO adjustments are applied.
            kernel.ipc().exitProcess(p.pid);
        }
        kernel.releaseProcess(p);
        releaseVforkParent(p);
        for (Process child : new ArrayList<>(p.children())) {
            if (!child.hasExited() && child.pdeathSignal() != 0) {
                // forget_original_parent: prctl(PR_SET_PDEATHSIG)'s signal, SEND_SIG_NOINFO from the parent.
                kernel.signals().sendToProcess(child, SignalInfo.fromProcess(child.pdeathSignal(), Signal.SI_USER,
                        p.pid, (int) p.credentials.uid(), "parent " + p.pid + " died"));
            }
            child.orphan();
            if (child.hasExited()) {
                child.markReaped();
                kernel.forget(child);
            }
        }
        p.children().clear();
        Process parent = p.parent();
        if (parent == null) {
            // init reaps at once; the first process's status is read from the object itself.
            p.markReaped();
            if (p.pid != Kernel.FIRST_PID) {
                kernel.forget(p);
            }
            return;
        }
        // The waiters first: a wait4 that finds the zombie returns it rather than EINTR.
        wakeWaiters(parent);
        SignalActions.Action chld = parent.signals.get(Signal.SIGCHLD);
        boolean autoreap = p.exitSignal == Signal.SIGCHLD && (chld.handler() == SignalActions.SIG_IGN
                || (chld.flags() & SignalActions.SA_NOCLDWAIT) != 0);
        if (p.exitSignal != 0 && !parent.hasExited()) {
            Process.Termination why = p.termination();
            int code = why.signal() == null ? Signal.CLD_EXITED
                    : why.coreDumped() ? Signal.CLD_DUMPED : Signal.CLD_KILLED;
            int status = why.signal() == null ? why.exitCode() & 0xFF : why.signal().signo();
            kernel.signals().sendToProcess(parent, new SignalInfo(p.exitSignal, code, SignalInfo.NO_ADDRESS,
                    "child " + p.pid + " ended", p.pid, (int) p.credentials.uid(), status, 0));
        }
        if (autoreap) {
            p.markReaped();
            parent.children().remove(p);
            kernel.forget(p);
        }
        wakeWaiters(parent);
    }

    /** The vfork parent sleeps until the child execs or exits (Linux complete_vfork_done). */
    static void releaseVforkParent(Process child) {
        Task parent = child.vforkParent;
        if (parent != null) {
            child.vforkParent = null;
            if (parent.state() == Task.State.BLOCKED && parent.waitingFor().reason.equals(WAIT_VFORK)) {
                parent.wake(child.pid); // vfork's result in the parent
            }
        }
    }

    /** Threads of {@code parent} sleeping in wait4 run their call again. */
    static void wakeWaiters(Process parent) {
        for (Task t : parent.threads()) {
            if (t.state() == Task.State.BLOCKED && t.waitingFor().reason.equals(WAIT_CHILD)) {
                t.wake(0);
            }
        }
    }

    /** Whether {@code child} is one that pid and options select (Linux eligible_child). */
    private static boolean selects(Process caller, Process child, int pid, int options) {
        if (pid > 0 && child.pid != pid) {
            return false;
        }
        // 0: the caller's process group; -pgid another one (Linux PIDTYPE_PGID).
        if (pid == 0 && child.pgid != caller.pgid) {
            return false;
        }
        if (pid < -1 && child.pgid != -pid) {
            return false;
        }
        if ((options & WALL) != 0) {
            return true;
        }
        boolean cloneChild = child.exitSignal != Signal.SIGCHLD;
        return cloneChild == ((options & WCLONE) != 0);
    }

    /** What a wait found: whether any child was selected, and the one to report with its kind. */
    private record Found(boolean any, Process child, Report report) {}

    /** What a wait reports about a child (Linux wait_task_zombie, _stopped, _continued). */
    private enum Report { EXITED, STOPPED, CONTINUED }

    private static Found find(Process caller, int pid, int options, boolean exited) {
        boolean any = false;
        for (Process child : caller.children()) {
            if (!selects(caller, child, pid, options)) {
                continue;
            }
            any = true;
            if (exited && child.hasExited() && !child.isReaped()) {
                return new Found(true, child, Report.EXITED);
            }
            if ((options & WUNTRACED) != 0 && child.stopReport != 0 && !child.hasExited()) {
                return new Found(true, child, Report.STOPPED);
            }
            if ((options & WCONTINUED) != 0 && child.continueReport && !child.hasExited()) {
                return new Found(true, child, Report.CONTINUED);
            }
        }
        return new Found(any, null, null);
    }

    /**
     * wait4(pid, wstatus, options, rusage): reports a child and returns its pid with the
     * status word (exited: code << 8; killed: signal, 0x80 with a core; stopped, with
     * WUNTRACED: signal << 8 | 0x7f; continued, with WCONTINUED: 0xffff), reaping a zombie;
     * 0 with WNOHANG and none ready; ECHILD with no child to wait for; otherwise the thread
     * sleeps and the call runs again when a child changes state.
     */
    public static long wait4(Kernel kernel, Task t, int pid, long wstatus, int options, long rusage)
            throws BadUserAddressException {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            return -Errno.EINVAL;
        }
        if (pid == Integer.MIN_VALUE) {
            return -Errno.ESRCH;
        }
        Found f = find(t.process, pid, options, true);
        if (!f.any()) {
            return -Errno.ECHILD;
        }
        if (f.child() == null) {
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            t.block(new Task.Wait(WAIT_CHILD, -1, 0, true));
            return 0;
        }
        Process child = f.child();
        int status = switch (f.report()) {
            case EXITED -> child.termination().waitStatus();
            case STOPPED -> (child.stopReport << 8) | 0x7f;
            case CONTINUED -> 0xffff;
        };
        if (wstatus != 0) {
            t.process.user.write32(wstatus, status);
        }
        if (rusage != 0) {
            t.process.user.write(rusage, childUsage(child));
        }
        consume(kernel, t.process, f);
        return child.pid;
    }

    /** The report is taken: a zombie is reaped, a stop or continue is not reported again. */
    private static void consume(Kernel kernel, Process parent, Found f) {
        switch (f.report()) {
            case EXITED -> reap(kernel, parent, f.child());
            case STOPPED -> f.child().stopReport = 0;
            case CONTINUED -> f.child().continueReport = false;
        }
    }

    /**
     * waitid(idtype, id, infop, options, rusage): as wait4, reporting in a siginfo
     * (si_signo SIGCHLD, si_code CLD_*, si_pid, si_uid, si_status); WNOWAIT leaves the
     * report in place; 0 with WNOHANG and nothing ready, the siginfo's pid then 0.
     */
    public static long waitid(Kernel kernel, Task t, int idtype, int id, long infop, int options, long rusage)
            throws BadUserAddressException {
        if ((options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0
                || (options & (WEXITED | WUNTRACED | WCONTINUED)) == 0) {
            return -Errno.EINVAL;
        }
        int pid = switch (idtype) {
            case P_ALL -> -1;
            case P_PID -> id <= 0 ? 0 : id;
            case P_PGID -> id < 0 ? 0 : id == 0 ? -t.process.pgid : -id;
            default -> 0;
        };
        if (pid == 0) {
            return -Errno.EINVAL;
        }
        Found f = find(t.process, pid, options, (options & WEXITED) != 0);
        if (!f.any()) {
            return -Errno.ECHILD;
        }
        byte[] info = new byte[128];
        if (f.child() == null) {
            if ((options & WNOHANG) != 0) {
                if (infop != 0) {
                    t.process.user.write(infop, info);
                }
                return 0;
            }
            t.block(new Task.Wait(WAIT_CHILD, -1, 0, true));
            return 0;
        }
        Process child = f.child();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Signal.SIGCHLD);
        int code;
        int status;
        switch (f.report()) {
            case STOPPED -> {
                code = Signal.CLD_STOPPED;
                status = child.stopReport;
            }
            case CONTINUED -> {
                code = Signal.CLD_CONTINUED;
                status = Signal.SIGCONT;
            }
            default -> {
                Process.Termination why = child.termination();
                code = why.signal() == null ? Signal.CLD_EXITED : why.coreDumped() ? Signal.CLD_DUMPED
                        : Signal.CLD_KILLED;
                status = why.signal() == null ? why.exitCode() & 0xFF : why.signal().signo();
            }
        }
        b.putInt(8, code);
        b.putInt(16, child.pid);
        b.putInt(20, (int) child.credentials.uid());
        b.putInt(24, status);
        if (infop != 0) {
            t.process.user.write(infop, info);
        }
        if (rusage != 0) {
            t.process.user.write(rusage, childUsage(child));
        }
        if ((options & WNOWAIT) == 0) {
            consume(kernel, t.process, f);
        }
        return 0;
    }

    /** What wait reports of a child: its own usage and its reaped children's (Linux RUSAGE_BOTH). */
    private static byte[] childUsage(Process child) {
        return child.usage().add(child.reapedChildrenUsage)
                .toRusage(Math.max(child.maxRssPages(), child.reapedChildrenMaxRssPages));
    }

    private static void reap(Kernel kernel, Process parent, Process child) {
        child.chargeToParent(parent);
        child.markReaped();
        parent.children().remove(child);
        kernel.forget(child);
    }
}
