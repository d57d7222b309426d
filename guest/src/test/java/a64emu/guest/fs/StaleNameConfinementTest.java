package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name the guest reached earlier (its cwd, a dirfd, an open file or directory) is never
 * trusted later: between two calls the guest may rename the directory away and put in its
 * place a link whose text is a host path outside the root ({@code /sub -> BASE}, where BASE
 * holds {@code secret.txt}). Every later use walks or checks the name again inside the root,
 * so it finds in-root files or nothing, and never SECRET or the host directory.
 */
class StaleNameConfinementTest {
    @TempDir Path base;
    Path root;
    Path secret;
    FileTable t;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        secret = Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside.txt"), "inside");
        Files.createSymbolicLink(root.resolve("evil"), base.toRealPath());
        t = table(new FileSystem(root, "/"), new Streams(""), "/bin/prog");
    }

    /** Moves /sub away and renames the escaping link /evil into its place, as a guest can. */
    private void swapSubForTheEscapingLink() {
        assertEquals(0, t.renameat2(AT_FDCWD, "/sub", AT_FDCWD, "/sub2", 0));
        assertEquals(0, t.renameat2(AT_FDCWD, "/evil", AT_FDCWD, "/sub", 0));
    }

    @Test
    void aCwdWhoseDirectoryWasSwappedForAnEscapingLinkIsWalkedAgainInsideTheRoot() {
        assertEquals(0, t.chdir("/sub"));
        assertEquals("inside", readAll(t, AT_FDCWD, "inside.txt"));
        swapSubForTheEscapingLink();
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "secret.txt"));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(-Errno.ENOENT, t.newfstatat(AT_FDCWD, "secret.txt", st, 0));
        assertEquals(-Errno.ENOENT, t.faccessat(AT_FDCWD, "secret.txt", F_OK, 0));
        assertEquals(-Errno.ENOENT, t.unlinkat(AT_FDCWD, "secret.txt", 0));
        assertEquals(-Errno.ENOENT, t.mkdirat(AT_FDCWD, "planted", 0755));
        assertTrue(Files.exists(secret));
        assertFalse(Files.exists(base.resolve("planted")));
    }

    @Test
    void aDirfdWhoseDirectoryWasSwappedForAnEscapingLinkIsWalkedAgainInsideTheRoot() {
        int dirfd = t.openat(AT_FDCWD, "/sub", O_RDONLY | O_DIRECTORY, 0);
        int pathFd = t.openat(AT_FDCWD, "/sub", O_PATH, 0);
        swapSubForTheEscapingLink();
        assertEquals("errno " + Errno.ENOENT, readAll(t, dirfd, "secret.txt"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, pathFd, "secret.txt"));
        assertEquals(-Errno.ENOENT, t.fchdir(dirfd), "fchdir walks the remembered name again too");
        assertEquals(-Errno.ENOENT, t.openat(dirfd, "planted", O_WRONLY | O_CREAT, 0644));
        assertFalse(Files.exists(base.resolve("planted")));
    }

    @Test
    void anOpenDirectoryNeverListsTheHostDirectoryPutInItsPlace() throws Exception {
        int dirfd = t.openat(AT_FDCWD, "/sub", O_RDONLY | O_DIRECTORY, 0);
        swapSubForTheEscapingLink();
        byte[] buf = new byte[4096];
        assertEquals(-Errno.ENOENT, t.getdents64(dirfd, buf), "what a removed directory answers");
        int moved = t.openat(AT_FDCWD, "/sub2", O_RDONLY | O_DIRECTORY, 0);
        long n = t.getdents64(moved, buf);
        assertTrue(n > 0);
        String names = new String(buf, 0, (int) n, StandardCharsets.ISO_8859_1);
        assertTrue(names.contains("inside.txt"));
        assertFalse(names.contains("secret.txt"));
    }

    @Test
    void fchmodAndFchownOfAFileWhoseParentWasSwappedNeverTouchTheHostFile() throws Exception {
        Files.writeString(root.resolve("sub/secret.txt"), "decoy");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        int fd = t.openat(AT_FDCWD, "/sub/secret.txt", O_RDONLY, 0);
        int dirfd = t.openat(AT_FDCWD, "/sub", O_RDONLY | O_DIRECTORY, 0);
        swapSubForTheEscapingLink();
        t.fchmod(fd, 0777);
        t.fchmod(dirfd, 0777);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
    }

    @Test
    void fstatOfADescriptorWhoseNameWasSwappedReportsItsOwnFileNotTheHostOne() throws Exception {
        Path decoy = Files.writeString(root.resolve("sub/secret.txt"), "decoy");
        long decoyIno = (Long) Files.getAttribute(decoy, "unix:ino");
        long subIno = (Long) Files.getAttribute(root.resolve("sub"), "unix:ino");
        int fd = t.openat(AT_FDCWD, "/sub/secret.txt", O_RDONLY, 0);
        int pathFd = t.openat(AT_FDCWD, "/sub/secret.txt", O_PATH, 0);
        int dirfd = t.openat(AT_FDCWD, "/sub", O_PATH | O_DIRECTORY, 0);
        int openDir = t.openat(AT_FDCWD, "/sub", O_RDONLY | O_DIRECTORY, 0);
        swapSubForTheEscapingLink();
        byte[] st = new byte[KernelStat.SIZE];
        for (int f : new int[] {fd, pathFd}) {
            assertEquals(0, t.fstat(f, st));
            assertEquals(decoyIno, le(st).getLong(8), "fd " + f);
            assertEquals(5, le(st).getLong(48), "the decoy's size, not SECRET's");
        }
        for (int f : new int[] {dirfd, openDir}) {
            assertEquals(0, t.fstat(f, st));
            assertEquals(subIno, le(st).getLong(8), "fd " + f);
        }
    }
}
