package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.DupMmap;
import a64emu.guest.mm.OutOfFramesException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/pid/environ and auxv: what exec gave the program, as its stack and the kernel keep it. */
class EnvironAuxvTest {
    private static final LoadedImage IMAGE = new LoadedImage(0x400100, 0x400040, 6, 0, 0x500000, false);
    private final TestMachine m = new TestMachine(48);
    private final TestProcess self = new TestProcess(4242, m.mm);

    private InitialStack.Layout exec(List<String> envp) throws BadUserAddressException {
        return InitialStack.build(m.mm, m.user, IMAGE, List.of("/bin/prog", "arg"), envp, "/bin/prog",
                new byte[16], new InitialStack.Credentials(1000, 1000, 1000, 1000));
    }

    private FileTable table(TestProcess... more) {
        TestProcess[] all = new TestProcess[more.length + 1];
        all[0] = self;
        System.arraycopy(more, 0, all, 1, more.length);
        FileSystem fs = new FileSystem(null, "/");
        fs.mount(new ProcFs(TestProcess.table(all), new TestProcess.Kernel(), m.frames));
        return new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
    }

    private static byte[] read(FileTable t, String path) {
        int fd = t.openat(AT_FDCWD, path, O_RDONLY, 0);
        assertTrue(fd >= 0, path + ": errno " + -fd);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7];
        long n;
        while ((n = t.read(fd, buf, 0, buf.length)) > 0) out.write(buf, 0, (int) n);
        assertEquals(0, n);
        t.close(fd);
        return out.toByteArray();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void environIsTheEnvironmentStringsAsExecWroteThemEachWithItsNul() throws BadUserAddressException {
        exec(List.of("HOME=/root", "TERM=xterm-256color"));
        assertEquals("HOME=/root\0TERM=xterm-256color\0", text(read(table(), "/proc/self/environ")));
    }

    @Test
    void environIsReadFromTheProcessesMemoryWhenTheReaderReads() throws BadUserAddressException {
        InitialStack.Layout l = exec(List.of("NAME=before"));
        FileTable t = table();
        int fd = t.openat(AT_FDCWD, "/proc/self/environ", O_RDONLY, 0);
        // The program rewrites its environment in place (as setproctitle does) after the open.
        m.user.write(m.user.read64(l.envpAddr()) + 5, "after!".getBytes(StandardCharsets.US_ASCII));
        byte[] b = new byte[64];
        long n = t.read(fd, b, 0, b.length);
        assertEquals("NAME=after!\0", new String(b, 0, (int) n, StandardCharsets.UTF_8));
        assertEquals(5, t.pread(fd, b, 0, 5, 7));
        assertEquals("ter!\0", new String(b, 0, 5, StandardCharsets.UTF_8));
        assertEquals(0, t.pread(fd, b, 0, 5, 12), "the end of the strings is the end of the file");
    }

    @Test
    void aProcessWithoutEnvironmentOrWithoutExecHasAnEmptyEnviron() throws BadUserAddressException {
        assertEquals(0, read(table(), "/proc/self/environ").length, "exec has not run");
        exec(List.of());
        assertEquals(0, read(table(), "/proc/self/environ").length);
    }

    @Test
    void auxvIsTheVectorOnTheStackUpToAndIncludingAtNull() throws BadUserAddressException {
        InitialStack.Layout l = exec(List.of("A=1"));
        byte[] auxv = read(table(), "/proc/self/auxv");
        assertEquals(0, auxv.length % 16);
        byte[] onStack = m.user.read(l.auxvAddr(), auxv.length);
        assertArrayEquals(onStack, auxv);
        ByteBuffer b = ByteBuffer.wrap(auxv).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(AuxVector.AT_NULL, b.getLong(auxv.length - 16));
        assertEquals(0, b.getLong(auxv.length - 8));
        boolean sawHwcap = false;
        for (int at = 0; at < auxv.length; at += 16) {
            if (b.getLong(at) == AuxVector.AT_HWCAP) {
                assertEquals(AuxVector.HWCAP, b.getLong(at + 8));
                sawHwcap = true;
            }
        }
        assertTrue(sawHwcap);
    }

    @Test
    void auxvIsTheKernelsCopySoOverwritingTheStackDoesNotChangeIt() throws BadUserAddressException {
        InitialStack.Layout l = exec(List.of());
        byte[] before = read(table(), "/proc/self/auxv");
        m.user.write64(l.auxvAddr() + 8, 0xdead);
        assertArrayEquals(before, read(table(), "/proc/self/auxv"));
    }

    @Test
    void aForkChildKeepsItsParentsArgumentRangesAndAuxv() throws BadUserAddressException, OutOfFramesException {
        exec(List.of("X=y"));
        AddressSpace child = DupMmap.fork(m.mm, 2);
        assertEquals(m.mm.envStart(), child.envStart());
        assertEquals(m.mm.envEnd(), child.envEnd());
        assertEquals(m.mm.argStart(), child.argStart());
        assertArrayEquals(m.mm.savedAuxv(), child.savedAuxv());
        TestProcess forked = new TestProcess(4243, child);
        assertEquals("X=y\0", text(read(table(forked), "/proc/4243/environ")));
    }

    @Test
    void anotherUsersEnvironAndAuxvAreClosedToTheCaller() throws BadUserAddressException {
        exec(List.of("SECRET=1"));
        TestProcess other = new TestProcess(4300, m.mm);
        other.uid = 2000;
        FileTable t = table(other);
        assertEquals(-Errno.EACCES, t.openat(AT_FDCWD, "/proc/4300/environ", O_RDONLY, 0));
        assertEquals(-Errno.EACCES, t.openat(AT_FDCWD, "/proc/4300/auxv", O_RDONLY, 0));
    }

    @Test
    void aZombiesEnvironAndAuxvAreEmpty() throws BadUserAddressException {
        exec(List.of("A=1"));
        self.mm = null;
        FileTable t = table();
        assertEquals(0, read(t, "/proc/self/environ").length);
        assertEquals(0, read(t, "/proc/self/auxv").length);
    }
}
