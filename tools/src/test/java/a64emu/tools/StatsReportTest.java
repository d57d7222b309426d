package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.RunStats;
import a64emu.guest.mm.FaultCounts;
import a64emu.mmu.TlbCounts;
import org.junit.jupiter.api.Test;

class StatsReportTest {

    @Test
    void reportIsAnAlignedTableWithUnitsAndFaultsByKind() {
        RunStats stats = new RunStats(1234567, 530_000_000L, new TlbCounts(1100345, 100000, 2345, 2345, 9123, 2297, 12, 40),
                new FaultCounts(123, 45, 6, 7, 2, 1, 1, 0, 0), 312, 320, 87);

        String nl = System.lineSeparator();
        assertEquals(""
                + "a64emu: 1234567 instructions in 0.53 s (2.33 MIPS)" + nl
                + "  TLB           hits 1200345 (99.81%: micro 1100345, main 100000)   misses 2345   walks 2345   walk reads 9123" + nl
                + "  TLB entries   evicted: micro 2297, main 12   invalidated by TLBI 40" + nl
                + "  page faults   zero-fill 123   file 45   COW 6   access-flag 7   stack growth 2   other 1" + nl
                + "  fault signals SIGSEGV 1   SIGBUS 0   out of memory 0" + nl
                + "  resident      312 pages (1.2 MiB), peak 320 pages (1.3 MiB)" + nl
                + "  syscalls      87" + nl,
                StatsReport.format(stats));
    }

    @Test
    void aRunThatTookNoTimeHasNoRate() {
        String first = StatsReport.format(RunStats.NONE).lines().findFirst().orElseThrow();
        assertEquals("a64emu: 0 instructions in 0.00 s (0.00 MIPS)", first);
    }
}
