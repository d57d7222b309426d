package a64emu.guest.printk;

import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * {@code do_syslog} (Linux 6.1 kernel/printk/printk.c), the actions of syslog(2) = klogctl:
 * reading the log as {@code "<6>[    1.234567] text\n"} lines (destructively from
 * {@code syslog_seq}, or all of it from {@code clear_seq}), clearing it, the console level,
 * and the sizes. A caller that is not privileged may only read all and ask the buffer's size,
 * and not even that with {@code dmesg_restrict}; anything else is -EPERM without CAP_SYSLOG
 * (CAP_SYS_ADMIN passes too, with a warning once, as 6.1 still allows it).
 *
 * <p>The actions return the bytes to copy to the caller's buffer with the result; a
 * SYSLOG_ACTION_READ with nothing unread returns {@link Result#WAIT}: the caller sleeps on the
 * {@link Printk} until a message comes and asks again.
 */
public final class Syslog {
    /** include/linux/syslog.h. */
    public static final int SYSLOG_ACTION_CLOSE = 0;
    public static final int SYSLOG_ACTION_OPEN = 1;
    public static final int SYSLOG_ACTION_READ = 2;
    public static final int SYSLOG_ACTION_READ_ALL = 3;
    public static final int SYSLOG_ACTION_READ_CLEAR = 4;
    public static final int SYSLOG_ACTION_CLEAR = 5;
    public static final int SYSLOG_ACTION_CONSOLE_OFF = 6;
    public static final int SYSLOG_ACTION_CONSOLE_ON = 7;
    public static final int SYSLOG_ACTION_CONSOLE_LEVEL = 8;
    public static final int SYSLOG_ACTION_SIZE_UNREAD = 9;
    public static final int SYSLOG_ACTION_SIZE_BUFFER = 10;

    /** The value of the call, and what a reading action copies to the buffer (empty for the others). */
    public record Result(long value, byte[] data) {
        /** SYSLOG_ACTION_READ found nothing unread: wait for a message, then try again. */
        public static final Result WAIT = new Result(-Errno.EAGAIN, new byte[0]);

        static Result of(long value) {
            return new Result(value, new byte[0]);
        }
    }

    private final Printk printk;
    private boolean warnedSysAdmin;

    public Syslog(Printk printk) {
        this.printk = printk;
    }

    /** {@code syslog_action_restricted}: unless dmesg_restrict, READ_ALL and SIZE_BUFFER are anyone's. */
    private boolean restricted(int type) {
        return printk.dmesgRestrict != 0
                || (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER);
    }

    /** {@code check_syslog_permissions(type, SYSLOG_FROM_READER)}: 0 or -EPERM. */
    int checkPermissions(int type, Caller caller) {
        if (!restricted(type) || caller.capSyslog()) return 0;
        if (caller.capSysAdmin()) {
            if (!warnedSysAdmin) {
                warnedSysAdmin = true;
                printk.log().log(KernelLog.WARNING, String.format(
                        "%s (%d): Attempt to access syslog with CAP_SYS_ADMIN but no CAP_SYSLOG (deprecated).",
                        caller.comm(), caller.pid()));
                printk.logged();
            }
            return 0;
        }
        return -Errno.EPERM;
    }

    /**
     * syslog({@code type}, buf, {@code len}) for {@code caller}; {@code haveBuffer} is false
     * for a NULL buf (EINVAL for the reading actions).
     */
    public Result doSyslog(int type, boolean haveBuffer, int len, Caller caller) {
        int error = checkPermissions(type, caller);
        if (error != 0) return Result.of(error);
        return switch (type) {
            case SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN -> Result.of(0);
            case SYSLOG_ACTION_READ -> {
                if (!haveBuffer || len < 0) yield Result.of(-Errno.EINVAL);
                if (len == 0) yield Result.of(0);
                yield syslogPrint(len);
            }
            case SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR -> {
                if (!haveBuffer || len < 0) yield Result.of(-Errno.EINVAL);
                if (len == 0) yield Result.of(0);
                yield syslogPrintAll(len, type == SYSLOG_ACTION_READ_CLEAR);
            }
            case SYSLOG_ACTION_CLEAR -> {
                printk.setClearSeq(printk.nextSeq());
                yield Result.of(0);
            }
            case SYSLOG_ACTION_CONSOLE_OFF -> {
                if (printk.savedConsoleLoglevel == Printk.LOGLEVEL_DEFAULT) {
                    printk.savedConsoleLoglevel = printk.consoleLoglevel;
                }
                printk.consoleLoglevel = Printk.CONSOLE_LOGLEVEL_MIN;
                yield Result.of(0);
            }
            case SYSLOG_ACTION_CONSOLE_ON -> {
                if (printk.savedConsoleLoglevel != Printk.LOGLEVEL_DEFAULT) {
                    printk.consoleLoglevel = printk.savedConsoleLoglevel;
                    printk.savedConsoleLoglevel = Printk.LOGLEVEL_DEFAULT;
                }
                yield Result.of(0);
            }
            case SYSLOG_ACTION_CONSOLE_LEVEL -> {
                if (len < 1 || len > 8) yield Result.of(-Errno.EINVAL);
                printk.consoleLoglevel = Math.max(len, Printk.CONSOLE_LOGLEVEL_MIN);
                // Setting a level re-enables the console.
                printk.savedConsoleLoglevel = Printk.LOGLEVEL_DEFAULT;
                yield Result.of(0);
            }
            case SYSLOG_ACTION_SIZE_UNREAD -> Result.of(sizeUnread());
            case SYSLOG_ACTION_SIZE_BUFFER -> Result.of(Printk.LOG_BUF_LEN);
            default -> Result.of(-Errno.EINVAL);
        };
    }

    /**
     * {@code syslog_print}: the unread lines from {@code syslog_seq} that fit in {@code size},
     * which they are then read; a first line longer than the buffer is read in parts
     * ({@code syslog_partial}).
     */
    private Result syslogPrint(int size) {
        if (printk.read(printk.syslogSeq) == null) return Result.WAIT;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            Record r = printk.read(printk.syslogSeq);
            if (r == null) break;
            if (r.sequence() != printk.syslogSeq) {
                // The message is gone: on to the next one still there.
                printk.syslogSeq = r.sequence();
                printk.syslogPartial = 0;
            }
            // A line read in parts keeps the time setting it began with.
            if (printk.syslogPartial == 0) printk.syslogTime = printk.printkTime;
            int skip = printk.syslogPartial;
            byte[] text = r.syslog(printk.syslogTime);
            int n = text.length;
            if (n - printk.syslogPartial <= size) {
                printk.syslogSeq = r.sequence() + 1;
                n -= printk.syslogPartial;
                printk.syslogPartial = 0;
            } else if (out.size() == 0) {
                n = size;
                printk.syslogPartial += n;
            } else {
                n = 0;
            }
            if (n == 0) break;
            out.write(text, skip, n);
            size -= n;
        } while (size > 0);
        return new Result(out.size(), out.toByteArray());
    }

    /**
     * {@code syslog_print_all}: every line from {@code clear_seq} on, or the newest that fit
     * in {@code size} ({@code find_first_fitting_seq}); with {@code clear}, clear_seq then
     * moves past them.
     */
    private Result syslogPrintAll(int size, boolean clear) {
        boolean time = printk.printkTime;
        List<Record> all = printk.recordsFrom(printk.clearSeq());
        long total = 0;
        for (Record r : all) total += r.syslogSize(time);
        int first = 0;
        while (first < all.size() && total > size) {
            total -= all.get(first).syslogSize(time);
            first++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long seq = first < all.size() ? all.get(first).sequence() : printk.nextSeq();
        for (Record r : all.subList(first, all.size())) {
            byte[] text = r.syslog(time);
            if (out.size() + text.length > size) {
                seq = r.sequence() - 1;
                break;
            }
            out.writeBytes(text);
            seq = r.sequence() + 1;
        }
        if (clear) printk.setClearSeq(seq);
        return new Result(out.size(), out.toByteArray());
    }

    /** SYSLOG_ACTION_SIZE_UNREAD from a reader: the bytes a SYSLOG_ACTION_READ would return in all. */
    private long sizeUnread() {
        Record r = printk.read(printk.syslogSeq);
        if (r == null) return 0;
        if (r.sequence() != printk.syslogSeq) {
            printk.syslogSeq = r.sequence();
            printk.syslogPartial = 0;
        }
        boolean time = printk.syslogPartial != 0 ? printk.syslogTime : printk.printkTime;
        long size = 0;
        for (Record each : printk.recordsFrom(printk.syslogSeq)) {
            size += each.syslogSize(time);
            time = printk.printkTime;
        }
        return size - printk.syslogPartial;
    }
}
