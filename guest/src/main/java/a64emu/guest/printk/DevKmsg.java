package a64emu.guest.printk;

import static a64emu.guest.fs.OpenFlags.O_ACCMODE;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;
import static a64emu.guest.fs.OpenFlags.SEEK_DATA;
import static a64emu.guest.fs.OpenFlags.SEEK_END;
import static a64emu.guest.fs.OpenFlags.SEEK_SET;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileOperations;
import a64emu.guest.fs.PollTable;
import java.util.Arrays;

/**
 * One open of /dev/kmsg (Linux 6.1 {@code kmsg_fops}: devkmsg_open, _read, _write, _llseek,
 * _poll): a reader of the log from the oldest record still there, one record per read(2) as
 * {@link Record#extended} writes it; a writer whose every write becomes one message.
 *
 * <ul>
 * <li>read: the next record; EINVAL (the record is skipped) when the buffer is too small for
 *     it; EPIPE once, moving on, when the next record was overwritten meanwhile; at the end
 *     EAGAIN with O_NONBLOCK, else the reader sleeps until a message comes.</li>
 * <li>lseek with offset 0 only (ESPIPE otherwise): SEEK_SET to the oldest record, SEEK_DATA to
 *     the first after the last SYSLOG_ACTION_CLEAR ({@code dmesg -c}), SEEK_END past the
 *     newest; anything else EINVAL.</li>
 * <li>write: at most LOG_LINE_MAX (992) bytes (EINVAL), a leading {@code <N>} taken as
 *     {@code facility << 3 | level} (facility LOG_USER when it gives none), the text up to a
 *     NUL and at most 991 bytes, one trailing newline dropped; the whole count is returned. Writers are not rate-limited: Android boots with
 *     {@code printk.devkmsg=on} on the kernel command line (BOARD_KERNEL_CMDLINE), so that
 *     init's and its services' messages all reach the log.</li>
 * <li>poll: readable while a record waits; with POLLERR and POLLPRI too when the next one was
 *     overwritten.</li>
 * </ul>
 */
public final class DevKmsg implements FileOperations {
    private final Printk printk;
    /** The next record this reader reads (devkmsg_user's seq). */
    private long seq;

    private DevKmsg(Printk printk) {
        this.printk = printk;
        this.seq = printk.firstSeq();
    }

    /**
     * {@code devkmsg_open}: a description opened for reading needs what reading all of the
     * log needs (check_syslog_permissions with SYSLOG_ACTION_READ_ALL); a write-only one
     * nothing.
     */
    public static DevKmsg open(Printk printk, int flags, Caller caller) throws ErrnoException {
        if ((flags & O_ACCMODE) != O_WRONLY) {
            int err = printk.syslog().checkPermissions(Syslog.SYSLOG_ACTION_READ_ALL, caller);
            if (err != 0) throw new ErrnoException(-err);
        }
        return new DevKmsg(printk);
    }

    @Override
    public synchronized long read(byte[] buf, int off, int len, boolean nonblocking) {
        Record r = printk.read(seq);
        if (r == null) return -Errno.EAGAIN;
        if (r.sequence() != seq) {
            // Our last seen message is gone: say so, and go on from the oldest.
            seq = r.sequence();
            return -Errno.EPIPE;
        }
        byte[] line = r.extended();
        seq = r.sequence() + 1;
        if (line.length > len) return -Errno.EINVAL;
        System.arraycopy(line, 0, buf, off, line.length);
        return line.length;
    }

    /** devkmsg_read ignores the position: a pread is a read. */
    @Override
    public long pread(byte[] buf, int off, int len, long pos, boolean nonblocking) {
        return read(buf, off, len, nonblocking);
    }

    @Override
    public long write(byte[] data) {
        if (data.length > Printk.LOG_LINE_MAX) return -Errno.EINVAL;
        int level = Printk.MESSAGE_LOGLEVEL_DEFAULT;
        int facility = Printk.LOG_USER;
        int start = 0;
        if (data.length > 0 && data[0] == '<') {
            // simple_strtoul(line + 1, &endp, 10), then '>' must follow the digits.
            int end = 1;
            long u = 0;
            while (end < data.length && data[end] >= '0' && data[end] <= '9') {
                u = u * 10 + (data[end] - '0');
                end++;
            }
            if (end < data.length && data[end] == '>') {
                int value = (int) u; // the value is an unsigned int
                level = value & 7;
                if ((value >>> 3 & 0xff) != 0) facility = value >>> 3 & 0xff;
                start = end + 1;
            }
        }
        // "%s": the text ends at a NUL; vprintk_store keeps TEXT_MAX bytes of it, then drops
        // one trailing newline.
        int end = start;
        while (end < data.length && data[end] != 0 && end - start < Printk.TEXT_MAX) end++;
        if (end > start && data[end - 1] == '\n') end--;
        printk.emit(facility, level, Arrays.copyOfRange(data, start, end));
        return data.length;
    }

    @Override
    public synchronized long lseek(long offset, int whence) {
        if (offset != 0) return -Errno.ESPIPE;
        switch (whence) {
            case SEEK_SET -> seq = printk.firstSeq();
            case SEEK_DATA -> seq = printk.clearSeq();
            case SEEK_END -> seq = printk.nextSeq();
            default -> {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    @Override
    public synchronized int poll(PollTable table) {
        PollTable.wait(table, printk.logWait());
        Record r = printk.read(seq);
        if (r == null) return 0;
        if (r.sequence() != seq) {
            return PollTable.POLLIN | PollTable.POLLRDNORM | PollTable.POLLERR | PollTable.POLLPRI;
        }
        return PollTable.POLLIN | PollTable.POLLRDNORM;
    }

    /** A blocking read at the end sleeps on the printk state, which a new message wakes. */
    @Override
    public Object waitChannel() {
        return printk;
    }
}
