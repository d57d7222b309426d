package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Getdents64Test {
    @TempDir Path dir;
    FileTable t;

    record Entry(long ino, long off, int reclen, int type, String name) {}

    @BeforeEach
    void setUp() throws Exception {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        Files.createDirectory(dir.resolve("d"));
        Files.writeString(dir.resolve("d/file"), "x");
        Files.createDirectory(dir.resolve("d/sub"));
        Files.createSymbolicLink(dir.resolve("d/link"), Path.of("file"));
    }

    static List<Entry> decode(byte[] buf, long n) {
        List<Entry> out = new ArrayList<>();
        ByteBuffer b = le(buf);
        int at = 0;
        while (at < n) {
            int reclen = Short.toUnsignedInt(b.getShort(at + 16));
            int end = at + 19;
            while (buf[end] != 0) end++;
            out.add(new Entry(b.getLong(at), b.getLong(at + 8), reclen, buf[at + 18],
                    new String(buf, at + 19, end - at - 19, StandardCharsets.UTF_8)));
            at += reclen;
        }
        return out;
    }

    @Test
    void listsDotDotDotAndEveryEntryWithTypesAndInodes() throws Exception {
        int fd = t.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
        byte[] buf = new byte[4096];
        long n = t.getdents64(fd, buf);
        assertTrue(n > 0);
        Map<String, Entry> byName = new HashMap<>();
        for (Entry e : decode(buf, n)) {
            byName.put(e.name(), e);
            assertEquals(0, e.reclen() % 8, "records are 8-byte aligned");
        }
        assertEquals(5, byName.size());
        assertEquals(FileMode.DT_DIR, byName.get(".").type());
        assertEquals(FileMode.DT_DIR, byName.get("..").type());
        assertEquals(FileMode.DT_REG, byName.get("file").type());
        assertEquals(FileMode.DT_DIR, byName.get("sub").type());
        assertEquals(FileMode.DT_LNK, byName.get("link").type());
        assertEquals(Files.getAttribute(dir.resolve("d/file"), "unix:ino", LinkOption.NOFOLLOW_LINKS),
                byName.get("file").ino());
        assertEquals(Files.getAttribute(dir, "unix:ino"), byName.get("..").ino());
        assertEquals(0, t.getdents64(fd, buf), "end of directory");
    }

    @Test
    void dotDotOfTheGuestRootIsTheRootItself() throws Exception {
        int fd = t.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
        byte[] buf = new byte[4096];
        Map<String, Entry> byName = new HashMap<>();
        for (Entry e : decode(buf, t.getdents64(fd, buf))) byName.put(e.name(), e);
        assertEquals(byName.get(".").ino(), byName.get("..").ino());
    }

    @Test
    void smallBufferGetsOneRecordAtATimeAndTooSmallIsEinval() {
        int fd = t.openat(AT_FDCWD, "/d", O_RDONLY, 0);
        assertEquals(-Errno.EINVAL, t.getdents64(fd, new byte[10]));
        byte[] one = new byte[Dirent64.recordLength(4)];
        List<String> names = new ArrayList<>();
        long n;
        while ((n = t.getdents64(fd, one)) > 0) names.addAll(decode(one, n).stream().map(Entry::name).toList());
        assertEquals(0, n);
        assertTrue(names.containsAll(List.of(".", "..", "file", "sub", "link")), names.toString());
    }

    @Test
    void lseekToARecordsOffsetResumesAfterIt() {
        int fd = t.openat(AT_FDCWD, "/d", O_RDONLY, 0);
        byte[] buf = new byte[4096];
        List<Entry> all = decode(buf, t.getdents64(fd, buf));
        Entry second = all.get(1);
        assertEquals(second.off(), t.lseek(fd, second.off(), SEEK_SET));
        List<Entry> rest = decode(buf, t.getdents64(fd, buf));
        assertEquals(all.subList(2, all.size()), rest);
        assertEquals(0, t.lseek(fd, 0, SEEK_SET));
        assertEquals(all.size(), decode(buf, t.getdents64(fd, buf)).size(), "rewind lists again");
    }

    @Test
    void getdentsOnARegularFileIsEnotdir() throws Exception {
        int fd = t.openat(AT_FDCWD, "/d/file", O_RDONLY, 0);
        assertEquals(-Errno.ENOTDIR, t.getdents64(fd, new byte[256]));
        assertEquals(-Errno.EBADF, t.getdents64(40, new byte[256]));
    }
}
