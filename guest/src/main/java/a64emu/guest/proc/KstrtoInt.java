package a64emu.guest.proc;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;

/**
 * Linux's kstrtoint(s, 0, &res) (lib/kstrtox.c), the parser proc's numeric files use: an
 * optional '-' (or '+'), then digits in the base the prefix gives ("0x" hex when a hex digit
 * follows, a leading "0" octal, else decimal), then at most one newline. -EINVAL for anything
 * else, -ERANGE when the value does not fit an int.
 */
final class KstrtoInt {
    private KstrtoInt() {}

    static int parse(String s) throws ErrnoException {
        long v;
        if (s.startsWith("-")) {
            long magnitude = parseUnsigned(s.substring(1));
            if (magnitude > (1L << 31)) throw new ErrnoException(Errno.ERANGE);
            v = -magnitude;
        } else {
            v = parseUnsigned(s.startsWith("+") ? s.substring(1) : s);
            if (v > Integer.MAX_VALUE) throw new ErrnoException(Errno.ERANGE);
        }
        return (int) v;
    }

    /**
     * _kstrtoull with the radix fix-up and one optional trailing newline. Proc hands it at most
     * twelve characters, so the value always fits a long; parse() checks the int range.
     */
    private static long parseUnsigned(String s) throws ErrnoException {
        int base = 10;
        int i = 0;
        if (s.startsWith("0")) {
            if (s.length() > 2 && Character.toLowerCase(s.charAt(1)) == 'x' && digit(s.charAt(2)) >= 0) {
                base = 16;
                i = 2;
            } else {
                base = 8;
            }
        }
        long value = 0;
        int digits = 0;
        for (; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0 || d >= base) break;
            digits++;
            value = value * base + d;
            if (value > (1L << 40)) throw new ErrnoException(Errno.ERANGE);
        }
        if (digits == 0) throw new ErrnoException(Errno.EINVAL);
        if (i < s.length() && s.charAt(i) == '\n') i++;
        if (i != s.length()) throw new ErrnoException(Errno.EINVAL);
        return value;
    }

    /** _parse_integer's digit value: 0-9, a-f, A-F; -1 for anything else. */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        char l = Character.toLowerCase(c);
        if (l >= 'a' && l <= 'f') return l - 'a' + 10;
        return -1;
    }
}
