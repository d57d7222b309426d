package a64emu.mmu.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** {@link MmuVectors}: vector files as JUnit 5 dynamic tests, on a64emu's own files and on small ones. */
class MmuVectorsTest {
    /** a64emu's own vector suite, as the emulator module's TranslationVectorsTest runs it. */
    static final Path EMULATOR_VECTORS = Path.of("..", "emulator", "src", "test", "resources", "a64emu", "mmu",
            "vectors");

    private static final String BASE = """
            setup base
              sctlr m
              tcr   t0sz=16 t1sz=16 tg0=4k tg1=4k ips=48 as=16
              mair  0xff
              ttbr0 0x1000 asid=1
              mem   0x1000: 0x2003
              mem   0x2000: 0x3003
              mem   0x3000: 0x4003
              mem   0x4008: 0x0000_0000_0080_0fc3   # L3[1] AP=11 (EL0 read-only): VA 0x1000 -> PA 0x80_0000
            """;

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheEmulatorsVectorFilesPasses() {
        return MmuVectors.from(EMULATOR_VECTORS);
    }

    @Test
    void oneTestPerCaseNamedAfterItAndPointingAtItsLine() {
        List<TranslationVector> cases = VectorFile.readDirectory(EMULATOR_VECTORS);
        List<DynamicTest> tests = MmuVectors.from(EMULATOR_VECTORS).toList();
        assertEquals(cases.size(), tests.size());
        assertTrue(tests.size() >= 300, "only " + tests.size() + " cases");
        for (int i = 0; i < cases.size(); i++) {
            TranslationVector v = cases.get(i);
            DynamicTest t = tests.get(i);
            assertEquals(v.name(), t.getDisplayName());
            URI source = t.getTestSourceUri().orElseThrow();
            assertTrue(source.toString().endsWith("/" + v.file() + "?line=" + v.line()), source.toString());
        }
    }

    @Test
    void aWrongExpectationFailsWithExpectedAndGotDecoded(@TempDir Path dir) throws IOException {
        Path file = write(dir, "wrong.vectors", BASE + """
                case write-to-read-only-page
                  use base
                  access el0 write 0x1008
                  expect pa=0x80_0008
                """);
        DynamicTest t = single(MmuVectors.from(file));
        assertEquals("write-to-read-only-page", t.getDisplayName());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, t.getExecutable()::execute);
        assertTrue(e.getMessage().startsWith("FAIL write-to-read-only-page (wrong.vectors:"), e.getMessage());
        assertEquals("PA 0x0000000000800008", e.getExpected().getStringRepresentation());
        assertEquals("Data Abort from EL0 (EC 0x24), Permission fault, level 3 (FSC 0x0f), WnR 1, "
                + "FAR 0x0000000000001008", e.getActual().getStringRepresentation());
    }

    @Test
    void aRightExpectationPasses(@TempDir Path dir) throws Throwable {
        Path file = write(dir, "right.vectors", BASE + """
                case read-of-read-only-page
                  use base
                  access el0 read 0x1008
                  expect pa=0x80_0008 attr=0xff sh=inner
                """);
        single(MmuVectors.from(file)).getExecutable().execute();
    }

    @Test
    void aCaseMarkedAsAKnownBugIsSkippedWithItsReason(@TempDir Path dir) throws IOException {
        Path file = write(dir, "bug.vectors", BASE + """
                case known-bug
                  use base
                  access el0 read 0x1008
                  expect pa=0x99_0008
                  bug   an example of a case a64emu is known to get wrong
                """);
        TestAbortedException e = assertThrows(TestAbortedException.class,
                single(MmuVectors.from(file)).getExecutable()::execute);
        assertTrue(e.getMessage().contains("an example of a case a64emu is known to get wrong"), e.getMessage());
    }

    @Test
    void aFileThatDoesNotParseIsOneFailingTestWithFileLineAndColumn(@TempDir Path dir) throws IOException {
        write(dir, "a-good.vectors", BASE + """
                case fine
                  use base
                  access el0 read 0x1008
                  expect pa=0x80_0008
                """);
        write(dir, "b-bad.vectors", "case broken\n  acess el0 read 0x1000\n");
        List<DynamicTest> tests = MmuVectors.from(dir).toList();
        assertEquals(List.of("fine", "b-bad.vectors"), tests.stream().map(DynamicTest::getDisplayName).toList());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, tests.get(1).getExecutable()::execute);
        assertTrue(e.getMessage().startsWith("b-bad.vectors:2:3: found 'acess'"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutVectorFilesIsAnErrorNotAnEmptyPass(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MmuVectors.from(dir));
        assertTrue(e.getMessage().startsWith("no *.vectors files in "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MmuVectors.from(dir.resolve("missing.vectors")));
        assertThrows(IllegalArgumentException.class, () -> MmuVectors.fromClasspath("no/such/dir"));
    }

    @Test
    void theExampleProjectsVectorsAreOnTheClassPath() {
        // examples/mmu-vectors-junit's test resources are this module's too (see pom.xml), and
        // its PageTableVectorsTest runs in this module's test phase.
        List<String> names = MmuVectors.fromClasspath("pagetables").map(DynamicTest::getDisplayName).toList();
        assertEquals(List.of("text-is-executable-at-el0", "text-is-not-writable", "data-is-not-executable",
                "unmapped-page-faults"), names);
    }

    private static DynamicTest single(Stream<DynamicTest> tests) {
        List<DynamicTest> all = tests.toList();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
