package a64emu.guest.mm;

import a64emu.guest.mm.VmEvents.Event;

/**
 * Workingset detection (Linux 6.1 {@code mm/workingset.c}): when reclaim evicts a page it
 * leaves a shadow in the page's slot (page cache or swap cache) recording the node's
 * "non-resident age" at that moment; when the page faults back in, the age since is its
 * refault distance. A page that comes back within the size of the workingset that could
 * have held it was evicted too early: it is activated at once (workingset_activate), and if
 * it was active before it was evicted (PG_workingset), the refault is counted as a restore
 * and charged as reclaim cost to its LRU type, steering reclaim towards the other type.
 *
 * <p>The age ({@code lruvec->nonresident_age}) advances by one for each eviction and each
 * activation ({@code workingset_age_nonresident}). A shadow is {@code age << 1 | workingset}.
 */
final class Workingset {
    private final FrameAllocator frames;
    private long nonresidentAge;

    Workingset(FrameAllocator frames) {
        this.frames = frames;
    }

    /** {@code workingset_age_nonresident}: activations and evictions age the node. */
    void age(long pages) {
        nonresidentAge += pages;
    }

    /** {@code workingset_eviction}: the shadow for a page leaving memory. */
    long eviction(long pa) {
        long eviction = nonresidentAge;
        age(1);
        return eviction << 1 | (frames.isWorkingset(pa) ? 1 : 0);
    }

    /**
     * {@code workingset_refault}: {@code pa}, just read back in, left {@code shadow} when it
     * was evicted. Counts the refault; activates the page if its refault distance is within
     * the workingset (and marks it PG_workingset when it was active before). Returns whether
     * it was a restore of a workingset page, for the caller's cost accounting.
     */
    boolean refault(long pa, long shadow, boolean file, Vmscan costs) {
        VmEvents events = frames.events();
        events.count(file ? Event.WORKINGSET_REFAULT_FILE : Event.WORKINGSET_REFAULT_ANON);
        long eviction = shadow >>> 1;
        boolean workingset = (shadow & 1) != 0;
        long refaultDistance = nonresidentAge - eviction;
        Lru lru = frames.lru();
        // The workingset the page competed with: active file pages always; for an anon page
        // also the inactive file pages; the anon lists too when there is swap to reclaim them to.
        long workingsetSize = lru.size(Lru.ListId.ACTIVE_FILE);
        if (!file) {
            workingsetSize += lru.size(Lru.ListId.INACTIVE_FILE);
        }
        SwapSpace swap = frames.swap();
        if (swap != null && swap.freePages() > 0) {
            workingsetSize += lru.size(Lru.ListId.ACTIVE_ANON);
            if (file) {
                workingsetSize += lru.size(Lru.ListId.INACTIVE_ANON);
            }
        }
        if (refaultDistance > workingsetSize) {
            return false;
        }
        frames.setActive(pa, true);
        age(1);
        events.count(file ? Event.WORKINGSET_ACTIVATE_FILE : Event.WORKINGSET_ACTIVATE_ANON);
        if (workingset) {
            frames.setWorkingset(pa, true);
            // lru_note_cost_refault: a restored workingset page costs its LRU type one page of IO.
            costs.noteCost(file, 1);
            events.count(file ? Event.WORKINGSET_RESTORE_FILE : Event.WORKINGSET_RESTORE_ANON);
            return true;
        }
        return false;
    }
}
