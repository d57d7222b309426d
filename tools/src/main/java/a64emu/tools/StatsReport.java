package a64emu.tools;

import a64emu.guest.MemoryPressureStats;
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
                "zero-fill %d   file %d   COW %d   access-flag %d   swap-in %d   stack growth %d   other %d",
                f.zeroFill(), f.file(), f.cow(), f.accessFlag(), f.swapIn() + f.swapCache(), f.stackGrowth(),
                f.other()));
        row(out, "fault signals", String.format(Locale.ROOT, "SIGSEGV %d   SIGBUS %d   out of memory %d",
                f.sigsegv(), f.sigbus(), f.oomKill()));
        row(out, "resident", String.format(Locale.ROOT, "%d pages (%s), peak %d pages (%s)",
                s.residentPages(), ByteSize.format(s.residentPages() * PAGE_SIZE),
                s.peakResidentPages(), ByteSize.format(s.peakResidentPages() * PAGE_SIZE)));
        row(out, "syscalls", Long.toString(s.syscalls()));
        memory(out, s.memory());
        return out.toString();
    }

    /** The {@code jit} lines: what was translated, and how much ran translated. */
    static String jit(a64emu.jit.JitStats j) {
        StringBuilder out = new StringBuilder();
        row(out, "jit", String.format(Locale.ROOT,
                "units %d (%d instructions, %d by fallback)   live %d   invalidated %d   bytecode %s   "
                        + "translation %.1f ms", j.unitsTranslated(), j.instructionsTranslated(),
                j.fallbackInstructions(), j.unitsLive(), j.unitsInvalidated(), ByteSize.format(j.codeBytes()),
                j.translateNanos() / 1e6));
        row(out, "jit runs", String.format(Locale.ROOT,
                "unit entries %d (chained %d)   interpreted instructions %d", j.unitRuns(), j.chained(),
                j.interpretedInstructions()));
        return out.toString();
    }

    /** The reclaim, swap and zRAM lines. */
    private static void memory(StringBuilder out, MemoryPressureStats m) {
        row(out, "reclaim", String.format(Locale.ROOT,
                "scanned %d (kswapd %d, direct %d)   stolen %d (kswapd %d, direct %d)   kswapd wake-ups %d   "
                        + "direct stalls %d", m.scannedKswapd() + m.scannedDirect(), m.scannedKswapd(),
                m.scannedDirect(), m.stolenKswapd() + m.stolenDirect(), m.stolenKswapd(), m.stolenDirect(),
                m.kswapdWakeups(), m.directStalls()));
        row(out, "aging", String.format(Locale.ROOT,
                "access-flag faults on aged pages %d   refaults anon %d, file %d",
                m.agedFaults(), m.refaultAnon(), m.refaultFile()));
        row(out, "swap", String.format(Locale.ROOT,
                "out %d pages   in %d pages   swap-cache hits %d   major faults %d",
                m.swapOut(), m.swapIn(), m.swapCacheHits(), m.majorFaults()));
        MemoryPressureStats.Zram z = m.zram();
        if (z == null) {
            row(out, "zRAM", "none (no swap)");
            return;
        }
        row(out, "zRAM", String.format(Locale.ROOT,
                "disksize %s   at its fullest: stored %d pages (%s), compressed %s (ratio %.2f), pool %s",
                ByteSize.format(z.disksize()), z.pagesStored(), ByteSize.format(z.pagesStored() * PAGE_SIZE),
                ByteSize.format(z.comprDataSize()), z.ratio(), ByteSize.format(z.memUsedTotal())));
        row(out, "", String.format(Locale.ROOT,
                "same-filled %d   huge %d   pool peak %s", z.samePages(), z.hugePages(),
                ByteSize.format(z.memUsedMax())));
    }

    private static void row(StringBuilder out, String label, String values) {
        out.append(String.format(Locale.ROOT, "  %-13s %s%n", label, values));
    }
}
