package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.mmu.AccessType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc first = Proc.first(m);
    @TempDir
    Path dir;

    private Path file(int pages, byte fill) throws Exception {
        Path p = dir.resolve("data");
        byte[] b = new byte[(int) (pages * PAGE)];
        java.util.Arrays.fill(b, fill);
        Files.write(p, b);
        return p;
    }

    /** A second process on the same machine that did not fork from the first. */
    private Proc other() throws OutOfFramesException {
        return new Proc(m, new AddressSpace(new PageTables(m.frames, m.mmu, 48, 2), VmLayout.forVaBits(48)));
    }

    private static MemoryMap.MappableFile rw(Path p) {
        return new MemoryMap.MappableFile(new TempFilePages(p), p.toString(), true, true);
    }

    @Test
    void twoProcessesMappingTheSameFileShareOnePageCacheFrame() throws Exception {
        Path p = file(1, (byte) 3);
        Proc second = other();
        long a = first.run().map.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, rw(p), 0);
        assertEquals(3, first.user.read(a, 1)[0]);
        // A separate open of the same file: the cache is keyed by the file, not the description.
        long b = second.run().map.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, rw(p), 0);
        assertEquals(3, second.user.read(b, 1)[0]);
        long frame = PageTables.frameOf(m.pt.pte(a));
        assertEquals(frame, PageTables.frameOf(second.mm.pageTables().pte(b)));
        assertEquals(2, m.frames.mapcount(frame));
        assertEquals(1, m.frames.pageCache().size());
    }

    @Test
    void aSharedStoreIsALoadInTheOtherProcess() throws Exception {
        Path p = file(1, (byte) 0);
        Proc second = other();
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        long b = second.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.run().user.write64(a + 8, 0x1234);
        assertEquals(0x1234, second.run().user.read64(b + 8));
    }

    @Test
    void sharedStoresReachTheFileOnMsync() throws Exception {
        Path p = file(2, (byte) 0);
        long a = first.run().map.mmap(0, 2 * PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.user.write(a + PAGE + 5, new byte[] {42});
        assertEquals(0, Files.readAllBytes(p)[(int) PAGE + 5], "not yet written back");
        assertEquals(0, first.map.msync(a, 2 * PAGE, Mman.MS_SYNC));
        assertEquals(42, Files.readAllBytes(p)[(int) PAGE + 5]);
        assertFalse(ProtectionMap.isDirty(m.pt.pte(a + PAGE)), "msync cleaned the entry");
        first.user.write(a + PAGE + 6, new byte[] {43});
        assertTrue(ProtectionMap.isDirty(m.pt.pte(a + PAGE)), "the next write is seen again");
    }

    @Test
    void sharedStoresReachTheFileOnMunmap() throws Exception {
        Path p = file(1, (byte) 0);
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.user.write(a, new byte[] {9});
        assertEquals(0, first.map.munmap(a, PAGE));
        assertEquals(9, Files.readAllBytes(p)[0]);
        assertEquals(1, m.frames.pageCache().size(), "the page stays cached until reclaim wants it");
        long frame = m.frames.pageCache().find(rw(p).source(), 0);
        assertFalse(m.frames.isDirty(frame), "written back when its last mapping went");
    }

    @Test
    void sharedStoresReachTheFileWhenTheAddressSpaceIsReleased() throws Exception {
        Path p = file(1, (byte) 0);
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.user.write(a + 100, new byte[] {77});
        m.mm.release();
        assertEquals(77, Files.readAllBytes(p)[100]);
    }

    @Test
    void privateStoresNeverReachTheFile() throws Exception {
        Path p = file(1, (byte) 1);
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, rw(p), 0);
        first.user.write(a, new byte[] {50});
        assertEquals(0, first.map.msync(a, PAGE, Mman.MS_SYNC));
        first.map.munmap(a, PAGE);
        assertEquals(1, Files.readAllBytes(p)[0]);
    }

    @Test
    void aWritableSharedPageStartsCleanAndItsFirstWriteMakesItDirty() throws Exception {
        Path p = file(1, (byte) 0);
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.user.read(a, 1);
        long pte = m.pt.pte(a);
        assertFalse(ProtectionMap.isDirty(pte));
        assertFalse(ProtectionMap.isWritable(pte), "writable-clean: PTE_WRITE with AP[2] still set");
        first.user.write(a, new byte[] {1});
        assertTrue(ProtectionMap.isWritable(m.pt.pte(a)));
        assertTrue(ProtectionMap.isDirty(m.pt.pte(a)));
    }

    @Test
    void accessWhollyBeyondTheEndOfTheFileIsSigbusAtTheFaultingAddress() throws Exception {
        Path p = dir.resolve("short");
        Files.write(p, new byte[100]);
        long a = first.run().map.mmap(0, 3 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, rw(p), 0);
        assertTrue(first.faults.pageFault(a + 99, AccessType.READ).resolved(), "the partial last page is fine");
        assertTrue(first.faults.pageFault(a + 4000, AccessType.READ).resolved());
        SignalInfo s = first.faults.pageFault(a + PAGE + 0x123, AccessType.READ).signal();
        assertEquals(Signal.SIGBUS, s.signo());
        assertEquals(Signal.BUS_ADRERR, s.code());
        assertEquals(a + PAGE + 0x123, s.addr());
        assertEquals(1, first.faults.counts().sigbus());
    }

    @Test
    void theTailOfTheLastPageReadsAsZeros() throws Exception {
        Path p = dir.resolve("short");
        Files.write(p, new byte[] {1, 2, 3});
        long a = first.run().map.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, rw(p), 0);
        byte[] page = first.user.read(a, (int) PAGE);
        assertEquals(3, page[2]);
        assertEquals(0, page[3]);
        assertEquals(0, page[(int) PAGE - 1]);
    }

    @Test
    void pageoutDropsACleanFilePageOnlyThisProcessMaps() throws Exception {
        Path p = file(1, (byte) 5);
        long a = first.run().map.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, rw(p), 0);
        first.user.read(a, 1);
        assertEquals(1, m.frames.pageCache().size());
        assertEquals(0, first.map.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(0, m.frames.pageCache().size());
        assertFalse(PageTables.isPresent(m.pt.pte(a)));
        assertEquals(5, first.user.read(a, 1)[0], "refaults from the file");
    }

    // ---- coherence with read(2), write(2) and ftruncate(2) ------------------------------

    @Test
    void aReadOfTheFileSeesSharedStoresWithoutMsync() throws Exception {
        Path p = file(1, (byte) 'A');
        long a = first.run().map.mmap(0, PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        first.user.write(a, new byte[] {'s'});
        m.frames.pageCache().syncToFile(p.toAbsolutePath());
        assertEquals('s', Files.readAllBytes(p)[0]);
        assertFalse(ProtectionMap.isDirty(m.pt.pte(a)), "cleaned, so the next store is tracked again");
    }

    @Test
    void aWriteToTheFileIsSeenThroughSharedAndReadOnlyPrivateMappings() throws Exception {
        Path p = file(1, (byte) 'C');
        long shared = first.run().map.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, rw(p), 0);
        long priv = first.map.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, rw(p), 0);
        long copied = first.map.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, rw(p), 0);
        first.user.read(shared, 1);
        first.user.read(priv, 1);
        first.user.write(copied, new byte[] {'x'});
        new TempFilePages(p).writeAt(9, new byte[] {'w'}, 0, 1);
        m.frames.pageCache().refresh(new TempFilePages(p));
        assertEquals('w', first.user.read(shared + 9, 1)[0]);
        assertEquals('w', first.user.read(priv + 9, 1)[0], "a private page not yet written is still the file's");
        assertEquals('C', first.user.read(copied + 9, 1)[0], "a private copy is not");
    }

    @Test
    void truncatingTheFileUnmapsPagesPastTheEndAndZeroesTheTail() throws Exception {
        Path p = file(3, (byte) 'A');
        long a = first.run().map.mmap(0, 3 * PAGE, RW, Mman.MAP_SHARED, rw(p), 0);
        long priv = first.map.mmap(0, 3 * PAGE, RW, Mman.MAP_PRIVATE, rw(p), 0);
        first.user.read(a + 2 * PAGE, 1);
        first.user.write(priv + 2 * PAGE, new byte[] {'p'});
        try (var f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(100);
        }
        m.frames.pageCache().truncate(p.toAbsolutePath(), 100);
        assertEquals(0, first.user.read(a + 100, 1)[0], "the tail of the last page reads as zeros");
        assertEquals('A', first.user.read(a + 99, 1)[0]);
        assertEquals(Signal.SIGBUS, first.faults.pageFault(a + 2 * PAGE, AccessType.READ).signal().signo());
        assertEquals(Signal.SIGBUS, first.faults.pageFault(priv + 2 * PAGE, AccessType.READ).signal().signo(),
                "private copies past the end go too");
    }
}
