package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;

/**
 * rt_sigaction, rt_sigprocmask, sigaltstack: the signal state is kept exactly (so that
 * glibc's start-up and abort() see Linux's answers); running a user handler is issue 5.
 */
final class SignalSyscalls {
    /** The kernel's sigset_t on arm64: 64 signals, 8 bytes. */
    private static final long SIGSET_SIZE = 8;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;
    private static final int SIG_SETMASK = 2;

    private final Process process;
    private final ProcessSyscalls processCalls;

    SignalSyscalls(Process process, ProcessSyscalls processCalls) {
        this.process = process;
        this.processCalls = processCalls;
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
            next = new SignalActions.Action(le64(b, 0), le64(b, 8), le64(b, 16), le64(b, 24)
                    & ~(SignalActions.bit(Signal.SIGKILL) | SignalActions.bit(Signal.SIGSTOP)));
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
        }
        return 0;
    }

    long rtSigprocmask(int how, long set, long oldset, long sigsetsize) throws BadUserAddressException {
        if (sigsetsize != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        long blocked = process.signals.blocked();
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
        process.signals.setBlocked(next);
        int ready = process.signals.takeDeliverable();
        if (ready != 0) {
            processCalls.deliver(ready, Signal.SI_TKILL, "raised while blocked, delivered when unblocked");
        }
        return 0;
    }

    /** stack_t: ss_sp (8), ss_flags (int, padded to 8), ss_size (8). */
    long sigaltstack(long ss, long oldSs) throws BadUserAddressException {
        SignalActions.AltStack next = null;
        if (ss != 0) {
            long sp = process.user.read64(ss);
            int flags = process.user.read32(ss + 8);
            long size = process.user.read64(ss + 16);
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
            SignalActions.AltStack old = process.signals.altStack();
            process.user.write64(oldSs, old.sp());
            process.user.write64(oldSs + 8, old.flags() & 0xFFFF_FFFFL);
            process.user.write64(oldSs + 16, old.size());
        }
        if (next != null) {
            process.signals.setAltStack(next);
        }
        return 0;
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
