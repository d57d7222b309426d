package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.FrameAllocator.PageKind;
import a64emu.guest.mm.Lru;
import a64emu.guest.mm.Overcommit;
import a64emu.guest.mm.SwapSpace;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.mm.Zone;

/**
 * /proc/meminfo, after Linux 6.1's fs/proc/meminfo.c (meminfo_proc_show) on arm64 without
 * CONFIG_ZSWAP, CONFIG_MEMORY_FAILURE or a CMA area: the same lines in the same order, each
 * value in kB right-aligned in 8 columns after a 16-column label.
 *
 * <p>The numbers are the kernel's own state ({@link Counters}): MemTotal is the zone's
 * managed pages (totalram_pages: the RAM less the reserved frame 0), MemFree the buddy
 * allocator's free pages, the Active/Inactive/Unevictable lines the sizes of the LRU lists,
 * SwapTotal and SwapFree the swap area's slots (0 without swap), SwapCached the pages in the
 * swap cache, Cached the page cache (shared anonymous memory included, as Shmem) without them,
 * AnonPages and Mapped the anonymous and page-cache pages some entry maps, PageTables the
 * translation-table frames, Dirty the PG_dirty page-cache pages, Mlocked the PG_mlocked ones.
 * zsmalloc's frames, which hold zRAM's compressed pages, are no line of their own (6.1 counts
 * them in no meminfo field; /proc/vmstat's nr_zspages does): they are simply not free. Memory
 * the guest kernel does not keep in emulated RAM (its stacks, slab, vmalloc and per-cpu areas
 * live in the JVM) is 0, and so are the huge-page lines: this kernel maps 4 KiB pages only.
 */
final class Meminfo {
    private Meminfo() {}

    /** HPAGE_PMD_SIZE with 4 KiB pages: a level 2 block, 2 MiB. */
    static final long HUGEPAGE_SIZE_KB = 2048;

    /**
     * The page counts meminfo, vmstat and zoneinfo print, Linux's NR_* node and zone counters,
     * read from the frame metadata, the LRU lists and the swap area at one moment.
     *
     * <p>The page cache (NR_FILE_PAGES) holds file pages, the pages of shared anonymous memory
     * (NR_SHMEM) and, as Linux's add_to_swap_cache counts them there too, the swap cache
     * (NR_SWAPCACHE). NR_FILE_MAPPED counts mapped pages of file and shmem alike.
     *
     * @param managed totalram_pages: the zone's managed pages
     * @param lru {@code lruvec} list sizes, indexed by {@link Lru.ListId#ordinal()}
     * @param swapTotal total_swap_pages, 0 without swap
     * @param swapFree nr_swap_pages (get_nr_swap_pages)
     */
    record Counters(long managed, long free, long filePages, long shmem, long swapCached, long anonMapped,
                    long fileMapped, long mlocked, long dirty, long pageTables, long zspages, long[] lru,
                    long swapTotal, long swapFree) {
        static Counters of(FrameAllocator frames) {
            long file = frames.count(PageKind.FILE);
            long shmem = frames.count(PageKind.SHMEM);
            long swapCached = frames.countSwapCached();
            Lru lists = frames.lru();
            long[] lru = new long[Lru.ListId.values().length];
            for (Lru.ListId l : Lru.ListId.values()) {
                lru[l.ordinal()] = lists.size(l);
            }
            SwapSpace swap = frames.swap();
            return new Counters(frames.zone().managedPages(), frames.freeFrames(), file + shmem + swapCached,
                    shmem, swapCached, frames.countMapped(PageKind.ANON),
                    frames.countMapped(PageKind.FILE) + frames.countMapped(PageKind.SHMEM),
                    frames.countMlocked(), frames.countDirty(), frames.count(PageKind.PAGE_TABLE),
                    frames.count(PageKind.ZSMALLOC), lru,
                    swap == null ? 0 : swap.totalPages(), swap == null ? 0 : swap.freePages());
        }

        long lru(Lru.ListId list) {
            return lru[list.ordinal()];
        }
    }

    static byte[] show(FrameAllocator frames) {
        Counters n = Counters.of(frames);
        Zone zone = frames.zone();
        // Cached: the page cache less the swap cache and the block-device buffers (none: no block
        // device's pages are cached, files are the host's).
        long cached = n.filePages() - n.swapCached();
        long activeAnon = n.lru(Lru.ListId.ACTIVE_ANON);
        long inactiveAnon = n.lru(Lru.ListId.INACTIVE_ANON);
        long activeFile = n.lru(Lru.ListId.ACTIVE_FILE);
        long inactiveFile = n.lru(Lru.ListId.INACTIVE_FILE);

        SeqFile m = new SeqFile();
        kb(m, "MemTotal:       ", n.managed());
        kb(m, "MemFree:        ", n.free());
        kb(m, "MemAvailable:   ", available(n, zone));
        kb(m, "Buffers:        ", 0);
        kb(m, "Cached:         ", cached);
        kb(m, "SwapCached:     ", n.swapCached());
        kb(m, "Active:         ", activeAnon + activeFile);
        kb(m, "Inactive:       ", inactiveAnon + inactiveFile);
        kb(m, "Active(anon):   ", activeAnon);
        kb(m, "Inactive(anon): ", inactiveAnon);
        kb(m, "Active(file):   ", activeFile);
        kb(m, "Inactive(file): ", inactiveFile);
        kb(m, "Unevictable:    ", n.lru(Lru.ListId.UNEVICTABLE));
        kb(m, "Mlocked:        ", n.mlocked());
        kb(m, "SwapTotal:      ", n.swapTotal());
        kb(m, "SwapFree:       ", n.swapFree());
        kb(m, "Dirty:          ", n.dirty());
        kb(m, "Writeback:      ", 0);
        kb(m, "AnonPages:      ", n.anonMapped());
        kb(m, "Mapped:         ", n.fileMapped());
        kb(m, "Shmem:          ", n.shmem());
        kb(m, "KReclaimable:   ", 0);
        kb(m, "Slab:           ", 0);
        kb(m, "SReclaimable:   ", 0);
        kb(m, "SUnreclaim:     ", 0);
        kb(m, "KernelStack:    ", 0);
        // CONFIG_SHADOW_CALL_STACK (set in the GKI defconfig): the shadow stacks are the kernel's, in the JVM.
        kb(m, "ShadowCallStack:", 0);
        kb(m, "PageTables:     ", n.pageTables());
        kb(m, "SecPageTables:  ", 0);
        kb(m, "NFS_Unstable:   ", 0);
        kb(m, "Bounce:         ", 0);
        kb(m, "WritebackTmp:   ", 0);
        kb(m, "CommitLimit:    ", Overcommit.commitLimit(frames));
        kb(m, "Committed_AS:   ", committedPages(frames));
        kb(m, "VmallocTotal:   ", 0);
        kb(m, "VmallocUsed:    ", 0);
        kb(m, "VmallocChunk:   ", 0);
        kb(m, "Percpu:         ", 0);
        kb(m, "AnonHugePages:  ", 0);
        kb(m, "ShmemHugePages: ", 0);
        kb(m, "ShmemPmdMapped: ", 0);
        kb(m, "FileHugePages:  ", 0);
        kb(m, "FilePmdMapped:  ", 0);
        // CONFIG_CMA (GKI): printed although the board declares no CMA area.
        kb(m, "CmaTotal:       ", zone.cmaPages());
        kb(m, "CmaFree:        ", 0);
        // hugetlb_report_meminfo
        m.printf("HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\nHugePages_Surp:    %5d\n"
                + "Hugepagesize:   %8d kB\n", 0, 0, 0, 0, HUGEPAGE_SIZE_KB);
        m.printf("Hugetlb:        %8d kB\n", 0);
        return m.bytes();
    }

    /** Linux show_val_kb: pages shown in kB, right-aligned in 8, then " kB". */
    private static void kb(SeqFile m, String label, long pages) {
        m.putDecimalWidth(label, pages * (VmLayout.PAGE_SIZE >> 10), 8).puts(" kB\n");
    }

    /**
     * Linux si_mem_available: the free pages less totalreserve_pages, plus the page cache that
     * could be dropped (all of the file LRU but the smaller of half of it and the low
     * watermark), plus the same share of reclaimable kernel memory (none here: the kernel's
     * own memory lives in the JVM). The low watermarks are summed over the node's zones;
     * only the populated one has any.
     */
    static long available(Counters n, Zone zone) {
        long wmarkLow = zone.low();
        long available = n.free() - totalReservePages(zone);
        long pagecache = n.lru(Lru.ListId.ACTIVE_FILE) + n.lru(Lru.ListId.INACTIVE_FILE);
        pagecache -= Math.min(pagecache / 2, wmarkLow);
        available += pagecache;
        return Math.max(0, available);
    }

    /**
     * Linux calculate_totalreserve_pages: per zone, the largest lowmem_reserve it keeps for the
     * zones at or above it plus its high watermark (capped at its managed pages), which the
     * allocator treats as reserved. The zones without pages reserve nothing.
     */
    static long totalReservePages(Zone zone) {
        long max = 0;
        long[] reserve = zone.lowmemReserve();
        for (int j = zone.type().ordinal(); j < reserve.length; j++) {
            max = Math.max(max, reserve[j]);
        }
        return Math.min(max + zone.high(), zone.managedPages());
    }

    /**
     * vm_committed_as: the pages of every live address space's accountable areas (private,
     * writable, not MAP_NORESERVE), which is what mmap and brk charge.
     */
    static long committedPages(FrameAllocator frames) {
        long pages = 0;
        for (AddressSpace mm : frames.addressSpaces()) {
            for (Vma v : mm.vmas()) {
                if (TaskMmu.accountable(v)) pages += v.size() / VmLayout.PAGE_SIZE;
            }
        }
        return pages;
    }
}
