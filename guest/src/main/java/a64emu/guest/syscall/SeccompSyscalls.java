package a64emu.guest.syscall;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.security.Bpf;
import a64emu.guest.security.Seccomp;
import a64emu.guest.security.SeccompFilter;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;

/**
 * seccomp(2), prctl's PR_SET_SECCOMP/PR_GET_SECCOMP and the check at every system call entry
 * (Linux {@code kernel/seccomp.c}); the filters and their interpreter live in
 * {@code a64emu.guest.security}. Each thread has its own chain ({@link Task#seccomp}). No
 * filter has a user-space listener or a tracer here.
 */
final class SeccompSyscalls {
    static final int SET_MODE_STRICT = 0;
    static final int SET_MODE_FILTER = 1;
    static final int GET_ACTION_AVAIL = 2;
    static final int GET_NOTIF_SIZES = 3;

    static final int FLAG_TSYNC = 1;
    static final int FLAG_LOG = 2;
    static final int FLAG_SPEC_ALLOW = 4;
    static final int FLAG_NEW_LISTENER = 8;
    static final int FLAG_TSYNC_ESRCH = 16;
    static final int FLAG_WAIT_KILLABLE_RECV = 32;
    static final int FLAG_MASK = 63;

    /** sizeof(struct seccomp_notif), sizeof(struct seccomp_notif_resp). */
    static final int NOTIF_SIZE = 80;
    static final int NOTIF_RESP_SIZE = 24;
    /** MAX_ERRNO: the largest errno SECCOMP_RET_ERRNO returns. */
    static final int MAX_ERRNO = 4095;

    private final Process process;

    SeccompSyscalls(Process process) {
        this.process = process;
    }

    /** do_seccomp. */
    long seccomp(int op, int flags, long uargs) throws BadUserAddressException {
        return switch (op) {
            case SET_MODE_STRICT -> flags != 0 || uargs != 0 ? -Errno.EINVAL : setStrict();
            case SET_MODE_FILTER -> setFilter(flags, uargs);
            case GET_ACTION_AVAIL -> {
                if (flags != 0) yield -Errno.EINVAL;
                yield Seccomp.actionAvailable(process.user.read32(uargs)) ? 0 : -Errno.ENOTSUP;
            }
            case GET_NOTIF_SIZES -> {
                if (flags != 0) yield -Errno.EINVAL;
                byte[] sizes = {NOTIF_SIZE, 0, NOTIF_RESP_SIZE, 0, SeccompFilter.DATA_SIZE, 0};
                process.user.write(uargs, sizes);
                yield 0;
            }
            default -> -Errno.EINVAL;
        };
    }

    /** prctl(PR_SET_SECCOMP, mode, filter): seccomp(2) without flags; strict mode ignores filter. */
    long prctlSet(long mode, long filter) throws BadUserAddressException {
        if (mode == Seccomp.MODE_STRICT) {
            return seccomp(SET_MODE_STRICT, 0, 0);
        }
        return mode == Seccomp.MODE_FILTER ? seccomp(SET_MODE_FILTER, 0, filter) : -Errno.EINVAL;
    }

    private long setStrict() {
        if (!process.current.seccomp.mayAssign(Seccomp.MODE_STRICT)) {
            return -Errno.EINVAL;
        }
        process.current.seccomp.setStrict();
        return 0;
    }

    /**
     * seccomp_set_mode_filter: flags, then the struct sock_fprog (EFAULT), its length, the
     * privilege (no_new_privs or CAP_SYS_ADMIN, else EACCES), the program (EFAULT, EINVAL),
     * the mode (EINVAL after strict) and the total length of the chain (ENOMEM).
     */
    private long setFilter(int flags, long uargs) throws BadUserAddressException {
        if ((flags & ~FLAG_MASK) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & FLAG_TSYNC) != 0 && (flags & FLAG_NEW_LISTENER) != 0 && (flags & FLAG_TSYNC_ESRCH) == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & FLAG_WAIT_KILLABLE_RECV) != 0 && (flags & FLAG_NEW_LISTENER) == 0) {
            return -Errno.EINVAL;
        }
        // struct sock_fprog: unsigned short len, (padding), struct sock_filter *filter.
        int len = process.user.read32(uargs) & 0xFFFF;
        long insns = process.user.read64(uargs + 8);
        if (len == 0 || len > Bpf.MAXINSNS) {
            return -Errno.EINVAL;
        }
        if (!process.noNewPrivs() && !process.capable(Process.CAP_SYS_ADMIN)) {
            return -Errno.EACCES;
        }
        Bpf.Insn[] checked = SeccompFilter.check(Bpf.decode(process.user.read(insns, len * Bpf.INSN_SIZE), len));
        if (checked == null) {
            return -Errno.EINVAL;
        }
        if ((flags & FLAG_NEW_LISTENER) != 0) {
            return -Errno.EINVAL; // no user-space notification listener here
        }
        Seccomp own = process.current.seccomp;
        if (!own.mayAssign(Seccomp.MODE_FILTER)) {
            return -Errno.EINVAL;
        }
        if (!own.fits(checked)) {
            return -Errno.ENOMEM;
        }
        if ((flags & FLAG_TSYNC) != 0) {
            // seccomp_can_sync_threads: the first thread that cannot take the caller's chain.
            for (Task t : process.threads()) {
                if (t != process.current && t.isAlive() && !t.seccomp.canSyncTo(own)) {
                    return (flags & FLAG_TSYNC_ESRCH) != 0 ? -Errno.ESRCH : t.tid;
                }
            }
        }
        own.attach(checked, (flags & FLAG_LOG) != 0);
        if ((flags & FLAG_TSYNC) != 0) {
            for (Task t : process.threads()) {
                if (t != process.current && t.isAlive()) {
                    t.seccomp.syncFrom(own);
                }
            }
        }
        return 0;
    }

    /**
     * __secure_computing at system call entry, before the call runs: true when the filters
     * (or strict mode) stopped it, with x0 holding what Linux leaves there: -errno for
     * RET_ERRNO, -ENOSYS for RET_USER_NOTIF and RET_TRACE (no listener, no tracer), the first
     * argument still for RET_TRAP (syscall_rollback), and a SIGSYS or SIGKILL on its way.
     */
    boolean stops(Cpu cpu, int nr) {
        Seccomp s = process.current.seccomp;
        if (s.mode() == Seccomp.MODE_DISABLED) {
            return false;
        }
        long[] args = {cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]};
        Seccomp.Verdict v = s.check(nr, cpu.pc, args);
        int action = v.action();
        if (s.mode() == Seccomp.MODE_STRICT) {
            if (action == Seccomp.RET_ALLOW) {
                return false;
            }
            log(nr, Signal.SIGKILL, Seccomp.RET_KILL_THREAD, cpu.pc);
            killThread(SignalInfo.fromKernel(Signal.SIGKILL, "seccomp strict mode: system call " + nr));
            return true;
        }
        switch (action) {
            case Seccomp.RET_ALLOW -> {
                return false;
            }
            case Seccomp.RET_LOG -> {
                log(nr, 0, action, cpu.pc);
                return false;
            }
            case Seccomp.RET_ERRNO -> {
                if (v.log()) log(nr, 0, action, cpu.pc);
                cpu.x[0] = -Math.min(v.data(), MAX_ERRNO);
            }
            case Seccomp.RET_USER_NOTIF, Seccomp.RET_TRACE -> {
                if (v.log()) log(nr, 0, action, cpu.pc);
                cpu.x[0] = -Errno.ENOSYS;
            }
            case Seccomp.RET_TRAP -> {
                if (v.log()) log(nr, 0, action, cpu.pc); // Linux logs a trap with sig=0
                sigsys(SignalInfo.seccomp(nr, cpu.pc, SeccompFilter.AUDIT_ARCH_AARCH64, v.data(),
                        "seccomp SECCOMP_RET_TRAP, system call " + nr), false);
            }
            default -> {
                // KILL_THREAD, KILL_PROCESS and any unknown action.
                log(nr, Signal.SIGSYS, action, cpu.pc);
                SignalInfo info = SignalInfo.seccomp(nr, cpu.pc, SeccompFilter.AUDIT_ARCH_AARCH64, v.data(),
                        "seccomp killed the " + (action == Seccomp.RET_KILL_THREAD ? "thread" : "process")
                        + ", system call " + nr);
                if (action == Seccomp.RET_KILL_THREAD && !lastThread()) {
                    process.kernel.exitThread(process.current);
                } else {
                    sigsys(info, true);
                }
            }
        }
        return true;
    }

    /**
     * force_sig_seccomp: a SIGSYS the thread takes before it returns to user space, unblocked
     * and back to its default action if blocked or ignored; a kill resets the handler too,
     * so the default action (a core dump) ends the process.
     */
    private void sigsys(SignalInfo info, boolean kill) {
        if (process.kernel == null) {
            process.kill(info, process.current.cpu.pc); // a process built alone: no signal delivery
            return;
        }
        if (kill) {
            process.signals.set(Signal.SIGSYS, SignalActions.Action.DEFAULT);
        }
        process.kernel.signals().forceFault(process.current, info);
    }

    /** do_exit(signal) of the calling thread: the process ends with the signal when it was the last. */
    private void killThread(SignalInfo info) {
        Task t = process.current;
        if (process.kernel == null) {
            process.kill(info, t.cpu.pc);
        } else if (lastThread()) {
            process.kernel.groupExit(process, new Process.Termination(0, info, t.cpu.pc));
        } else {
            process.kernel.exitThread(t);
        }
    }

    private boolean lastThread() {
        for (Task other : process.threads()) {
            if (other != process.current && other.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** seccomp_log / audit_seccomp: an AUDIT_SECCOMP (1326) record in the kernel log. */
    private void log(int nr, int signo, int action, long pc) {
        if (process.kernel == null) {
            return;
        }
        process.kernel.kernelLog().log(KernelLog.NOTICE, String.format(
                "audit: type=1326 auid=4294967295 uid=%d gid=%d ses=4294967295 pid=%d comm=\"%s\" sig=%d"
                        + " arch=%x syscall=%d compat=0 ip=0x%x code=0x%x",
                process.credentials.uid(), process.credentials.gid(), process.pid, process.comm(), signo,
                SeccompFilter.AUDIT_ARCH_AARCH64, nr, pc, action));
    }
}
