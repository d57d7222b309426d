package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.LookupRestrictions.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openat2's RESOLVE_* restrictions on the one path walk, under --root confinement, and
 * mknodat's nodes: a FIFO is a host FIFO whose opens the guest kernel serves as a named pipe.
 * The host holds {@code base/secret.txt} next to the root; no restriction may reach it.
 */
class OpenAt2AndMknodTest {
    @TempDir Path base;
    Path root;
    FileTable t;
    int dir;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createDirectories(root.resolve("d/sub"));
        Files.writeString(root.resolve("d/file"), "in d");
        Files.writeString(root.resolve("file"), "at the root");
        Files.createSymbolicLink(root.resolve("d/rel"), Path.of("file"));
        Files.createSymbolicLink(root.resolve("d/abs"), Path.of("/file"));
        Files.createSymbolicLink(root.resolve("d/out"), base.resolve("secret.txt"));
        t = table(new FileSystem(root, "/"), new Streams(""), "/prog");
        dir = t.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
    }

    private String open2(String path, int resolve) {
        Object r = t.openat2(dir, path, O_RDONLY, 0, new LookupRestrictions(resolve));
        int fd = (Integer) r;
        if (fd < 0) return Errno.name(fd);
        byte[] b = new byte[64];
        long n = t.read(fd, b, 0, b.length);
        t.close(fd);
        return text(b, n);
    }

    @Test
    void beneathRefusesEveryWayAboveTheStartingDirectory() {
        assertEquals("in d", open2("file", RESOLVE_BENEATH));
        assertEquals("in d", open2("sub/../file", RESOLVE_BENEATH));
        assertEquals("in d", open2("rel", RESOLVE_BENEATH));
        assertEquals("EXDEV", open2("../file", RESOLVE_BENEATH));
        assertEquals("EXDEV", open2("/file", RESOLVE_BENEATH));
        assertEquals("EXDEV", open2("abs", RESOLVE_BENEATH));
        assertEquals("EXDEV", open2("out", RESOLVE_BENEATH));
    }

    @Test
    void inRootMakesTheStartingDirectoryTheRootForPathsAndLinks() {
        assertEquals("in d", open2("/file", RESOLVE_IN_ROOT));
        assertEquals("in d", open2("../../../file", RESOLVE_IN_ROOT));
        assertEquals("in d", open2("abs", RESOLVE_IN_ROOT));
        assertEquals("ENOENT", open2("out", RESOLVE_IN_ROOT), "a host path, looked up below d");
    }

    @Test
    void withoutScopeTheGuestRootStillConfines() {
        assertEquals("at the root", open2("abs", 0));
        assertEquals("at the root", open2("../../../../file", 0));
        assertEquals("ENOENT", open2("out", 0));
        assertEquals("ENOENT", open2("/../secret.txt", RESOLVE_NO_XDEV));
    }

    @Test
    void noSymlinksRefusesAnyLinkItWouldFollow() {
        assertEquals("ELOOP", open2("rel", RESOLVE_NO_SYMLINKS));
        assertEquals("in d", open2("file", RESOLVE_NO_SYMLINKS));
        int fd = (Integer) t.openat2(dir, "rel", O_PATH | O_NOFOLLOW, 0, new LookupRestrictions(RESOLVE_NO_SYMLINKS));
        assertTrue(fd >= 0, "the link itself, not followed");
    }

    @Test
    void anEmptyPathIsEnoentBeforeTheDescriptorIsLookedAt() {
        assertEquals(-Errno.ENOENT, t.openat2(99, "", O_RDONLY, 0, new LookupRestrictions(0)));
        assertEquals(-Errno.EBADF, t.openat2(99, "x", O_RDONLY, 0, new LookupRestrictions(RESOLVE_IN_ROOT)));
    }

    private int mode(String guestPath) throws Exception {
        return (Integer) Files.getAttribute(root.resolve(guestPath.substring(1)), "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void mknodMakesRegularFifoAndSocketNodesAndRefusesDevices() throws Exception {
        t.fileSystem().umask(022);
        assertEquals(0, t.mknodat(AT_FDCWD, "/d/r", FileMode.S_IFREG | 0666));
        assertEquals(FileMode.S_IFREG | 0644, mode("/d/r"));
        assertEquals(0, t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600));
        assertEquals(FileMode.S_IFIFO | 0600, mode("/d/p"));
        assertEquals(0, t.mknodat(AT_FDCWD, "/d/s", FileMode.S_IFSOCK | 0600));
        assertEquals(FileMode.S_IFSOCK, FileMode.type(mode("/d/s")));
        assertEquals(-Errno.EPERM, t.mknodat(AT_FDCWD, "/d/c", FileMode.S_IFCHR | 0600));
        assertEquals(-Errno.EPERM, t.mknodat(AT_FDCWD, "/d/b", FileMode.S_IFDIR | 0600));
        assertEquals(-Errno.EINVAL, t.mknodat(AT_FDCWD, "/d/x", 0110000 | 0600));
        assertEquals(-Errno.EEXIST, t.mknodat(AT_FDCWD, "/d/r", FileMode.S_IFIFO | 0600));
        assertEquals(0, t.mknodat(AT_FDCWD, "/../../made", FileMode.S_IFIFO | 0600));
        assertTrue(Files.exists(root.resolve("made"), LinkOption.NOFOLLOW_LINKS), "made inside the root");
        assertFalse(Files.exists(base.resolve("made"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFifoIsANamedPipeWhoseBlockingOpensWaitForTheOtherEnd() {
        assertEquals(0, t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600));
        assertEquals(-Errno.ENXIO, t.openat(AT_FDCWD, "/d/p", O_WRONLY | O_NONBLOCK, 0));
        Object reader = t.openatOrWait(AT_FDCWD, "/d/p", O_RDONLY, 0);
        FileTable.PendingOpen pending = assertInstanceOf(FileTable.PendingOpen.class, reader);
        assertFalse(pending.partnerArrived());
        Object writer = t.openatOrWait(AT_FDCWD, "/d/p", O_WRONLY, 0);
        int w = assertInstanceOf(Integer.class, writer, "a reader is there: the writer does not wait");
        assertTrue(pending.partnerArrived());
        int r = pending.install();
        assertEquals(5, t.write(w, bytes("hello"), 0, 5));
        byte[] b = new byte[16];
        assertEquals(5, t.read(r, b, 0, b.length));
        assertEquals(-Errno.EAGAIN, t.read(r, b, 0, b.length), "empty with a writer: the reader would sleep");
        t.close(w);
        assertEquals(0, t.read(r, b, 0, b.length), "no writer left: end of file");
        assertEquals(-Errno.ESPIPE, t.lseek(r, 0, SEEK_SET));
        t.close(r);
    }

    @Test
    void anAbandonedFifoOpenIsCountedOutAgain() {
        t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600);
        FileTable.PendingOpen pending = (FileTable.PendingOpen) t.openatOrWait(AT_FDCWD, "/d/p", O_RDONLY, 0);
        pending.abandon();
        assertEquals(-Errno.ENXIO, t.openat(AT_FDCWD, "/d/p", O_WRONLY | O_NONBLOCK, 0), "no reader is left");
    }

    @Test
    void anRdwrFifoOpenNeverWaitsAndTalksToItself() throws Exception {
        t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600);
        int fd = assertInstanceOf(Integer.class, t.openatOrWait(AT_FDCWD, "/d/p", O_RDWR, 0));
        assertEquals(2, t.write(fd, bytes("me"), 0, 2));
        byte[] b = new byte[4];
        assertEquals(2, t.read(fd, b, 0, 4));
        assertEquals(FileMode.S_IFIFO, FileMode.type(t.file(fd).fileStat().mode()), "the FIFO's own stat");
    }

    @Test
    void aNonblockingReaderSeesNoHangUpUntilAWriterHasComeAndGone() {
        t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600);
        int r = t.openat(AT_FDCWD, "/d/p", O_RDONLY | O_NONBLOCK, 0);
        assertEquals(0, t.file(r).poll(null) & PollTable.POLLHUP, "no writer yet: not a hang-up");
        t.close(t.openat(AT_FDCWD, "/d/p", O_WRONLY | O_NONBLOCK, 0));
        assertEquals(PollTable.POLLHUP, t.file(r).poll(null) & PollTable.POLLHUP, "its writer left");
    }

    @Test
    void aFifosOpenAndCloseAreInotifyEventsOfItsDirectory() {
        t.mknodat(AT_FDCWD, "/d/p", FileMode.S_IFIFO | 0600);
        int in = t.installNew((OpenFile) t.fileSystem().fsnotify().newInstance(1000, Inotify.IN_NONBLOCK, c -> { }),
                false);
        t.inotifyAddWatch(in, "/d", Inotify.IN_OPEN | Inotify.IN_CLOSE_WRITE);
        t.close(t.openat(AT_FDCWD, "/d/p", O_RDWR, 0));
        assertEquals(2 * 32, ((Inotify) t.file(in)).queuedBytes());
    }
}
