package a64emu.tools;

import a64emu.guest.RunStats;
import a64emu.guest.mm.FaultCounts;
import a64emu.mmu.TlbCounts;
import java.util.Locale;

/** The {@code --stats} table: what one run cost, in the words of /proc/vmstat and perf. */
final class StatsReport {
    private StatsReport() {}

    static final int PAGE_SIZE = 4096;

    static String format(RunStats s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "a64emu: %d instructions in %.2f s (%.2f MIPS)%n",
                s.instructions(), s.nanos() / 1e9, s.mips()));
        TlbCounts t = s.tlb();
        row(out, "TLB", String.format(Locale.ROOT, "hits %d (%.2f%%: micro %d, main %d)   misses %d   walks %d   "
                + "walk reads %d", t.hits(), 100 * t.hitRate(), t.microHits(), t.mainHits(), t.misses(), t.walks(),
                t.walkReads()));
        row(out, "TLB entries", String.format(Locale.ROOT, "evicted: micro %d, main %d   invalidated by TLBI %d",
                t.microEvictions(), t.evictions(), t.invalidations()));
        FaultCounts f = s.faults();
        row(out, "page faults", String.format(Locale.ROOT,
                "zero-fill %d   file %d   COW %d   access-flag %d   stack growth %d   other %d",
                f.zeroFill(), f.file(), f.cow(), f.accessFlag(), f.stackGrowth(), f.other()));
        row(out, "fault signals", String.format(Locale.ROOT, "SIGSEGV %d   SIGBUS %d   out of memory %d",
                f.sigsegv(), f.sigbus(), f.oomKill()));
        row(out, "resident", String.format(Locale.ROOT, "%d pages (%s), peak %d pages (%s)",
                s.residentPages(), ByteSize.format(s.residentPages() * PAGE_SIZE),
                s.peakResidentPages(), ByteSize.format(s.peakResidentPages() * PAGE_SIZE)));
        row(out, "syscalls", Long.toString(s.syscalls()));
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String values) {
        out.append(String.format(Locale.ROOT, "  %-13s %s%n", label, values));
    }
}
