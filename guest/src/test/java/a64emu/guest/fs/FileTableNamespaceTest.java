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

/** lstat, rename and chown through the descriptor table, as the guest's system calls reach them. */
class FileTableNamespaceTest {
    private static final int ST_MODE = 16;
    private static final int ST_SIZE = 48;
    private static final int ST_BLOCKS = 64;

    @TempDir Path dir;
    FileTable t;
    long uid;
    long gid;

    @BeforeEach
    void setUp() throws Exception {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        uid = ((Integer) Files.getAttribute(dir, "unix:uid")) & 0xFFFF_FFFFL;
        gid = ((Integer) Files.getAttribute(dir, "unix:gid")) & 0xFFFF_FFFFL;
    }

    private byte[] stat(String path, int flags) {
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, path, st, flags), path);
        return st;
    }

    @Test
    void lstatOfASymbolicLinkDescribesTheLinkNotItsTarget() throws Exception {
        Files.write(dir.resolve("big"), new byte[3 * 4096]);
        Files.createSymbolicLink(dir.resolve("link"), Path.of("big"));
        byte[] link = stat("/link", AT_SYMLINK_NOFOLLOW);
        assertEquals(FileMode.S_IFLNK | 0777, le(link).getInt(ST_MODE));
        assertEquals(3, le(link).getLong(ST_SIZE), "the length of the target text");
        assertEquals(0, le(link).getLong(ST_BLOCKS), "a short target lives in the inode");
        byte[] target = stat("/link", 0);
        assertEquals(FileMode.S_IFREG, le(target).getInt(ST_MODE) & FileMode.S_IFMT);
        assertEquals(3 * 4096, le(target).getLong(ST_SIZE));
        assertEquals(24, le(target).getLong(ST_BLOCKS));
    }

    @Test
    void lstatOfALongLinkCountsItsDataBlockAndEmptyPathStatsTheDescriptor() throws Exception {
        String longTarget = "x".repeat(80);
        Files.createSymbolicLink(dir.resolve("long"), Path.of(longTarget));
        assertEquals(8, le(stat("/long", AT_SYMLINK_NOFOLLOW)).getLong(ST_BLOCKS));
        Files.writeString(dir.resolve("f"), "hello");
        int fd = t.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
        assertEquals(5, le(st).getLong(ST_SIZE));
        assertEquals(-Errno.ENOENT, t.newfstatat(fd, "", st, 0));
    }

    @Test
    void renameMovesAndReplacesAtomicallyAndRefusesWhatRename2Refuses() throws Exception {
        Files.writeString(dir.resolve("a"), "A");
        Files.writeString(dir.resolve("b"), "B");
        Files.createDirectories(dir.resolve("d/sub"));
        Files.createDirectory(dir.resolve("empty"));
        assertEquals(-Errno.EEXIST, t.renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", RENAME_NOREPLACE));
        assertEquals(0, t.renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", 0));
        assertFalse(Files.exists(dir.resolve("a")));
        assertEquals("A", Files.readString(dir.resolve("b")));
        assertEquals(-Errno.ENOENT, t.renameat2(AT_FDCWD, "/a", AT_FDCWD, "/c", 0));
        assertEquals(-Errno.EISDIR, t.renameat2(AT_FDCWD, "/b", AT_FDCWD, "/empty", 0));
        assertEquals(-Errno.ENOTDIR, t.renameat2(AT_FDCWD, "/empty", AT_FDCWD, "/b", 0));
        assertEquals(-Errno.ENOTDIR, t.renameat2(AT_FDCWD, "/b", AT_FDCWD, "/c/", 0));
        assertEquals(-Errno.ENOTEMPTY, t.renameat2(AT_FDCWD, "/empty", AT_FDCWD, "/d", 0));
        assertEquals(-Errno.EINVAL, t.renameat2(AT_FDCWD, "/d", AT_FDCWD, "/d/sub/x", 0));
        assertEquals(-Errno.EBUSY, t.renameat2(AT_FDCWD, "/d/..", AT_FDCWD, "/x", 0));
        assertEquals(-Errno.EINVAL, t.renameat2(AT_FDCWD, "/b", AT_FDCWD, "/c", 8));
        assertEquals(-Errno.EINVAL, t.renameat2(AT_FDCWD, "/b", AT_FDCWD, "/empty",
                RENAME_EXCHANGE | RENAME_NOREPLACE));
        assertEquals(-Errno.ENOENT, t.renameat2(AT_FDCWD, "/b", AT_FDCWD, "/c", RENAME_EXCHANGE));
        assertEquals(0, t.renameat2(AT_FDCWD, "/d", AT_FDCWD, "/empty", 0), "a directory replaces an empty one");
        assertTrue(Files.isDirectory(dir.resolve("empty/sub")));
    }

    @Test
    void renameOfALinkMovesTheLinkAndBothNamesStayInsideTheRoot() throws Exception {
        Files.writeString(dir.resolve("t"), "T");
        Files.createSymbolicLink(dir.resolve("l"), Path.of("/t"));
        assertEquals(0, t.renameat2(AT_FDCWD, "/l", AT_FDCWD, "/../../m", 0));
        assertTrue(Files.isSymbolicLink(dir.resolve("m")));
        assertEquals("T", Files.readString(dir.resolve("t")));
        int d = t.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, t.renameat2(d, "m", d, "n", 0));
        assertTrue(Files.isSymbolicLink(dir.resolve("n")));
    }

    @Test
    void chownToYourOwnIdsSucceedsAndAnythingElseIsEperm() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        int iuid = (int) uid;
        int igid = (int) gid;
        assertEquals(0, t.fchownat(AT_FDCWD, "/f", iuid, igid, 0, uid, gid));
        assertEquals(0, t.fchownat(AT_FDCWD, "/f", -1, -1, 0, uid, gid));
        assertEquals(-Errno.EPERM, t.fchownat(AT_FDCWD, "/f", iuid + 1, -1, 0, uid, gid));
        assertEquals(-Errno.EPERM, t.fchownat(AT_FDCWD, "/f", -1, igid + 12345, 0, uid, gid));
        assertEquals(-Errno.EPERM, t.fchownat(AT_FDCWD, "/f", iuid, -1, 0, uid + 1, gid), "not the owner");
        assertEquals(-Errno.ENOENT, t.fchownat(AT_FDCWD, "/missing", iuid, -1, 0, uid, gid));
        assertEquals(-Errno.EINVAL, t.fchownat(AT_FDCWD, "/f", iuid, -1, 0x4, uid, gid));
        Files.createSymbolicLink(dir.resolve("l"), Path.of("/f"));
        assertEquals(0, t.fchownat(AT_FDCWD, "/l", iuid, -1, AT_SYMLINK_NOFOLLOW, uid, gid));
        int fd = t.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        assertEquals(0, t.fchown(fd, iuid, igid, uid, gid));
        assertEquals(0, t.fchownat(fd, "", -1, igid, AT_EMPTY_PATH, uid, gid));
        assertEquals(-Errno.EPERM, t.fchown(fd, iuid + 1, -1, uid, gid));
        assertEquals(-Errno.EBADF, t.fchown(99, iuid, -1, uid, gid));
    }
}
