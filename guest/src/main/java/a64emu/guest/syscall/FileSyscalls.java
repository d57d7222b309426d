package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.UserMemory;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.Inotify;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.StatFs;
import a64emu.guest.fs.Terminal;
import java.util.function.ToIntFunction;

/**
 * File system calls: each copies its guest buffers and strings through {@link UserMemory}
 * and leaves the file semantics to the process's {@link FileTable}.
 */
final class FileSyscalls {
    /** PATH_MAX including the NUL. */
    static final int PATH_MAX = 4096;
    /** Linux MAX_RW_COUNT: one read or write moves at most INT_MAX rounded down to a page. */
    private static final long MAX_RW_COUNT = 0x7FFF_F000L;
    /** Bytes moved between the guest and the file table per step. */
    static final int CHUNK = 1 << 20;
    /** UIO_MAXIOV. */
    private static final int IOV_MAX = 1024;

    private final FileTable files;
    private final UserMemory user;

    FileSyscalls(FileTable files, UserMemory user) {
        this.files = files;
        this.user = user;
    }

    /** A path argument; null means ENAMETOOLONG. */
    private String path(long va) throws BadUserAddressException {
        return user.readCString(va, PATH_MAX - 1);
    }

    long openat(int dirfd, long pathVa, int flags, int mode) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.openat(dirfd, path, flags, mode);
    }

    long close(int fd) {
        return files.close(fd);
    }

    long read(int fd, long buf, long count) throws BadUserAddressException {
        if (count < 0) {
            return -Errno.EINVAL;
        }
        long want = Math.min(count, MAX_RW_COUNT);
        long done = 0;
        do {
            int len = (int) Math.min(want - done, CHUNK);
            byte[] b = new byte[len];
            long n = files.read(fd, b, 0, len);
            if (n < 0) {
                return done > 0 ? done : n;
            }
            user.write(buf + done, b, 0, (int) n);
            done += n;
            if (n < len) {
                break;
            }
        } while (done < want);
        return done;
    }

    long write(int fd, long buf, long count) throws BadUserAddressException {
        if (count < 0) {
            return -Errno.EINVAL;
        }
        long want = Math.min(count, MAX_RW_COUNT);
        long done = 0;
        do {
            int len = (int) Math.min(want - done, CHUNK);
            byte[] b;
            try {
                b = user.read(buf + done, len);
            } catch (BadUserAddressException e) {
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            long n = files.write(fd, b, 0, len);
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (n < len) {
                break;
            }
        } while (done < want);
        return done;
    }

    long pread(int fd, long buf, long count, long pos) throws BadUserAddressException {
        if (count < 0 || pos < 0) {
            return -Errno.EINVAL;
        }
        int len = (int) Math.min(count, CHUNK * 16L);
        byte[] b = new byte[len];
        long n = files.pread(fd, b, 0, len, pos);
        if (n > 0) {
            user.write(buf, b, 0, (int) n);
        }
        return n;
    }

    long pwrite(int fd, long buf, long count, long pos) throws BadUserAddressException {
        if (count < 0 || pos < 0) {
            return -Errno.EINVAL;
        }
        int len = (int) Math.min(count, CHUNK * 16L);
        byte[] b = user.read(buf, len);
        return files.pwrite(fd, b, 0, len, pos);
    }

    /**
     * The iovec array (struct iovec {void *iov_base; size_t iov_len;}: 16 bytes each), or null
     * for EINVAL: a count beyond UIO_MAXIOV, or lengths whose sum overflows.
     */
    long[][] iovecs(long iov, int iovcnt) throws BadUserAddressException {
        return iovecs(user, iov, iovcnt);
    }

    /** {@link #iovecs(long, int)} in {@code user}'s memory. */
    static long[][] iovecs(UserMemory user, long iov, int iovcnt) throws BadUserAddressException {
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            return null;
        }
        long[][] v = new long[iovcnt][2];
        long total = 0;
        for (int i = 0; i < iovcnt; i++) {
            v[i][0] = user.read64(iov + 16L * i);
            v[i][1] = user.read64(iov + 16L * i + 8);
            if (v[i][1] < 0 || total + v[i][1] < 0) {
                return null;
            }
            total += v[i][1];
        }
        return v;
    }

    /** A read or write of one guest buffer. */
    @FunctionalInterface
    private interface Transfer {
        long apply(long buf, long count) throws BadUserAddressException;
    }

    /**
     * One transfer per iovec, as Linux's do_loop_readv_writev: it stops at the first that fails
     * (whose error is the answer if nothing moved before it) or that moves less than asked.
     */
    private static long eachIovec(long[][] v, Transfer transfer) throws BadUserAddressException {
        long done = 0;
        for (long[] e : v) {
            long n = transfer.apply(e[0], e[1]);
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (n < e[1]) {
                break;
            }
        }
        return done;
    }

    long writev(int fd, long iov, int iovcnt) throws BadUserAddressException {
        long[][] v = iovecs(iov, iovcnt);
        if (v == null) {
            return -Errno.EINVAL;
        }
        // One write of the gathered bytes, so that the pieces stay together like Linux's writev.
        long total = 0;
        for (long[] e : v) {
            total += e[1];
        }
        if (total > CHUNK * 16L) {
            return eachIovec(v, (buf, count) -> write(fd, buf, count));
        }
        byte[] all = new byte[(int) total];
        int off = 0;
        for (long[] e : v) {
            user.read(e[0], all, off, (int) e[1]);
            off += (int) e[1];
        }
        return files.write(fd, all, 0, all.length);
    }

    long readv(int fd, long iov, int iovcnt) throws BadUserAddressException {
        long[][] v = iovecs(iov, iovcnt);
        if (v == null) {
            return -Errno.EINVAL;
        }
        // An empty iovec asks the file for nothing.
        return eachIovec(v, (buf, count) -> count == 0 ? 0 : read(fd, buf, count));
    }

    long lseek(int fd, long offset, int whence) {
        return files.lseek(fd, offset, whence);
    }

    /** A struct stat that {@code fill} fills, copied to {@code statVa} when it answers 0. */
    private long statInto(long statVa, ToIntFunction<byte[]> fill) throws BadUserAddressException {
        return copyOut(statVa, KernelStat.SIZE, fill);
    }

    /** A struct of {@code size} bytes that {@code fill} makes, copied to the guest when it answers 0. */
    private long copyOut(long va, int size, ToIntFunction<byte[]> fill) throws BadUserAddressException {
        byte[] st = new byte[size];
        int r = fill.applyAsInt(st);
        if (r == 0) {
            user.write(va, st);
        }
        return r;
    }

    long fstat(int fd, long statVa) throws BadUserAddressException {
        return statInto(statVa, st -> files.fstat(fd, st));
    }

    long newfstatat(int dirfd, long pathVa, long statVa, int flags) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : statInto(statVa, st -> files.newfstatat(dirfd, path, st, flags));
    }

    long statfs(long pathVa, long bufVa) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : copyOut(bufVa, StatFs.SIZE, st -> files.statfs(path, st));
    }

    long fstatfs(int fd, long bufVa) throws BadUserAddressException {
        return copyOut(bufVa, StatFs.SIZE, st -> files.fstatfs(fd, st));
    }

    long faccessat(int dirfd, long pathVa, int mode, int flags) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.faccessat(dirfd, path, mode, flags);
    }

    /** getcwd(2): the length including the NUL, or ERANGE if it does not fit. */
    long getcwd(long buf, long size) throws BadUserAddressException {
        byte[] cwd = (files.getcwd() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (size < cwd.length) {
            return -Errno.ERANGE;
        }
        user.write(buf, cwd);
        return cwd.length;
    }

    long ioctl(int fd, long request, long arg) throws BadUserAddressException {
        if (request == Inotify.FIONREAD && files.file(fd) instanceof Inotify in) {
            user.write32(arg, in.queuedBytes()); // inotify_ioctl
            return 0;
        }
        byte[] out = new byte[Math.max(Terminal.TERMIOS_SIZE, Terminal.WINSIZE_SIZE)];
        int r = files.ioctl(fd, request, out);
        if (r == 0) {
            int size = request == Terminal.TCGETS ? Terminal.TERMIOS_SIZE
                    : request == Terminal.TIOCGWINSZ ? Terminal.WINSIZE_SIZE : 0;
            user.write(arg, out, 0, size);
        }
        return r;
    }

    long readlinkat(int dirfd, long pathVa, long buf, long bufsiz) throws BadUserAddressException {
        if (bufsiz <= 0) {
            return -Errno.EINVAL;
        }
        String path = path(pathVa);
        if (path == null) {
            return -Errno.ENAMETOOLONG;
        }
        byte[] out = new byte[(int) Math.min(bufsiz, PATH_MAX * 16)];
        long n = files.readlinkat(dirfd, path, out);
        if (n > 0) {
            user.write(buf, out, 0, (int) n);
        }
        return n;
    }

    long getdents64(int fd, long buf, long count) throws BadUserAddressException {
        byte[] out = new byte[(int) Math.max(0, Math.min(count, CHUNK))];
        long n = files.getdents64(fd, out);
        if (n > 0) {
            user.write(buf, out, 0, (int) n);
        }
        return n;
    }

    long dup(int fd) {
        return files.dup(fd);
    }

    long dup3(int oldfd, int newfd, int flags) {
        return files.dup3(oldfd, newfd, flags);
    }

    long fcntl(int fd, int cmd, long arg) {
        return files.fcntl(fd, cmd, arg);
    }

    long mkdirat(int dirfd, long pathVa, int mode) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.mkdirat(dirfd, path, mode);
    }

    long symlinkat(long targetVa, int newdirfd, long pathVa) throws BadUserAddressException {
        String target = path(targetVa);
        String path = path(pathVa);
        if (target == null || path == null) return -Errno.ENAMETOOLONG;
        return files.symlinkat(target, newdirfd, path);
    }

    long linkat(int olddirfd, long oldVa, int newdirfd, long newVa, int flags) throws BadUserAddressException {
        String oldPath = path(oldVa);
        String newPath = path(newVa);
        if (oldPath == null || newPath == null) return -Errno.ENAMETOOLONG;
        return files.linkat(olddirfd, oldPath, newdirfd, newPath, flags);
    }

    long fchmodat(int dirfd, long pathVa, int mode, int flags) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.fchmodat(dirfd, path, mode, flags);
    }

    long fchmod(int fd, int mode) {
        return files.fchmod(fd, mode);
    }

    long renameat2(int olddirfd, long oldVa, int newdirfd, long newVa, int flags) throws BadUserAddressException {
        String oldPath = path(oldVa);
        String newPath = path(newVa);
        if (oldPath == null || newPath == null) return -Errno.ENAMETOOLONG;
        return files.renameat2(olddirfd, oldPath, newdirfd, newPath, flags);
    }

    long fchownat(int dirfd, long pathVa, int uid, int gid, int flags, long fsuid, long fsgid)
            throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.fchownat(dirfd, path, uid, gid, flags, fsuid, fsgid);
    }

    long unlinkat(int dirfd, long pathVa, int flags) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.unlinkat(dirfd, path, flags);
    }

    long chdir(long pathVa) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.chdir(path);
    }

    long fchdir(int fd) {
        return files.fchdir(fd);
    }
}
