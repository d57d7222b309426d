package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statx(2)'s struct and flags, and utimensat(2)'s times as stat then reports them. */
class StatxAndTimestampsTest {
    @TempDir Path dir;
    FileTable t;

    @BeforeEach
    void setUp() throws Exception {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        Files.writeString(dir.resolve("file"), "hello, statx\n");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
    }

    private ByteBuffer statx(int dirfd, String path, int flags) {
        byte[] out = new byte[Statx.SIZE];
        int r = t.statx(dirfd, path, flags, Statx.STATX_BASIC_STATS, out);
        assertEquals(0, r, "statx " + path);
        return le(out);
    }

    @Test
    void statxLaysOutTheStructAsIncludeUapiLinuxStatH() {
        KernelStat st = new KernelStat((8L << 8) | 3, 77, FileMode.S_IFREG | 0640, 2, 1000, 1001, (136L << 8) | 5, 13,
                4096, 8, 100, 1, 200, 2, 300, 3);
        byte[] out = new byte[Statx.SIZE];
        java.util.Arrays.fill(out, (byte) 0x55);
        Statx.encode(st, false, out);
        ByteBuffer b = le(out);
        assertEquals(Statx.STATX_BASIC_STATS, b.getInt(0));
        assertEquals(4096, b.getInt(4));
        assertEquals(0, b.getLong(8), "stx_attributes");
        assertEquals(2, b.getInt(16));
        assertEquals(1000, b.getInt(20));
        assertEquals(1001, b.getInt(24));
        assertEquals((short) (FileMode.S_IFREG | 0640), b.getShort(28));
        assertEquals(77, b.getLong(32));
        assertEquals(13, b.getLong(40));
        assertEquals(8, b.getLong(48));
        assertEquals(Statx.STATX_ATTR_MOUNT_ROOT, b.getLong(56), "stx_attributes_mask");
        assertEquals(100, b.getLong(64));
        assertEquals(1, b.getInt(72));
        assertEquals(0, b.getLong(80), "no birth time");
        assertEquals(300, b.getLong(96), "ctime");
        assertEquals(200, b.getLong(112), "mtime");
        assertEquals(2, b.getInt(120));
        assertEquals(136, b.getInt(128));
        assertEquals(5, b.getInt(132));
        assertEquals(8, b.getInt(136));
        assertEquals(3, b.getInt(140));
        for (int i = 144; i < Statx.SIZE; i++) assertEquals(0, out[i], "spare byte " + i);
    }

    @Test
    void statxAgreesWithNewfstatatAndFollowsLinksUnlessAsked() {
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, "/file", st, 0));
        ByteBuffer x = statx(AT_FDCWD, "/link", 0);
        assertEquals(le(st).getLong(8), x.getLong(32), "inode of the target");
        assertEquals(13, x.getLong(40));
        ByteBuffer l = statx(AT_FDCWD, "/link", AT_SYMLINK_NOFOLLOW);
        assertEquals(FileMode.S_IFLNK, l.getShort(28) & FileMode.S_IFMT);
        assertEquals(4, l.getLong(40), "a link's size is its target's length");
    }

    @Test
    void statxEmptyPathNeedsAtEmptyPathAndThenStatsTheDescriptor() {
        int fd = t.openat(AT_FDCWD, "/file", O_RDONLY, 0);
        byte[] out = new byte[Statx.SIZE];
        assertEquals(-Errno.ENOENT, t.statx(fd, "", 0, Statx.STATX_BASIC_STATS, out));
        assertEquals(13, statx(fd, "", AT_EMPTY_PATH).getLong(40));
        int path = t.openat(AT_FDCWD, "/link", O_PATH | O_NOFOLLOW, 0);
        assertEquals(FileMode.S_IFLNK, statx(path, "", AT_EMPTY_PATH).getShort(28) & FileMode.S_IFMT);
        assertEquals(-Errno.EBADF, t.statx(99, "", AT_EMPTY_PATH, Statx.STATX_BASIC_STATS, out));
    }

    @Test
    void statxSyncTypesAreAcceptedAloneAndRefusedTogether() {
        byte[] out = new byte[Statx.SIZE];
        assertEquals(0, t.statx(AT_FDCWD, "/file", Statx.AT_STATX_FORCE_SYNC, Statx.STATX_BASIC_STATS, out));
        assertEquals(0, t.statx(AT_FDCWD, "/file", Statx.AT_STATX_DONT_SYNC, Statx.STATX_BASIC_STATS, out));
        assertEquals(-Errno.EINVAL, t.statx(AT_FDCWD, "/file", Statx.AT_STATX_SYNC_TYPE, Statx.STATX_BASIC_STATS, out));
        assertEquals(-Errno.EINVAL, t.statx(AT_FDCWD, "/file", 0x80000, Statx.STATX_BASIC_STATS, out));
        assertEquals(-Errno.EINVAL, t.statx(AT_FDCWD, "/file", 0, Statx.STATX_RESERVED, out));
    }

    @Test
    void statxMarksTheGuestRootAsAMountRoot() {
        assertEquals(Statx.STATX_ATTR_MOUNT_ROOT, statx(AT_FDCWD, "/", 0).getLong(8));
        assertEquals(0, statx(AT_FDCWD, "/file", 0).getLong(8));
    }

    private static long[] times(long as, long an, long ms, long mn) {
        return new long[] {as, an, ms, mn};
    }

    private FileTime mtime(String name, LinkOption... o) throws Exception {
        return Files.getLastModifiedTime(dir.resolve(name), o);
    }

    @Test
    void utimensatSetsExplicitTimesToTheNanosecond() throws Exception {
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/file", times(1_000_000_000, 500_000_000, 1_234_567_890, 123_456_789), 0));
        assertEquals(Instant.ofEpochSecond(1_234_567_890, 123_456_789), mtime("file").toInstant());
        assertEquals(Instant.ofEpochSecond(1_000_000_000, 500_000_000),
                ((FileTime) Files.getAttribute(dir.resolve("file"), "lastAccessTime")).toInstant());
    }

    @Test
    void utimeOmitLeavesATimeAndBothOmittedChecksNothing() throws Exception {
        Timestamps.utimensat(t, AT_FDCWD, "/file", times(10, 0, 20, 0), 0);
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/file", times(0, Timestamps.UTIME_OMIT, 30, 0), 0));
        assertEquals(30, mtime("file").toInstant().getEpochSecond());
        assertEquals(10, ((FileTime) Files.getAttribute(dir.resolve("file"), "lastAccessTime")).toInstant().getEpochSecond());
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/missing",
                times(0, Timestamps.UTIME_OMIT, 0, Timestamps.UTIME_OMIT), 0), "not even the path is looked up");
    }

    @Test
    void utimeNowAndNullTimesSetTheCurrentTime() throws Exception {
        Timestamps.utimensat(t, AT_FDCWD, "/file", times(10, 0, 20, 0), 0);
        long before = Instant.now().getEpochSecond();
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/file", times(5, 0, 0, Timestamps.UTIME_NOW), 0));
        assertTrue(mtime("file").toInstant().getEpochSecond() >= before);
        Timestamps.utimensat(t, AT_FDCWD, "/file", times(10, 0, 20, 0), 0);
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/file", null, 0));
        assertTrue(mtime("file").toInstant().getEpochSecond() >= before);
    }

    @Test
    void utimensatNofollowChangesTheLinkNotItsTarget() throws Exception {
        Timestamps.utimensat(t, AT_FDCWD, "/file", times(10, 0, 20, 0), 0);
        assertEquals(0, Timestamps.utimensat(t, AT_FDCWD, "/link", times(300, 0, 400, 0), AT_SYMLINK_NOFOLLOW));
        assertEquals(400, mtime("link", LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond());
        assertEquals(20, mtime("file").toInstant().getEpochSecond());
    }

    @Test
    void utimensatWithANullPathActsOnTheDescriptor() throws Exception {
        int fd = t.openat(AT_FDCWD, "/file", O_RDWR, 0);
        assertEquals(0, Timestamps.utimensat(t, fd, null, times(111, 1, 222, 2), 0));
        assertEquals(Instant.ofEpochSecond(222, 2), mtime("file").toInstant());
        assertEquals(-Errno.EINVAL, Timestamps.utimensat(t, fd, null, times(1, 0, 2, 0), AT_SYMLINK_NOFOLLOW));
        assertEquals(-Errno.EBADF, Timestamps.utimensat(t, 99, null, times(1, 0, 2, 0), 0));
        assertEquals(-Errno.EFAULT, Timestamps.utimensat(t, AT_FDCWD, null, times(1, 0, 2, 0), 0));
        int path = t.openat(AT_FDCWD, "/file", O_PATH, 0);
        assertEquals(-Errno.EBADF, Timestamps.utimensat(t, path, null, times(1, 0, 2, 0), 0), "fdget refuses O_PATH");
        assertEquals(0, Timestamps.utimensat(t, path, "", times(1, 0, 2, 0), AT_EMPTY_PATH));
        assertEquals(2, mtime("file").toInstant().getEpochSecond());
    }

    @Test
    void utimensatRefusesBadNanosecondsAndFlags() {
        assertEquals(-Errno.EINVAL, Timestamps.utimensat(t, AT_FDCWD, "/file", times(0, 1_000_000_000, 0, 0), 0));
        assertEquals(-Errno.EINVAL, Timestamps.utimensat(t, AT_FDCWD, "/file", times(0, -1, 0, 0), 0));
        assertEquals(-Errno.EINVAL, Timestamps.utimensat(t, AT_FDCWD, "/file", times(0, 0, 0, 0), 0x4));
        assertEquals(-Errno.ENOENT, Timestamps.utimensat(t, AT_FDCWD, "/missing", times(0, 0, 0, 0), 0));
        assertEquals(-Errno.ENOENT, Timestamps.utimensat(t, AT_FDCWD, "", times(0, 0, 0, 0), 0));
    }
}
