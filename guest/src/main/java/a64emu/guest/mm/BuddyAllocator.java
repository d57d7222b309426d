package a64emu.guest.mm;

import java.util.Arrays;
import java.util.Locale;

/**
 * Linux's binary buddy allocator (Linux 6.1 {@code mm/page_alloc.c}) over the page frame
 * numbers {@code [0, frameCount)} of one zone: a free list per order, blocks of
 * {@code 2^order} naturally aligned frames, split on allocation ({@code expand}) and
 * merged with their buddy on free ({@code __free_one_page}). No watermarks here; those
 * are {@link Zone}'s.
 *
 * <p>What 6.1 does and this class does the same way:
 * <ul>
 *   <li>Allocation ({@code __rmqueue_smallest}) takes the first block of the smallest
 *       non-empty list at or above the order asked for. {@code expand} puts each upper
 *       half on the head of the next lower list and keeps the lower half, so a run of
 *       order-0 allocations from one large block comes out in ascending frame order.
 *   <li>Free ({@code __free_one_page}) merges while the buddy {@code pfn ^ (1 << order)}
 *       is the head of a free block of exactly that order ({@code page_is_buddy}), up to
 *       order {@code MAX_ORDER - 1}. The merged block goes on the head of its list (LIFO,
 *       the most recently freed block is the next one handed out), except when
 *       {@code buddy_merge_likely}: below order {@code MAX_ORDER - 2}, if the block it
 *       would merge with next is already free, it goes on the tail, so that the missing
 *       half is more likely to come back and complete the larger block.
 *   <li>Boot ({@code memblock_free_all} &rarr; {@code __free_pages_memory} &rarr;
 *       {@code __free_pages_core}) frees every usable frame as the largest naturally
 *       aligned block that fits, in ascending order, each to the tail
 *       ({@code FPI_TO_TAIL}); so right after boot every list is in ascending frame order.
 * </ul>
 *
 * <p>What 6.1 has and this class leaves out, each for a reason: the per-CPU page lists
 * ({@code free_unref_page}/{@code rmqueue_pcplist}; an order-0 page freed there is handed
 * out again LIFO too, which the head insertion above already gives); migrate types (every
 * block here is MIGRATE_MOVABLE, so merges at or above {@code pageblock_order} are always
 * allowed and there is no fallback stealing); free-list shuffling
 * ({@code CONFIG_SHUFFLE_PAGE_ALLOCATOR} only acts with {@code page_alloc.shuffle=1} or a
 * memory-side cache, neither of which an emulated board has); debug guard pages. Nothing
 * here hashes or draws random numbers: the same calls give the same frames.
 *
 * <p>Cost: the free lists are intrusive doubly linked lists in two {@code int} arrays
 * indexed by frame number, and one byte per frame says whether the frame heads a free
 * block (PageBuddy plus {@code buddy_order}) or an allocated one (the order it was
 * allocated at, as a compound head records it); so the merge test is one array read,
 * and allocation and free touch at most {@code MAX_ORDER} lists and allocate no objects.
 */
public final class BuddyAllocator {
    /**
     * Number of orders: blocks are 2^0 .. 2^10 frames, the largest 4 MiB. This is 6.1's
     * {@code MAX_ORDER} (include/linux/mmzone.h, exclusive bound); 6.4 renamed the count
     * {@code NR_PAGE_ORDERS} and made {@code MAX_PAGE_ORDER} (10) the largest order.
     */
    public static final int MAX_ORDER = 11;

    private static final int NIL = -1;

    /*
     * state[pfn]: 0 when the frame heads no block (a tail frame, a reserved frame, or a
     * frame inside a larger block); order + 1 when it heads a free block on a free list;
     * -(order + 1) when it heads an allocated block.
     */
    private static final byte NO_HEAD = 0;

    private final int frameCount;
    private final int[] next;
    private final int[] prev;
    private final byte[] state;
    private final int[] head = new int[MAX_ORDER];
    private final int[] tail = new int[MAX_ORDER];
    private final int[] nrFree = new int[MAX_ORDER];
    private long freePages;

    /**
     * Frames {@code [firstUsable, frameCount)} go on the free lists, frames below
     * {@code firstUsable} stay reserved for ever (memblock reservations that are never
     * released). Frame 0 is always among them, so that physical address 0 is never a
     * frame anybody was given.
     */
    public BuddyAllocator(int frameCount, int firstUsable) {
        if (frameCount < 1) {
            throw new IllegalArgumentException("frameCount " + frameCount + " < 1");
        }
        if (firstUsable < 1 || firstUsable > frameCount) {
            throw new IllegalArgumentException("firstUsable " + firstUsable
                    + " outside [1, " + frameCount + "]: frame 0 is never handed out");
        }
        this.frameCount = frameCount;
        this.next = new int[frameCount];
        this.prev = new int[frameCount];
        this.state = new byte[frameCount];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
        // __free_pages_memory: the order is capped by the alignment of the start frame
        // (__ffs) and shrunk until the block ends inside RAM.
        long start = firstUsable;
        while (start < frameCount) {
            int order = Math.min(MAX_ORDER - 1, Long.numberOfTrailingZeros(start));
            while (start + (1L << order) > frameCount) {
                order--;
            }
            freeOneBlock((int) start, order, true);
            start += 1L << order;
        }
    }

    public int frameCount() {
        return frameCount;
    }

    /**
     * The first frame of a free block of {@code 2^order} frames, now allocated, or -1 when
     * no list at or above {@code order} has a block ({@code __rmqueue_smallest}).
     */
    public int allocate(int order) {
        checkOrder(order);
        for (int current = order; current < MAX_ORDER; current++) {
            int pfn = head[current];
            if (pfn == NIL) {
                continue;
            }
            unlink(pfn, current);
            expand(pfn, order, current);
            state[pfn] = allocatedHead(order);
            return pfn;
        }
        return -1;
    }

    /**
     * Gives back a block {@link #allocate} returned, with the order it was allocated at.
     *
     * @throws IllegalStateException when {@code pfn} is not aligned to {@code order}, is
     *     already free (a double free), was allocated at another order, or heads no
     *     allocated block (a reserved frame, or a frame inside an allocated block)
     */
    public void free(int pfn, int order) {
        checkOrder(order);
        checkPfn(pfn);
        if ((pfn & ((1 << order) - 1)) != 0) {
            throw new IllegalStateException("free of pfn " + pfn + " at order " + order
                    + ": not aligned to 2^" + order + " frames");
        }
        byte s = state[pfn];
        if (s != allocatedHead(order)) {
            if (isFree(pfn)) {
                throw new IllegalStateException("double free of pfn " + pfn + " at order " + order);
            }
            if (s < 0) {
                throw new IllegalStateException("free of pfn " + pfn + " at order " + order
                        + ", but it was allocated at order " + (-s - 1));
            }
            throw new IllegalStateException("free of pfn " + pfn + " at order " + order
                    + ": it heads no allocated block (reserved, or inside a larger block)");
        }
        state[pfn] = NO_HEAD;
        freeOneBlock(pfn, order, false);
    }

    /**
     * Turns an allocated block into {@code 2^order} allocated order-0 frames, each to be
     * freed on its own ({@code split_page}).
     *
     * @throws IllegalStateException when {@code pfn} does not head a block allocated at
     *     {@code order}
     */
    public void splitPage(int pfn, int order) {
        checkOrder(order);
        checkPfn(pfn);
        if (state[pfn] != allocatedHead(order)) {
            throw new IllegalStateException("split of pfn " + pfn + " at order " + order
                    + ": not the head of a block allocated at that order");
        }
        for (int i = 0; i < 1 << order; i++) {
            state[pfn + i] = allocatedHead(0);
        }
    }

    /** Free frames in all blocks of all orders (the zone's NR_FREE_PAGES). */
    public long freePages() {
        return freePages;
    }

    /** Free blocks of exactly {@code order} ({@code free_area[order].nr_free}). */
    public int freeBlocks(int order) {
        checkOrder(order);
        return nrFree[order];
    }

    /** {@link #freeBlocks} for every order, 0 to {@code MAX_ORDER - 1}, in a new array. */
    public int[] freeBlocksPerOrder() {
        return nrFree.clone();
    }

    /** Whether {@code pfn} lies in a free block of any order. */
    public boolean isFree(int pfn) {
        checkPfn(pfn);
        // A free block of order k containing pfn starts at pfn with its low k bits
        // cleared, so one probe per order finds it.
        for (int order = 0; order < MAX_ORDER; order++) {
            int start = pfn & -(1 << order);
            byte s = state[start];
            if (s > 0 && pfn - start < 1 << (s - 1)) {
                return true;
            }
        }
        return false;
    }

    /** The highest order with a free block, or -1 when nothing is free. */
    public int largestFreeOrder() {
        for (int order = MAX_ORDER - 1; order >= 0; order--) {
            if (nrFree[order] != 0) {
                return order;
            }
        }
        return -1;
    }

    /** This allocator's line of /proc/buddyinfo; see {@link #buddyinfoLine(int, String, int[])}. */
    public String buddyinfoLine(int nodeId, String zoneName) {
        return buddyinfoLine(nodeId, zoneName, nrFree);
    }

    /**
     * One line of /proc/buddyinfo as 6.1 {@code mm/vmstat.c} {@code frag_show_print}
     * prints it: {@code "Node %d, zone %8s "}, then {@code "%6lu "} for the free block
     * count of each of the {@link #MAX_ORDER} orders, then a newline. Only populated zones
     * get a line ({@code walk_zones_in_node} with {@code assert_populated}).
     */
    public static String buddyinfoLine(int nodeId, String zoneName, int[] nrFreePerOrder) {
        if (nrFreePerOrder.length != MAX_ORDER) {
            throw new IllegalArgumentException(nrFreePerOrder.length + " counts, not " + MAX_ORDER);
        }
        StringBuilder line = new StringBuilder(16 + 7 * MAX_ORDER);
        line.append(String.format(Locale.ROOT, "Node %d, zone %8s ", nodeId, zoneName));
        for (int count : nrFreePerOrder) {
            line.append(String.format(Locale.ROOT, "%6d ", Integer.toUnsignedLong(count)));
        }
        return line.append('\n').toString();
    }

    // ---- mm/page_alloc.c, in the order the kernel's helpers appear ----

    /** {@code expand}: split [pfn, pfn + 2^high) down to 2^low, freeing the upper halves. */
    private void expand(int pfn, int low, int high) {
        while (high > low) {
            high--;
            pushHead(pfn + (1 << high), high);
        }
    }

    /** {@code __free_one_page}: merge with free buddies, then queue the merged block. */
    private void freeOneBlock(int pfn, int order, boolean toTail) {
        while (order < MAX_ORDER - 1) {
            int buddy = pfn ^ (1 << order);
            if (!isBuddy(buddy, order)) {
                break;
            }
            unlink(buddy, order);
            pfn &= buddy;
            order++;
        }
        if (toTail || buddyMergeLikely(pfn, order)) {
            pushTail(pfn, order);
        } else {
            pushHead(pfn, order);
        }
    }

    /**
     * {@code buddy_merge_likely}: the block [pfn, pfn + 2^order) did not merge further;
     * is the block it would pair with one order up already free?
     */
    private boolean buddyMergeLikely(int pfn, int order) {
        if (order >= MAX_ORDER - 2) {
            return false;
        }
        int higher = pfn & ~(1 << order);
        return isBuddy(higher ^ (1 << (order + 1)), order + 1);
    }

    /** {@code page_is_buddy}: pfn heads a free block of exactly this order in this zone. */
    private boolean isBuddy(int pfn, int order) {
        return pfn < frameCount && state[pfn] == freeHead(order);
    }

    /** {@code add_to_free_list}. */
    private void pushHead(int pfn, int order) {
        int first = head[order];
        next[pfn] = first;
        prev[pfn] = NIL;
        if (first == NIL) {
            tail[order] = pfn;
        } else {
            prev[first] = pfn;
        }
        head[order] = pfn;
        linked(pfn, order);
    }

    /** {@code add_to_free_list_tail}. */
    private void pushTail(int pfn, int order) {
        int last = tail[order];
        prev[pfn] = last;
        next[pfn] = NIL;
        if (last == NIL) {
            head[order] = pfn;
        } else {
            next[last] = pfn;
        }
        tail[order] = pfn;
        linked(pfn, order);
    }

    private void linked(int pfn, int order) {
        state[pfn] = freeHead(order);
        nrFree[order]++;
        freePages += 1L << order;
    }

    /** {@code del_page_from_free_list}. */
    private void unlink(int pfn, int order) {
        int after = next[pfn];
        int before = prev[pfn];
        if (before == NIL) {
            head[order] = after;
        } else {
            next[before] = after;
        }
        if (after == NIL) {
            tail[order] = before;
        } else {
            prev[after] = before;
        }
        state[pfn] = NO_HEAD;
        nrFree[order]--;
        freePages -= 1L << order;
    }

    private static byte freeHead(int order) {
        return (byte) (order + 1);
    }

    private static byte allocatedHead(int order) {
        return (byte) -(order + 1);
    }

    private static void checkOrder(int order) {
        if (order < 0 || order >= MAX_ORDER) {
            throw new IllegalArgumentException("order " + order + " outside [0, " + (MAX_ORDER - 1) + "]");
        }
    }

    private void checkPfn(int pfn) {
        if (pfn < 0 || pfn >= frameCount) {
            throw new IllegalArgumentException("pfn " + pfn + " outside [0, " + frameCount + ")");
        }
    }
}
