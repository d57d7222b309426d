package a64emu.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The committed guest programs (guest/programs/bin), what their oracle did with
 * them or what Linux would do (guest/programs/expected), and a way to run the
 * a64emu command line in-process with captured streams.
 *
 * <p>A run is a program on one machine: {@code NAME}, or a variant {@code
 * NAME.VARIANT} of the same binary with its own expected files. Its a64emu
 * options ({@code --ram}, {@code --zram}, {@code --swappiness}...) are in
 * {@code expected/RUN.options}, one argument a line; its guest arguments,
 * environment and input in {@code RUN.argv}, {@code .envp} and {@code .stdin}
 * (see guest/programs/build.sh).
 */
final class GuestPrograms {
    private GuestPrograms() {}

    /** Tests run in the tools/ module directory. */
    static final Path DIR = Path.of("..", "guest", "programs");
    static final Path BIN = DIR.resolve("bin");
    static final Path EXPECTED = DIR.resolve("expected");
    /** Which oracle gave each program's expected output: NAME ORACLE lines. */
    static final Path ORACLES = DIR.resolve("oracles");
    /** The oracle word of programs whose expected output was reasoned from the kernel source. */
    static final String REASONED = "reasoned";

    static Path binary(String name) {
        return BIN.resolve(name);
    }

    static List<String> names() {
        try (Stream<Path> files = Files.list(BIN)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME to its oracle ("native", "qemu" or "reasoned"), in the order of the oracles file. */
    static Map<String, String> oracles() {
        Map<String, String> oracles = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(ORACLES, StandardCharsets.UTF_8)) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) continue;
                String[] fields = text.split("\\s+");
                oracles.put(fields[0], fields[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return oracles;
    }

    /** The programs whose expected output was written by hand from the kernel source. */
    static List<String> reasoned() {
        return oracles().entrySet().stream().filter(e -> e.getValue().equals(REASONED)).map(Map.Entry::getKey)
                .toList();
    }

    /**
     * The reasoned programs that test a64emu's own limits (lim_*: --timeout, --max-instructions,
     * fork bombs, memory hogs): {@code RunLimitsCommandTest} runs them, not the memory-pressure test.
     */
    static boolean isLimitProgram(String name) {
        return name.startsWith("lim_");
    }

    /** The program a run runs: NAME of NAME or NAME.VARIANT. */
    static String programOf(String run) {
        int dot = run.indexOf('.');
        return dot < 0 ? run : run.substring(0, dot);
    }

    /** A program's runs: NAME, then each NAME.VARIANT that has an expected/NAME.VARIANT.options. */
    static List<String> runsOf(String name) {
        List<String> runs = new ArrayList<>(List.of(name));
        try (Stream<Path> files = Files.list(EXPECTED)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(name + ".") && f.endsWith(".options"))
                    .map(f -> f.substring(0, f.length() - ".options".length()))
                    .filter(r -> r.length() > name.length() && r.indexOf('.', name.length() + 1) < 0)
                    .sorted()
                    .forEach(runs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }

    /** The a64emu options of a run (expected/RUN.options), one argument a line; none if absent. */
    static List<String> options(String run) {
        return expectedLines(run, ".options").stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** {@code run OPTIONS... bin/NAME ARGV...}: the command line of a run. */
    static String[] runArgs(String run) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(options(run));
        args.add(binary(programOf(run)).toString());
        args.addAll(expectedLines(run, ".argv"));
        return args.toArray(String[]::new);
    }

    /** Runs a run in-process, with its expected stdin and environment. */
    static Run run(String run) {
        return cli(expectedBytes(run, ".stdin"), expectedLines(run, ".envp"), runArgs(run));
    }

    /** The lines of a program's output, as Files.readAllLines reads the expected file. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    /**
     * Each line's case label (its text up to the first ": "), numbered when a
     * label repeats, mapped to the line. Cases are matched by label, so a
     * missing or extra line does not make every later case differ.
     */
    static Map<String, String> byLabel(List<String> lines) {
        Map<String, String> cases = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            String label = colon < 0 ? line : line.substring(0, colon);
            int n = seen.merge(label, 1, Integer::sum);
            cases.put(n == 1 ? label : label + " #" + n, line);
        }
        return cases;
    }

    /**
     * The cases of {@code actual} that differ from {@code expected}, matched by
     * label, each as two lines ("  REFERENCE expected" and "  a64emu: actual");
     * empty when every case agrees.
     */
    static List<String> differences(List<String> expected, List<String> actual, String reference) {
        Map<String, String> want = byLabel(expected);
        Map<String, String> got = byLabel(actual);
        List<String> differences = new ArrayList<>();
        for (var e : want.entrySet()) {
            String line = got.getOrDefault(e.getKey(), "(not printed)");
            if (!e.getValue().equals(line)) {
                differences.add("  " + reference + e.getValue() + "\n  a64emu: " + line);
            }
        }
        for (var e : got.entrySet()) {
            if (!want.containsKey(e.getKey())) differences.add("  unexpected line: " + e.getValue());
        }
        return differences;
    }

    static byte[] expectedBytes(String name, String suffix) {
        try {
            Path p = EXPECTED.resolve(name + suffix);
            return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int expectedStatus(String name) {
        try {
            return Integer.parseInt(Files.readString(EXPECTED.resolve(name + ".status")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME.argv / NAME.envp / NAME.options: one entry a line, as build.sh reads them. NAME.stdin: bytes. */
    static List<String> expectedLines(String name, String suffix) {
        try {
            Path p = EXPECTED.resolve(name + suffix);
            return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one in-process run of the command line did. */
    record Run(int status, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** stderr without a64emu's own lines: what the guest wrote there. */
        String guestStderr() {
            StringBuilder b = new StringBuilder();
            for (String line : stderr.split("(?<=\n)")) {
                if (!line.startsWith("a64emu: ") && !line.isEmpty()) {
                    b.append(line);
                }
            }
            return b.toString();
        }
    }

    /** Runs {@code a64emu args...} with the given stdin and environment. */
    static Run cli(byte[] stdin, List<String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        A64emu a64emu = new A64emu(new ByteArrayInputStream(stdin), out, err, environment);
        int status = a64emu.execute(args);
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code a64emu args...} with an empty stdin and the given environment. */
    static Run cli(List<String> environment, String... args) {
        return cli(new byte[0], environment, args);
    }

    static Run cli(String... args) {
        return cli(List.of("A64EMU_TEST=1"), args);
    }
}
