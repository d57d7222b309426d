package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issue-3 compute programs: -O3 auto-vectorised integer and floating-point
 * loops, NEON intrinsics, the ARMv8.2 and crypto extensions, floating-point
 * text and rounding modes, libm, and atomics from several threads (LL/SC,
 * outlined and inline LSE), each printing what it printed under qemu-aarch64.
 *
 * <p>Every output line is one kernel or one case ("NAME hash=... first=...
 * last=..."), so a failure names the first line that differs, and with it the
 * loop and so the instructions that a64emu computes differently. The build
 * flags live in guest/programs/cflags; a second test checks, with GNU
 * objdump when it is installed, that the binaries really contain the
 * instructions the flags are there for.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ComputeProgramsTest {

    /**
     * Each program with instructions that its build must contain, as objdump spells them; "!NAME" is one it
     * must not contain. For the atomics builds only the threads' own function counts, since the static libc
     * brings both kinds.
     */
    static final Map<String, List<String>> PROGRAMS = Map.of(
            "simd_int", List.of("ld2", "ld3", "ld4", "st4", "tbl", "smlal", "uabal", "uadalp", "urhadd", "cnt", "umaxv"),
            "simd_float", List.of("fmla", "fsqrt", "fdiv", "frintm", "frinta", "fcvtl", "fcvtn", "fcvtzu", "fminnm"),
            "simd_fastmath", List.of("faddp", "fmaxnmv", "fminnmp", "rev32", "umull2", "fsqrt"),
            "simd_neon", List.of("tbx", "zip1", "uzp2", "trn1", "ld2r", "sqrdmulh", "pmull", "frecpe", "fcvtxn"),
            "simd_v82", List.of("sdot", "udot", "sqrdmlah", "sqrdmlsh", "crc32cx", "aese", "aesimc", "sha256h2"),
            "fp_format", List.of(),
            "libm", List.of(),
            "atomics", List.of("ldaxr", "stlxr", "ldaxrb", "!ldaddal", "!casal", "!swpal"),
            "atomics_outline", List.of("ldaddal", "casal"),
            "atomics_lse", List.of("ldaddal", "casal", "swpal", "ldeoral", "ldclral", "ldsetal", "!ldaxr", "!stlxr"));

    /** The function objdump disassembles, where not the whole program. */
    static final Map<String, String> FUNCTION = Map.of("atomics", "worker", "atomics_lse", "worker");

    /** Each program is run once per test class; the tests read the same run. */
    private static final Map<String, TimedRun> RUNS = new ConcurrentHashMap<>();

    record TimedRun(GuestPrograms.Run run, long millis) {}

    static List<String> programs() {
        return PROGRAMS.keySet().stream().sorted().toList();
    }

    private static TimedRun run(String name) {
        return RUNS.computeIfAbsent(name, n -> {
            long start = System.nanoTime();
            GuestPrograms.Run run = GuestPrograms.cli(new byte[0], List.of(),
                    "run", GuestPrograms.binary(n).toString());
            return new TimedRun(run, (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void printsWhatQemuAarch64PrintedLineForLine(String name) {
        TimedRun timed = run(name);
        GuestPrograms.Run run = timed.run();
        List<String> expected = GuestPrograms.expectedLines(name, ".stdout");
        List<String> actual = lines(run.out());
        int differing = 0;
        String first = null;
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "(no line)";
            String got = i < actual.size() ? actual.get(i) : "(no line)";
            if (!want.equals(got)) {
                differing++;
                if (first == null) first = "line " + (i + 1) + ":\n  qemu:   " + want + "\n  a64emu: " + got;
            }
        }
        int status = GuestPrograms.expectedStatus(name);
        if (first != null || status != run.status()) {
            fail(name + ": " + differing + " of " + expected.size() + " lines differ, exit status " + run.status()
                    + " (qemu-aarch64 " + status + "), " + timed.millis() + " ms\nfirst differing "
                    + (first == null ? "(none)" : first) + "\nstderr:\n" + run.stderr());
        }
        assertEquals(new String(GuestPrograms.expectedBytes(name, ".stdout"), StandardCharsets.UTF_8), run.out(),
                name + " stdout bytes");
    }

    @Test
    void everyProgramHasItsSourceFlagsBinaryAndReference() throws IOException {
        String cflags = Files.readString(GuestPrograms.DIR.resolve("cflags"));
        for (String name : programs()) {
            assertTrue(Files.exists(GuestPrograms.DIR.resolve("src").resolve(name + ".c")), name + ".c");
            assertTrue(cflags.lines().anyMatch(l -> l.startsWith(name + " ")), name + " has a line in cflags");
            assertTrue(Files.exists(GuestPrograms.binary(name)), "bin/" + name);
            assertTrue(GuestPrograms.expectedLines(name, ".stdout").size() >= 10, name + " prints at least ten cases");
            assertEquals(0, GuestPrograms.expectedStatus(name), name + " exits 0 under qemu-aarch64");
        }
    }

    /** -O3 and -march are what the programs are for: the binaries must hold the vector and LSE code. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void theBuildContainsTheInstructionsItsFlagsAreFor(String name) throws Exception {
        List<String> wanted = PROGRAMS.get(name);
        assumeTrue(!wanted.isEmpty(), name + " is a scalar program");
        Set<String> mnemonics = objdumpMnemonics(name);
        assumeTrue(mnemonics != null, "aarch64-linux-gnu-objdump is not installed");
        List<String> missing = wanted.stream().filter(m -> !m.startsWith("!") && !mnemonics.contains(m)).toList();
        List<String> unwanted = wanted.stream().filter(m -> m.startsWith("!") && mnemonics.contains(m.substring(1)))
                .toList();
        String where = name + (FUNCTION.containsKey(name) ? " (function " + FUNCTION.get(name) + ")" : "");
        assertTrue(missing.isEmpty() && unwanted.isEmpty(), where + " lacks " + missing + " or holds " + unwanted
                + "; rebuild with guest/programs/build.sh " + name);
    }

    /** Mnemonics in the program's text, as GNU objdump prints them, or null without objdump. */
    private static Set<String> objdumpMnemonics(String name) throws InterruptedException {
        Process objdump;
        try {
            List<String> command = new ArrayList<>(List.of("aarch64-linux-gnu-objdump", "-d", "--no-show-raw-insn"));
            if (FUNCTION.containsKey(name)) command.add("--disassemble=" + FUNCTION.get(name));
            command.add(GuestPrograms.binary(name).toString());
            objdump = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException notInstalled) {
            return null;
        }
        try (var out = objdump.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            objdump.waitFor();
            // Instruction lines: "  4005d0:\tmnemonic\toperands".
            return text.lines().map(l -> l.split("\t")).filter(f -> f.length >= 2 && f[0].endsWith(":"))
                    .map(f -> f[1].strip()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
