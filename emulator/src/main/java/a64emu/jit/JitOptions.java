package a64emu.jit;

/**
 * How the JIT picks and cuts code.
 *
 * @param hotThreshold        how many times execution must arrive at an address by a taken
 *                            branch (or enter the CPU there) before the code from it is
 *                            translated; 0 translates on the first arrival
 * @param maxUnitInstructions the most instructions in one translation unit (it also ends
 *                            at its page's end, at an unconditional or indirect branch and
 *                            at an exception-generating instruction)
 */
public record JitOptions(int hotThreshold, int maxUnitInstructions) {
    /**
     * The defaults. 64 arrivals: below that, a run of the committed guest programs spends more
     * host time translating code it leaves soon than it saves (hello's start-up code runs a few
     * times each); above it, loops in the middle of a benchmark wait longer in the interpreter.
     * 200 instructions keep a unit's method well under HotSpot's 8,000-byte limit for
     * compilation ({@code HugeMethodLimit}); a larger one is cut where it would pass it.
     */
    public static final JitOptions DEFAULT = new JitOptions(64, 200);

    public JitOptions {
        if (hotThreshold < 0) {
            throw new IllegalArgumentException("JIT threshold must be 0 or more: " + hotThreshold);
        }
        if (maxUnitInstructions < 1) {
            throw new IllegalArgumentException("a translation unit holds at least one instruction: "
                    + maxUnitInstructions);
        }
    }

    public JitOptions withHotThreshold(int value) {
        return new JitOptions(value, maxUnitInstructions);
    }
}
