package a64emu.guest.fs;

import a64emu.guest.Errno;

/**
 * fallocate(2): the checks of Linux's vfs_fallocate (fs/open.c), in its order, before the
 * file's own operation ({@link OpenFile#allocate}) runs. Files here behave as tmpfs does:
 * plain allocation, FALLOC_FL_KEEP_SIZE and FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE; the
 * other modes are EOPNOTSUPP.
 */
public final class FileSpace {
    private FileSpace() {}

    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_NO_HIDE_STALE = 0x04;
    public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final int FALLOC_FL_INSERT_RANGE = 0x20;
    public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    /** FALLOC_FL_SUPPORTED_MASK (include/linux/falloc.h): NO_HIDE_STALE is not in it. */
    private static final int SUPPORTED_MASK = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE
            | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;
    static final int FALLOC_FL_PUNCH_HOLE_KEEP_SIZE = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    /** MAX_LFS_FILESIZE on a 64-bit kernel, tmpfs's s_maxbytes. */
    private static final long MAX_LFS_FILESIZE = Long.MAX_VALUE;

    /** fallocate(2): 0 or -errno. */
    public static long fallocate(FileTable t, int fd, int mode, long offset, long len) {
        OpenFile f = t.file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        if (offset < 0 || len <= 0) return -Errno.EINVAL;
        if ((mode & ~SUPPORTED_MASK) != 0) return -Errno.ENOTSUP;
        if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) {
            return -Errno.ENOTSUP;
        }
        if ((mode & FALLOC_FL_PUNCH_HOLE) != 0 && (mode & FALLOC_FL_KEEP_SIZE) == 0) return -Errno.ENOTSUP;
        if ((mode & FALLOC_FL_COLLAPSE_RANGE) != 0 && (mode & ~FALLOC_FL_COLLAPSE_RANGE) != 0) return -Errno.EINVAL;
        if ((mode & FALLOC_FL_INSERT_RANGE) != 0 && (mode & ~FALLOC_FL_INSERT_RANGE) != 0) return -Errno.EINVAL;
        if ((mode & FALLOC_FL_UNSHARE_RANGE) != 0 && (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)) != 0) {
            return -Errno.EINVAL;
        }
        if (!f.writable()) return -Errno.EBADF;
        int type;
        try {
            type = FileMode.type(f.stat().mode());
        } catch (ErrnoException e) {
            return e.negated();
        }
        if (type == FileMode.S_IFIFO) return -Errno.ESPIPE;
        if (type == FileMode.S_IFDIR) return -Errno.EISDIR;
        if (type != FileMode.S_IFREG) return -Errno.ENODEV;
        if (offset + len < 0 || offset + len > MAX_LFS_FILESIZE) return -Errno.EFBIG;
        long sizeBefore = f.size();
        t.beforeAccess(f);
        long r = f.allocate(mode, offset, len);
        if (r == 0) t.afterResize(f, sizeBefore);
        return r;
    }
}
