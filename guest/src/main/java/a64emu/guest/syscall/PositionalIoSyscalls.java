package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.FileSync;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalDelivery;
import a64emu.guest.signal.SignalInfo;

/**
 * preadv(2), pwritev(2), preadv2(2) and pwritev2(2) (Linux {@code fs/read_write.c}): readv
 * and writev at a position, and with per-call RWF_* flags.
 *
 * <p>arm64 passes the position in two registers, pos_l and pos_h; on a 64-bit kernel
 * pos_from_hilo shifts pos_h out entirely, so pos_l is the whole offset. preadv2/pwritev2
 * with position -1 use and move the file offset, exactly as readv/writev (a pipe is then
 * fine); any other negative position is EINVAL, and a position on a file that has none (a
 * pipe, a socket) ESPIPE.
 *
 * <p>The checks run in Linux's order: the position, the descriptor, FMODE_PREAD, the iovec
 * array (import_iovec), the access mode, then (only if there is anything to move) the flags
 * (kiocb_set_rw_flags: unknown bits, or RWF_NOWAIT on a file without FMODE_NOWAIT, are
 * EOPNOTSUPP). RWF_HIPRI asks for polled completion of direct I/O and changes nothing here;
 * RWF_DSYNC and RWF_SYNC sync a regular file after the write; RWF_APPEND writes at the end
 * of file; RWF_NOWAIT answers EAGAIN where the call would otherwise sleep on a pipe.
 */
final class PositionalIoSyscalls {
    static final int RWF_HIPRI = 0x01;
    static final int RWF_DSYNC = 0x02;
    static final int RWF_SYNC = 0x04;
    static final int RWF_NOWAIT = 0x08;
    static final int RWF_APPEND = 0x10;
    static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;

    private final Process process;
    private final FileSyscalls files;

    PositionalIoSyscalls(Process process, FileSyscalls files) {
        this.process = process;
        this.files = files;
    }

    private FileTable table() {
        return process.files;
    }

    /** preadv (flags 0) and preadv2. */
    long preadv2(int fd, long iov, long vlen, long pos, int flags, boolean currentAllowed) throws BadUserAddressException {
        boolean current = currentAllowed && pos == -1;
        if (!current && pos < 0) return -Errno.EINVAL;
        int r = current ? descriptor(fd) : table().positional(fd);
        if (r < 0) return r;
        long[][] v = files.iovecs(iov, vlen > Integer.MAX_VALUE ? -1 : (int) vlen);
        if (v == null) return -Errno.EINVAL;
        OpenFile f = table().file(fd);
        if (!f.readable()) return -Errno.EBADF;
        if (total(v) == 0) return 0;
        r = checkFlags(fd, flags, false);
        if (r < 0) return r;
        if (!current) {
            long done = 0;
            for (long[] e : v) {
                long n = preadOne(fd, e[0], e[1], pos + done);
                if (n < 0) return done > 0 ? done : n;
                done += n;
                if (n < e[1]) break;
            }
            return done;
        }
        long n = files.readv(fd, iov, (int) vlen);
        return sleepIfAsked(n, f, flags, "read from an empty pipe");
    }

    /** pwritev (flags 0) and pwritev2. */
    long pwritev2(int fd, long iov, long vlen, long pos, int flags, boolean currentAllowed) throws BadUserAddressException {
        boolean current = currentAllowed && pos == -1;
        if (!current && pos < 0) return -Errno.EINVAL;
        int r = current ? descriptor(fd) : table().positional(fd);
        if (r < 0) return r;
        long[][] v = files.iovecs(iov, vlen > Integer.MAX_VALUE ? -1 : (int) vlen);
        if (v == null) return -Errno.EINVAL;
        OpenFile f = table().file(fd);
        if (!f.writable()) return -Errno.EBADF;
        if (total(v) == 0) return 0;
        r = checkFlags(fd, flags, true);
        if (r < 0) return r;
        long n;
        if (!current) {
            long at = (flags & RWF_APPEND) != 0 ? table().sizeOf(fd) : pos;
            n = 0;
            for (long[] e : v) {
                long w = pwriteOne(fd, e[0], e[1], at + n);
                if (w < 0) {
                    n = n > 0 ? n : w;
                    break;
                }
                n += w;
                if (w < e[1]) break;
            }
        } else {
            if ((flags & RWF_APPEND) != 0 && table().isRegularFile(fd)) table().lseek(fd, 0, OpenFlags.SEEK_END);
            n = files.writev(fd, iov, (int) vlen);
            if (n == -Errno.EPIPE && f.writeEpipeRaisesSigpipe()) raiseSigpipe();
            n = sleepIfAsked(n, f, flags, "write to a full pipe");
        }
        if (n > 0 && (flags & (RWF_DSYNC | RWF_SYNC)) != 0 && table().isRegularFile(fd)) {
            int s = FileSync.fsync(table(), fd, (flags & RWF_SYNC) == 0);
            if (s < 0) return s;
        }
        return n;
    }

    /** fdget: EBADF for a descriptor not open or O_PATH. */
    private int descriptor(int fd) {
        OpenFile f = table().file(fd);
        return f == null || f.isPathOnly() ? -Errno.EBADF : 0;
    }

    private int checkFlags(int fd, int flags, boolean write) {
        if ((flags & ~RWF_SUPPORTED) != 0) return -Errno.ENOTSUP;
        if ((flags & RWF_NOWAIT) != 0 && !table().nowaitAllowed(fd, write)) return -Errno.ENOTSUP;
        return 0;
    }

    private static long total(long[][] v) {
        long t = 0;
        for (long[] e : v) t += e[1];
        return t;
    }

    private long preadOne(int fd, long buf, long count, long pos) throws BadUserAddressException {
        long done = 0;
        while (done < count) {
            int len = (int) Math.min(count - done, FileSyscalls.CHUNK);
            byte[] b = new byte[len];
            long n = table().pread(fd, b, 0, len, pos + done);
            if (n < 0) return done > 0 ? done : n;
            process.user.write(buf + done, b, 0, (int) n);
            done += n;
            if (n < len) break;
        }
        return done;
    }

    private long pwriteOne(int fd, long buf, long count, long pos) throws BadUserAddressException {
        long done = 0;
        while (done < count) {
            int len = (int) Math.min(count - done, FileSyscalls.CHUNK);
            byte[] b = process.user.read(buf + done, len);
            long n = table().pwrite(fd, b, 0, len, pos + done);
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < len) break;
        }
        return done;
    }

    /**
     * -EAGAIN from a pipe (or another file with a wait queue) opened blocking: the thread
     * sleeps on it and the call runs again when it changes, as readv/writev do; with
     * RWF_NOWAIT (IOCB_NOWAIT) -EAGAIN is the answer.
     */
    private long sleepIfAsked(long result, OpenFile f, int flags, String reason) {
        Task t = process.current;
        Object channel = f.sleepChannel();
        if (result != -Errno.EAGAIN || (flags & RWF_NOWAIT) != 0 || channel == null || process.kernel == null
                || t == null) {
            return result;
        }
        if (SignalDelivery.hasDeliverable(t)) return -Errno.EINTR;
        Task.Wait wait = new Task.Wait(reason, -1, 0, true);
        wait.channel = channel;
        t.block(wait);
        return 0;
    }

    /** pipe_write's SIGPIPE for a write with no reader left. */
    private void raiseSigpipe() {
        if (process.kernel == null || process.current == null) return;
        process.kernel.signals().sendToThread(process.current, SignalInfo.fromProcess(Signal.SIGPIPE, Signal.SI_USER,
                process.pid, (int) process.credentials.uid(), "write to a pipe with no reader"));
    }
}
