package a64emu.tools.difftest;

import java.util.SortedMap;

/**
 * How one engine ended one case: the instruction retired (then {@code state} and
 * {@code written} hold the result), or it raised an exception of a kind both engines
 * can name. {@code written} maps each byte address the engine stored to (or, for
 * a64emu, changed) to its final value.
 */
record Outcome(Kind kind, String detail, MachineState state, SortedMap<Long, Byte> written) {
    enum Kind {
        RETIRED,
        UNDEFINED,
        /** A data abort: an access outside the scratch memory, or an alignment fault. */
        DATA_ABORT,
        /** Any other exception (detail says which). */
        OTHER_EXCEPTION,
        /** The engine itself failed (a Java exception in a64emu): always a finding. */
        ENGINE_FAILURE
    }

    static Outcome exception(Kind kind, String detail) {
        return new Outcome(kind, detail, null, java.util.Collections.emptySortedMap());
    }

    @Override
    public String toString() {
        return kind == Kind.RETIRED ? "retired" : kind + " (" + detail + ")";
    }
}
