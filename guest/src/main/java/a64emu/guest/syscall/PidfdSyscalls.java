package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.PidFd;
import a64emu.guest.signal.Signal;

/**
 * pidfd_open, pidfd_getfd and pidfd_send_signal (Linux {@code kernel/pid.c}, {@code kernel/signal.c}): a
 * descriptor that names one process, through which it is signalled without the race of a
 * reused pid. Polling a pidfd for the process's exit is not offered.
 */
final class PidfdSyscalls {
    /** PIDFD_NONBLOCK is O_NONBLOCK. */
    static final int PIDFD_NONBLOCK = OpenFlags.O_NONBLOCK;

    private final Process process;
    private final ProcessSyscalls proc;
    private final SignalSyscalls signals;

    PidfdSyscalls(Process process, ProcessSyscalls proc, SignalSyscalls signals) {
        this.process = process;
        this.proc = proc;
        this.signals = signals;
    }

    /** The live or zombie process whose leader's pid is {@code pid}; null if none, the caller itself alone. */
    private Process byPid(int pid) {
        if (process.kernel == null) {
            return pid == process.pid ? process : null;
        }
        Task t = process.kernel.task(pid);
        return t != null ? t.process : process.kernel.process(pid);
    }

    /**
     * {@code pidfd_get_task}: the process the pidfd {@code fd} of {@code caller} names, or
     * null with {@code error[0]} EBADF (no pidfd) or ESRCH (reaped since).
     */
    static Process processOf(Process caller, int fd, int[] error) {
        OpenFile f = caller.files.file(fd);
        PidFd pidfd = f == null ? null : PidFd.of(f);
        if (pidfd == null) {
            error[0] = Errno.EBADF;
            return null;
        }
        Process p;
        if (caller.kernel == null) {
            p = pidfd.pid() == caller.pid ? caller : null;
        } else {
            Task t = caller.kernel.task(pidfd.pid());
            p = t != null ? t.process : caller.kernel.process(pidfd.pid());
        }
        if (p == null || p.isReaped() || p.startBoottimeNanos != pidfd.startTime()) {
            error[0] = Errno.ESRCH;
            return null;
        }
        return p;
    }

    /** pidfd_open(pid, flags): EINVAL for a thread that is not a thread-group leader. */
    long pidfdOpen(int pid, int flags) {
        if ((flags & ~PIDFD_NONBLOCK) != 0 || pid <= 0) {
            return -Errno.EINVAL;
        }
        Process p = byPid(pid);
        if (p == null || p.isReaped()) {
            return -Errno.ESRCH;
        }
        if (p.pid != pid) {
            return -Errno.EINVAL; // pid_has_task(pid, PIDTYPE_TGID) fails for a non-leader thread
        }
        return process.files.installNew(new PidFd(pid, p.startBoottimeNanos, flags), true);
    }

    /**
     * pidfd_getfd(pidfd, targetfd, flags): a new descriptor (close-on-exec) for the open file
     * description at {@code targetfd} in the process the pidfd names, with PTRACE_MODE_ATTACH on
     * it: the same user's dumpable process, or any with CAP_SYS_PTRACE.
     */
    long pidfdGetfd(int fd, int targetFd, int flags) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        OpenFile f = process.files.file(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        PidFd pidfd = PidFd.of(f);
        if (pidfd == null) {
            return -Errno.EBADF; // pidfd_pid of another file
        }
        Process p = byPid(pidfd.pid());
        if (p == null || p.isReaped() || p.startBoottimeNanos != pidfd.startTime()) {
            return -Errno.ESRCH;
        }
        if (!PtraceAccess.mayAccess(process, p, false)) {
            return -Errno.EPERM;
        }
        OpenFile target = p.hasExited() ? null : p.files.file(targetFd);
        if (target == null) {
            return -Errno.EBADF; // a zombie has no descriptor table left
        }
        target.retain();
        return process.files.installNew(target, true);
    }

    /**
     * pidfd_send_signal(pidfd, sig, info, flags): as kill(2) to the process the descriptor was
     * made for, or as rt_sigqueueinfo with {@code info}; ESRCH once that process has been reaped.
     */
    long pidfdSendSignal(int fd, int sig, long info, int flags) throws BadUserAddressException {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        OpenFile f = process.files.file(fd);
        PidFd pidfd = f == null ? null : PidFd.of(f);
        if (pidfd == null) {
            return -Errno.EBADF;
        }
        Process p = byPid(pidfd.pid());
        if (p == null || p.isReaped() || p.startBoottimeNanos != pidfd.startTime()) {
            return -Errno.ESRCH;
        }
        if (info != 0) {
            int signo = process.user.read32(info);
            if (signo != sig) {
                return -Errno.EINVAL;
            }
            if (sig < 0 || sig > Signal.NSIG) {
                return -Errno.EINVAL;
            }
            if (!ProcessSyscalls.mayKill(process, p, sig)) {
                return -Errno.EPERM;
            }
            return signals.rtSigqueueinfo(p.pid, 0, sig, info);
        }
        return proc.kill(p.pid, sig);
    }
}
