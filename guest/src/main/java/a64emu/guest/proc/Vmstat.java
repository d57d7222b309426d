package a64emu.guest.proc;

import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Lru;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.guest.mm.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * /proc/vmstat after Linux 6.1's mm/vmstat.c (vmstat_show): one "name value" line per counter,
 * in vmstat_text's order (zone counters, node counters, then the vm events), every value a page
 * count or an event count since boot, as an android14-6.1 GKI arm64 kernel names them
 * (CONFIG_ZONE_DMA32 and CONFIG_ZONE_DEVICE give the per-zone events a _dma32, _normal,
 * _movable and _device line; CONFIG_SHADOW_CALL_STACK gives nr_shadow_call_stack).
 *
 * <p>Only counters this kernel can give truly are listed. Those it keeps: the zone and node
 * page counts ({@link Meminfo.Counters}: free pages, the LRU list sizes, mapped, page-cache,
 * shmem, dirty, mlocked, page-table, swap-cache and zsmalloc pages) and the events of
 * {@link VmEvents} (faults, swap in and out, reclaim scans and steals by kswapd and by
 * allocating tasks, activations, workingset refaults), with OOM kills from the fault handler.
 * Those that are 0 because nothing of the kind can happen here: no slab, kernel stacks or
 * reclaimable kernel memory in emulated RAM (the kernel's own memory lives in the JVM, as
 * meminfo says); no page isolated while /proc is read (reclaim runs on the same host thread);
 * no writeback in flight (dirty pages are written synchronously, so none is under writeback,
 * none is marked for immediate reclaim and none is rotated); no memory tiering (pgdemote_*),
 * no reclaim throttling, no inode or slab shrinking, no drop_caches, no swap readahead (swap
 * is read one page at a time, which page-cluster 0 gives); no bio reads (pgpgin: files are the
 * host's, read without block I/O, and 6.1 reads zram through its rw_page entry, not a bio);
 * no pages skipped for their zone while isolating (pgskip_*: one zone holds all memory).
 *
 * <p>Left out rather than shown wrong: counters of mechanisms the kernel has but does not count
 * (pgalloc_*, pgfree, pgreuse, nr_dirtied, nr_written, nr_vmscan_write, slabs_scanned,
 * unevictable_pgs_*, workingset_nodes: shadows live in slot-indexed arrays, not in xarray
 * nodes) and pgpgout: a zram write that fails is resubmitted by 6.1 as a bio, which counts
 * there, and this kernel does not resubmit. Readers such as procps and lmkd look lines up by
 * name.
 *
 * <p>ALLOCSTALL is counted by the zone index the allocation may reach (6.1
 * do_try_to_free_pages: {@code __count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx, 1)} with
 * {@code reclaim_idx = gfp_zone(gfp_mask)}), not by the zone its memory came from. The pages
 * that reach direct reclaim here are user pages (anonymous, page cache, shmem:
 * GFP_HIGHUSER_MOVABLE, whose gfp_zone is ZONE_MOVABLE) and page tables (GFP_PGTABLE_USER,
 * ZONE_NORMAL); {@link VmEvents} counts them apart.
 */
final class Vmstat {
    private Vmstat() {}

    static byte[] show(FrameAllocator frames, FaultCounts faults) {
        Meminfo.Counters n = Meminfo.Counters.of(frames);
        VmEvents e = frames.events();
        SeqFile m = new SeqFile();
        for (Zone.Stat s : zoneStats(n)) line(m, s.name(), s.value());
        for (Zone.Stat s : nodeStats(n, e)) line(m, s.name(), s.value());
        for (Zone.Stat s : events(e, faults)) line(m, s.name(), s.value());
        return m.bytes();
    }

    /** enum zone_stat_item: the one populated zone holds all of RAM, so the node's totals are its own. */
    static List<Zone.Stat> zoneStats(Meminfo.Counters n) {
        List<Zone.Stat> out = new ArrayList<>();
        add(out, "nr_free_pages", n.free());
        add(out, "nr_zone_inactive_anon", n.lru(Lru.ListId.INACTIVE_ANON));
        add(out, "nr_zone_active_anon", n.lru(Lru.ListId.ACTIVE_ANON));
        add(out, "nr_zone_inactive_file", n.lru(Lru.ListId.INACTIVE_FILE));
        add(out, "nr_zone_active_file", n.lru(Lru.ListId.ACTIVE_FILE));
        add(out, "nr_zone_unevictable", n.lru(Lru.ListId.UNEVICTABLE));
        // NR_ZONE_WRITE_PENDING: dirty pages and pages under writeback (none: write-back is synchronous).
        add(out, "nr_zone_write_pending", n.dirty());
        add(out, "nr_mlock", n.mlocked());
        // arm64 has no highmem, so no bounce buffers.
        add(out, "nr_bounce", 0);
        add(out, "nr_zspages", n.zspages());
        add(out, "nr_free_cma", 0);
        return out;
    }

    /** enum node_stat_item, of the one node, the counters it can give (see the class comment). */
    static List<Zone.Stat> nodeStats(Meminfo.Counters n, VmEvents e) {
        List<Zone.Stat> out = new ArrayList<>();
        add(out, "nr_inactive_anon", n.lru(Lru.ListId.INACTIVE_ANON));
        add(out, "nr_active_anon", n.lru(Lru.ListId.ACTIVE_ANON));
        add(out, "nr_inactive_file", n.lru(Lru.ListId.INACTIVE_FILE));
        add(out, "nr_active_file", n.lru(Lru.ListId.ACTIVE_FILE));
        add(out, "nr_unevictable", n.lru(Lru.ListId.UNEVICTABLE));
        add(out, "nr_slab_reclaimable", 0);
        add(out, "nr_slab_unreclaimable", 0);
        add(out, "nr_isolated_anon", 0);
        add(out, "nr_isolated_file", 0);
        event(out, e, Event.WORKINGSET_REFAULT_ANON);
        event(out, e, Event.WORKINGSET_REFAULT_FILE);
        event(out, e, Event.WORKINGSET_ACTIVATE_ANON);
        event(out, e, Event.WORKINGSET_ACTIVATE_FILE);
        event(out, e, Event.WORKINGSET_RESTORE_ANON);
        event(out, e, Event.WORKINGSET_RESTORE_FILE);
        // Shadow nodes are reclaimed by their shrinker; shadows here are never reclaimed.
        add(out, "workingset_nodereclaim", 0);
        add(out, "nr_anon_pages", n.anonMapped());
        add(out, "nr_mapped", n.fileMapped());
        add(out, "nr_file_pages", n.filePages());
        add(out, "nr_dirty", n.dirty());
        add(out, "nr_writeback", 0);
        add(out, "nr_writeback_temp", 0);
        add(out, "nr_shmem", n.shmem());
        add(out, "nr_shmem_hugepages", 0);
        add(out, "nr_shmem_pmdmapped", 0);
        add(out, "nr_file_hugepages", 0);
        add(out, "nr_file_pmdmapped", 0);
        add(out, "nr_anon_transparent_hugepages", 0);
        add(out, "nr_vmscan_immediate_reclaim", 0);
        add(out, "nr_kernel_misc_reclaimable", 0);
        add(out, "nr_kernel_stack", 0);
        add(out, "nr_shadow_call_stack", 0);
        add(out, "nr_page_table_pages", n.pageTables());
        add(out, "nr_sec_page_table_pages", 0);
        add(out, "nr_swapcached", n.swapCached());
        return out;
    }

    /** enum vm_event_item, the events this kernel counts or cannot have (see the class comment). */
    static List<Zone.Stat> events(VmEvents e, FaultCounts faults) {
        List<Zone.Stat> out = new ArrayList<>();
        add(out, "pgpgin", 0);
        event(out, e, Event.PSWPIN);
        event(out, e, Event.PSWPOUT);
        for (Zone.Type z : Zone.Type.values()) {
            add(out, "allocstall_" + zoneSuffix(z), switch (z) {
                case MOVABLE -> e.get(Event.ALLOCSTALL_MOVABLE);
                case NORMAL -> e.get(Event.ALLOCSTALL_NORMAL);
                default -> 0;
            });
        }
        for (Zone.Type z : Zone.Type.values()) {
            add(out, "pgskip_" + zoneSuffix(z), 0);
        }
        event(out, e, Event.PGACTIVATE);
        event(out, e, Event.PGDEACTIVATE);
        event(out, e, Event.PGLAZYFREE);
        event(out, e, Event.PGFAULT);
        event(out, e, Event.PGMAJFAULT);
        event(out, e, Event.PGLAZYFREED);
        event(out, e, Event.PGREFILL);
        event(out, e, Event.PGSTEAL_KSWAPD);
        event(out, e, Event.PGSTEAL_DIRECT);
        add(out, "pgdemote_kswapd", 0);
        add(out, "pgdemote_direct", 0);
        event(out, e, Event.PGSCAN_KSWAPD);
        event(out, e, Event.PGSCAN_DIRECT);
        add(out, "pgscan_direct_throttle", 0);
        event(out, e, Event.PGSCAN_ANON);
        event(out, e, Event.PGSCAN_FILE);
        event(out, e, Event.PGSTEAL_ANON);
        event(out, e, Event.PGSTEAL_FILE);
        event(out, e, Event.PGINODESTEAL);
        add(out, "kswapd_inodesteal", 0);
        event(out, e, Event.KSWAPD_LOW_WMARK_HIT_QUICKLY);
        event(out, e, Event.KSWAPD_HIGH_WMARK_HIT_QUICKLY);
        event(out, e, Event.PAGEOUTRUN);
        event(out, e, Event.PGROTATED);
        add(out, "drop_pagecache", 0);
        add(out, "drop_slab", 0);
        event(out, e, Event.OOM_KILL);
        event(out, e, Event.SWAP_RA);
        event(out, e, Event.SWAP_RA_HIT);
        return out;
    }

    /** TEXTS_FOR_ZONES: the lower-case zone name each per-zone event ends in. */
    static String zoneSuffix(Zone.Type z) {
        return z.procName().toLowerCase(Locale.ROOT);
    }

    private static void event(List<Zone.Stat> out, VmEvents e, Event ev) {
        add(out, ev.procName, e.get(ev));
    }

    private static void add(List<Zone.Stat> out, String name, long value) {
        out.add(new Zone.Stat(name, value));
    }

    /** vmstat_show: the name, a space, the value in decimal. */
    private static void line(SeqFile m, String name, long value) {
        m.puts(name).putDecimal(" ", value).putc('\n');
    }
}
