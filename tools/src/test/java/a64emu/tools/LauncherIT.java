package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ./a64emu} launcher script, run as a user runs it, against the jar
 * this build packaged. It runs in the integration-test phase, after the jar
 * exists (see tools/pom.xml).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = REPO.resolve("a64emu");

    /** The jar of this build; surefire passes its path (the build directory may differ from target/). */
    private static Path builtJar() {
        String jar = System.getProperty("a64emu.jar");
        assumeTrue(jar != null, "a64emu.jar is not set: run through Maven");
        Path p = Path.of(jar);
        assumeTrue(Files.isRegularFile(p), "no packaged jar at " + p);
        return p;
    }

    private record Result(int status, String stdout, String stderr) {}

    private static Result launch(Path cwd, List<String> args) throws IOException, InterruptedException {
        return launch(cwd, args, Map.of());
    }

    private static Result launch(Path cwd, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putAll(env);
        // Always the jar this build made: with a build directory other than target/, the
        // launcher's own tools/target/a64emu.jar may be stale, and rebuilding it here
        // would run Maven inside Maven.
        pb.environment().put("A64EMU_JAR", builtJar().toString());
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "launcher did not finish");
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void launcherRunsHelloFromAnotherDirectory() throws Exception {
        Path elsewhere = Files.createTempDirectory("a64emu-cwd");
        try {
            Path hello = REPO.resolve("guest/programs/bin/hello");
            Result r = launch(elsewhere, List.of("run", hello.toString()));
            assertEquals(new String(GuestPrograms.expectedBytes("hello", ".stdout"), StandardCharsets.UTF_8),
                    r.stdout(), r.stderr());
            assertEquals(0, r.status(), r.stderr());
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void launcherPassesTheGuestsExitStatusAndArguments() throws Exception {
        Result r = launch(REPO, List.of("run", "guest/programs/bin/exit_code"));
        assertEquals(42, r.status(), r.stderr());

        Result args = launch(REPO, List.of("run", "guest/programs/bin/echo_args", "--help", "two words"));
        assertEquals(0, args.status(), args.stderr());
        assertTrue(args.stdout().contains("argv[1]=\"--help\" (6 bytes)\nargv[2]=\"two words\" (9 bytes)\n"),
                args.stdout());
    }

    @Test
    void theGuestInheritsTheHostEnvironment() throws Exception {
        Result r = launch(REPO, List.of("run", "guest/programs/bin/echo_args"),
                Map.of("A64EMU_FROM_HOST", "yes, with spaces"));
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("env \"A64EMU_FROM_HOST=yes, with spaces\"\n"), r.stdout());
    }

    @Test
    void nonAsciiArgumentsReachTheGuestIntactInTheCLocale() throws Exception {
        Result r = launch(REPO, List.of("run", "guest/programs/bin/echo_args", "ünïcödé"),
                Map.of("LC_ALL", "C", "LANG", "C"));
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("argv[1]=\"ünïcödé\" (11 bytes)\n"), r.stdout());
    }

    @Test
    void launcherReportsUsageErrorsWithStatus2() throws Exception {
        Result r = launch(REPO, List.of("run", "--va-bits", "32", "guest/programs/bin/hello"));
        assertEquals(2, r.status(), r.stderr());
        assertTrue(r.stderr().contains("'32' is not 39 or 48"), r.stderr());
    }

    @Test
    void launcherPrintsVersion() throws Exception {
        Result r = launch(REPO, List.of("--version"));
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().startsWith("a64emu "), r.stdout());
    }
}
