package a64emu.tools.debug.console;

/**
 * The {@code /FMT} of gdb's {@code x} command: a count, a format letter (x hex, d signed, u
 * unsigned, o octal, t binary, c char, a address, i instruction, s string) and a unit size
 * (b byte, h halfword, w word, g giant, 8 bytes), in any order after the count.
 *
 * @param count  how many units, instructions or strings
 * @param format the format letter
 * @param size   the unit in bytes: 1, 2, 4 or 8
 */
public record ExamineFormat(int count, char format, int size) {
    /** gdb's initial format: one hex word. */
    public static final ExamineFormat DEFAULT = new ExamineFormat(1, 'x', 4);

    private static final String FORMATS = "xduotcais";

    /**
     * Parses the text after {@code x/} (may be empty); the format and size not given are those
     * of {@code previous}, as gdb remembers them, except that {@code a} implies giant units and
     * {@code c} bytes when no size is given.
     */
    public static ExamineFormat parse(String fmt, ExamineFormat previous) {
        int i = 0;
        while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
            i++;
        }
        int count = 1;
        if (i > 0) {
            try {
                count = Integer.parseInt(fmt.substring(0, i));
            } catch (NumberFormatException e) {
                throw new CommandError("Count too large in '/" + fmt + "'.");
            }
        }
        char format = 0;
        int size = 0;
        for (; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            switch (c) {
                case 'b' -> size = 1;
                case 'h' -> size = 2;
                case 'w' -> size = 4;
                case 'g' -> size = 8;
                default -> {
                    if (FORMATS.indexOf(c) < 0) {
                        throw new CommandError("Invalid format letter '" + c + "' in '/" + fmt + "'.");
                    }
                    format = c;
                }
            }
        }
        if (format == 0) {
            format = previous.format();
        }
        if (size == 0) {
            size = switch (format) {
                case 'a' -> 8;
                case 'c' -> 1;
                default -> previous.format() == 'a' || previous.format() == 'c' || previous.format() == 'i'
                        || previous.format() == 's' ? 4 : previous.size();
            };
        }
        if (format == 'a' && size != 8) {
            throw new CommandError("An address ('a') is 8 bytes here: use /a or /ga.");
        }
        if (count < 1) {
            throw new CommandError("The count must be at least 1.");
        }
        return new ExamineFormat(count, format, size);
    }

    /** Units per output line, as gdb lays them out. */
    public int perLine() {
        return switch (format) {
            case 'c' -> 8;
            case 'a' -> 2;
            case 't' -> size == 8 ? 1 : size == 4 ? 2 : 4;
            default -> size == 8 ? 2 : size == 4 ? 4 : 8;
        };
    }

    /** One unit's value {@code v} (zero-extended from {@code size} bytes) in this format. */
    public String formatUnit(long v) {
        int bits = size * 8;
        long signed = bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
        return switch (format) {
            case 'x' -> String.format("0x%0" + (size * 2) + "x", v);
            case 'd' -> Long.toString(signed);
            case 'u' -> Long.toUnsignedString(v);
            case 'o' -> v == 0 ? "0" : "0" + Long.toOctalString(v);
            case 't' -> String.format("%" + bits + "s", Long.toBinaryString(v)).replace(' ', '0');
            case 'c' -> signed + " " + charLiteral((int) (v & 0xFF));
            case 'a' -> String.format("0x%x", v);
            default -> throw new IllegalStateException("format " + format + " is not per unit");
        };
    }

    /** gdb's {@code 'A'} or {@code '\n'} or {@code '\377'}. */
    static String charLiteral(int b) {
        return switch (b) {
            case 0 -> "'\\000'";
            case '\n' -> "'\\n'";
            case '\t' -> "'\\t'";
            case '\r' -> "'\\r'";
            case '\'' -> "'\\''";
            case '\\' -> "'\\\\'";
            default -> b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("'\\%03o'", b);
        };
    }
}
