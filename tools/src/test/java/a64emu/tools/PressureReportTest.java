package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code run --report FILE}: the phone scenario (guest/programs/bin/android_like on its machine,
 * expected/android_like.options) run once with a report, whose HTML is then read as a browser's
 * parser and an XML parser would: every chart is well-formed SVG with the series it promises,
 * the samples are many, each kill is a marker after which its victim's lines end, and procrank's
 * table has procrank's header.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PressureReportTest {
    static final String SVG_NS = "http://www.w3.org/2000/svg";
    /** procrank's header with swap and zram (libsmapinfo print_header). */
    static final String PROCRANK_HEADER =
            "  PID       Vss      Rss      Pss      Uss     Swap    PSwap    USwap    ZSwap  cmdline";
    private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);

    @TempDir
    static Path dir;
    static Path report;
    static GuestPrograms.Run run;
    static String html;
    /** Each chart's root element, by id. */
    static Map<String, Element> charts;

    @BeforeAll
    static void runThePhoneWithAReport() throws IOException {
        report = dir.resolve("android_like.html");
        List<String> args = new ArrayList<>(List.of("run", "--report", report.toString(), "--report-interval=10"));
        args.addAll(GuestPrograms.options("android_like"));
        args.add(GuestPrograms.binary("android_like").toString());
        run = GuestPrograms.cli(args.toArray(String[]::new));
        html = Files.readString(report, StandardCharsets.UTF_8);
        charts = svgCharts(html);
    }

    /** Every {@code <svg>} of the page, parsed as XML on its own: the parse fails on any malformed one. */
    static Map<String, Element> svgCharts(String page) {
        Map<String, Element> out = new LinkedHashMap<>();
        Matcher m = SVG.matcher(page);
        while (m.find()) {
            Element root = parseXml(m.group()).getDocumentElement();
            assertEquals("svg", root.getLocalName());
            assertEquals(SVG_NS, root.getNamespaceURI());
            out.put(root.getAttribute("id"), root);
        }
        return out;
    }

    static Document parseXml(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n"
                    + xml.substring(0, Math.min(400, xml.length())), e);
        }
    }

    /** data-series to its element, of the drawn series of a chart. */
    static Map<String, Element> series(Element chart) {
        Map<String, Element> out = new LinkedHashMap<>();
        NodeList paths = chart.getElementsByTagNameNS(SVG_NS, "path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element p = (Element) paths.item(i);
            if (p.hasAttribute("data-series")) out.put(p.getAttribute("data-series"), p);
        }
        return out;
    }

    /** The kill markers of a chart: victim pid to the time of its kill, in seconds. */
    static Map<Integer, Double> killMarkers(Element chart) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        NodeList groups = chart.getElementsByTagNameNS(SVG_NS, "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").startsWith("kill")) {
                out.put(Integer.parseInt(g.getAttribute("data-pid")), Double.parseDouble(g.getAttribute("data-time")));
            }
        }
        return out;
    }

    /** The text of a {@code <pre>} of the page by id, its entities decoded. */
    static List<String> pre(String page, String id) {
        Matcher m = Pattern.compile("<pre class=\"[a-z]+\" id=\"" + id + "\">(.*?)</pre>", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "the page has <pre id=\"" + id + "\">");
        String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return GuestPrograms.lines(text);
    }

    @Test
    void theGuestRunsAsWithoutTheReport() {
        assertEquals(GuestPrograms.expectedStatus("android_like"), run.status(), run.stderr());
        assertEquals(GuestPrograms.expectedLines("android_like", ".stdout"), GuestPrograms.lines(run.out()));
    }

    @Test
    void everyChartIsWellFormedSvgWithTheSeriesItNames() {
        assertEquals(List.of("memory", "processes", "zram", "psi"), List.copyOf(charts.keySet()));
        assertTrue(series(charts.get("memory")).keySet().containsAll(List.of("anon-active", "anon-inactive", "file",
                "zram-pool", "page-tables", "other-kernel", "free")), series(charts.get("memory")).keySet().toString());
        assertTrue(series(charts.get("zram")).keySet().containsAll(List.of("zram-orig", "zram-compr", "zram-mem-used",
                "swap-used")), series(charts.get("zram")).keySet().toString());
        assertTrue(series(charts.get("psi")).keySet().containsAll(List.of("psi-some-avg10", "psi-full-avg10",
                "psi-some-1s", "psi-full-1s")), series(charts.get("psi")).keySet().toString());
        // Each app has its RSS and swap lines, labelled with its name (argv[0], as procrank shows it).
        List<String> labels = new ArrayList<>();
        for (Element e : series(charts.get("processes")).values()) labels.add(e.getAttribute("data-label"));
        for (String app : List.of("com.keyboard", "com.music", "com.mail", "com.chat", "com.news", "com.browser",
                "com.game")) {
            assertTrue(labels.contains(app + " RSS") && labels.contains(app + " swap"), app + " in " + labels);
        }
    }

    @Test
    void samplesAreTakenEveryFewMillisecondsOfGuestTime() {
        int samples = Integer.parseInt(charts.get("memory").getAttribute("data-samples"));
        double seconds = Double.parseDouble(charts.get("memory").getAttribute("data-t1"))
                - Double.parseDouble(charts.get("memory").getAttribute("data-t0"));
        // One every 10 ms, give or take a time slice (the sampler sees the clock between slices),
        // plus those taken at the kills and at the end.
        assertTrue(samples > 100, samples + " samples");
        assertTrue(samples >= seconds * 1000 / 10 / 2, samples + " samples in " + seconds + " s");
    }

    @Test
    void eachKillIsAMarkerAfterWhichItsVictimsLinesEnd() {
        Map<Integer, Double> kills = killMarkers(charts.get("memory"));
        assertEquals(3, kills.size(), "the three cached apps: " + kills);
        assertEquals(kills, killMarkers(charts.get("processes")));
        Map<String, Element> lines = series(charts.get("processes"));
        double end = Double.parseDouble(charts.get("processes").getAttribute("data-t1"));
        Map<String, Integer> victims = new HashMap<>();
        for (Map.Entry<Integer, Double> k : kills.entrySet()) {
            Element rss = lines.get("rss:" + k.getKey());
            assertNotNull(rss, "the victim " + k.getKey() + " has a line");
            double last = Double.parseDouble(rss.getAttribute("data-last"));
            assertTrue(last <= k.getValue() + 1e-6, rss.getAttribute("data-label") + " ends at " + last
                    + " s, after its kill at " + k.getValue() + " s");
            assertTrue(end > k.getValue(), "the run goes on after the kill at " + k.getValue());
            victims.put(rss.getAttribute("data-label").replace(" RSS", ""), k.getKey());
        }
        assertEquals(List.of("com.chat", "com.news", "com.browser"), victims.entrySet().stream()
                .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList());
    }

    @Test
    void theEventsTableHasEachKillWithItsLogLine() {
        Matcher m = Pattern.compile("<tr class=\"kill\" data-kind=\"(LMK|OOM)_KILL\" data-pid=\"(\\d+)\" "
                + "data-time=\"([0-9.]+)\"><td>[0-9.]+</td><td>[^<]+</td><td><code>([^<]*)</code>").matcher(html);
        List<String> lines = new ArrayList<>();
        while (m.find()) {
            String log = m.group(4).replace("&#39;", "'");
            assertTrue(log.matches("\\[ *\\d+\\.\\d{6}\\] (Kill '[^']+' \\(" + m.group(2) + "\\).*"
                    + "|Out of memory: Killed process " + m.group(2) + " .*)"), log);
            lines.add(log);
        }
        assertEquals(3, lines.size(), "one row per kill: " + lines);
        assertTrue(html.contains("<tr class=\"reclaim\" data-kind=\"KSWAPD_RECLAIM\""), "kswapd's bursts are events");
    }

    @Test
    void procrankAtTheEndHasProcranksLayoutAndTheSurvivors() {
        List<String> procrank = pre(html, "procrank-end");
        assertEquals(PROCRANK_HEADER, procrank.get(0));
        List<String> rows = procrank.subList(1, procrank.indexOf(procrank.stream()
                .filter(l -> l.trim().startsWith("------")).findFirst().orElseThrow()));
        for (String row : rows) {
            assertTrue(row.matches(" {0,4}\\d{1,5}  [ \\d]{7}K  [ \\d]{6}K  [ \\d]{6}K  [ \\d]{6}K  ( *\\d+K  ){4}\\S.*"), row);
        }
        List<String> names = rows.stream().map(r -> r.substring(r.lastIndexOf("K  ") + 3)).toList();
        assertTrue(names.containsAll(List.of("com.keyboard", "com.music", "com.mail")), names.toString());
        assertFalse(names.contains("com.chat"), "a killed app is gone at the end: " + names);
        assertTrue(procrank.stream().anyMatch(l -> l.endsWith("TOTAL")), procrank.toString());
        assertTrue(procrank.stream().anyMatch(l -> l.matches("ZRAM: \\d+K physical used for \\d+K in swap \\(\\d+K total swap\\)")),
                procrank.toString());
        assertTrue(procrank.stream().anyMatch(l -> l.matches(" RAM: \\d+K total, \\d+K free, \\d+K buffers, \\d+K cached, "
                + "\\d+K shmem, \\d+K slab")), procrank.toString());
        List<String> dumpsys = pre(html, "dumpsys-end");
        assertTrue(dumpsys.get(0).matches("Total RAM: [\\d,]+K"), dumpsys.toString());
        assertTrue(dumpsys.get(1).matches(" Free RAM: [\\d,]+K \\([\\d,]+K cached pss \\+ [\\d,]+K cached kernel \\+ [\\d,]+K free\\)"),
                dumpsys.toString());
        assertTrue(dumpsys.get(2).matches(" Used RAM: [\\d,]+K \\([\\d,]+K used pss \\+ [\\d,]+K kernel\\)"), dumpsys.toString());
        assertTrue(dumpsys.get(3).matches(" Lost RAM: -?[\\d,]+K"), dumpsys.toString());
        assertTrue(dumpsys.get(4).matches("     ZRAM: [\\d,]+K physical used for [\\d,]+K in swap \\([\\d,]+K total swap\\)"),
                dumpsys.toString());
    }

    @Test
    void thePageNeedsNothingFromTheNetwork() {
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertFalse(html.contains("<script src") || html.contains("<link") || html.contains("<img")
                || html.contains("@import"), "no external resources");
        assertFalse(html.replace(SVG_NS, "").matches("(?s).*https?://.*"), "no address but the SVG namespace");
    }

    /**
     * The page as a browser draws it: Debian's chromium, headless, takes a screenshot, in which
     * the memory chart's anonymous and free areas are there in their colours. Skipped where
     * chromium is not installed; CI installs it (.ci/run).
     */
    @Test
    void aHeadlessChromiumDrawsTheCharts() throws IOException, InterruptedException {
        String chromium = onPath("chromium", "chromium-browser", "google-chrome");
        Assumptions.assumeTrue(chromium != null,
                "chromium is not installed (Debian: apt-get install chromium); .ci/run installs it for CI");
        Path png = dir.resolve("android_like.png");
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1400,2400",
                report.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium took more than two minutes");
        assertTrue(Files.exists(png), "no screenshot; chromium said:\n" + Files.readString(dir.resolve("chromium.log")));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1400, image.getWidth());
        assertEquals(2400, image.getHeight());
        Map<Integer, Integer> colours = new HashMap<>();
        int white = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.merge(rgb, 1, Integer::sum);
                if (rgb == 0xFFFFFF) white++;
            }
        }
        assertTrue(white < image.getWidth() * image.getHeight() * 0.9, "mostly blank: " + white + " white pixels");
        // The memory chart's areas, in the colours HtmlReport gives the layers.
        assertTrue(colours.getOrDefault(0xEBA39B, 0) > 5000, "anon inactive area: " + colours.get(0xEBA39B));
        assertTrue(colours.getOrDefault(0xD4EFDF, 0) > 5000, "free area: " + colours.get(0xD4EFDF));
    }

    /** The first of {@code names} found in a PATH directory, or null. */
    static String onPath(String... names) {
        for (String name : names) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (!d.isEmpty() && Files.isExecutable(p)) return p.toString();
            }
        }
        return null;
    }
}
