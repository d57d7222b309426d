package a64emu.guest.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory a fuzz run is confined to ({@code --root}), made once per test class under
 * the JVM's temporary directory and removed at exit: the program under test is written
 * into it, and the guest's files (created, renamed, unlinked by fuzzed calls) live there.
 */
public final class FuzzRoot {
    private final Path dir;

    public FuzzRoot(String name) {
        try {
            dir = Files.createTempDirectory("a64emu-fuzz-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::delete));
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code bytes} to {@code name} inside the root, executable; returns its guest path. */
    public String write(String name, byte[] bytes) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            file.toFile().setExecutable(true);
            return "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the root an empty directory again except for {@code keep} (names at its top). */
    public void clean(String... keep) {
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.toList()) {
                if (!java.util.Arrays.asList(keep).contains(p.getFileName().toString())) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete() {
        deleteTree(dir);
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                q.toFile().setWritable(true);
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // best effort: a directory a guest made unreadable stays behind in /tmp
        }
    }
}
