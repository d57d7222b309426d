package a64emu.tools.strace;

/**
 * Guest bytes as strace(1) quotes them (its {@code string_quote}): in double quotes, {@code "}
 * and {@code \} escaped, {@code \t \n \v \f \r} by name, other unprintable bytes in octal
 * (three digits when a digit follows, so the escape stays unambiguous), and at most
 * {@link #MAX_STRING} bytes shown, as {@code strace -s 32} (the default) shows them,
 * with {@code ...} after the closing quote when there was more.
 */
final class StraceStrings {
    private StraceStrings() {}

    /** strace's default {@code -s}: the bytes of a buffer or string argument shown. */
    static final int MAX_STRING = 32;

    /** {@code bytes}, of which the guest had {@code total} (more than shown adds {@code ...}). */
    static String quote(byte[] bytes, long total) {
        return quote(bytes, total, false);
    }

    /** As {@link #quote(byte[], long)}; {@code hex} writes every byte as {@code \xNN} (random bytes). */
    static String quote(byte[] bytes, long total, boolean hex) {
        int n = (int) Math.min(bytes.length, MAX_STRING);
        StringBuilder b = new StringBuilder(n + 8).append('"');
        for (int i = 0; i < n; i++) {
            int c = bytes[i] & 0xff;
            if (hex) {
                b.append(String.format("\\x%02x", c));
                continue;
            }
            switch (c) {
                case '"', '\\' -> b.append('\\').append((char) c);
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (c >= ' ' && c < 0x7f) {
                        b.append((char) c);
                    } else {
                        boolean digitNext = i + 1 < n && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
                        b.append('\\').append(digitNext ? String.format("%03o", c) : Integer.toOctalString(c));
                    }
                }
            }
        }
        b.append('"');
        if (total > n) {
            b.append("...");
        }
        return b.toString();
    }
}
