package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.O_NONBLOCK;

import java.util.Arrays;

/**
 * An open {@link SyntheticNode} that keeps state per open description: every call goes to the
 * {@link FileOperations} its node's open method made (Linux's {@code f_op} of that file), and
 * the last close releases them.
 */
final class OperationsFile extends OpenFile {
    private final SyntheticNode node;
    private final long device;
    private final FileOperations ops;

    OperationsFile(String guestPath, SyntheticNode node, long device, int flags, FileOperations ops) {
        super(guestPath, flags);
        this.node = node;
        this.device = device;
        this.ops = ops;
    }

    @Override
    public boolean isRegularFile() {
        return node.kind() == SyntheticNode.Kind.REGULAR;
    }

    @Override
    long read(byte[] buf, int off, int len) {
        return ops.read(buf, off, len, (statusFlagsForGetfl() & O_NONBLOCK) != 0);
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        return ops.pread(buf, off, len, pos, (statusFlagsForGetfl() & O_NONBLOCK) != 0);
    }

    @Override
    long write(byte[] buf, int off, int len) {
        return ops.write(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    long pwrite(byte[] buf, int off, int len, long pos) {
        return write(buf, off, len);
    }

    @Override
    long lseek(long offset, int whence) {
        return ops.lseek(offset, whence);
    }

    @Override
    public int poll(PollTable table) {
        return ops.poll(table);
    }

    /** proc_reg_poll and kernfs_fop_poll exist for every /proc and /sys file, devkmsg_poll for /dev/kmsg. */
    @Override
    public boolean canPoll() {
        return true;
    }

    @Override
    public Object waitChannel() {
        return ops.waitChannel();
    }

    @Override
    KernelStat stat() {
        return SyntheticDirectory.statOf(node, device);
    }

    @Override
    protected void closeResource() {
        ops.release();
    }
}
