package a64emu.guest.zram;

/**
 * Linux's {@code memparse} ({@code lib/cmdline.c}), which zram's size attributes parse
 * with: an unsigned number as {@code simple_strtoull(s, &end, 0)} reads it (a "0x" prefix
 * followed by a hex digit is hex, a leading 0 is octal, else decimal; no sign, no leading
 * blanks; overflow wraps), then one optional suffix K, M, G, T, P or E (either case)
 * multiplying by 1024 per step. Parsing stops at the first character that does not fit, so
 * a trailing newline is ignored.
 */
final class Memparse {
    private Memparse() {}

    /** The value and the index just past what was parsed (0 if nothing was). */
    record Result(long value, int end) {}

    private static final String SUFFIXES = "kmgtpe";

    static Result parse(String s) {
        int at = 0;
        int base = 10;
        if (s.startsWith("0")) {
            if (s.length() > 2 && (s.charAt(1) | 0x20) == 'x' && asciiDigit(s.charAt(2), 16) >= 0) {
                base = 16;
                at = 2;
            } else {
                base = 8;
            }
        }
        long value = 0;
        for (; at < s.length(); at++) {
            int digit = asciiDigit(s.charAt(at), base);
            if (digit < 0) {
                break;
            }
            value = value * base + digit;
        }
        // The suffix is looked at even when there were no digits: memparse("K") is 0, with
        // one character parsed.
        if (at < s.length()) {
            int shift = SUFFIXES.indexOf(s.charAt(at) | 0x20);
            if (shift >= 0) {
                value <<= 10 * (shift + 1);
                at++;
            }
        }
        return new Result(value, at);
    }

    /** The digit's value in {@code base}, or -1; only ASCII digits and letters count, as in the kernel's ctype. */
    private static int asciiDigit(char c, int base) {
        return c < 0x80 ? Character.digit(c, base) : -1;
    }
}
