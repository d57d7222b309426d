package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.SharedAnonymous;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import java.util.HashSet;
import java.util.Set;

/**
 * /proc/meminfo, after Linux 6.x's fs/proc/meminfo.c (meminfo_proc_show, the kernel the guest
 * programs' reference output comes from) on arm64 without CONFIG_ZSWAP, CONFIG_CMA or
 * CONFIG_MEMORY_FAILURE: the same lines in the same order, each value in kB right-aligned in 8
 * columns after a 16-column label.
 *
 * <p>The numbers come from the frame allocator's metadata (struct page): MemTotal is the
 * emulated RAM, MemFree the free frames, AnonPages and Mapped the anonymous and page-cache frames
 * that some entry maps, Cached the page cache, PageTables the translation-table frames, Dirty the
 * PG_dirty pages, Mlocked the PG_mlocked ones. Memory the guest kernel does not keep in emulated
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

    static byte[] show(FrameAllocator frames) {
        long total = frames.totalFrames();
        long free = frames.freeFrames();
        long filePages = frames.count(FrameAllocator.PageKind.FILE);
        long shmem = shmemPages(frames);
        long anonMapped = frames.countMapped(FrameAllocator.PageKind.ANON);
        long fileMapped = frames.countMapped(FrameAllocator.PageKind.FILE);
        long mlocked = frames.countMlocked();
        long swapTotal = 0;
        long swapFree = 0;
        // Swap-backed pages (anonymous and shmem) sit on the anon lists, the rest of the page
        // cache on the file lists; mlocked pages on the unevictable list.
        long anonLru = Math.max(0, frames.count(FrameAllocator.PageKind.ANON) + shmem - mlocked);
        long fileLru = Math.max(0, filePages - shmem);
        long cached = filePages;
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
        kb(m, "Unevictable:    ", mlocked);
        kb(m, "Mlocked:        ", mlocked);
        kb(m, "SwapTotal:      ", swapTotal);
        kb(m, "SwapFree:       ", swapFree);
        kb(m, "Dirty:          ", frames.countDirty());
        kb(m, "Writeback:      ", 0);
        kb(m, "AnonPages:      ", anonMapped);
        kb(m, "Mapped:         ", fileMapped);
        kb(m, "Shmem:          ", shmem);
        kb(m, "KReclaimable:   ", 0);
        kb(m, "Slab:           ", 0);
        kb(m, "SReclaimable:   ", 0);
        kb(m, "SUnreclaim:     ", 0);
        kb(m, "KernelStack:    ", 0);
        kb(m, "PageTables:     ", frames.count(FrameAllocator.PageKind.PAGE_TABLE));
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

    /** Shmem: page-cache frames of shared anonymous memory, as its mappings show them. */
    static long shmemPages(FrameAllocator frames) {
        Set<Long> seen = new HashSet<>();
        for (AddressSpace mm : frames.addressSpaces()) {
            PageTables pt = mm.pageTables();
            for (Vma v : mm.vmas()) {
                if (v.backing() == null || !(v.backing().source() instanceof SharedAnonymous)) continue;
                for (long va = v.start(); va < v.end(); va += VmLayout.PAGE_SIZE) {
                    long pte = pt.pte(va);
                    if (PageTables.isPresent(pte) && !PageTables.isSpecial(pte)) seen.add(PageTables.frameOf(pte));
                }
            }
        }
        return seen.size();
    }
}
