package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.RunStats;
import org.junit.jupiter.api.Test;

class StatsReportTest {

    @Test
    void reportIsAnAlignedTableWithUnits() {
        RunStats stats = new RunStats(1234567, 530_000_000L, 1200345, 2345, 2345, 9123,
                123, 45, 0, 0, 312, 320, 87);

        String nl = System.lineSeparator();
        assertEquals(""
                + "a64emu: 1234567 instructions in 0.53 s (2.33 MIPS)" + nl
                + "  TLB           hits 1200345   misses 2345   walks 2345   walk reads 9123" + nl
                + "  page faults   anonymous zero-fill 123   file-backed 45   other 0   SIGSEGV 0" + nl
                + "  resident      312 pages (1.2 MiB), peak 320 pages (1.3 MiB)" + nl
                + "  syscalls      87" + nl,
                StatsReport.format(stats));
    }

    @Test
    void aRunThatTookNoTimeHasNoRate() {
        RunStats stats = new RunStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        String first = StatsReport.format(stats).lines().findFirst().orElseThrow();
        assertEquals("a64emu: 0 instructions in 0.00 s (0.00 MIPS)", first);
    }
}
