package a64emu.guest.fs;

/**
 * The numbers of the file syscalls' flag arguments as Linux/arm64 defines them: open(2) flags
 * (include/uapi/asm-generic/fcntl.h, with arch/arm64/include/uapi/asm/fcntl.h overriding
 * O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE), the *at(2) flags (include/uapi/linux/fcntl.h),
 * fcntl(2) commands, lseek(2) whence values and access(2) modes. Checked against a static
 * aarch64-linux-gnu program printing them under qemu-aarch64 (O_LARGEFILE is 0 in 64-bit glibc but
 * the kernel value is 0400000, which Linux ORs into every 64-bit open; see OpenFile's F_GETFL).
 */
public final class OpenFlags {
    private OpenFlags() {}

    public static final int O_ACCMODE = 3;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    /** arm64 value; asm-generic uses 0200000. */
    public static final int O_DIRECTORY = 040000;
    /** arm64 value; asm-generic uses 0400000. */
    public static final int O_NOFOLLOW = 0100000;
    public static final int O_DIRECT = 0200000;
    public static final int O_LARGEFILE = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    /** Status flags F_SETFL may change (fs/fcntl.c SETFL_MASK, less O_ASYNC which we do not model). */
    public static final int SETFL_MASK = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;

    /** renameat2(2) flags (include/uapi/linux/fs.h). */
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int F_OK = 0;
    public static final int X_OK = 1;
    public static final int W_OK = 2;
    public static final int R_OK = 4;

    /** Linux PATH_MAX (include/uapi/linux/limits.h), counting the terminating NUL. */
    public static final int PATH_MAX = 4096;
    /** Longest single path component (NAME_MAX). */
    public static final int NAME_MAX = 255;
    /** Symbolic links followed in one lookup before ELOOP (include/linux/namei.h MAXSYMLINKS). */
    public static final int MAXSYMLINKS = 40;

    /** OPEN_FMODE: the access mode grants read for O_RDONLY and O_RDWR (and not for 3). */
    public static boolean readsAllowed(int flags) {
        int acc = flags & O_ACCMODE;
        return acc == O_RDONLY || acc == O_RDWR;
    }

    public static boolean writesAllowed(int flags) {
        int acc = flags & O_ACCMODE;
        return acc == O_WRONLY || acc == O_RDWR;
    }
}
