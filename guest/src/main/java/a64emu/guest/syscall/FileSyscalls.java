package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.UserMemory;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.Inotify;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.LookupRestrictions;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.StatFs;
import a64emu.guest.fs.Terminal;
import a64emu.guest.signal.SignalDelivery;
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

    private final Process process;
    private final FileTable files;
    private final UserMemory user;

    FileSyscalls(Process process) {
        this.process = process;
        this.files = process.files;
        this.user = process.user;
    }

    /** A path argument; null means ENAMETOOLONG. */
    private String path(long va) throws BadUserAddressException {
        return user.readCString(va, PATH_MAX - 1);
    }

    long openat(int dirfd, long pathVa, int flags, int mode) throws BadUserAddressException {
        if (waitingOpen() instanceof FileTable.PendingOpen p) return finishOpen(p);
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : finishOpen(files.openatOrWait(dirfd, path, flags, mode));
    }

    /** The open this call left sleeping on a FIFO, when it runs again after its wake-up; else null. */
    private Object waitingOpen() {
        Task t = process.current;
        return t == null ? null : t.takeRestartBlock();
    }

    /**
     * An open's result; for a FIFO end still waiting for its other end, the thread sleeps on
     * the FIFO and the call runs again when an end is opened (wait_for_partner), the pending
     * end kept as its restart block. A signal first: EINTR, the end counted out again.
     */
    private long finishOpen(Object opened) {
        if (!(opened instanceof FileTable.PendingOpen p)) return (Integer) opened;
        if (p.partnerArrived()) return p.install();
        Task t = process.current;
        if (process.kernel == null || t == null) return p.install(); // nobody else can ever open it
        if (SignalDelivery.hasDeliverable(t)) {
            p.abandon();
            return -Errno.EINTR;
        }
        Task.Wait w = new Task.Wait("open of a FIFO, waiting for its other end", -1, 0, true);
        w.channel = p.channel();
        w.restartBlock = p;
        t.block(w);
        return 0;
    }

    /** mknodat(2); dev only matters for the device nodes an unprivileged caller cannot make. */
    long mknodat(int dirfd, long pathVa, int mode) throws BadUserAddressException {
        String path = path(pathVa);
        return path == null ? -Errno.ENAMETOOLONG : files.mknodat(dirfd, path, mode);
    }

    /** sizeof(struct open_how) in its first (and 6.1's only) version: flags, mode, resolve, u64 each. */
    static final int OPEN_HOW_SIZE_VER0 = 24;
    /** FASYNC, __O_SYNC and __O_TMPFILE, which OpenFlags does not name. */
    private static final long FASYNC = 020000;
    private static final long O_SYNC_BIT = 04000000;
    static final long O_TMPFILE_BIT = 020000000;
    /** VALID_OPEN_FLAGS (include/linux/fcntl.h), with arm64's values. */
    static final long VALID_OPEN_FLAGS = OpenFlags.O_ACCMODE | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY
            | OpenFlags.O_TRUNC | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | OpenFlags.O_DSYNC | FASYNC
            | OpenFlags.O_DIRECT | OpenFlags.O_LARGEFILE | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW
            | OpenFlags.O_NOATIME | OpenFlags.O_CLOEXEC | O_SYNC_BIT | OpenFlags.O_PATH | O_TMPFILE_BIT;

    /**
     * openat2(2) (fs/open.c): {@code struct open_how} of at least its first version's size,
     * any bytes past what this kernel knows zero (E2BIG), then build_open_flags' checks, each
     * EINVAL: unknown flags or RESOLVE_* bits, BENEATH with IN_ROOT, a mode outside 07777 with
     * O_CREAT or O_TMPFILE or any mode without them, O_DIRECTORY with O_CREAT, O_TMPFILE without
     * O_DIRECTORY or write access, O_PATH with flags other than O_DIRECTORY and O_NOFOLLOW; and
     * RESOLVE_CACHED with O_TRUNC, O_CREAT or O_TMPFILE is EAGAIN.
     */
    long openat2(int dirfd, long pathVa, long howVa, long usize) throws BadUserAddressException {
        if (waitingOpen() instanceof FileTable.PendingOpen p) return finishOpen(p);
        if (Long.compareUnsigned(usize, OPEN_HOW_SIZE_VER0) < 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(howVa + usize, howVa) < 0) return -Errno.EFAULT; // access_ok
        long at = howVa + OPEN_HOW_SIZE_VER0;
        for (long rest = usize - OPEN_HOW_SIZE_VER0; rest != 0; ) {
            int n = (int) (Long.compareUnsigned(rest, 4096) < 0 ? rest : 4096);
            for (byte b : user.read(at, n)) {
                if (b != 0) return -Errno.E2BIG; // check_zeroed_user
            }
            at += n;
            rest -= n;
        }
        long flags = user.read64(howVa);
        long mode = user.read64(howVa + 8);
        long resolve = user.read64(howVa + 16);
        long checked = flags & ~OpenFlags.O_CLOEXEC;
        if ((checked & ~VALID_OPEN_FLAGS) != 0) return -Errno.EINVAL;
        if ((resolve & ~LookupRestrictions.VALID) != 0) return -Errno.EINVAL;
        long scopes = LookupRestrictions.RESOLVE_BENEATH | LookupRestrictions.RESOLVE_IN_ROOT;
        if ((resolve & scopes) == scopes) return -Errno.EINVAL;
        if ((checked & (OpenFlags.O_CREAT | O_TMPFILE_BIT)) != 0) {
            if ((mode & ~07777L) != 0) return -Errno.EINVAL;
        } else if (mode != 0) {
            return -Errno.EINVAL;
        }
        long dirCreate = OpenFlags.O_DIRECTORY | OpenFlags.O_CREAT;
        if ((checked & dirCreate) == dirCreate) return -Errno.EINVAL;
        if ((checked & O_TMPFILE_BIT) != 0
                && ((checked & OpenFlags.O_DIRECTORY) == 0 || (checked & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY)) {
            return -Errno.EINVAL;
        }
        if ((checked & OpenFlags.O_PATH) != 0
                && (checked & ~(OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        if ((resolve & LookupRestrictions.RESOLVE_CACHED) != 0
                && (checked & (OpenFlags.O_TRUNC | OpenFlags.O_CREAT | O_TMPFILE_BIT)) != 0) {
            return -Errno.EAGAIN;
        }
        String path = path(pathVa);
        if (path == null) return -Errno.ENAMETOOLONG;
        return finishOpen(files.openat2(dirfd, path, (int) flags, (int) mode, new LookupRestrictions((int) resolve)));
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
