package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a root directory the guest's "/" is that directory, and no lookup may reach a host file
 * outside it. The host holds {@code base/secret.txt} ("SECRET") next to the root; the tests read
 * through every kind of escape and check the guest gets in-root files or ENOENT, never SECRET.
 */
class RootConfinementTest {
    @TempDir Path base;
    Path root;
    Path secret;
    FileTable t;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        secret = Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "guest passwd");
        Files.createDirectories(root.resolve("home/user"));
        t = table(new FileSystem(root, "/home/user"), new Streams(""), "/bin/prog");
    }

    @Test
    void absoluteLinkToAHostFileResolvesInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("hostpasswd"), Path.of("/etc/passwd"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "/hostpasswd"));
    }

    @Test
    void absoluteLinkToTheSecretsHostPathFindsOnlyTheInRootMirror() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), secret.toAbsolutePath());
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/escape"));
        Path mirror = root.resolve(secret.toAbsolutePath().toString().substring(1));
        Files.createDirectories(mirror.getParent());
        Files.writeString(mirror, "MIRROR");
        assertEquals("MIRROR", readAll(t, AT_FDCWD, "/escape"));
    }

    @Test
    void dotDotBeyondTheRootStaysAtTheRoot() {
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "../../../../etc/passwd"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "/../../../../etc/passwd"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "../../../secret.txt"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/../secret.txt"));
        assertEquals(0, t.chdir("../../../.."));
        assertEquals("/", t.getcwd());
    }

    @Test
    void relativeLinkClimbingOutStopsAtTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("home/user/up"), Path.of("../../.."));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "up/secret.txt"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "up/../secret.txt"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "up/etc/passwd"));
        assertEquals(0, t.chdir("up/.."));
        assertEquals("/", t.getcwd());
    }

    @Test
    void dirfdOfTheRootCannotClimbEither() {
        int rootFd = t.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
        assertTrue(rootFd >= 0);
        assertEquals("errno " + Errno.ENOENT, readAll(t, rootFd, "../secret.txt"));
        assertEquals("guest passwd", readAll(t, rootFd, "../etc/passwd"));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(-Errno.ENOENT, t.newfstatat(rootFd, "../secret.txt", st, 0));
        assertEquals(-Errno.ENOENT, t.faccessat(rootFd, "../secret.txt", F_OK, 0));
    }

    @Test
    void absoluteLinkInsideTheRootWorksAsADirectoryComponent() throws Exception {
        Files.createSymbolicLink(root.resolve("home/user/cfg"), Path.of("/etc"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "cfg/passwd"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "/home/user/cfg/../etc/passwd"),
                "'..' after a link is taken from the link's target, as in Linux");
        int fd = t.openat(AT_FDCWD, "cfg", O_RDONLY | O_DIRECTORY, 0);
        assertEquals("/etc", t.file(fd).guestPath(), "descriptors remember the canonical guest path");
    }

    @Test
    void writesThroughEscapingLinksLandInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("drop"), base.resolve("planted.txt"));
        int fd = t.openat(AT_FDCWD, "/drop", O_WRONLY | O_CREAT, 0644);
        assertEquals(-Errno.ENOENT, fd, "the in-root mirror directory does not exist");
        assertFalse(Files.exists(base.resolve("planted.txt")));
        assertEquals(0, t.mkdirat(AT_FDCWD, "/../../outside-dir", 0755));
        assertFalse(Files.exists(base.resolve("outside-dir")));
        assertFalse(Files.exists(base.getParent().resolve("outside-dir")));
        assertTrue(Files.isDirectory(root.resolve("outside-dir")), "mkdir /../../x made /x in the root");
    }

    @Test
    void aLinkTheGuestMakesToAHostPathIsReadInsideTheRoot() throws Exception {
        assertEquals(0, t.symlinkat(secret.toString(), AT_FDCWD, "/made"));
        assertEquals(secret.toString(), Files.readSymbolicLink(root.resolve("made")).toString());
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/made"));
        assertEquals(0, t.symlinkat("../../../..", AT_FDCWD, "/up"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/up/secret.txt"));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "/up/etc/passwd"));
        assertEquals(-Errno.EEXIST, t.symlinkat("x", AT_FDCWD, "/made"));
        assertEquals(-Errno.EEXIST, t.symlinkat("x", AT_FDCWD, "/.."));
        assertEquals(-Errno.ENOENT, t.symlinkat("", AT_FDCWD, "/empty"));
        assertEquals(-Errno.ENOENT, t.symlinkat("x", AT_FDCWD, "/none/l"));
    }

    @Test
    void aHardLinkCanNameOnlyAFileInsideTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("esc"), secret);
        assertEquals(-Errno.ENOENT, t.linkat(AT_FDCWD, "/esc", AT_FDCWD, "/hard", AT_SYMLINK_FOLLOW),
                "followed inside the root, the link leads nowhere");
        assertEquals(0, t.linkat(AT_FDCWD, "/esc", AT_FDCWD, "/hard", 0), "the link itself is linked");
        assertTrue(Files.isSymbolicLink(root.resolve("hard")));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/hard"));
        assertEquals(1, (Integer) Files.getAttribute(secret, "unix:nlink"));
        assertEquals(0, t.linkat(AT_FDCWD, "/etc/passwd", AT_FDCWD, "/home/user/pw", 0));
        assertEquals("guest passwd", readAll(t, AT_FDCWD, "pw"));
        assertEquals(-Errno.EPERM, t.linkat(AT_FDCWD, "/etc", AT_FDCWD, "/etc2", 0));
        assertEquals(-Errno.EEXIST, t.linkat(AT_FDCWD, "/etc/passwd", AT_FDCWD, "/hard", 0));
        assertEquals(-Errno.EINVAL, t.linkat(AT_FDCWD, "/etc/passwd", AT_FDCWD, "/x", 0x8000));
    }

    @Test
    void symlinkCycleIsEloop() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertEquals(-Errno.ELOOP, t.openat(AT_FDCWD, "/a", O_RDONLY, 0));
        assertEquals(-Errno.ELOOP, t.openat(AT_FDCWD, "/a/x", O_RDONLY, 0));
    }

    @Test
    void fortyLinksResolveAndFortyOneAreEloop() throws Exception {
        Files.writeString(root.resolve("end"), "reached");
        Path previous = Path.of("end");
        for (int i = 1; i <= 41; i++) {
            Files.createSymbolicLink(root.resolve("l" + i), previous);
            previous = Path.of("l" + i);
        }
        assertEquals("reached", readAll(t, AT_FDCWD, "/l40"));
        assertEquals("errno " + Errno.ELOOP, readAll(t, AT_FDCWD, "/l41"));
    }

    @Test
    void noFollowOnALastComponentLinkIsEloopButIntermediateLinksStillFollow() throws Exception {
        Files.createSymbolicLink(root.resolve("pw"), Path.of("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etclink"), Path.of("etc"));
        assertEquals(-Errno.ELOOP, t.openat(AT_FDCWD, "/pw", O_RDONLY | O_NOFOLLOW, 0));
        int fd = t.openat(AT_FDCWD, "/etclink/passwd", O_RDONLY | O_NOFOLLOW, 0);
        assertTrue(fd >= 0);
        int pathFd = t.openat(AT_FDCWD, "/pw", O_PATH | O_NOFOLLOW, 0);
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.fstat(pathFd, st));
        assertEquals(FileMode.S_IFLNK, FileMode.type(le(st).getInt(16)), "O_PATH|O_NOFOLLOW names the link");
    }

    @Test
    void readlinkReturnsTheLinkTextAndEinvalForNonLinks() throws Exception {
        Files.createSymbolicLink(root.resolve("rl"), Path.of("/etc/passwd"));
        byte[] out = new byte[64];
        long n = t.readlinkat(AT_FDCWD, "/rl", out);
        assertEquals("/etc/passwd", text(out, n), "the text is returned unchanged, not rebased on the host root");
        byte[] small = new byte[4];
        assertEquals(4, t.readlinkat(AT_FDCWD, "/rl", small));
        assertEquals("/etc", text(small, 4), "truncated to the buffer, no NUL");
        assertEquals(-Errno.EINVAL, t.readlinkat(AT_FDCWD, "/etc/passwd", out));
        assertEquals(-Errno.ENOENT, t.readlinkat(AT_FDCWD, "/none", out));
    }

    @Test
    void procSelfExeReadsAsTheProgramsGuestPathAndOpensIt() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/prog"), "\u007fELF");
        byte[] out = new byte[64];
        long n = t.readlinkat(AT_FDCWD, "/proc/self/exe", out);
        assertEquals("/bin/prog", text(out, n));
        n = t.readlinkat(AT_FDCWD, "../../proc/./self/exe", out);
        assertEquals("/bin/prog", text(out, n));
        assertEquals("\u007fELF", readAll(t, AT_FDCWD, "/proc/self/exe"));
        assertEquals(-Errno.ENOENT, t.readlinkat(AT_FDCWD, "/proc/self/cwd", out),
                "other /proc names are looked up in the root, where there is no /proc");
    }

    @Test
    void openForExecRequiresAnExecutableRegularFile() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Path prog = Files.writeString(root.resolve("bin/prog"), "\u007fELF....");
        FileSystem fs = new FileSystem(root, "/");
        ErrnoException e = assertThrows(ErrnoException.class, () -> fs.openForExec("/bin/prog"));
        assertEquals(Errno.EACCES, e.errno(), "not executable");
        Files.setPosixFilePermissions(prog, FileSystem.permissions(0755));
        OpenFile f = fs.openForExec("bin/prog");
        assertEquals("/bin/prog", f.guestPath());
        assertEquals(8, f.size());
        byte[] b = new byte[4];
        assertEquals(4, f.readAt(0, b, 0, 4));
        f.release();
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> fs.openForExec("/bin/none")).errno());
        assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> fs.openForExec("/bin")).errno(),
                "execve of a directory is EACCES in Linux (do_open_execat)");
        Files.createSymbolicLink(root.resolve("bin/esc"), secret);
        Files.setPosixFilePermissions(secret, FileSystem.permissions(0755));
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> fs.openForExec("/bin/esc")).errno());
    }

    @Test
    void hostModeSeesTheHostFileSystemAsIs() throws Exception {
        FileTable host = table(new FileSystem(null, base.toString()), new Streams(""), "/x");
        assertEquals(base.toRealPath().toString(), host.getcwd());
        assertEquals("SECRET", readAll(host, AT_FDCWD, "secret.txt"));
        assertEquals("SECRET", readAll(host, AT_FDCWD, secret.toString()));
        Files.createSymbolicLink(root.resolve("abs"), secret);
        assertEquals("SECRET", readAll(host, AT_FDCWD, "root/abs"), "absolute links are host paths here");
    }

    @Test
    void constructorRejectsACwdOutsideTheTree() {
        assertThrows(IllegalArgumentException.class, () -> new FileSystem(root, "/no/such/dir"));
        assertThrows(IllegalArgumentException.class, () -> new FileSystem(base.resolve("missing-root"), "/"));
    }
}
