package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalDelivery;
import a64emu.guest.signal.SignalInfo;

/**
 * rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, rt_sigtimedwait,
 * sigaltstack and rt_sigreturn (Linux {@code kernel/signal.c} and arm64's
 * {@code sys_rt_sigreturn}). Handlers are per process; the mask and the alternate stack
 * belong to the calling thread. Signals unblocked here are delivered by the kernel on
 * the way back to user space.
 */
final class SignalSyscalls {
    /** The kernel's sigset_t on arm64: 64 signals, 8 bytes. */
    private static final long SIGSET_SIZE = 8;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;
    private static final int SIG_SETMASK = 2;
    private static final long NANOS = 1_000_000_000L;
    private static final long UNBLOCKABLE = SignalActions.bit(Signal.SIGKILL) | SignalActions.bit(Signal.SIGSTOP);

    private final Process process;

    SignalSyscalls(Process process, ProcessSyscalls processCalls) {
        this.process = process;
    }

    private Task current() {
        return process.current;
    }

    /** struct sigaction as arm64 passes it: sa_handler, sa_flags, sa_restorer, sa_mask (8 bytes each). */
    long rtSigaction(int sig, long act, long oldact, long sigsetsize) throws BadUserAddressException {
        if (sigsetsize != SIGSET_SIZE || sig < 1 || sig > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        if (act != 0 && (sig == Signal.SIGKILL || sig == Signal.SIGSTOP)) {
            return -Errno.EINVAL;
        }
        SignalActions.Action next = null;
        if (act != 0) {
            byte[] b = process.user.read(act, 32);
            next = new SignalActions.Action(le64(b, 0), le64(b, 8), le64(b, 16), le64(b, 24) & ~UNBLOCKABLE);
        }
        if (oldact != 0) {
            SignalActions.Action old = process.signals.get(sig);
            process.user.write64(oldact, old.handler());
            process.user.write64(oldact + 8, old.flags());
            process.user.write64(oldact + 16, old.restorer());
            process.user.write64(oldact + 24, old.mask());
        }
        if (next != null) {
            process.signals.set(sig, next);
            if (process.signals.ignores(sig)) {
                // do_sigaction: a signal now ignored is dropped from every pending queue.
                process.sharedPending.removeIf(s -> s.signo() == sig);
                for (Task t : process.threads()) {
                    t.pending.removeIf(s -> s.signo() == sig);
                }
            }
        }
        return 0;
    }

    long rtSigprocmask(int how, long set, long oldset, long sigsetsize) throws BadUserAddressException {
        if (sigsetsize != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Task t = current();
        long blocked = t.blocked();
        long next = blocked;
        if (set != 0) {
            long s = process.user.read64(set);
            switch (how) {
                case SIG_BLOCK -> next = blocked | s;
                case SIG_UNBLOCK -> next = blocked & ~s;
                case SIG_SETMASK -> next = s;
                default -> {
                    return -Errno.EINVAL;
                }
            }
        }
        if (oldset != 0) {
            process.user.write64(oldset, blocked);
        }
        t.setBlocked(next);
        return 0;
    }

    /** rt_sigpending: the pending signals that are blocked (the others are being delivered). */
    long rtSigpending(long set, long sigsetsize) throws BadUserAddressException {
        if (Long.compareUnsigned(sigsetsize, SIGSET_SIZE) > 0) { // a size_t
            return -Errno.EINVAL;
        }
        Task t = current();
        long pending = SignalDelivery.pendingSet(t) & t.blocked();
        byte[] b = new byte[(int) sigsetsize];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (pending >>> (8 * i));
        }
        process.user.write(set, b);
        return 0;
    }

    /**
     * rt_sigsuspend: the mask is replaced until a signal is delivered, then put back after
     * its handler is set up (the frame saves the old one); always EINTR.
     */
    long rtSigsuspend(long mask, long sigsetsize) throws BadUserAddressException {
        if (sigsetsize != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        long m = process.user.read64(mask);
        Task t = current();
        t.savedSigmask = t.blocked();
        t.restoreSigmask = true;
        t.setBlocked(m);
        if (!SignalDelivery.hasDeliverable(t) && process.kernel != null) {
            t.block(new Task.Wait("rt_sigsuspend", -1, -Errno.EINTR, false));
        }
        return -Errno.EINTR;
    }

    /**
     * rt_sigtimedwait(set, info, timeout, size): takes a pending signal of {@code set} and
     * returns its number (siginfo to {@code info}); otherwise sleeps until one comes (the
     * call runs again) or the timeout passes (EAGAIN).
     */
    long rtSigtimedwait(long set, long info, long timeout, long sigsetsize) throws BadUserAddressException {
        if (sigsetsize != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        long wanted = process.user.read64(set) & ~UNBLOCKABLE;
        long relative = -1;
        if (timeout != 0) {
            long sec = process.user.read64(timeout);
            long nsec = process.user.read64(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= NANOS) {
                return -Errno.EINVAL;
            }
            relative = sec * NANOS + nsec;
        }
        Task t = current();
        SignalInfo s = SignalDelivery.dequeue(t, ~wanted);
        if (s != null) {
            if (info != 0) {
                byte[] b = new byte[128];
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                bb.putInt(0, s.signo());
                bb.putInt(8, s.code());
                bb.putInt(16, s.pid());
                bb.putInt(20, s.uid());
                if (s.signo() == Signal.SIGCHLD) {
                    bb.putInt(24, (int) s.status());
                } else {
                    bb.putLong(24, s.status());
                }
                process.user.write(info, b);
            }
            return s.signo();
        }
        if (relative == 0 || process.kernel == null) {
            return -Errno.EAGAIN;
        }
        long deadline = relative < 0 ? -1 : process.kernel.scheduler().now() + relative;
        Task.Wait w = new Task.Wait("rt_sigtimedwait", deadline, -Errno.EAGAIN, true);
        w.signalSet = wanted;
        w.restartable = false;
        t.block(w);
        return 0;
    }

    /**
     * sigaltstack(ss, old_ss); stack_t: ss_sp (8), ss_flags (int, padded to 8), ss_size (8).
     * EPERM while running on the alternate stack, ENOMEM below MINSIGSTKSZ.
     */
    long sigaltstack(long ss, long oldSs) throws BadUserAddressException {
        Task t = current();
        boolean onStack = t.onAltStack(t.cpu.sp);
        SignalActions.AltStack next = null;
        if (ss != 0) {
            long sp = process.user.read64(ss);
            int flags = process.user.read32(ss + 8);
            long size = process.user.read64(ss + 16);
            if (onStack) {
                return -Errno.EPERM;
            }
            int mode = flags & ~SignalActions.SS_AUTODISARM;
            if (mode != 0 && mode != SignalActions.SS_DISABLE && mode != SignalActions.SS_ONSTACK) {
                return -Errno.EINVAL;
            }
            if (mode == SignalActions.SS_DISABLE) {
                next = SignalActions.AltStack.DISABLED;
            } else {
                if (size < AuxVector.MINSIGSTKSZ) {
                    return -Errno.ENOMEM;
                }
                next = new SignalActions.AltStack(sp, flags & SignalActions.SS_AUTODISARM, size);
            }
        }
        if (oldSs != 0) {
            SignalActions.AltStack old = t.altStack;
            int flags = old.flags() | (onStack ? SignalActions.SS_ONSTACK : 0);
            process.user.write64(oldSs, old.sp());
            process.user.write64(oldSs + 8, flags & 0xFFFF_FFFFL);
            process.user.write64(oldSs + 16, old.size());
        }
        if (next != null) {
            t.altStack = next;
        }
        return 0;
    }

    /**
     * rt_sigqueueinfo(tgid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig, info): a signal
     * with the caller's siginfo (si_code, si_pid, si_uid, si_value). A process may not
     * pretend to be the kernel or kill(2) toward another process: si_code >= 0 or SI_TKILL
     * is EPERM there (Linux do_rt_sigqueueinfo).
     */
    long rtSigqueueinfo(int tgid, int tid, int sig, long uinfo) throws BadUserAddressException {
        if (sig < 0 || sig > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        byte[] b = process.user.read(uinfo, 128);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int code = bb.getInt(8);
        if ((code >= 0 || code == Signal.SI_TKILL) && tgid != process.pid) {
            return -Errno.EPERM;
        }
        SignalInfo info = new SignalInfo(sig, code, SignalInfo.NO_ADDRESS, "sent by sigqueue from pid " + process.pid,
                bb.getInt(16), bb.getInt(20), bb.getLong(24), 0);
        a64emu.guest.Kernel kernel = process.kernel;
        if (kernel == null) {
            if (tgid != process.pid) {
                return -Errno.ESRCH;
            }
            if (sig != 0 && !process.signals.ignores(sig)) {
                current().pending.add(info);
            }
            return 0;
        }
        if (tid > 0) {
            Task t = kernel.task(tid);
            if (t == null || t.process.pid != tgid) {
                return -Errno.ESRCH;
            }
            if (sig != 0) {
                kernel.signals().sendToThread(t, info);
            }
            return 0;
        }
        Task leader = kernel.task(tgid);
        Process p = leader != null ? leader.process : kernel.process(tgid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        if (sig != 0) {
            kernel.signals().sendToProcess(p, info);
        }
        return 0;
    }

    /** rt_sigreturn: the registers come back from the frame at SP; x0 is the frame's. */
    long rtSigreturn() {
        if (process.kernel == null) {
            return -Errno.ENOSYS;
        }
        return process.kernel.signals().sigreturn(current());
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
