package a64emu.tools.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tables of the report's end, in the layouts of procrank and dumpsys meminfo. */
class ProcrankTest {
    private static final Map<String, Long> MEMINFO = Map.of("MemTotal", 131068L, "MemFree", 2204L, "Buffers", 0L,
            "Cached", 228L, "Mapped", 212L, "Shmem", 0L, "Slab", 0L, "PageTables", 516L, "SwapTotal", 65532L,
            "SwapFree", 63188L);

    private static Procrank.Table table() {
        return new Procrank.Table(List.of(
                new Procrank.Row(1234, 1234567, 98765, 54321, 43210, 1000, 800, 600, 300, "com.example.app", 700, 950),
                new Procrank.Row(4242, 860, 220, 80, 52, 36, 36, 36, 17, "init", 36, 0)),
                MEMINFO, 1116);
    }

    /** The reference's example row, and print_header, print_divider and print_totals of libsmapinfo. */
    @Test
    void rowsHeaderDividerAndTotalsHaveProcranksWidths() {
        List<String> lines = table().lines();
        assertEquals("  PID       Vss      Rss      Pss      Uss     Swap    PSwap    USwap    ZSwap  cmdline",
                lines.get(0));
        assertEquals(" 1234  1234567K   98765K   54321K   43210K    1000K     800K     600K     300K  com.example.app",
                lines.get(1));
        assertEquals(" 4242      860K     220K      80K      52K      36K      36K      36K      17K  init", lines.get(2));
        assertEquals("                           ------   ------   ------   ------   ------   ------  ------", lines.get(3));
        assertEquals("                           54401K   43262K    1036K     836K     636K     317K  TOTAL", lines.get(4));
        assertEquals("", lines.get(5));
        assertEquals("ZRAM: 1116K physical used for 2344K in swap (65532K total swap)", lines.get(6));
        assertEquals(" RAM: 131068K total, 2204K free, 0K buffers, 228K cached, 0K shmem, 0K slab", lines.get(7));
    }

    @Test
    void withoutSwapTheSwapColumnsAndTheZramLineAreLeftOut() {
        Procrank.Table t = new Procrank.Table(List.of(new Procrank.Row(7, 100, 50, 40, 30, 0, 0, 0, 0, "a", 0, 0)),
                Map.of("MemTotal", 1000L, "MemFree", 500L), 0);
        assertEquals(List.of(
                "  PID       Vss      Rss      Pss      Uss  cmdline",
                "    7      100K      50K      40K      30K  a",
                "                           ------   ------  ------",
                "                              40K      30K  TOTAL",
                "",
                " RAM: 1000K total, 500K free, 0K buffers, 0K cached, 0K shmem, 0K slab"), t.lines());
    }

    /**
     * ActivityManager's sums: a cached process's Pss and SwapPss are free-able, the rest used;
     * cached kernel is Buffers + SReclaimable + Cached - Mapped; Lost RAM what nothing explains.
     */
    @Test
    void dumpsysSplitsPssIntoCachedAndUsedByOomScoreAdj() {
        DumpsysMeminfo.Summary s = DumpsysMeminfo.of(table());
        assertEquals(54321 + 700, s.cachedPssKb());
        assertEquals(80 + 36, s.usedPssKb());
        assertEquals(228 - 212, s.cachedKernelKb());
        assertEquals(516, s.kernelKb());
        assertEquals(131068 - (54321 + 80) - 2204 - 16 - 516 - 1116, s.lostKb());
        assertEquals(List.of(
                "Total RAM: 131,068K",
                " Free RAM: 57,241K (55,021K cached pss + 16K cached kernel + 2,204K free)",
                " Used RAM: 632K (116K used pss + 516K kernel)",
                " Lost RAM: 72,815K",
                "     ZRAM: 1,116K physical used for 2,344K in swap (65,532K total swap)"), s.lines());
    }
}
