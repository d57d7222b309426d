package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import a64emu.mmu.vectors.VectorRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code a64emu mmu-test}: the vector runner as a command, on the suite's files and on small ones. */
class MmuTestCommandTest {
    static final Path VECTORS = Path.of("..", "emulator", "src", "test", "resources", "a64emu", "mmu", "vectors");

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new A64emu(new ByteArrayInputStream(new byte[0]), out, err, List.of()).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String BASE = """
            # one 4K page: VA 0x4000_1000 -> PA 0x80_1000, tables at 0x1000..0x4000
            setup base
              sctlr m
              tcr   t0sz=16 t1sz=16 tg0=4k tg1=4k ips=48 as=16
              mair  0xff
              ttbr0 0x1000
              mem   0x1000: 0x2003              # L0[0] -> L1 table
              mem   0x2008: 0x3003              # L1[1] -> L2 table
              mem   0x3000: 0x4003              # L2[0] -> L3 table
              mem   0x4008: 0x0000_0000_0080_1743   # L3[1] page, AF, inner, AP=01 (EL0 RW)

            """;

    private static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void suiteFilesPassThroughTheCommandAsInTheTestSuite() {
        List<TranslationVector> cases = VectorFile.readDirectory(VECTORS);
        long runnable = cases.stream().filter(v -> v.knownBug() == null).count();
        assertEquals(runnable, cases.stream().filter(v -> v.knownBug() == null)
                .filter(v -> VectorRunner.run(v).passed()).count());
        Run r = run("mmu-test", VECTORS.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(cases.size(), r.out().lines().filter(l -> l.startsWith("PASS ") || l.startsWith("SKIP ")).count());
        assertTrue(r.out().contains(runnable + " passed, 0 failed"), r.out());
    }

    @Test
    void wrongExpectationFailsWithBothOutcomesDecoded(@TempDir Path dir) throws IOException {
        Path f = write(dir, "wrong.vectors", BASE + """
                case el0-write-said-to-fault
                  use base
                  access el0 write 0x4000_1008
                  expect fault ec=0x24 fsc=0x0f wnr=1 far=0x4000_1008
                case el0-read-right
                  use base
                  access el0 read 0x4000_1010
                  expect pa=0x80_1010 attr=0xff sh=inner
                """);
        Run r = run("mmu-test", f.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("FAIL el0-write-said-to-fault (" + f + ":12): expected Data Abort from EL0 (EC 0x24),"
                + " Permission fault, level 3 (FSC 0x0f), WnR 1, FAR 0x0000000040001008; got PA 0x0000000000801008,"
                + " attr 0xff (MEM/NORMAL), sh inner"), r.out());
        assertTrue(r.out().contains("PASS el0-read-right"), r.out());
        assertTrue(r.out().contains("1 passed, 1 failed"), r.out());
    }

    @Test
    void parseErrorIsStatusTwoWithFileLineColumn(@TempDir Path dir) throws IOException {
        Path f = write(dir, "bad.vectors", "case a\n  acess el0 read 0\n");
        Run r = run("mmu-test", f.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("a64emu mmu-test: " + f + ":2:3: found 'acess', expected directive setup, case,"),
                r.err());
    }

    @Test
    void filterRunsOnlyMatchingCases() {
        Run r = run("mmu-test", "--filter", "*asid*", VECTORS.toString());
        assertEquals(0, r.status(), r.out());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("PASS ")).toList();
        assertFalse(lines.isEmpty());
        assertTrue(lines.stream().allMatch(l -> l.contains("asid")), lines.toString());
        assertTrue(r.out().contains(lines.size() + " passed, 0 failed"), r.out());
    }

    @Test
    void updateWritesMissingExpectsAndForceRewritesWrongOnes(@TempDir Path dir) throws IOException {
        String text = BASE + """
                case no-expect-yet
                  use base
                  access el0 read 0x4000_1020     # the read
                  access el0 exec 0x4000_1000
                case wrong-expect
                  use base
                  access el1 read 0x4000_1000
                  expect pa=0x99_0000   # a guess
                """;
        Path f = write(dir, "u.vectors", text);
        Run before = run("mmu-test", f.toString());
        assertEquals(1, before.status());
        assertTrue(before.out().contains("expected no expect; got PA 0x0000000000801020"), before.out());

        Run update = run("mmu-test", "--update", f.toString());
        assertEquals(1, update.status(), update.out()); // wrong-expect is not touched without --force
        String updated = Files.readString(f);
        assertEquals(text.replace("""
                  access el0 read 0x4000_1020     # the read
                """, """
                  access el0 read 0x4000_1020     # the read
                  expect pa=0x801020 attr=0xff sh=inner
                """).replace("""
                  access el0 exec 0x4000_1000
                """, """
                  access el0 exec 0x4000_1000
                  expect pa=0x801000 attr=0xff sh=inner
                """), updated);

        Run forced = run("mmu-test", "--update", "--force", f.toString());
        assertEquals(0, forced.status(), forced.out());
        assertTrue(Files.readString(f).contains("  expect pa=0x801000 attr=0xff sh=inner   # a guess\n"),
                Files.readString(f));
        assertEquals(0, run("mmu-test", f.toString()).status());
    }

    @Test
    void coverageNamesWhatTheSuiteNeverTouches() {
        Run r = run("mmu-test", "--coverage", VECTORS.toString());
        assertEquals(0, r.status());
        String never = r.out().substring(r.out().indexOf("Never exercised"));
        // a64emu implements the 4K granule only, and no vector uses SH=01.
        assertTrue(never.contains("TTBR0 16K granule"), never);
        assertTrue(never.contains("TTBR0 64K granule"), never);
        assertTrue(never.contains("leaf SH=01 (reserved)"), never);
        assertTrue(r.out().contains("Permission fault") || r.out().contains("Permission"), r.out());
        assertTrue(r.out().contains("Leaf permissions"), r.out());
    }

    @Test
    void coverageCountsTlbiOperations(@TempDir Path dir) throws IOException {
        Path f = write(dir, "t.vectors", BASE + """
                case stale-entry-gone-after-tlbi
                  use base
                  access el0 read 0x4000_1000
                  expect pa=0x80_1000
                  mem   0x4008: 0x0000_0000_0090_1743
                  tlbi  vae1 va=0x4000_1000 asid=0
                  access el0 read 0x4000_1000
                  expect pa=0x90_1000
                """);
        Run r = run("mmu-test", "--coverage", f.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("  vae1:1"), r.out());
        assertTrue(r.out().contains("  tlbi vmalle1\n"), r.out());
    }

    @Test
    void junitXmlIsReadBackBySurefiresOwnParser(@TempDir Path dir) throws Exception {
        Path f = write(dir, "j.vectors", BASE + """
                case passes
                  use base
                  access el1 read 0x4000_1000
                  expect pa=0x80_1000
                case fails
                  use base
                  access el1 read 0x4000_1000
                  expect pa=0x80_2000
                case known
                  use base
                  access el1 read 0x4000_1000
                  expect pa=0x80_1000
                  bug   an example of a known disagreement
                """);
        Path xml = dir.resolve("reports/TEST-mmu.xml");
        Run r = run("mmu-test", "--junit-xml", xml.toString(), f.toString());
        assertEquals(1, r.status(), r.out());
        TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
        List<ReportTestSuite> suites = parser.parse(xml.toString());
        assertTrue(parser.isValid());
        assertEquals(1, suites.size());
        ReportTestSuite s = suites.get(0);
        assertEquals(3, s.getNumberOfTests());
        assertEquals(1, s.getNumberOfFailures());
        assertEquals(0, s.getNumberOfErrors());
        assertEquals(1, s.getNumberOfSkipped());
        List<ReportTestCase> cases = s.getTestCases();
        assertEquals(List.of("passes", "fails", "known"), cases.stream().map(ReportTestCase::getName).toList());
        assertEquals(f.toString(), cases.get(0).getFullClassName());
        assertTrue(cases.get(0).isSuccessful());
        assertTrue(cases.get(1).hasFailure());
        assertTrue(cases.get(1).getFailureMessage().contains("expected PA 0x0000000000802000; got PA 0x0000000000801000"),
                cases.get(1).getFailureMessage());
        assertTrue(cases.get(2).hasSkipped());
        assertNull(cases.get(0).getFailureMessage());
    }

    @Test
    void oracleUnicornCrossChecksTheCasesItCanRun(@TempDir Path dir) throws IOException {
        try {
            a64emu.tools.mmutest.UnicornVectorCheck.probe();
        } catch (LinkageError | RuntimeException e) {
            org.junit.jupiter.api.Assumptions.abort("Unicorn cannot load here: " + e);
        }
        Path f = write(dir, "o.vectors", BASE + """
                case el0-read
                  use base
                  access el0 read 0x4000_1010
                  expect pa=0x80_1010
                case el0-unmapped-read
                  use base
                  access el0 read 0x4000_5000
                  expect fault ec=0x24 fsc=0x07 wnr=0 far=0x4000_5000
                case el0-exec
                  use base
                  access el0 exec 0x4000_1000
                  expect pa=0x80_1000
                """);
        Run r = run("mmu-test", "--oracle", "unicorn", f.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("unicorn: 2 agree, 0 disagree, 1 left out"), r.out());
        assertTrue(r.out().contains("1 left out: instruction fetch (QEMU 2.2 XN decoding)"), r.out());
        assertEquals(2, run("mmu-test", "--oracle", "qemu", f.toString()).status());
    }
}
