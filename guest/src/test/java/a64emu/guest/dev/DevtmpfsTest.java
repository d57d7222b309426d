package a64emu.guest.dev;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_NONBLOCK;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.printk.Caller;
import a64emu.guest.printk.Printk;
import a64emu.guest.proc.TestCallers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /dev/kmsg as devtmpfs gives it over the root's /dev: the kernel's log, whatever the host has. */
class DevtmpfsTest {
    @TempDir Path root;

    private final TestMachine m = new TestMachine(39, 16L << 20);
    private final KernelLog log = new KernelLog(() -> 3_000_000_000L);
    private final Printk printk = new Printk(log, channel -> { });

    private FileTable table(long uid) {
        FileSystem fs = new FileSystem(root, "/");
        fs.mount(new Devtmpfs(TestCallers.callerWithUid(m.mm, uid),
                Devtmpfs.kernelDevices(printk, () -> new Caller("prog", 4242, uid == 0, uid == 0))));
        return new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
    }

    private static String readRecord(FileTable t, int fd) {
        byte[] b = new byte[8192];
        long n = t.read(fd, b, 0, b.length);
        return n < 0 ? "errno " + -n : new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void kmsgIsTheKernelsLogBesideTheRootsOwnDevNodes() throws Exception {
        Files.createDirectory(root.resolve("dev"));
        Files.writeString(root.resolve("dev/null"), "");
        log.log(KernelLog.ERR, "Out of memory: Killed process 4300 (prog)");
        FileTable t = table(1000);
        int fd = t.openat(AT_FDCWD, "/dev/kmsg", O_RDONLY | O_NONBLOCK, 0);
        assertEquals("3,0,3000000,-;Out of memory: Killed process 4300 (prog)\n", readRecord(t, fd));
        assertEquals("errno " + Errno.EAGAIN, readRecord(t, fd));
        assertTrue(t.openat(AT_FDCWD, "/dev/null", O_RDONLY, 0) >= 0, "the root's own /dev/null");
    }

    @Test
    void kmsgIsThereInARootWithoutDev() {
        FileTable t = table(1000);
        assertTrue(t.openat(AT_FDCWD, "/dev/kmsg", O_RDONLY, 0) >= 0);
    }

    @Test
    void kmsgIsCharacterDevice1Colon11Mode0644OwnedByRoot() {
        FileTable t = table(1000);
        byte[] st = new byte[128];
        assertEquals(0, t.newfstatat(AT_FDCWD, "/dev/kmsg", st, 0));
        ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FileMode.S_IFCHR | 0644, b.getInt(16));
        assertEquals(0, b.getInt(24), "uid");
        assertEquals((1 << 8) | 11, b.getLong(32), "st_rdev makedev(1, 11)");
    }

    @Test
    void onlyRootMayWriteAndAWriteBecomesAUserMessage() {
        assertEquals(-Errno.EACCES, table(1000).openat(AT_FDCWD, "/dev/kmsg", O_WRONLY, 0));
        FileTable t = table(0);
        int fd = t.openat(AT_FDCWD, "/dev/kmsg", O_WRONLY, 0);
        byte[] msg = "<6>init: first stage\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(msg.length, t.write(fd, msg, 0, msg.length));
        assertEquals("init: first stage", log.messages().get(0).text());
        int rd = t.openat(AT_FDCWD, "/dev/kmsg", O_RDONLY, 0);
        assertEquals("14,0,3000000,-;init: first stage\n", readRecord(t, rd));
    }
}
