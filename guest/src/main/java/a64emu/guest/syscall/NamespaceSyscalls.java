package a64emu.guest.syscall;

import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.PidFd;

/**
 * unshare and setns (Linux {@code kernel/fork.c} ksys_unshare, {@code kernel/nsproxy.c}
 * setns). This kernel has one set of namespaces, which an unprivileged process can neither
 * leave nor enter: a new namespace is EPERM, as clone answers. What unshare can take apart is
 * the descriptor table shared with another process (CLONE_FILES, with CLONE_FS the working
 * directory and umask that travel with it here); CLONE_THREAD, CLONE_SIGHAND and CLONE_VM are
 * accepted when there is nothing to unshare, as Linux accepts them.
 */
final class NamespaceSyscalls {
    static final long CSIGNAL_NEWTIME = 0x80; // CLONE_NEWTIME shares its bit with the exit signal
    static final long CLONE_VM = 0x100;
    static final long CLONE_FS = 0x200;
    static final long CLONE_FILES = 0x400;
    static final long CLONE_SIGHAND = 0x800;
    static final long CLONE_THREAD = 0x10000;
    static final long CLONE_NEWNS = 0x20000;
    static final long CLONE_SYSVSEM = 0x40000;
    static final long CLONE_NEWCGROUP = 0x200_0000;
    static final long CLONE_NEWUTS = 0x400_0000;
    static final long CLONE_NEWIPC = 0x800_0000;
    static final long CLONE_NEWUSER = 0x1000_0000;
    static final long CLONE_NEWPID = 0x2000_0000;
    static final long CLONE_NEWNET = 0x4000_0000;
    static final long NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
            | CLONE_NEWPID | CLONE_NEWNET | CSIGNAL_NEWTIME;
    private static final long UNSHARE_OK = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES
            | CLONE_SYSVSEM | NAMESPACES;

    private final Process process;

    NamespaceSyscalls(Process process) {
        this.process = process;
    }

    /** unshare(flags): the implied flags added first, then check_unshare_flags. */
    long unshare(long flags) {
        if ((flags & CLONE_NEWUSER) != 0) {
            flags |= CLONE_THREAD | CLONE_FS;
        }
        if ((flags & CLONE_VM) != 0) {
            flags |= CLONE_SIGHAND;
        }
        if ((flags & CLONE_SIGHAND) != 0) {
            flags |= CLONE_THREAD;
        }
        if ((flags & CLONE_NEWNS) != 0) {
            flags |= CLONE_FS;
        }
        if ((flags & ~UNSHARE_OK) != 0) {
            return -Errno.EINVAL;
        }
        boolean singleThreaded = liveThreads() == 1;
        if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) != 0 && !singleThreaded) {
            return -Errno.EINVAL;
        }
        if ((flags & (CLONE_SIGHAND | CLONE_VM)) != 0 && handlersShared()) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_VM) != 0 && process.kernel != null && process.kernel.isShared(process.mm)) {
            return -Errno.EINVAL; // current_is_single_threaded: another process uses the mm
        }
        if ((flags & NAMESPACES) != 0) {
            return -Errno.EPERM; // creating namespaces is not offered (as clone)
        }
        boolean filesShared = process.kernel != null && process.kernel.isShared(process.files);
        if ((flags & (CLONE_FILES | CLONE_FS)) != 0 && !singleThreaded) {
            return -Errno.EINVAL; // the threads share one table here: one of them cannot get its own
        }
        if ((flags & (CLONE_FILES | CLONE_FS)) == CLONE_FS && filesShared) {
            return -Errno.EINVAL; // the working directory travels with the descriptors here
        }
        if ((flags & CLONE_FILES) != 0 && filesShared) {
            process.kernel.leave(process.files);
            process.unshareFiles(process.files.copyForFork());
        }
        return 0; // CLONE_SYSVSEM: no System V semaphore undo list to leave
    }

    private int liveThreads() {
        int n = 0;
        for (var t : process.threads()) {
            if (t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /** Whether another process uses the same handler table (clone with CLONE_SIGHAND and without CLONE_THREAD). */
    private boolean handlersShared() {
        if (process.kernel == null) {
            return false;
        }
        for (Process p : process.kernel.processes()) {
            if (p != process && !p.hasExited() && p.signals == process.signals) {
                return true;
            }
        }
        return false;
    }

    /**
     * setns(fd, nstype): this kernel has no namespace files, so a descriptor is either a pidfd
     * or EINVAL. Through a pidfd, the flags must name namespaces; joining the caller's own user
     * namespace is EINVAL, any other needs CAP_SYS_ADMIN (EPERM).
     */
    long setns(int fd, int nstype) {
        OpenFile f = process.files.file(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        PidFd pidfd = PidFd.of(f);
        if (pidfd == null) {
            return -Errno.EINVAL;
        }
        long flags = nstype & 0xFFFF_FFFFL;
        if (flags == 0 || (flags & ~NAMESPACES) != 0) {
            return -Errno.EINVAL; // check_setns_flags
        }
        Process target = process.kernel == null ? null : process.kernel.process(pidfd.pid());
        if (target == null || target.hasExited() || target.startBoottimeNanos != pidfd.startTime()) {
            return -Errno.ESRCH;
        }
        if ((flags & CLONE_NEWUSER) != 0) {
            return -Errno.EINVAL; // userns_install: the same user namespace
        }
        if (!process.capable(Process.CAP_SYS_ADMIN)) {
            return -Errno.EPERM;
        }
        return 0; // the target's namespaces are the caller's: nothing changes
    }
}
