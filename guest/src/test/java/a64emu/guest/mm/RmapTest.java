package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reverse map against the page tables in RAM: for every frame, the mappings
 * {@code rmap_walk} visits (Linux {@code mm/rmap.c}) are exactly the level 3 entries, in
 * every live address space, that map it, and {@code page_mapcount} is their number. Checked
 * after each operation that writes entries: faults, COW, fork, mremap, munmap, exit, and
 * reclaim's unmap.
 */
class RmapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc parent = Proc.first(m);

    /** Every frame's reverse map equals the entries in RAM that map it, and its map count their number. */
    static void assertRmapMatchesPageTables(FrameAllocator frames) {
        Map<Integer, Set<String>> inRam = new HashMap<>();
        for (AddressSpace as : frames.addressSpaces()) {
            PageTables pt = as.pageTables();
            pt.forEachPresent(0, as.layout().taskSize(), (va, pte) -> {
                if (!PageTables.isSpecial(pte)) {
                    inRam.computeIfAbsent(FrameAllocator.pfn(PageTables.frameOf(pte)), k -> new TreeSet<>())
                            .add(pt.asid() + ":0x" + Long.toHexString(va));
                }
                return pte;
            });
        }
        for (int pfn = 1; pfn < frames.totalFrames(); pfn++) {
            Set<String> walked = new TreeSet<>();
            frames.rmap().forEach(pfn, (pt, va) -> {
                walked.add(pt.asid() + ":0x" + Long.toHexString(va));
                return true;
            });
            Set<String> expected = inRam.getOrDefault(pfn, Set.of());
            assertEquals(expected, walked, "reverse map of pfn " + pfn);
            long pa = FrameAllocator.address(pfn);
            if (frames.isAllocated(pa) && frames.kind(pa) != FrameAllocator.PageKind.ZERO) {
                assertEquals(expected.size(), frames.mapcount(pa), "page_mapcount of pfn " + pfn);
            }
        }
    }

    @Test
    void faultedPagesAreInTheReverseMapUnderTheirAddress() throws Exception {
        long a = parent.map.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        parent.user.read64(a + 3 * PAGE);
        assertRmapMatchesPageTables(m.frames);
        long pa = PageTables.frameOf(m.pt.pte(a + PAGE));
        long[] seen = new long[1];
        m.frames.rmap().forEach(FrameAllocator.pfn(pa), (pt, va) -> {
            seen[0] = va;
            return true;
        });
        assertEquals(a + PAGE, seen[0]);
    }

    @Test
    void forkAddsTheChildsEntriesAndCopyOnWriteMovesThem() throws Exception {
        long a = parent.map.mmap(0, 3 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 3; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        Proc child = parent.fork(2);
        assertRmapMatchesPageTables(m.frames);
        assertEquals(2, m.frames.mapcount(PageTables.frameOf(m.pt.pte(a))));
        child.run().user.write64(a, 42); // the child copies page 0
        parent.run().user.write64(a + PAGE, 43); // the parent copies page 1
        assertRmapMatchesPageTables(m.frames);
        child.mm.release();
        assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void aFilePageMappedByTwoProcessesHasBothMappings() throws Exception {
        MemoryMap.MappableFile f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) (2 * PAGE)]),
                "/data", true, false);
        long a = parent.map.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        parent.user.read64(a);
        Proc other = new Proc(m, new AddressSpace(new PageTables(m.frames, m.mmu, 48, 7), VmLayout.forVaBits(48)));
        long b = other.run().map.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
        other.user.read64(b);
        other.user.read64(b + PAGE);
        assertRmapMatchesPageTables(m.frames);
        assertEquals(2, m.frames.mapcount(PageTables.frameOf(m.pt.pte(a))));
    }

    @Test
    void mremapMovesTheMappingsToTheNewAddress() throws Exception {
        long a = parent.map.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            parent.user.write64(a + i * PAGE, 100 + i);
        }
        Proc child = parent.fork(2);
        long target = parent.run().map.mmap(0, 64 * PAGE, RW, ANON, null, 0);
        assertEquals(0, parent.map.munmap(target, 64 * PAGE));
        long b = parent.map.mremap(a, 4 * PAGE, 64 * PAGE, MemoryMap.MREMAP_MAYMOVE | MemoryMap.MREMAP_FIXED,
                target);
        assertEquals(target, b);
        assertRmapMatchesPageTables(m.frames);
        assertEquals(102, parent.user.read64(b + 2 * PAGE));
        assertEquals(102, child.run().user.read64(a + 2 * PAGE));
        assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void mremapDontunmapLeavesTheOldRangeEmpty() throws Exception {
        long a = parent.map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 1);
        parent.user.write64(a + PAGE, 2);
        long b = parent.map.mremap(a, 2 * PAGE, 2 * PAGE,
                MemoryMap.MREMAP_MAYMOVE | MemoryMap.MREMAP_DONTUNMAP, 0);
        assertTrue(b > 0);
        assertRmapMatchesPageTables(m.frames);
        assertEquals(0, m.pt.pte(a));
    }

    @Test
    void munmapOfPartOfAnAreaRemovesOnlyThoseMappings() throws Exception {
        long a = parent.map.mmap(0, 8 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 8; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        Proc child = parent.fork(2);
        assertEquals(0, parent.run().map.munmap(a + 2 * PAGE, 3 * PAGE));
        assertRmapMatchesPageTables(m.frames);
        assertEquals(0, child.run().map.munmap(a, PAGE));
        assertRmapMatchesPageTables(m.frames);
        parent.mm.release();
        assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void mprotectAndTheZeroPageKeepTheMapExact() throws Exception {
        long a = parent.map.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        parent.user.read64(a); // zero page: not in any reverse map
        parent.user.write64(a + PAGE, 1);
        parent.user.read64(a + 2 * PAGE);
        parent.user.write64(a + 2 * PAGE, 2); // zero page replaced by a frame of its own
        assertEquals(0, parent.map.mprotect(a, 4 * PAGE, Mman.PROT_READ));
        assertRmapMatchesPageTables(m.frames);
        assertEquals(0, parent.map.mprotect(a, 4 * PAGE, Mman.PROT_NONE));
        assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void reclaimsUnmapRemovesEveryMappingOfASwappedPage() throws Exception {
        MemorySwapDevice.attach(m, 1 << 20);
        long a = parent.map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 5);
        parent.user.write64(a + PAGE, 6);
        assertEquals(0, parent.map.madvise(a, 2 * PAGE, Mman.MADV_PAGEOUT));
        assertRmapMatchesPageTables(m.frames);
        Proc child = parent.fork(2);
        assertEquals(5, child.run().user.read64(a)); // swap-in through the swap cache
        assertEquals(5, parent.run().user.read64(a)); // found in the swap cache
        assertRmapMatchesPageTables(m.frames);
        assertEquals(PageTables.frameOf(m.pt.pte(a)), PageTables.frameOf(child.mm.pageTables().pte(a)));
    }
}
