package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.VmEvents.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page cache under reclaim and workingset detection, Linux 6.1 {@code mm/filemap.c},
 * {@code mm/vmscan.c} and {@code mm/workingset.c}: an unmapped page stays cached until
 * reclaim takes it ({@code __remove_mapping} leaves a shadow); reading it again is a major
 * fault counted in {@code workingset_refault_file}, and activates the page when the refault
 * distance is within the workingset ({@code active_file}, plus the anon lists while there is
 * free swap); {@code zap_pte_range} marks a page-cache page accessed when its entry was
 * young; a dirty MAP_SHARED page reaches its file before it leaves memory.
 */
class WorkingsetTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    @TempDir
    Path dir;

    private Path file(String name, int pages, byte fill) throws Exception {
        Path p = dir.resolve(name);
        byte[] b = new byte[(int) (pages * PAGE)];
        Arrays.fill(b, fill);
        Files.write(p, b);
        return p;
    }

    private static MemoryMap.MappableFile open(TempFilePages source, Path p, boolean writable) {
        return new MemoryMap.MappableFile(source, p.toString(), true, writable);
    }

    /** Maps the file's first page, reads it, and unmaps it again; the page stays cached. */
    private void readOnceAndUnmap(TempFilePages source, Path p) throws Exception {
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        m.user.read64(a);
        assertEquals(0, m.memoryMap.munmap(a, PAGE));
    }

    @Test
    void theCacheKeepsAnUnmappedPageUntilReclaim() throws Exception {
        Path p = file("data", 1, (byte) 9);
        TempFilePages source = new TempFilePages(p);
        readOnceAndUnmap(source, p);
        long pa = m.frames.pageCache().find(source, 0);
        assertTrue(pa >= 0, "still cached after munmap");
        assertEquals(FrameAllocator.PageKind.FILE, m.frames.kind(pa));
        assertEquals(0, m.frames.mapcount(pa));
        assertEquals(ListId.INACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
        assertEquals(1, m.vmscan.directReclaim(0));
        assertEquals(-1, m.frames.pageCache().find(source, 0));
        assertEquals(1, m.frames.events().get(Event.PGSTEAL_FILE));
    }

    @Test
    void readingAnEvictedPageAgainIsAMajorFaultCountedAsAWorkingsetRefault() throws Exception {
        Path p = file("data", 1, (byte) 9);
        TempFilePages source = new TempFilePages(p);
        readOnceAndUnmap(source, p);
        m.vmscan.directReclaim(0);
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        long major = m.faults.majorFaults();
        assertEquals(9, m.user.read(a, 1)[0]);
        assertEquals(major + 1, m.faults.majorFaults());
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_REFAULT_FILE));
        assertEquals(0, m.frames.events().get(Event.WORKINGSET_REFAULT_ANON));
    }

    @Test
    void aFileRefaultWithinTheWorkingsetDistanceIsActivated() throws Exception {
        // With free swap a file refault competes with the anon lists too: 8 inactive anon pages
        // cover a refault distance of 1 (one eviction since this page's).
        MemorySwapDevice.attach(m, 1 << 20);
        long anon = m.memoryMap.mmap(0, 8 * PAGE, RW, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
        for (int i = 0; i < 8; i++) {
            m.user.write64(anon + i * PAGE, i);
        }
        Path p = file("data", 1, (byte) 9);
        TempFilePages source = new TempFilePages(p);
        readOnceAndUnmap(source, p);
        m.vmscan.directReclaim(0);
        assertEquals(-1, m.frames.pageCache().find(source, 0));
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        m.user.read64(a);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_ACTIVATE_FILE));
        long pa = m.frames.pageCache().find(source, 0);
        assertEquals(ListId.ACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
    }

    @Test
    void aFileRefaultBeyondTheWorkingsetStaysInactive() throws Exception {
        // No swap, no active file pages: workingset_size 0 < refault distance 1.
        Path p = file("data", 1, (byte) 9);
        TempFilePages source = new TempFilePages(p);
        readOnceAndUnmap(source, p);
        m.vmscan.directReclaim(0);
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        m.user.read64(a);
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_REFAULT_FILE));
        assertEquals(0, m.frames.events().get(Event.WORKINGSET_ACTIVATE_FILE));
        long pa = m.frames.pageCache().find(source, 0);
        assertEquals(ListId.INACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
    }

    @Test
    void theRefaultDistanceCountsTheEvictionsSinceThePagesOwn() throws Exception {
        // Four unmapped pages are evicted one after the other (ages 0, 1, 2, 3; the age is then 4).
        // Two active file pages make the workingset 2: the first page's distance 4 is beyond it,
        // the last one's distance 1 is within it.
        Path p = file("data", 6, (byte) 1);
        TempFilePages source = new TempFilePages(p);
        long a = m.memoryMap.mmap(0, 6 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        for (int i = 0; i < 6; i++) {
            m.user.read64(a + i * PAGE);
        }
        assertEquals(0, m.memoryMap.munmap(a, 4 * PAGE));
        for (int i = 4; i < 6; i++) {
            long pa = PageTables.frameOf(m.pt.pte(a + i * PAGE));
            m.frames.setActive(pa, true);
            m.frames.lruPutback(FrameAllocator.pfn(pa));
        }
        assertEquals(4, m.vmscan.directReclaim(0));
        long b = m.memoryMap.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, open(source, p, false), 0);
        m.user.read64(b);
        assertEquals(0, m.frames.events().get(Event.WORKINGSET_ACTIVATE_FILE), "distance 4 > workingset 2");
        m.user.read64(b + 3 * PAGE);
        assertEquals(2, m.frames.events().get(Event.WORKINGSET_REFAULT_FILE));
        assertEquals(1, m.frames.events().get(Event.WORKINGSET_ACTIVATE_FILE), "distance 1 <= workingset 2");
        long last = m.frames.pageCache().find(source, 3 * PAGE);
        assertEquals(ListId.ACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(last)));
    }

    @Test
    void unmappingAYoungFileEntryMarksThePageAccessed() throws Exception {
        Path p = file("lib", 1, (byte) 3);
        TempFilePages source = new TempFilePages(p);
        readOnceAndUnmap(source, p);
        long pa = m.frames.pageCache().find(source, 0);
        assertTrue(m.frames.isReferenced(pa), "first mark_page_accessed: PG_referenced");
        readOnceAndUnmap(source, p);
        assertEquals(ListId.ACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)),
                "second mark_page_accessed: folio_activate");
    }

    @Test
    void aDirtySharedFilePageReachesItsFileBeforeItLeavesMemory() throws Exception {
        Path p = file("shared", 1, (byte) 0);
        TempFilePages source = new TempFilePages(p);
        long a = m.memoryMap.mmap(0, PAGE, RW, Mman.MAP_SHARED, open(source, p, true), 0);
        byte[] hello = "written through the mapping".getBytes(StandardCharsets.US_ASCII);
        m.user.write(a + 100, hello);
        for (int pass = 0; pass < 8 && m.frames.pageCache().find(source, 0) >= 0; pass++) {
            m.vmscan.directReclaim(0);
        }
        assertEquals(-1, m.frames.pageCache().find(source, 0), "reclaimed in the end");
        byte[] onDisk = Files.readAllBytes(p);
        assertArrayEquals(hello, Arrays.copyOfRange(onDisk, 100, 100 + hello.length));
        assertArrayEquals(hello, m.user.read(a + 100, hello.length), "refaulted from the file");
    }

    @Test
    void aDirtySharedFilePageIsNeverDroppedWithoutItsData() throws Exception {
        Path p = file("shared", 4, (byte) 0);
        TempFilePages source = new TempFilePages(p);
        long a = m.memoryMap.mmap(0, 4 * PAGE, RW, Mman.MAP_SHARED, open(source, p, true), 0);
        for (int i = 0; i < 4; i++) {
            m.user.write64(a + i * PAGE + 16, 0xabc0 + i);
        }
        for (int pass = 0; pass < 8; pass++) {
            m.vmscan.directReclaim(0);
            for (int i = 0; i < 4; i++) {
                assertEquals(0xabc0 + i, m.user.read64(a + i * PAGE + 16), "pass " + pass + " page " + i);
            }
        }
    }
}
