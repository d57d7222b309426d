package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.Inotify;
import a64emu.guest.fs.OpenFile;

/**
 * inotify_init1(2), inotify_add_watch(2) and inotify_rm_watch(2) (Linux 6.1
 * {@code fs/notify/inotify/inotify_user.c}); the instance and its events are
 * {@link Inotify}, the watches and the hooks {@link a64emu.guest.fs.Fsnotify}. Reading an
 * instance is read(2) on it (sleeping while the queue is empty, unless IN_NONBLOCK), and
 * FIONREAD tells the bytes queued.
 */
final class InotifySyscalls {
    private final Process process;

    InotifySyscalls(Process process) {
        this.process = process;
    }

    long init1(int flags) {
        if ((flags & ~(Inotify.IN_CLOEXEC | Inotify.IN_NONBLOCK)) != 0) return -Errno.EINVAL;
        Object made = process.files.fileSystem().fsnotify().newInstance(process.credentials.euid(), flags, channel -> {
            if (process.kernel != null) process.kernel.wakeChannel(channel);
        });
        if (made instanceof Integer errno) return errno;
        return process.files.installNew((OpenFile) made, (flags & Inotify.IN_CLOEXEC) != 0);
    }

    long addWatch(int fd, long pathVa, int mask) throws BadUserAddressException {
        if ((mask & ~Inotify.ALL_INOTIFY_BITS) != 0 || (mask & Inotify.ALL_INOTIFY_BITS) == 0) return -Errno.EINVAL;
        OpenFile f = process.files.file(fd);
        if (f == null || f.isPathOnly()) return -Errno.EBADF;
        if ((mask & Inotify.IN_MASK_ADD) != 0 && (mask & Inotify.IN_MASK_CREATE) != 0) return -Errno.EINVAL;
        if (!(f instanceof Inotify)) return -Errno.EINVAL;
        String path = process.user.readCString(pathVa, FileSyscalls.PATH_MAX - 1);
        if (path == null) return -Errno.ENAMETOOLONG;
        return process.files.inotifyAddWatch(fd, path, mask);
    }

    long rmWatch(int fd, int wd) {
        return process.files.inotifyRmWatch(fd, wd);
    }
}
