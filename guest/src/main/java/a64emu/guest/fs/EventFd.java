package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * An eventfd (Linux {@code fs/eventfd.c}): a 64-bit counter. A read of at least 8 bytes
 * takes the whole count (EFD_SEMAPHORE: one) and waits while it is 0; a write of at least 8
 * bytes adds its value, waiting while the sum would pass 0xfffffffffffffffe; the value
 * 0xffffffffffffffff is EINVAL. Readable while the count is non-zero, writable while one
 * more can be added.
 */
public final class EventFd extends AnonInodeFile {
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int EFD_NONBLOCK = OpenFlags.O_NONBLOCK;
    /** ULLONG_MAX: never a count; the most a count reaches is one less. */
    private static final long ULLONG_MAX = -1L;

    private final boolean semaphore;
    private long count;

    /** eventfd2(initval, flags), the flags already checked. */
    public EventFd(int initval, int flags, Consumer<Object> sleepers) {
        super("eventfd", OpenFlags.O_RDWR | (flags & EFD_NONBLOCK), sleepers);
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
        this.count = Integer.toUnsignedLong(initval);
    }

    /** The counter now (for tests and /proc fdinfo's eventfd-count). */
    public synchronized long count() {
        return count;
    }

    /**
     * eventfd_signal: adds {@code n} for a kernel event (an AIO completion), saturating at
     * ULLONG_MAX instead of failing, and wakes the readers.
     */
    public void signal(long n) {
        synchronized (this) {
            count = Long.compareUnsigned(ULLONG_MAX - count, n) < 0 ? ULLONG_MAX : count + n;
        }
        wakeUp(PollTable.POLLIN);
    }

    @Override
    long read(byte[] buf, int off, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        long taken;
        synchronized (this) {
            if (count == 0) {
                return -Errno.EAGAIN;
            }
            taken = semaphore ? 1 : count;
            count -= taken;
        }
        ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(taken);
        wakeUp(PollTable.POLLOUT);
        return 8;
    }

    @Override
    long write(byte[] buf, int off, int len) {
        if (len < 8) {
            return -Errno.EINVAL;
        }
        long add = ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (add == ULLONG_MAX) {
            return -Errno.EINVAL;
        }
        synchronized (this) {
            if (Long.compareUnsigned(ULLONG_MAX - count, add) <= 0) {
                return -Errno.EAGAIN;
            }
            count += add;
        }
        wakeUp(PollTable.POLLIN);
        return 8;
    }

    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        synchronized (this) {
            int mask = 0;
            if (count != 0) {
                mask |= PollTable.POLLIN;
            }
            if (count == ULLONG_MAX) {
                mask |= PollTable.POLLERR;
            }
            if (Long.compareUnsigned(ULLONG_MAX - 1, count) > 0) {
                mask |= PollTable.POLLOUT;
            }
            return mask;
        }
    }
}
