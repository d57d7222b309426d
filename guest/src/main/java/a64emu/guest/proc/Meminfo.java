package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;

/**
 * /proc/meminfo, after Linux 6.x's fs/proc/meminfo.c (meminfo_proc_show, the kernel the guest
 * programs' reference output comes from) on arm64 without CONFIG_ZSWAP, CONFIG_CMA or
 * CONFIG_MEMORY_FAILURE: the same lines in the same order, each value in kB right-aligned in 8
 * columns after a 16-column label.
 *
 * <p>The numbers come from the frame allocator's metadata (struct page, see {@link Counters}):
 * MemTotal is the emulated RAM, MemFree the free frames, AnonPages and Mapped the anonymous and
 * page-cache frames that some entry maps, Cached the page cache (shared anonymous memory
 * included, as Shmem), PageTables the translation-table frames, Dirty the PG_dirty pages,
 * Mlocked the PG_mlocked ones. Memory the guest kernel does not keep in emulated
 * RAM (its stacks, slab, vmalloc and per-cpu areas live in the JVM) is 0, and so are the huge
 * page and swap lines until those exist. There is no LRU aging yet, so no page has been activated:
 * the evictable pages are all on the inactive lists, where Linux puts new pages.
 */
final class Meminfo {
    private Meminfo() {}

    /** vm.overcommit_ratio's default (mm/util.c sysctl_overcommit_ratio). */
    static final int OVERCOMMIT_RATIO = 50;
    /** HPAGE_PMD_SIZE with 4 KiB pages: a level 2 block, 2 MiB. */
    static final long HUGEPAGE_SIZE_KB = 2048;

    /**
     * The page counts meminfo and vmstat both print, Linux's NR_* node and zone counters, from
     * the frame metadata. The page cache (NR_FILE_PAGES) holds file pages and the pages of
     * shared anonymous memory (NR_SHMEM); the shmem pages are swap-backed, so they sit on the
     * anon LRU lists with the anonymous pages, the rest of the page cache on the file lists, and
     * mlocked pages on the unevictable list. NR_FILE_MAPPED counts mapped pages of both kinds.
     */
    record Counters(long total, long free, long filePages, long shmem, long anonMapped, long fileMapped,
                    long mlocked, long dirty, long pageTables, long anonLru, long fileLru) {
        static Counters of(FrameAllocator frames) {
            long file = frames.count(FrameAllocator.PageKind.FILE);
            long shmem = frames.count(FrameAllocator.PageKind.SHMEM);
            long mlocked = frames.countMlocked();
            return new Counters(frames.totalFrames(), frames.freeFrames(), file + shmem, shmem,
                    frames.countMapped(FrameAllocator.PageKind.ANON),
                    frames.countMapped(FrameAllocator.PageKind.FILE) + frames.countMapped(FrameAllocator.PageKind.SHMEM),
                    mlocked, frames.countDirty(), frames.count(FrameAllocator.PageKind.PAGE_TABLE),
                    Math.max(0, frames.count(FrameAllocator.PageKind.ANON) + shmem - mlocked), file);
        }
    }

    static byte[] show(FrameAllocator frames) {
        Counters n = Counters.of(frames);
        long total = n.total();
        long free = n.free();
        long swapTotal = 0;
        long swapFree = 0;
        long anonLru = n.anonLru();
        long fileLru = n.fileLru();
        // Cached: the page cache less the swap cache and block-device buffers, of which there are none.
        long cached = n.filePages();
        long committed = committedPages(frames);
        long commitLimit = total * OVERCOMMIT_RATIO / 100 + swapTotal;

        SeqFile m = new SeqFile();
        kb(m, "MemTotal:       ", total);
        kb(m, "MemFree:        ", free);
        kb(m, "MemAvailable:   ", available(free, fileLru));
        kb(m, "Buffers:        ", 0);
        kb(m, "Cached:         ", cached);
        kb(m, "SwapCached:     ", 0);
        kb(m, "Active:         ", 0);
        kb(m, "Inactive:       ", anonLru + fileLru);
        kb(m, "Active(anon):   ", 0);
        kb(m, "Inactive(anon): ", anonLru);
        kb(m, "Active(file):   ", 0);
        kb(m, "Inactive(file): ", fileLru);
        kb(m, "Unevictable:    ", n.mlocked());
        kb(m, "Mlocked:        ", n.mlocked());
        kb(m, "SwapTotal:      ", swapTotal);
        kb(m, "SwapFree:       ", swapFree);
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
        kb(m, "PageTables:     ", n.pageTables());
        kb(m, "SecPageTables:  ", 0);
        kb(m, "NFS_Unstable:   ", 0);
        kb(m, "Bounce:         ", 0);
        kb(m, "WritebackTmp:   ", 0);
        kb(m, "CommitLimit:    ", commitLimit);
        kb(m, "Committed_AS:   ", committed);
        kb(m, "VmallocTotal:   ", 0);
        kb(m, "VmallocUsed:    ", 0);
        kb(m, "VmallocChunk:   ", 0);
        kb(m, "Percpu:         ", 0);
        kb(m, "AnonHugePages:  ", 0);
        kb(m, "ShmemHugePages: ", 0);
        kb(m, "ShmemPmdMapped: ", 0);
        kb(m, "FileHugePages:  ", 0);
        kb(m, "FilePmdMapped:  ", 0);
        kb(m, "Balloon:        ", 0);
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
     * Linux si_mem_available: free pages less the reserves, plus the page cache that could be
     * dropped, keeping the low watermark's worth of it. The allocator has no watermarks yet, so
     * the reserve and the watermark are zero, and every page of the file LRU counts.
     */
    static long available(long free, long fileLru) {
        long totalReserve = 0;
        long wmarkLow = 0;
        long available = free - totalReserve;
        available += fileLru - Math.min(fileLru / 2, wmarkLow);
        return Math.max(0, available);
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
