package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
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
        String text = new String(Vmstat.show(Meminfo.Counters.of(m.frames), faults, m.frames.pageCache().reads()),
                StandardCharsets.UTF_8);
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

    /** Linux 6.1's vmstat_text (arm64, no NUMA), in order; every printed name must be one of them. */
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
            "nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages", "nr_sec_page_table_pages",
            "nr_swapcached", "nr_dirty_threshold", "nr_dirty_background_threshold",
            "pgpgin", "pgpgout", "pswpin", "pswpout", "pgfree", "pgactivate", "pgdeactivate", "pglazyfree",
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
                "pgmajfault", "pswpin", "pswpout", "pgpgin", "pgpgout", "pgsteal_kswapd", "pgscan_kswapd",
                "oom_kill", "nr_zspages")) {
            assertTrue(names.contains(asked), asked);
        }
    }

    @Test
    void pageCountsFollowTheFramesAsFaultsFillThem() {
        long va = 0x10000000L;
        m.mm.insert(Vma.anonymous(va, va + 0x8000, RW, 0, null));
        Map<String, Long> before = fields();
        assertEquals(m.frames.freeFrames(), before.get("nr_free_pages"));
        for (int i = 0; i < 3; i++) {
            assertTrue(m.faults.pageFault(va + i * 0x1000L, AccessType.WRITE).resolved());
        }
        Map<String, Long> after = fields();
        assertEquals(before.get("nr_anon_pages") + 3, after.get("nr_anon_pages"));
        assertEquals(before.get("nr_inactive_anon") + 3, after.get("nr_inactive_anon"));
        long tables = after.get("nr_page_table_pages") - before.get("nr_page_table_pages");
        assertTrue(tables > 0, "the walk to a new area needs new tables");
        assertEquals(before.get("nr_free_pages") - 3 - tables, after.get("nr_free_pages"));
    }

    @Test
    void aMappedFilePageIsAFilePageAndMapped() {
        long file = 0x400000;
        m.mm.insert(Vma.file(file, file + 0x2000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[0x2000]), 0, Long.MAX_VALUE, "/bin/data")));
        assertTrue(m.faults.pageFault(file, AccessType.READ).resolved());
        Map<String, Long> f = fields();
        assertEquals(1, f.get("nr_file_pages"));
        assertEquals(1, f.get("nr_mapped"));
        assertEquals(1, f.get("nr_inactive_file"));
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
    void pgfaultCountsEachResolvedFaultOnceAndOomKillsTheFaultsThatFoundNoMemory() {
        // 5 zero-fill faults of which 2 grew the stack, 3 file, 1 copy-on-write, 4 access flag,
        // 1 other; 6 SIGSEGV (never reach the handler), 1 SIGBUS, 2 out of memory.
        FaultCounts faults = new FaultCounts(5, 3, 1, 4, 0, 0, 0, 2, 1, 6, 1, 2);
        Map<String, Long> f = fields(faults);
        assertEquals(5 + 3 + 1 + 4 + 1 + 2, f.get("pgfault"));
        assertEquals(2, f.get("oom_kill"));
    }

    @Test
    void mechanismsThisKernelDoesNotHaveCountNothing() {
        Map<String, Long> f = fields();
        for (String zero : List.of("pswpin", "pswpout", "pgpgin", "pgpgout", "pgsteal_kswapd", "pgscan_kswapd",
                "pgsteal_direct", "pgscan_direct", "nr_swapcached", "nr_zspages", "nr_writeback")) {
            assertEquals(0, f.get(zero), zero);
        }
    }
}
