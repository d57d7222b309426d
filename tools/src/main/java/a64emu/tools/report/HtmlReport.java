package a64emu.tools.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link PressureTimeline} as one self-contained HTML page: the charts are inline SVG
 * drawn here, the styles inline, and the only script a few lines that show the values under
 * the mouse from the numbers embedded in the page. Nothing is fetched from the network.
 *
 * <p>The page, top to bottom: what was run; the machine's memory as stacked areas with the
 * kills as vertical lines and the reclaim bursts in strips under the time axis; each process's
 * RSS and swap; zRAM; PSI; the table of events; procrank and the dumpsys meminfo summary at the
 * end of the run, then as each victim was killed.
 */
final class HtmlReport {
    /** Samples drawn at most per series; more are thinned evenly (the tables keep every event). */
    static final int MAX_POINTS = 3000;
    private static final double MIB = 1024 * 1024;

    /** The memory chart's layers, bottom to top. */
    static final String[][] MEMORY_LAYERS = {
        {"anon-active", "Anon active", "#c0392b"},
        {"anon-inactive", "Anon inactive", "#eba39b"},
        {"unevictable", "Unevictable (mlocked)", "#8e44ad"},
        {"file", "File cache", "#2e86c1"},
        {"zram-pool", "zRAM pool", "#f39c12"},
        {"page-tables", "Page tables", "#6c7a89"},
        {"other-kernel", "Other kernel", "#b8c2cc"},
        {"free", "Free", "#d4efdf"},
    };
    /** tab10: distinct colours for the processes, reused in turn. */
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private final PressureTimeline timeline;
    private final List<PressureTimeline.Sample> drawn;
    private final double[] t;
    private final double t0;
    private final double t1;
    /** The per-chart series for the tooltips, as JSON. */
    private final Map<String, List<String>> tooltipSeries = new LinkedHashMap<>();

    HtmlReport(PressureTimeline timeline) {
        this.timeline = timeline;
        List<PressureTimeline.Sample> all = timeline.samples();
        int stride = Math.max(1, (all.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<PressureTimeline.Sample> d = new ArrayList<>();
        for (int i = 0; i < all.size(); i += stride) {
            d.add(all.get(i));
        }
        if (!all.isEmpty() && d.get(d.size() - 1) != all.get(all.size() - 1)) {
            d.add(all.get(all.size() - 1));
        }
        drawn = d;
        t = new double[d.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = seconds(d.get(i).nanos());
        }
        t0 = t.length == 0 ? 0 : t[0];
        t1 = t.length == 0 ? 1 : t[t.length - 1];
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Seconds as the kernel log stamps them: whole microseconds, cut rather than rounded. */
    static String dmesgSeconds(long nanos) {
        return String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000_000L, nanos / 1000 % 1_000_000);
    }

    void write(Writer out) throws IOException {
        StringBuilder b = new StringBuilder();
        PressureTimeline.Run run = timeline.run();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>a64emu memory report: ")
                .append(Html.escape(run.command())).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Memory under pressure</h1>\n");
        summary(b);
        memoryChart(b);
        processChart(b);
        zramChart(b);
        psiChart(b);
        eventTable(b);
        snapshots(b);
        b.append("<div id=\"tooltip\"></div>\n");
        b.append("<script type=\"application/json\" id=\"report-data\">").append(tooltipJson()).append("</script>\n");
        b.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        out.write(b.toString());
    }

    // ---- the run --------------------------------------------------------------------

    private void summary(StringBuilder b) {
        PressureTimeline.Run run = timeline.run();
        PressureTimeline.Hardware hw = timeline.hardware();
        List<PressureTimeline.Event> kills = timeline.kills();
        b.append("<table class=\"run\" id=\"run\">\n");
        row(b, "Command", "<code>" + Html.escape(run.command()) + "</code>");
        row(b, "Machine", String.format(Locale.ROOT, "%.1f MiB of RAM for the kernel's pages, zram0 %s",
                hw.ramPages() / PressureSampler.PAGES_PER_MIB,
                hw.zramDisksize() > 0
                        ? String.format(Locale.ROOT, "of %.0f MiB (swap %.1f MiB)", hw.zramDisksize() / MIB,
                                hw.swapPages() / PressureSampler.PAGES_PER_MIB)
                        : "none (no swap)"));
        row(b, "Guest time", String.format(Locale.ROOT, "%.3f s to %.3f s on the kernel's clock", t0, t1));
        row(b, "Samples", String.format(Locale.ROOT,
                "<span id=\"sample-count\">%d</span>, one every %.0f ms of guest time (with Pss, a walk of the "
                        + "page tables, every %d samples and at each kill); the sampler took %.0f ms of host time",
                timeline.samples().size(), run.intervalNanos() / 1e6, run.pssEvery(), timeline.samplerNanos() / 1e6));
        row(b, "Kills", kills.isEmpty() ? "none" : kills.size() + ": " + String.join(", ", kills.stream()
                .map(k -> Html.escape(timeline.name(k.pid())) + String.format(Locale.ROOT, " (%s, %.3f s)",
                        k.kind() == PressureTimeline.EventKind.LMK_KILL ? "lmkd" : "OOM killer",
                        seconds(k.startNanos())))
                .toList()));
        if (timeline.exitStatus() >= 0) {
            row(b, "Exit status", Integer.toString(timeline.exitStatus()));
        }
        b.append("</table>\n");
    }

    private static void row(StringBuilder b, String name, String html) {
        b.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(html).append("</td></tr>\n");
    }

    // ---- charts -----------------------------------------------------------------------

    private void memoryChart(StringBuilder b) {
        long total = drawn.isEmpty() ? 0 : drawn.get(0).machine().totalPages();
        SvgChart c = new SvgChart("memory", 320, t0, t1, total / PressureSampler.PAGES_PER_MIB, "MiB",
                "kswapd", "direct");
        c.data("samples", Integer.toString(timeline.samples().size()));
        double[] lower = new double[t.length];
        List<String[]> shown = new ArrayList<>();
        for (String[] layer : MEMORY_LAYERS) {
            double[] v = new double[t.length];
            boolean any = false;
            for (int i = 0; i < t.length; i++) {
                v[i] = layerPages(drawn.get(i).machine(), layer[0]) / PressureSampler.PAGES_PER_MIB;
                any |= v[i] > 0;
            }
            if (!any && layer[0].equals("unevictable")) {
                continue; // nothing mlocked: no empty layer in the legend
            }
            double[] upper = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                upper[i] = lower[i] + v[i];
            }
            c.area(layer[0], layer[1], layer[2], t, lower, upper);
            tooltip("memory", layer[1], layer[2], "MiB", v);
            lower = upper;
            shown.add(layer);
        }
        kills(c);
        for (PressureTimeline.Event e : timeline.events()) {
            if (!e.kind().isKill()) {
                int row = e.kind() == PressureTimeline.EventKind.KSWAPD_RECLAIM ? 0 : 1;
                c.band(seconds(e.startNanos()), seconds(e.endNanos()), row,
                        row == 0 ? "band kswapd" : "band direct", e.text());
            }
        }
        b.append("<h2>Memory</h2>\n<p>Every frame of the emulated RAM, by what holds it (the LRU lists, zsmalloc's "
                + "frames for zRAM, page tables, the rest of the kernel, free). Vertical lines are kills; the strips "
                + "under the time axis show when kswapd and direct reclaim were at work.</p>\n");
        b.append(c.svg());
        legend(b, shown.stream().map(l -> new String[] {l[2], l[1]}).toList(), "area");
    }

    private static long layerPages(PressureTimeline.Machine m, String layer) {
        return switch (layer) {
            case "anon-active" -> m.anonActive();
            case "anon-inactive" -> m.anonInactive();
            case "unevictable" -> m.unevictable();
            case "file" -> m.file();
            case "zram-pool" -> m.zramPool();
            case "page-tables" -> m.pageTables();
            case "other-kernel" -> Math.max(0, m.otherKernel());
            case "free" -> m.free();
            default -> throw new IllegalArgumentException(layer);
        };
    }

    /** The kill markers. */
    private void kills(SvgChart c) {
        for (PressureTimeline.Event k : timeline.kills()) {
            boolean lmk = k.kind() == PressureTimeline.EventKind.LMK_KILL;
            c.marker(seconds(k.startNanos()), (lmk ? "lmkd: " : "OOM: ") + timeline.name(k.pid()), k.text(),
                    "kill " + (lmk ? "lmk" : "oom"), String.format(Locale.ROOT,
                            "data-pid=\"%d\" data-time=\"%s\" data-kind=\"%s\"", k.pid(), dmesgSeconds(k.startNanos()),
                            lmk ? "lmk" : "oom"));
        }
    }

    private void processChart(StringBuilder b) {
        List<Integer> pids = timeline.pids();
        double max = 1;
        for (PressureTimeline.Sample s : drawn) {
            for (PressureTimeline.Proc p : s.processes()) {
                max = Math.max(max, Math.max(p.rss(), p.swap()) / PressureSampler.PAGES_PER_MIB);
            }
        }
        SvgChart c = new SvgChart("processes", 300, t0, t1, max * 1.05, "MiB");
        List<String[]> legend = new ArrayList<>();
        Map<Integer, Long> lastSeen = lastSeen();
        Map<Integer, PressureTimeline.Event> killOf = new HashMap<>();
        for (PressureTimeline.Event k : timeline.kills()) {
            killOf.putIfAbsent(k.pid(), k);
        }
        long end = timeline.samples().isEmpty() ? 0 : timeline.samples().get(timeline.samples().size() - 1).nanos();
        for (int n = 0; n < pids.size(); n++) {
            int pid = pids.get(n);
            String color = PALETTE[n % PALETTE.length];
            double[] rss = new double[t.length];
            double[] swap = new double[t.length];
            // Pss is walked for every tenth sample or so: the tooltips show the last walk's.
            double[] pss = new double[t.length];
            double lastPss = Double.NaN;
            for (int i = 0; i < t.length; i++) {
                PressureTimeline.Proc p = drawn.get(i).process(pid);
                rss[i] = p == null ? Double.NaN : p.rss() / PressureSampler.PAGES_PER_MIB;
                swap[i] = p == null ? Double.NaN : p.swap() / PressureSampler.PAGES_PER_MIB;
                if (p != null && p.pssKb() >= 0) lastPss = p.pssKb() / 1024.0;
                pss[i] = p == null ? Double.NaN : lastPss;
            }
            String name = timeline.name(pid);
            String last = String.format(Locale.ROOT, "data-pid=\"%d\" data-last=\"%s\"", pid,
                    dmesgSeconds(lastSeen.get(pid)));
            c.line("rss:" + pid, name + " RSS", color, t, rss, null, last);
            c.line("swap:" + pid, name + " swap", color, t, swap, "5 4", last);
            tooltip("processes", name + " RSS", color, "MiB", rss);
            tooltip("processes", name + " swap", color, "MiB", swap);
            tooltip("processes", name + " Pss (last walk)", color, "MiB", pss);
            PressureTimeline.Event kill = killOf.get(pid);
            String fate = kill != null
                    ? String.format(Locale.ROOT, "killed by %s at %.3f s",
                            kill.kind() == PressureTimeline.EventKind.LMK_KILL ? "lmkd" : "the OOM killer",
                            seconds(kill.startNanos()))
                    : lastSeen.get(pid) < end
                    ? String.format(Locale.ROOT, "exited at %.3f s", seconds(lastSeen.get(pid)))
                    : "running at the end";
            legend.add(new String[] {color, String.format(Locale.ROOT, "%s (pid %d, oom_score_adj %s): %s", name, pid,
                    adjHistory(pid), fate)});
        }
        kills(c);
        b.append("<h2>Processes</h2>\n<p>Each process's resident memory (RSS, solid) and its pages in swap (dashed), "
                + "from the counters the kernel keeps per address space. A killed process's lines end at its "
                + "kill.</p>\n");
        b.append(c.svg());
        legend(b, legend, "line");
    }

    /** The oom_score_adj values a process had, in turn: "0 → 700 → 900". */
    private String adjHistory(int pid) {
        List<String> values = new ArrayList<>();
        for (PressureTimeline.Sample s : timeline.samples()) {
            PressureTimeline.Proc p = s.process(pid);
            String adj = p == null ? null : Integer.toString(p.oomScoreAdj());
            if (adj != null && (values.isEmpty() || !values.get(values.size() - 1).equals(adj))) {
                values.add(adj);
            }
        }
        return String.join(" → ", values);
    }

    /** Each pid's last sample time. */
    private Map<Integer, Long> lastSeen() {
        Map<Integer, Long> last = new HashMap<>();
        for (PressureTimeline.Sample s : timeline.samples()) {
            for (PressureTimeline.Proc p : s.processes()) {
                last.put(p.pid(), s.nanos());
            }
        }
        return last;
    }

    private void zramChart(StringBuilder b) {
        PressureTimeline.Hardware run = timeline.hardware();
        String[][] series = {
            {"zram-orig", "Stored (orig_data_size)", "#f39c12"},
            {"zram-compr", "Compressed (compr_data_size)", "#27ae60"},
            {"zram-mem-used", "Pool (mem_used_total)", "#8e44ad"},
            {"swap-used", "Swap used", "#34495e"},
        };
        double[][] v = new double[series.length][t.length];
        double max = run.zramDisksize() / MIB;
        for (int i = 0; i < t.length; i++) {
            PressureTimeline.Machine m = drawn.get(i).machine();
            v[0][i] = m.zramOrigBytes() / MIB;
            v[1][i] = m.zramComprBytes() / MIB;
            v[2][i] = m.zramMemUsedBytes() / MIB;
            v[3][i] = m.swapUsed() / PressureSampler.PAGES_PER_MIB;
            for (double[] s : v) max = Math.max(max, s[i]);
        }
        SvgChart c = new SvgChart("zram", 200, t0, t1, Math.max(1, max * 1.05), "MiB");
        for (int k = 0; k < series.length; k++) {
            c.line(series[k][0], series[k][1], series[k][2], t, v[k], k == 3 ? "2 3" : null, null);
            tooltip("zram", series[k][1], series[k][2], "MiB", v[k]);
        }
        if (run.zramDisksize() > 0) {
            c.reference(run.zramDisksize() / MIB,
                    String.format(Locale.ROOT, "disksize %.0f MiB", run.zramDisksize() / MIB));
        }
        kills(c);
        b.append("<h2>zRAM</h2>\n<p>zram0's mm_stat: the data stored in it, compressed, and the frames of RAM its pool "
                + "takes; and the swap slots in use.</p>\n");
        b.append(c.svg());
        List<String[]> legend = new ArrayList<>();
        for (String[] s : series) legend.add(new String[] {s[2], s[1]});
        legend(b, legend, "line");
    }

    private void psiChart(StringBuilder b) {
        String[][] series = {
            {"psi-some-avg10", "some avg10", "#e67e22"},
            {"psi-full-avg10", "full avg10", "#c0392b"},
            {"psi-some-1s", "some, share of the last second", "#f5cba7"},
            {"psi-full-1s", "full, share of the last second", "#f1948a"},
        };
        double[][] v = new double[series.length][t.length];
        double max = 10;
        int from = 0;
        for (int i = 0; i < t.length; i++) {
            PressureTimeline.Machine m = drawn.get(i).machine();
            v[0][i] = fixedPercent(m.psiSomeAvg10());
            v[1][i] = fixedPercent(m.psiFullAvg10());
            // The stall time in the last second: what lmkd's PSI triggers ("some 70000 1000000") measure.
            while (from < i && t[i] - t[from + 1] >= 1.0) {
                from++;
            }
            PressureTimeline.Machine prev = drawn.get(from).machine();
            double dt = drawn.get(i).nanos() - drawn.get(from).nanos();
            v[2][i] = dt <= 0 ? 0 : Math.min(100, (m.psiSomeTotalNanos() - prev.psiSomeTotalNanos()) * 100 / dt);
            v[3][i] = dt <= 0 ? 0 : Math.min(100, (m.psiFullTotalNanos() - prev.psiFullTotalNanos()) * 100 / dt);
            for (double[] s : v) max = Math.max(max, s[i]);
        }
        SvgChart c = new SvgChart("psi", 200, t0, t1, Math.min(100, max * 1.1), "% of time stalled");
        for (int k = series.length - 1; k >= 0; k--) {
            c.line(series[k][0], series[k][1], series[k][2], t, v[k], null, k >= 2 ? "stroke-width=\"1\"" : null);
        }
        for (int k = 0; k < series.length; k++) {
            tooltip("psi", series[k][1], series[k][2], "%", v[k]);
        }
        double[] someTotal = new double[t.length];
        double[] fullTotal = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            someTotal[i] = drawn.get(i).machine().psiSomeTotalNanos() / 1e6;
            fullTotal[i] = drawn.get(i).machine().psiFullTotalNanos() / 1e6;
        }
        tooltip("psi", "some total", "#e67e22", "ms", someTotal);
        tooltip("psi", "full total", "#c0392b", "ms", fullTotal);
        kills(c);
        PressureTimeline.Machine last = drawn.isEmpty() ? null : drawn.get(drawn.size() - 1).machine();
        b.append("<h2>Pressure stall information</h2>\n<p>/proc/pressure/memory: the avg10 averages (updated every "
                + "2 s, as the kernel does), and the share of the last second that tasks stalled on memory, from "
                + "the totals (lmkd's triggers watch that: 70 ms of some, or 700 ms of full, in 1 s)");
        if (last != null) {
            b.append(String.format(Locale.ROOT, " (at the end: some total=%d, full total=%d µs)",
                    last.psiSomeTotalNanos() / 1000, last.psiFullTotalNanos() / 1000));
        }
        b.append(".</p>\n").append(c.svg());
        List<String[]> legend = new ArrayList<>();
        for (String[] s : series) legend.add(new String[] {s[2], s[1]});
        legend(b, legend, "line");
    }

    /** A PSI average in FSHIFT fixed point as a percentage. */
    private static double fixedPercent(long avg) {
        return avg / 2048.0;
    }

    private static void legend(StringBuilder b, List<String[]> entries, String kind) {
        b.append("<ul class=\"legend\">");
        for (String[] e : entries) {
            b.append("<li><span class=\"swatch ").append(kind).append("\" style=\"background:").append(e[0])
                    .append("\"></span>").append(Html.escape(e[1])).append("</li>");
        }
        b.append("</ul>\n");
    }

    // ---- tables -----------------------------------------------------------------------

    private void eventTable(StringBuilder b) {
        b.append("<h2>Events</h2>\n<table class=\"events\" id=\"events\">\n<tr><th>Time (s)</th><th>Kind</th>"
                + "<th>What happened</th></tr>\n");
        for (PressureTimeline.Event e : timeline.events()) {
            String time = e.endNanos() > e.startNanos()
                    ? String.format(Locale.ROOT, "%.3f–%.3f", seconds(e.startNanos()), seconds(e.endNanos()))
                    : dmesgSeconds(e.startNanos());
            b.append("<tr class=\"").append(e.kind().isKill() ? "kill" : "reclaim").append("\" data-kind=\"")
                    .append(e.kind().name()).append("\"");
            if (e.pid() >= 0) {
                b.append(" data-pid=\"").append(e.pid()).append('"');
            }
            b.append(" data-time=\"").append(dmesgSeconds(e.startNanos())).append("\">")
                    .append("<td>").append(time).append("</td><td>").append(Html.escape(e.kind().label))
                    .append("</td><td>")
                    .append(e.kind().isKill() ? "<code>" + Html.escape(e.text()) + "</code>" : Html.escape(e.text()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private void snapshots(StringBuilder b) {
        b.append("<h2>At the end of the run</h2>\n");
        PressureTimeline.Snapshot end = timeline.end();
        if (end == null) {
            b.append("<p>The first process did not exit (the run ended otherwise), so there is no table of "
                    + "the end.</p>\n");
        } else {
            b.append(String.format(Locale.ROOT,
                    "<p>procrank and the summary of <code>dumpsys meminfo</code> at %.3f s, %s: "
                    + "the last moment its memory, and that of the processes it leaves running, is all there "
                    + "(the kernel ends those after it).</p>\n", seconds(end.nanos()), Html.escape(end.moment())));
            table(b, end, "end");
        }
        if (!timeline.snapshots().isEmpty()) {
            b.append("<h3>At each kill</h3>\n");
            for (PressureTimeline.Snapshot s : timeline.snapshots()) {
                b.append(String.format(Locale.ROOT, "<details><summary>%.3f s, %s</summary>\n", seconds(s.nanos()),
                        Html.escape(s.moment())));
                table(b, s, null);
                b.append("</details>\n");
            }
        }
    }

    private static void table(StringBuilder b, PressureTimeline.Snapshot s, String id) {
        b.append("<pre class=\"procrank\"").append(id == null ? "" : " id=\"procrank-" + id + "\"").append('>');
        for (String line : s.table().lines()) {
            b.append(Html.escape(line)).append('\n');
        }
        b.append("</pre>\n<pre class=\"dumpsys\"").append(id == null ? "" : " id=\"dumpsys-" + id + "\"").append('>');
        for (String line : DumpsysMeminfo.of(s.table()).lines()) {
            b.append(Html.escape(line)).append('\n');
        }
        b.append("</pre>\n");
    }

    // ---- tooltips ---------------------------------------------------------------------

    private void tooltip(String chart, String label, String color, String unit, double[] v) {
        StringBuilder s = new StringBuilder("{\"label\":").append(Html.json(label)).append(",\"color\":")
                .append(Html.json(color)).append(",\"unit\":").append(Html.json(unit)).append(",\"v\":[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) s.append(',');
            s.append(Double.isNaN(v[i]) ? "null" : String.format(Locale.ROOT, "%.1f", v[i]));
        }
        tooltipSeries.computeIfAbsent(chart, k -> new ArrayList<>()).add(s.append("]}").toString());
    }

    private String tooltipJson() {
        StringBuilder s = new StringBuilder("{\"t\":[");
        for (int i = 0; i < t.length; i++) {
            if (i > 0) s.append(',');
            s.append(String.format(Locale.ROOT, "%.3f", t[i]));
        }
        s.append("],\"charts\":{");
        boolean first = true;
        for (Map.Entry<String, List<String>> e : tooltipSeries.entrySet()) {
            if (!first) s.append(',');
            first = false;
            s.append(Html.json(e.getKey())).append(":[").append(String.join(",", e.getValue())).append(']');
        }
        return s.append("}}").toString();
    }

    private static final String STYLE = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px 32px; max-width: 1240px; }
            h1 { font-size: 22px; margin: 0 0 12px; }
            h2 { font-size: 17px; margin: 28px 0 4px; border-bottom: 1px solid #ddd; padding-bottom: 2px; }
            h3 { font-size: 15px; margin: 20px 0 4px; }
            p { margin: 4px 0 8px; color: #444; }
            table.run th { text-align: left; padding-right: 16px; color: #555; font-weight: 600; }
            table.events { border-collapse: collapse; width: 100%; font-size: 13px; }
            table.events th, table.events td { border-bottom: 1px solid #eee; padding: 3px 8px; text-align: left; vertical-align: top; }
            table.events tr.kill td { background: #fdecea; }
            table.events td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
            pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 8px 10px; font-size: 12.5px; overflow-x: auto; }
            svg.chart { display: block; max-width: 100%; height: auto; }
            svg.chart .grid { stroke: #e6e6e6; stroke-width: 1; }
            svg.chart .frame { fill: none; stroke: #999; stroke-width: 1; }
            svg.chart text { font: 11px system-ui, sans-serif; fill: #555; }
            svg.chart .unit { font-size: 12px; fill: #333; }
            svg.chart .area { stroke: none; }
            svg.chart .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
            svg.chart .kill line { stroke: #111; stroke-width: 1.2; stroke-dasharray: 4 2; }
            svg.chart .kill text { font-size: 11px; font-weight: 600; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            svg.chart .reference { stroke: #8e44ad; stroke-width: 1; stroke-dasharray: 6 3; }
            svg.chart .reference-label { fill: #8e44ad; }
            svg.chart .band.kswapd { fill: #f0b27a; }
            svg.chart .band.direct { fill: #cb4335; }
            svg.chart .cursor { stroke: #333; stroke-width: 1; }
            ul.legend { list-style: none; padding: 0; margin: 2px 0 8px 70px; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
            .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
            .swatch.line { height: 4px; vertical-align: 3px; }
            #tooltip { position: absolute; display: none; background: rgba(255,255,255,0.96); border: 1px solid #bbb; border-radius: 4px; padding: 6px 8px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 6px rgba(0,0,0,0.15); }
            """;

    private static final String SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('report-data').textContent);
              var tip = document.getElementById('tooltip');
              function nearest(t) {
                var lo = 0, hi = data.t.length - 1;
                while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (data.t[mid] < t) lo = mid; else hi = mid; }
                return Math.abs(data.t[lo] - t) <= Math.abs(data.t[hi] - t) ? lo : hi;
              }
              document.querySelectorAll('svg.chart').forEach(function (svg) {
                var series = data.charts[svg.id];
                if (!series || data.t.length === 0) return;
                var left = +svg.dataset.left, right = +svg.dataset.right, t0 = +svg.dataset.t0, t1 = +svg.dataset.t1;
                var cursor = svg.querySelector('line.cursor');
                function hide() { tip.style.display = 'none'; cursor.setAttribute('visibility', 'hidden'); }
                svg.addEventListener('mousemove', function (ev) {
                  var box = svg.getBoundingClientRect();
                  var x = (ev.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
                  if (x < left || x > right) { hide(); return; }
                  var i = nearest(t0 + (x - left) / (right - left) * (t1 - t0));
                  var cx = left + (data.t[i] - t0) / (t1 - t0) * (right - left);
                  cursor.setAttribute('x1', cx); cursor.setAttribute('x2', cx); cursor.setAttribute('visibility', 'visible');
                  tip.textContent = '';
                  var head = document.createElement('b'); head.textContent = data.t[i].toFixed(3) + ' s'; tip.appendChild(head);
                  series.forEach(function (s) {
                    if (s.v[i] === null) return;
                    var line = document.createElement('div');
                    var sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = s.color;
                    line.appendChild(sw); line.appendChild(document.createTextNode(s.label + ': ' + s.v[i] + ' ' + s.unit));
                    tip.appendChild(line);
                  });
                  tip.style.left = (ev.pageX + 14) + 'px'; tip.style.top = (ev.pageY + 14) + 'px'; tip.style.display = 'block';
                });
                svg.addEventListener('mouseleave', hide);
              });
            })();
            """;
}
