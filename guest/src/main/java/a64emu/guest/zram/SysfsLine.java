package a64emu.guest.zram;

/**
 * One line of the fixed-width numbers the block layer and zram print in sysfs
 * ({@code "%8llu %8llu ...\n"}): each field right-aligned in at least 8 columns, one space
 * between fields, a newline at the end. The methods name the C conversion they stand for.
 */
final class SysfsLine {
    private static final int WIDTH = 8;
    private final StringBuilder text = new StringBuilder(160);

    /** {@code %8llu} or {@code %8lu} (64-bit unsigned on arm64). */
    SysfsLine u64(long value) {
        return field(Long.toUnsignedString(value));
    }

    /** {@code %8ld}. */
    SysfsLine s64(long value) {
        return field(Long.toString(value));
    }

    /** {@code %8u} of a value the kernel casts to {@code unsigned int}. */
    SysfsLine u32(long value) {
        return field(Integer.toUnsignedString((int) value));
    }

    String end() {
        return text.append('\n').toString();
    }

    private SysfsLine field(String digits) {
        if (text.length() > 0) {
            text.append(' ');
        }
        for (int pad = WIDTH - digits.length(); pad > 0; pad--) {
            text.append(' ');
        }
        text.append(digits);
        return this;
    }
}
