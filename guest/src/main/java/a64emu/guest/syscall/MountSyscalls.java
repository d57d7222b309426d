package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;

/**
 * The calls of the mount and quota interfaces that an unprivileged process can reach (Linux
 * {@code fs/namespace.c}, {@code fs/fsopen.c}, {@code fs/fhandle.c}, {@code fs/quota/quota.c}):
 * each checks its arguments in Linux's order and then does what Linux does for a caller
 * without CAP_SYS_ADMIN: open_tree without OPEN_TREE_CLONE is an O_PATH open; mount_setattr
 * is refused (EPERM) once its arguments pass; fsconfig finds no file system context (fsopen and
 * fspick, which make them, are refused), so any open descriptor is EINVAL. The guest's file
 * systems have no export operations (name_to_handle_at: EOPNOTSUPP, as procfs answers) and no
 * quota support (quotactl_fd: ENOSYS, as tmpfs answers), and no file system is on a block
 * device the guest kernel knows (quotactl: ENODEV).
 */
final class MountSyscalls {
    static final int AT_RECURSIVE = 0x8000;
    static final int OPEN_TREE_CLONE = 1;
    static final int OPEN_TREE_CLOEXEC = OpenFlags.O_CLOEXEC;
    /** sizeof(struct mount_attr) in its first version. */
    static final int MOUNT_ATTR_SIZE_VER0 = 32;
    static final int PAGE_SIZE = 4096;
    /** The fsconfig commands of include/uapi/linux/mount.h (6.1 has no CMD_CREATE_EXCL). */
    static final int FSCONFIG_SET_FLAG = 0;
    static final int FSCONFIG_SET_STRING = 1;
    static final int FSCONFIG_SET_BINARY = 2;
    static final int FSCONFIG_SET_PATH = 3;
    static final int FSCONFIG_SET_PATH_EMPTY = 4;
    static final int FSCONFIG_SET_FD = 5;
    static final int FSCONFIG_CMD_CREATE = 6;
    static final int FSCONFIG_CMD_RECONFIGURE = 7;
    /** MAX_HANDLE_SZ: the largest file handle. */
    static final int MAX_HANDLE_SZ = 128;
    /** quotactl's command word: the command above SUBCMDSHIFT, the quota type below. */
    static final int SUBCMDSHIFT = 8;
    static final int SUBCMDMASK = 0xff;
    /** USRQUOTA, GRPQUOTA, PRJQUOTA. */
    static final int MAXQUOTAS = 3;
    static final int Q_SYNC = 0x800001;
    static final int Q_QUOTAON = 0x800002;
    static final int Q_QUOTAOFF = 0x800003;
    static final int Q_SETINFO = 0x800006;
    static final int Q_SETQUOTA = 0x800008;
    /** The XFS commands that change something (Q_XQUOTAON, OFF, Q_XSETQLIM, Q_XQUOTARM). */
    static final int Q_XQUOTAON = ('X' << 8) + 1;
    static final int Q_XQUOTAOFF = ('X' << 8) + 2;
    static final int Q_XSETQLIM = ('X' << 8) + 4;
    static final int Q_XQUOTARM = ('X' << 8) + 6;

    private final Process process;

    MountSyscalls(Process process) {
        this.process = process;
    }

    private String path(long va) throws BadUserAddressException {
        return process.user.readCString(va, FileSyscalls.PATH_MAX - 1);
    }

    /** open_tree(dfd, filename, flags). */
    long openTree(int dirfd, long pathVa, int flags) throws BadUserAddressException {
        int valid = OpenFlags.AT_EMPTY_PATH | OpenFlags.AT_NO_AUTOMOUNT | AT_RECURSIVE | OpenFlags.AT_SYMLINK_NOFOLLOW
                | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
        if ((flags & ~valid) != 0) return -Errno.EINVAL;
        if ((flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE) return -Errno.EINVAL;
        if ((flags & OPEN_TREE_CLONE) != 0) return -Errno.EPERM; // may_mount(): a detached copy is a mount
        String path = path(pathVa);
        if (path == null) return -Errno.ENAMETOOLONG;
        return process.files.openPathAt(dirfd, path, (flags & OpenFlags.AT_SYMLINK_NOFOLLOW) == 0,
                (flags & OpenFlags.AT_EMPTY_PATH) != 0, (flags & OPEN_TREE_CLOEXEC) != 0);
    }

    /** mount_setattr(dfd, path, flags, uattr, usize): the flags and the size, then may_mount(). */
    long mountSetattr(long flags, long usize) {
        int valid = OpenFlags.AT_EMPTY_PATH | AT_RECURSIVE | OpenFlags.AT_SYMLINK_NOFOLLOW | OpenFlags.AT_NO_AUTOMOUNT;
        if ((flags & 0xFFFF_FFFFL & ~valid) != 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(usize, PAGE_SIZE) > 0) return -Errno.E2BIG;
        if (Long.compareUnsigned(usize, MOUNT_ATTR_SIZE_VER0) < 0) return -Errno.EINVAL;
        return -Errno.EPERM;
    }

    /** fsconfig(fd, cmd, key, value, aux): each command's use of key, value and aux, then the descriptor. */
    long fsconfig(int fd, int cmd, long key, long value, int aux) {
        if (fd < 0) return -Errno.EINVAL;
        boolean k = key != 0;
        boolean v = value != 0;
        boolean bad = switch (cmd) {
            case FSCONFIG_SET_FLAG -> !k || v || aux != 0;
            case FSCONFIG_SET_STRING -> !k || !v || aux != 0;
            case FSCONFIG_SET_BINARY -> !k || !v || aux <= 0 || aux > 1024 * 1024;
            case FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY -> !k || !v || (aux != OpenFlags.AT_FDCWD && aux < 0);
            case FSCONFIG_SET_FD -> !k || v || aux < 0;
            case FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE -> k || v || aux != 0;
            default -> false;
        };
        if (cmd < FSCONFIG_SET_FLAG || cmd > FSCONFIG_CMD_RECONFIGURE) return -Errno.ENOTSUP;
        if (bad) return -Errno.EINVAL;
        if (process.files.file(fd) == null) return -Errno.EBADF;
        return -Errno.EINVAL; // not an fs context: only fsopen and fspick make those
    }

    /**
     * name_to_handle_at(dfd, name, handle, mnt_id, flags): the flags, the lookup (the last
     * link followed only with AT_SYMLINK_FOLLOW), then the file system's export operations,
     * which the guest's have none of.
     */
    long nameToHandleAt(int dirfd, long pathVa, int flags) throws BadUserAddressException {
        if ((flags & ~(OpenFlags.AT_SYMLINK_FOLLOW | OpenFlags.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        String path = path(pathVa);
        if (path == null) return -Errno.ENAMETOOLONG;
        int lookup = ((flags & OpenFlags.AT_SYMLINK_FOLLOW) == 0 ? OpenFlags.AT_SYMLINK_NOFOLLOW : 0)
                | (flags & OpenFlags.AT_EMPTY_PATH);
        try {
            process.files.statAt(dirfd, path, lookup);
        } catch (ErrnoException e) {
            return e.negated();
        }
        return -Errno.ENOTSUP;
    }

    /**
     * quotactl(cmd, special, id, addr): the quota type; without a device only Q_SYNC (which
     * syncs every file system with quotas: none here, 0); then the device path, which must
     * name a block device (ENOTBLK) that holds a file system (ENODEV: none here does).
     */
    long quotactl(int cmd, long specialVa) throws BadUserAddressException {
        int type = cmd & SUBCMDMASK;
        int cmds = cmd >>> SUBCMDSHIFT;
        if (type >= MAXQUOTAS) return -Errno.EINVAL;
        if (specialVa == 0) return cmds == Q_SYNC ? 0 : -Errno.ENODEV;
        String special = path(specialVa);
        if (special == null) return -Errno.ENAMETOOLONG;
        try {
            KernelStat st = process.files.statAt(OpenFlags.AT_FDCWD, special, 0);
            if (FileMode.type(st.mode()) != FileMode.S_IFBLK) return -Errno.ENOTBLK;
        } catch (ErrnoException e) {
            return e.negated();
        }
        return -Errno.ENODEV;
    }

    /**
     * quotactl_fd(fd, cmd, id, addr): the descriptor (an O_PATH one too), the type, a
     * writable mount for the commands that change quotas, then the file system's quota
     * operations, which the guest's have none of.
     */
    long quotactlFd(int fd, int cmd) {
        OpenFile f = process.files.file(fd);
        if (f == null) return -Errno.EBADF;
        int type = cmd & SUBCMDMASK;
        if (type >= MAXQUOTAS) return -Errno.EINVAL;
        int cmds = cmd >>> SUBCMDSHIFT;
        boolean writes = switch (cmds) {
            case Q_QUOTAON, Q_QUOTAOFF, Q_SETINFO, Q_SETQUOTA, Q_XQUOTAON, Q_XQUOTAOFF, Q_XSETQLIM, Q_XQUOTARM -> true;
            default -> false;
        };
        if (writes && f.guestPath().startsWith("/") && process.files.fileSystem().isReadOnly()) return -Errno.EROFS;
        return -Errno.ENOSYS;
    }
}
