package a64emu.guest.fs;

/**
 * st_mode file-type and permission bits (include/uapi/linux/stat.h) and the matching
 * linux_dirent64 d_type values (include/linux/fs_types.h: DT_x == S_IFx >> 12).
 */
public final class FileMode {
    private FileMode() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** Permission and set-id/sticky bits: what chmod(2) and the mode of open/mkdir may set. */
    public static final int S_IALLUGO = 07777;
    public static final int S_IRWXUGO = 0777;

    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    /** Umask of a process started by a login shell; the guest has no umask(2) yet. */
    public static final int DEFAULT_UMASK = 022;

    public static int type(int mode) {
        return mode & S_IFMT;
    }

    public static boolean isDirectory(int mode) {
        return type(mode) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    /** d_type for a mode: fs_umode_to_dtype() is exactly the type bits shifted down. */
    public static int direntType(int mode) {
        return type(mode) >>> 12;
    }
}
