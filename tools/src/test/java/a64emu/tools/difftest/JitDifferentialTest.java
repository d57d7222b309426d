package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code difftest --engine jit}: the differential cases run through the translator (each
 * case's instruction translated on its first execution, as a unit of its own) against
 * Unicorn, and must agree as the interpreter does. A small fixed-seed run over the classes
 * whose instructions the JIT generates code for itself (integer data processing, branches,
 * loads and stores, flags) and a few it may leave to the interpreter's semantics; the full
 * campaign is {@code a64emu difftest --engine jit --seed 1 --cases 212000}.
 */
class JitDifferentialTest {
    static final long SEED = 13;
    static final List<String> CLASSES = List.of("DataProcessingImmediate", "DataProcessingRegister",
            "BranchExceptionSystem", "LoadStoreInteger", "SystemRegisterAccess", "LoadStoreSimdFp",
            "FloatingPoint", "AdvSimdThreeSame");
    static final long CASES = 4000;

    @Test
    void fixedSeedRunThroughTheJitHasNoMismatches() {
        Difftest run = new Difftest(SEED, CLASSES.stream().map(DecoderClass::named).toList(), "",
                A64emuRunner.Engine.JIT);
        StringWriter mismatches = new StringWriter();
        PrintWriter sink = new PrintWriter(mismatches);
        long start = System.nanoTime();
        try (UnicornRunner unicorn = new UnicornRunner(run.memory())) {
            run.run(unicorn, 0, CASES, 1, null, line -> {
                if (run.report().mismatchCount() <= 40) {
                    sink.println(line);
                }
            }, null);
        }
        StringWriter summary = new StringWriter();
        run.report().printSummary(new PrintWriter(summary), (System.nanoTime() - start) / 1e9,
                run.generator().rejected());
        System.out.print(summary);
        assertTrue(run.report().cases() >= CASES * 9 / 10, () -> "only " + run.report().cases() + " cases compared\n"
                + summary);
        assertEquals(0, run.report().mismatchCount(), () -> "mismatches under --engine jit (replay each with the "
                + "command in it):\n" + mismatches + summary);
        assertTrue(run.translatedCases() >= run.report().cases() * 9 / 10, () -> "only " + run.translatedCases()
                + " of " + run.report().cases() + " cases ran as a translated unit");
    }

    /**
     * What Unicorn cannot check (LSE atomics, the v8.1-v8.5 additions, what QEMU 2.2 gets
     * wrong), replayed through the JIT from the recorded qemu-aarch64 outcomes of
     * {@link QemuVectorsTest}.
     */
    @Test
    void recordedQemuOutcomesReplayedThroughTheJitAgree() throws IOException {
        List<QemuVectors.Vector> vectors = new ArrayList<>();
        long seed;
        try (InputStream in = QemuVectorsTest.class.getResourceAsStream("qemu-vectors.txt")) {
            assertNotNull(in, "qemu-vectors.txt is missing");
            seed = QemuVectors.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), vectors);
        }
        List<String> mismatches = QemuVectors.replay(seed, vectors, A64emuRunner.Engine.JIT);
        assertEquals(List.of(), mismatches.stream().limit(40).toList(), () -> mismatches.size() + " of "
                + vectors.size() + " vectors differ under --engine jit");
    }

    /** {@code --engine jit} on the command line: the summary says so and counts the translated cases. */
    @Test
    void theEngineOptionSelectsTheJitAndReplayLinesCarryIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DifftestCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute("--engine", "jit", "--cases", "300", "--seed", "4", "--class",
                "DataProcessingImmediate");
        assertEquals(0, status, out::toString);
        assertTrue(out.toString().contains("a64emu engine: jit"), out::toString);
        assertTrue(out.toString().matches("(?s).*seed 4: 300 cases in 1 classes, 0 mismatches, [0-9.]+ s .*"),
                out::toString);
        assertTrue(out.toString().matches("(?s).*jit: 300 cases ran as a translated unit.*"), out::toString);
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DifftestCommand());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("--engine", "fast", "--cases", "1"));
        assertTrue(err.toString().contains("--engine must be interp or jit"), err::toString);
    }
}
