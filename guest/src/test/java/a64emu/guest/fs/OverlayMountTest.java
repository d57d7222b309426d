package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree that overlays the host's directory of its mount point (devtmpfs's nodes in /dev): its
 * names are its own, every other name is the host's, and a root without that directory gets
 * the tree's; a node with an open method of its own gets its calls and its release.
 */
class OverlayMountTest {
    @TempDir Path root;

    /** What the device's open descriptions saw. */
    final List<String> calls = new ArrayList<>();

    /** A character device "dev/tick": reads "tick\n" once, then EAGAIN; always readable and writable. */
    final SyntheticNode tick = new SyntheticNode() {
        @Override public Kind kind() { return Kind.CHARACTER_DEVICE; }
        @Override public int permissions() { return 0644; }
        @Override public long inode() { return 7; }
        @Override public int uid() { return 0; }
        @Override public int gid() { return 0; }
        @Override public long rdev() { return 0x10b; }

        @Override
        public FileOperations open(int flags) {
            calls.add("open " + (flags & O_ACCMODE));
            return new FileOperations() {
                boolean done;

                @Override
                public long read(byte[] buf, int off, int len, boolean nonblocking) {
                    calls.add("read nonblocking=" + nonblocking);
                    if (done) return -Errno.EAGAIN;
                    done = true;
                    byte[] b = bytes("tick\n");
                    System.arraycopy(b, 0, buf, off, b.length);
                    return b.length;
                }

                @Override
                public long write(byte[] data) {
                    calls.add("write " + new String(data));
                    return data.length;
                }

                @Override
                public int poll(PollTable table) {
                    return PollTable.POLLOUT;
                }

                @Override
                public Object waitChannel() {
                    return calls;
                }

                @Override
                public void release() {
                    calls.add("release");
                }
            };
        }
    };

    final SyntheticTree dev = new SyntheticTree() {
        @Override public String mountPoint() { return "dev"; }
        @Override public long device() { return 5; }
        @Override public boolean overlaysHost() { return true; }

        @Override
        public SyntheticNode lookup(List<String> below) {
            if (below.isEmpty()) {
                return new SyntheticNode() {
                    @Override public Kind kind() { return Kind.DIRECTORY; }
                    @Override public int permissions() { return 0755; }
                    @Override public long inode() { return 1; }
                    @Override public int uid() { return 0; }
                    @Override public int gid() { return 0; }
                    @Override public List<Entry> list() { return List.of(new Entry("tick", 7, Kind.CHARACTER_DEVICE)); }
                };
            }
            return below.equals(List.of("tick")) ? tick : null;
        }

        @Override
        public boolean permits(SyntheticNode node, int mask) {
            return true;
        }
    };

    private FileTable table() {
        FileSystem fs = new FileSystem(root, "/");
        fs.mount(dev);
        return FsTestSupport.table(fs, new Streams(""), "/bin/prog");
    }

    private static List<String> names(FileTable t, String dir) {
        int fd = t.openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
        byte[] buf = new byte[4096];
        long n = t.getdents64(fd, buf);
        t.close(fd);
        List<String> out = new ArrayList<>();
        for (int at = 0; at < n; at += le(buf).getShort(at + 16)) {
            int end = at + 19;
            while (buf[end] != 0) end++;
            out.add(new String(buf, at + 19, end - at - 19));
        }
        return out;
    }

    @Test
    void theOverlaysNamesAreItsOwnAndTheOthersTheHosts() throws Exception {
        Files.createDirectory(root.resolve("dev"));
        Files.writeString(root.resolve("dev/null"), "host file");
        FileTable t = table();
        assertEquals("host file", readAll(t, AT_FDCWD, "/dev/null"));
        assertEquals("tick\n", readAll(t, AT_FDCWD, "/dev/tick"));
        assertEquals("errno " + Errno.ENOENT, readAll(t, AT_FDCWD, "/dev/none"));
        assertEquals(List.of(".", "..", "null"), names(t, "/dev"), "a readdir of the host's /dev is the host's");
    }

    @Test
    void aRootWithoutTheDirectoryGetsTheTreesRoot() {
        FileTable t = table();
        assertEquals(List.of(".", "..", "tick"), names(t, "/dev"));
        assertEquals("tick\n", readAll(t, AT_FDCWD, "/dev/tick"));
    }

    @Test
    void statOfADeviceNodeShowsItsTypeAndDeviceNumber() {
        FileTable t = table();
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, "/dev/tick", st, 0));
        assertEquals(FileMode.S_IFCHR | 0644, le(st).getInt(16));
        assertEquals(0x10b, le(st).getLong(32), "st_rdev 1:11");
        assertEquals(5, le(st).getLong(0), "st_dev of the tree");
        assertEquals(4096, le(st).getInt(56), "devtmpfs's st_blksize");
    }

    @Test
    void eachOpenGetsTheNodesOperationsAndTheLastCloseReleasesThem() {
        FileTable t = table();
        int fd = t.openat(AT_FDCWD, "/dev/tick", O_RDWR | O_NONBLOCK, 0);
        assertTrue(fd >= 0);
        byte[] b = new byte[16];
        assertEquals(5, t.read(fd, b, 0, 16));
        assertEquals(-Errno.EAGAIN, t.read(fd, b, 0, 16));
        assertEquals(2, t.write(fd, bytes("hi"), 0, 2));
        OpenFile f = t.file(fd);
        assertEquals(PollTable.POLLOUT, f.poll(null));
        assertNull(f.sleepChannel(), "O_NONBLOCK: EAGAIN is the answer");
        assertEquals(calls, f.waitChannel());
        assertFalse(f.isRegularFile());
        assertEquals(0, t.close(fd));
        assertEquals(List.of("open 2", "read nonblocking=true", "read nonblocking=true", "write hi", "release"), calls);
    }

    @Test
    void aPlainFileIsAlwaysReadyForReadingAndWriting() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        FileTable t = table();
        int fd = t.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        assertEquals(PollTable.DEFAULT_POLLMASK, t.file(fd).poll(null));
        t.close(fd);
    }
}
