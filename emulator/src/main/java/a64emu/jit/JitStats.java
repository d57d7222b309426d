package a64emu.jit;

/**
 * What the JIT did in a run: the {@code jit} lines of {@code run --stats}.
 *
 * @param unitsTranslated   translation units made (including ones made again after invalidation)
 * @param instructionsTranslated instructions in those units
 * @param fallbackInstructions   of those, instructions the translator left to their
 *                               interpreter semantics (called from the unit)
 * @param codeBytes         JVM bytecode generated, in bytes
 * @param translateNanos    host time spent translating (decode, generate, define the class)
 * @param unitsInvalidated  units dropped because their frame was written or released
 * @param unitRuns          entries into translated code
 * @param chained           of those, entries through a successor link (no lookup)
 * @param interpretedInstructions instructions the interpreter ran (cold code, quantum ends)
 * @param unitsLive         units usable now
 */
public record JitStats(long unitsTranslated, long instructionsTranslated, long fallbackInstructions, long codeBytes,
                       long translateNanos, long unitsInvalidated, long unitRuns, long chained,
                       long interpretedInstructions, long unitsLive) {
}
