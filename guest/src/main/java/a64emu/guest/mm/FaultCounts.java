package a64emu.guest.mm;

/**
 * Page faults by how they ended, for {@code a64emu run --stats} (Linux counts only
 * pgfault and pgmajfault in /proc/vmstat; these are the cases of {@code mm/memory.c}).
 *
 * @param zeroFill    anonymous pages mapped zero-filled: the zero page on a read, a new
 *                    zeroed frame on a write (do_anonymous_page, and a write to the zero page)
 * @param file        pages served from a file through the page cache (do_read_fault,
 *                    do_shared_fault, do_cow_fault)
 * @param cow         write faults on copy-on-write pages, copied or reused (do_wp_page)
 * @param accessFlag  Access flag faults: AF was clear and is set (software AF management)
 * @param agedAccessFlag the part of accessFlag on entries reclaim had made old to test
 *                    whether the page is still used (the second chance of the LRU)
 * @param swapIn      swapped-out pages read back from the swap device (do_swap_page, major)
 * @param swapCache   swapped-out pages found in the swap cache (do_swap_page, minor)
 * @param stackGrowth faults below a stack that grew it (expand_stack); the same fault is
 *                    counted again by how its page was then filled (zero-fill)
 * @param other       minor faults resolved otherwise: the first write to a clean shared page,
 *                    a stale TLB entry
 * @param sigsegv     faults that ended in SIGSEGV (SEGV_MAPERR or SEGV_ACCERR)
 * @param sigbus      faults that ended in SIGBUS (past the end of a file, alignment, external abort)
 * @param oomKill     faults that found no free frame and killed the process
 */
public record FaultCounts(long zeroFill, long file, long cow, long accessFlag, long agedAccessFlag, long swapIn,
                          long swapCache, long stackGrowth, long other, long sigsegv, long sigbus, long oomKill) {
    public static final FaultCounts ZERO = new FaultCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public FaultCounts plus(FaultCounts o) {
        return new FaultCounts(zeroFill + o.zeroFill, file + o.file, cow + o.cow, accessFlag + o.accessFlag,
                agedAccessFlag + o.agedAccessFlag, swapIn + o.swapIn, swapCache + o.swapCache,
                stackGrowth + o.stackGrowth, other + o.other, sigsegv + o.sigsegv, sigbus + o.sigbus,
                oomKill + o.oomKill);
    }

    /** Faults resolved so the access could be retried. */
    public long resolved() {
        return zeroFill + file + cow + accessFlag + swapIn + swapCache + stackGrowth + other;
    }

    /** Faults that ended in a signal. */
    public long signalled() {
        return sigsegv + sigbus + oomKill;
    }
}
