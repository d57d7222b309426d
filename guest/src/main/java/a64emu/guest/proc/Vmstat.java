package a64emu.guest.proc;

import a64emu.guest.mm.FaultCounts;

/**
 * /proc/vmstat after Linux 6.1's mm/vmstat.c (vmstat_show): one "name value" line per counter,
 * in vmstat_text's order (zone counters, node counters, then the vm events), every value a page
 * count or an event count since boot.
 *
 * <p>Only counters this kernel can give truly are listed: those it keeps (free, anonymous,
 * mapped, page-cache, dirty, mlocked and page-table pages; page faults, major faults and OOM
 * kills) and those of mechanisms it does not have yet, which are 0 because nothing of the kind
 * has happened: swap (pswpin, pswpout, nr_swapcached), reclaim by kswapd or by an allocating
 * task (pgscan_*, pgsteal_*, pgrefill, pageoutrun, allocstall), zsmalloc (nr_zspages, which
 * zram would fill), LRU aging (no page has been activated), slab and kernel stacks (the kernel's
 * own memory lives in the JVM, as meminfo says), and block I/O (pgpgin, pgpgout): files are the
 * host's, read and written without bios, as on a network or 9p file system. Counters the kernel
 * has a mechanism for but does not count (pgalloc, pgfree, nr_dirtied, pglazyfree, ...) are left
 * out rather than shown wrong; readers such as procps look lines up by name.
 */
final class Vmstat {
    private Vmstat() {}

    static byte[] show(Meminfo.Counters n, FaultCounts faults, long majorFaults) {
        SeqFile m = new SeqFile();
        // enum zone_stat_item: the one zone holds all of RAM.
        line(m, "nr_free_pages", n.free());
        line(m, "nr_zone_inactive_anon", n.anonLru());
        line(m, "nr_zone_active_anon", 0);
        line(m, "nr_zone_inactive_file", n.fileLru());
        line(m, "nr_zone_active_file", 0);
        line(m, "nr_zone_unevictable", n.mlocked());
        // NR_ZONE_WRITE_PENDING: dirty pages and pages under writeback (none: write-back is synchronous).
        line(m, "nr_zone_write_pending", n.dirty());
        line(m, "nr_mlock", n.mlocked());
        line(m, "nr_bounce", 0);
        line(m, "nr_zspages", 0);
        line(m, "nr_free_cma", 0);
        // enum node_stat_item: the one node.
        line(m, "nr_inactive_anon", n.anonLru());
        line(m, "nr_active_anon", 0);
        line(m, "nr_inactive_file", n.fileLru());
        line(m, "nr_active_file", 0);
        line(m, "nr_unevictable", n.mlocked());
        line(m, "nr_slab_reclaimable", 0);
        line(m, "nr_slab_unreclaimable", 0);
        line(m, "nr_isolated_anon", 0);
        line(m, "nr_isolated_file", 0);
        line(m, "workingset_nodes", 0);
        line(m, "workingset_refault_anon", 0);
        line(m, "workingset_refault_file", 0);
        line(m, "workingset_activate_anon", 0);
        line(m, "workingset_activate_file", 0);
        line(m, "workingset_restore_anon", 0);
        line(m, "workingset_restore_file", 0);
        line(m, "workingset_nodereclaim", 0);
        line(m, "nr_anon_pages", n.anonMapped());
        line(m, "nr_mapped", n.fileMapped());
        line(m, "nr_file_pages", n.filePages());
        line(m, "nr_dirty", n.dirty());
        line(m, "nr_writeback", 0);
        line(m, "nr_writeback_temp", 0);
        line(m, "nr_shmem", n.shmem());
        line(m, "nr_shmem_hugepages", 0);
        line(m, "nr_shmem_pmdmapped", 0);
        line(m, "nr_file_hugepages", 0);
        line(m, "nr_file_pmdmapped", 0);
        line(m, "nr_anon_transparent_hugepages", 0);
        line(m, "nr_vmscan_write", 0);
        line(m, "nr_vmscan_immediate_reclaim", 0);
        line(m, "nr_kernel_misc_reclaimable", 0);
        line(m, "nr_kernel_stack", 0);
        line(m, "nr_page_table_pages", n.pageTables());
        line(m, "nr_sec_page_table_pages", 0);
        line(m, "nr_swapcached", 0);
        // enum vm_event_item.
        line(m, "pgpgin", 0);
        line(m, "pgpgout", 0);
        line(m, "pswpin", 0);
        line(m, "pswpout", 0);
        line(m, "pgactivate", 0);
        line(m, "pgdeactivate", 0);
        line(m, "pgfault", pageFaults(faults));
        line(m, "pgmajfault", majorFaults);
        line(m, "pgrefill", 0);
        line(m, "pgsteal_kswapd", 0);
        line(m, "pgsteal_direct", 0);
        line(m, "pgdemote_kswapd", 0);
        line(m, "pgdemote_direct", 0);
        line(m, "pgscan_kswapd", 0);
        line(m, "pgscan_direct", 0);
        line(m, "pgscan_direct_throttle", 0);
        line(m, "pgscan_anon", 0);
        line(m, "pgscan_file", 0);
        line(m, "pgsteal_anon", 0);
        line(m, "pgsteal_file", 0);
        line(m, "kswapd_low_wmark_hit_quickly", 0);
        line(m, "kswapd_high_wmark_hit_quickly", 0);
        line(m, "pageoutrun", 0);
        line(m, "drop_pagecache", 0);
        line(m, "drop_slab", 0);
        line(m, "oom_kill", faults.oomKill());
        line(m, "swap_ra", 0);
        line(m, "swap_ra_hit", 0);
        return m.bytes();
    }

    /**
     * PGFAULT: the faults that reached the handler's resolution (mm_account_fault counts each
     * handle_mm_fault), each once although a stack growth is also counted by how its page was
     * filled, and those that found no memory (VM_FAULT_OOM). Faults outside every area or
     * against its protection never get that far (bad_area). Linux also counts a SIGBUS past
     * the end of a file, which FaultCounts does not tell apart from alignment faults, so those
     * are left out.
     */
    static long pageFaults(FaultCounts f) {
        return f.zeroFill() + f.file() + f.cow() + f.accessFlag() + f.other() + f.oomKill();
    }

    /** vmstat_show: the name, a space, the value in decimal. */
    private static void line(SeqFile m, String name, long value) {
        m.puts(name).putDecimal(" ", value).putc('\n');
    }
}
