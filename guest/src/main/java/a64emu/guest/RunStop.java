package a64emu.guest;

/**
 * Why a run ended from outside the guest before its first process exited, with the exit
 * status a64emu then gives. Statuses follow the shell tools that do the same job:
 * {@code timeout(1)} exits 124 when its limit expires (125 is its own failure, which a64emu
 * has no use for, so it marks the other limit), and a command a terminal's Ctrl-C ended
 * exits 128 + SIGINT = 130.
 */
public enum RunStop {
    /** {@code --timeout} expired. */
    TIMEOUT(124),
    /** {@code --max-instructions} were retired. */
    INSTRUCTION_LIMIT(125),
    /** SIGINT reached a64emu (Ctrl-C at the terminal). */
    INTERRUPTED(128 + a64emu.guest.signal.Signal.SIGINT);

    /** a64emu's exit status for this stop. */
    public final int status;

    RunStop(int status) {
        this.status = status;
    }

    /** The one line a64emu prints on stderr: which limit, the instructions retired, the pc. */
    String message(RunLimits limits, long instructions, long pc) {
        String what = switch (this) {
            case TIMEOUT -> "--timeout " + limits.timeoutText() + " expired";
            case INSTRUCTION_LIMIT -> "--max-instructions " + limits.maxInstructions() + " reached";
            case INTERRUPTED -> "interrupted by SIGINT";
        };
        return String.format("a64emu: %s: %d instructions retired, stopped at pc=0x%x", what, instructions, pc);
    }
}
