package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory-pressure guest programs (guest/programs/src/mp_*.c) print, case by
 * case, what Linux 6.1 would print on the machine of their a64emu options: an
 * anonymous working set three times the RAM swapped to zram and read back,
 * zram's same-filled and huge pages, a file larger than RAM, MADV_PAGEOUT and
 * mincore, swap entries shared across fork, mlock under pressure, access-flag
 * aging of hot and cold sets, swappiness 0 and 200, MADV_FREE and MADV_COLD.
 *
 * <p>No oracle can run them (they need little RAM and a zram0 swap device), so
 * their expected output is reasoned: written by hand from the kernel source,
 * every check citing the kernel function that makes its line so (the oracles
 * file calls them "reasoned"). Every line is a yes/no, or a count Linux makes
 * exact, so the output does not depend on timing. Each run (a program with
 * the options of expected/RUN.options) is run once per test class.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemoryPressureProgramsTest {

    private static final Map<String, GuestPrograms.Run> RUNS = new ConcurrentHashMap<>();

    /** A citation of the kernel source in a program's comments: mm/vmscan.c:get_scan_count. */
    private static final Pattern CITATION =
            Pattern.compile("\\b(?:mm|fs|drivers|arch|kernel|include)/[\\w/]+\\.[ch]:\\w+");

    /** Every run of every reasoned program: NAME, and NAME.VARIANT for the same binary on another machine. */
    static List<String> runs() {
        return pressurePrograms().stream().flatMap(n -> GuestPrograms.runsOf(n).stream()).toList();
    }

    /** The reasoned programs but those of a64emu's own limits, which RunLimitsCommandTest runs. */
    static List<String> pressurePrograms() {
        return GuestPrograms.reasoned().stream().filter(n -> !GuestPrograms.isLimitProgram(n)).toList();
    }

    private static GuestPrograms.Run run(String run) {
        return RUNS.computeIfAbsent(run, GuestPrograms::run);
    }

    private static List<String> expected(String run) {
        return GuestPrograms.expectedLines(run, ".stdout");
    }

    private static String source(String name) {
        try {
            return Files.readString(GuestPrograms.DIR.resolve("src").resolve(name + ".c"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theProgramsTheTaskAsksForAreReasonedPrograms() {
        assertTrue(GuestPrograms.reasoned().containsAll(List.of("mp_anon_swap", "mp_same_filled",
                "mp_file_larger_than_ram", "mp_pageout_mincore", "mp_fork_swap", "mp_mlock", "mp_hot_cold",
                "mp_swappiness")), "oracles names as reasoned: " + GuestPrograms.reasoned());
    }

    @Test
    void everyRunHasItsBinaryOptionsAndHandWrittenExpectedOutput() {
        for (String run : runs()) {
            String name = GuestPrograms.programOf(run);
            assertTrue(Files.exists(GuestPrograms.DIR.resolve("src").resolve(name + ".c")), name + ".c");
            assertTrue(Files.exists(GuestPrograms.binary(name)), "bin/" + name);
            Path stdout = GuestPrograms.EXPECTED.resolve(run + ".stdout");
            assertTrue(Files.exists(stdout), "expected/" + run + ".stdout");
            assertTrue(Files.exists(GuestPrograms.EXPECTED.resolve(run + ".status")), "expected/" + run + ".status");
            assertTrue(GuestPrograms.options(run).stream().anyMatch(o -> o.startsWith("--ram")),
                    "expected/" + run + ".options sets the machine's RAM: " + GuestPrograms.options(run));
            assertTrue(expected(run).size() >= 5, run + " has at least five cases");
        }
    }

    /** The expected output stands on the kernel source: each program cites it beside its checks. */
    @Test
    void everyProgramCitesTheKernelFunctionsItsLinesFollowFrom() {
        for (String name : pressurePrograms()) {
            Matcher m = CITATION.matcher(source(name));
            int citations = 0;
            while (m.find()) citations++;
            assertTrue(citations >= 2, name + ".c cites the kernel source " + citations + " times");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void printsEveryCaseAsLinuxWould(String name) {
        GuestPrograms.Run run = run(name);
        List<String> differences = GuestPrograms.differences(expected(name), GuestPrograms.lines(run.out()),
                "linux:  ");
        int status = GuestPrograms.expectedStatus(name);
        if (!differences.isEmpty() || status != run.status()) {
            fail(name + " (a64emu " + String.join(" ", GuestPrograms.options(name)) + "): " + differences.size()
                    + " of " + GuestPrograms.byLabel(expected(name)).size() + " cases differ from Linux 6.1; exit status "
                    + run.status() + ", expected " + status + "\n" + String.join("\n", differences) + "\nstderr:\n"
                    + run.stderr());
        }
        assertEquals(expected(name), GuestPrograms.lines(run.out()), name + ": the cases in the expected order");
        assertEquals(new String(GuestPrograms.expectedBytes(name, ".stderr"), StandardCharsets.UTF_8),
                run.guestStderr(), name + " stderr");
    }

    /** The same program at swappiness 0 and 200: what reclaim takes turns from the page cache to swap. */
    @Test
    void swappinessZeroReclaimsTheFileAndTwoHundredTheAnonymousMemory() {
        assertTrue(GuestPrograms.runsOf("mp_swappiness").contains("mp_swappiness.swappiness200"));
        assertTrue(GuestPrograms.options("mp_swappiness").contains("--swappiness=0"));
        assertTrue(GuestPrograms.options("mp_swappiness.swappiness200").contains("--swappiness=200"));
        assertTrue(expected("mp_swappiness").containsAll(List.of("vm.swappiness: 0",
                "rounds: pswpout moved: no", "rounds: reclaimed more: file pages")));
        assertTrue(expected("mp_swappiness.swappiness200").containsAll(List.of("vm.swappiness: 200",
                "rounds: pswpout moved: yes", "rounds: reclaimed more: anonymous pages")));
        assertEquals(expected("mp_swappiness"), GuestPrograms.lines(run("mp_swappiness").out()),
                run("mp_swappiness").stderr());
        assertEquals(expected("mp_swappiness.swappiness200"),
                GuestPrograms.lines(run("mp_swappiness.swappiness200").out()),
                run("mp_swappiness.swappiness200").stderr());
    }

    /** Zero pages reach zram as same-filled pages in 6.1 (no swap zeromap before 6.12). */
    @Test
    void zramStoresZeroAndRepeatedWordPagesAsSameFilledAndRandomOnesRaw() {
        List<String> expected = expected("mp_same_filled");
        assertTrue(expected.containsAll(List.of("same_pages +40", "huge_pages +8, huge_pages_since +8")));
        List<String> actual = GuestPrograms.lines(run("mp_same_filled").out());
        assertTrue(actual.containsAll(List.of("same_pages +40", "huge_pages +8, huge_pages_since +8")),
                "a64emu printed:\n" + String.join("\n", actual));
    }
}
