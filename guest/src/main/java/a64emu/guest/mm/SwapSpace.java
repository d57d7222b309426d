package a64emu.guest.mm;

import a64emu.mmu.SwapPte;

/**
 * The one swap area (Linux {@code struct swap_info_struct} and {@code mm/swapfile.c}): a
 * block device cut into page-sized slots, and for each slot its {@code swap_map} entry,
 * the number of swap entries (in page tables, or in a shared-memory object's page cache)
 * that refer to it, plus the SWAP_HAS_CACHE flag while a page of it sits in the swap cache.
 * A slot is free when both are gone; freeing tells the device
 * ({@code swap_slot_free_notify}), so zRAM drops the compressed copy.
 *
 * <p>Slot 0 holds the swap header and is never handed out (Linux marks it SWAP_MAP_BAD),
 * so a swap entry is never zero and the area has one slot fewer than the device has pages.
 * The area is type 0, as the first {@code swapon} gets, at the default priority -2.
 * Slots are handed out in increasing order from a cursor that wraps around
 * ({@code scan_swap_map_slots} without the SSD cluster heuristics), which keeps runs
 * reproducible.
 */
public final class SwapSpace {
    /** The block device under the area. */
    public interface Device {
        /** Writes one page to slot {@code offset}; 0 or a negative errno (zRAM's mem_limit: -ENOMEM). */
        int write(long offset, byte[] page);

        /** Reads slot {@code offset} into {@code page}; 0 or a negative errno. */
        int read(long offset, byte[] page);

        /** {@code swap_slot_free_notify}: nothing refers to the slot any more. */
        void free(long offset);

        /** The device's path, as /proc/swaps shows it. */
        String path();

        /** The block device's major number (kernel messages name the device by it); 0 if it has none. */
        default int major() {
            return 0;
        }

        /** The block device's minor number. */
        default int minor() {
            return 0;
        }
    }

    /** The type of this area in swap entries: the first and only one. */
    public static final int TYPE = 0;
    /** The priority swapon gives an area without one (-2 for the first, as /proc/swaps shows). */
    public static final int DEFAULT_PRIORITY = -2;

    private final Device device;
    /** Slots of the device, the header slot included (si->max). */
    private final long slots;
    /** swap_map without the cache bit: references to each slot. */
    private final int[] count;
    /** SWAP_HAS_CACHE of each slot. */
    private final java.util.BitSet hasCache;
    private long inuse;
    private long cursor = 1;

    /** An area over {@code device} of {@code deviceBytes} (page aligned). */
    public SwapSpace(Device device, long deviceBytes) {
        this.device = device;
        this.slots = deviceBytes / VmLayout.PAGE_SIZE;
        if (slots < 2) {
            throw new IllegalArgumentException("a swap area needs at least two pages: " + deviceBytes + " bytes");
        }
        if (slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("swap area too large: " + deviceBytes + " bytes");
        }
        this.count = new int[(int) slots];
        this.hasCache = new java.util.BitSet((int) slots);
    }

    public Device device() {
        return device;
    }

    /** si->pages: usable slots, the header's not counted (SwapTotal, /proc/swaps Size). */
    public long totalPages() {
        return slots - 1;
    }

    /** si->inuse_pages: slots referenced or cached (/proc/swaps Used). */
    public long usedPages() {
        return inuse;
    }

    /** nr_swap_pages: free slots (SwapFree). */
    public long freePages() {
        return totalPages() - inuse;
    }

    public int priority() {
        return DEFAULT_PRIORITY;
    }

    /** {@code vm_swap_full}: more than half the area is in use. */
    public boolean isFull() {
        return freePages() * 2 < totalPages();
    }

    /**
     * {@code get_swap_page} for {@code add_to_swap}: a free slot, marked SWAP_HAS_CACHE for
     * the page that is entering the swap cache; 0 when the area is full.
     */
    public long allocate() {
        if (inuse == totalPages()) {
            return 0;
        }
        long start = cursor;
        long offset = start;
        do {
            if (count[(int) offset] == 0 && !hasCache.get((int) offset)) {
                hasCache.set((int) offset);
                inuse++;
                cursor = offset + 1 == slots ? 1 : offset + 1;
                return offset;
            }
            offset = offset + 1 == slots ? 1 : offset + 1;
        } while (offset != start);
        return 0;
    }

    /** {@code __swap_count}: the references to a slot (page-table entries and shmem). */
    public int count(long offset) {
        check(offset);
        return count[(int) offset];
    }

    /** Whether a page of this slot is in the swap cache (SWAP_HAS_CACHE). */
    public boolean hasCache(long offset) {
        check(offset);
        return hasCache.get((int) offset);
    }

    /** Whether the slot is in use at all. */
    public boolean inUse(long offset) {
        return count[(int) offset] != 0 || hasCache.get((int) offset);
    }

    /**
     * {@code swap_duplicate}: one more reference (an entry unmapped by try_to_unmap, or
     * copied by fork). The slot must be in use.
     */
    public void duplicate(long offset) {
        check(offset);
        if (!inUse(offset)) {
            throw new IllegalStateException("swap_duplicate of free swap slot " + offset);
        }
        count[(int) offset]++;
    }

    /**
     * {@code swap_free}: one reference fewer; with the last one gone and no page in the swap
     * cache the slot is free and the device is told.
     */
    public void free(long offset) {
        check(offset);
        if (count[(int) offset] <= 0) {
            throw new IllegalStateException("swap_free of swap slot " + offset + " with no references");
        }
        count[(int) offset]--;
        releaseIfUnused(offset);
    }

    /** {@code put_swap_folio}: the page left the swap cache; the slot goes if nothing refers to it. */
    public void clearCache(long offset) {
        check(offset);
        if (!hasCache.get((int) offset)) {
            throw new IllegalStateException("swap slot " + offset + " has no cached page");
        }
        hasCache.clear((int) offset);
        releaseIfUnused(offset);
    }

    /** The cache bit again for a page read into the swap cache ({@code swapcache_prepare}). */
    public void setCache(long offset) {
        check(offset);
        if (hasCache.get((int) offset) || count[(int) offset] == 0) {
            throw new IllegalStateException("swapcache_prepare of swap slot " + offset + " in the wrong state");
        }
        hasCache.set((int) offset);
    }

    private void releaseIfUnused(long offset) {
        if (!inUse(offset)) {
            inuse--;
            device.free(offset);
        }
    }

    private void check(long offset) {
        if (offset <= 0 || offset >= slots) {
            throw new IllegalArgumentException("swap offset " + offset + " outside the area (1.." + (slots - 1) + ")");
        }
    }

    /** The swap entry for a page-table entry: type 0, {@code offset}. */
    public static long pte(long offset, boolean exclusive) {
        return SwapPte.encode(TYPE, offset, exclusive);
    }
}
