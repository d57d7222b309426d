package a64emu.tools;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --read-only}: {@code guest/programs/src/read_only_root.c} makes every kind of
 * write-side call on a scratch root's files. With the option each fails with EROFS (mkdir,
 * symlink and link of a new name, rename and unlink of names that do not exist either: Linux
 * checks the mount first) and the root is left exactly as it was, while reads, R_OK and
 * a write open in /proc (a mount of its own) still work; without it the same calls succeed, so the test tells the two apart.
 */
class ReadOnlyRunTest {
    @TempDir Path root;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.copy(GuestPrograms.binary("read_only_root"), root.resolve("bin/read_only_root"));
        Files.writeString(root.resolve("file.txt"), "inside\n");
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("file.txt"));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> names = Files.list(root)) {
            return names.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyWriteSideCallIsErofsAndReadsStillWork() throws IOException {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root.toString(), "--read-only",
                "/bin/read_only_root", "--in-root");

        assertEquals(0, run.status(), run.out() + run.stderr());
        assertEquals(READ_ONLY, run.out());
        assertEquals("inside\n", Files.readString(root.resolve("file.txt")));
        assertEquals(List.of("bin", "dir", "file.txt", "link"), names());
    }

    @Test
    void withoutTheOptionTheSameCallsChangeTheRoot() throws IOException {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root.toString(), "/bin/read_only_root", "--in-root");

        assertEquals(0, run.status(), run.out() + run.stderr());
        assertEquals(READ_WRITE, run.out());
        assertEquals(List.of("bin", "dir", "file.txt", "link", "new.txt", "newlink"), names());
    }

    private static final String READ_ONLY = """
            open O_WRONLY: EROFS
            open O_RDWR: EROFS
            open O_RDONLY|O_TRUNC: EROFS
            open O_WRONLY through a link: EROFS
            open O_CREAT new: EROFS
            mkdir: EROFS
            symlink: EROFS
            link: EROFS
            rename: EROFS
            unlink: EROFS
            rmdir: EROFS
            chmod: EROFS
            chown (to oneself): EROFS
            access W_OK: EROFS
            fchmod: EROFS
            read file.txt: ok
            file.txt holds "inside"
            access R_OK: ok
            open /proc/self/comm O_WRONLY: ok
            """;
    private static final String READ_WRITE = """
            open O_WRONLY: ok
            open O_RDWR: ok
            open O_RDONLY|O_TRUNC: ok
            open O_WRONLY through a link: ok
            open O_CREAT new: ok
            mkdir: ok
            symlink: ok
            link: ok
            rename: ok
            unlink: ok
            rmdir: ok
            chmod: ok
            chown (to oneself): ok
            access W_OK: ok
            fchmod: ok
            read file.txt: ok
            file.txt holds "inside"
            access R_OK: ok
            open /proc/self/comm O_WRONLY: ok
            """;
}
