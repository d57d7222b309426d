package a64emu.guest.mm;

import a64emu.guest.mm.Lru.ListId;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.mmu.Descriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Page reclaim, Linux 6.1 {@code mm/vmscan.c} with the classic two-list LRU: which pages to
 * give up when free memory runs low, for kswapd ({@link #balance}) and for an allocating
 * task that has to reclaim itself ({@link #directReclaim}).
 *
 * <p>The walk, as in the kernel: {@code shrink_node} sets the scan balance between
 * anonymous and file pages ({@link #getScanCount}: swappiness against the recorded cost of
 * reclaiming each type, no anon scanning without free swap), then scans each list in
 * batches of 32 from its tail at a priority that starts at 12 (1/4096 of the list) and
 * doubles the effort each round. The active lists only feed the inactive ones
 * ({@link #shrinkActiveList}); from an inactive list ({@link #shrinkInactiveList}) each page
 * is judged by its references ({@link #checkReferences}: the access flags of every page
 * entry that maps it, tested and cleared through the reverse map, and PG_referenced) and
 * is kept, activated, or reclaimed: a clean file page is dropped from the page cache, a
 * dirty one written back first; an anonymous page gets a swap slot, is unmapped everywhere
 * (each entry becomes a swap entry), written to the swap device and freed; a clean
 * MADV_FREE page is discarded. Every eviction leaves a workingset shadow.
 *
 * <p>Reclaim runs with PF_MEMALLOC set ({@link FrameAllocator#asReclaim}), so the frames
 * zRAM needs to store what it evicts come from below the watermarks. Dirty page-cache pages
 * are written back synchronously here (a64emu has no flusher threads), which is what
 * kswapd does in Linux when it finds them at the tail of the inactive list.
 */
public final class Vmscan implements FrameAllocator.Reclaimer {
    /** SWAP_CLUSTER_MAX: pages isolated and reclaimed per batch. */
    static final int SWAP_CLUSTER_MAX = 32;
    /** DEF_PRIORITY: scan lru_size >> 12 pages first, then double the effort each round. */
    static final int DEF_PRIORITY = 12;
    /** vm.swappiness's default and range. */
    public static final int DEFAULT_SWAPPINESS = 60;
    public static final int MAX_SWAPPINESS = 200;

    private static final int DEACTIVATE_ANON = 1;
    private static final int DEACTIVATE_FILE = 2;

    /** Linux {@code enum folio_references}. */
    enum References { RECLAIM, RECLAIM_CLEAN, KEEP, ACTIVATE }

    /** What shrink_folio_list did with a page it was given. */
    private enum Outcome { FREED, KEEP, ACTIVATE }

    /** Linux {@code struct scan_control}, the parts a single-node machine uses. */
    static final class ScanControl {
        long nrToReclaim;
        int priority = DEF_PRIORITY;
        boolean mayWritepage = true;
        boolean mayUnmap = true;
        boolean maySwap = true;
        final boolean kswapd;
        long nrScanned;
        long nrReclaimed;
        int mayDeactivate;
        boolean forceDeactivate;
        boolean skippedDeactivate;
        boolean cacheTrimMode;
        boolean fileIsTiny;
        long anonCost;
        long fileCost;
        /** Pages written to swap or files in this scan (stat.nr_pageout). */
        long nrPageout;

        ScanControl(boolean kswapd) {
            this.kswapd = kswapd;
        }
    }

    /** Shrinkers of kernel caches that reclaim also asks ({@code shrink_slab}): zsmalloc's compaction. */
    public interface Shrinker {
        /** Objects (pages) the cache could give back now. */
        long count();

        /** Gives back what it can; returns the pages freed. */
        long scan();
    }

    private final FrameAllocator frames;
    private final Lru lru;
    private final Rmap rmap;
    private final VmEvents events;
    private final Workingset workingset;
    private final List<Shrinker> shrinkers = new ArrayList<>();
    private int swappiness = DEFAULT_SWAPPINESS;
    /** lruvec->anon_cost and file_cost: recent reclaim IO, decayed. */
    private long anonCost;
    private long fileCost;
    /** lruvec->refaults: workingset activations seen at the last reclaim, anon and file. */
    private long refaultsAnon;
    private long refaultsFile;
    /** pgdat->kswapd_failures: kswapd runs in a row that reclaimed nothing. */
    private int kswapdFailures;
    /** Who to wake when free memory falls below the low watermark. */
    private Runnable kswapdWaker;
    /** Writes kernel messages ("Write-error on swap-device ..."). */
    private java.util.function.Consumer<String> kernelLog = line -> { };

    public Vmscan(FrameAllocator frames) {
        this.frames = frames;
        this.lru = frames.lru();
        this.rmap = frames.rmap();
        this.events = frames.events();
        this.workingset = new Workingset(frames);
        frames.setReclaimer(this);
        frames.setVmscan(this);
    }

    public void setKswapdWaker(Runnable waker) {
        kswapdWaker = waker;
    }

    public void setKernelLog(java.util.function.Consumer<String> log) {
        kernelLog = log;
    }

    public void addShrinker(Shrinker s) {
        shrinkers.add(s);
    }

    /** vm.swappiness, 0..200. */
    public int swappiness() {
        return swappiness;
    }

    public void setSwappiness(int value) {
        if (value < 0 || value > MAX_SWAPPINESS) {
            throw new IllegalArgumentException("swappiness is 0.." + MAX_SWAPPINESS + ": " + value);
        }
        swappiness = value;
    }

    Workingset workingset() {
        return workingset;
    }

    // ---- entry points -------------------------------------------------------------

    @Override
    public void wakeKswapd(int order) {
        // wakeup_kswapd: a hopeless node is left to direct reclaim; a balanced one needs nothing.
        if (kswapdWaker == null || kswapdFailures >= FrameAllocator.MAX_RECLAIM_RETRIES || balanced(order)) {
            return;
        }
        kswapdWaker.run();
    }

    /** {@code try_to_free_pages} / {@code do_try_to_free_pages}: direct reclaim of a batch. */
    @Override
    public long directReclaim(int order) {
        events.count(Event.DIRECT_RECLAIM_STALLS);
        return frames.asReclaim(() -> {
            ScanControl sc = new ScanControl(false);
            sc.nrToReclaim = SWAP_CLUSTER_MAX;
            boolean retried = false;
            while (true) {
                do {
                    sc.nrScanned = 0;
                    shrinkNode(sc);
                    if (sc.nrReclaimed >= sc.nrToReclaim) {
                        break;
                    }
                } while (--sc.priority >= 0);
                if (sc.nrReclaimed > 0 || !sc.skippedDeactivate || retried) {
                    snapshotRefaults();
                    return sc.nrReclaimed;
                }
                // The inactive:active estimate kept the active lists out: retry with forced deactivation.
                retried = true;
                sc.priority = DEF_PRIORITY;
                sc.forceDeactivate = true;
                sc.skippedDeactivate = false;
            }
        });
    }

    /**
     * {@code balance_pgdat}: kswapd's run, reclaiming until the zone is above its high
     * watermark or priority runs out. Returns the pages reclaimed.
     */
    public long balance(int order) {
        events.count(Event.PAGEOUTRUN);
        return frames.asReclaim(() -> {
            ScanControl sc = new ScanControl(true);
            boolean balancedNow = false;
            do {
                long before = sc.nrReclaimed;
                boolean raisePriority = true;
                if (balanced(order)) {
                    balancedNow = true; // goto out: a balanced node is no failure
                    break;
                }
                // Background aging of the anon lists, so pages get a chance to be referenced.
                kswapdAgeNode(sc);
                // kswapd_shrink_node: reclaim the high watermark's worth (at least 32 pages).
                sc.nrToReclaim = Math.max(frames.zone().high(), SWAP_CLUSTER_MAX);
                sc.nrScanned = 0;
                shrinkNode(sc);
                if (sc.nrScanned >= sc.nrToReclaim) {
                    raisePriority = false;
                }
                long reclaimed = sc.nrReclaimed - before;
                if (raisePriority || reclaimed == 0) {
                    sc.priority--;
                }
            } while (sc.priority >= 1);
            if (!balancedNow && sc.nrReclaimed == 0) {
                kswapdFailures++;
            }
            snapshotRefaults();
            return sc.nrReclaimed;
        });
    }

    /** {@code pgdat_balanced}: free memory is above the high watermark for this order. */
    public boolean balanced(int order) {
        return frames.watermarkOk(frames.zone().high(), order);
    }

    /** Whether kswapd has given up ({@code kswapd_failures >= MAX_RECLAIM_RETRIES}). */
    public boolean kswapdHopeless() {
        return kswapdFailures >= FrameAllocator.MAX_RECLAIM_RETRIES;
    }

    /** {@code zone_reclaimable_pages}: file pages, and anon pages while there is free swap. */
    @Override
    public long reclaimablePages() {
        long n = lru.size(ListId.INACTIVE_FILE) + lru.size(ListId.ACTIVE_FILE);
        if (canReclaimAnon()) {
            n += lru.size(ListId.INACTIVE_ANON) + lru.size(ListId.ACTIVE_ANON);
        }
        return n;
    }

    /** {@code can_age_anon_pages}: a swap area exists (full or not), so anon pages are worth aging. */
    private boolean canAgeAnon() {
        return frames.swap() != null;
    }

    /** {@code can_reclaim_anon_pages}: there is swap space left. */
    private boolean canReclaimAnon() {
        SwapSpace swap = frames.swap();
        return swap != null && swap.freePages() > 0;
    }

    // ---- shrink_node ------------------------------------------------------------------

    /** {@code shrink_node}: one pass over the node at {@code sc.priority}. */
    private void shrinkNode(ScanControl sc) {
        long before = sc.nrReclaimed;
        prepareScanCount(sc);
        shrinkLruvec(sc);
        shrinkSlab(sc);
        // Progress revives a kswapd that had given up (a successful direct reclaim does too).
        if (sc.nrReclaimed > before) {
            kswapdFailures = 0;
        }
    }

    /** {@code snapshot_refaults}: the workingset activations seen, at the end of a whole reclaim. */
    private void snapshotRefaults() {
        refaultsAnon = events.get(Event.WORKINGSET_ACTIVATE_ANON);
        refaultsFile = events.get(Event.WORKINGSET_ACTIVATE_FILE);
    }

    /** {@code prepare_scan_count}: deactivation targets, cache trim mode, the tiny-file-LRU check. */
    private void prepareScanCount(ScanControl sc) {
        sc.anonCost = anonCost;
        sc.fileCost = fileCost;
        if (!sc.forceDeactivate) {
            long refaults = events.get(Event.WORKINGSET_ACTIVATE_ANON);
            if (refaults != refaultsAnon || inactiveIsLow(ListId.INACTIVE_ANON)) {
                sc.mayDeactivate |= DEACTIVATE_ANON;
            } else {
                sc.mayDeactivate &= ~DEACTIVATE_ANON;
            }
            refaults = events.get(Event.WORKINGSET_ACTIVATE_FILE);
            if (refaults != refaultsFile || inactiveIsLow(ListId.INACTIVE_FILE)) {
                sc.mayDeactivate |= DEACTIVATE_FILE;
            } else {
                sc.mayDeactivate &= ~DEACTIVATE_FILE;
            }
        } else {
            sc.mayDeactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
        }
        // Plenty of inactive page cache that is not thrashing: reclaim that first.
        long inactiveFile = lru.size(ListId.INACTIVE_FILE);
        sc.cacheTrimMode = (inactiveFile >> sc.priority) != 0 && (sc.mayDeactivate & DEACTIVATE_FILE) == 0;
        // The cache trap: a tiny, thrashing file LRU must not attract all the pressure.
        long free = frames.buddy().freePages();
        long file = lru.size(ListId.ACTIVE_FILE) + inactiveFile;
        long anon = lru.size(ListId.INACTIVE_ANON);
        sc.fileIsTiny = file + free <= frames.zone().high()
                && (sc.mayDeactivate & DEACTIVATE_ANON) == 0
                && (anon >> sc.priority) != 0;
    }

    /** {@code shrink_lruvec}: scan the lists in proportion, 32 pages at a time. */
    private void shrinkLruvec(ScanControl sc) {
        long[] nr = getScanCount(sc);
        long[] targets = nr.clone();
        long nrReclaimed = 0;
        long nrToReclaim = sc.nrToReclaim;
        // Direct reclaim at the first priority does a whole batch (kswapd is not keeping up).
        boolean proportionalReclaim = !sc.kswapd && sc.priority == DEF_PRIORITY;
        ListId[] evictable = {ListId.INACTIVE_ANON, ListId.ACTIVE_ANON, ListId.INACTIVE_FILE, ListId.ACTIVE_FILE};
        while (nr[0] != 0 || nr[3] != 0 || nr[2] != 0) {
            for (ListId list : evictable) {
                int i = list.ordinal();
                if (nr[i] != 0) {
                    long toScan = Math.min(nr[i], SWAP_CLUSTER_MAX);
                    nr[i] -= toScan;
                    nrReclaimed += shrinkList(list, toScan, sc);
                }
            }
            if (nrReclaimed < nrToReclaim || proportionalReclaim) {
                continue;
            }
            // Enough reclaimed: stop the smaller type, and scale the other down to what is left of its target.
            long nrFile = nr[2] + nr[3];
            long nrAnon = nr[0] + nr[1];
            if (nrFile == 0 || nrAnon == 0) {
                break;
            }
            int stop;
            long percentage;
            if (nrFile > nrAnon) {
                long scanTarget = targets[0] + targets[1] + 1;
                stop = 0;
                percentage = nrAnon * 100 / scanTarget;
            } else {
                long scanTarget = targets[2] + targets[3] + 1;
                stop = 2;
                percentage = nrFile * 100 / scanTarget;
            }
            nr[stop] = 0;
            nr[stop + 1] = 0;
            int other = stop == 2 ? 0 : 2;
            for (int i = other; i <= other + 1; i++) {
                long scanned = targets[i] - nr[i];
                nr[i] = targets[i] * (100 - percentage) / 100;
                nr[i] -= Math.min(nr[i], scanned);
            }
        }
        sc.nrReclaimed += nrReclaimed;
        // Rebalance the anon lists even if no anon page was to be evicted.
        if (canAgeAnon() && inactiveIsLow(ListId.INACTIVE_ANON)) {
            shrinkActiveList(SWAP_CLUSTER_MAX, ListId.ACTIVE_ANON, sc);
        }
    }

    /**
     * {@code get_scan_count}: how many pages of each evictable list to scan at this
     * priority. Returns an array indexed by {@link ListId#ordinal()}.
     */
    long[] getScanCount(ScanControl sc) {
        enum Balance { EQUAL, FRACT, ANON, FILE }
        Balance balance;
        long apFraction = 0;
        long fpFraction = 0;
        long denominator = 1;
        if (!sc.maySwap || !canReclaimAnon()) {
            balance = Balance.FILE;
        } else if (sc.priority == 0 && swappiness != 0) {
            // Close to OOM: scan both types equally.
            balance = Balance.EQUAL;
        } else if (sc.fileIsTiny) {
            balance = Balance.ANON;
        } else if (sc.cacheTrimMode) {
            balance = Balance.FILE;
        } else {
            balance = Balance.FRACT;
            // Pressure inversely proportional to each type's reclaim cost, weighted by swappiness;
            // at least a third of it on each type before swappiness.
            long totalCost = sc.anonCost + sc.fileCost;
            long anon = totalCost + sc.anonCost;
            long file = totalCost + sc.fileCost;
            totalCost = anon + file;
            apFraction = swappiness * (totalCost + 1) / (anon + 1);
            fpFraction = (MAX_SWAPPINESS - swappiness) * (totalCost + 1) / (file + 1);
            denominator = apFraction + fpFraction;
        }
        long[] nr = new long[ListId.values().length];
        for (ListId list : new ListId[] {ListId.INACTIVE_ANON, ListId.ACTIVE_ANON, ListId.INACTIVE_FILE,
                ListId.ACTIVE_FILE}) {
            boolean file = list.isFile();
            long scan = lru.size(list) >> sc.priority;
            switch (balance) {
                case EQUAL -> { }
                case FRACT -> scan = denominator == 0 ? 0
                        : multiplyDivide(scan, file ? fpFraction : apFraction, denominator);
                case FILE -> scan = file ? scan : 0;
                case ANON -> scan = file ? 0 : scan;
            }
            nr[list.ordinal()] = scan;
        }
        return nr;
    }

    /** {@code div64_u64(a * b, d)}: list sizes and the cost-bounded fractions keep a * b far below 2^63. */
    private static long multiplyDivide(long a, long b, long d) {
        return a * b / d;
    }

    /**
     * {@code inactive_is_low}: the inactive list is short against the active one, by the
     * ratio {@code int_sqrt(10 * size in GiB)} (1 below 1 GiB).
     */
    boolean inactiveIsLow(ListId inactiveList) {
        long inactive = lru.size(inactiveList);
        long active = lru.size(inactiveList.active());
        long gb = (inactive + active) >> (30 - VmLayout.PAGE_SHIFT);
        long ratio = gb != 0 ? Zone.intSqrt(10 * gb) : 1;
        return inactive * ratio < active;
    }

    /** {@code shrink_list}: an active list is only deactivated, when that is wanted. */
    private long shrinkList(ListId list, long nrToScan, ScanControl sc) {
        if (list.isActive()) {
            int bit = list.isFile() ? DEACTIVATE_FILE : DEACTIVATE_ANON;
            if ((sc.mayDeactivate & bit) != 0) {
                shrinkActiveList(nrToScan, list, sc);
            } else {
                sc.skippedDeactivate = true;
            }
            return 0;
        }
        return shrinkInactiveList(nrToScan, list, sc);
    }

    /** {@code kswapd_age_node}: deactivate some anon pages when the inactive anon list is short. */
    private void kswapdAgeNode(ScanControl sc) {
        if (!canAgeAnon()) {
            return;
        }
        if (inactiveIsLow(ListId.INACTIVE_ANON)) {
            shrinkActiveList(SWAP_CLUSTER_MAX, ListId.ACTIVE_ANON, sc);
        }
    }

    /** {@code shrink_slab}: the kernel caches that can give memory back (zsmalloc compaction). */
    private void shrinkSlab(ScanControl sc) {
        for (Shrinker s : shrinkers) {
            long count = s.count();
            // do_shrink_slab scans a share that grows as priority drops; a cache this small is
            // either worth compacting at this priority or not at all.
            if (count > 0 && (count >> sc.priority) == 0 && sc.priority > 0) {
                continue;
            }
            if (count > 0) {
                s.scan();
            }
        }
    }

    /** {@code isolate_lru_folios}: up to {@code nrToScan} pages off the tail of {@code list}, each with a reference. */
    private int[] isolate(ListId list, long nrToScan) {
        int n = (int) Math.min(nrToScan, lru.size(list));
        int[] taken = new int[n];
        for (int i = 0; i < n; i++) {
            int pfn = lru.tail(list);
            lru.remove(pfn);
            frames.get(FrameAllocator.address(pfn));
            taken[i] = pfn;
        }
        return taken;
    }

    /** Back on the LRU list the page's flags say, and the isolation reference dropped. */
    private void putback(int pfn) {
        long pa = FrameAllocator.address(pfn);
        frames.lruPutback(pfn);
        frames.put(pa);
    }

    /**
     * {@code shrink_active_list}: pages leave the active list for the inactive one (keeping
     * PG_workingset), except referenced executable file pages, which get another round.
     */
    private void shrinkActiveList(long nrToScan, ListId list, ScanControl sc) {
        int[] taken = isolate(list, nrToScan);
        events.count(Event.PGREFILL, taken.length);
        long deactivated = 0;
        for (int pfn : taken) {
            long pa = FrameAllocator.address(pfn);
            if (frames.isMlocked(pa)) {
                putback(pfn);
                continue;
            }
            ReferenceCheck r = referenced(pfn);
            if (r.count != 0 && (r.vmFlags & VmFlagsSeen.EXEC) != 0 && list.isFile()) {
                putback(pfn);
                continue;
            }
            frames.setActive(pa, false);
            frames.setWorkingset(pa, true);
            putback(pfn);
            deactivated++;
        }
        events.count(Event.PGDEACTIVATE, deactivated);
    }

    /** {@code shrink_inactive_list}: isolate a batch and try to reclaim each page. */
    private long shrinkInactiveList(long nrToScan, ListId list, ScanControl sc) {
        int[] taken = isolate(list, nrToScan);
        events.count(sc.kswapd ? Event.PGSCAN_KSWAPD : Event.PGSCAN_DIRECT, taken.length);
        events.count(list.isFile() ? Event.PGSCAN_FILE : Event.PGSCAN_ANON, taken.length);
        if (taken.length == 0) {
            return 0;
        }
        sc.nrScanned += taken.length;
        long pageoutBefore = sc.nrPageout;
        long reclaimed = shrinkFolioList(taken, sc, false);
        events.count(sc.kswapd ? Event.PGSTEAL_KSWAPD : Event.PGSTEAL_DIRECT, reclaimed);
        events.count(list.isFile() ? Event.PGSTEAL_FILE : Event.PGSTEAL_ANON, reclaimed);
        noteCost(list.isFile(), sc.nrPageout - pageoutBefore);
        return reclaimed;
    }

    /**
     * {@code lru_note_cost}: IO done to reclaim pages of one type makes that type more
     * expensive; both costs decay by half once their sum passes a quarter of the LRU.
     */
    void noteCost(boolean file, long pages) {
        if (file) {
            fileCost += pages;
        } else {
            anonCost += pages;
        }
        long lruSize = lru.size(ListId.INACTIVE_ANON) + lru.size(ListId.ACTIVE_ANON)
                + lru.size(ListId.INACTIVE_FILE) + lru.size(ListId.ACTIVE_FILE);
        if (fileCost + anonCost > lruSize / 4) {
            fileCost /= 2;
            anonCost /= 2;
        }
    }

    /**
     * {@code shrink_folio_list}: decides each isolated page's fate. {@code ignoreReferences}
     * is MADV_PAGEOUT's "reclaim whatever the references say" ({@code reclaim_pages}).
     * Returns the pages freed.
     */
    private long shrinkFolioList(int[] pages, ScanControl sc, boolean ignoreReferences) {
        long reclaimed = 0;
        long activated = 0;
        for (int pfn : pages) {
            Outcome o = reclaimOne(pfn, sc, ignoreReferences);
            long pa = FrameAllocator.address(pfn);
            switch (o) {
                case FREED -> {
                    reclaimed++;
                    frames.put(pa); // the isolation reference was the last
                }
                case ACTIVATE -> {
                    // Not a candidate for swapping: give back its swap slot if swap is tight or it is locked.
                    SwapCache cache = frames.swapCache();
                    if (cache != null && frames.inSwapCache(pa)
                            && (frames.swap().isFull() || frames.isMlocked(pa))) {
                        cache.freeSwap(pa);
                    }
                    if (!frames.isMlocked(pa)) {
                        frames.setActive(pa, true);
                        activated++;
                        workingset.age(1);
                    }
                    putback(pfn);
                }
                case KEEP -> putback(pfn);
            }
        }
        events.count(Event.PGACTIVATE, activated);
        return reclaimed;
    }

    private Outcome reclaimOne(int pfn, ScanControl sc, boolean ignoreReferences) {
        long pa = FrameAllocator.address(pfn);
        FrameAllocator.PageKind kind = frames.kind(pa);
        if (frames.isMlocked(pa)) {
            return Outcome.ACTIVATE;
        }
        if (kind == FrameAllocator.PageKind.SHMEM && frames.pageCache().unevictable(pa)) {
            return Outcome.ACTIVATE; // folio_evictable: a SHM_LOCKed segment's mapping is unevictable
        }
        if (!sc.mayUnmap && frames.mapcount(pa) > 0) {
            return Outcome.KEEP;
        }
        References ref = ignoreReferences ? References.RECLAIM : checkReferences(pfn);
        if (ref == References.ACTIVATE) {
            return Outcome.ACTIVATE;
        }
        if (ref == References.KEEP) {
            return Outcome.KEEP;
        }
        if (frames.isMlocked(pa)) {
            return Outcome.ACTIVATE; // found in a VM_LOCKED area by the reference walk
        }
        boolean anon = kind == FrameAllocator.PageKind.ANON;
        boolean swapBacked = (anon || kind == FrameAllocator.PageKind.SHMEM) && !frames.isLazyFree(pa);
        if (anon && swapBacked && !frames.inSwapCache(pa)) {
            if (!sc.maySwap || !addToSwap(pa)) {
                return Outcome.ACTIVATE;
            }
        }
        if (frames.mapcount(pa) > 0) {
            tryToUnmap(pa);
            if (frames.mapcount(pa) > 0) {
                return Outcome.ACTIVATE;
            }
        }
        if (frames.isDirty(pa) && !(anon && !swapBacked)) {
            if (ref == References.RECLAIM_CLEAN || !sc.mayWritepage) {
                return Outcome.KEEP;
            }
            if (kind == FrameAllocator.PageKind.SHMEM && !frames.inSwapCache(pa)) {
                // shmem_writepage: to the swap cache under a slot, then written like an anonymous page.
                if (!sc.maySwap || !frames.pageCache().shmemWritepage(pa)) {
                    return Outcome.ACTIVATE;
                }
            }
            if (!pageout(pa)) {
                return Outcome.KEEP;
            }
            sc.nrPageout++;
            if (frames.isDirty(pa)) {
                return Outcome.KEEP;
            }
        }
        if (anon && !swapBacked) {
            // A clean MADV_FREE page: only the isolation reference is left after the unmap.
            if (frames.refcount(pa) != 1) {
                return Outcome.KEEP;
            }
            events.count(Event.PGLAZYFREED);
            return Outcome.FREED;
        }
        return removeMapping(pa) ? Outcome.FREED : Outcome.KEEP;
    }

    /**
     * {@code folio_check_references}: activate a page used more than once (two mappings young,
     * or young again after PG_referenced was set) or a referenced executable file page; keep
     * a page used once for another trip round the inactive list; reclaim the rest.
     */
    References checkReferences(int pfn) {
        long pa = FrameAllocator.address(pfn);
        ReferenceCheck r = referenced(pfn);
        boolean referencedFolio = frames.isReferenced(pa);
        frames.setReferenced(pa, false);
        if ((r.vmFlags & VmFlagsSeen.LOCKED) != 0) {
            return References.ACTIVATE;
        }
        boolean fileLru = frames.lruListOf(pfn) != null && frames.lruListOf(pfn).isFile();
        if (r.count > 0) {
            frames.setReferenced(pa, true);
            if (referencedFolio || r.count > 1) {
                return References.ACTIVATE;
            }
            if ((r.vmFlags & VmFlagsSeen.EXEC) != 0 && fileLru) {
                return References.ACTIVATE;
            }
            return References.KEEP;
        }
        if (referencedFolio && fileLru) {
            return References.RECLAIM_CLEAN;
        }
        return References.RECLAIM;
    }

    /** What {@code folio_referenced} found: young mappings, and the flags of their areas. */
    private record ReferenceCheck(int count, int vmFlags) {}

    /** The VMA properties folio_referenced reports ({@code pra->vm_flags}). */
    private static final class VmFlagsSeen {
        static final int LOCKED = 1;
        static final int EXEC = 2;
    }

    /**
     * {@code folio_referenced}: tests and clears the access flag of every entry that maps the
     * page ({@code ptep_clear_flush_young}: a young entry is made old and its TLB entry
     * invalidated by VA and ASID), and counts the mappings that were young. A mapping in a
     * VM_LOCKED area mlocks the page instead and ends the walk; references through an area
     * read sequentially (MADV_SEQUENTIAL) do not count.
     */
    private ReferenceCheck referenced(int pfn) {
        long pa = FrameAllocator.address(pfn);
        int[] result = new int[2];
        rmap.forEach(pfn, (pt, va) -> {
            Vma vma = pt.owner().find(va);
            if (vma != null && vma.isLocked()) {
                frames.setMlocked(pa, true);
                result[1] |= VmFlagsSeen.LOCKED;
                return false;
            }
            long pte = pt.pte(va);
            if (ProtectionMap.isYoung(pte)) {
                pt.update(va, ProtectionMap.mkold(pte));
                frames.setAged(pa, true);
                if (vma == null || (vma.flags() & Vma.VM_SEQ_READ) == 0) {
                    result[0]++;
                    if (vma != null && vma.executable()) {
                        result[1] |= VmFlagsSeen.EXEC;
                    }
                }
            }
            return true;
        });
        return new ReferenceCheck(result[0], result[1]);
    }

    /**
     * {@code add_to_swap}: a slot for an anonymous page and the page into the swap cache,
     * marked dirty (its data is not on the device yet). False when swap is full.
     */
    private boolean addToSwap(long pa) {
        SwapCache cache = frames.swapCache();
        if (cache == null) {
            return false;
        }
        long offset = cache.swap().allocate();
        if (offset == 0) {
            return false;
        }
        cache.add(pa, offset);
        frames.setDirty(pa, true);
        return true;
    }

    /**
     * {@code try_to_unmap}: removes every page entry of the page. An anonymous page's entries
     * become swap entries for its slot (each one a swap_map reference, exclusive when only
     * this mapping owned the page); a page-cache page's entries are cleared. A dirty entry
     * makes the page dirty. A VM_LOCKED mapping mlocks the page and stops the unmap; a
     * MADV_FREE page that was written again is made swap-backed again instead of discarded.
     */
    void tryToUnmap(long pa) {
        int pfn = FrameAllocator.pfn(pa);
        FrameAllocator.PageKind kind = frames.kind(pa);
        rmap.forEach(pfn, (pt, va) -> {
            Vma vma = pt.owner().find(va);
            if (vma != null && vma.isLocked()) {
                frames.setMlocked(pa, true);
                return false;
            }
            long pte = pt.pte(va);
            boolean dirty = ProtectionMap.isDirty(pte);
            if (dirty) {
                frames.setDirty(pa, true);
            }
            if (kind == FrameAllocator.PageKind.ANON) {
                if (frames.isLazyFree(pa)) {
                    // MADV_FREE: discard while clean and referenced only by isolation and the mappings.
                    if (!frames.isDirty(pa) && frames.refcount(pa) == 1 + frames.mapcount(pa)) {
                        pt.update(va, 0);
                        frames.put(pa);
                        return true;
                    }
                    frames.setLazyFree(pa, false);
                    return false;
                }
                long offset = frames.swapOffset(pa);
                frames.swap().duplicate(offset);
                boolean exclusive = frames.mapcount(pa) == 1 && (pte & Descriptor.SW_WRITE) != 0;
                pt.update(va, SwapSpace.pte(offset, exclusive));
            } else {
                pt.update(va, 0);
            }
            frames.put(pa);
            return true;
        });
    }

    /**
     * {@code pageout}: writes a dirty page to where it lives when not in memory, synchronously:
     * an anonymous page to its swap slot (the device may refuse: zRAM at its mem_limit), a
     * page-cache page to its file. True when the write went through; the page is then clean.
     */
    private boolean pageout(long pa) {
        if (frames.inSwapCache(pa)) {
            long offset = frames.swapOffset(pa);
            byte[] page = new byte[(int) VmLayout.PAGE_SIZE];
            frames.ram().read(pa, page, 0, page.length);
            SwapSpace swap = frames.swap();
            int error = swap.device().write(offset, page);
            if (error != 0) {
                // end_swap_bio_write: the page stays dirty in the swap cache and is tried again later.
                kernelLog.accept(String.format("Write-error on swap-device (%d:%d:%d)",
                        swap.device().major(), swap.device().minor(), offset * (VmLayout.PAGE_SIZE / 512)));
                return false;
            }
            frames.setDirty(pa, false);
            events.count(Event.PSWPOUT);
            return true;
        }
        if (frames.kind(pa) == FrameAllocator.PageKind.FILE) {
            return frames.pageCache().writeback(pa);
        }
        return false;
    }

    /**
     * {@code __remove_mapping}: a clean, unmapped page leaves the swap cache or the page
     * cache, leaving a workingset shadow. Only if nobody else holds a reference (the
     * isolation's and the cache's are all there should be).
     */
    private boolean removeMapping(long pa) {
        if (frames.refcount(pa) != 2 || frames.isDirty(pa) || frames.mapcount(pa) != 0) {
            return false;
        }
        if (frames.inSwapCache(pa)) {
            frames.swapCache().delete(pa, workingset.eviction(pa));
            return true;
        }
        if (frames.kind(pa) == FrameAllocator.PageKind.FILE) {
            return frames.pageCache().evict(pa, workingset.eviction(pa));
        }
        return false;
    }

    // ---- MADV_PAGEOUT -----------------------------------------------------------------

    /**
     * {@code reclaim_pages} for MADV_PAGEOUT: the given pages (their access flags in the
     * caller's mapping already cleared) are isolated and put through shrink_folio_list now,
     * whatever the free memory. Returns the pages freed.
     */
    public long reclaimPages(List<Long> pages) {
        return frames.asReclaim(() -> {
            List<Integer> taken = new ArrayList<>();
            for (long pa : pages) {
                int pfn = FrameAllocator.pfn(pa);
                if (!lru.contains(pfn) || lru.listOf(pfn) == ListId.UNEVICTABLE) {
                    continue;
                }
                lru.remove(pfn);
                frames.get(pa);
                taken.add(pfn);
            }
            ScanControl sc = new ScanControl(false);
            return shrinkFolioList(taken.stream().mapToInt(Integer::intValue).toArray(), sc, false);
        });
    }

    /** {@code folio_deactivate} for MADV_COLD: an active page goes to the head of its inactive list. */
    public void deactivate(long pa) {
        int pfn = FrameAllocator.pfn(pa);
        Lru.ListId list = lru.listOf(pfn);
        if (list == null || list == ListId.UNEVICTABLE || !list.isActive()) {
            return;
        }
        frames.setActive(pa, false);
        frames.setReferenced(pa, false);
        frames.lruPutback(pfn);
        events.count(Event.PGDEACTIVATE);
    }

    /**
     * {@code folio_mark_accessed}: the first use sets PG_referenced; a second one of an
     * inactive page on the LRU activates it ({@code folio_activate}, aging the workingset).
     */
    public void markAccessed(long pa) {
        int pfn = FrameAllocator.pfn(pa);
        if (!frames.isReferenced(pa)) {
            frames.setReferenced(pa, true);
            return;
        }
        Lru.ListId list = lru.listOf(pfn);
        if (list != null && list != ListId.UNEVICTABLE && !list.isActive()) {
            frames.setActive(pa, true);
            frames.setReferenced(pa, false);
            frames.lruPutback(pfn);
            events.count(Event.PGACTIVATE);
            workingset.age(1);
        }
    }

    /** {@code workingset_refault} for a page just read back (swap-in or page cache). */
    void refault(long pa, long shadow, boolean file) {
        workingset.refault(pa, shadow, file, this);
    }
}
