package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statfs(2) and fstatfs(2): the 120-byte arm64 struct statfs for host files, /proc and pipes. */
class StatFsTest {
    @TempDir Path base;

    private static long field(byte[] st, int offset) {
        return ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    private FileTable table(boolean readOnly) throws Exception {
        Path root = Files.createDirectories(base.resolve("root/dir"));
        Files.writeString(root.resolve("file"), "data");
        FileSystem fs = new FileSystem(base.resolve("root"), "/dir");
        if (readOnly) fs.setReadOnly();
        return FsTestSupport.table(fs, new Streams(""), "/bin/prog");
    }

    @Test
    void aHostFileReportsItsFileSystemsBlocksNameLengthAndValidFlags() throws Exception {
        FileTable t = table(false);
        byte[] st = new byte[StatFs.SIZE];
        assertEquals(0, t.statfs("file", st));
        assertTrue(field(st, 8) >= 512, "f_bsize");
        assertTrue(field(st, 16) > 0, "f_blocks");
        assertEquals(255, field(st, 64), "f_namelen");
        assertEquals(field(st, 8), field(st, 72), "f_frsize is f_bsize");
        assertEquals(StatFs.ST_VALID, field(st, 80) & (StatFs.ST_VALID | StatFs.ST_RDONLY), "f_flags");

        byte[] viaFd = new byte[StatFs.SIZE];
        int fd = t.openat(AT_FDCWD, "file", O_RDONLY, 0);
        assertEquals(0, t.fstatfs(fd, viaFd));
        assertEquals(field(st, 0), field(viaFd, 0), "the same f_type through the descriptor");
    }

    @Test
    void underReadOnlyTheHostFilesAreOnARdonlyMount() throws Exception {
        FileTable t = table(true);
        byte[] st = new byte[StatFs.SIZE];
        assertEquals(0, t.statfs("/dir/file", st));
        assertEquals(StatFs.ST_RDONLY, field(st, 80) & StatFs.ST_RDONLY);
        int fd = t.openat(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, t.fstatfs(fd, st));
        assertEquals(StatFs.ST_RDONLY, field(st, 80) & StatFs.ST_RDONLY);
    }

    @Test
    void missingPathsAndClosedDescriptorsAreRefused() throws Exception {
        FileTable t = table(false);
        byte[] st = new byte[StatFs.SIZE];
        assertEquals(-Errno.ENOENT, t.statfs("/no/such", st));
        assertEquals(-Errno.ENOENT, t.statfs("missing", st));
        assertEquals(-Errno.EBADF, t.fstatfs(77, st));
    }

    @Test
    void pipesAreOnPipefsAndProcIsProc() throws Exception {
        FileTable t = table(false);
        int[] fds = t.installPipe(new Pipe(0, p -> { }), false);
        byte[] st = new byte[StatFs.SIZE];
        assertEquals(0, t.fstatfs(fds[0], st));
        assertEquals(StatFs.PIPEFS_MAGIC, field(st, 0));
        assertEquals(StatFs.PROC_SUPER_MAGIC, StatFs.ofSynthetic("proc").type());
        assertEquals(StatFs.SYSFS_MAGIC, StatFs.ofSynthetic("sys").type());
    }
}
