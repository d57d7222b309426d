package a64emu.tools.gdb;

import java.nio.charset.StandardCharsets;

/** The remote protocol's hex: bytes as two lower-case digits each, numbers big-endian without padding. */
final class Hex {
    private Hex() {}

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(DIGITS[(b >> 4) & 0xF]).append(DIGITS[b & 0xF]);
        }
        return sb.toString();
    }

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Pairs of hex digits to bytes; throws IllegalArgumentException for anything else. */
    static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex.charAt(2 * i)) << 4 | digit(hex.charAt(2 * i + 1)));
        }
        return out;
    }

    /** An unsigned hex number of up to 64 bits; throws IllegalArgumentException otherwise. */
    static long number(String hex) {
        if (hex.isEmpty() || hex.length() > 16) {
            throw new IllegalArgumentException("not a hex number: '" + hex + "'");
        }
        long v = 0;
        for (int i = 0; i < hex.length(); i++) {
            v = v << 4 | digit(hex.charAt(i));
        }
        return v;
    }

    /** A hex number that must fit an int and be at least 0. */
    static int count(String hex) {
        long v = number(hex);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large: " + hex);
        }
        return (int) v;
    }

    /** {@code value} as {@code bytes} little-endian bytes in hex (the register format). */
    static void appendLittleEndian(StringBuilder sb, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            int b = (int) (value >>> (8 * i)) & 0xFF;
            sb.append(DIGITS[b >> 4]).append(DIGITS[b & 0xF]);
        }
    }

    /** {@code bytes} little-endian bytes of hex from {@code from}, as a number. */
    static long littleEndian(String hex, int from, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            int at = from + 2 * i;
            v = v << 8 | digit(hex.charAt(at)) << 4 | digit(hex.charAt(at + 1));
        }
        return v;
    }

    private static int digit(char c) {
        int d = Character.digit(c, 16);
        if (d < 0) {
            throw new IllegalArgumentException("not a hex digit: '" + c + "'");
        }
        return d;
    }
}
