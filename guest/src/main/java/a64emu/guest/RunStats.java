package a64emu.guest;

/**
 * What one guest run cost, for {@code a64emu run --stats}.
 *
 * @param instructions      guest instructions retired
 * @param nanos             host wall-clock time spent running the guest
 * @param tlbHits           TLB lookups that hit
 * @param tlbMisses         TLB lookups that missed
 * @param tlbWalks          translation table walks performed
 * @param walkReads         descriptor reads from RAM made by walks
 * @param anonZeroFillFaults page faults served by mapping a zero-filled anonymous page
 * @param fileFaults        page faults served from a file (ELF segments, file mappings)
 * @param otherFaults       page faults resolved otherwise (permission upgrades, stack growth, ...)
 * @param segvFaults        faults that ended in SIGSEGV/SIGBUS
 * @param residentPages     user pages mapped at exit
 * @param peakResidentPages most user pages mapped at any time
 * @param syscalls          system calls made
 */
public record RunStats(long instructions, long nanos, long tlbHits, long tlbMisses, long tlbWalks,
                       long walkReads, long anonZeroFillFaults, long fileFaults, long otherFaults,
                       long segvFaults, long residentPages, long peakResidentPages, long syscalls) {
    /** Guest instructions per microsecond (millions per second). */
    public double mips() {
        return nanos == 0 ? 0 : instructions * 1000.0 / nanos;
    }
}
