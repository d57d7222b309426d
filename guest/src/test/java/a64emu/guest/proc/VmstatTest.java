package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /proc/vmstat: Linux 6.1's counter names in vmstat_text order, values from the kernel's own counts. */
class VmstatTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private final TestMachine m = new TestMachine(39, 64L << 20);

    private Map<String, Long> fields(FaultCounts faults) {
        Map<String, Long> out = new LinkedHashMap<>();
        String text = new String(Vmstat.show(m.frames, faults), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"));
        for (String line : text.split("\n")) {
            assertTrue(line.matches("[a-z0-9_]+ \\d+"), line);
            String[] kv = line.split(" ");
            assertEquals(null, out.put(kv[0], Long.parseLong(kv[1])), "twice: " + kv[0]);
        }
        return out;
    }

    private Map<String, Long> fields() {
        return fields(FaultCounts.ZERO);
    }

    private void touch(long va, int pages) {
        m.mm.insert(Vma.anonymous(va, va + pages * 0x1000L, RW, 0, null));
        for (int i = 0; i < pages; i++) {
            assertTrue(m.faults.pageFault(va + i * 0x1000L, AccessType.WRITE).resolved());
        }
    }

    /**
     * Linux 6.1's vmstat_text for an android14-6.1 GKI arm64 kernel (no NUMA; ZONE_DMA32 and
     * ZONE_DEVICE, no ZONE_DMA; SHADOW_CALL_STACK, SWAP, ZSMALLOC, CMA, COMPACTION, THP), in
     * order, up to swap_ra_hit; every printed name must be one of them.
     */
    private static final List<String> VMSTAT_TEXT = List.of(
            "nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
            "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_bounce",
            "nr_zspages", "nr_free_cma",
            "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
            "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
            "workingset_nodes", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
            "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file",
            "workingset_nodereclaim", "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
            "nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages",
            "nr_file_pmdmapped", "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim",
            "nr_dirtied", "nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
            "nr_foll_pin_released", "nr_kernel_stack", "nr_shadow_call_stack", "nr_page_table_pages",
            "nr_sec_page_table_pages", "nr_swapcached", "nr_dirty_threshold", "nr_dirty_background_threshold",
            "pgpgin", "pgpgout", "pswpin", "pswpout",
            "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "pgalloc_device",
            "allocstall_dma32", "allocstall_normal", "allocstall_movable", "allocstall_device",
            "pgskip_dma32", "pgskip_normal", "pgskip_movable", "pgskip_device",
            "pgfree", "pgactivate", "pgdeactivate", "pglazyfree",
            "pgfault", "pgmajfault", "pglazyfreed", "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct",
            "pgdemote_kswapd", "pgdemote_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle",
            "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file", "pginodesteal", "slabs_scanned",
            "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "pageoutrun",
            "pgrotated", "drop_pagecache", "drop_slab", "oom_kill", "swap_ra", "swap_ra_hit");

    @Test
    void everyLineIsALinuxCounterNameInVmstatTextOrder() {
        List<String> names = new ArrayList<>(fields().keySet());
        List<String> inLinuxOrder = VMSTAT_TEXT.stream().filter(names::contains).toList();
        assertEquals(inLinuxOrder, names);
        for (String asked : List.of("nr_free_pages", "nr_anon_pages", "nr_file_pages", "nr_mapped", "pgfault",
                "pgmajfault", "pswpin", "pswpout", "pgpgin", "pgsteal_kswapd", "pgscan_kswapd", "pgsteal_direct",
                "pgscan_direct", "pgrefill", "pgactivate", "pgdeactivate", "oom_kill", "nr_zspages", "nr_swapcached",
                "workingset_refault_anon", "workingset_refault_file", "workingset_activate_file",
                "workingset_restore_file", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
                "pageoutrun", "allocstall_dma32", "allocstall_normal", "allocstall_movable", "allocstall_device",
                "nr_inactive_file", "nr_active_file", "nr_zone_active_anon")) {
            assertTrue(names.contains(asked), asked);
        }
    }

    @Test
    void pageCountsFollowTheFramesAsFaultsFillThem() {
        Map<String, Long> before = fields();
        assertEquals(m.frames.freeFrames(), before.get("nr_free_pages"));
        touch(0x10000000L, 3);
        Map<String, Long> after = fields();
        assertEquals(before.get("nr_anon_pages") + 3, after.get("nr_anon_pages"));
        assertEquals(before.get("nr_inactive_anon") + 3, after.get("nr_inactive_anon"));
        assertEquals(after.get("nr_inactive_anon"), after.get("nr_zone_inactive_anon"));
        long tables = after.get("nr_page_table_pages") - before.get("nr_page_table_pages");
        assertTrue(tables > 0, "the walk to a new area needs new tables");
        assertEquals(before.get("nr_free_pages") - 3 - tables, after.get("nr_free_pages"));
    }

    @Test
    void aMappedFilePageIsAFilePageAndMappedAndItsReadAMajorFault() {
        long file = 0x400000;
        m.mm.insert(Vma.file(file, file + 0x2000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[0x2000]), 0, Long.MAX_VALUE, "/bin/data")));
        assertTrue(m.faults.pageFault(file, AccessType.READ).resolved());
        Map<String, Long> f = fields();
        assertEquals(1, f.get("nr_file_pages"));
        assertEquals(1, f.get("nr_mapped"));
        assertEquals(1, f.get("nr_inactive_file"));
        assertEquals(m.frames.events().get(VmEvents.Event.PGMAJFAULT), f.get("pgmajfault"));
        assertEquals(1, f.get("pgmajfault"), "the page cache read the page from the file");
    }

    @Test
    void sharedAnonymousMemoryIsShmemInThePageCacheOnTheAnonList() {
        long va = m.memoryMap.mmap(0, 0x2000, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        assertTrue(va > 0, "mmap: " + va);
        assertTrue(m.faults.pageFault(va, AccessType.WRITE).resolved());
        Map<String, Long> f = fields();
        assertEquals(1, f.get("nr_shmem"));
        assertEquals(1, f.get("nr_file_pages"), "shmem lives in the page cache");
        assertEquals(1, f.get("nr_mapped"));
        assertEquals(1, f.get("nr_inactive_anon"), "swap-backed, so on the anon LRU");
        assertEquals(0, f.get("nr_inactive_file"));
        assertEquals(0, f.get("pgmajfault"), "a new shmem page is zero-filled, not read");
        String meminfo = new String(Meminfo.show(m.frames), StandardCharsets.UTF_8);
        assertTrue(meminfo.contains("\nCached:                4 kB\n"), meminfo);
        assertTrue(meminfo.contains("\nShmem:                 4 kB\n"), meminfo);
        assertTrue(meminfo.contains("\nMapped:                4 kB\n"), meminfo);
    }

    @Test
    void pgfaultIsTheHandlersCountAndOomKillTheOomKillersKills() {
        touch(0x10000000L, 3);
        m.frames.events().count(VmEvents.Event.OOM_KILL, 2);
        Map<String, Long> f = fields();
        assertEquals(3, f.get("pgfault"));
        assertEquals(m.frames.events().get(VmEvents.Event.PGFAULT), f.get("pgfault"));
        assertEquals(0, f.get("pgmajfault"));
        assertEquals(2, f.get("oom_kill"));
    }

    @Test
    void swapOutAndInMovePswpoutPswpinPgmajfaultAndZspages() throws Exception {
        TestZram.attach(m, 1 << 20);
        long va = 0x10000000L;
        touch(va, 2);
        for (int i = 0; i < 2 * 512; i++) m.user.write64(va + i * 8L, i * 0x9E3779B97F4A7C15L);
        assertEquals(0, m.memoryMap.madvise(va, 0x2000, Mman.MADV_PAGEOUT));
        Map<String, Long> out = fields();
        assertEquals(2, out.get("pswpout"));
        // MADV_PAGEOUT's reclaim_pages counts no pgscan or pgsteal: those are shrink_inactive_list's.
        assertEquals(0, out.get("pgsteal_direct") + out.get("pgsteal_kswapd"));
        assertEquals(m.frames.count(FrameAllocator.PageKind.ZSMALLOC), out.get("nr_zspages"));
        assertTrue(out.get("nr_zspages") > 0);
        assertEquals(0, out.get("nr_anon_pages"));
        long majorBefore = out.get("pgmajfault");
        assertEquals(1 * 0x9E3779B97F4A7C15L, m.user.read64(va + 8));
        Map<String, Long> in = fields();
        assertEquals(1, in.get("pswpin"));
        assertEquals(majorBefore + 1, in.get("pgmajfault"), "a swap-in is a major fault");
        assertEquals(1, in.get("workingset_refault_anon"));
        assertEquals(m.frames.countSwapCached(), in.get("nr_swapcached"));
    }

    @Test
    void allocstallIsCountedUnderTheZoneEachAllocationMayReach() {
        m.frames.events().count(VmEvents.Event.ALLOCSTALL_MOVABLE, 5);
        m.frames.events().count(VmEvents.Event.ALLOCSTALL_NORMAL, 2);
        Map<String, Long> f = fields();
        assertEquals(0, f.get("allocstall_dma32"));
        assertEquals(2, f.get("allocstall_normal"));
        assertEquals(5, f.get("allocstall_movable"));
        assertEquals(0, f.get("allocstall_device"));
    }

    @Test
    void reclaimEventsComeFromTheKernelsCounters() {
        VmEvents e = m.frames.events();
        e.count(VmEvents.Event.PGSCAN_KSWAPD, 7);
        e.count(VmEvents.Event.KSWAPD_LOW_WMARK_HIT_QUICKLY, 2);
        e.count(VmEvents.Event.PAGEOUTRUN, 3);
        e.count(VmEvents.Event.WORKINGSET_ACTIVATE_FILE, 4);
        Map<String, Long> f = fields();
        assertEquals(7, f.get("pgscan_kswapd"));
        assertEquals(2, f.get("kswapd_low_wmark_hit_quickly"));
        assertEquals(3, f.get("pageoutrun"));
        assertEquals(4, f.get("workingset_activate_file"));
    }

    @Test
    void mechanismsThisKernelDoesNotHaveCountNothing() {
        Map<String, Long> f = fields();
        for (String zero : List.of("pswpin", "pswpout", "pgpgin", "pgsteal_kswapd", "pgscan_kswapd",
                "pgsteal_direct", "pgscan_direct", "nr_swapcached", "nr_zspages", "nr_writeback", "nr_isolated_anon",
                "pgskip_dma32", "nr_shadow_call_stack", "pgdemote_kswapd", "swap_ra")) {
            assertEquals(0, f.get(zero), zero);
        }
    }

    @Test
    void countersThisKernelDoesNotKeepAreLeftOut() {
        Map<String, Long> f = fields();
        for (String absent : List.of("pgpgout", "pgfree", "pgalloc_dma32", "pgreuse", "nr_dirtied", "nr_vmscan_write",
                "workingset_nodes", "slabs_scanned")) {
            assertTrue(!f.containsKey(absent), absent);
        }
    }
}
