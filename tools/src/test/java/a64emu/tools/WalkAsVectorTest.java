package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.loader.ElfSymbols;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import a64emu.mmu.vectors.VectorRunner;
import a64emu.mmu.vectors.VectorRunner.CaseResult;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.DebugSession.Reason;
import a64emu.tools.debug.DebugSession.Resume;
import a64emu.tools.debug.Inspect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code a64emu walk --as-vector}: a translation of a committed guest program captured as a
 * vector case passes when run as a vector, and fails with a readable difference when one bit
 * of a descriptor it captured changes.
 */
class WalkAsVectorTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();
    private static final Pattern MEM = Pattern.compile("(?m)^  mem +(0x[0-9a-f_]+): (0x[0-9a-f_]+)");

    @TempDir
    Path dir;

    /** {@code walk --as-vector ARGS}, which must succeed; returns the printed case. */
    private static String capture(String... args) {
        List<String> all = new ArrayList<>(List.of("walk", "--as-vector"));
        all.addAll(List.of(args));
        GuestPrograms.Run walk = GuestPrograms.cli(all.toArray(String[]::new));
        assertEquals(0, walk.status(), walk.out() + walk.stderr());
        return walk.out();
    }

    private TranslationVector readBack(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        List<TranslationVector> cases = VectorFile.read(file);
        assertEquals(1, cases.size(), text);
        return cases.get(0);
    }

    @Test
    void dataWriteCapturedAtMainPassesAsAVector() throws IOException {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        assertTrue(text.startsWith("# Captured by a64emu walk --as-vector: hello at main (pc 0x400530"), text);
        assertTrue(text.contains("\ncase hello-0x490238-el0-write\n"), text);
        assertTrue(text.contains("\n  access el0 write 0x0000_0000_0049_0238\n"), text);

        // The outcome is the one the plain walk prints, with the leaf's attribute and SH.
        String plain = GuestPrograms.cli("walk", "--at", "main", "--write", HELLO, "_IO_2_1_stdout_").out();
        Matcher pa = Pattern.compile("=> PA 0x0*([0-9a-f]+)").matcher(plain);
        assertTrue(pa.find(), plain);
        assertTrue(text.contains("\n  expect pa=0x" + pa.group(1) + " attr=0xff sh=inner"), text);

        TranslationVector v = readBack("captured.vectors", text);
        CaseResult r = VectorRunner.run(v);
        assertTrue(r.passed(), r.describe() + "\n" + text);
    }

    @Test
    void mmuTestPassesTheCaptureAndFailsItWithOneDescriptorBitChanged() throws IOException {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        Path good = Files.writeString(dir.resolve("good.vectors"), text);
        GuestPrograms.Run pass = GuestPrograms.cli("mmu-test", good.toString());
        assertEquals(0, pass.status(), pass.out() + pass.stderr());
        assertEquals("PASS hello-0x490238-el0-write\n1 passed, 0 failed\n", pass.out());

        Path bad = Files.writeString(dir.resolve("bad.vectors"), changeDescriptor(text, 3, d -> d | Descriptor.RDONLY));
        GuestPrograms.Run fail = GuestPrograms.cli("mmu-test", bad.toString());
        assertEquals(1, fail.status(), fail.out() + fail.stderr());
        assertTrue(fail.out().startsWith("FAIL hello-0x490238-el0-write (" + bad + ":3): expected PA 0x"), fail.out());
        assertTrue(fail.out().contains("; got Data Abort from EL0 (EC 0x24), Permission fault, level 3 (FSC 0x0f), "
                + "WnR 1, FAR 0x0000000000490238\n0 passed, 1 failed\n"), fail.out());
    }

    @Test
    void theCaseHoldsExactlyTheDescriptorsTheWalkRead() {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        String plain = GuestPrograms.cli("walk", "--at", "main", "--write", HELLO, "_IO_2_1_stdout_").out();
        // The plain walk's table: level, table, index, descriptor at, descriptor.
        Matcher row = Pattern.compile("(?m)^L(\\d) +0x\\p{XDigit}+ +\\d+ +0x(\\p{XDigit}+) +0x(\\p{XDigit}+)")
                .matcher(plain);
        List<String> walked = new ArrayList<>();
        while (row.find()) {
            walked.add(Long.parseUnsignedLong(row.group(2), 16) + "=" + Long.parseUnsignedLong(row.group(3), 16));
        }
        List<String> captured = new ArrayList<>();
        Matcher mem = MEM.matcher(text);
        while (mem.find()) {
            captured.add(number(mem.group(1)) + "=" + number(mem.group(2)));
        }
        assertEquals(4, walked.size(), plain);
        assertEquals(walked, captured, text);
    }

    @Test
    void settingAp2InTheLeafFailsWithAPermissionFaultInWords() throws IOException {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        String changed = changeDescriptor(text, 3, d -> d | Descriptor.RDONLY);
        CaseResult r = VectorRunner.run(readBack("ap2.vectors", changed));
        assertFalse(r.passed(), changed);
        String got = r.describe();
        assertTrue(got.startsWith("FAIL hello-0x490238-el0-write (ap2.vectors:3): expected PA 0x"), got);
        assertTrue(got.contains(", attr 0xff (MEM/NORMAL), sh inner; got Data Abort from EL0 (EC 0x24), "
                + "Permission fault, level 3 (FSC 0x0f), WnR 1, FAR 0x0000000000490238"), got);
    }

    @Test
    void clearingTheValidBitOfTheLevel2TableFailsWithATranslationFaultAtLevel2() throws IOException {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        String changed = changeDescriptor(text, 2, d -> d & ~Descriptor.VALID);
        CaseResult r = VectorRunner.run(readBack("valid.vectors", changed));
        assertFalse(r.passed());
        assertTrue(r.observedText().startsWith("Data Abort from EL0 (EC 0x24), Translation fault, level 2 (FSC 0x06)"),
                r.describe());
    }

    @Test
    void changingTheLeafsOutputAddressFailsWithBothAddresses() throws IOException {
        String text = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        String changed = changeDescriptor(text, 3, d -> d ^ (1L << 20));
        CaseResult r = VectorRunner.run(readBack("pa.vectors", changed));
        assertFalse(r.passed());
        long expected = Long.parseUnsignedLong(r.expectedText().replaceAll("^PA 0x(\\p{XDigit}+).*", "$1"), 16);
        long got = Long.parseUnsignedLong(r.observedText().replaceAll("^PA 0x(\\p{XDigit}+).*", "$1"), 16);
        assertEquals(1L << 20, expected ^ got, r.describe());
    }

    @Test
    void aFaultIsCapturedAsItsExpectAndPasses() throws IOException {
        // Executing data: the leaf has UXN, an instruction abort from EL0 at level 3.
        String exec = capture("--at", "main", "--exec", HELLO, "_IO_2_1_stdout_");
        assertTrue(exec.contains("\n  expect fault ec=0x20 fsc=0x0f wnr=0 far=0x490238"), exec);
        CaseResult r = VectorRunner.run(readBack("exec.vectors", exec));
        assertTrue(r.passed(), r.describe());

        // The null page: a Translation fault where the tables end.
        String nul = capture("--at", "main", HELLO, "0x0");
        assertTrue(nul.contains("\n  expect fault ec=0x24 fsc=0x06 wnr=0 far=0x0"), nul);
        assertEquals(3, countMatches(MEM, nul), "L0, L1 and the invalid L2 entry:\n" + nul);
        r = VectorRunner.run(readBack("null.vectors", nul));
        assertTrue(r.passed(), r.describe());
    }

    @Test
    void aStackAddressAtExitPassesAsAnEl1Read() throws IOException {
        String dump = GuestPrograms.cli("ptdump", HELLO).out();
        Matcher stack = Pattern.compile("(?m)^0x(\\p{XDigit}{16})-0x(\\p{XDigit}{16}) .*\\[stack\\]$").matcher(dump);
        assertTrue(stack.find(), dump);
        long top = Long.parseUnsignedLong(stack.group(2), 16);
        String text = capture("--el1", HELLO, String.format("0x%x", top - 0x18));
        assertTrue(text.contains(String.format("%n  access el1 read 0x%s%n", underscored(top - 0x18))), text);
        CaseResult r = VectorRunner.run(readBack("stack.vectors", text));
        assertTrue(r.passed(), r.describe() + "\n" + text);
    }

    @Test
    void theDebuggersWalkAsVectorGivesTheSameCaseAtABreakpoint() throws Exception {
        long main = ElfSymbols.read(Files.readAllBytes(Path.of(HELLO))).find("main").orElseThrow().value();
        long data = ElfSymbols.read(Files.readAllBytes(Path.of(HELLO))).find("_IO_2_1_stdout_").orElseThrow().value();
        Kernel kernel = new Kernel(KernelConfig.defaults().withStreams(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        String[] text = new String[1];
        DebugSession[] session = new DebugSession[1];
        session[0] = new DebugSession(kernel, stop -> {
            if (stop.reason() == Reason.BREAKPOINT && text[0] == null) {
                text[0] = Inspect.walkAsVector(session[0], stop.thread().process, data, AccessType.WRITE);
            }
            return Resume.proceed();
        }, null);
        session[0].addBreakpoint(main);
        assertEquals(0, kernel.run(Path.of(HELLO), List.of(HELLO), List.of()));
        assertNotNull(text[0], "never stopped at main");
        assertTrue(text[0].startsWith("# Captured by the a64emu debugger: hello, pid "), text[0]);
        CaseResult r = VectorRunner.run(readBack("debugger.vectors", text[0]));
        assertTrue(r.passed(), r.describe() + "\n" + text[0]);
        // Same registers, descriptors, access and outcome as a64emu walk --as-vector at main.
        String cli = capture("--at", "main", "--write", HELLO, "_IO_2_1_stdout_");
        assertEquals(body(cli), body(text[0]));
    }

    /** The case without its comment lines. */
    private static String body(String text) {
        return text.substring(text.indexOf("\ncase ") + 1);
    }

    /** {@code text} with the descriptor at {@code level} (the level-th mem line, from 0) changed. */
    private static String changeDescriptor(String text, int level, LongUnaryOperator change) {
        Matcher m = MEM.matcher(text);
        for (int i = 0; i <= level; i++) {
            assertTrue(m.find(), "no level " + level + " descriptor:\n" + text);
        }
        long changed = change.applyAsLong(number(m.group(2)));
        return text.substring(0, m.start(2)) + String.format("0x%016x", changed) + text.substring(m.end(2));
    }

    private static long number(String hex) {
        return Long.parseUnsignedLong(hex.substring(2).replace("_", ""), 16);
    }

    private static String underscored(long v) {
        String h = String.format("%016x", v);
        return h.substring(0, 4) + "_" + h.substring(4, 8) + "_" + h.substring(8, 12) + "_" + h.substring(12);
    }

    private static int countMatches(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
