package a64emu.guest.syscall;

import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;

/**
 * fanotify_init(2) and fanotify_mark(2) (Linux 6.1 {@code fs/notify/fanotify/fanotify_user.c})
 * for a caller without CAP_SYS_ADMIN. Since 5.13 such a caller may make a group that reports
 * file handles (a FAN_REPORT_FID-class flag, notification class, no unlimited queue or
 * marks); anything else is EPERM. Every argument check runs as Linux runs it; a group that
 * passes them all is not modelled and answers ENOSYS. With no group ever made, fanotify_mark's
 * descriptor is never an fanotify one: after its own checks, EBADF or EINVAL.
 */
final class FanotifySyscalls {
    static final int FAN_CLOEXEC = 0x1;
    static final int FAN_NONBLOCK = 0x2;
    static final int FAN_CLASS_NOTIF = 0x0;
    static final int FAN_CLASS_CONTENT = 0x4;
    static final int FAN_CLASS_PRE_CONTENT = 0x8;
    static final int FAN_UNLIMITED_QUEUE = 0x10;
    static final int FAN_UNLIMITED_MARKS = 0x20;
    static final int FAN_ENABLE_AUDIT = 0x40;
    static final int FAN_REPORT_PIDFD = 0x80;
    static final int FAN_REPORT_TID = 0x100;
    static final int FAN_REPORT_FID = 0x200;
    static final int FAN_REPORT_DIR_FID = 0x400;
    static final int FAN_REPORT_NAME = 0x800;
    static final int FAN_REPORT_TARGET_FID = 0x1000;
    static final int CLASS_BITS = FAN_CLASS_NOTIF | FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT;
    static final int FID_BITS = FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID;
    static final int ADMIN_INIT_FLAGS = FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT | FAN_REPORT_TID
            | FAN_REPORT_PIDFD | FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS;
    static final int USER_INIT_FLAGS = FAN_CLASS_NOTIF | FID_BITS | FAN_CLOEXEC | FAN_NONBLOCK;
    /** FANOTIFY_INIT_FLAGS, with FAN_ENABLE_AUDIT (Debian's kernels have CONFIG_AUDITSYSCALL). */
    static final int INIT_FLAGS = ADMIN_INIT_FLAGS | USER_INIT_FLAGS | FAN_ENABLE_AUDIT;
    /** __O_SYNC on arm64. */
    private static final int O_SYNC_BIT = 04000000;
    static final int ALL_EVENT_F_BITS = OpenFlags.O_ACCMODE | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | O_SYNC_BIT
            | OpenFlags.O_DSYNC | OpenFlags.O_CLOEXEC | OpenFlags.O_LARGEFILE | OpenFlags.O_NOATIME;

    static final int FAN_MARK_ADD = 0x1;
    static final int FAN_MARK_REMOVE = 0x2;
    static final int FAN_MARK_DONT_FOLLOW = 0x4;
    static final int FAN_MARK_ONLYDIR = 0x8;
    static final int FAN_MARK_MOUNT = 0x10;
    static final int FAN_MARK_IGNORED_MASK = 0x20;
    static final int FAN_MARK_IGNORED_SURV_MODIFY = 0x40;
    static final int FAN_MARK_FLUSH = 0x80;
    static final int FAN_MARK_FILESYSTEM = 0x100;
    static final int FAN_MARK_EVICTABLE = 0x200;
    static final int FAN_MARK_IGNORE = 0x400;
    static final int MARK_TYPE_BITS = FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM;
    static final int MARK_CMD_BITS = FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH;
    static final int MARK_FLAGS = MARK_TYPE_BITS | MARK_CMD_BITS | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE
            | FAN_MARK_DONT_FOLLOW | FAN_MARK_ONLYDIR | FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE;
    /**
     * The events and event flags a mark may ask for: the path, inode and error events
     * (ACCESS..OPEN_EXEC, FS_ERROR, RENAME), the permission events (CONFIG_FANOTIFY_ACCESS_PERMISSIONS)
     * and FAN_EVENT_ON_CHILD, FAN_ONDIR.
     */
    static final long VALID_MASK = 0x1fffL | 0x8000L | 0x7_0000L | 0x1000_0000L | 0x0800_0000L | 0x4000_0000L;

    private final Process process;

    FanotifySyscalls(Process process) {
        this.process = process;
    }

    long init(int flags, int eventFlags) {
        int fidMode = flags & FID_BITS;
        int cls = flags & CLASS_BITS;
        if (!process.capable(Process.CAP_SYS_ADMIN) && ((flags & ADMIN_INIT_FLAGS) != 0 || fidMode == 0)) {
            return -Errno.EPERM;
        }
        if ((flags & ~INIT_FLAGS) != 0) return -Errno.EINVAL;
        if ((flags & FAN_REPORT_PIDFD) != 0 && (flags & FAN_REPORT_TID) != 0) return -Errno.EINVAL;
        if ((eventFlags & ~ALL_EVENT_F_BITS) != 0) return -Errno.EINVAL;
        if ((eventFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE) return -Errno.EINVAL;
        if (fidMode != 0 && cls != FAN_CLASS_NOTIF) return -Errno.EINVAL;
        if ((fidMode & FAN_REPORT_NAME) != 0 && (fidMode & FAN_REPORT_DIR_FID) == 0) return -Errno.EINVAL;
        if ((fidMode & FAN_REPORT_TARGET_FID) != 0
                && ((fidMode & FAN_REPORT_NAME) == 0 || (fidMode & FAN_REPORT_FID) == 0)) {
            return -Errno.EINVAL;
        }
        if ((flags & FAN_ENABLE_AUDIT) != 0) return -Errno.EPERM; // needs CAP_AUDIT_WRITE
        return -Errno.ENOSYS; // a file-handle group: not modelled
    }

    long mark(int fd, int flags, long mask) {
        int type = flags & MARK_TYPE_BITS;
        int cmd = flags & MARK_CMD_BITS;
        if ((mask >>> 32) != 0) return -Errno.EINVAL;
        if ((flags & ~MARK_FLAGS) != 0) return -Errno.EINVAL;
        if (type == MARK_TYPE_BITS) return -Errno.EINVAL;
        switch (cmd) {
            case FAN_MARK_ADD, FAN_MARK_REMOVE -> {
                if (mask == 0) return -Errno.EINVAL;
            }
            case FAN_MARK_FLUSH -> {
                if ((flags & ~(MARK_TYPE_BITS | FAN_MARK_FLUSH)) != 0) return -Errno.EINVAL;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        if ((mask & ~VALID_MASK) != 0) return -Errno.EINVAL;
        OpenFile f = process.files.file(fd);
        if (f == null || f.isPathOnly()) return -Errno.EBADF;
        return -Errno.EINVAL; // not an fanotify group
    }
}
