package a64emu.guest.mm;

import a64emu.memory.PhysicalMemory;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The emulated RAM's page frames: Linux's {@code mm/page_alloc.c} (free frames in a
 * {@link BuddyAllocator}, one {@link Zone} with its watermarks, the allocation slow path that
 * wakes kswapd and reclaims directly) and each frame's {@code struct page}: what the frame
 * is used for ({@link PageKind}), its reference count ({@code page_count}), how many page
 * entries map it ({@code page_mapcount}) and which ({@link Rmap}), its place on the LRU
 * lists ({@link Lru}), its swap slot while it is in the swap cache, and the flags
 * PG_dirty, PG_mlocked, PG_referenced, PG_active, PG_workingset, PG_swapcache and the
 * cleared PG_swapbacked of an MADV_FREE page. This is the one place frame metadata lives;
 * {@link PageTables} keeps the map counts and the reverse map exact as it writes entries,
 * and the owners of references take and drop them.
 *
 * <p>Reference rules, as in Linux: a frame comes out of {@link #allocate} with one
 * reference, owned by the caller; installing it in a page entry hands that reference to
 * the entry; removing the entry drops it ({@link #put}); the page cache and the swap cache
 * hold one reference of their own per page. A frame is freed when its count reaches zero.
 * A frame is zero when it is handed out: freeing gives its host memory back to
 * {@link PhysicalMemory}, which reads as zero afterwards.
 *
 * <p>Allocation follows {@code __alloc_pages}: the fast path takes a frame while free
 * memory stays above the low watermark; below it kswapd is woken and the allocation may
 * go down to the min watermark; below that the allocating task reclaims itself (direct
 * reclaim) and retries while reclaim makes progress, and only then does the allocation
 * fail ({@link OutOfFramesException}, the out-of-memory path). Reclaim itself allocates
 * without watermarks (PF_MEMALLOC), as it must to make progress.
 *
 * <p>Frame 0 is never handed out, so that physical address 0 cannot be mistaken for a
 * mapping of "nothing". The machine-wide page cache, swap and the set of live address
 * spaces hang off the allocator because, like them, it is one per machine.
 */
public final class FrameAllocator {
    /** What a frame holds (Linux: PageAnon, page->mapping, PageTable, the zero page, zsmalloc). */
    public enum PageKind {
        FREE,
        /** Anonymous memory of processes (PageAnon). */
        ANON,
        /** A page of a file in the page cache. */
        FILE,
        /** A page of shared anonymous memory (shmem; in the page cache, swap-backed). */
        SHMEM,
        /** A translation table frame (NR_PAGETABLE). */
        PAGE_TABLE,
        /** The shared zero page. */
        ZERO,
        /** A page of zsmalloc, holding zRAM's compressed pages (NR_ZSPAGES). */
        ZSMALLOC;

        private static final PageKind[] VALUES = values();
    }

    /** The reclaim that allocations under pressure call into (kswapd and direct reclaim). */
    public interface Reclaimer {
        /** {@code wakeup_kswapd}: free memory fell below the low watermark. */
        void wakeKswapd(int order);

        /** {@code try_to_free_pages} in the allocating task; returns the pages reclaimed. */
        long directReclaim(int order);

        /** Pages reclaim could still free ({@code zone_reclaimable_pages}). */
        long reclaimablePages();
    }

    /** The out-of-memory path: what to do when reclaim cannot satisfy an allocation. */
    public interface OutOfMemoryHandler {
        /**
         * {@code __alloc_pages_may_oom}: an allocation of {@code order} for a page of
         * {@code kind} failed after reclaim; true if memory was freed (a process killed) and
         * the allocation should try again.
         */
        boolean outOfMemory(PageKind kind, int order);
    }

    /**
     * Where time tasks spend waiting for memory is reported (PSI's memstall sections:
     * direct reclaim, and reading back a workingset page evicted too early).
     */
    public interface MemoryStall {
        /** A task stalled for {@code nanos} on memory, just ended. */
        void stalled(long nanos);
    }

    /** {@code MAX_RECLAIM_RETRIES}: direct reclaim attempts without progress before giving up. */
    static final int MAX_RECLAIM_RETRIES = 16;

    private static final short FLAG_DIRTY = 1;
    private static final short FLAG_MLOCKED = 2;
    /** PG_swapbacked cleared: an MADV_FREE page that may be discarded while clean. */
    private static final short FLAG_LAZYFREE = 4;
    /** PG_referenced. */
    private static final short FLAG_REFERENCED = 8;
    /** PG_active: on (or bound for) an active list. */
    private static final short FLAG_ACTIVE = 16;
    /** PG_workingset: the page was active before it was last deactivated or evicted. */
    private static final short FLAG_WORKINGSET = 32;
    /** PG_swapcache: the page is in the swap cache under {@link #swapOffset}. */
    private static final short FLAG_SWAPCACHE = 64;
    /**
     * Reclaim cleared an access flag of this page: the next Access flag fault on it is the
     * page being used again after aging (for --trace-faults; Linux keeps no such bit).
     */
    private static final short FLAG_AGED = 128;

    private final PhysicalMemory ram;
    private final int totalFrames;
    private final BuddyAllocator buddy;
    private final Zone zone;
    private final Lru lru;
    private final Rmap rmap;
    private final VmEvents events = new VmEvents();
    private final int[] refcount;
    private final int[] mapcount;
    private final byte[] kind;
    private final short[] flags;
    /** The swap slot of a page in the swap cache (page->private). */
    private final long[] swapOffset;
    private final long[] kindCount = new long[PageKind.VALUES.length];
    private final PageCache pageCache;
    private SwapSpace swap;
    private SwapCache swapCache;
    private Reclaimer reclaimer;
    private Vmscan vmscan;
    private OutOfMemoryHandler oom;
    private MemoryStall memoryStall = nanos -> { };
    /** cond_resched in the allocator's retry loop: lets woken real-time kernel threads (lmkd) run. */
    private Runnable condResched = () -> { };
    /** PF_MEMALLOC: reclaim is running, and its own allocations ignore the watermarks. */
    private boolean inReclaim;
    private long zeroFrame = -1;
    private final Set<AddressSpace> spaces = Collections.newSetFromMap(new IdentityHashMap<>());

    /** 16-bit ASIDs: the reverse map's index of live page tables. */
    static final int ASIDS = 1 << 16;

    public FrameAllocator(PhysicalMemory ram) {
        this.ram = ram;
        this.totalFrames = ram.frameCount();
        this.buddy = new BuddyAllocator(totalFrames, 1);
        // One zone over all of RAM from pfn 0, frame 0 reserved (present, not managed).
        this.zone = Zone.ram(0, totalFrames, totalFrames - 1);
        this.lru = new Lru(totalFrames);
        this.rmap = new Rmap(totalFrames, ASIDS);
        this.refcount = new int[totalFrames];
        this.mapcount = new int[totalFrames];
        this.kind = new byte[totalFrames];
        this.flags = new short[totalFrames];
        this.swapOffset = new long[totalFrames];
        kindCount[PageKind.FREE.ordinal()] = totalFrames - 1;
        this.pageCache = new PageCache(this);
    }

    public PhysicalMemory ram() {
        return ram;
    }

    /** The machine's page cache, shared by every address space using these frames. */
    public PageCache pageCache() {
        return pageCache;
    }

    /** The zone's watermarks and sysctls (min_free_kbytes, watermark_scale_factor). */
    public Zone zone() {
        return zone;
    }

    /** The free lists (/proc/buddyinfo). */
    public BuddyAllocator buddy() {
        return buddy;
    }

    public Lru lru() {
        return lru;
    }

    Rmap rmap() {
        return rmap;
    }

    /** The machine's vm event counters (/proc/vmstat). */
    public VmEvents events() {
        return events;
    }

    /** The swap area, or null when there is none (swapoff, or {@code --zram 0}). */
    public SwapSpace swap() {
        return swap;
    }

    /** The swap cache of {@link #swap()}, or null without swap. */
    public SwapCache swapCache() {
        return swapCache;
    }

    /** Puts a swap area under this memory (swapon); null for none. */
    public void setSwap(SwapSpace s) {
        swap = s;
        swapCache = s == null ? null : new SwapCache(this, s);
    }

    /** The machine's reclaim, or null when none is attached (unit tests of the allocator alone). */
    public Vmscan vmscan() {
        return vmscan;
    }

    void setVmscan(Vmscan v) {
        vmscan = v;
    }

    /**
     * {@code free_swap_and_cache}: a swap entry was zapped. Its slot loses a reference; when
     * only the swap cache still holds the slot, the cached page gives it up if nothing maps
     * the page (it can never be found again) or swap is more than half full
     * ({@code __try_to_reclaim_swap} with TTRS_UNMAPPED | TTRS_FULL).
     */
    void freeSwapEntry(long offset) {
        swap.free(offset);
        if (swap.count(offset) == 0 && swap.hasCache(offset)) {
            long pa = swapCache.find(offset);
            if (pa >= 0 && (mapcount(pa) == 0 || swap.isFull())) {
                swapCache.freeSwap(pa);
            }
        }
    }

    /**
     * {@code free_swap_cache}: the last entry mapping {@code pa} is gone; if it is in the swap
     * cache and no swap entry refers to its slot any more, it leaves the cache.
     */
    void freeSwapCacheIfUnmapped(long pa) {
        if (swapCache != null && inSwapCache(pa) && mapcount(pa) == 0) {
            swapCache.freeSwap(pa);
        }
    }

    /** Where memory stalls are reported (the kernel's PSI). */
    public void setMemoryStall(MemoryStall s) {
        memoryStall = s;
    }

    /**
     * What the allocator's retry loop yields to ({@code cond_resched}): on a device lmkd, a
     * SCHED_FIFO thread woken by PSI, runs there and may kill to free memory.
     */
    public void setCondResched(Runnable r) {
        condResched = r;
    }

    /** Reports a stall of the current task on memory. */
    public void stalled(long nanos) {
        memoryStall.stalled(nanos);
    }

    /** Connects the allocator to the OOM killer; null for none (the allocation just fails). */
    public void setOutOfMemoryHandler(OutOfMemoryHandler h) {
        oom = h;
    }

    /** Connects the allocator to reclaim (kswapd and direct reclaim); null for none. */
    public void setReclaimer(Reclaimer r) {
        reclaimer = r;
    }

    /** Allocates one zeroed frame for anonymous memory and returns its physical address. */
    public long allocate() throws OutOfFramesException {
        return allocate(PageKind.ANON);
    }

    /** Allocates one zeroed frame of {@code what} with a reference count of one. */
    public long allocate(PageKind what) throws OutOfFramesException {
        if (what == PageKind.FREE) {
            throw new IllegalArgumentException("allocating a frame as FREE");
        }
        int pfn = allocatePfn(what, 0);
        refcount[pfn] = 1;
        mapcount[pfn] = 0;
        setKindAt(pfn, what);
        flags[pfn] = 0;
        long pa = (long) pfn << PhysicalMemory.FRAME_SHIFT;
        ram.releaseFrame(pa);
        return pa;
    }

    /**
     * A frame for reclaim's own use (zsmalloc storing a page that is being swapped out): no
     * watermarks, no reclaim, -1 when no frame at all is free (Linux zram's first
     * {@code zs_malloc} with {@code __GFP_KSWAPD_RECLAIM | __GFP_NOWARN} from PF_MEMALLOC context).
     */
    public long allocateNoReclaim(PageKind what) {
        int pfn = buddy.allocate(0);
        if (pfn < 0) {
            return -1;
        }
        refcount[pfn] = 1;
        mapcount[pfn] = 0;
        setKindAt(pfn, what);
        flags[pfn] = 0;
        long pa = (long) pfn << PhysicalMemory.FRAME_SHIFT;
        ram.releaseFrame(pa);
        return pa;
    }

    /**
     * {@code __alloc_pages} for one block of {@code order}: the slow path, then the OOM path,
     * which may kill a process and send the allocation round again.
     */
    private int allocatePfn(PageKind what, int order) throws OutOfFramesException {
        while (true) {
            int pfn = tryAllocatePfn(what, order);
            if (pfn >= 0) {
                return pfn;
            }
            if (oom == null || !oom.outOfMemory(what, order)) {
                throw new OutOfFramesException(outOfMemoryReason());
            }
        }
    }

    /** The fast and slow paths with reclaim; -1 when they cannot find a frame. */
    private int tryAllocatePfn(PageKind what, int order) throws OutOfFramesException {
        if (inReclaim || reclaimer == null) {
            // PF_MEMALLOC, or an allocator with no reclaim behind it: no watermarks to keep.
            return takeOrFail(order);
        }
        // Fast path: above the low watermark (ALLOC_WMARK_LOW).
        if (watermarkOk(zone.low(), order)) {
            return buddy.allocate(order);
        }
        // Slow path: wake kswapd, then allocate down to the min watermark.
        reclaimer.wakeKswapd(order);
        if (watermarkOk(zone.min(), order)) {
            return buddy.allocate(order);
        }
        // Direct reclaim, retried while it helps (should_reclaim_retry).
        int noProgress = 0;
        while (true) {
            // Counted under the highest zone the allocation may use (do_try_to_free_pages).
            boolean userPage = what == PageKind.ANON || what == PageKind.FILE || what == PageKind.SHMEM;
            events.count(userPage ? VmEvents.Event.ALLOCSTALL_MOVABLE : VmEvents.Event.ALLOCSTALL_NORMAL);
            long stallStart = System.nanoTime();
            long progress = reclaimer.directReclaim(order);
            // psi_memstall_enter/leave around __perform_reclaim.
            memoryStall.stalled(System.nanoTime() - stallStart);
            condResched.run();
            if (watermarkOk(zone.min(), order)) {
                return buddy.allocate(order);
            }
            noProgress = progress > 0 ? 0 : noProgress + 1;
            if (noProgress > MAX_RECLAIM_RETRIES) {
                break;
            }
            // Retry only while what reclaim could still free would lift us above min.
            long available = reclaimer.reclaimablePages() + buddy.freePages();
            if (available - ((1L << order) - 1) <= zone.min()) {
                break;
            }
        }
        // __alloc_pages_may_oom: a last try at the high watermark before the OOM path.
        condResched.run();
        if (watermarkOk(zone.high(), order)) {
            return buddy.allocate(order);
        }
        return -1;
    }

    /** {@code zone_watermark_fast}: order 0 needs only the count; higher orders the free lists too. */
    boolean watermarkOk(long mark, int order) {
        if (order == 0) {
            return buddy.freePages() > mark;
        }
        return zone.watermarkOk(buddy.freePages(), mark, order, buddy.freeBlocksPerOrder());
    }

    private int takeOrFail(int order) throws OutOfFramesException {
        int pfn = buddy.allocate(order);
        if (pfn < 0) {
            throw new OutOfFramesException(outOfMemoryReason());
        }
        return pfn;
    }

    /** Why an allocation failed, in words: how full RAM and swap are. */
    private String outOfMemoryReason() {
        StringBuilder b = new StringBuilder(String.format(
                "out of memory: %d of %d physical frames in use (min watermark %d free)",
                totalFrames - buddy.freePages(), totalFrames, zone.min()));
        if (swap == null) {
            b.append(", no swap");
        } else {
            b.append(String.format(", swap %d of %d pages used", swap.usedPages(), swap.totalPages()));
        }
        return b.toString();
    }

    /**
     * Runs {@code work} as reclaim (PF_MEMALLOC): allocations inside it take frames below
     * the watermarks and never recurse into reclaim. Returns what {@code work} returns.
     */
    public long asReclaim(java.util.function.LongSupplier work) {
        boolean was = inReclaim;
        inReclaim = true;
        try {
            return work.getAsLong();
        } finally {
            inReclaim = was;
        }
    }

    /** Whether reclaim is running (PF_MEMALLOC). */
    public boolean inReclaim() {
        return inReclaim;
    }

    /**
     * Linux's {@code ZERO_PAGE}: one frame of zeros, mapped read-only wherever an anonymous
     * page is read before it is written. Allocated on first use and never freed.
     */
    public long zeroFrame() throws OutOfFramesException {
        if (zeroFrame < 0) {
            zeroFrame = allocate(PageKind.ZERO);
        }
        return zeroFrame;
    }

    /** Returns a frame that has exactly one reference (a table frame); its contents are discarded. */
    public void free(long pa) {
        int index = checkedIndex(pa);
        if (refcount[index] != 1) {
            throw new IllegalStateException(String.format(
                    "freeing frame 0x%x with %d references", pa, refcount[index]));
        }
        release(index, pa);
    }

    /** Linux {@code get_page}: one more reference to an allocated frame. */
    public void get(long pa) {
        refcount[checkedIndex(pa)]++;
    }

    /** Linux {@code put_page}: drops a reference; the frame is freed with the last one. */
    public void put(long pa) {
        int index = checkedIndex(pa);
        if (--refcount[index] == 0) {
            release(index, pa);
        }
    }

    private void release(int index, long pa) {
        if (mapcount[index] != 0) {
            throw new IllegalStateException(String.format(
                    "freeing frame 0x%x still mapped by %d entries", pa, mapcount[index]));
        }
        if ((flags[index] & FLAG_SWAPCACHE) != 0) {
            throw new IllegalStateException(String.format("freeing frame 0x%x still in the swap cache", pa));
        }
        // __folio_put: off the LRU before the frame goes back.
        lru.remove(index);
        refcount[index] = 0;
        setKindAt(index, PageKind.FREE);
        flags[index] = 0;
        ram.releaseFrame(pa);
        buddy.free(index, 0);
    }

    private void setKindAt(int pfn, PageKind what) {
        kindCount[kind[pfn]]--;
        kind[pfn] = (byte) what.ordinal();
        kindCount[what.ordinal()]++;
    }

    private int checkedIndex(long pa) {
        if ((pa & PhysicalMemory.FRAME_MASK) != 0) {
            throw new IllegalArgumentException(String.format("frame address 0x%x is not 4 KiB aligned", pa));
        }
        if (pa == zeroFrame) {
            throw new IllegalStateException("reference counting the shared zero page");
        }
        int index = (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
        if (index <= 0 || index >= totalFrames || kind[index] == PageKind.FREE.ordinal()) {
            throw new IllegalStateException(String.format("frame 0x%x is not allocated", pa));
        }
        return index;
    }

    private static int index(long pa) {
        return (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
    }

    /** The page frame number of {@code pa}. */
    public static int pfn(long pa) {
        return index(pa);
    }

    /** The physical address of page frame {@code pfn}. */
    public static long address(int pfn) {
        return (long) pfn << PhysicalMemory.FRAME_SHIFT;
    }

    public boolean isAllocated(long pa) {
        int index = index(pa);
        return index > 0 && index < totalFrames && kind[index] != PageKind.FREE.ordinal();
    }

    // ---- struct page fields ----------------------------------------------------------

    public PageKind kind(long pa) {
        return PageKind.VALUES[kind[index(pa)]];
    }

    void setKind(long pa, PageKind what) {
        setKindAt(checkedIndex(pa), what);
    }

    /** {@code page_count}. */
    public int refcount(long pa) {
        return refcount[index(pa)];
    }

    /** {@code page_mapcount}: page entries, in every address space, that map the frame. */
    public int mapcount(long pa) {
        return mapcount[index(pa)];
    }

    /**
     * Called by {@link PageTables} when its entry for {@code va} starts mapping {@code pa}:
     * the map count and the reverse map follow, and a page mapped for the first time joins
     * the LRU ({@code folio_add_lru_vma}).
     */
    void mapped(long pa, PageTables pt, long va) {
        if (pa == zeroFrame) {
            return;
        }
        int index = checkedIndex(pa);
        mapcount[index]++;
        rmap.add(index, pt, va);
        lruAdd(index);
    }

    /** Called by {@link PageTables} when its entry for {@code va} stops mapping {@code pa}. */
    void unmapped(long pa, PageTables pt, long va) {
        if (pa == zeroFrame) {
            return;
        }
        int index = checkedIndex(pa);
        if (--mapcount[index] < 0) {
            throw new IllegalStateException(String.format("frame 0x%x unmapped more often than mapped", pa));
        }
        rmap.remove(index, pt, va);
    }

    /** {@code folio_add_lru}: an evictable page not on the LRU yet goes to its inactive list. */
    void lruAdd(long pa) {
        lruAdd(checkedIndex(pa));
    }

    private void lruAdd(int index) {
        if (lru.contains(index)) {
            return;
        }
        Lru.ListId list = lruListOf(index);
        if (list != null) {
            lru.addHead(index, list);
        }
    }

    /**
     * {@code folio_lru_list}: which list a page belongs on now. Anonymous and shared
     * anonymous pages are swap-backed (the anon lists); page-cache pages and MADV_FREE pages
     * (PG_swapbacked cleared) are on the file lists; mlocked pages are unevictable. Other
     * frames are on no list.
     */
    Lru.ListId lruListOf(int index) {
        PageKind k = PageKind.VALUES[kind[index]];
        if (k != PageKind.ANON && k != PageKind.FILE && k != PageKind.SHMEM) {
            return null;
        }
        if ((flags[index] & FLAG_MLOCKED) != 0) {
            return Lru.ListId.UNEVICTABLE;
        }
        boolean file = k == PageKind.FILE || (flags[index] & FLAG_LAZYFREE) != 0;
        return Lru.ListId.of(file, (flags[index] & FLAG_ACTIVE) != 0);
    }

    /** Puts a page back on the list its flags say, at the head ({@code folio_putback_lru}). */
    void lruPutback(int index) {
        lru.remove(index);
        lruAdd(index);
    }

    /** PG_dirty: the page's contents differ from its file or its swap slot. */
    public boolean isDirty(long pa) {
        return (flags[index(pa)] & FLAG_DIRTY) != 0;
    }

    /** Linux {@code set_page_dirty} / {@code ClearPageDirty}. */
    public void setDirty(long pa, boolean dirty) {
        setFlag(pa, FLAG_DIRTY, dirty);
    }

    /** PG_mlocked: the page is in a VM_LOCKED area and must not be reclaimed. */
    public boolean isMlocked(long pa) {
        return (flags[index(pa)] & FLAG_MLOCKED) != 0;
    }

    /** {@code mlock_folio} / {@code munlock_folio}: the page moves to or from the unevictable list. */
    public void setMlocked(long pa, boolean locked) {
        int index = checkedIndex(pa);
        boolean was = (flags[index] & FLAG_MLOCKED) != 0;
        setFlag(pa, FLAG_MLOCKED, locked);
        if (locked && !was) {
            // __mlock_folio: off the active list for the unevictable one; munlock returns it inactive.
            setFlagAt(index, FLAG_ACTIVE, false);
        }
        if (was != locked && lru.contains(index)) {
            lruPutback(index);
        }
    }

    /** An MADV_FREE page (PG_swapbacked cleared): discardable while clean. */
    public boolean isLazyFree(long pa) {
        return (flags[index(pa)] & FLAG_LAZYFREE) != 0;
    }

    /**
     * {@code mark_page_lazyfree} (on) moves the page to the inactive file list, where reclaim
     * discards it while clean; a write makes it swap-backed again (off), back on the anon list.
     */
    public void setLazyFree(long pa, boolean lazy) {
        int index = checkedIndex(pa);
        boolean was = (flags[index] & FLAG_LAZYFREE) != 0;
        setFlag(pa, FLAG_LAZYFREE, lazy);
        if (lazy) {
            setFlagAt(index, FLAG_ACTIVE | FLAG_REFERENCED, false);
        }
        if (was != lazy && lru.contains(index)) {
            lruPutback(index);
        }
    }

    /** PG_referenced. */
    public boolean isReferenced(long pa) {
        return (flags[index(pa)] & FLAG_REFERENCED) != 0;
    }

    public void setReferenced(long pa, boolean referenced) {
        setFlag(pa, FLAG_REFERENCED, referenced);
    }

    /** PG_active. */
    public boolean isActive(long pa) {
        return (flags[index(pa)] & FLAG_ACTIVE) != 0;
    }

    void setActive(long pa, boolean active) {
        setFlag(pa, FLAG_ACTIVE, active);
    }

    /** PG_workingset. */
    public boolean isWorkingset(long pa) {
        return (flags[index(pa)] & FLAG_WORKINGSET) != 0;
    }

    void setWorkingset(long pa, boolean on) {
        setFlag(pa, FLAG_WORKINGSET, on);
    }

    /** Reclaim cleared one of this page's access flags (see {@link #FLAG_AGED}). */
    boolean isAged(long pa) {
        return (flags[index(pa)] & FLAG_AGED) != 0;
    }

    void setAged(long pa, boolean on) {
        setFlag(pa, FLAG_AGED, on);
    }

    /** PG_swapcache. */
    public boolean inSwapCache(long pa) {
        return (flags[index(pa)] & FLAG_SWAPCACHE) != 0;
    }

    /** The swap slot of a page in the swap cache. */
    public long swapOffset(long pa) {
        return swapOffset[index(pa)];
    }

    /** Called by {@link SwapCache}: the page enters ({@code offset > 0}) or leaves the swap cache. */
    void setSwapCache(long pa, long offset) {
        int index = checkedIndex(pa);
        setFlagAt(index, FLAG_SWAPCACHE, offset > 0);
        swapOffset[index] = Math.max(0, offset);
    }

    private void setFlag(long pa, short flag, boolean on) {
        setFlagAt(checkedIndex(pa), flag, on);
    }

    private void setFlagAt(int index, int flag, boolean on) {
        flags[index] = (short) (on ? flags[index] | flag : flags[index] & ~flag);
    }

    // ---- machine-wide counts ---------------------------------------------------------

    public int totalFrames() {
        return totalFrames;
    }

    /** Frames in use, including the reserved frame 0. */
    public int usedFrames() {
        return (int) (totalFrames - buddy.freePages());
    }

    public int freeFrames() {
        return (int) buddy.freePages();
    }

    /** Frames currently of {@code what}. */
    public long count(PageKind what) {
        return what == PageKind.FREE ? buddy.freePages() : kindCount[what.ordinal()];
    }

    /** Frames of {@code what} mapped by at least one page entry (AnonPages, Mapped). */
    public long countMapped(PageKind what) {
        long n = 0;
        byte k = (byte) what.ordinal();
        for (int i = 1; i < totalFrames; i++) {
            if (kind[i] == k && mapcount[i] > 0) {
                n++;
            }
        }
        return n;
    }

    /** Frames with PG_mlocked (meminfo Mlocked). */
    public long countMlocked() {
        return countFlag(FLAG_MLOCKED);
    }

    /** Frames with PG_dirty (meminfo Dirty: page-cache pages; anonymous dirt is not counted). */
    public long countDirty() {
        long n = 0;
        for (int i = 1; i < totalFrames; i++) {
            if ((flags[i] & FLAG_DIRTY) != 0 && kind[i] == PageKind.FILE.ordinal()) {
                n++;
            }
        }
        return n;
    }

    /** Pages in the swap cache (meminfo SwapCached). */
    public long countSwapCached() {
        return countFlag(FLAG_SWAPCACHE);
    }

    /** Pages with PG_lazyfree that are still clean (meminfo LazyFree is not a line; smaps is). */
    private long countFlag(short flag) {
        long n = 0;
        for (int i = 1; i < totalFrames; i++) {
            if ((flags[i] & flag) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Address spaces alive on this machine (for Committed_AS and the page cache's users). */
    public Collection<AddressSpace> addressSpaces() {
        return Collections.unmodifiableSet(spaces);
    }

    void register(AddressSpace mm) {
        spaces.add(mm);
    }

    void unregister(AddressSpace mm) {
        spaces.remove(mm);
    }
}
