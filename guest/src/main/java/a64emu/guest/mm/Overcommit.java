package a64emu.guest.mm;

/**
 * The commit check of Linux {@code mm/util.c} ({@code __vm_enough_memory}) in its
 * default mode, vm.overcommit_memory = 0 (OVERCOMMIT_GUESS): a request is refused only
 * when it alone is larger than all RAM plus swap; everything else is allowed and
 * charged to Committed_AS. Requests that are charged: private writable mappings without
 * MAP_NORESERVE ({@link Vma#isAccountable}), brk growth, and shared anonymous memory.
 */
public final class Overcommit {
    private Overcommit() {}

    /** vm.overcommit_ratio: the share of RAM in CommitLimit (only mode 2 enforces it). */
    public static final int OVERCOMMIT_RATIO = 50;

    /** Whether a charge of {@code pages} may go ahead (mode 0). */
    public static boolean enoughMemory(FrameAllocator frames, long pages) {
        return pages <= totalRamPages(frames) + swapPages(frames);
    }

    /** CommitLimit in pages: RAM · overcommit_ratio / 100 + swap. */
    public static long commitLimit(FrameAllocator frames) {
        return totalRamPages(frames) * OVERCOMMIT_RATIO / 100 + swapPages(frames);
    }

    private static long totalRamPages(FrameAllocator frames) {
        return frames.totalFrames() - 1L;
    }

    /** total_swap_pages: the swap area's usable slots, 0 without swap. */
    private static long swapPages(FrameAllocator frames) {
        return frames.swap() == null ? 0 : frames.swap().totalPages();
    }
}
