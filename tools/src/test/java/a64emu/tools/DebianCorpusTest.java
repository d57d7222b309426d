package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified Debian 12 arm64 programs (coreutils, findutils, grep, sed, gawk, diffutils,
 * tar, gzip, xz, sqlite3, perl, python3 and a dynamically linked busybox with its shell),
 * each run under a64emu and under {@code qemu-aarch64 -L SYSROOT}, must print the same
 * stdout and exit with the same status, and a64emu must meet no system call it does not
 * implement. The command lines are guest/programs/debian/commands; the sysroot is made by
 * guest/programs/debian/fetch.sh, which {@code .ci/run} calls, and is named by the
 * environment variable {@code A64EMU_DEBIAN_SYSROOT}: without it (no network, no root to
 * teach dpkg about arm64) these tests are skipped, except the check of the command file.
 *
 * <p>Every run gets its own copy of one scratch directory: in.txt, nums.txt, a.csv, link
 * (a symbolic link to in.txt), d/x.txt, d/y.txt, d/sorted.txt, d/pairs.txt and
 * d/sub/z.txt, every file dated 2001-09-09 01:46:40 UTC.
 */
class DebianCorpusTest {
    static final Path CORPUS = GuestPrograms.DIR.resolve("debian");
    static final String SYSROOT_VARIABLE = "A64EMU_DEBIAN_SYSROOT";
    private static final long TIMEOUT_SECONDS = 300;

    /** One line of the command file. */
    record Command(String name, List<String> argv, boolean knownDifference, int line) {}

    @TempDir
    Path scratch;

    @Test
    void theCommandFileParsesAndNamesEachCommandOnce() {
        List<Command> commands = commands();
        assertTrue(commands.size() >= 40, "commands: " + commands.size());
        assertEquals(commands.size(), commands.stream().map(Command::name).distinct().count(), "names are unique");
        for (Command c : commands) {
            assertTrue(c.argv().get(0).startsWith("/"), c.name() + ": the program is an absolute path in the sysroot");
        }
    }

    @Test
    void quotedWordsKeepTheirBlanksAndLoseTheirQuotes() {
        assertEquals(List.of("a", "b c", "d'e", "f\"g"), words("a 'b c' \"d'e\" 'f\"g'", 1));
    }

    @TestFactory
    Stream<DynamicTest> eachCommandPrintsAndExitsAsUnderQemu() {
        String sysroot = System.getenv(SYSROOT_VARIABLE);
        assumeTrue(sysroot != null && Files.isDirectory(Path.of(sysroot)), SYSROOT_VARIABLE
                + " names no directory: run guest/programs/debian/fetch.sh DIR and set it to DIR (.ci/run does)");
        Path root = Path.of(sysroot).toAbsolutePath();
        return commands().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(root, c)));
    }

    private void check(Path root, Command c) throws Exception {
        Path program = root.resolve(c.argv().get(0).substring(1));
        assumeTrue(Files.exists(program), program + " is not in the sysroot (fetch.sh's packages)");
        List<String> args = new ArrayList<>(c.argv());
        args.set(0, program.toString());

        List<String> qemu = new ArrayList<>(List.of("qemu-aarch64", "-L", root.toString()));
        qemu.addAll(args);
        List<String> a64emu = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), A64emu.class.getName(), "run", "-d", "unimp",
                "-L", root.toString()));
        a64emu.addAll(args);

        CompletableFuture<Outcome> reference = CompletableFuture.supplyAsync(() -> run(qemu, fixture("qemu")));
        Outcome actual = run(a64emu, fixture("a64emu"));
        Outcome expected = reference.get(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);

        List<String> unimplemented = actual.stderr().lines()
                .filter(l -> l.startsWith("a64emu: syscall ") && l.contains("not implemented")).toList();
        boolean same = expected.status() == actual.status() && Arrays.equals(expected.stdout(), actual.stdout())
                && unimplemented.isEmpty();
        String report = c.name() + " (commands line " + c.line() + "): " + String.join(" ", c.argv())
                + "\n  qemu-aarch64: status " + expected.status() + ", stdout:\n" + text(expected.stdout())
                + "\n  a64emu: status " + actual.status() + ", stdout:\n" + text(actual.stdout())
                + "\n  a64emu stderr:\n" + actual.stderr();
        if (c.knownDifference()) {
            assertFalse(same, "now the same under a64emu and qemu-aarch64: take the '!' off line " + c.line()
                    + " of guest/programs/debian/commands\n" + report);
            return;
        }
        if (!unimplemented.isEmpty()) {
            fail("a64emu met system calls it does not implement: " + unimplemented + "\n" + report);
        }
        assertEquals(expected.status(), actual.status(), "exit status\n" + report);
        assertEquals(text(expected.stdout()), text(actual.stdout()), "stdout\n" + report);
        assertTrue(Arrays.equals(expected.stdout(), actual.stdout()), "stdout bytes\n" + report);
    }

    record Outcome(int status, byte[] stdout, String stderr) {}

    private static Outcome run(List<String> command, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(Map.of("PATH", "/usr/bin:/bin", "LANG", "C", "TZ", "UTC", "HOME", "/nonexistent"));
            pb.redirectInput(dir.resolve("in.txt").toFile());
            Path err = Files.createTempFile(dir.getParent(), "stderr", ".txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Outcome(-1, out.join(), "timed out after " + TIMEOUT_SECONDS + " s\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Outcome(p.exitValue(), out.join(), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh scratch directory (the class comment lists it) for one run. */
    private Path fixture(String name) {
        try {
            Path dir = Files.createTempDirectory(scratch, name);
            write(dir, "in.txt", "banana\napple\ncherry\napple\n");
            write(dir, "nums.txt", "3\n1\n2\n10\n");
            write(dir, "a.csv", "id,name\n1,ann\n2,bob\n");
            write(dir, "d/x.txt", "x\n");
            write(dir, "d/y.txt", "y\nxy\n");
            write(dir, "d/sorted.txt", "apple\napple\nbanana\ncherry\n");
            write(dir, "d/pairs.txt", "a b\nb c\na c\n");
            write(dir, "d/sub/z.txt", "z\n");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("in.txt"));
            FileTime when = FileTime.from(1_000_000_000L, TimeUnit.SECONDS);
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                    if (!Files.isSymbolicLink(p)) {
                        Files.setLastModifiedTime(p, when);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The command file's commands, in order. */
    static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(CORPUS.resolve("commands"));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean known = line.startsWith("!");
                List<String> words = words(known ? line.substring(1) : line, i + 1);
                if (words.size() < 2) {
                    throw new IllegalArgumentException("commands line " + (i + 1) + ": a name and a program expected");
                }
                commands.add(new Command(words.get(0), words.subList(1, words.size()), known, i + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commands;
    }

    /** Splits at blanks, with 'single' and "double" quotes grouping (no escapes). */
    static List<String> words(String line, int lineNumber) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(ch);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("commands line " + lineNumber + ": unclosed quote " + quote);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
