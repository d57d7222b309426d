package a64emu.guest;

import java.util.Locale;

/**
 * Limits on a whole run that the user sets from outside the guest, as {@code timeout(1)}
 * sets one on a command: the host time it may take and the instructions it may retire (all
 * guest threads together). When one is reached the run ends with {@link RunStop}'s status
 * and a line saying which, however the guest behaves: a thread spinning in translated code
 * gives up the CPU at the end of its quantum, one blocked on the host's input is woken.
 *
 * @param timeoutNanos    host (wall-clock) nanoseconds from the first instruction; 0: none
 * @param maxInstructions guest instructions retired by all threads; 0: none. Exact under
 *                        both engines: the last slice's budget is what is left, and an engine
 *                        retires exactly its budget (see {@code Cpu.Engine}).
 */
public record RunLimits(long timeoutNanos, long maxInstructions) {
    public static final RunLimits NONE = new RunLimits(0, 0);

    public RunLimits {
        if (timeoutNanos < 0 || maxInstructions < 0) {
            throw new IllegalArgumentException("a run limit cannot be negative");
        }
    }

    public boolean hasTimeout() {
        return timeoutNanos > 0;
    }

    public boolean hasInstructionLimit() {
        return maxInstructions > 0;
    }

    /** The timeout as the user would write it back: "500ms", "10s", "1.5s". */
    public String timeoutText() {
        long millis = timeoutNanos / 1_000_000;
        if (timeoutNanos % 1_000_000_000 == 0) {
            return timeoutNanos / 1_000_000_000 + "s";
        }
        if (timeoutNanos % 1_000_000 == 0 && millis < 1000) {
            return millis + "ms";
        }
        return String.format(Locale.ROOT, "%.3fs", timeoutNanos / 1e9).replaceAll("0+s$", "s");
    }
}
