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
 * @param background          translate on a thread of its own while the interpreter goes on
 *                            (the unit is used from the next arrival after it is ready), so
 *                            that translating never stalls the guest; false translates at once,
 *                            where a test must know that a unit runs
 */
public record JitOptions(int hotThreshold, int maxUnitInstructions, boolean background) {
    /**
     * The defaults. 1024 arrivals: {@code hello} then translates nothing and starts as fast as
     * with the interpreter (at 64, the few units its start-up code made cost 50-80 ms of a
     * 0.4 s run); a loop of a benchmark arrives 1024 times within microseconds. 200
     * instructions keep a unit's method well under HotSpot's 8,000-byte limit for compilation
     * ({@code HugeMethodLimit}); a larger one is cut where it would pass it. Translation runs
     * in the background.
     */
    public static final JitOptions DEFAULT = new JitOptions(1024, 200, true);

    /** Translating at once, on the thread that runs the guest. */
    public JitOptions(int hotThreshold, int maxUnitInstructions) {
        this(hotThreshold, maxUnitInstructions, false);
    }

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
        return new JitOptions(value, maxUnitInstructions, background);
    }
}
