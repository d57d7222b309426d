package a64emu.guest.dev;

import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileOperations;
import a64emu.guest.fs.SyntheticNode;

/**
 * A character device node of devtmpfs: its name under /dev, its device number, the mode its
 * driver gives it (devtmpfs creates nodes root's), and the driver's open
 * ({@code chrdev_open} reaching, for major 1, {@code memory_open} and the device's
 * file_operations).
 */
public record CharDevice(String name, long inode, int major, int minor, int permissions, Opener opener)
        implements SyntheticNode {
    /** mem class, major 1 (include/uapi/linux/major.h MEM_MAJOR); kmsg is its minor 11 (drivers/char/mem.c devlist). */
    public static final int MEM_MAJOR = 1;
    public static final int KMSG_MINOR = 11;

    /** The driver's open method for this device. */
    @FunctionalInterface
    public interface Opener {
        FileOperations open(int flags) throws ErrnoException;
    }

    @Override
    public Kind kind() {
        return Kind.CHARACTER_DEVICE;
    }

    @Override
    public int uid() {
        return 0;
    }

    @Override
    public int gid() {
        return 0;
    }

    /** st_rdev as userspace decodes it (glibc's makedev, the inverse of gnu_dev_major/minor). */
    @Override
    public long rdev() {
        return makedev(major, minor);
    }

    static long makedev(long major, long minor) {
        return ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
    }

    @Override
    public FileOperations open(int flags) throws ErrnoException {
        return opener.open(flags);
    }
}
