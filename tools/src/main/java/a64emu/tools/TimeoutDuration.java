package a64emu.tools;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration as {@code timeout(1)} reads one: a number, maybe with a fraction, and a unit
 * suffix: {@code ms}, {@code s} (the default), {@code m}, {@code h} or {@code d}; e.g.
 * {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1.5}.
 */
final class TimeoutDuration {
    private TimeoutDuration() {}

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ms|s|m|h|d)?");

    /** Nanoseconds; throws IllegalArgumentException saying what is accepted. */
    static long parseNanos(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number with ms, s, m, h "
                    + "or d (seconds if none), e.g. 10s, 500ms, 2m");
        }
        long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (nanos.signum() == 0) {
            throw new IllegalArgumentException("'" + text + "' is no time at all: the timeout must be positive");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long");
        }
        return Math.max(1, nanos.longValue());
    }

    /** Picocli's hook: a bad duration is a usage error. */
    static final class Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseNanos(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
