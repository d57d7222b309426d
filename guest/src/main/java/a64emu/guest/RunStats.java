package a64emu.guest;

import a64emu.guest.mm.FaultCounts;
import a64emu.mmu.TlbCounts;

/**
 * What one guest run cost, for {@code a64emu run --stats}.
 *
 * @param instructions      guest instructions retired
 * @param nanos             host wall-clock time spent running the guest
 * @param tlb               the TLB's counters: hits (micro and main), misses, walks, evictions
 * @param faults            page faults by kind, summed over every process of the run
 * @param residentPages     user pages mapped at exit
 * @param peakResidentPages most user pages mapped at any time
 * @param syscalls          system calls made
 * @param memory            reclaim, swap and zRAM figures
 */
public record RunStats(long instructions, long nanos, TlbCounts tlb, FaultCounts faults, long residentPages, long peakResidentPages,
                       long syscalls, MemoryPressureStats memory) {
    /** A run that has not happened: everything zero. */
    public static final RunStats NONE = new RunStats(0, 0, TlbCounts.ZERO, FaultCounts.ZERO, 0, 0, 0,
            MemoryPressureStats.NONE);

    public RunStats(long instructions, long nanos, TlbCounts tlb, FaultCounts faults, long residentPages,
                    long peakResidentPages, long syscalls) {
        this(instructions, nanos, tlb, faults, residentPages, peakResidentPages, syscalls, MemoryPressureStats.NONE);
    }

    /** Guest instructions per microsecond (millions per second). */
    public double mips() {
        return nanos == 0 ? 0 : instructions * 1000.0 / nanos;
    }

    /** Page faults served with a zero-filled anonymous page. */
    public long anonZeroFillFaults() {
        return faults.zeroFill();
    }

    /** Page faults served from a file. */
    public long fileFaults() {
        return faults.file();
    }

    /** Faults that ended in a signal (SIGSEGV, SIGBUS, or an out-of-memory kill). */
    public long segvFaults() {
        return faults.signalled();
    }
}
