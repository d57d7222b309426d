package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.Inotify.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inotify over the guest kernel's own file operations: which events each operation queues, in
 * Linux's order, the watch flags, coalescing, the queue limit and the read format.
 */
class InotifyTest {
    @TempDir Path root;
    FileTable t;
    int in;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectory(root.resolve("d"));
        t = table(new FileSystem(root, "/"), new Streams(""), "/prog");
        in = t.installNew((OpenFile) t.fileSystem().fsnotify().newInstance(1000, IN_NONBLOCK, c -> { }), false);
    }

    /** The queued events as "wd MASK name" lines (cookies as "c" when non-zero). */
    private List<String> events() {
        List<String> out = new ArrayList<>();
        byte[] buf = new byte[1 << 20];
        long n = t.read(in, buf, 0, buf.length);
        if (n < 0) {
            assertEquals(-Errno.EAGAIN, n);
            return out;
        }
        ByteBuffer b = le(buf);
        while (b.position() < n) {
            int wd = b.getInt();
            int mask = b.getInt();
            int cookie = b.getInt();
            int len = b.getInt();
            byte[] name = new byte[len];
            b.get(name);
            String s = new String(name, StandardCharsets.UTF_8).replace("\0", "");
            out.add(wd + " " + Integer.toHexString(mask) + (cookie != 0 ? " c" : "") + (s.isEmpty() ? "" : " " + s));
        }
        return out;
    }

    @Test
    void createWriteTwiceAndCloseQueueCreateOpenOneModifyAndCloseWrite() {
        assertEquals(1, t.inotifyAddWatch(in, "/d", IN_ALL_EVENTS));
        int fd = t.openat(AT_FDCWD, "/d/f", O_CREAT | O_WRONLY, 0600);
        t.write(fd, bytes("ab"), 0, 2);
        t.write(fd, bytes("cd"), 0, 2);
        t.close(fd);
        assertEquals(List.of("1 100 f", "1 20 f", "1 2 f", "1 8 f"), events());
    }

    @Test
    void eventsPadTheNameToSixteenBytesAndFionreadCountsThem() {
        t.inotifyAddWatch(in, "/d", IN_CREATE);
        t.close(t.openat(AT_FDCWD, "/d/seventeen_chars_", O_CREAT | O_WRONLY, 0600));
        Inotify i = (Inotify) t.file(in);
        assertEquals(16 + 32, i.queuedBytes());
        byte[] small = new byte[47];
        assertEquals(-Errno.EINVAL, t.read(in, small, 0, small.length), "a buffer too small for the event");
        assertEquals(List.of("1 100 seventeen_chars_"), events());
    }

    @Test
    void renameQueuesMovedFromAndMovedToWithOneCookieThenMoveSelf() {
        t.close(t.openat(AT_FDCWD, "/d/a", O_CREAT | O_WRONLY, 0600));
        t.inotifyAddWatch(in, "/d", IN_MOVED_FROM | IN_MOVED_TO);
        t.inotifyAddWatch(in, "/d/a", IN_MOVE_SELF);
        assertEquals(0, t.renameat2(AT_FDCWD, "/d/a", AT_FDCWD, "/d/b", 0));
        assertEquals(List.of("1 40 c a", "1 80 c b", "2 800"), events());
    }

    @Test
    void unlinkingTheLastNameQueuesAttribDeleteSelfIgnoredThenTheDirectorysDelete() {
        t.close(t.openat(AT_FDCWD, "/d/a", O_CREAT | O_WRONLY, 0600));
        t.inotifyAddWatch(in, "/d", IN_DELETE);
        t.inotifyAddWatch(in, "/d/a", IN_ALL_EVENTS);
        assertEquals(0, t.unlinkat(AT_FDCWD, "/d/a", 0));
        assertEquals(List.of("2 4", "2 400", "2 8000", "1 200 a"), events());
        assertEquals(-Errno.EINVAL, t.inotifyRmWatch(in, 2), "the watch went with the file");
    }

    @Test
    void aFileUnlinkedWhileOpenIsFreedAtItsLastClose() {
        int fd = t.openat(AT_FDCWD, "/d/a", O_CREAT | O_WRONLY, 0600);
        int wd = t.inotifyAddWatch(in, "/d/a", IN_ALL_EVENTS);
        int dup = t.dup(fd);
        assertEquals(0, t.unlinkat(AT_FDCWD, "/d/a", 0));
        assertEquals(List.of(wd + " 4"), events(), "only the link count changed");
        t.close(fd);
        assertEquals(List.of(), events(), "a descriptor still holds the description");
        t.close(dup);
        assertEquals(List.of(wd + " 8", wd + " 400", wd + " 8000"), events());
    }

    @Test
    void anOpathOpenIsAnOpenAndACloseAsIn61() {
        t.inotifyAddWatch(in, "/d", IN_OPEN | IN_CLOSE_NOWRITE);
        t.close(t.openat(AT_FDCWD, "/d", O_PATH, 0));
        assertEquals(List.of("1 40000020", "1 40000010"), events(), "the watched directory itself");
        t.mkdirat(AT_FDCWD, "/d/s", 0700);
        t.close(t.openat(AT_FDCWD, "/d/s", O_PATH, 0));
        assertEquals(List.of("1 40000020 s", "1 40000010 s"), events());
    }

    @Test
    void rmdirAndMkdirCarryIsdir() {
        t.inotifyAddWatch(in, "/d", IN_CREATE | IN_DELETE);
        assertEquals(0, t.mkdirat(AT_FDCWD, "/d/s", 0700));
        assertEquals(0, t.unlinkat(AT_FDCWD, "/d/s", AT_REMOVEDIR));
        assertEquals(List.of("1 40000100 s", "1 40000200 s"), events());
    }

    @Test
    void oneshotWatchGoesAfterItsFirstEventWithIgnored() {
        t.inotifyAddWatch(in, "/d", IN_CREATE | IN_ONESHOT);
        t.close(t.openat(AT_FDCWD, "/d/x", O_CREAT | O_WRONLY, 0600));
        t.close(t.openat(AT_FDCWD, "/d/y", O_CREAT | O_WRONLY, 0600));
        assertEquals(List.of("1 100 x", "1 8000"), events());
    }

    @Test
    void maskAddKeepsTheWatchAndMaskCreateRefusesIt() {
        t.close(t.openat(AT_FDCWD, "/d/x", O_CREAT | O_WRONLY, 0600));
        int wd = t.inotifyAddWatch(in, "/d/x", IN_ATTRIB);
        assertEquals(wd, t.inotifyAddWatch(in, "/d/x", IN_MODIFY | IN_MASK_ADD));
        assertEquals(-Errno.EEXIST, t.inotifyAddWatch(in, "/d/x", IN_OPEN | IN_MASK_CREATE));
        assertEquals(-Errno.EINVAL, t.inotifyAddWatch(in, "/d/x", IN_OPEN | IN_MASK_CREATE | IN_MASK_ADD));
        assertEquals(-Errno.ENOTDIR, t.inotifyAddWatch(in, "/d/x", IN_OPEN | IN_ONLYDIR));
        int fd = t.openat(AT_FDCWD, "/d/x", O_WRONLY, 0);
        t.write(fd, bytes("1"), 0, 1);
        assertEquals(0, t.fchmod(fd, 0600));
        t.close(fd);
        assertEquals(List.of(wd + " 2", wd + " 4"), events());
    }

    @Test
    void exclUnlinkDropsEventsThroughAnUnlinkedFile() {
        Fsnotify n = t.fileSystem().fsnotify();
        int plain = t.installNew((OpenFile) n.newInstance(1000, IN_NONBLOCK, c -> { }), false);
        t.inotifyAddWatch(in, "/d", IN_MODIFY | IN_EXCL_UNLINK);
        t.inotifyAddWatch(plain, "/d", IN_MODIFY);
        int fd = t.openat(AT_FDCWD, "/d/y", O_CREAT | O_WRONLY, 0600);
        t.unlinkat(AT_FDCWD, "/d/y", 0);
        t.write(fd, bytes("z"), 0, 1);
        assertEquals(List.of(), events());
        assertEquals(32, ((Inotify) t.file(plain)).queuedBytes(), "the plain watch hears of it, with the name");
    }

    @Test
    void theQueueHoldsSixteenThousandEventsAndOneOverflow() {
        t.inotifyAddWatch(in, "/d", IN_MODIFY);
        int a = t.openat(AT_FDCWD, "/d/a", O_CREAT | O_WRONLY, 0600);
        int b = t.openat(AT_FDCWD, "/d/b", O_CREAT | O_WRONLY, 0600);
        for (int i = 0; i < MAX_QUEUED_EVENTS / 2 + 10; i++) {
            t.write(a, bytes("x"), 0, 1);
            t.write(b, bytes("y"), 0, 1);
        }
        List<String> e = events();
        assertEquals(MAX_QUEUED_EVENTS + 1, e.size());
        assertEquals("-1 4000", e.get(e.size() - 1));
    }

    @Test
    void rmWatchQueuesIgnoredAndAnUnknownWdIsEinval() {
        int wd = t.inotifyAddWatch(in, "/d", IN_CREATE);
        assertEquals(0, t.inotifyRmWatch(in, wd));
        assertEquals(-Errno.EINVAL, t.inotifyRmWatch(in, wd));
        assertEquals(List.of(wd + " 8000"), events());
        assertEquals(wd + 1, t.inotifyAddWatch(in, "/d", IN_CREATE), "wds are not reused at once");
    }

    @Test
    void aDescriptorThatIsNoInstanceIsEinvalAndAMissingPathEnoent() {
        assertEquals(-Errno.EINVAL, t.inotifyAddWatch(1, "/d", IN_CREATE));
        assertEquals(-Errno.EBADF, t.inotifyAddWatch(77, "/d", IN_CREATE));
        assertEquals(-Errno.ENOENT, t.inotifyAddWatch(in, "/d/none", IN_CREATE));
    }

    @Test
    void theHundredTwentyNinthInstanceOfAUserIsEmfile() {
        Fsnotify n = t.fileSystem().fsnotify();
        List<OpenFile> made = new ArrayList<>();
        for (int i = 1; i < Fsnotify.MAX_USER_INSTANCES; i++) made.add((OpenFile) n.newInstance(1000, 0, c -> { }));
        assertEquals(-Errno.EMFILE, n.newInstance(1000, 0, c -> { }));
        assertInstanceOf(Inotify.class, n.newInstance(2000, 0, c -> { }), "another user has instances left");
        made.get(0).release();
        assertInstanceOf(Inotify.class, n.newInstance(1000, 0, c -> { }), "a closed instance is counted out");
    }

    @Test
    void readableForPollOnlyWithEventsQueued() {
        t.inotifyAddWatch(in, "/d", IN_CREATE);
        assertEquals(0, t.file(in).poll(null));
        t.close(t.openat(AT_FDCWD, "/d/x", O_CREAT | O_WRONLY, 0600));
        assertEquals(PollTable.POLLIN | PollTable.POLLRDNORM, t.file(in).poll(null));
    }
}
