package a64emu.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed guest programs (guest/programs/bin) and what qemu-aarch64 did
 * with them (guest/programs/expected), and a way to run the a64emu command
 * line in-process with captured streams.
 */
final class GuestPrograms {
    private GuestPrograms() {}

    /** Tests run in the tools/ module directory. */
    static final Path DIR = Path.of("..", "guest", "programs");
    static final Path BIN = DIR.resolve("bin");
    static final Path EXPECTED = DIR.resolve("expected");

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

    /** NAME.argv / NAME.envp: one entry a line, as build.sh --expected reads them. NAME.stdin: bytes. */
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

    static String[] concat(List<String> first, List<String> rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }
}
