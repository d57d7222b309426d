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
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelStatLayoutTest {
    @TempDir Path dir;
    FileTable t;

    @BeforeEach
    void setUp() {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
    }

    @Test
    void fstatPlacesEveryFieldAtTheArm64Offset() throws Exception {
        Path p = dir.resolve("f");
        Files.write(p, new byte[5000]);
        Files.setPosixFilePermissions(p, FileSystem.permissions(0640));
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
        Map<String, Object> host = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);

        int fd = t.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        byte[] st = new byte[KernelStat.SIZE];
        Arrays.fill(st, (byte) 0x5a); // padding must be written as zero
        assertEquals(0, t.fstat(fd, st));
        ByteBuffer b = le(st);
        assertEquals((long) (Long) host.get("dev"), b.getLong(0), "st_dev");
        assertEquals((long) (Long) host.get("ino"), b.getLong(8), "st_ino");
        assertEquals(FileMode.S_IFREG | 0640, b.getInt(16), "st_mode");
        assertEquals(1, b.getInt(20), "st_nlink");
        assertEquals((int) (Integer) host.get("uid"), b.getInt(24), "st_uid");
        assertEquals((int) (Integer) host.get("gid"), b.getInt(28), "st_gid");
        assertEquals(0, b.getLong(32), "st_rdev");
        assertEquals(0, b.getLong(40), "__pad1");
        assertEquals(5000, b.getLong(48), "st_size");
        assertEquals(4096, b.getInt(56), "st_blksize");
        assertEquals(0, b.getInt(60), "__pad2");
        assertEquals(16, b.getLong(64), "st_blocks: two 4 KiB blocks in 512-byte units");
        assertEquals(1_600_000_000L, b.getLong(88), "st_mtime");
        assertEquals(123_456_789L, b.getLong(96), "st_mtime_nsec");
        assertTrue(b.getLong(72) > 0, "st_atime");
        assertTrue(b.getLong(104) > 0, "st_ctime");
        assertEquals(0, b.getLong(120), "__unused4/5");
    }

    @Test
    void newfstatatFollowsLinksUnlessAskedNotTo() throws Exception {
        Files.writeString(dir.resolve("target"), "12345");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, "/link", st, 0));
        assertEquals(FileMode.S_IFREG, FileMode.type(le(st).getInt(16)));
        assertEquals(5, le(st).getLong(48));
        assertEquals(0, t.newfstatat(AT_FDCWD, "/link", st, AT_SYMLINK_NOFOLLOW));
        assertEquals(FileMode.S_IFLNK, FileMode.type(le(st).getInt(16)));
        assertEquals("target".length(), le(st).getLong(48), "a link's size is its target's length");
    }

    @Test
    void newfstatatWithEmptyPathStatsTheDescriptor() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        int fd = t.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(fd, "", st, AT_EMPTY_PATH));
        assertEquals(FileMode.S_IFDIR, FileMode.type(le(st).getInt(16)));
        assertEquals(-Errno.ENOENT, t.newfstatat(fd, "", st, 0), "empty path without AT_EMPTY_PATH");
        assertEquals(-Errno.EINVAL, t.newfstatat(fd, "x", st, 0x4));
        assertEquals(-Errno.ENOENT, t.newfstatat(AT_FDCWD, "/d/none", st, 0));
        assertEquals(0, t.newfstatat(AT_FDCWD, "", st, AT_EMPTY_PATH), "AT_FDCWD with AT_EMPTY_PATH is the cwd");
        assertEquals(FileMode.S_IFDIR, FileMode.type(le(st).getInt(16)));
    }
}
