package a64emu.guest.fs;

import a64emu.guest.Errno;

/**
 * fsync(2), fdatasync(2), syncfs(2) and sync_file_range(2) (fs/sync.c). Dirty pages of
 * shared mappings are written back to the file first, as Linux's writeback does, then the
 * host file is forced to its device. sync(2) needs no descriptor and always succeeds.
 */
public final class FileSync {
    private FileSync() {}

    public static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    public static final int SYNC_FILE_RANGE_WRITE = 2;
    public static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;
    private static final int VALID_FLAGS = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE
            | SYNC_FILE_RANGE_WAIT_AFTER;

    /** fsync(2) ({@code dataOnly} false) or fdatasync(2): EBADF for no descriptor or O_PATH, EINVAL where the file has no fsync. */
    public static int fsync(FileTable t, int fd, boolean dataOnly) {
        OpenFile f = t.file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        t.beforeAccess(f);
        return f.fsync(dataOnly);
    }

    /** syncfs(2): flushes the file system the descriptor is on; any open descriptor will do. */
    public static int syncfs(FileTable t, int fd) {
        OpenFile f = t.file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        t.beforeAccess(f);
        f.fsync(false);
        return 0;
    }

    /**
     * sync_file_range(2) (ksys_sync_file_range): EBADF first, then unknown flags, a negative
     * offset, or an end that overflows, EINVAL; a file that is not regular, a directory, a
     * link or a block device ESPIPE (a pipe).
     */
    public static int syncFileRange(FileTable t, int fd, long offset, long nbytes, int flags) {
        OpenFile f = t.file(fd);
        if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF;
        if ((flags & ~VALID_FLAGS) != 0) return -Errno.EINVAL;
        long end = offset + nbytes;
        if (offset < 0 || end < 0 || end < offset) return -Errno.EINVAL;
        int type;
        try {
            type = FileMode.type(f.stat().mode());
        } catch (ErrnoException e) {
            return e.negated();
        }
        if (type != FileMode.S_IFREG && type != FileMode.S_IFBLK && type != FileMode.S_IFDIR
                && type != FileMode.S_IFLNK) {
            return -Errno.ESPIPE;
        }
        if ((flags & SYNC_FILE_RANGE_WRITE) != 0) {
            t.beforeAccess(f);
            int r = f.fsync(true);
            if (r < 0 && r != -Errno.EINVAL) return r;
        }
        return 0;
    }
}
