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

    /** Whether TPIDR_EL0 results are comparable. */
    boolean comparesTpidr();

    String name();

    @Override
    void close();
}
