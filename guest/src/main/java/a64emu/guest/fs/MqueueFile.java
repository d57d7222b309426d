package a64emu.guest.fs;

import a64emu.guest.Errno;
import a64emu.guest.ipc.MessageQueue;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * An open POSIX message queue (Linux {@code mqueue_file_operations}): what mq_open returns.
 * Reading it shows the queue's status line; poll, select and epoll see it readable while it
 * holds messages and writable while it has room. O_NONBLOCK is the description's, as
 * mq_getsetattr sets it. /proc/PID/fd names it by the queue's name on the mqueue mount.
 */
public final class MqueueFile extends OpenFile {
    private final MessageQueue queue;
    private final IntSupplier currentTgid;
    private long position;

    public MqueueFile(MessageQueue queue, int openFlags, IntSupplier currentTgid) {
        super("/" + queue.name(), openFlags & (OpenFlags.O_ACCMODE | OpenFlags.O_NONBLOCK));
        this.queue = queue;
        this.currentTgid = currentTgid;
    }

    public MessageQueue queue() {
        return queue;
    }

    public boolean nonBlocking() {
        return (statusFlagsForGetfl() & OpenFlags.O_NONBLOCK) != 0;
    }

    /** mq_getsetattr's new mq_flags: O_NONBLOCK on or off for this description. */
    public void setNonBlocking(boolean on) {
        int flags = statusFlagsForGetfl();
        setStatusFlags(on ? flags | OpenFlags.O_NONBLOCK : flags & ~OpenFlags.O_NONBLOCK);
    }

    /** {@code mqueue_read_file}: the status line from the description's position (simple_read_from_buffer). */
    @Override
    long read(byte[] buf, int off, int len) {
        synchronized (this) {
            long n = pread(buf, off, len, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        byte[] status = queue.status().getBytes(StandardCharsets.US_ASCII);
        if (pos >= status.length) {
            return 0;
        }
        int n = (int) Math.min(len, status.length - pos);
        System.arraycopy(status, (int) pos, buf, off, n);
        return n;
    }

    /** default_llseek over the status line's {@link MessageQueue#FILENT_SIZE} bytes. */
    @Override
    synchronized long lseek(long offset, int whence) {
        long target = seekTarget(position, MessageQueue.FILENT_SIZE, offset, whence);
        if (target >= 0) {
            position = target;
        }
        return target;
    }

    /** No write method: vfs_write answers EINVAL. */
    @Override
    long write(byte[] buf, int off, int len) {
        return -Errno.EINVAL;
    }

    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, queue.pollers);
        return queue.pollMask();
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    @Override
    public Object waitChannel() {
        return queue;
    }

    /** {@code mqueue_flush_file} at each close: the closing process's notification goes. */
    @Override
    public void release() {
        queue.flush(currentTgid.getAsInt());
        super.release();
    }

    @Override
    protected void closeResource() {
        queue.lastClose();
    }

    /** A regular file of FILENT_SIZE bytes on the mqueue mount. */
    @Override
    KernelStat stat() {
        long t = queue.mtimeNanos();
        long sec = Math.floorDiv(t, 1_000_000_000L);
        long nsec = Math.floorMod(t, 1_000_000_000L);
        return new KernelStat(a64emu.guest.ipc.Mqueue.DEVICE, queue.inode(), FileMode.S_IFREG | queue.mode(), 1,
                (int) queue.uid(), (int) queue.gid(), 0, MessageQueue.FILENT_SIZE, KernelStat.BLOCK_SIZE, 0,
                sec, nsec, sec, nsec, sec, nsec);
    }
}
