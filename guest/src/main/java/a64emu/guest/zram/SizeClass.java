package a64emu.guest.zram;

import a64emu.memory.PhysicalMemory;

/**
 * One zsmalloc size class ({@code struct size_class}, Linux 6.1 {@code mm/zsmalloc.c}): the
 * object size, the zspage geometry chosen for it, the zspages sorted into fullness groups,
 * and the two counters compaction decides from ({@code OBJ_ALLOCATED}, {@code OBJ_USED}).
 *
 * <p>Fullness lists are intrusive doubly linked lists through {@link Zspage#prev} and
 * {@link Zspage#next}, as zsmalloc's {@code list_head}s are, so moving a zspage between
 * groups costs no allocation and the order of each list is the kernel's.
 */
final class SizeClass {
    static final int PAGE_SIZE = PhysicalMemory.FRAME_SIZE;
    /** ZS_MAX_PAGES_PER_ZSPAGE in 6.1: {@code 1 << ZS_MAX_ZSPAGE_ORDER}, order 2 (6.2 made it CONFIG_ZSMALLOC_CHAIN_SIZE). */
    static final int MAX_PAGES_PER_ZSPAGE = 4;
    /**
     * {@code fullness_threshold_frac}: a zspage with at most 3/4 of its objects in use is
     * ZS_ALMOST_EMPTY, above that ZS_ALMOST_FULL ({@code get_fullness_group}).
     */
    private static final int FULLNESS_THRESHOLD_FRAC = 4;

    /** {@code enum fullness_group} of 6.1, in its order (6.3 replaced it with ZS_INUSE_RATIO_*). */
    enum Fullness { EMPTY, ALMOST_EMPTY, ALMOST_FULL, FULL }

    private static final Fullness[] FULLNESS = Fullness.values();

    final int size;
    /**
     * {@code class->index}: where in {@code pool->size_class[]} the class was made. Classes
     * are made from the top down and smaller neighbours merge into them, so this is the
     * highest index the class serves.
     */
    final int index;
    final int pagesPerZspage;
    final int objsPerZspage;
    /**
     * One object per one-page zspage (ZsHugePage): the object fills the page and its handle
     * is kept beside the page, not in a header inside the object.
     */
    final boolean huge;
    /** Bytes in front of each object's data: the handle ({@code ZS_HANDLE_SIZE}), except in huge zspages. */
    final int headerSize;

    private final Zspage[] heads = new Zspage[FULLNESS.length];
    /** OBJ_ALLOCATED: object slots in this class's zspages. */
    long objAllocated;
    /** OBJ_USED: of those, the ones holding an object. */
    long objUsed;
    /** Freed zspage records kept for reuse, so a new zspage does not allocate its arrays again. */
    private Zspage spare;

    SizeClass(int size, int index, int pagesPerZspage, int objsPerZspage) {
        this.size = size;
        this.index = index;
        this.pagesPerZspage = pagesPerZspage;
        this.objsPerZspage = objsPerZspage;
        this.huge = pagesPerZspage == 1 && objsPerZspage == 1;
        this.headerSize = huge ? 0 : ZsPool.ZS_HANDLE_SIZE;
    }

    /**
     * {@code get_pages_per_zspage}: of 1..4 pages, the zspage size that wastes the smallest
     * share of itself at the end, measured in whole percent; the first such size wins a tie.
     */
    static int pagesPerZspage(int classSize) {
        int maxUsedPercent = 0;
        int best = 1;
        for (int pages = 1; pages <= MAX_PAGES_PER_ZSPAGE; pages++) {
            int zspageSize = pages * PAGE_SIZE;
            int waste = zspageSize % classSize;
            int usedPercent = (zspageSize - waste) * 100 / zspageSize;
            if (usedPercent > maxUsedPercent) {
                maxUsedPercent = usedPercent;
                best = pages;
            }
        }
        return best;
    }

    /** Bytes of data one object can hold. */
    int capacity() {
        return size - headerSize;
    }

    /** {@code get_fullness_group}. */
    Fullness fullnessOf(Zspage zspage) {
        int inuse = zspage.inuse;
        if (inuse == 0) {
            return Fullness.EMPTY;
        }
        if (inuse == objsPerZspage) {
            return Fullness.FULL;
        }
        return inuse <= 3 * objsPerZspage / FULLNESS_THRESHOLD_FRAC ? Fullness.ALMOST_EMPTY : Fullness.ALMOST_FULL;
    }

    /**
     * {@code insert_zspage}: "we want to see more ZS_FULL pages and less almost empty/full",
     * so a zspage with fewer objects in use than the list's head goes second, any other first.
     */
    void insert(Zspage zspage, Fullness group) {
        int g = group.ordinal();
        Zspage head = heads[g];
        zspage.fullness = group;
        if (head != null && zspage.inuse < head.inuse) {
            zspage.prev = head;
            zspage.next = head.next;
            if (head.next != null) {
                head.next.prev = zspage;
            }
            head.next = zspage;
        } else {
            zspage.prev = null;
            zspage.next = head;
            if (head != null) {
                head.prev = zspage;
            }
            heads[g] = zspage;
        }
    }

    /** {@code remove_zspage}: takes the zspage off the list of its fullness group. */
    void remove(Zspage zspage) {
        if (zspage.prev != null) {
            zspage.prev.next = zspage.next;
        } else {
            heads[zspage.fullness.ordinal()] = zspage.next;
        }
        if (zspage.next != null) {
            zspage.next.prev = zspage.prev;
        }
        zspage.prev = null;
        zspage.next = null;
    }

    /**
     * {@code fix_fullness_group}: moves the zspage to the list its object count now belongs
     * to. A zspage that stays in its group keeps its place in the list.
     */
    Fullness fixFullness(Zspage zspage) {
        Fullness now = fullnessOf(zspage);
        if (now != zspage.fullness) {
            remove(zspage);
            insert(zspage, now);
        }
        return now;
    }

    /** {@code putback_zspage}: puts an isolated zspage back on the list of its group. */
    Fullness putBack(Zspage zspage) {
        Fullness now = fullnessOf(zspage);
        insert(zspage, now);
        return now;
    }

    /** {@code find_get_zspage}: the zspage zs_malloc fills next, fullest group first. */
    Zspage findForMalloc() {
        for (int g = Fullness.ALMOST_FULL.ordinal(); g >= Fullness.EMPTY.ordinal(); g--) {
            if (heads[g] != null) {
                return heads[g];
            }
        }
        return null;
    }

    /**
     * {@code isolate_zspage}: takes a zspage off its list for compaction. Sources come from
     * the sparse end (ALMOST_EMPTY first), destinations from the full end (ALMOST_FULL first).
     */
    Zspage isolate(boolean source) {
        Fullness firstTry = source ? Fullness.ALMOST_EMPTY : Fullness.ALMOST_FULL;
        Fullness secondTry = source ? Fullness.ALMOST_FULL : Fullness.ALMOST_EMPTY;
        Zspage zspage = heads[firstTry.ordinal()];
        if (zspage == null) {
            zspage = heads[secondTry.ordinal()];
        }
        if (zspage != null) {
            remove(zspage);
        }
        return zspage;
    }

    /**
     * {@code zs_can_compact}: pages compaction could give back, from the unused object slots
     * counted in whole zspages.
     */
    long canCompact() {
        if (objAllocated <= objUsed) {
            return 0;
        }
        return (objAllocated - objUsed) / objsPerZspage * pagesPerZspage;
    }

    /** A zspage record for this class, reused if one was given back. */
    Zspage takeZspage() {
        Zspage zspage = spare;
        if (zspage == null) {
            return new Zspage(this);
        }
        spare = zspage.next;
        zspage.next = null;
        return zspage;
    }

    void giveBackZspage(Zspage zspage) {
        zspage.prev = null;
        zspage.next = spare;
        spare = zspage;
    }
}
