package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.mm.DupMmap;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** /proc/pid/pagemap: one 64-bit entry per page, read from the page tables as they are now. */
class PagemapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long AREA = 0x7f0000000L;
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;
    private static final long FILE = 1L << 61;
    private static final long EXCLUSIVE = 1L << 56;
    private static final long SOFT_DIRTY = 1L << 55;
    private static final long PFN = (1L << 55) - 1;

    private final TestMachine m = new TestMachine(39);
    private final TestProcess self = new TestProcess(4242, m.mm);
    private final TestProcess other = new TestProcess(4300, new TestMachine(39).mm);

    private FileTable table() {
        FileSystem fs = new FileSystem(null, "/");
        fs.mount(new ProcFs(TestProcess.table(self, other), new TestProcess.Kernel(), m.frames));
        return new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
    }

    /** The entry of {@code va} as a program reads it: pread of 8 bytes at (va / 4096) * 8. */
    private static long entry(FileTable t, int fd, long va) {
        byte[] b = new byte[8];
        assertEquals(8, t.pread(fd, b, 0, 8, (va >>> 12) * 8));
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private int open(FileTable t, String path) {
        int fd = t.openat(AT_FDCWD, path, O_RDONLY, 0);
        assertTrue(fd >= 0, path + ": " + fd);
        return fd;
    }

    private void touch(long va, AccessType access) {
        assertTrue(m.faults.pageFault(va, access).resolved());
    }

    @Test
    void touchedPageIsPresentWithItsFrameAndUntouchedPageReadsZero() {
        self.uid = 0; // CAP_SYS_ADMIN: frame numbers are shown
        m.mm.insert(Vma.anonymous(AREA, AREA + 0x2000, RW, 0, null));
        touch(AREA, AccessType.WRITE);
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");

        long touched = entry(t, fd, AREA);
        long frame = PageTables.frameOf(m.pt.pte(AREA));
        assertEquals(PRESENT | EXCLUSIVE | (frame >>> 12), touched);
        assertNotEquals(0, touched & PFN);
        assertEquals(0, touched & (SWAPPED | FILE | SOFT_DIRTY));
        assertEquals(0, entry(t, fd, AREA + 0x1000), "mapped but never touched");
        assertEquals(0, entry(t, fd, AREA + 0x2000), "outside every area");
    }

    @Test
    void withoutCapSysAdminFrameNumbersAreZeroButTheFlagsRemain() {
        self.uid = 1000;
        m.mm.insert(Vma.anonymous(AREA, AREA + 0x1000, RW, 0, null));
        touch(AREA, AccessType.WRITE);
        FileTable t = table();
        assertEquals(PRESENT | EXCLUSIVE, entry(t, open(t, "/proc/self/pagemap"), AREA));
    }

    @Test
    void readsMustStartAndEndOnEightByteEntries() {
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");
        byte[] b = new byte[16];
        assertEquals(-Errno.EINVAL, t.pread(fd, b, 0, 8, 4));
        assertEquals(-Errno.EINVAL, t.pread(fd, b, 0, 12, 0));
        assertEquals(-Errno.EINVAL, t.read(fd, b, 0, 1));
        assertEquals(16, t.read(fd, b, 0, 16));
        assertEquals(16, t.lseek(fd, 0, 1 /* SEEK_CUR */));
    }

    @Test
    void consecutiveReadsWalkConsecutivePages() {
        self.uid = 0;
        m.mm.insert(Vma.anonymous(AREA, AREA + 0x3000, RW, 0, null));
        touch(AREA + 0x2000, AccessType.WRITE);
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");
        assertEquals((AREA >>> 12) * 8, t.lseek(fd, (AREA >>> 12) * 8, 0 /* SEEK_SET */));
        byte[] b = new byte[24];
        assertEquals(24, t.read(fd, b, 0, 24));
        ByteBuffer e = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, e.getLong(0));
        assertEquals(0, e.getLong(8));
        assertEquals(PRESENT | EXCLUSIVE | (PageTables.frameOf(m.pt.pte(AREA + 0x2000)) >>> 12), e.getLong(16));
    }

    @Test
    void pageCachePageIsFileAndTheZeroPageIsPresentButNoOnesOwn() throws OutOfFramesException {
        self.uid = 0;
        long file = 0x400000;
        m.mm.insert(Vma.file(file, file + 0x1000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[0x1000]), 0, Long.MAX_VALUE, "/bin/data")));
        m.mm.insert(Vma.anonymous(AREA, AREA + 0x1000, RW, 0, null));
        touch(file, AccessType.READ);
        touch(AREA, AccessType.READ);
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");
        assertEquals(PRESENT | FILE | EXCLUSIVE | (PageTables.frameOf(m.pt.pte(file)) >>> 12), entry(t, fd, file));
        long zero = m.frames.zeroFrame();
        assertEquals(PRESENT | (zero >>> 12), entry(t, fd, AREA), "the shared zero page: vm_normal_page gives none");
    }

    @Test
    void pageSharedWithAForkChildIsNoLongerExclusiveUntilCopyOnWrite() throws OutOfFramesException {
        m.mm.insert(Vma.anonymous(AREA, AREA + 0x1000, RW, 0, null));
        touch(AREA, AccessType.WRITE);
        self.uid = 0;
        DupMmap.fork(m.mm, 2);
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");
        assertEquals(PRESENT, entry(t, fd, AREA) & (PRESENT | EXCLUSIVE));
        touch(AREA, AccessType.WRITE);
        assertEquals(PRESENT | EXCLUSIVE, entry(t, fd, AREA) & (PRESENT | EXCLUSIVE), "the parent's own copy now");
    }

    @Test
    void theFileEndsAtTheTopOfTheUserAddressSpace() {
        FileTable t = table();
        int fd = open(t, "/proc/self/pagemap");
        long end = (m.mm.layout().taskSize() >>> 12) * 8;
        byte[] b = new byte[32];
        assertEquals(8, t.pread(fd, b, 0, 32, end - 8), "the last page's entry, then the end");
        assertEquals(0, t.pread(fd, b, 0, 8, end));
        assertEquals(0, t.pread(fd, b, 0, 8, Long.MAX_VALUE & ~7L));
    }

    @Test
    void anotherUsersPagemapCannotBeOpenedButOnesOwnUsersCan() {
        other.uid = 2000;
        FileTable t = table();
        assertEquals(-Errno.EACCES, t.openat(AT_FDCWD, "/proc/4300/pagemap", O_RDONLY, 0));
        other.uid = self.uid;
        assertTrue(t.openat(AT_FDCWD, "/proc/4300/pagemap", O_RDONLY, 0) >= 0);
    }

    @Test
    void aProcessWithoutAnAddressSpaceHasAnEmptyPagemap() {
        self.mm = null;
        FileTable t = table();
        assertEquals(0, t.read(open(t, "/proc/self/pagemap"), new byte[8], 0, 8));
    }
}
