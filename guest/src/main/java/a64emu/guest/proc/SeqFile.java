package a64emu.guest.proc;

import java.nio.charset.StandardCharsets;

/**
 * Text building the way Linux's fs/seq_file.c helpers do it, so that widths and padding come
 * out byte for byte: {@code seq_put_decimal_ull_width} right-aligns a number in a field,
 * {@code seq_setwidth}/{@code seq_pad} pad a line to a column.
 */
final class SeqFile {
    private final StringBuilder sb = new StringBuilder();
    private int padUntil = -1;

    SeqFile puts(String s) {
        sb.append(s);
        return this;
    }

    SeqFile putc(char c) {
        sb.append(c);
        return this;
    }

    /** {@code seq_put_decimal_ull_width(m, delimiter, num, width)}: the delimiter, then num right-aligned. */
    SeqFile putDecimalWidth(String delimiter, long num, int width) {
        sb.append(delimiter);
        String digits = Long.toUnsignedString(num);
        for (int i = digits.length(); i < width; i++) sb.append(' ');
        sb.append(digits);
        return this;
    }

    /** {@code seq_put_decimal_ull}: the delimiter, then num. */
    SeqFile putDecimal(String delimiter, long num) {
        return putDecimalWidth(delimiter, num, 0);
    }

    /** {@code seq_put_decimal_ll}: a signed number. */
    SeqFile putSigned(String delimiter, long num) {
        sb.append(delimiter).append(num);
        return this;
    }

    SeqFile printf(String format, Object... args) {
        sb.append(String.format(format, args));
        return this;
    }

    /** {@code seq_setwidth}: the line is to be padded to {@code width} characters from here. */
    SeqFile setWidth(int width) {
        padUntil = sb.length() + width;
        return this;
    }

    /** {@code seq_pad}: spaces up to the width set, then {@code c}. */
    SeqFile pad(char c) {
        while (sb.length() < padUntil) sb.append(' ');
        padUntil = -1;
        sb.append(c);
        return this;
    }

    /** Text already laid out, as the bytes a reader reads. */
    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
