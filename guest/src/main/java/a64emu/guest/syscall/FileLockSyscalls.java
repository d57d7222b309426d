package a64emu.guest.syscall;

import static a64emu.guest.fs.FileLocks.*;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileLocks;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.signal.SignalDelivery;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * flock(2) and fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ forms), Linux
 * fs/locks.c: the guest memory side (struct flock) and the sleeping; the locks themselves are
 * the kernel's {@link FileLocks}. A lock that must wait blocks the thread in the scheduler
 * until a lock on the file goes, then the call runs again; a signal ends the wait with EINTR.
 */
final class FileLockSyscalls {
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;
    /** Removed in Linux 5.19: a LOCK_MAND request is ignored and answers 0. */
    static final int LOCK_MAND = 32;

    static final int F_GETLK = 5;
    static final int F_SETLK = 6;
    static final int F_SETLKW = 7;
    static final int F_OFD_GETLK = 36;
    static final int F_OFD_SETLK = 37;
    static final int F_OFD_SETLKW = 38;

    /** struct flock on arm64: l_type s16, l_whence s16, pad, l_start s64 @8, l_len s64 @16, l_pid s32 @24; 32 bytes. */
    static final int FLOCK_SIZE = 32;

    private final Process process;

    FileLockSyscalls(Process process) {
        this.process = process;
    }

    private FileLocks locks() {
        return process.files.fileSystem().locks();
    }

    /** Whether fcntl command {@code cmd} is a lock command handled here. */
    static boolean handles(int cmd) {
        return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW
                || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    }

    /** flock(2) (fs/locks.c SYSCALL_DEFINE2(flock)). */
    long flock(int fd, int operation) {
        if ((operation & LOCK_MAND) != 0) return 0;
        int type = switch (operation & ~LOCK_NB) {
            case LOCK_SH -> F_RDLCK;
            case LOCK_EX -> F_WRLCK;
            case LOCK_UN -> F_UNLCK;
            default -> -1;
        };
        if (type < 0) return -Errno.EINVAL;
        OpenFile f = usable(fd);
        if (f == null) return -Errno.EBADF;
        Object inode;
        try {
            inode = FileLocks.inodeOf(f);
        } catch (ErrnoException e) {
            return e.negated();
        }
        int r = locks().flock(f, inode, type);
        if (r == -Errno.EAGAIN && (operation & LOCK_NB) == 0) return sleep(inode, "flock");
        return r;
    }

    /** The description behind {@code fd}, or null for none or an O_PATH one (fdget refuses FMODE_PATH here). */
    private OpenFile usable(int fd) {
        OpenFile f = process.files.file(fd);
        if (f == null || f.isPathOnly()) return null;
        return f;
    }

    /** fcntl(fd, F_GETLK/F_SETLK/F_SETLKW/F_OFD_*, struct flock *). */
    long fcntl(int fd, int cmd, long flockVa) throws BadUserAddressException {
        OpenFile f = usable(fd);
        if (f == null) return -Errno.EBADF;
        ByteBuffer b = ByteBuffer.wrap(process.user.read(flockVa, FLOCK_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(0);
        int whence = b.getShort(2);
        long lStart = b.getLong(8);
        long lLen = b.getLong(16);
        int lPid = b.getInt(24);
        boolean ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
        boolean get = cmd == F_GETLK || cmd == F_OFD_GETLK;
        if (get && type != F_RDLCK && type != F_WRLCK) return -Errno.EINVAL;
        long[] range = new long[2];
        long r = range(f, fd, whence, lStart, lLen, range);
        if (r < 0) return r;
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) return -Errno.EINVAL;
        if (!get && type == F_RDLCK && !f.readable()) return -Errno.EBADF;
        if (!get && type == F_WRLCK && !f.writable()) return -Errno.EBADF;
        if (ofd && lPid != 0) return -Errno.EINVAL;
        Object owner = ofd ? f : process.files;
        Object inode;
        try {
            inode = FileLocks.inodeOf(f);
        } catch (ErrnoException e) {
            return e.negated();
        }
        if (get) {
            FileLocks.RangeLock c = locks().conflicting(owner, inode, type, range[0], range[1]);
            if (c == null) {
                b.putShort(0, (short) F_UNLCK);
            } else {
                b.putShort(0, (short) c.type()).putShort(2, (short) OpenFlags.SEEK_SET).putLong(8, c.start())
                        .putLong(16, c.end() == OFFSET_MAX ? 0 : c.end() - c.start() + 1).putInt(24, c.pid());
            }
            process.user.write(flockVa, b.array());
            return 0;
        }
        int set = locks().setRange(owner, ofd ? -1 : process.pid, ofd, inode, type, range[0], range[1]);
        if (set == -Errno.EAGAIN && (cmd == F_SETLKW || cmd == F_OFD_SETLKW)) return sleep(inode, "fcntl(F_SETLKW)");
        return set;
    }

    /**
     * flock_to_posix_lock: the byte range [start, end] a struct flock names, from the offset
     * its whence says (the file offset, the size); a range before byte 0 is EINVAL, one past
     * OFFSET_MAX EOVERFLOW. l_len 0 reaches to the end of any file.
     */
    private long range(OpenFile f, int fd, int whence, long lStart, long lLen, long[] out) {
        long base = switch (whence) {
            case OpenFlags.SEEK_SET -> 0;
            case OpenFlags.SEEK_CUR -> Math.max(0, process.files.lseek(fd, 0, OpenFlags.SEEK_CUR));
            case OpenFlags.SEEK_END -> f.size();
            default -> -1;
        };
        if (base < 0) return -Errno.EINVAL;
        if (lStart > OFFSET_MAX - base) return -Errno.EOVERFLOW;
        long start = base + lStart;
        if (start < 0) return -Errno.EINVAL;
        long end;
        if (lLen > 0) {
            if (lLen - 1 > OFFSET_MAX - start) return -Errno.EOVERFLOW;
            end = start + lLen - 1;
        } else if (lLen < 0) {
            if (start + lLen < 0) return -Errno.EINVAL;
            end = start - 1;
            start += lLen;
        } else {
            end = OFFSET_MAX;
        }
        out[0] = start;
        out[1] = end;
        return 0;
    }

    /**
     * The lock is held by another: the thread sleeps until a lock on the inode goes, then the
     * call runs again. A pending signal ends it with EINTR; a process running without a
     * scheduler (nobody else could let go) answers EAGAIN rather than hang.
     */
    private long sleep(Object inode, String reason) {
        Task t = process.current;
        if (process.kernel == null || t == null) return -Errno.EAGAIN;
        if (SignalDelivery.hasDeliverable(t)) return -Errno.EINTR;
        locks().queue(inode).add(t, () -> process.kernel.wakeChannel(t));
        Task.Wait w = new Task.Wait(reason, -1, 0, true);
        w.channel = t;
        t.block(w);
        return 0;
    }
}
