package a64emu.mmu;

/**
 * What a {@link Tlb} has counted since it was made: lookups by where they were answered,
 * walks, and entries lost to capacity or to TLBI.
 *
 * @param microHits      lookups the micro-TLB answered
 * @param mainHits       lookups the micro-TLB missed and the main TLB answered
 * @param misses         lookups neither TLB answered
 * @param walks          table walks started (misses, plus re-walks for a hardware dirty-bit update)
 * @param walkReads      descriptor reads from physical memory made by walks
 * @param microEvictions valid micro-TLB entries pushed out by a fill
 * @param evictions      valid main TLB entries pushed out by a fill into a full set
 * @param invalidations  valid main TLB entries removed by TLBI operations
 */
public record TlbCounts(long microHits, long mainHits, long misses, long walks, long walkReads,
                        long microEvictions, long evictions, long invalidations) {
    public static final TlbCounts ZERO = new TlbCounts(0, 0, 0, 0, 0, 0, 0, 0);

    /** Lookups that hit, in either TLB. */
    public long hits() {
        return microHits + mainHits;
    }

    /** Hits over lookups, 0 with no lookups. */
    public double hitRate() {
        long lookups = hits() + misses;
        return lookups == 0 ? 0 : (double) hits() / lookups;
    }
}
