package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;

/**
 * Moving bytes between descriptors inside the kernel (fs/splice.c, fs/read_write.c):
 * sendfile(2), copy_file_range(2), splice(2) and tee(2), with Linux's checks in Linux's order.
 * Files here are copied through a buffer, so nothing is shared page by page, but what the
 * guest sees (bytes, offsets, counts, errors) is what Linux gives.
 *
 * <p>Offsets: a non-null {@code long[1]} is the guest's offset pointer, read and updated in
 * place (the file offset is then left alone); null means the file offset is used and advanced.
 * A pipe that is empty (when read) or full (when written) answers -EAGAIN and names itself in
 * {@link Wait#on}: the caller sleeps on it and runs the call again, unless the call is
 * nonblocking (SPLICE_F_NONBLOCK, or O_NONBLOCK where Linux consults it).
 */
public final class Splice {
    private Splice() {}

    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int SPLICE_F_MORE = 4;
    public static final int SPLICE_F_GIFT = 8;
    public static final int SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;
    /** MAX_RW_COUNT: INT_MAX rounded down to a page. */
    public static final long MAX_RW_COUNT = 0x7FFF_F000L;
    private static final int CHUNK = 64 * 1024;

    /** Where a call that answered -EAGAIN should sleep: the pipe it waits for, or null (EAGAIN is the answer). */
    public static final class Wait {
        public Object on;
    }

    /** sendfile(2) (do_sendfile): from a file that can be read at an offset, to any file or a pipe. */
    public static long sendfile(FileTable t, int outFd, int inFd, long[] offset, long count, Wait wait) {
        OpenFile in = t.file(inFd);
        if (in == null || in.isPathOnly() || !in.readable()) return -Errno.EBADF;
        if (offset != null && !in.isRegularFile()) return -Errno.ESPIPE;
        long pos = offset != null ? offset[0] : position(t, inFd, in);
        if (pos < 0 || count < 0) return -Errno.EINVAL;
        count = Math.min(count, MAX_RW_COUNT);
        OpenFile out = t.file(outFd);
        if (out == null || out.isPathOnly() || !out.writable()) return -Errno.EBADF;
        if (!in.isRegularFile()) return -Errno.EINVAL; // no splice_read: a pipe, a directory, a stream
        Pipe opipe = Pipe.of(out);
        if (opipe == null && out.appending()) return -Errno.EINVAL; // do_splice_direct
        boolean nonblock = opipe != null && (out.statusFlagsForGetfl() & O_NONBLOCK) != 0;
        long r = fileToAny(t, in, pos, out, outFd, null, count, opipe, nonblock, wait);
        if (r > 0) {
            if (offset != null) {
                offset[0] = pos + r;
            } else {
                t.lseek(inFd, pos + r, SEEK_SET);
            }
        }
        return r;
    }

    /** The file offset of a description that has one; 0 (f_pos never moves) for a pipe or a stream. */
    private static long position(FileTable t, int fd, OpenFile f) {
        long p = f.isRegularFile() ? t.lseek(fd, 0, SEEK_CUR) : 0;
        return Math.max(0, p);
    }

    /**
     * Reads {@code in} from {@code pos} and writes to {@code out} (at {@code outPos[0]} when
     * given, else at its offset), at most {@code count} bytes; into a pipe only what fits.
     * Returns the bytes moved, or -errno / -EAGAIN (with {@code wait.on}) when none moved.
     */
    private static long fileToAny(FileTable t, OpenFile in, long pos, OpenFile out, int outFd, long[] outPos,
            long count, Pipe opipe, boolean nonblock, Wait wait) {
        long done = 0;
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, count))];
        while (done < count) {
            int want = (int) Math.min(buf.length, count - done);
            if (opipe != null) {
                int room = opipe.space();
                if (room == 0) {
                    if (done > 0) break;
                    long w = out.write(buf, 0, 0);
                    if (w < 0) return w; // EPIPE: no reader
                    if (!nonblock) wait.on = opipe;
                    return -Errno.EAGAIN;
                }
                want = Math.min(want, room);
            }
            t.beforeAccess(in);
            long n = in.pread(buf, 0, want, pos + done);
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            long w = writeOut(t, out, outFd, outPos == null ? -1 : outPos[0] + done, buf, (int) n);
            if (w < 0) return done > 0 ? done : w;
            done += w;
            if (w < n) break;
        }
        return done;
    }

    /** One write to {@code out}: at {@code at} when it is not negative, else at its file offset. */
    private static long writeOut(FileTable t, OpenFile out, int outFd, long at, byte[] buf, int len) {
        return at >= 0 ? t.pwrite(outFd, buf, 0, len, at) : t.write(outFd, buf, 0, len);
    }

    /**
     * copy_file_range(2) (vfs_copy_file_range, generic_copy_file_checks): regular files on one
     * file system (EXDEV across them, which tells cp to fall back), flags 0, the copy cut at
     * the end of the input, no overlapping copy within one file (EINVAL).
     */
    public static long copyFileRange(FileTable t, int inFd, long[] offIn, int outFd, long[] offOut, long len, int flags) {
        OpenFile in = t.file(inFd);
        OpenFile out = t.file(outFd);
        if (in == null || in.isPathOnly() || out == null || out.isPathOnly()) return -Errno.EBADF;
        if (flags != 0) return -Errno.EINVAL;
        KernelStat si;
        KernelStat so;
        try {
            si = in.stat();
            so = out.stat();
        } catch (ErrnoException e) {
            return e.negated();
        }
        if (FileMode.type(si.mode()) == FileMode.S_IFDIR || FileMode.type(so.mode()) == FileMode.S_IFDIR) {
            return -Errno.EISDIR;
        }
        if (!in.isRegularFile() || !out.isRegularFile()) return -Errno.EINVAL;
        if (!in.readable() || !out.writable() || out.appending()) return -Errno.EBADF;
        if (si.dev() != so.dev()) return -Errno.EXDEV;
        long posIn = offIn != null ? offIn[0] : position(t, inFd, in);
        long posOut = offOut != null ? offOut[0] : position(t, outFd, out);
        if (posIn < 0 || posOut < 0 || len < 0) return -Errno.EINVAL;
        if (posIn + len < posIn || posOut + len < posOut) return -Errno.EOVERFLOW;
        long sizeIn = in.size();
        long count = posIn >= sizeIn ? 0 : Math.min(len, sizeIn - posIn);
        if (si.ino() == so.ino() && posOut + count > posIn && posOut < posIn + count) return -Errno.EINVAL;
        if (count == 0) return 0;
        count = Math.min(count, MAX_RW_COUNT);
        long sizeBefore = out.size();
        long r = fileToAny(t, in, posIn, out, outFd, new long[] {posOut}, count, null, false, new Wait());
        if (r > 0) {
            t.afterResize(out, sizeBefore);
            if (offIn != null) offIn[0] = posIn + r; else t.lseek(inFd, posIn + r, SEEK_SET);
            if (offOut != null) offOut[0] = posOut + r; else t.lseek(outFd, posOut + r, SEEK_SET);
        }
        return r;
    }

    /** splice(2) (__do_splice, do_splice): one side at least a pipe; offsets only on the side that is not. */
    public static long splice(FileTable t, int inFd, long[] offIn, int outFd, long[] offOut, long len, int flags,
            Wait wait) {
        if (len == 0) return 0;
        if ((flags & ~SPLICE_F_ALL) != 0) return -Errno.EINVAL;
        OpenFile in = t.file(inFd);
        OpenFile out = t.file(outFd);
        if (in == null || in.isPathOnly() || out == null || out.isPathOnly()) return -Errno.EBADF;
        Pipe ipipe = Pipe.of(in);
        Pipe opipe = Pipe.of(out);
        if ((ipipe != null && offIn != null) || (opipe != null && offOut != null)) return -Errno.ESPIPE;
        if (!in.readable() || !out.writable()) return -Errno.EBADF;
        len = Math.min(len < 0 ? MAX_RW_COUNT : len, MAX_RW_COUNT);
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0;
        if (ipipe != null && opipe != null) {
            if (ipipe == opipe) return -Errno.EINVAL;
            nonblock |= ((in.statusFlagsForGetfl() | out.statusFlagsForGetfl()) & O_NONBLOCK) != 0;
            return pipeToPipe(in, ipipe, out, opipe, len, nonblock, false, wait);
        }
        if (ipipe != null) {
            if (offOut != null && !out.isRegularFile()) return -Errno.EINVAL;
            if (out.appending()) return -Errno.EINVAL;
            long at = offOut != null ? offOut[0] : -1;
            if (offOut != null && at < 0) return -Errno.EINVAL;
            int n = (int) Math.min(len, Math.min(CHUNK * 16L, Pipe.CAPACITY));
            byte[] buf = new byte[n];
            long got = in.read(buf, 0, n);
            if (got == -Errno.EAGAIN && !nonblock) wait.on = ipipe;
            if (got <= 0) return got;
            long w = writeOut(t, out, outFd, at, buf, (int) got);
            if (w > 0 && offOut != null) offOut[0] = at + w;
            return w;
        }
        if (opipe != null) {
            if (offIn != null && !in.isRegularFile()) return -Errno.EINVAL;
            if (!in.isRegularFile()) return -Errno.EINVAL; // no splice_read here
            long pos = offIn != null ? offIn[0] : position(t, inFd, in);
            if (pos < 0) return -Errno.EINVAL;
            nonblock |= (out.statusFlagsForGetfl() & O_NONBLOCK) != 0;
            long r = fileToAny(t, in, pos, out, outFd, null, len, opipe, nonblock, wait);
            if (r > 0) {
                if (offIn != null) offIn[0] = pos + r; else t.lseek(inFd, pos + r, SEEK_SET);
            }
            return r;
        }
        return -Errno.EINVAL;
    }

    /** tee(2): copies what waits in one pipe into another without consuming it; both must be pipes, and different. */
    public static long tee(FileTable t, int inFd, int outFd, long len, int flags, Wait wait) {
        if ((flags & ~SPLICE_F_ALL) != 0) return -Errno.EINVAL;
        if (len == 0) return 0;
        OpenFile in = t.file(inFd);
        OpenFile out = t.file(outFd);
        if (in == null || in.isPathOnly() || out == null || out.isPathOnly()) return -Errno.EBADF;
        Pipe ipipe = Pipe.of(in);
        Pipe opipe = Pipe.of(out);
        if (ipipe == null || opipe == null || ipipe == opipe) return -Errno.EINVAL;
        if (!in.readable() || !out.writable()) return -Errno.EBADF;
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0
                || ((in.statusFlagsForGetfl() | out.statusFlagsForGetfl()) & O_NONBLOCK) != 0;
        return pipeToPipe(in, ipipe, out, opipe, Math.min(len < 0 ? MAX_RW_COUNT : len, MAX_RW_COUNT), nonblock,
                true, wait);
    }

    /** splice_pipe_to_pipe and link_pipe (tee): as much as waits in one and fits in the other. */
    private static long pipeToPipe(OpenFile in, Pipe ipipe, OpenFile out, Pipe opipe, long len, boolean nonblock,
            boolean copyOnly, Wait wait) {
        int n = (int) Math.min(len, Pipe.CAPACITY);
        byte[] buf = new byte[n];
        int ready = ipipe.peek(buf, 0, n);
        if (ready == -Errno.EAGAIN && !nonblock) wait.on = ipipe;
        if (ready <= 0) return ready;
        int room = opipe.space();
        if (room == 0) {
            long w = out.write(buf, 0, 0);
            if (w < 0) return w;
            if (!nonblock) wait.on = opipe;
            return -Errno.EAGAIN;
        }
        int move = Math.min(ready, room);
        long w = out.write(buf, 0, move);
        if (w <= 0) return w;
        if (!copyOnly) in.read(new byte[(int) w], 0, (int) w);
        return w;
    }

    /**
     * vmsplice_type: 1 when {@code fd} is open for writing (user memory goes into the pipe),
     * 0 when only for reading (the pipe's bytes go to user memory), -EBADF otherwise. Whether
     * it is a pipe at all is checked after the iovecs, as Linux does (get_pipe_info: EBADF).
     */
    public static int vmspliceDirection(FileTable t, int fd) {
        OpenFile f = t.file(fd);
        if (f == null || f.isPathOnly()) return -Errno.EBADF;
        if (f.writable()) return 1;
        return f.readable() ? 0 : -Errno.EBADF;
    }

    /**
     * vmsplice_to_pipe: the bytes of the caller's iovecs into the pipe {@code fd} writes,
     * as many as fit (the pages go in whole, not PIPE_BUF-atomically). EPIPE with no reader
     * (the caller raises SIGPIPE); a full pipe waits for room unless SPLICE_F_NONBLOCK (the
     * file's own O_NONBLOCK is not consulted). SPLICE_F_GIFT only offers the pages, which a
     * copy ignores, as Linux does since pipes stopped stealing them.
     */
    public static long vmspliceToPipe(FileTable t, int fd, byte[] data, int flags, Wait wait) {
        OpenFile f = t.file(fd);
        Pipe p = Pipe.of(f);
        if (p == null) return -Errno.EBADF;
        long w = f.write(data, 0, 0);
        if (w < 0) return w; // EPIPE: no reader left
        int room = p.space();
        if (room == 0) {
            if ((flags & SPLICE_F_NONBLOCK) == 0) wait.on = p;
            return -Errno.EAGAIN;
        }
        return f.write(data, 0, Math.min(room, data.length));
    }

    /**
     * vmsplice_to_user: up to {@code out.length} bytes taken from the pipe {@code fd} reads;
     * 0 at end of file (empty, no writer), else waits while empty unless SPLICE_F_NONBLOCK.
     */
    public static long vmspliceFromPipe(FileTable t, int fd, byte[] out, int flags, Wait wait) {
        OpenFile f = t.file(fd);
        Pipe p = Pipe.of(f);
        if (p == null) return -Errno.EBADF;
        long n = f.read(out, 0, out.length); // the fd's own end: a pipe's, or a FIFO's
        if (n == -Errno.EAGAIN && (flags & SPLICE_F_NONBLOCK) == 0) wait.on = p;
        return n;
    }
}
