package a64emu.jit;

/**
 * One translation unit: consecutive instructions of one page, from the address execution
 * arrived at, with the code that runs them. Keyed by both addresses: the physical one
 * (what the bytes are, so forked processes and several mappings of one text page share the
 * unit, and a store into the frame finds it) and the virtual one (what PC-relative
 * instructions and branch targets were computed from).
 */
final class Unit {
    final long va;
    final long pa;
    /** The instruction words, as they were when translated. */
    final int[] words;
    /**
     * For each instruction, the index of the first instruction of the straight-line run
     * holding it: a fault at instruction {@code i} retired {@code i - segmentStart[i]}
     * instructions of that run.
     */
    final int[] segmentStart;
    /** The direct exits' target addresses, by exit index. */
    final long[] exitTargets;
    /** The unit each direct exit last led to: the chain followed without a lookup. */
    final Unit[] successors;
    final UnitCode code;
    /** Instructions executed by a fallback to their interpreter semantics. */
    final int fallbacks;
    /** Bytes of JVM bytecode in the unit's method. */
    final int codeBytes;
    /** False once the frame it was read from changed: it must never run again. */
    boolean valid = true;
    /** Another unit at the same physical address (mapped at another virtual one). */
    Unit nextAtPa;

    Unit(long va, long pa, int[] words, int[] segmentStart, long[] exitTargets, UnitCode code, int fallbacks,
         int codeBytes) {
        this.va = va;
        this.pa = pa;
        this.words = words;
        this.segmentStart = segmentStart;
        this.exitTargets = exitTargets;
        this.successors = new Unit[exitTargets.length];
        this.code = code;
        this.fallbacks = fallbacks;
        this.codeBytes = codeBytes;
    }

    int frame() {
        return (int) (pa >>> 12);
    }

    int length() {
        return words.length;
    }
}
