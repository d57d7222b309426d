package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --report} and {@code --report-interval} as options: errors, and living with the other tools. */
class PressureReportOptionsTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();

    @TempDir
    Path dir;

    @Test
    void aReportPathThatCannotBeWrittenIsAUsageErrorBeforeTheGuestRuns() {
        Path missing = dir.resolve("no-such-dir").resolve("report.html");
        GuestPrograms.Run run = GuestPrograms.cli("run", "--report", missing.toString(), HELLO);
        assertEquals(2, run.status(), run.stderr());
        assertTrue(run.stderr().contains("--report: cannot write '" + missing + "'"), run.stderr());
        assertEquals("", run.out(), "the guest never ran");

        GuestPrograms.Run directory = GuestPrograms.cli("run", "--report", dir.toString(), HELLO);
        assertEquals(2, directory.status(), directory.stderr());
        assertTrue(directory.stderr().contains("is a directory"), directory.stderr());
        assertEquals("", directory.out());
    }

    @Test
    void anIntervalBelowOneMillisecondIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--report", dir.resolve("r.html").toString(),
                "--report-interval=0", HELLO);
        assertEquals(2, run.status(), run.stderr());
        assertTrue(run.stderr().contains("--report-interval"), run.stderr());
        assertEquals("", run.out());
    }

    @Test
    void aRunWithoutPressureHasSamplesButNoKillsAndItsOwnProcrankRow() throws IOException {
        Path report = dir.resolve("hello.html");
        GuestPrograms.Run run = GuestPrograms.cli("run", "--report", report.toString(), HELLO);
        assertEquals(0, run.status(), run.stderr());
        assertArrayEquals(GuestPrograms.expectedBytes("hello", ".stdout"), run.stdout());
        String html = Files.readString(report, StandardCharsets.UTF_8);
        Map<String, org.w3c.dom.Element> charts = PressureReportTest.svgCharts(html);
        assertTrue(Integer.parseInt(charts.get("memory").getAttribute("data-samples")) >= 2, "the first and the last");
        assertTrue(PressureReportTest.killMarkers(charts.get("memory")).isEmpty());
        assertFalse(html.contains("<tr class=\"kill\""), "no kill in the events");
        var procrank = PressureReportTest.pre(html, "procrank-end");
        // zram0 exists but holds nothing: procrank shows ZSwap only when mem_used_total > 0.
        assertEquals("  PID       Vss      Rss      Pss      Uss     Swap    PSwap    USwap  cmdline", procrank.get(0));
        assertTrue(procrank.get(1).endsWith("  " + HELLO), procrank.get(1));
    }

    /** The report's tracer sits in front of --trace-faults' and calls it: both work in one run. */
    @Test
    void theReportComposesWithTraceFaultsAndKernelLog() throws IOException {
        Path report = dir.resolve("traced.html");
        GuestPrograms.Run run = GuestPrograms.cli("run", "--trace-faults", "--tlb-check", "--kernel-log",
                "--report", report.toString(), HELLO);
        assertEquals(0, run.status(), run.stderr());
        assertArrayEquals(GuestPrograms.expectedBytes("hello", ".stdout"), run.stdout());
        assertTrue(run.stderr().lines().filter(l -> l.startsWith("a64emu: fault ")).count() >= 3, run.stderr());
        assertTrue(run.stderr().contains("a64emu: --tlb-check: no stale TLB entry was used"), run.stderr());
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(html.contains("--trace-faults --tlb-check --kernel-log --report"), "the command line is in the report");
        assertEquals(4, PressureReportTest.svgCharts(html).size());
    }
}
