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

/** sendfile, copy_file_range, splice and tee; fallocate and the fsync family. */
class SpliceAndSyncTest {
    @TempDir Path dir;
    FileTable t;
    int src;
    int[] pipe;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("src"), "0123456789abcdef");
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        src = t.openat(AT_FDCWD, "/src", O_RDWR, 0);
        pipe = t.installPipe(new Pipe(0, p -> {}), false);
    }

    private int create(String name) {
        return t.openat(AT_FDCWD, name, O_RDWR | O_CREAT, 0644);
    }

    private String readPipe() {
        byte[] b = new byte[256];
        long n = t.read(pipe[0], b, 0, b.length);
        return n < 0 ? "errno " + -n : text(b, n);
    }

    @Test
    void sendfileWithAnOffsetLeavesTheFileOffsetAlone() throws Exception {
        int dst = create("/dst");
        long[] off = {4};
        assertEquals(6, Splice.sendfile(t, dst, src, off, 6, new Splice.Wait()));
        assertEquals(10, off[0]);
        assertEquals(0, t.lseek(src, 0, SEEK_CUR));
        assertEquals(3, Splice.sendfile(t, dst, src, null, 3, new Splice.Wait()));
        assertEquals(3, t.lseek(src, 0, SEEK_CUR));
        assertEquals("456789012", Files.readString(dir.resolve("dst")));
    }

    @Test
    void sendfileIntoAPipeMovesWhatFitsAndRefusesAPipeAsInput() {
        assertEquals(16, Splice.sendfile(t, pipe[1], src, null, 100, new Splice.Wait()));
        assertEquals("0123456789abcdef", readPipe());
        int dst = create("/dst");
        assertEquals(-Errno.EINVAL, Splice.sendfile(t, dst, pipe[0], null, 1, new Splice.Wait()));
        assertEquals(-Errno.ESPIPE, Splice.sendfile(t, dst, pipe[0], new long[] {0}, 1, new Splice.Wait()));
        assertEquals(-Errno.EBADF, Splice.sendfile(t, dst, 99, null, 1, new Splice.Wait()));
        int app = t.openat(AT_FDCWD, "/dst", O_WRONLY | O_APPEND, 0);
        assertEquals(-Errno.EINVAL, Splice.sendfile(t, app, src, new long[] {0}, 1, new Splice.Wait()));
    }

    @Test
    void aFullPipeAsksTheCallerToSleepOnItUnlessNonblocking() {
        byte[] fill = new byte[Pipe.CAPACITY];
        assertEquals(Pipe.CAPACITY, t.write(pipe[1], fill, 0, fill.length));
        Splice.Wait w = new Splice.Wait();
        assertEquals(-Errno.EAGAIN, Splice.sendfile(t, pipe[1], src, null, 4, w));
        assertSame(Pipe.of(t.file(pipe[1])), w.on);
        Splice.Wait nb = new Splice.Wait();
        assertEquals(-Errno.EAGAIN, Splice.splice(t, src, null, pipe[1], null, 4, Splice.SPLICE_F_NONBLOCK, nb));
        assertNull(nb.on);
    }

    @Test
    void copyFileRangeCopiesWithinOneFileSystemAndNotAcrossOrOverlapping() throws Exception {
        int cp = create("/copy");
        long[] in = {10};
        long[] out = {0};
        assertEquals(4, Splice.copyFileRange(t, src, in, cp, out, 4, 0));
        assertArrayEquals(new long[] {14}, in);
        assertEquals("abcd", Files.readString(dir.resolve("copy")));
        assertEquals(-Errno.EINVAL, Splice.copyFileRange(t, src, null, cp, null, 2, 1));
        assertEquals(-Errno.EINVAL, Splice.copyFileRange(t, src, new long[] {0}, src, new long[] {2}, 4, 0));
        assertEquals(0, Splice.copyFileRange(t, src, new long[] {100}, cp, null, 4, 0));
        int mem = t.installNew(MemFd.create("m", false, 0, 0), false);
        assertEquals(-Errno.EXDEV, Splice.copyFileRange(t, src, null, mem, null, 4, 0));
        assertEquals(-Errno.EINVAL, Splice.copyFileRange(t, pipe[0], null, cp, null, 4, 0));
        int d = t.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(-Errno.EISDIR, Splice.copyFileRange(t, d, null, cp, null, 4, 0));
    }

    @Test
    void spliceAndTeeMoveAndCopyBetweenPipesAndFiles() throws Exception {
        long[] off = {2};
        assertEquals(5, Splice.splice(t, src, off, pipe[1], null, 5, 0, new Splice.Wait()));
        assertEquals(7, off[0]);
        int[] q = t.installPipe(new Pipe(0, p -> {}), false);
        assertEquals(5, Splice.tee(t, pipe[0], q[1], 100, 0, new Splice.Wait()));
        assertEquals(3, Splice.splice(t, pipe[0], null, q[1], null, 3, 0, new Splice.Wait()));
        int sp = create("/spliced");
        assertEquals(2, Splice.splice(t, pipe[0], null, sp, new long[] {0}, 10, 0, new Splice.Wait()));
        assertEquals("56", Files.readString(dir.resolve("spliced")));
        byte[] b = new byte[16];
        assertEquals(8, t.read(q[0], b, 0, 16));
        assertEquals("23456234", text(b, 8), "tee copied without consuming, splice then moved");
    }

    @Test
    void spliceAndTeeAnswerLinuxErrors() {
        int sp = create("/sp");
        Splice.Wait w = new Splice.Wait();
        assertEquals(-Errno.EINVAL, Splice.splice(t, src, null, sp, null, 10, 0, w), "neither end a pipe");
        assertEquals(-Errno.ESPIPE, Splice.splice(t, pipe[0], new long[] {0}, sp, null, 10, 0, w));
        assertEquals(-Errno.EINVAL, Splice.splice(t, pipe[0], null, pipe[1], null, 10, 0, w));
        assertEquals(-Errno.EINVAL, Splice.splice(t, pipe[0], null, sp, null, 10, 0x100, w));
        assertEquals(0, Splice.splice(t, src, null, sp, null, 0, 0, w));
        assertEquals(-Errno.EINVAL, Splice.tee(t, src, pipe[1], 10, 0, w));
        assertEquals(-Errno.EINVAL, Splice.tee(t, pipe[0], pipe[1], 10, 0, w));
        assertEquals(-Errno.EAGAIN, Splice.splice(t, pipe[0], null, sp, null, 10, 0, w));
        assertSame(Pipe.of(t.file(pipe[0])), w.on, "an empty pipe with a writer: sleep on it");
        t.close(pipe[1]);
        assertEquals(0, Splice.splice(t, pipe[0], null, sp, null, 10, 0, new Splice.Wait()), "no writer: end of file");
    }

    @Test
    void fallocateGrowsKeepsSizeOrPunchesAsTmpfs() throws Exception {
        assertEquals(0, FileSpace.fallocate(t, src, 0, 0, 8192));
        assertEquals(8192, Files.size(dir.resolve("src")));
        assertEquals(0, FileSpace.fallocate(t, src, FileSpace.FALLOC_FL_KEEP_SIZE, 8192, 4096));
        assertEquals(8192, Files.size(dir.resolve("src")));
        assertEquals(0, FileSpace.fallocate(t, src, FileSpace.FALLOC_FL_PUNCH_HOLE | FileSpace.FALLOC_FL_KEEP_SIZE, 2, 3));
        assertEquals("01\0\0\0" + "567", Files.readString(dir.resolve("src")).substring(0, 8));
        assertEquals(-Errno.ENOTSUP, FileSpace.fallocate(t, src, FileSpace.FALLOC_FL_PUNCH_HOLE, 0, 1));
        assertEquals(-Errno.ENOTSUP, FileSpace.fallocate(t, src, 0x100, 0, 1));
        assertEquals(-Errno.EINVAL, FileSpace.fallocate(t, src, 0, 0, 0));
        assertEquals(-Errno.EINVAL, FileSpace.fallocate(t, src, 0, -1, 1));
        assertEquals(-Errno.EINVAL, FileSpace.fallocate(t, src,
                FileSpace.FALLOC_FL_COLLAPSE_RANGE | FileSpace.FALLOC_FL_KEEP_SIZE, 0, 4096));
        assertEquals(-Errno.ENOTSUP, FileSpace.fallocate(t, src, FileSpace.FALLOC_FL_ZERO_RANGE, 0, 1),
                "a mode tmpfs lacks");
        assertEquals(-Errno.EBADF, FileSpace.fallocate(t, 99, 0, 0, 1));
        assertEquals(-Errno.EBADF, FileSpace.fallocate(t, t.openat(AT_FDCWD, "/src", O_RDONLY, 0), 0, 0, 1));
        assertEquals(-Errno.ESPIPE, FileSpace.fallocate(t, pipe[1], 0, 0, 1));
        assertEquals(-Errno.EBADF, FileSpace.fallocate(t, pipe[0], 0, 0, 1), "the read end is not writable");
    }

    @Test
    void theFsyncFamilyAnswersPerKindOfFile() {
        int d = t.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, FileSync.fsync(t, src, false));
        assertEquals(0, FileSync.fsync(t, src, true));
        assertEquals(0, FileSync.fsync(t, d, false));
        assertEquals(-Errno.EINVAL, FileSync.fsync(t, pipe[0], false));
        assertEquals(-Errno.EBADF, FileSync.fsync(t, 99, false));
        assertEquals(0, FileSync.syncfs(t, pipe[0]));
        assertEquals(-Errno.EBADF, FileSync.syncfs(t, 99));
        assertEquals(0, FileSync.syncFileRange(t, src, 0, 0, FileSync.SYNC_FILE_RANGE_WRITE));
        assertEquals(-Errno.EINVAL, FileSync.syncFileRange(t, src, 0, 0, 8));
        assertEquals(-Errno.EINVAL, FileSync.syncFileRange(t, src, -1, 0, 0));
        assertEquals(-Errno.EINVAL, FileSync.syncFileRange(t, src, Long.MAX_VALUE, 10, 0));
        assertEquals(-Errno.ESPIPE, FileSync.syncFileRange(t, pipe[0], 0, 0, 0));
        assertEquals(-Errno.EBADF, FileSync.syncFileRange(t, 99, 0, 0, 8), "the descriptor is checked first");
    }
}
