package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.Zone;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /proc/meminfo: Linux 6.1's lines and layout, numbers from the frames, the LRU lists, the zone and swap. */
class MeminfoTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private final TestMachine m = new TestMachine(39, 64L << 20);

    private Map<String, Long> fields() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : new String(Meminfo.show(m.frames), StandardCharsets.UTF_8).split("\n")) {
            String[] kv = line.split(":\\s*");
            out.put(kv[0], Long.parseLong(kv[1].replace(" kB", "").trim()));
        }
        return out;
    }

    /** An anonymous area of {@code pages} pages at {@code va}, each written once. */
    private void touch(long va, int pages) {
        m.mm.insert(Vma.anonymous(va, va + pages * 0x1000L, RW, 0, null));
        for (int i = 0; i < pages; i++) {
            assertTrue(m.faults.pageFault(va + i * 0x1000L, AccessType.WRITE).resolved());
        }
    }

    @Test
    void everyKilobyteLineHasA16ColumnLabelAndAn8ColumnValue() {
        String[] lines = new String(Meminfo.show(m.frames), StandardCharsets.UTF_8).split("\n");
        assertEquals("MemTotal:          65532 kB", lines[0]);
        for (String line : lines) {
            if (line.startsWith("HugePages_")) {
                assertTrue(line.matches("HugePages_\\w+: +\\d+") && line.length() == 24, line);
            } else {
                assertTrue(line.matches("[A-Za-z_()]+: *\\d+ kB") && line.length() == 27, line);
            }
        }
    }

    @Test
    void fieldsAppearInLinux61OrderForAGkiArm64Kernel() {
        String order = String.join(",", fields().keySet());
        assertEquals("MemTotal,MemFree,MemAvailable,Buffers,Cached,SwapCached,Active,Inactive,Active(anon),"
                + "Inactive(anon),Active(file),Inactive(file),Unevictable,Mlocked,SwapTotal,SwapFree,Dirty,"
                + "Writeback,AnonPages,Mapped,Shmem,KReclaimable,Slab,SReclaimable,SUnreclaim,KernelStack,"
                + "ShadowCallStack,PageTables,SecPageTables,NFS_Unstable,Bounce,WritebackTmp,CommitLimit,Committed_AS,"
                + "VmallocTotal,VmallocUsed,VmallocChunk,Percpu,AnonHugePages,ShmemHugePages,ShmemPmdMapped,"
                + "FileHugePages,FilePmdMapped,CmaTotal,CmaFree,HugePages_Total,HugePages_Free,HugePages_Rsvd,"
                + "HugePages_Surp,Hugepagesize,Hugetlb", order);
    }

    @Test
    void memTotalIsTheManagedPagesAndMemFreeTheFreeFrames() {
        Map<String, Long> f = fields();
        assertEquals(m.frames.zone().managedPages() * 4, f.get("MemTotal"));
        assertEquals((64L << 10) - 4, f.get("MemTotal"), "frame 0 is reserved, not managed");
        assertEquals(m.frames.freeFrames() * 4L, f.get("MemFree"));
    }

    @Test
    void touchingAnonymousPagesMovesThemFromFreeToAnonPagesOnTheInactiveList() {
        Map<String, Long> before = fields();
        touch(0x10000000L, 3);
        Map<String, Long> after = fields();
        assertEquals(before.get("AnonPages") + 12, after.get("AnonPages"));
        assertEquals(before.get("Inactive(anon)") + 12, after.get("Inactive(anon)"));
        long tablesAdded = after.get("PageTables") - before.get("PageTables");
        assertEquals(before.get("MemFree") - 12 - tablesAdded, after.get("MemFree"));
        assertEquals(after.get("Inactive(anon)") + after.get("Inactive(file)"), after.get("Inactive"));
        // The private writable area is charged to the commit whole: 3 pages.
        assertEquals(12, after.get("Committed_AS"));
    }

    @Test
    void activeInactiveAndUnevictableAreTheLruListSizes() throws Exception {
        TestZram.attach(m, 1 << 20);
        long va = m.memoryMap.mmap(0, 0x1000, RW, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
        m.user.write64(va, 7);
        long pa = PageTables.frameOf(m.pt.pte(va));
        // Reclaim finds the page referenced once and gives it another trip; used again, it is activated.
        m.vmscan.reclaimPages(List.of(pa));
        m.user.read64(va);
        m.vmscan.reclaimPages(List.of(pa));
        Map<String, Long> f = fields();
        assertEquals(4, f.get("Active(anon)"));
        assertEquals(f.get("Active(anon)") + f.get("Active(file)"), f.get("Active"));
        assertEquals(m.frames.lru().size(Lru.ListId.INACTIVE_ANON) * 4, f.get("Inactive(anon)"));
        assertEquals(0, f.get("Unevictable"));
        assertEquals(0, m.memoryMap.mlock(va, 0x1000, 0));
        Map<String, Long> locked = fields();
        assertEquals(4, locked.get("Unevictable"));
        assertEquals(4, locked.get("Mlocked"));
        assertEquals(0, locked.get("Active(anon)"));
    }

    @Test
    void withoutSwapTheSwapLinesAreZeroAndCommitLimitIsHalfTheRam() {
        Map<String, Long> f = fields();
        assertEquals(0, f.get("SwapTotal"));
        assertEquals(0, f.get("SwapFree"));
        assertEquals(0, f.get("SwapCached"));
        // vm_commit_limit: totalram_pages * overcommit_ratio (50) / 100.
        assertEquals(m.frames.zone().managedPages() * 50 / 100 * 4, f.get("CommitLimit"));
    }

    @Test
    void swapTotalIsTheAreaSwapFreeDropsAsPagesGoOutAndCommitLimitIncludesSwap() {
        long before = fields().get("CommitLimit");
        TestZram.attach(m, 1 << 20);
        Map<String, Long> f = fields();
        // 256 slots, the first holding the swap header.
        assertEquals(255 * 4, f.get("SwapTotal"));
        assertEquals(255 * 4, f.get("SwapFree"));
        assertEquals(before + 255 * 4, f.get("CommitLimit"));
        long va = 0x10000000L;
        touch(va, 3);
        assertEquals(0, m.memoryMap.madvise(va, 3 * 0x1000L, Mman.MADV_PAGEOUT));
        Map<String, Long> out = fields();
        assertEquals(252 * 4, out.get("SwapFree"));
        assertEquals(0, out.get("AnonPages"), "swapped out, no longer mapped");
        assertEquals(0, out.get("SwapCached"), "written and freed: nothing left in the swap cache");
    }

    @Test
    void zsmallocFramesAreNoLineButAreNotFree() throws Exception {
        TestZram.attach(m, 1 << 20);
        long va = 0x10000000L;
        touch(va, 2);
        // Contents that do not compress to nothing: zsmalloc must store them.
        for (int i = 0; i < 2 * 512; i++) m.user.write64(va + i * 8L, i * 0x9E3779B97F4A7C15L);
        Map<String, Long> before = fields();
        m.memoryMap.madvise(va, 2 * 0x1000L, Mman.MADV_PAGEOUT);
        Map<String, Long> after = fields();
        long zspages = m.frames.count(a64emu.guest.mm.FrameAllocator.PageKind.ZSMALLOC);
        assertTrue(zspages > 0);
        assertEquals(before.get("MemFree") + 8 - zspages * 4, after.get("MemFree"));
    }

    @Test
    void memAvailableIsFreeLessTheHighWatermarkPlusTheDroppablePageCache() {
        Zone zone = m.frames.zone();
        Map<String, Long> f = fields();
        long free = m.frames.freeFrames();
        long file = f.get("Active(file)") / 4 + f.get("Inactive(file)") / 4;
        long expected = free - zone.high() + file - Math.min(file / 2, zone.low());
        assertEquals(Math.max(0, expected) * 4, f.get("MemAvailable"));
        assertTrue(f.get("MemAvailable") < f.get("MemFree"), "the reserve is not available");
    }

    @Test
    void raisingTheWatermarksLowersMemAvailable() {
        long before = fields().get("MemAvailable");
        Zone zone = m.frames.zone();
        long high = zone.high();
        zone.setMinFreeKbytes(zone.minFreeKbytes() * 2);
        long after = fields().get("MemAvailable");
        assertEquals(before - (zone.high() - high) * 4, after);
    }
}
