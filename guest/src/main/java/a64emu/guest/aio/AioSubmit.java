package a64emu.guest.aio;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.EventFd;
import a64emu.guest.fs.FileSync;
import a64emu.guest.fs.OpenFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * io_submit_one (Linux {@code fs/aio.c}): one struct iocb checked in Linux's order and carried
 * out. Reads, writes and syncs run at once and complete before io_submit returns, as Linux's
 * buffered I/O does; a read or write that would wait (an empty pipe, a full one) makes the
 * submitting thread wait as Linux's does inside io_submit, unless RWF_NOWAIT asks for EAGAIN as
 * the result. A POLL request completes when its file is ready.
 */
public final class AioSubmit {
    /** The request must wait for {@link #channel}: the thread sleeps and io_submit runs again. */
    public static final long WOULD_BLOCK = Long.MIN_VALUE;
    public static final int RWF_HIPRI = 0x01;
    public static final int RWF_DSYNC = 0x02;
    public static final int RWF_SYNC = 0x04;
    public static final int RWF_NOWAIT = 0x08;
    public static final int RWF_APPEND = 0x10;
    static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;
    /** UIO_MAXIOV. */
    static final int UIO_MAXIOV = 1024;
    /** MAX_RW_COUNT: INT_MAX rounded down to a page. */
    static final long MAX_RW_COUNT = 0x7FFF_F000L;
    private static final int CHUNK = 1 << 20;
    // ioprio classes (IOPRIO_CLASS_*), and IOPRIO_NR_LEVELS.
    private static final int IOPRIO_CLASS_NONE = 0;
    private static final int IOPRIO_CLASS_RT = 1;
    private static final int IOPRIO_CLASS_BE = 2;
    private static final int IOPRIO_CLASS_IDLE = 3;
    private static final int IOPRIO_NR_LEVELS = 8;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_SYS_NICE = 23;

    private final Process process;
    private final AioContext ctx;
    /** Where a {@link #WOULD_BLOCK} request waits. */
    private Object channel;

    public AioSubmit(Process process, AioContext ctx) {
        this.process = process;
        this.ctx = ctx;
    }

    public Object channel() {
        return channel;
    }

    /** io_submit_one for the iocb at {@code userIocb}: 0, -errno, or {@link #WOULD_BLOCK}. */
    public long submit(long userIocb) {
        Iocb iocb;
        try {
            iocb = Iocb.decode(process.user.read(userIocb, Iocb.SIZE));
        } catch (BadUserAddressException e) {
            return -Errno.EFAULT;
        }
        if (iocb.reserved2() != 0) {
            return -Errno.EINVAL;
        }
        if (iocb.nbytes() < 0) {
            return -Errno.EINVAL; // (ssize_t) aio_nbytes < 0
        }
        if (!ctx.hasRoom()) {
            return -Errno.EAGAIN; // aio_get_req
        }
        OpenFile file = process.files.file(iocb.fd());
        if (file == null) {
            return -Errno.EBADF;
        }
        EventFd eventfd = null;
        if ((iocb.flags() & Iocb.IOCB_FLAG_RESFD) != 0) {
            OpenFile e = process.files.file(iocb.resfd());
            if (e == null) {
                return -Errno.EBADF;
            }
            if (!(e instanceof EventFd ef)) {
                return -Errno.EINVAL;
            }
            eventfd = ef;
        }
        try {
            process.user.write32(userIocb + Iocb.KEY_OFFSET, Iocb.KIOCB_KEY);
        } catch (BadUserAddressException e) {
            return -Errno.EFAULT;
        }
        return switch (iocb.opcode()) {
            case Iocb.IOCB_CMD_PREAD -> readWrite(iocb, file, eventfd, userIocb, false, false);
            case Iocb.IOCB_CMD_PWRITE -> readWrite(iocb, file, eventfd, userIocb, true, false);
            case Iocb.IOCB_CMD_PREADV -> readWrite(iocb, file, eventfd, userIocb, false, true);
            case Iocb.IOCB_CMD_PWRITEV -> readWrite(iocb, file, eventfd, userIocb, true, true);
            case Iocb.IOCB_CMD_FSYNC -> fsync(iocb, eventfd, userIocb, false);
            case Iocb.IOCB_CMD_FDSYNC -> fsync(iocb, eventfd, userIocb, true);
            case Iocb.IOCB_CMD_POLL -> poll(iocb, file, eventfd, userIocb);
            default -> -Errno.EINVAL;
        };
    }

    /** aio_prep_rw, aio_read/aio_write's checks, aio_setup_rw, rw_verify_area, then the transfer. */
    private long readWrite(Iocb iocb, OpenFile file, EventFd eventfd, long userIocb, boolean write, boolean vectored) {
        if ((iocb.flags() & Iocb.IOCB_FLAG_IOPRIO) != 0) {
            long r = checkIoprio(iocb);
            if (r != 0) {
                return r;
            }
        }
        if ((iocb.rwFlags() & ~RWF_SUPPORTED) != 0) {
            return -Errno.ENOTSUP;
        }
        if (write ? !file.writable() : !file.readable()) {
            return -Errno.EBADF;
        }
        if (file.isDirectory() || file.isPathOnly()) {
            return file.isPathOnly() ? -Errno.EBADF : -Errno.EINVAL; // no read_iter/write_iter
        }
        long[][] segments;
        try {
            segments = vectored ? iovecs(iocb.buf(), iocb.nbytes()) : new long[][] {{iocb.buf(), iocb.nbytes()}};
        } catch (BadUserAddressException e) {
            return -Errno.EFAULT;
        }
        if (segments == null) {
            return -Errno.EINVAL;
        }
        long taskSize = process.mm.layout().taskSize();
        long total = 0;
        for (long[] s : segments) {
            if (Long.compareUnsigned(s[0] + s[1], taskSize) > 0 || s[0] + s[1] < s[0]) {
                return -Errno.EFAULT; // access_ok
            }
            total += s[1];
        }
        if (iocb.offset() < 0) {
            return -Errno.EINVAL; // rw_verify_area
        }
        boolean nowait = (iocb.rwFlags() & RWF_NOWAIT) != 0;
        long pos = iocb.offset();
        if (write && file.isRegularFile() && (iocb.rwFlags() & RWF_APPEND) != 0) {
            try {
                pos = file.fileStat().size(); // IOCB_APPEND: generic_write_checks writes at the end
            } catch (ErrnoException e) {
                return -e.errno();
            }
        }
        long res = transfer(iocb.fd(), segments, Math.min(total, MAX_RW_COUNT), pos, write);
        if (res == -Errno.EAGAIN && !nowait && file.sleepChannel() != null) {
            channel = file.sleepChannel();
            return WOULD_BLOCK;
        }
        ctx.complete(userIocb, iocb.data(), res, 0, eventfd);
        return 0;
    }

    /**
     * The read or write itself: at {@code pos} for a file with positions, at the current one
     * for a stream (a pipe, a socket: pread says ESPIPE); the bytes moved, or the error when
     * none moved.
     */
    private long transfer(int fd, long[][] segments, long limit, long pos, boolean write) {
        long done = 0;
        boolean stream = false;
        for (long[] s : segments) {
            long segDone = 0;
            while (segDone < s[1] && done < limit) {
                int len = (int) Math.min(Math.min(s[1] - segDone, limit - done), CHUNK);
                long n;
                try {
                    if (write) {
                        byte[] b = process.user.read(s[0] + segDone, len);
                        n = stream ? process.files.write(fd, b, 0, len) : process.files.pwrite(fd, b, 0, len, pos + done);
                        if (n == -Errno.ESPIPE && !stream) {
                            stream = true;
                            n = process.files.write(fd, b, 0, len);
                        }
                    } else {
                        byte[] b = new byte[len];
                        n = stream ? process.files.read(fd, b, 0, len) : process.files.pread(fd, b, 0, len, pos + done);
                        if (n == -Errno.ESPIPE && !stream) {
                            stream = true;
                            n = process.files.read(fd, b, 0, len);
                        }
                        if (n > 0) {
                            process.user.write(s[0] + segDone, b, 0, (int) n);
                        }
                    }
                } catch (BadUserAddressException e) {
                    return done > 0 ? done : -Errno.EFAULT;
                }
                if (n < 0) {
                    return done > 0 ? done : n;
                }
                segDone += n;
                done += n;
                if (n < len) {
                    return done; // end of file, or a stream with no more for now
                }
            }
        }
        return done;
    }

    /** The iovec array (16 bytes each); null (EINVAL) for too many or a total past SSIZE_MAX. */
    private long[][] iovecs(long iov, long count) throws BadUserAddressException {
        if (count > UIO_MAXIOV) {
            return null;
        }
        byte[] raw = process.user.read(iov, (int) count * 16);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[][] v = new long[(int) count][2];
        long total = 0;
        for (int i = 0; i < count; i++) {
            v[i][0] = b.getLong(16 * i);
            v[i][1] = b.getLong(16 * i + 8);
            if (v[i][1] < 0) {
                return null;
            }
            total += v[i][1];
            if (total < 0) {
                return null;
            }
        }
        return v;
    }

    /** ioprio_check_cap: the class and level of aio_reqprio; the real-time class needs CAP_SYS_NICE or CAP_SYS_ADMIN. */
    private long checkIoprio(Iocb iocb) {
        int ioprio = iocb.reqprio();
        int ioClass = (ioprio >> 13) & 7;
        int data = ioprio & 0x1FFF;
        switch (ioClass) {
            case IOPRIO_CLASS_RT, IOPRIO_CLASS_BE -> {
                if (ioClass == IOPRIO_CLASS_RT && !process.capable(CAP_SYS_NICE) && !process.capable(CAP_SYS_ADMIN)) {
                    return -Errno.EPERM;
                }
                if (data >= IOPRIO_NR_LEVELS) {
                    return -Errno.EINVAL;
                }
            }
            case IOPRIO_CLASS_IDLE -> { }
            case IOPRIO_CLASS_NONE -> {
                if (data != 0) {
                    return -Errno.EINVAL;
                }
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** aio_fsync: no buffer, offset, length or flags; a file without fsync is EINVAL. */
    private long fsync(Iocb iocb, EventFd eventfd, long userIocb, boolean dataOnly) {
        if (iocb.buf() != 0 || iocb.offset() != 0 || iocb.nbytes() != 0 || iocb.rwFlags() != 0) {
            return -Errno.EINVAL;
        }
        int res = FileSync.fsync(process.files, iocb.fd(), dataOnly);
        if (res == -Errno.EINVAL || res == -Errno.EBADF) {
            return res;
        }
        ctx.complete(userIocb, iocb.data(), res, 0, eventfd);
        return 0;
    }

    /** aio_poll: the events in aio_buf's low 16 bits; no offset, length or flags. */
    private long poll(Iocb iocb, OpenFile file, EventFd eventfd, long userIocb) {
        if ((iocb.buf() & 0xFFFF) != iocb.buf()) {
            return -Errno.EINVAL;
        }
        if (iocb.offset() != 0 || iocb.nbytes() != 0 || iocb.rwFlags() != 0) {
            return -Errno.EINVAL;
        }
        file.retain();
        ctx.poll(file, (int) iocb.buf(), userIocb, iocb.data(), eventfd);
        return 0;
    }
}
