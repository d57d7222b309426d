package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTableIoTest {
    @TempDir Path dir;
    Streams streams;
    FileTable t;

    @BeforeEach
    void setUp() {
        streams = new Streams("line one\nline two\n");
        t = table(new FileSystem(dir, "/"), streams, "/prog");
    }

    @Test
    void createWriteSeekAndReadBackRoundTrip() throws Exception {
        int fd = t.openat(AT_FDCWD, "/f.txt", O_RDWR | O_CREAT, 0644);
        assertEquals(3, fd, "lowest free descriptor after 0,1,2");
        assertEquals(11, t.write(fd, bytes("hello world"), 0, 11));
        assertEquals(0, t.lseek(fd, 0, SEEK_SET));
        byte[] buf = new byte[32];
        assertEquals(5, t.read(fd, buf, 0, 5));
        assertEquals("hello", text(buf, 5));
        assertEquals(6, t.read(fd, buf, 0, 32));
        assertEquals(" world", text(buf, 6));
        assertEquals(0, t.read(fd, buf, 0, 32), "read at EOF returns 0");
        assertEquals(0, t.close(fd));
        assertEquals("hello world", Files.readString(dir.resolve("f.txt")));
    }

    @Test
    void createdFileGetsModeMinusUmask() throws Exception {
        int fd = t.openat(AT_FDCWD, "/m", O_WRONLY | O_CREAT, 0777);
        assertTrue(fd >= 0);
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.fstat(fd, st));
        assertEquals(FileMode.S_IFREG | 0755, le(st).getInt(16));
    }

    @Test
    void fchmodatAndFchmodChangeThePermissionBits() throws Exception {
        int fd = t.openat(AT_FDCWD, "/c", O_WRONLY | O_CREAT, 0644);
        assertEquals(0, t.fchmodat(AT_FDCWD, "/c", 0600, 0));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                java.nio.file.Files.getPosixFilePermissions(dir.resolve("c")));
        assertEquals(0, t.fchmod(fd, 0751));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x--x"),
                java.nio.file.Files.getPosixFilePermissions(dir.resolve("c")));
        assertEquals(-a64emu.guest.Errno.ENOENT, t.fchmodat(AT_FDCWD, "/missing", 0600, 0));
        assertEquals(-a64emu.guest.Errno.ENOTSUP, t.fchmodat(AT_FDCWD, "/c", 0600, 0x100));
        assertEquals(-a64emu.guest.Errno.EBADF, t.fchmod(99, 0600));
    }

    @Test
    void preadAndPwriteLeaveTheFileOffsetAlone() throws Exception {
        Files.writeString(dir.resolve("p"), "0123456789");
        int fd = t.openat(AT_FDCWD, "p", O_RDWR, 0);
        byte[] buf = new byte[4];
        assertEquals(4, t.pread(fd, buf, 0, 4, 6));
        assertEquals("6789", text(buf, 4));
        assertEquals(2, t.pwrite(fd, bytes("AB"), 0, 2, 2));
        assertEquals(0, t.lseek(fd, 0, SEEK_CUR), "offset unchanged by pread/pwrite");
        assertEquals(4, t.read(fd, buf, 0, 4));
        assertEquals("01AB", text(buf, 4));
        assertEquals(-Errno.EINVAL, t.pread(fd, buf, 0, 4, -1));
    }

    @Test
    void lseekFromEndAndPastEndAndNegativeResult() throws Exception {
        Files.writeString(dir.resolve("s"), "abcdef");
        int fd = t.openat(AT_FDCWD, "/s", O_RDWR, 0);
        assertEquals(4, t.lseek(fd, -2, SEEK_END));
        byte[] buf = new byte[8];
        assertEquals(2, t.read(fd, buf, 0, 8));
        assertEquals("ef", text(buf, 2));
        assertEquals(-Errno.EINVAL, t.lseek(fd, -100, SEEK_CUR));
        assertEquals(6, t.lseek(fd, 0, SEEK_CUR), "failed lseek keeps the offset");
        assertEquals(-Errno.EINVAL, t.lseek(fd, 0, 99));
        assertEquals(10, t.lseek(fd, 10, SEEK_SET));
        assertEquals(1, t.write(fd, bytes("Z"), 0, 1));
        assertEquals(11, Files.size(dir.resolve("s")), "writing past the end extends with a hole");
    }

    @Test
    void appendModeWritesAtTheEndWhateverTheOffset() throws Exception {
        Files.writeString(dir.resolve("log"), "start;");
        int fd = t.openat(AT_FDCWD, "/log", O_WRONLY | O_APPEND, 0);
        t.lseek(fd, 0, SEEK_SET);
        assertEquals(4, t.write(fd, bytes("more"), 0, 4));
        assertEquals("start;more", Files.readString(dir.resolve("log")));
        assertEquals(O_WRONLY | O_APPEND, t.fcntl(fd, F_GETFL, 0));
    }

    @Test
    void truncOnOpenEmptiesTheFile() throws Exception {
        Files.writeString(dir.resolve("t"), "old contents");
        int fd = t.openat(AT_FDCWD, "/t", O_WRONLY | O_TRUNC, 0);
        assertTrue(fd >= 0);
        assertEquals(0, Files.size(dir.resolve("t")));
    }

    @Test
    void createExclusiveOnExistingFileIsEexist() throws Exception {
        Files.writeString(dir.resolve("x"), "");
        assertEquals(-Errno.EEXIST, t.openat(AT_FDCWD, "/x", O_WRONLY | O_CREAT | O_EXCL, 0644));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
        assertEquals(-Errno.EEXIST, t.openat(AT_FDCWD, "/dangling", O_WRONLY | O_CREAT | O_EXCL, 0644),
                "O_EXCL does not follow a last-component link");
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }

    @Test
    void createThroughDanglingLinkCreatesTheTarget() throws Exception {
        Files.createSymbolicLink(dir.resolve("dl"), Path.of("made"));
        int fd = t.openat(AT_FDCWD, "/dl", O_WRONLY | O_CREAT, 0644);
        assertTrue(fd >= 0);
        assertTrue(Files.isRegularFile(dir.resolve("made")));
    }

    @Test
    void missingFileIsEnoentAndMissingDirectoryOnTheWayToo() {
        assertEquals(-Errno.ENOENT, t.openat(AT_FDCWD, "/absent", O_RDONLY, 0));
        assertEquals(-Errno.ENOENT, t.openat(AT_FDCWD, "/absent/x", O_RDWR | O_CREAT, 0644));
        assertEquals(-Errno.ENOENT, t.openat(AT_FDCWD, "", O_RDONLY, 0));
    }

    @Test
    void regularFileUsedAsDirectoryIsEnotdir() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        assertEquals(-Errno.ENOTDIR, t.openat(AT_FDCWD, "/plain/x", O_RDONLY, 0));
        assertEquals(-Errno.ENOTDIR, t.openat(AT_FDCWD, "/plain/", O_RDONLY, 0));
        assertEquals(-Errno.ENOTDIR, t.openat(AT_FDCWD, "/plain", O_RDONLY | O_DIRECTORY, 0));
        int fd = t.openat(AT_FDCWD, "/plain", O_RDONLY, 0);
        assertEquals(-Errno.ENOTDIR, t.openat(fd, "x", O_RDONLY, 0), "a dirfd must be a directory");
        assertEquals(-Errno.EBADF, t.openat(77, "x", O_RDONLY, 0));
    }

    @Test
    void directoryOpenedForWritingOrReadIsEisdir() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        assertEquals(-Errno.EISDIR, t.openat(AT_FDCWD, "/d", O_WRONLY, 0));
        assertEquals(-Errno.EISDIR, t.openat(AT_FDCWD, "/d", O_RDWR | O_CREAT, 0644));
        assertEquals(-Errno.EISDIR, t.openat(AT_FDCWD, "/newdir/", O_RDWR | O_CREAT, 0644));
        int fd = t.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
        assertTrue(fd >= 0);
        assertEquals(-Errno.EISDIR, t.read(fd, new byte[8], 0, 8));
    }

    @Test
    void accessModeIsEnforcedPerDescriptor() throws Exception {
        Files.writeString(dir.resolve("ro"), "data");
        int fd = t.openat(AT_FDCWD, "/ro", O_RDONLY, 0);
        assertEquals(-Errno.EBADF, t.write(fd, bytes("x"), 0, 1));
        int wfd = t.openat(AT_FDCWD, "/ro", O_WRONLY, 0);
        assertEquals(-Errno.EBADF, t.read(wfd, new byte[4], 0, 4));
        assertEquals(-Errno.EBADF, t.read(99, new byte[4], 0, 4));
        assertEquals(-Errno.EBADF, t.close(99));
        assertEquals(0, t.close(fd));
        assertEquals(-Errno.EBADF, t.close(fd), "double close");
    }

    @Test
    void oPathDescriptorServesAsDirfdButCannotRead() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/in"), "inside");
        int dfd = t.openat(AT_FDCWD, "/sub", O_PATH | O_DIRECTORY, 0);
        assertTrue(dfd >= 0);
        assertEquals("inside", readAll(t, dfd, "in"));
        assertEquals(-Errno.EBADF, t.read(dfd, new byte[4], 0, 4));
        assertEquals(O_PATH, t.fcntl(dfd, F_GETFL, 0));
    }

    @Test
    void stdoutAndStderrWritesReachTheirStreams() {
        assertEquals(3, t.write(1, bytes("out"), 0, 3));
        assertEquals(3, t.write(2, bytes("err"), 0, 3));
        assertEquals("out", streams.out.toString(StandardCharsets.UTF_8));
        assertEquals("err", streams.err.toString(StandardCharsets.UTF_8));
        assertEquals(-Errno.EBADF, t.write(0, bytes("x"), 0, 1));
        assertEquals(-Errno.ESPIPE, t.lseek(1, 0, SEEK_CUR));
    }

    @Test
    void stdinReadsReturnTheStreamThenEof() {
        byte[] buf = new byte[100];
        long total = 0;
        long n;
        while (true) {
            n = t.read(0, buf, (int) total, buf.length - (int) total);
            if (n == -Errno.EAGAIN) {
                // Nothing has arrived from the host yet: a kernel would put the reader to sleep on this.
                ((HostInput) t.file(0).sleepChannel()).await(10_000_000_000L);
                continue;
            }
            if (n <= 0) {
                break;
            }
            total += n;
        }
        assertEquals(0, n);
        assertEquals("line one\nline two\n", text(buf, total));
    }

    @Test
    void capturedStdStreamsAreFifosAndNotTerminals() {
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.fstat(1, st));
        assertEquals(FileMode.S_IFIFO | 0600, le(st).getInt(16));
        assertEquals(-Errno.ENOTTY, t.ioctl(1, Terminal.TCGETS, new byte[Terminal.TERMIOS_SIZE]));
        assertEquals(-Errno.ENOTTY, t.ioctl(0, Terminal.TIOCGWINSZ, new byte[Terminal.WINSIZE_SIZE]));
        assertEquals(-Errno.EBADF, t.ioctl(50, Terminal.TCGETS, new byte[Terminal.TERMIOS_SIZE]));
    }

    @Test
    void dupSharesTheOffsetAndTakesTheLowestFreeNumber() throws Exception {
        Files.writeString(dir.resolve("shared"), "abcdef");
        int fd = t.openat(AT_FDCWD, "/shared", O_RDONLY, 0);
        assertEquals(0, t.close(0));
        int copy = t.dup(fd);
        assertEquals(0, copy, "lowest free descriptor");
        byte[] buf = new byte[3];
        t.read(fd, buf, 0, 3);
        assertEquals(3, t.read(copy, buf, 0, 3));
        assertEquals("def", text(buf, 3), "dup'ed descriptors share one offset");
        assertEquals(0, t.close(fd));
        assertEquals(0, t.lseek(copy, 0, SEEK_SET), "the description stays open through the copy");
        assertEquals(3, t.read(copy, buf, 0, 3));
    }

    @Test
    void dup3ReplacesTheTargetAndSetsCloseOnExec() throws Exception {
        Files.writeString(dir.resolve("a"), "A");
        int fd = t.openat(AT_FDCWD, "/a", O_RDONLY, 0);
        assertEquals(1, t.dup3(fd, 1, O_CLOEXEC));
        assertEquals(FD_CLOEXEC, t.fcntl(1, F_GETFD, 0));
        assertEquals(-Errno.EINVAL, t.dup3(fd, fd, 0));
        assertEquals(-Errno.EINVAL, t.dup3(fd, 5, 1));
        assertEquals(-Errno.EBADF, t.dup3(fd, FileTable.DEFAULT_NOFILE, 0));
        assertEquals(1, t.read(1, new byte[1], 0, 1));
    }

    @Test
    void fcntlDupfdHonoursTheMinimumAndFlagsRoundTrip() throws Exception {
        Files.writeString(dir.resolve("f"), "");
        int fd = t.openat(AT_FDCWD, "/f", O_RDWR | O_CLOEXEC, 0);
        assertEquals(FD_CLOEXEC, t.fcntl(fd, F_GETFD, 0));
        assertEquals(10, t.fcntl(fd, F_DUPFD, 10));
        assertEquals(0, t.fcntl(10, F_GETFD, 0), "F_DUPFD clears close-on-exec");
        assertEquals(11, t.fcntl(fd, F_DUPFD_CLOEXEC, 10));
        assertEquals(FD_CLOEXEC, t.fcntl(11, F_GETFD, 0));
        assertEquals(0, t.fcntl(fd, F_SETFD, 0));
        assertEquals(0, t.fcntl(fd, F_GETFD, 0));
        assertEquals(0, t.fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY));
        assertEquals(O_RDWR | O_APPEND | O_NONBLOCK, t.fcntl(10, F_GETFL, 0),
                "status flags belong to the description, access mode does not change");
        assertEquals(-Errno.EINVAL, t.fcntl(fd, 12345, 0));
    }

    @Test
    void descriptorsRunOutWithEmfile() throws Exception {
        Files.writeString(dir.resolve("many"), "");
        int last = 0;
        for (int i = 3; i < FileTable.DEFAULT_NOFILE; i++) {
            last = t.openat(AT_FDCWD, "/many", O_RDONLY, 0);
            assertEquals(i, last);
        }
        assertEquals(-Errno.EMFILE, t.openat(AT_FDCWD, "/many", O_RDONLY, 0));
        assertEquals(-Errno.EMFILE, t.dup(3));
        t.close(500);
        assertEquals(500, t.openat(AT_FDCWD, "/many", O_RDONLY, 0));
        t.closeAll();
        assertNull(t.file(3));
    }

    @Test
    void closeOnExecDescriptorsAreGoneAfterExec() throws Exception {
        Files.writeString(dir.resolve("keep"), "");
        int kept = t.openat(AT_FDCWD, "/keep", O_RDONLY, 0);
        int dropped = t.openat(AT_FDCWD, "/keep", O_RDONLY | O_CLOEXEC, 0);
        FileTable after = t.copyForExec("/new");
        assertNotNull(after.file(kept));
        assertNull(after.file(dropped));
        assertNotNull(t.file(dropped), "the old table is unchanged");
    }

    @Test
    void forkedTableSharesDescriptionsButNotTheCwd() throws Exception {
        Files.createDirectory(dir.resolve("w"));
        Files.writeString(dir.resolve("w/data"), "xyz");
        int fd = t.openat(AT_FDCWD, "/w/data", O_RDONLY, 0);
        FileTable child = t.copyForFork();
        child.read(fd, new byte[1], 0, 1);
        assertEquals(1, t.lseek(fd, 0, SEEK_CUR));
        assertEquals(0, child.chdir("/w"));
        assertEquals("/w", child.getcwd());
        assertEquals("/", t.getcwd());
        child.closeAll();
        assertEquals(1, t.read(fd, new byte[1], 0, 1), "parent's descriptor survives the child's exit");
    }

    @Test
    void mkdiratAndUnlinkatFollowLinuxErrors() throws Exception {
        assertEquals(0, t.mkdirat(AT_FDCWD, "/nd", 0755));
        assertTrue(Files.isDirectory(dir.resolve("nd")));
        assertEquals(-Errno.EEXIST, t.mkdirat(AT_FDCWD, "/nd", 0755));
        Files.writeString(dir.resolve("nd/f"), "");
        assertEquals(-Errno.EISDIR, t.unlinkat(AT_FDCWD, "/nd", 0));
        assertEquals(-Errno.ENOTEMPTY, t.unlinkat(AT_FDCWD, "/nd", AT_REMOVEDIR));
        assertEquals(-Errno.ENOTDIR, t.unlinkat(AT_FDCWD, "/nd/f", AT_REMOVEDIR));
        assertEquals(0, t.unlinkat(AT_FDCWD, "/nd/f", 0));
        assertEquals(0, t.unlinkat(AT_FDCWD, "/nd", AT_REMOVEDIR));
        assertFalse(Files.exists(dir.resolve("nd")));
        assertEquals(-Errno.ENOENT, t.unlinkat(AT_FDCWD, "/nd", 0));
        assertEquals(-Errno.EBUSY, t.unlinkat(AT_FDCWD, "/", AT_REMOVEDIR));
    }

    @Test
    void fstatStillAnswersAfterTheNameIsUnlinked() throws Exception {
        int fd = t.openat(AT_FDCWD, "/gone", O_RDWR | O_CREAT, 0600);
        t.write(fd, bytes("12345"), 0, 5);
        assertEquals(0, t.unlinkat(AT_FDCWD, "/gone", 0));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.fstat(fd, st));
        assertEquals(5, le(st).getLong(48));
        byte[] buf = new byte[5];
        assertEquals(5, t.pread(fd, buf, 0, 5, 0), "data readable through the open descriptor");
    }

    @Test
    void faccessatChecksExistenceAndPermissions() throws Exception {
        Files.writeString(dir.resolve("r"), "");
        Files.setPosixFilePermissions(dir.resolve("r"), FileSystem.permissions(0444));
        assertEquals(0, t.faccessat(AT_FDCWD, "/r", F_OK, 0));
        assertEquals(0, t.faccessat(AT_FDCWD, "/r", R_OK, 0));
        assertEquals(-Errno.EACCES, t.faccessat(AT_FDCWD, "/r", X_OK, 0));
        assertEquals(-Errno.ENOENT, t.faccessat(AT_FDCWD, "/nope", F_OK, 0));
        assertEquals(-Errno.EINVAL, t.faccessat(AT_FDCWD, "/r", 8, 0));
    }

    @Test
    void fileAccessorReadsAtAPositionForPageFaults() throws Exception {
        Files.writeString(dir.resolve("img"), "ELF-bytes");
        int fd = t.openat(AT_FDCWD, "/img", O_RDONLY, 0);
        OpenFile f = t.file(fd);
        assertTrue(f.isRegularFile());
        assertTrue(f.readable());
        assertFalse(f.writable());
        assertEquals("/img", f.guestPath());
        assertEquals(9, f.size());
        byte[] page = new byte[16];
        assertEquals(5, f.readAt(4, page, 0, 16));
        assertEquals("bytes", text(page, 5));
        assertEquals(0, f.readAt(100, page, 0, 16), "0 past the end");
        assertEquals(0, t.lseek(fd, 0, SEEK_CUR), "readAt does not move the offset");
        f.retain();
        t.close(fd);
        assertEquals(3, f.readAt(0, page, 0, 3), "a retained file outlives its descriptor");
        f.release();
        assertNull(t.file(1000));
        assertNull(t.file(-1));
    }
}
