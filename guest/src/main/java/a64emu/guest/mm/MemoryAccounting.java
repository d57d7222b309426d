package a64emu.guest.mm;

import a64emu.guest.mm.FrameAllocator.PageKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What /proc reports about memory, computed the way Linux's {@code fs/proc/task_mmu.c}
 * and {@code fs/proc/meminfo.c} compute it: by walking the process's page tables in
 * emulated RAM (the tables are the truth) and reading each mapped frame's metadata in
 * {@link FrameAllocator} (map count, kind, dirty, mlocked).
 *
 * <p>For /proc/PID/smaps: {@link #usage(AddressSpace)} gives one {@link VmaUsage} per area
 * in address order; {@link #rollup(AddressSpace)} their sum for smaps_rollup. For
 * /proc/PID/status and statm: {@link #status(AddressSpace)}. For /proc/meminfo:
 * {@link #meminfo(FrameAllocator)}. Sizes are in bytes; PSS values are fixed point,
 * bytes &lt;&lt; {@link #PSS_SHIFT}, exactly as Linux accumulates them, so that a sum over
 * areas rounds as Linux's does; print {@code pss >> PSS_SHIFT >> 10} kB ({@link VmaUsage#kb}).
 */
public final class MemoryAccounting {
    private MemoryAccounting() {}

    /** Linux PSS_SHIFT: PSS is accumulated in 1/4096ths of a byte. */
    public static final int PSS_SHIFT = 12;

    /**
     * One area's line group in /proc/PID/smaps (Linux {@code struct mem_size_stats}).
     *
     * @param vma          the area (its range, permissions, name, VM flags)
     * @param size         the area's size
     * @param rss          resident: bytes of present pages the process owns (the zero page is not counted)
     * @param pss          proportional set size, fixed point: Σ 4 KiB / mapcount, &lt;&lt; PSS_SHIFT
     * @param pssDirty     the part of pss from dirty pages (Pss_Dirty)
     * @param pssAnon      the part of pss from anonymous pages (Pss_Anon)
     * @param pssFile      the part of pss from file pages (Pss_File)
     * @param pssShmem     the part of pss from shared anonymous memory (Pss_Shmem)
     * @param sharedClean  clean pages mapped more than once
     * @param sharedDirty  dirty pages mapped more than once
     * @param privateClean clean pages mapped once
     * @param privateDirty dirty pages mapped once
     * @param referenced   pages with the access flag set (or PG_referenced)
     * @param anonymous    anonymous pages
     * @param lazyFree     MADV_FREE pages not written since (discardable)
     * @param swap         bytes swapped out (no swap yet: 0)
     * @param swapPss      proportional swap, fixed point (0)
     * @param locked       pss of a VM_LOCKED area, fixed point (Locked)
     */
    public record VmaUsage(Vma vma, long size, long rss, long pss, long pssDirty, long pssAnon, long pssFile,
                           long pssShmem, long sharedClean, long sharedDirty, long privateClean, long privateDirty,
                           long referenced, long anonymous, long lazyFree, long swap, long swapPss, long locked) {
        /** kB of a byte count, as /proc prints it (truncated). */
        public static long kb(long bytes) {
            return bytes >> 10;
        }

        /** kB of a fixed-point PSS value. */
        public static long pssKb(long pssFixed) {
            return pssFixed >> PSS_SHIFT >> 10;
        }

        /** USS: what the process alone holds. */
        public long uss() {
            return privateClean + privateDirty;
        }

        VmaUsage plus(VmaUsage o) {
            return new VmaUsage(null, size + o.size, rss + o.rss, pss + o.pss, pssDirty + o.pssDirty,
                    pssAnon + o.pssAnon, pssFile + o.pssFile, pssShmem + o.pssShmem, sharedClean + o.sharedClean,
                    sharedDirty + o.sharedDirty, privateClean + o.privateClean, privateDirty + o.privateDirty,
                    referenced + o.referenced, anonymous + o.anonymous, lazyFree + o.lazyFree, swap + o.swap,
                    swapPss + o.swapPss, locked + o.locked);
        }
    }

    /**
     * /proc/PID/status memory lines (and statm), in bytes.
     *
     * @param vmPeak   VmPeak: the largest VmSize so far
     * @param vmSize   VmSize: every area
     * @param vmLck    VmLck: areas that are VM_LOCKED
     * @param vmPin    VmPin: pinned pages (0: nothing pins here)
     * @param vmHwm    VmHWM: the largest VmRSS so far
     * @param vmRss    VmRSS = RssAnon + RssFile + RssShmem
     * @param rssAnon  resident anonymous pages
     * @param rssFile  resident file pages
     * @param rssShmem resident shared anonymous pages
     * @param vmData   private writable areas that are not the stack
     * @param vmStk    the stack areas (VM_GROWSDOWN)
     * @param vmExe    the program's text
     * @param vmLib    other executable areas
     * @param vmPte    translation table pages (the root not counted, as Linux does not count the pgd)
     * @param vmSwap   swapped-out anonymous memory (0)
     * @param text     statm text: the ELF text range, page aligned
     */
    public record ProcessMemoryStatus(long vmPeak, long vmSize, long vmLck, long vmPin, long vmHwm, long vmRss,
                                      long rssAnon, long rssFile, long rssShmem, long vmData, long vmStk,
                                      long vmExe, long vmLib, long vmPte, long vmSwap, long text) {
        /**
         * /proc/PID/statm's seven numbers in pages: size resident shared text lib data dt
         * (lib and dt are always 0 since Linux 2.6).
         */
        public long[] statm() {
            long p = VmLayout.PAGE_SIZE;
            return new long[] {vmSize / p, vmRss / p, (rssFile + rssShmem) / p, text / p, 0,
                    (vmData + vmStk) / p, 0};
        }
    }

    /**
     * /proc/meminfo, in bytes (print as kB).
     *
     * @param memTotal     all RAM frames (frame 0 is reserved, as firmware memory is)
     * @param memFree      free frames
     * @param memAvailable free plus the page cache reclaim could drop (no watermarks yet: low = 0)
     * @param cached       page cache, shared anonymous memory included (as Linux's Cached includes shmem)
     * @param anonPages    mapped anonymous pages
     * @param mapped       mapped page-cache pages
     * @param shmem        shared anonymous memory
     * @param mlocked      mlocked pages (also Unevictable)
     * @param dirty        page-cache pages waiting for write-back
     * @param pageTables   translation table pages
     * @param swapTotal    swap size (0 until zRAM)
     * @param swapFree     free swap (0)
     * @param commitLimit  (RAM · overcommit_ratio 50%) + swap
     * @param committedAs  Committed_AS: private writable memory and shared anonymous memory of every address space
     */
    public record SystemMemory(long memTotal, long memFree, long memAvailable, long cached, long anonPages,
                               long mapped, long shmem, long mlocked, long dirty, long pageTables, long swapTotal,
                               long swapFree, long commitLimit, long committedAs) {}

    /** smaps: one entry per area, in address order. */
    public static List<VmaUsage> usage(AddressSpace mm) {
        List<VmaUsage> out = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            out.add(usage(mm, v));
        }
        return out;
    }

    /** smaps_rollup: the sum over all areas ({@code vma} is null). */
    public static VmaUsage rollup(AddressSpace mm) {
        VmaUsage sum = new VmaUsage(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (VmaUsage u : usage(mm)) {
            sum = sum.plus(u);
        }
        return sum;
    }

    /** Linux {@code smaps_pte_entry} and {@code smaps_account} over one area's entries. */
    public static VmaUsage usage(AddressSpace mm, Vma vma) {
        FrameAllocator frames = mm.frames();
        long[] a = new long[17];
        final int rss = 0, pss = 1, pssDirty = 2, pssAnon = 3, pssFile = 4, pssShmem = 5, sharedClean = 6,
                sharedDirty = 7, privateClean = 8, privateDirty = 9, referenced = 10, anonymous = 11,
                lazyFree = 12, locked = 13;
        long size = VmLayout.PAGE_SIZE;
        mm.pageTables().forEachPresent(vma.start(), vma.end(), (va, pte) -> {
            if (PageTables.isSpecial(pte)) {
                // vm_normal_page() is NULL for the zero page: it is nobody's memory.
                return pte;
            }
            long frame = PageTables.frameOf(pte);
            PageKind kind = frames.kind(frame);
            boolean dirty = ProtectionMap.isDirty(pte) || frames.isDirty(frame);
            a[rss] += size;
            if (kind == PageKind.ANON) {
                a[anonymous] += size;
                if (frames.isLazyFree(frame) && !dirty) {
                    a[lazyFree] += size;
                }
            }
            if (ProtectionMap.isYoung(pte) || frames.isReferenced(frame)) {
                a[referenced] += size;
            }
            int mapcount = Math.max(1, frames.mapcount(frame));
            // smaps_account: a page only this process references counts whole and private.
            boolean exclusive = frames.refcount(frame) == 1 || mapcount < 2;
            long share = exclusive ? size << PSS_SHIFT : (size << PSS_SHIFT) / mapcount;
            a[pss] += share;
            switch (kind) {
                case ANON -> a[pssAnon] += share;
                case SHMEM -> a[pssShmem] += share;
                default -> a[pssFile] += share;
            }
            if (vma.isLocked()) {
                a[locked] += share;
            }
            if (dirty) {
                a[pssDirty] += share;
                a[exclusive ? privateDirty : sharedDirty] += size;
            } else {
                a[exclusive ? privateClean : sharedClean] += size;
            }
            return pte;
        });
        return new VmaUsage(vma, vma.size(), a[rss], a[pss], a[pssDirty], a[pssAnon], a[pssFile], a[pssShmem],
                a[sharedClean], a[sharedDirty], a[privateClean], a[privateDirty], a[referenced], a[anonymous],
                a[lazyFree], 0, 0, a[locked]);
    }

    /** Linux {@code task_mem} and {@code task_statm}. */
    public static ProcessMemoryStatus status(AddressSpace mm) {
        FrameAllocator frames = mm.frames();
        long[] rss = new long[3];
        mm.pageTables().forEachPresent(0, mm.layout().taskSize(), (va, pte) -> {
            if (!PageTables.isSpecial(pte)) {
                switch (frames.kind(PageTables.frameOf(pte))) {
                    case ANON -> rss[0] += VmLayout.PAGE_SIZE;
                    case SHMEM -> rss[2] += VmLayout.PAGE_SIZE;
                    default -> rss[1] += VmLayout.PAGE_SIZE;
                }
            }
            return pte;
        });
        long locked = 0;
        long data = 0;
        long stack = 0;
        long exec = 0;
        for (Vma v : mm.vmas()) {
            if (v.isLocked()) {
                locked += v.size();
            }
            // is_data_mapping, is_stack_mapping, is_exec_mapping (mm/internal.h); VM_STACK is VM_GROWSDOWN.
            if (v.growsDown()) {
                stack += v.size();
            } else if (v.writable() && !v.isShared()) {
                data += v.size();
            } else if (v.executable() && !v.writable()) {
                exec += v.size();
            }
        }
        long text = VmLayout.pageAlign(mm.endCode()) - VmLayout.pageDown(mm.startCode());
        long vmExe = Math.min(text, exec);
        long vmRss = rss[0] + rss[1] + rss[2];
        long hwm = Math.max(mm.pageTables().peakResidentPages() * VmLayout.PAGE_SIZE, vmRss);
        long pte = (long) Math.max(0, mm.pageTables().tableFrames() - 1) * VmLayout.PAGE_SIZE;
        return new ProcessMemoryStatus(mm.peakVm(), mm.totalVm(), locked, 0, hwm, vmRss, rss[0], rss[1], rss[2],
                data, stack, vmExe, exec - vmExe, pte, 0, text);
    }

    /** Linux {@code meminfo_proc_show} for the machine. */
    public static SystemMemory meminfo(FrameAllocator frames) {
        long p = VmLayout.PAGE_SIZE;
        long total = (long) (frames.totalFrames() - 1) * p;
        long free = (long) frames.freeFrames() * p;
        long file = frames.count(PageKind.FILE) * p;
        long shmem = frames.count(PageKind.SHMEM) * p;
        long committed = 0;
        for (AddressSpace mm : frames.addressSpaces()) {
            for (Vma v : mm.vmas()) {
                if (v.isAccountable() || (v.isShared() && v.backing() != null
                        && !v.backing().source().evictWhenUnmapped())) {
                    committed += v.size();
                }
            }
        }
        return new SystemMemory(total, free, free + file, file + shmem,
                frames.countMapped(PageKind.ANON) * p, frames.countMapped(PageKind.FILE) * p, shmem,
                frames.countMlocked() * p, frames.countDirty() * p, frames.count(PageKind.PAGE_TABLE) * p,
                0, 0, Overcommit.commitLimit(frames) * p, committed);
    }
}
