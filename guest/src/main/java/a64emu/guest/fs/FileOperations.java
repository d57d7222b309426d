package a64emu.guest.fs;

import a64emu.guest.Errno;

/**
 * The methods of one open file whose node keeps state per open description (Linux's
 * {@code file_operations} with their {@code file->private_data}): /dev/kmsg's read position,
 * a /proc/pressure file's trigger. A {@link SyntheticNode} hands one out from
 * {@link SyntheticNode#open} for each open(2), and the description calls {@link #release}
 * when its last reference goes. Every method returns the system call's value or -errno.
 */
public interface FileOperations {
    /**
     * read(2) at the description's position, which these files keep themselves;
     * {@code nonblocking} when the description is O_NONBLOCK. A read that would wait returns
     * -EAGAIN either way: the kernel sleeps on {@link #waitChannel} for a blocking one.
     */
    long read(byte[] buf, int off, int len, boolean nonblocking);

    /**
     * pread(2) at {@code pos}. Linux lets every open file pread unless its open made it a
     * stream, and hands the position to the read method, which may ignore it (devkmsg_read
     * does); the default is a stream's -ESPIPE.
     */
    default long pread(byte[] buf, int off, int len, long pos, boolean nonblocking) {
        return -Errno.ESPIPE;
    }

    /** write(2), and pwrite(2), of {@code data}: the count taken, or -errno (both methods here ignore the position). */
    default long write(byte[] data) {
        return -Errno.EINVAL;
    }

    /** lseek(2); without an llseek method Linux's vfs_llseek answers -ESPIPE. */
    default long lseek(long offset, int whence) {
        return -Errno.ESPIPE;
    }

    /** poll: the events ready now, registering on {@code table} for later ones ({@code f_op->poll}). */
    default int poll(PollTable table) {
        return PollTable.DEFAULT_POLLMASK;
    }

    /** What a blocking read that answered -EAGAIN sleeps on until the kernel wakes it; null for none. */
    default Object waitChannel() {
        return null;
    }

    /** The last reference to the description went ({@code f_op->release}). */
    default void release() {}
}
