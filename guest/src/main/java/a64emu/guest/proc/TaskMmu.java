package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.ProtectionMap;
import a64emu.guest.mm.SharedAnonymous;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import a64emu.mmu.Descriptor;
import java.util.Collection;

/**
 * The memory files of a process, after Linux's fs/proc/task_mmu.c: /proc/pid/maps
 * ({@code show_map_vma}), smaps ({@code show_smap}), smaps_rollup ({@code show_smaps_rollup}),
 * the Vm and Rss lines of status ({@code task_mem}) and the numbers of statm ({@code task_statm}).
 *
 * <p>Every number comes from a walk of the page entries in the process's translation tables
 * ({@code smaps_pte_entry}) and from the frame metadata the allocator keeps (Linux's struct page:
 * kind, map count, PG_dirty, PG_referenced, PG_mlocked, lazy-free): nothing is estimated. The
 * shared zero page is not counted, as {@code vm_normal_page} returns no page for it. A present
 * page mapped by two processes (after fork, or one page-cache page) has a map count of two and
 * adds half a page to each one's Pss and to Shared_*, never to Private_*.
 */
final class TaskMmu {
    private TaskMmu() {}

    private static final long PAGE = VmLayout.PAGE_SIZE;

    /**
     * The width the maps line is padded to before the name: {@code 25 + sizeof(void *) * 6 - 1},
     * so the name starts in column 74 on a 64-bit kernel.
     */
    static final int MAPS_NAME_COLUMN = 25 + 8 * 6 - 1;

    // ---- maps -----------------------------------------------------------------------

    /** /proc/pid/maps: one line per area in address order. */
    static byte[] maps(ProcessView p) {
        SeqFile m = new SeqFile();
        AddressSpace mm = p.mm();
        if (mm != null) {
            for (Vma v : mm.vmas()) {
                showMapVma(m, p, mm, v);
            }
        }
        return m.bytes();
    }

    /** Linux show_map_vma: the header columns, then the name padded to its column. */
    static void showMapVma(SeqFile m, ProcessView p, AddressSpace mm, Vma v) {
        FileBacking file = v.backing();
        long pgoff = 0;
        long major = 0;
        long minor = 0;
        long ino = 0;
        if (file != null) {
            pgoff = file.offset();
            ProcessView.FileId id = p.mappedFile(v);
            if (id != null) {
                major = id.major();
                minor = id.minor();
                ino = id.ino();
            }
        }
        vmaHeaderPrefix(m, v.start(), v.end(), permissions(v), pgoff, major, minor, ino);
        String name = vmaName(mm, v);
        if (name != null) {
            m.pad(' ');
            m.puts(name);
        }
        m.putc('\n');
    }

    /** Linux show_vma_header_prefix. */
    static void vmaHeaderPrefix(SeqFile m, long start, long end, String perms, long pgoff,
                                long major, long minor, long ino) {
        m.setWidth(MAPS_NAME_COLUMN);
        m.printf("%08x-%08x %s %08x %02x:%02x %d ", start, end, perms, pgoff, major, minor, ino);
    }

    /** "r-xp": VM_READ, VM_WRITE, VM_EXEC, then 's' for VM_MAYSHARE (any MAP_SHARED area) or 'p'. */
    static String permissions(Vma v) {
        return (v.readable() ? "r" : "-") + (v.writable() ? "w" : "-") + (v.executable() ? "x" : "-")
                + (v.isShared() ? "s" : "p");
    }

    /**
     * The name column: the file's path (a newline in it escaped as by seq_file_path), a special
     * mapping's own name ([vdso]), [heap] for an area overlapping [start_brk, brk], [stack] for the
     * area holding mm->start_stack, then the name prctl(PR_SET_VMA_ANON_NAME) gave it
     * ([anon:NAME]), or none.
     */
    static String vmaName(AddressSpace mm, Vma v) {
        if (v.backing() != null) {
            return v.backing().path().replace("\n", "\\012");
        }
        String own = v.name();
        boolean anonName = a64emu.guest.mm.AnonVmaName.isAnonName(own);
        if (own != null && !anonName && !own.equals("[heap]") && !own.equals("[stack]")) {
            return own;
        }
        if (v.start() <= mm.brk() && v.end() >= mm.startBrk()) {
            return "[heap]";
        }
        if (v.start() <= mm.startStack() && v.end() >= mm.startStack()) {
            return "[stack]";
        }
        return anonName ? own : null;
    }

    // ---- the page walk ----------------------------------------------------------------

    /**
     * Linux smap_gather_stats over one area: every page entry in it, as smaps_pte_entry sees it.
     */
    static void gatherStats(AddressSpace mm, Vma v, MemSizeStats mss) {
        PageTables pt = mm.pageTables();
        FrameAllocator frames = pt.frames();
        boolean locked = v.isLocked();
        boolean shmemArea = v.backing() != null && (v.backing().source() instanceof SharedAnonymous
                || v.backing().source() instanceof a64emu.guest.ipc.ShmSegment.Attachment);
        for (long va = v.start(); va < v.end(); va += PAGE) {
            long pte = pt.pte(va);
            if (pte == 0) {
                continue;
            }
            if (PageTables.isSwap(pte)) {
                // is_swap_pte: the slot's references (swp_swapcount) share its proportional swap.
                int mapcount = frames.swap() == null ? 1 : frames.swap().count(a64emu.mmu.SwapPte.offset(pte));
                mss.swap += PAGE;
                mss.swapPss += mapcount >= 2 ? (PAGE << MemSizeStats.PSS_SHIFT) / mapcount
                        : PAGE << MemSizeStats.PSS_SHIFT;
                mss.swapEntries++;
                continue;
            }
            if (PageTables.isSpecial(pte)) {
                continue; // vm_normal_page: the zero page is nobody's
            }
            account(mss, frames, PageTables.frameOf(pte), (pte & Descriptor.AF) != 0,
                    ProtectionMap.isDirty(pte), locked, shmemArea);
        }
    }

    /** Linux smaps_account for one base page. */
    private static void account(MemSizeStats mss, FrameAllocator frames, long frame, boolean young,
                                boolean pteDirty, boolean locked, boolean shmemArea) {
        boolean anon = frames.kind(frame) == FrameAllocator.PageKind.ANON;
        boolean dirty = pteDirty || frames.isDirty(frame);
        if (anon) {
            mss.anonymous += PAGE;
            mss.rssAnonPages++;
            if (frames.isLazyFree(frame) && !dirty) {
                mss.lazyfree += PAGE;
            }
        } else if (shmemArea) {
            mss.rssShmemPages++;
        } else {
            mss.rssFilePages++;
        }
        mss.resident += PAGE;
        if (young || frames.isReferenced(frame)) {
            mss.referenced += PAGE;
        }
        int mapcount = frames.mapcount(frame);
        long pss = PAGE << MemSizeStats.PSS_SHIFT;
        if (mapcount >= 2) {
            pss /= mapcount;
        }
        mss.accumulatePage(PAGE, pss, dirty, locked, mapcount < 2, anon, !anon && shmemArea);
    }

    /** The whole process's sums (smaps_rollup, status, statm). */
    static MemSizeStats gatherAll(AddressSpace mm) {
        MemSizeStats mss = new MemSizeStats();
        if (mm != null) {
            for (Vma v : mm.vmas()) {
                gatherStats(mm, v, mss);
            }
        }
        return mss;
    }

    // ---- smaps ------------------------------------------------------------------------

    /** /proc/pid/smaps: each area's maps line and its counters. */
    static byte[] smaps(ProcessView p) {
        SeqFile m = new SeqFile();
        AddressSpace mm = p.mm();
        if (mm != null) {
            for (Vma v : mm.vmas()) {
                MemSizeStats mss = new MemSizeStats();
                gatherStats(mm, v, mss);
                showMapVma(m, p, mm, v);
                putKb(m, "Size:           ", v.size());
                putKb(m, " kB\nKernelPageSize: ", PAGE);
                putKb(m, " kB\nMMUPageSize:    ", PAGE);
                m.puts(" kB\n");
                showSmap(m, mss, false);
                // No transparent huge pages in this kernel: no area is eligible.
                m.putDecimalWidth("THPeligible:    ", 0, 8).putc('\n');
                showVmFlags(m, v);
            }
        }
        return m.bytes();
    }

    /** Linux SEQ_PUT_DEC in task_mmu.c: a byte count shown in kB, right-aligned in 8. */
    private static void putKb(SeqFile m, String label, long bytes) {
        m.putDecimalWidth(label, bytes >> 10, 8);
    }

    /**
     * Linux __show_smap, with the lines of the kernel the guest programs' reference output comes
     * from (6.x, KSM included). The huge-page lines are zero: this kernel maps 4 KiB pages only.
     */
    static void showSmap(SeqFile m, MemSizeStats mss, boolean rollup) {
        int s = MemSizeStats.PSS_SHIFT;
        putKb(m, "Rss:            ", mss.resident);
        putKb(m, " kB\nPss:            ", mss.pss >> s);
        putKb(m, " kB\nPss_Dirty:      ", mss.pssDirty >> s);
        if (rollup) {
            putKb(m, " kB\nPss_Anon:       ", mss.pssAnon >> s);
            putKb(m, " kB\nPss_File:       ", mss.pssFile >> s);
            putKb(m, " kB\nPss_Shmem:      ", mss.pssShmem >> s);
        }
        putKb(m, " kB\nShared_Clean:   ", mss.sharedClean);
        putKb(m, " kB\nShared_Dirty:   ", mss.sharedDirty);
        putKb(m, " kB\nPrivate_Clean:  ", mss.privateClean);
        putKb(m, " kB\nPrivate_Dirty:  ", mss.privateDirty);
        putKb(m, " kB\nReferenced:     ", mss.referenced);
        putKb(m, " kB\nAnonymous:      ", mss.anonymous);
        // No same-page merging (KSM) in this kernel.
        putKb(m, " kB\nKSM:            ", 0);
        putKb(m, " kB\nLazyFree:       ", mss.lazyfree);
        putKb(m, " kB\nAnonHugePages:  ", 0);
        putKb(m, " kB\nShmemPmdMapped: ", 0);
        putKb(m, " kB\nFilePmdMapped:  ", 0);
        putKb(m, " kB\nShared_Hugetlb: ", 0);
        m.putDecimalWidth(" kB\nPrivate_Hugetlb: ", 0, 7);
        putKb(m, " kB\nSwap:           ", mss.swap);
        putKb(m, " kB\nSwapPss:        ", mss.swapPss >> s);
        putKb(m, " kB\nLocked:         ", mss.pssLocked >> s);
        m.puts(" kB\n");
    }

    /**
     * Linux show_smap_vma_flags: two letters per VM_* flag in bit order. Every area may read,
     * write and execute (mr mw me) unless a read-only shared file took VM_MAYWRITE away; a shared
     * mapping is VM_MAYSHARE (ms) and, when it may write its file, VM_SHARED (sh); a private
     * writable area without MAP_NORESERVE is charged to the commit (ac).
     */
    static void showVmFlags(SeqFile m, Vma v) {
        StringBuilder f = new StringBuilder("VmFlags: ");
        int fl = v.flags();
        boolean shared = v.isShared();
        boolean mayWrite = (fl & Vma.VM_NO_MAYWRITE) == 0;
        flag(f, v.readable(), "rd");
        flag(f, v.writable(), "wr");
        flag(f, v.executable(), "ex");
        flag(f, shared && mayWrite, "sh");
        flag(f, true, "mr");
        flag(f, mayWrite, "mw");
        flag(f, true, "me");
        flag(f, shared, "ms");
        flag(f, v.growsDown(), "gd");
        flag(f, (fl & Vma.VM_UFFD_MISSING) != 0, "um"); // VM_UFFD_MISSING is bit 9, before VM_PFNMAP
        flag(f, (fl & Vma.VM_LOCKED) != 0, "lo");
        flag(f, (fl & Vma.VM_SEQ_READ) != 0, "sr");
        flag(f, (fl & Vma.VM_RAND_READ) != 0, "rr");
        flag(f, (fl & Vma.VM_DONTCOPY) != 0, "dc");
        flag(f, (fl & Vma.VM_LOCKONFAULT) != 0, "lf");
        flag(f, accountable(v), "ac");
        flag(f, (fl & Vma.VM_NORESERVE) != 0, "nr");
        flag(f, (fl & Vma.VM_WIPEONFORK) != 0, "wf");
        flag(f, (fl & Vma.VM_DONTDUMP) != 0, "dd");
        m.puts(f.toString()).putc('\n');
    }

    private static void flag(StringBuilder f, boolean set, String mnemonic) {
        if (set) f.append(mnemonic).append(' ');
    }

    /** Linux accountable_mapping: private, writable and not MAP_NORESERVE (VM_ACCOUNT). */
    static boolean accountable(Vma v) {
        return v.writable() && !v.isShared() && (v.flags() & Vma.VM_NORESERVE) == 0;
    }

    // ---- smaps_rollup -----------------------------------------------------------------

    /** /proc/pid/smaps_rollup: one header spanning the first to the last area, and the sums. */
    static byte[] smapsRollup(ProcessView p) {
        SeqFile m = new SeqFile();
        AddressSpace mm = p.mm();
        long start = 0;
        long end = 0;
        MemSizeStats mss = new MemSizeStats();
        if (mm != null && mm.vmaCount() > 0) {
            Collection<Vma> vmas = mm.vmas();
            for (Vma v : vmas) {
                if (end == 0) start = v.start();
                gatherStats(mm, v, mss);
                end = v.end();
            }
        }
        vmaHeaderPrefix(m, start, end, "---p", 0, 0, 0, 0);
        m.pad(' ');
        m.puts("[rollup]\n");
        showSmap(m, mss, true);
        return m.bytes();
    }

    // ---- status and statm -------------------------------------------------------------

    /** The mm_struct counters status and statm print, in pages. */
    record MmCounters(long peakVm, long totalVm, long lockedVm, long dataVm, long stackVm, long execVm, long textBytes,
                      long rssAnon, long rssFile, long rssShmem, long swapEntries, long hiwaterRss,
                      long pageTableBytes) {
        long rss() {
            return rssAnon + rssFile + rssShmem;
        }

        /** Linux task_mem: the part of exec_vm beyond the program's own text is libraries. */
        long libBytes() {
            return execVm * PAGE - textBytes;
        }
    }

    /**
     * Linux vm_stat_account's split of the areas (exec: VM_EXEC without VM_WRITE or VM_STACK;
     * stack: VM_STACK, which is VM_GROWSDOWN on arm64; data: VM_WRITE without VM_SHARED or
     * VM_STACK), the rss counters from the page walk, and the page-table size: every table frame
     * but the top level, which Linux's mm_pgtables_bytes does not count either.
     */
    static MmCounters counters(ProcessView p) {
        AddressSpace mm = p.mm();
        if (mm == null) {
            return new MmCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long total = 0;
        long locked = 0;
        long data = 0;
        long stack = 0;
        long exec = 0;
        for (Vma v : mm.vmas()) {
            long pages = v.size() / PAGE;
            total += pages;
            if (v.isLocked()) locked += pages;
            if (v.executable() && !v.writable() && !v.growsDown()) {
                exec += pages;
            } else if (v.growsDown()) {
                stack += pages;
            } else if (v.writable() && !v.isShared()) {
                data += pages;
            }
        }
        MemSizeStats mss = gatherAll(mm);
        PageTables pt = mm.pageTables();
        long rss = mss.rssAnonPages + mss.rssFilePages + mss.rssShmemPages;
        long text = Math.min(textBytes(mm), exec * PAGE);
        return new MmCounters(Math.max(total, mm.peakVm() / PAGE), total, locked, data, stack, exec, text, mss.rssAnonPages, mss.rssFilePages,
                mss.rssShmemPages, mss.swapEntries, Math.max(rss, pt.peakResidentPages()),
                (long) (pt.tableFrames() - 1) * PAGE);
    }

    /** PAGE_ALIGN(end_code) - (start_code & PAGE_MASK). */
    static long textBytes(AddressSpace mm) {
        if (mm == null || mm.endCode() <= mm.startCode()) return 0;
        return VmLayout.pageAlign(mm.endCode()) - VmLayout.pageDown(mm.startCode());
    }

    /** Linux task_mem: the Vm and Rss lines of status. */
    static void taskMem(SeqFile m, MmCounters c) {
        putPages(m, "VmPeak:\t", c.peakVm());
        putPages(m, " kB\nVmSize:\t", c.totalVm());
        putPages(m, " kB\nVmLck:\t", c.lockedVm());
        putPages(m, " kB\nVmPin:\t", 0);
        putPages(m, " kB\nVmHWM:\t", c.hiwaterRss());
        putPages(m, " kB\nVmRSS:\t", c.rss());
        putPages(m, " kB\nRssAnon:\t", c.rssAnon());
        putPages(m, " kB\nRssFile:\t", c.rssFile());
        putPages(m, " kB\nRssShmem:\t", c.rssShmem());
        putPages(m, " kB\nVmData:\t", c.dataVm());
        putPages(m, " kB\nVmStk:\t", c.stackVm());
        m.putDecimalWidth(" kB\nVmExe:\t", c.textBytes() >> 10, 8);
        m.putDecimalWidth(" kB\nVmLib:\t", c.libBytes() >> 10, 8);
        m.putDecimalWidth(" kB\nVmPTE:\t", c.pageTableBytes() >> 10, 8);
        putPages(m, " kB\nVmSwap:\t", c.swapEntries());
        m.puts(" kB\n");
    }

    /** task_mem's SEQ_PUT_DEC: a page count shown in kB, right-aligned in 8. */
    private static void putPages(SeqFile m, String label, long pages) {
        m.putDecimalWidth(label, pages * (PAGE >> 10), 8);
    }

    /** Linux proc_pid_statm over task_statm: size resident shared text lib data dt, in pages. */
    static byte[] statm(ProcessView p) {
        MmCounters c = counters(p);
        long shared = c.rssFile() + c.rssShmem();
        long text = textBytes(p.mm()) / PAGE;
        long data = c.dataVm() + c.stackVm();
        return new SeqFile().printf("%d %d %d %d 0 %d 0\n", c.totalVm(), c.rss(), shared, text, data).bytes();
    }
}
