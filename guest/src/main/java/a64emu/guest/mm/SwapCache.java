package a64emu.guest.mm;

/**
 * The swap cache (Linux {@code mm/swap_state.c}): pages that have a swap slot and are in
 * memory at the same time, found by slot. Reclaim puts an anonymous page here when it gives
 * it a slot ({@code add_to_swap}), unmaps it, writes it, and then takes it out and frees it
 * ({@code __remove_mapping}), leaving a workingset shadow in its place; a page read back
 * for a slot that several entries share (after fork) stays here so the other entries find
 * it without reading again. The cache holds one reference to each of its pages.
 *
 * <p>Indexed by slot in two arrays (page, shadow), as the area has a fixed number of slots.
 */
public final class SwapCache {
    private final FrameAllocator frames;
    private final SwapSpace swap;
    /** The cached page of each slot, or 0. */
    private final long[] page;
    /** The workingset shadow each slot's evicted page left, plus one; 0 for none. */
    private final long[] shadow;
    private long pages;

    public SwapCache(FrameAllocator frames, SwapSpace swap) {
        this.frames = frames;
        this.swap = swap;
        int slots = (int) (swap.totalPages() + 1);
        this.page = new long[slots];
        this.shadow = new long[slots];
    }

    public SwapSpace swap() {
        return swap;
    }

    /** {@code lookup_swap_cache}: the page cached for {@code offset}, or -1. */
    public long find(long offset) {
        long pa = page[(int) offset];
        return pa == 0 ? -1 : pa;
    }

    /** Pages in the swap cache (SwapCached). */
    public long size() {
        return pages;
    }

    /**
     * {@code add_to_swap_cache}: {@code pa} is now the page of slot {@code offset}, whose
     * SWAP_HAS_CACHE is already set; the cache takes a reference. A shadow left there is
     * dropped (the caller read it first, if it wanted it).
     */
    void add(long pa, long offset) {
        if (page[(int) offset] != 0) {
            throw new IllegalStateException("swap slot " + offset + " already has a cached page");
        }
        frames.get(pa);
        frames.setSwapCache(pa, offset);
        page[(int) offset] = pa;
        shadow[(int) offset] = 0;
        pages++;
    }

    /**
     * {@code __delete_from_swap_cache} and {@code put_swap_folio}: {@code pa} leaves the
     * cache, leaving {@code shadowCookie} (or none, if negative) for a later refault, and its
     * slot loses the cache bit; the cache's reference is dropped, which frees the page when
     * nothing else holds it.
     */
    void delete(long pa, long shadowCookie) {
        long offset = frames.swapOffset(pa);
        if (page[(int) offset] != pa) {
            throw new IllegalStateException(String.format("frame 0x%x is not the cached page of slot %d", pa, offset));
        }
        page[(int) offset] = 0;
        pages--;
        frames.setSwapCache(pa, 0);
        shadow[(int) offset] = shadowCookie < 0 ? 0 : shadowCookie + 1;
        swap.clearCache(offset);
        frames.put(pa);
    }

    /** The workingset shadow of slot {@code offset}, taken out, or -1 ({@code get_shadow_from_swap_cache}). */
    long takeShadow(long offset) {
        long s = shadow[(int) offset];
        shadow[(int) offset] = 0;
        return s - 1;
    }

    /** Forgets a shadow when its slot is freed (the entry that would refault is gone). */
    void dropShadow(long offset) {
        shadow[(int) offset] = 0;
    }

    /**
     * {@code folio_free_swap}: a page in the swap cache whose slot nothing refers to any more
     * (or whose copy is not worth keeping) leaves the cache and frees its slot. The page
     * becomes dirty: the only copy of its data is now in memory.
     */
    boolean freeSwap(long pa) {
        if (!frames.inSwapCache(pa)) {
            return false;
        }
        long offset = frames.swapOffset(pa);
        if (swap.count(offset) != 0) {
            return false;
        }
        frames.setDirty(pa, true);
        delete(pa, -1);
        return true;
    }
}
