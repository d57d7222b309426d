package a64emu.guest.printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One record of the kernel log as printk.c reads it ({@code struct printk_info} and its text):
 * the syslog facility and level, the sequence number, the time since boot and the text
 * without its trailing newline; and the two ways Linux prints it.
 *
 * <ul>
 * <li>{@link #extended}: a /dev/kmsg read ({@code info_print_ext_header} and
 *     {@code msg_print_ext_body}): {@code "6,3,1234567,-;text\n"}, the priority
 *     {@code facility << 3 | level}, the sequence, the time in microseconds, '-' (no
 *     continuation: records here are always final), then the text with every byte below ' ',
 *     from 127 and the backslash written as {@code \xNN}.</li>
 * <li>{@link #syslog}: syslog(2) and /proc/kmsg ({@code record_print_text} with
 *     {@code info_print_prefix}): each line of the text prefixed with
 *     {@code "<6>[    1.234567] "} and ended with a newline, the lines that fit in
 *     {@code CONSOLE_LOG_MAX}.</li>
 * </ul>
 *
 * <p>GKI builds with CONFIG_PRINTK_CALLER=y, which adds the caller ({@code ",caller=T123"} and
 * {@code "[  T123]"}); the kernel log does not record callers yet, so neither form has it
 * (they read as with CONFIG_PRINTK_CALLER=n).
 */
public record Record(int facility, int level, long sequence, long nanos, byte[] text) {
    /** CONSOLE_LOG_MAX: the buffer one record's syslog text is made in. */
    static final int CONSOLE_LOG_MAX = 1024;

    /** The priority of the syslog prefix and of /dev/kmsg: {@code facility << 3 | level}. */
    public int priority() {
        return facility << 3 | level;
    }

    /** The /dev/kmsg line. */
    public byte[] extended() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + 32);
        out.writeBytes(String.format("%d,%d,%d,-;", priority(), sequence, nanos / 1000)
                .getBytes(StandardCharsets.US_ASCII));
        for (byte b : text) {
            int c = b & 0xff;
            if (c < ' ' || c >= 127 || c == '\\') {
                out.writeBytes(String.format("\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code info_print_prefix}: {@code "<6>"}, then with {@code time} {@code "[    1.234567] "}. */
    String prefix(boolean time) {
        String p = "<" + priority() + ">";
        if (time) {
            p += String.format("[%5d.%06d] ", nanos / 1_000_000_000L, nanos % 1_000_000_000L / 1000);
        }
        return p;
    }

    /**
     * {@code record_print_text} with a CONSOLE_LOG_MAX buffer: every line of the text after
     * the prefix, each ended with a newline, as many whole lines as fit in the buffer with
     * its terminator; the rest are dropped. (A record holds at most LOG_LINE_MAX bytes of text,
     * so one line always fits.)
     */
    public byte[] syslog(boolean time) {
        byte[] prefix = prefix(time).getBytes(StandardCharsets.US_ASCII);
        int bufSize = CONSOLE_LOG_MAX;
        int textLen = Math.min(text.length, bufSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        boolean truncated = false;
        for (;;) {
            int nl = indexOf(text, (byte) '\n', at, at + textLen);
            int lineLen;
            if (nl >= 0) {
                lineLen = nl - at;
            } else {
                if (truncated) break; // drop the truncated line(s)
                lineLen = textLen;
            }
            int len = out.size();
            if (len + prefix.length + textLen + 1 + 1 > bufSize) {
                if (len + prefix.length + lineLen + 1 + 1 > bufSize) break;
                textLen = bufSize - len - prefix.length - 1 - 1;
                truncated = true;
            }
            out.writeBytes(prefix);
            out.write(text, at, Math.min(lineLen, textLen));
            out.write('\n');
            if (textLen == lineLen) break;
            at += lineLen + 1;
            textLen -= lineLen + 1;
        }
        return out.toByteArray();
    }

    /** The length of {@link #syslog}, as {@code get_record_print_text_size} counts it (no cutting). */
    int syslogSize(boolean time) {
        int lines = 1;
        for (byte b : text) {
            if (b == '\n') lines++;
        }
        return prefix(time).length() * lines + text.length + 1;
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) return i;
        }
        return -1;
    }
}
