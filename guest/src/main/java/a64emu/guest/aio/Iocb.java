package a64emu.guest.aio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct iocb as user space submits it (include/uapi/linux/aio_abi.h, little-endian 64-bit).
 *
 * @param data      aio_data, returned in the event
 * @param rwFlags   aio_rw_flags (RWF_*)
 * @param opcode    aio_lio_opcode (IOCB_CMD_*)
 * @param reqprio   aio_reqprio: an I/O priority, used with IOCB_FLAG_IOPRIO
 * @param fd        aio_fildes
 * @param buf       aio_buf: the buffer, the iovec array, or for POLL the events
 * @param nbytes    aio_nbytes: the length, or the iovec count
 * @param offset    aio_offset
 * @param reserved2 aio_reserved2, which must be zero
 * @param flags     aio_flags (IOCB_FLAG_RESFD, IOCB_FLAG_IOPRIO)
 * @param resfd     aio_resfd: the eventfd told of the completion
 */
public record Iocb(long data, int rwFlags, int opcode, int reqprio, int fd, long buf, long nbytes, long offset, long reserved2,
                   int flags, int resfd) {
    public static final int SIZE = 64;
    /** The offset of aio_key, which io_submit sets to KIOCB_KEY and io_cancel checks. */
    public static final int KEY_OFFSET = 8;
    public static final int KIOCB_KEY = 0;
    public static final int IOCB_CMD_PREAD = 0;
    public static final int IOCB_CMD_PWRITE = 1;
    public static final int IOCB_CMD_FSYNC = 2;
    public static final int IOCB_CMD_FDSYNC = 3;
    public static final int IOCB_CMD_POLL = 5;
    public static final int IOCB_CMD_NOOP = 6;
    public static final int IOCB_CMD_PREADV = 7;
    public static final int IOCB_CMD_PWRITEV = 8;
    public static final int IOCB_FLAG_RESFD = 1;
    public static final int IOCB_FLAG_IOPRIO = 2;

    public static Iocb decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new Iocb(b.getLong(0), b.getInt(12), b.getShort(16) & 0xFFFF, b.getShort(18), b.getInt(20), b.getLong(24),
                b.getLong(32), b.getLong(40), b.getLong(48), b.getInt(56), b.getInt(60));
    }
}
