package a64emu.guest.fs;

import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.MemFd.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memfd_create's file: sparse in-kernel data, its stat and name, and what each seal refuses. */
class MemFdTest {
    @TempDir Path dir;
    FileTable t;
    MemFd m;
    int fd;

    @BeforeEach
    void setUp() {
        t = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        m = MemFd.create("scratch", true, 1000, 1001);
        fd = t.installNew(m, false);
    }

    @Test
    void itIsAnUnlinkedRegularFileNamedAsLinuxShowsIt() throws Exception {
        assertEquals("/memfd:scratch (deleted)", m.guestPath());
        KernelStat st = m.fileStat();
        assertEquals(FileMode.S_IFREG | 0777, st.mode());
        assertEquals(0, st.nlink());
        assertEquals(1000, st.uid());
        assertEquals(MemFd.DEVICE, st.dev());
        assertEquals(O_RDWR, t.fcntl(fd, F_GETFL, 0));
    }

    @Test
    void writesReadBackAndHolesReadAsZeros() throws Exception {
        assertEquals(5, t.write(fd, bytes("hello"), 0, 5));
        assertEquals(0, t.ftruncate(fd, 3 * 4096));
        assertEquals(4, t.pwrite(fd, bytes("tail"), 0, 4, 3 * 4096 - 2));
        assertEquals(3 * 4096 + 2, m.size());
        byte[] b = new byte[8];
        assertEquals(8, t.pread(fd, b, 0, 8, 0));
        assertEquals("hello\0\0\0", text(b, 8));
        assertEquals(4, t.pread(fd, b, 0, 8, 3 * 4096 - 2));
        assertEquals("tail", text(b, 4));
        assertEquals(24, m.fileStat().blocks(), "only the three pages written (0, 2 and 3) take room");
        assertEquals(0, t.ftruncate(fd, 2));
        assertEquals(0, t.ftruncate(fd, 5));
        assertEquals(5, t.pread(fd, b, 0, 8, 0));
        assertEquals("he\0\0\0", text(b, 5), "what a shrink cut off reads as zeros after growing again");
    }

    @Test
    void shrinkAndGrowSealsRefuseSizeChanges() {
        t.write(fd, bytes("0123456789"), 0, 10);
        assertEquals(0, m.addSeals(F_SEAL_SHRINK | F_SEAL_GROW));
        assertEquals(-Errno.EPERM, t.ftruncate(fd, 5));
        assertEquals(-Errno.EPERM, t.ftruncate(fd, 20));
        assertEquals(0, t.ftruncate(fd, 10));
        assertEquals(2, t.pwrite(fd, bytes("abcd"), 0, 4, 8), "a write across the end stops at it");
        assertEquals(-Errno.EPERM, t.pwrite(fd, bytes("x"), 0, 1, 10));
        assertEquals(-Errno.EPERM, FileSpace.fallocate(t, fd, 0, 8, 10));
        assertEquals(0, FileSpace.fallocate(t, fd, 0, 0, 10));
    }

    @Test
    void writeSealRefusesWritesSharedWritableMapsAndHolePunching() {
        t.write(fd, bytes("data"), 0, 4);
        assertEquals(0, m.addSeals(F_SEAL_WRITE));
        assertEquals(-Errno.EPERM, t.write(fd, bytes("x"), 0, 1));
        assertEquals(-Errno.EPERM, m.mayMap(true));
        assertEquals(0, m.mayMap(false));
        assertEquals(-Errno.EPERM, FileSpace.fallocate(t, fd, FileSpace.FALLOC_FL_PUNCH_HOLE | FileSpace.FALLOC_FL_KEEP_SIZE, 0, 2));
        assertEquals(4, m.writeAt(0, bytes("DATA"), 0, 4), "write-back of a mapping made before the seal");
    }

    @Test
    void sealSealEndsSealingAndAMemfdWithoutSealingStartsSealed() {
        assertEquals(0, m.addSeals(F_SEAL_SEAL));
        assertEquals(-Errno.EPERM, m.addSeals(F_SEAL_WRITE));
        assertEquals(F_SEAL_SEAL, m.seals());
        assertEquals(-Errno.EINVAL, MemFd.create("x", true, 0, 0).addSeals(0x100));
        MemFd plain = MemFd.create("plain", false, 0, 0);
        assertEquals(F_SEAL_SEAL, plain.seals());
        assertEquals(-Errno.EPERM, plain.addSeals(F_SEAL_WRITE));
    }

    @Test
    void punchingAHoleZeroesTheRangeAndKeepsTheSize() {
        t.write(fd, bytes("0123456789"), 0, 10);
        assertEquals(0, FileSpace.fallocate(t, fd, FileSpace.FALLOC_FL_PUNCH_HOLE | FileSpace.FALLOC_FL_KEEP_SIZE, 2, 3));
        byte[] b = new byte[10];
        t.pread(fd, b, 0, 10, 0);
        assertEquals("01\0\0\0" + "56789", text(b, 10));
        assertEquals(10, m.size());
    }
}
