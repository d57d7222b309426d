package a64emu.guest.proc;

import a64emu.guest.Errno;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Linux 6.1's proc_dointvec_minmax (kernel/sysctl.c, __do_proc_dointvec with one int and
 * do_proc_dointvec_minmax_conv) for a sysctl holding a single int: how it is shown and how a
 * write is parsed.
 *
 * <p>A read at position 0 gives the value in decimal and a newline, cut to the reader's buffer;
 * a read anywhere else gives nothing (the handler returns at once when {@code *ppos} is not 0).
 *
 * <p>A write skips leading white space, then takes an optional '-' and a number in C's bases
 * (0x hex, a leading 0 octal, else decimal; proc_get_long with strtoul_lenient), which must be
 * followed by a space, tab or newline or by the end of the data, and fit in fewer than
 * TMPBUFLEN - 1 characters. Anything else is EINVAL, as is a number outside the int range or
 * outside [min, max] (the conversion's ERANGE becomes EINVAL). White space after the number is
 * taken too; the count returned is what was taken, so the rest of "60 70" is left over.
 */
final class ProcDointvec {
    private ProcDointvec() {}

    /** TMPBUFLEN: proc_get_long copies at most TMPBUFLEN - 1 characters. */
    static final int TMPBUFLEN = 22;
    /** A write is cut to PAGE_SIZE - 1 bytes before parsing. */
    private static final int MAX_WRITE = 4095;

    /** The text a read at position {@code pos} of a file holding {@code value} reads into {@code buf}. */
    static long read(int value, long pos, byte[] buf, int off, int len) {
        if (pos != 0) return 0;
        byte[] text = (value + "\n").getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(len, text.length);
        System.arraycopy(text, 0, buf, off, n);
        return n;
    }

    /**
     * A write of {@code data} to a proc_dointvec_minmax file bounded by [{@code min}, {@code max}]:
     * the value goes to {@code store} and the count taken is returned, or -errno and nothing is
     * stored.
     */
    static long writeMinmax(byte[] data, long min, long max, IntConsumer store) {
        long count = data.length;
        if (count == 0) return 0;
        int left = (int) Math.min(count, MAX_WRITE);
        int p = 0;
        while (left > 0 && isSpace(data[p])) {
            p++;
            left--;
        }
        if (left == 0) return -Errno.EINVAL;
        // proc_get_long: the number is read from a copy of at most TMPBUFLEN - 1 bytes.
        int copied = Math.min(left, TMPBUFLEN - 1);
        int q = p;
        boolean neg = false;
        if (data[q] == '-' && left > 1) {
            neg = true;
            q++;
        }
        int end = p + copied;
        if (q >= end || !isDigit(data[q])) return -Errno.EINVAL;
        int base = 10;
        if (data[q] == '0') {
            base = q + 2 < end && (data[q + 1] | 0x20) == 'x' && digit(data[q + 2]) >= 0 ? 16 : 8;
            if (base == 16) q += 2;
        }
        long value = 0;
        boolean overflow = false;
        while (q < end) {
            int d = digit(data[q]);
            if (d < 0 || d >= base) break;
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) overflow = true;
            value = value * base + d;
            q++;
        }
        if (overflow) return -Errno.EINVAL; // strtoul_lenient's ERANGE
        int len = q - p;
        if (len == TMPBUFLEN - 1) return -Errno.EINVAL;
        if (len < left && !isSeparator(q < end ? data[q] : 0)) return -Errno.EINVAL;
        p += len;
        left -= len;
        // do_proc_dointvec_conv, then the bounds: out of range is EINVAL to the writer.
        if (Long.compareUnsigned(value, neg ? (long) Integer.MAX_VALUE + 1 : Integer.MAX_VALUE) > 0) {
            return -Errno.EINVAL;
        }
        long v = neg ? -value : value;
        if (v < min || v > max) return -Errno.EINVAL;
        store.accept((int) v);
        while (left > 0 && isSpace(data[p])) {
            p++;
            left--;
        }
        return count - left;
    }

    /** proc_wspace_sep: what may follow a number. */
    private static boolean isSeparator(byte c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    /** isspace() of the kernel's ctype: space, \t \n \v \f \r. */
    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int digit(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        int l = c | 0x20;
        if (l >= 'a' && l <= 'f') return l - 'a' + 10;
        return -1;
    }
}
