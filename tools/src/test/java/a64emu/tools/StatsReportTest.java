package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.MemoryPressureStats;
import a64emu.guest.RunStats;
import a64emu.guest.mm.FaultCounts;
import a64emu.mmu.TlbCounts;
import org.junit.jupiter.api.Test;

class StatsReportTest {

    @Test
    void reportIsAnAlignedTableWithUnitsAndFaultsByKind() {
        RunStats stats = new RunStats(1234567, 530_000_000L, new TlbCounts(1100345, 100000, 2345, 2345, 9123, 2297, 12, 40),
                new FaultCounts(123, 45, 6, 7, 0, 0, 0, 2, 1, 1, 0, 0), 312, 320, 87);

        String nl = System.lineSeparator();
        assertEquals(""
                + "a64emu: 1234567 instructions in 0.53 s (2.33 MIPS)" + nl
                + "  TLB           hits 1200345 (99.81%: micro 1100345, main 100000)   misses 2345   walks 2345   walk reads 9123" + nl
                + "  TLB entries   evicted: micro 2297, main 12   invalidated by TLBI 40" + nl
                + "  page faults   zero-fill 123   file 45   COW 6   access-flag 7   swap-in 0   stack growth 2   other 1" + nl
                + "  fault signals SIGSEGV 1   SIGBUS 0   out of memory 0" + nl
                + "  resident      312 pages (1.2 MiB), peak 320 pages (1.3 MiB)" + nl
                + "  syscalls      87" + nl
                + "  reclaim       scanned 0 (kswapd 0, direct 0)   stolen 0 (kswapd 0, direct 0)   kswapd wake-ups 0   "
                + "direct stalls 0" + nl
                + "  aging         access-flag faults on aged pages 0   refaults anon 0, file 0" + nl
                + "  swap          out 0 pages   in 0 pages   swap-cache hits 0   major faults 0" + nl
                + "  zRAM          none (no swap)" + nl,
                StatsReport.format(stats));
    }

    @Test
    void memoryPressureLinesShowReclaimSwapAndZramAtItsFullest() {
        MemoryPressureStats m = new MemoryPressureStats(9000, 1000, 7000, 800, 12, 3, 7500, 5000, 5100, 40, 77, 4900,
                3, new MemoryPressureStats.Zram(96L << 20, 6000, 6000L * 1024, 7L << 20, 300, 20, 8L << 20));
        RunStats stats = new RunStats(1, 1, TlbCounts.ZERO, FaultCounts.ZERO, 0, 0, 0, m);
        String nl = System.lineSeparator();
        String report = StatsReport.format(stats);
        assertTrue(report.contains(""
                + "  reclaim       scanned 10000 (kswapd 9000, direct 1000)   stolen 7800 (kswapd 7000, direct 800)   "
                + "kswapd wake-ups 12   direct stalls 3" + nl
                + "  aging         access-flag faults on aged pages 77   refaults anon 4900, file 3" + nl
                + "  swap          out 7500 pages   in 5000 pages   swap-cache hits 40   major faults 5100" + nl
                + "  zRAM          disksize 96.0 MiB   at its fullest: stored 6000 pages (23.4 MiB), compressed 5.9 MiB "
                + "(ratio 4.00), pool 7.0 MiB" + nl
                + "                same-filled 300   huge 20   pool peak 8.0 MiB" + nl), report);
    }

    @Test
    void aRunThatTookNoTimeHasNoRate() {
        String first = StatsReport.format(RunStats.NONE).lines().findFirst().orElseThrow();
        assertEquals("a64emu: 0 instructions in 0.00 s (0.00 MIPS)", first);
    }
}
