package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code run --timeout}, {@code --max-instructions} and Ctrl-C, as a user meets them. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunLimitsCommandTest {
    private static final String SPIN = GuestPrograms.binary("lim_spin").toString();
    private static final Pattern STATS_INSTRUCTIONS = Pattern.compile("(?m)^a64emu: (\\d+) instructions in ");

    /** Every run of the lim_* programs, whose expected files were written by hand from Linux's behaviour. */
    static List<String> limitRuns() {
        return GuestPrograms.reasoned().stream().filter(GuestPrograms::isLimitProgram)
                .flatMap(n -> GuestPrograms.runsOf(n).stream()).toList();
    }

    @Test
    void theLimitProgramsAreCommittedWithTheirExpectedRuns() {
        assertTrue(limitRuns().containsAll(List.of("lim_spin", "lim_spin.maxinsn", "lim_forkbomb", "lim_memhog")),
                limitRuns().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitRuns")
    void endsWithTheExpectedOutputAndStatus(String run) {
        GuestPrograms.Run r = GuestPrograms.run(run);
        assertEquals(new String(GuestPrograms.expectedBytes(run, ".stdout"), StandardCharsets.UTF_8), r.out(),
                run + " stdout; stderr was:\n" + r.stderr());
        assertEquals(new String(GuestPrograms.expectedBytes(run, ".stderr"), StandardCharsets.UTF_8),
                r.guestStderr(), run + " stderr");
        assertEquals(GuestPrograms.expectedStatus(run), r.status(), run + " status; stderr was:\n" + r.stderr());
    }

    @Test
    void aMemoryHogEndsInTheOomKillerNotInAJvmOutOfMemoryError() {
        GuestPrograms.Run r = GuestPrograms.cli("run", "--ram=32M", "--kernel-log",
                GuestPrograms.binary("lim_memhog").toString());
        assertEquals(137, r.status(), r.stderr());
        assertTrue(r.stderr().contains("Out of memory: Killed process 4242 (lim_memhog)"), r.stderr());
        assertTrue(r.stderr().contains("a64emu: SIGKILL (SI_KERNEL)"), r.stderr());
        assertTrue(!r.stderr().contains("emulator bug") && !r.stderr().contains("OutOfMemoryError"), r.stderr());
    }

    @Test
    void durationsAreReadAsTimeoutReadsThem() {
        assertEquals(10_000_000_000L, TimeoutDuration.parseNanos("10s"));
        assertEquals(10_000_000_000L, TimeoutDuration.parseNanos("10"));
        assertEquals(500_000_000L, TimeoutDuration.parseNanos("500ms"));
        assertEquals(120_000_000_000L, TimeoutDuration.parseNanos("2m"));
        assertEquals(1_500_000_000L, TimeoutDuration.parseNanos("1.5s"));
        assertEquals(3_600_000_000_000L, TimeoutDuration.parseNanos("1h"));
        assertEquals(86_400_000_000_000L, TimeoutDuration.parseNanos("1d"));
        assertThrows(IllegalArgumentException.class, () -> TimeoutDuration.parseNanos("0s"));
        assertThrows(IllegalArgumentException.class, () -> TimeoutDuration.parseNanos("-1s"));
        assertThrows(IllegalArgumentException.class, () -> TimeoutDuration.parseNanos("10 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> TimeoutDuration.parseNanos("999999999999d"));
    }

    @Test
    void aBadTimeoutOrInstructionLimitIsAUsageError() {
        GuestPrograms.Run r = GuestPrograms.cli("run", "--timeout", "soon", SPIN);
        assertEquals(2, r.status());
        assertTrue(r.stderr().contains("'soon' is not a duration"), r.stderr());
        r = GuestPrograms.cli("run", "--max-instructions", "0", SPIN);
        assertEquals(2, r.status());
        assertTrue(r.stderr().contains("--max-instructions"), r.stderr());
    }

    @Test
    void maxInstructionsEndsTheRunWithStatus125AndStatsCountingExactlyN() {
        for (List<String> engine : List.of(List.of("--engine", "interp"),
                List.of("--engine", "jit", "--jit-threshold", "0"))) {
            List<String> args = new java.util.ArrayList<>(List.of("run"));
            args.addAll(engine);
            args.addAll(List.of("--stats", "--max-instructions", "1234567", SPIN));
            GuestPrograms.Run r = GuestPrograms.cli(args.toArray(String[]::new));
            assertEquals(125, r.status(), engine + ": " + r.stderr());
            assertTrue(r.stderr().startsWith(
                    "a64emu: --max-instructions 1234567 reached: 1234567 instructions retired, stopped at pc=0x"),
                    engine + ": " + r.stderr());
            Matcher m = STATS_INSTRUCTIONS.matcher(r.stderr());
            assertTrue(m.find(), "--stats printed: " + r.stderr());
            assertEquals("1234567", m.group(1), engine.toString());
        }
    }

    @Test
    void timeoutEndsAnInfiniteLoopOnTimeWithStatus124() {
        long start = System.nanoTime();
        GuestPrograms.Run r = GuestPrograms.cli("run", "--timeout", "400ms", SPIN);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(124, r.status(), r.stderr());
        // Whether the guest got as far as its printf in 400 ms depends on the machine's load.
        assertTrue(Pattern.compile("^a64emu: --timeout 400ms expired: \\d+ instructions retired, "
                + "stopped at pc=0x[0-9a-f]+\n$").matcher(r.stderr()).find(), r.stderr());
        assertTrue(millis >= 400 && millis < 30_000, "ended after " + millis + " ms");
    }

    /**
     * A real a64emu process and a real SIGINT, as Ctrl-C at a terminal sends it. The JVM is
     * started through {@code env --default-signal=INT}: a test run from a background job
     * inherits SIGINT ignored, and a JVM does not take over a signal ignored at its start.
     */
    @Test
    void sigintEndsTheRunWithStatus130AOneLineMessageAndTheStats() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path err = Files.createTempFile("a64emu-sigint", ".err");
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", java.toString(),
                "-cp", System.getProperty("java.class.path"), A64emu.class.getName(),
                "run", "--stats", "--engine", "interp", SPIN)
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException noEnv) {
            assumeTrue(false, "env(1) cannot be run: " + noEnv);
            return;
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine(); // the guest is running once it has said so
            assertEquals("spinning", first, () -> readQuietly(err));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a64emu went on after SIGINT");
            String stderr = readQuietly(err);
            assertEquals(130, p.exitValue(), stderr);
            String[] lines = stderr.split("\n");
            assertTrue(lines[0].matches("a64emu: interrupted by SIGINT: \\d+ instructions retired, "
                    + "stopped at pc=0x[0-9a-f]+"), stderr);
            assertTrue(STATS_INSTRUCTIONS.matcher(stderr).find(), "--stats printed: " + stderr);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
