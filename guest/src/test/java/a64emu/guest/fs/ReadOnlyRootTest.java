package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --read-only}: the host files are a read-only mount. Every call that would change
 * one fails with EROFS where Linux's mnt_want_write or sb_permission fail it (after ENOENT,
 * EEXIST, EISDIR and the other answers Linux gives first); reads and lookups work as before, and
 * nothing on the host changes.
 */
class ReadOnlyRootTest {
    @TempDir Path base;
    Path root;
    FileTable t;
    FileSystem fs;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        Files.createDirectories(root.resolve("dir/empty"));
        Files.writeString(root.resolve("dir/file"), "data");
        Files.setPosixFilePermissions(root.resolve("dir/file"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(root.resolve("dir/link"), Path.of("file"));
        fs = new FileSystem(root, "/dir");
        fs.setReadOnly();
        t = table(fs, new Streams(""), "/bin/prog");
    }

    @Test
    void readsLookupsAndDirectoryListingsWork() {
        assertEquals("data", readAll(t, AT_FDCWD, "file"));
        assertEquals("data", readAll(t, AT_FDCWD, "/dir/link"));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, "file", st, 0));
        assertEquals(0, t.faccessat(AT_FDCWD, "file", R_OK, 0));
        int dir = t.openat(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, 0);
        assertTrue(t.getdents64(dir, new byte[4096]) > 0);
        assertEquals(0, t.chdir("empty"));
        assertTrue(fs.copyForFork().isReadOnly(), "a forked child keeps the mount");
    }

    @Test
    void openingForWritingCreatingOrTruncatingIsErofs() {
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "file", O_WRONLY, 0));
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "file", O_RDWR, 0));
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "file", O_RDONLY | O_TRUNC, 0));
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "link", O_WRONLY | O_APPEND, 0));
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "new", O_WRONLY | O_CREAT, 0644));
        assertEquals(-Errno.EROFS, t.openat(AT_FDCWD, "new", O_RDONLY | O_CREAT | O_EXCL, 0644));
        assertTrue(t.openat(AT_FDCWD, "file", O_RDONLY | O_CREAT, 0644) >= 0, "O_CREAT of an existing file, no write");
        assertEquals(-Errno.EEXIST, t.openat(AT_FDCWD, "file", O_WRONLY | O_CREAT | O_EXCL, 0644));
        assertEquals(-Errno.EISDIR, t.openat(AT_FDCWD, "empty", O_WRONLY, 0));
        assertEquals(-Errno.ENOENT, t.openat(AT_FDCWD, "none/new", O_WRONLY | O_CREAT, 0644));
        assertEquals(-Errno.EISDIR, t.openat(AT_FDCWD, "new/", O_WRONLY | O_CREAT, 0644));
        assertFalse(Files.exists(root.resolve("dir/new")));
    }

    @Test
    void everyNameChangeIsErofsInLinuxsOrder() throws Exception {
        assertEquals(-Errno.EEXIST, t.mkdirat(AT_FDCWD, "empty", 0755));
        assertEquals(-Errno.EROFS, t.mkdirat(AT_FDCWD, "sub", 0755));
        assertEquals(-Errno.EROFS, t.unlinkat(AT_FDCWD, "file", 0));
        assertEquals(-Errno.EROFS, t.unlinkat(AT_FDCWD, "missing", 0), "do_unlinkat checks the mount first");
        assertEquals(-Errno.EROFS, t.unlinkat(AT_FDCWD, "empty", AT_REMOVEDIR));
        assertEquals(-Errno.EBUSY, t.unlinkat(AT_FDCWD, "/", AT_REMOVEDIR));
        assertEquals(-Errno.EROFS, t.renameat2(AT_FDCWD, "file", AT_FDCWD, "moved", 0));
        assertEquals(-Errno.EROFS, t.renameat2(AT_FDCWD, "missing", AT_FDCWD, "moved", 0));
        assertEquals(-Errno.EROFS, t.symlinkat("file", AT_FDCWD, "newlink"));
        assertEquals(-Errno.EEXIST, t.symlinkat("file", AT_FDCWD, "link"));
        assertEquals(-Errno.EROFS, t.linkat(AT_FDCWD, "file", AT_FDCWD, "hard", 0));
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "missing", AT_FDCWD, "hard", 0));
        assertTrue(Files.exists(root.resolve("dir/file")));
        assertTrue(Files.isDirectory(root.resolve("dir/empty")));
        try (var names = Files.list(root.resolve("dir"))) {
            assertEquals(3, names.count(), "nothing made, moved or removed");
        }
    }

    @Test
    void attributeChangesAndWriteAccessChecksAreErofs() throws Exception {
        assertEquals(-Errno.EROFS, t.fchmodat(AT_FDCWD, "file", 0777, 0));
        assertEquals(-Errno.ENOENT, t.fchmodat(AT_FDCWD, "missing", 0777, 0));
        int fd = t.openat(AT_FDCWD, "file", O_RDONLY, 0);
        assertEquals(-Errno.EROFS, t.fchmod(fd, 0777));
        assertEquals(-Errno.EROFS, t.fchownat(AT_FDCWD, "file", -1, -1, 0, 1000, 1000));
        assertEquals(-Errno.EROFS, t.fchown(fd, -1, -1, 1000, 1000));
        assertEquals(-Errno.EROFS, t.faccessat(AT_FDCWD, "file", W_OK, 0));
        assertEquals(-Errno.EROFS, t.faccessat(AT_FDCWD, "empty", W_OK | R_OK, 0));
        assertEquals(-Errno.EINVAL, t.ftruncate(fd, 0), "a read-only descriptor, as anywhere");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("dir/file"))));
    }

    @Test
    void withoutTheOptionTheSameCallsWrite() {
        FileTable rw = table(new FileSystem(root, "/dir"), new Streams(""), "/bin/prog");
        int fd = rw.openat(AT_FDCWD, "new", O_WRONLY | O_CREAT, 0644);
        assertTrue(fd >= 0);
        assertEquals(0, rw.mkdirat(AT_FDCWD, "sub", 0755));
        assertEquals(0, rw.symlinkat("new", AT_FDCWD, "newlink"));
        assertEquals(0, rw.linkat(AT_FDCWD, "new", AT_FDCWD, "hard", 0));
        assertEquals(0, rw.renameat2(AT_FDCWD, "hard", AT_FDCWD, "hard2", 0));
        assertEquals(0, rw.unlinkat(AT_FDCWD, "hard2", 0));
    }
}
