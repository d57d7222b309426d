package a64emu.tools.difftest;

import java.util.List;

/** An engine no one here wrote that runs cases for comparison: Unicorn or qemu-aarch64. */
interface Oracle extends AutoCloseable {
    /** The outcomes of {@code cases}, in order; each starts from the reference memory. */
    List<Outcome> run(List<DiffCase> cases);

    /** Whether the oracle can run {@code c} at all (the generator draws again if not). */
    boolean canRun(DiffCase c);

    /** The documented ways in which this oracle is known to be wrong or incomplete. */
    List<OracleQuirk> quirks();

    /**
     * Whether each case's instruction word stays in the oracle's memory after the case (Unicorn
     * writes its memory once and then only the words), rather than every case starting from the
     * reference memory as it stood when the batch began (qemu-aarch64). a64emu's run must
     * leave the reference as the oracle leaves its memory, or a later load from the code page
     * reads different words in the two engines.
     */
    default boolean keepsCaseWords() {
        return false;
    }

    /** Whether TPIDR_EL0 results are comparable. */
    boolean comparesTpidr();

    String name();

    @Override
    void close();
}
