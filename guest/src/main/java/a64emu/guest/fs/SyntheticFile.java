package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.util.Arrays;

/**
 * An open regular {@link SyntheticNode}: the contents are generated once, at open, and read and
 * seeked in like a small file (Linux's seq_read/seq_lseek over one generation), or, for a node
 * that gives a {@link SyntheticNode.PositionalReader}, read where and when the reader reads
 * (pagemap_read, environ_read). A write goes to the node each time (proc_oom_score_adj_write
 * parses every write on its own) and does not move the snapshot. stat reports size 0, as
 * procfs does.
 */
final class SyntheticFile extends OpenFile {
    private final SyntheticNode node;
    private final long device;
    private final byte[] contents;
    /** The in-place reader, or null when reads see {@link #contents}. */
    private final SyntheticNode.PositionalReader reader;
    private long position;

    SyntheticFile(String guestPath, SyntheticNode node, long device, int flags) throws ErrnoException {
        super(guestPath, flags);
        this.node = node;
        this.device = device;
        this.reader = node.openReader();
        this.contents = reader == null && readsAllowed(flags & O_ACCMODE) ? node.contents() : new byte[0];
    }

    @Override
    public boolean isRegularFile() {
        return true;
    }

    @Override
    synchronized long read(byte[] buf, int off, int len) {
        long n = pread(buf, off, len, position);
        if (n > 0) position += n;
        return n;
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        if (reader != null) return reader.read(pos, buf, off, len);
        if (pos >= contents.length) return 0;
        int n = (int) Math.min(len, contents.length - pos);
        System.arraycopy(contents, (int) pos, buf, off, n);
        return n;
    }

    @Override
    long write(byte[] buf, int off, int len) {
        return node.write(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    long pwrite(byte[] buf, int off, int len, long pos) {
        return write(buf, off, len);
    }

    @Override
    synchronized long lseek(long offset, int whence) {
        // seq_lseek: SEEK_SET and SEEK_CUR only; SEEK_END is EINVAL.
        long target = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            default -> -1;
        };
        if (target < 0) return -Errno.EINVAL;
        position = target;
        return target;
    }

    @Override
    KernelStat stat() {
        return SyntheticDirectory.statOf(node, device);
    }

    /** proc_reg_poll and kernfs_fop_poll: every /proc and /sys file has a poll method (DEFAULT_POLLMASK). */
    @Override
    public boolean canPoll() {
        return true;
    }
}
