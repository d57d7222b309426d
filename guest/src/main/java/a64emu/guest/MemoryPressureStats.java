package a64emu.guest;

/**
 * What memory pressure did during one run, for {@code a64emu run --stats}: reclaim by
 * kswapd and by allocating tasks (the vmstat counters pgscan_*, pgsteal_*, allocstall),
 * swap traffic (pswpout, pswpin), and zRAM at its fullest.
 *
 * @param scannedKswapd  pgscan_kswapd: pages kswapd looked at on the inactive lists
 * @param scannedDirect  pgscan_direct: pages allocating tasks looked at
 * @param stolenKswapd   pgsteal_kswapd: pages kswapd freed
 * @param stolenDirect   pgsteal_direct: pages allocating tasks freed
 * @param kswapdWakeups  times kswapd was woken from sleep
 * @param directStalls   allocations that had to reclaim themselves (allocstall)
 * @param swapOut        pswpout: pages written to swap
 * @param swapIn         pswpin: pages read back from swap
 * @param majorFaults    pgmajfault: faults that read their page (swap or file)
 * @param swapCacheHits  swapped-out pages found still in the swap cache (minor faults)
 * @param agedFaults     access flag faults on pages reclaim had aged (second chances taken)
 * @param refaultAnon    workingset_refault_anon
 * @param refaultFile    workingset_refault_file
 * @param zram           zRAM when it held the most pages, or null without swap
 */
public record MemoryPressureStats(long scannedKswapd, long scannedDirect, long stolenKswapd, long stolenDirect,
                                  long kswapdWakeups, long directStalls, long swapOut, long swapIn,
                                  long majorFaults, long swapCacheHits, long agedFaults, long refaultAnon,
                                  long refaultFile, Zram zram) {
    public static final MemoryPressureStats NONE = new MemoryPressureStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);

    /**
     * zRAM's mm_stat figures at the moment it stored the most pages.
     *
     * @param disksize       zram0's size in bytes
     * @param pagesStored    pages it held (orig_data_size / 4096)
     * @param comprDataSize  their compressed size in bytes
     * @param memUsedTotal   the zsmalloc pool's size then, in bytes (what the pages cost in RAM)
     * @param samePages      same-filled pages among them (stored as a value, no pool memory)
     * @param hugePages      pages stored uncompressed (did not compress below the huge class)
     * @param memUsedMax     the pool's largest size during the run, in bytes
     */
    public record Zram(long disksize, long pagesStored, long comprDataSize, long memUsedTotal, long samePages,
                       long hugePages, long memUsedMax) {
        /** orig_data_size / compr_data_size. */
        public double ratio() {
            return comprDataSize == 0 ? 0 : pagesStored * 4096.0 / comprDataSize;
        }
    }
}
