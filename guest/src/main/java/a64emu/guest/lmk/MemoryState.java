package a64emu.guest.lmk;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.FrameAllocator.PageKind;
import a64emu.guest.mm.Lru;
import a64emu.guest.mm.SwapSpace;
import a64emu.guest.mm.VmEvents;
import a64emu.guest.mm.Zone;
import a64emu.guest.sched.LoadAverage;
import a64emu.guest.sched.Psi;

/**
 * What lmkd reads of the machine at one wake-up, all in pages: the /proc/meminfo fields
 * ({@code meminfo_parse}), the /proc/vmstat counters ({@code vmstat_parse}), the zone's
 * watermarks and protection from /proc/zoneinfo ({@code zoneinfo_parse},
 * {@code calc_zone_watermarks}) and PSI's "full avg10" from /proc/pressure/memory. lmkd parses
 * those files; the kernel thread reads the same numbers from where the files take them.
 *
 * @param freePages         MemFree (nr_free_pages)
 * @param cmaFreePages      CmaFree
 * @param cachedPages       Cached: the page cache less the swap cache (shmem included)
 * @param swapCachedPages   SwapCached
 * @param buffersPages      Buffers
 * @param shmemPages        Shmem
 * @param unevictablePages  Unevictable
 * @param swapTotalPages    SwapTotal
 * @param swapFreePages     SwapFree
 * @param activeAnon        Active(anon)
 * @param inactiveAnon      Inactive(anon)
 * @param activeFile        Active(file) (vmstat nr_active_file)
 * @param inactiveFile      Inactive(file) (vmstat nr_inactive_file)
 * @param workingsetRefaultFile vmstat workingset_refault_file
 * @param pgscanKswapd      vmstat pgscan_kswapd
 * @param pgscanDirect      vmstat pgscan_direct
 * @param pgrefill          vmstat pgrefill
 * @param watermarks        the zones' min/low/high marks, each with the zone's largest protection added
 * @param psiFullAvg10      /proc/pressure/memory "full avg10", in percent
 * @param breachedSince     the lowest watermark free memory fell below since lmkd's last look, as the
 *                          allocator's slow path shows it ({@link #breachedSince}); NONE if it did not
 */
public record MemoryState(long freePages, long cmaFreePages, long cachedPages, long swapCachedPages,
                          long buffersPages, long shmemPages, long unevictablePages, long swapTotalPages,
                          long swapFreePages, long activeAnon, long inactiveAnon, long activeFile, long inactiveFile,
                          long workingsetRefaultFile, long pgscanKswapd, long pgscanDirect, long pgrefill,
                          Watermarks watermarks, double psiFullAvg10, Watermark breachedSince) {
    /** 4 KiB pages: page_k. */
    public static final long PAGE_KB = 4;

    /** lmkd's {@code enum zone_watermark}: the lowest watermark free memory is below, in that order. */
    public enum Watermark { MIN, LOW, HIGH, NONE }

    /**
     * {@code struct zone_watermarks}: Σ over populated zones of (max protection + min/low/high).
     * The high sum is also zoneinfo's {@code totalreserve_pages}, the reserve of the minfree policy.
     */
    public record Watermarks(long min, long low, long high) {}

    /**
     * The machine's state now: the numbers /proc/meminfo, vmstat, zoneinfo and pressure/memory print,
     * and {@code breachedSince} from the caller's last look.
     */
    public static MemoryState read(FrameAllocator frames, Psi psi, Watermark breachedSince) {
        Lru lru = frames.lru();
        SwapSpace swap = frames.swap();
        VmEvents e = frames.events();
        Zone zone = frames.zone();
        long protection = 0;
        for (long p : zone.lowmemReserve()) {
            protection = Math.max(protection, p);
        }
        // /proc/meminfo as proc/Meminfo prints it: the page cache (NR_FILE_PAGES) holds file pages,
        // shmem and the swap cache, and Cached is it less the swap cache; no block-device buffers.
        long swapCached = frames.swapCache() == null ? 0 : frames.swapCache().size();
        long cached = frames.count(PageKind.FILE) + frames.count(PageKind.SHMEM);
        double fullAvg10 = psi == null ? 0 : printedAverage(psi.averages(Psi.State.FULL)[0]);
        return new MemoryState(frames.freeFrames(), 0, cached, swapCached, 0, frames.count(PageKind.SHMEM),
                lru.size(Lru.ListId.UNEVICTABLE), swap == null ? 0 : swap.totalPages(),
                swap == null ? 0 : swap.freePages(), lru.size(Lru.ListId.ACTIVE_ANON),
                lru.size(Lru.ListId.INACTIVE_ANON), lru.size(Lru.ListId.ACTIVE_FILE),
                lru.size(Lru.ListId.INACTIVE_FILE), e.get(VmEvents.Event.WORKINGSET_REFAULT_FILE),
                e.get(VmEvents.Event.PGSCAN_KSWAPD), e.get(VmEvents.Event.PGSCAN_DIRECT),
                e.get(VmEvents.Event.PGREFILL),
                new Watermarks(protection + zone.min(), protection + zone.low(), protection + zone.high()), fullAvg10,
                breachedSince);
    }

    /** A PSI average as /proc/pressure/memory prints it and lmkd parses it: percent with two decimals. */
    static double printedAverage(long fixedPoint) {
        long whole = fixedPoint >> LoadAverage.FSHIFT;
        long hundredths = ((fixedPoint & (LoadAverage.FIXED_1 - 1)) * 100) >> LoadAverage.FSHIFT;
        return whole + hundredths / 100.0;
    }

    /** nr_file_pages as lmkd derives it: Cached + SwapCached + Buffers. */
    public long nrFilePages() {
        return cachedPages + swapCachedPages + buffersPages;
    }

    /** easy_available: MemFree + Inactive(file). */
    public long easyAvailable() {
        return freePages + inactiveFile;
    }

    /** The file LRU, nr_inactive_file + nr_active_file: the base of the thrashing percentage. */
    public long fileLru() {
        return inactiveFile + activeFile;
    }

    /**
     * {@code get_free_swap}: zram's slots are only as good as the memory it can take them from,
     * so free swap counts at most {@code ratio} times the easily available memory (0: SwapFree).
     */
    public long freeSwap(int ratio) {
        return ratio != 0 ? Math.min(swapFreePages, easyAvailable() * ratio) : swapFreePages;
    }

    /** {@code calc_swap_utilization}: used swap as a share of everything swappable, in percent. */
    public int swapUtilization(int ratio) {
        long used = swapTotalPages - freeSwap(ratio);
        long swappable = activeAnon + inactiveAnon + shmemPages + used;
        return swappable > 0 ? (int) (used * 100 / swappable) : 0;
    }

    /**
     * {@code get_lowest_watermark} against {@code marks}: the lowest mark MemFree less CmaFree is
     * below, or the lowest one free memory fell below since the last look if that is lower.
     *
     * <p>The second half is a64emu's: on a device lmkd's polls land at any moment of reclaim, when
     * free memory is as often below the low watermark as above it; here kswapd balances the zone
     * in one go between the guest's slices and lmkd runs after it, so MemFree alone would always
     * read back above high and lmkd would only see a breach when reclaim has already failed, a
     * moment before the OOM killer. So lmkd also counts a breach the allocator's slow path left
     * behind ({@link #breachedSince}).
     */
    public Watermark lowestWatermark(Watermarks marks) {
        Watermark now = currentWatermark(marks);
        return now.compareTo(breachedSince) <= 0 ? now : breachedSince;
    }

    /** {@code get_lowest_watermark} on MemFree less CmaFree alone: where free memory is now. */
    public Watermark currentWatermark(Watermarks marks) {
        long free = freePages - cmaFreePages;
        Watermark now;
        if (free < marks.min()) {
            now = Watermark.MIN;
        } else if (free < marks.low()) {
            now = Watermark.LOW;
        } else if (free < marks.high()) {
            now = Watermark.HIGH;
        } else {
            now = Watermark.NONE;
        }
        return now;
    }

    /**
     * The lowest watermark free memory fell below between two looks, from the allocator's
     * counters: an allocation reclaims directly only below min (allocstall), and wakes kswapd
     * below low (kswapd_wakeups; kswapd scanning means it is still at the work such a wake-up
     * gave it).
     */
    public static Watermark breachedSince(long allocstallsBefore, long allocstalls, long kswapdBefore, long kswapd) {
        if (allocstalls != allocstallsBefore) {
            return Watermark.MIN;
        }
        return kswapd != kswapdBefore ? Watermark.LOW : Watermark.NONE;
    }

    /** The minfree policy's free memory: MemFree less zoneinfo's totalreserve_pages. */
    public long otherFree() {
        return freePages - watermarks.high();
    }

    /** The minfree policy's file cache: nr_file_pages less Shmem, Unevictable and SwapCached (0 if negative). */
    public long otherFile() {
        long notCache = shmemPages + unevictablePages + swapCachedPages;
        return nrFilePages() > notCache ? nrFilePages() - notCache : 0;
    }
}
