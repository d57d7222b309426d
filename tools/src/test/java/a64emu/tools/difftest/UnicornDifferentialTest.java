package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The fixed-seed differential run of the test suite: at least 200,000 random valid
 * encodings over every decoder class, executed on a64emu and on Unicorn, must agree
 * (apart from the documented {@link OracleQuirk}s). The same run on the command line:
 * {@code a64emu difftest --seed 1 --cases 212000}.
 */
class UnicornDifferentialTest {
    static final long SEED = 1;
    /** Drawn cases; about 5% are LSE encodings Unicorn cannot run (checked by {@link QemuVectorsTest}). */
    static final long DRAWN = 212_000;

    @Test
    void fixedSeedRunOfTwoHundredThousandCasesHasNoMismatches() {
        Difftest run = new Difftest(SEED, DecoderClass.all(), "");
        StringWriter mismatches = new StringWriter();
        PrintWriter sink = new PrintWriter(mismatches);
        long start = System.nanoTime();
        try (UnicornRunner unicorn = new UnicornRunner(run.memory())) {
            run.run(unicorn, 0, DRAWN, 1, null, line -> {
                if (run.report().mismatchCount() <= 50) {
                    sink.println(line);
                }
            }, null);
        }
        StringWriter summary = new StringWriter();
        run.report().printSummary(new PrintWriter(summary), (System.nanoTime() - start) / 1e9, run.generator().rejected());
        System.out.print(summary);
        assertTrue(run.report().cases() >= 200_000, () -> "only " + run.report().cases() + " cases compared\n" + summary);
        assertEquals(0, run.report().mismatchCount(), () -> "mismatches (replay each with the command in it):\n"
                + mismatches + summary);
    }
}
