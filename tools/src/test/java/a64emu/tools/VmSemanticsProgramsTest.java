package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issue-5 guest programs (virtual memory, faults, processes, threads,
 * signals, /proc) print, case by case, what the Linux kernel printed for them.
 *
 * <p>Each program's expected output was recorded by {@code guest/programs/build.sh
 * --expected} from the oracle named in {@code guest/programs/oracles}: the same C
 * source built natively and run on this machine's real kernel for
 * architecture-neutral programs, qemu-aarch64 only for AArch64-specific ones.
 * Every printed line is one case and is independent of addresses, pids and
 * timing, so a difference names the case that a64emu gets wrong. The programs
 * the oracles file calls "reasoned" (no oracle can run them) are
 * {@link MemoryPressureProgramsTest}'s.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VmSemanticsProgramsTest {

    /** Each program is run once per test class; several tests read the same run. */
    private static final Map<String, GuestPrograms.Run> RUNS = new ConcurrentHashMap<>();

    /** NAME to "native" or "qemu": the programs an oracle recorded, in the order of the oracles file. */
    static Map<String, String> oracles() {
        Map<String, String> recorded = new LinkedHashMap<>();
        GuestPrograms.oracles().forEach((name, oracle) -> {
            // The dynamically linked programs (dyn_*) test the loader, not these semantics:
            // GuestProgramsTest and DynamicProgramsTest run them.
            if (!oracle.equals(GuestPrograms.REASONED) && !name.startsWith("dyn_")) recorded.put(name, oracle);
        });
        return recorded;
    }

    static List<String> programs() {
        return List.copyOf(oracles().keySet());
    }

    private static GuestPrograms.Run run(String name) {
        return RUNS.computeIfAbsent(name, GuestPrograms::run);
    }

    private static List<String> expectedCases(String name) {
        return GuestPrograms.expectedLines(name, ".stdout");
    }

    private static List<String> lines(String text) {
        return GuestPrograms.lines(text);
    }

    /** Every line of the oracles file names one of the three oracles. */
    @Test
    void everyOracleIsNativeQemuOrReasoned() {
        GuestPrograms.oracles().forEach((name, oracle) -> assertTrue(
                List.of("native", "qemu", GuestPrograms.REASONED).contains(oracle), name + ": oracle " + oracle));
    }

    @Test
    void everyProgramHasItsSourceBinaryAndRecordedReference() {
        for (var e : oracles().entrySet()) {
            String name = e.getKey();
            assertTrue(e.getValue().equals("native") || e.getValue().equals("qemu"), name + ": oracle " + e.getValue());
            assertTrue(Files.exists(GuestPrograms.DIR.resolve("src").resolve(name + ".c")), name + ".c");
            assertTrue(Files.exists(GuestPrograms.binary(name)), "bin/" + name);
            assertTrue(Files.exists(GuestPrograms.EXPECTED.resolve(name + ".status")), "expected/" + name + ".status");
            assertTrue(expectedCases(name).size() >= 10, name + " has at least ten cases");
        }
    }

    @Test
    void theProgramsCoverAtLeastSixtyCasesAcrossSeveralPrograms() {
        int cases = programs().stream().mapToInt(n -> expectedCases(n).size()).sum();
        assertTrue(programs().size() >= 5, "programs: " + programs());
        assertTrue(cases >= 60, cases + " cases");
    }

    /** qemu-aarch64 is not exact for memory management: only AArch64-specific programs may use it. */
    @Test
    void onlyArchitectureSpecificProgramsTakeTheirReferenceFromQemu() throws IOException {
        for (var e : oracles().entrySet()) {
            String source = Files.readString(GuestPrograms.DIR.resolve("src").resolve(e.getKey() + ".c"));
            boolean aarch64Only = source.contains("#ifndef __aarch64__");
            assertEquals(aarch64Only ? "qemu" : "native", e.getValue(), e.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void printsEveryCaseAsTheLinuxKernelDid(String name) {
        GuestPrograms.Run run = run(name);
        String reference = oracles().get(name).equals("native") ? "linux:  " : "qemu:   ";
        List<String> differences = GuestPrograms.differences(expectedCases(name), lines(run.out()), reference);
        int status = GuestPrograms.expectedStatus(name);
        if (!differences.isEmpty() || status != run.status()) {
            fail(name + " (" + oracles().get(name) + " reference): " + differences.size() + " of "
                    + GuestPrograms.byLabel(expectedCases(name)).size()
                    + " cases differ; exit status " + run.status() + ", expected " + status + "\n"
                    + String.join("\n", differences) + "\nstderr:\n" + run.stderr());
        }
        assertEquals(expectedCases(name), lines(run.out()), name + ": the cases in the reference's order");
        assertEquals(new String(GuestPrograms.expectedBytes(name, ".stderr"), StandardCharsets.UTF_8),
                run.guestStderr(), name + " stderr");
    }

    /** The "done when": eight children write to memory shared before fork. */
    @Test
    void eightForkedChildrenSeeOnlyTheirOwnWritesAndReportTheirWaitStatuses() {
        List<String> expected = expectedCases("proc_fork_cow");
        for (int i = 0; i < 8; i++) {
            String line = expected.get(i);
            assertTrue(line.startsWith("child " + i + ": waitpid ok, ")
                    && line.endsWith("saw own writes yes, saw no other child's yes, getppid is parent yes"), line);
        }
        assertTrue(expected.get(5).contains("killed by SIGKILL"), expected.get(5));
        assertTrue(expected.contains("parent's private memory untouched by the children: yes"));
        List<String> actual = lines(run("proc_fork_cow").out());
        assertEquals(expected.subList(0, 10), actual.subList(0, Math.min(10, actual.size())),
                run("proc_fork_cow").stderr());
    }

    /** The "done when": the handler gets si_addr and SEGV_ACCERR, fixes the page and returns. */
    @Test
    void segvHandlerReceivesTheFaultAddressAndAccerrAndReturnsAfterMprotect() {
        List<String> expected = expectedCases("sig_segv_handler");
        assertEquals("write to read-only page: handler calls 1, SEGV_ACCERR, si_addr offset 0x1321", expected.get(0));
        assertEquals("the write completed after the handler returned: 42", expected.get(1));
        List<String> actual = lines(run("sig_segv_handler").out());
        assertFalse(actual.size() < 2, "a64emu printed " + actual + "\n" + run("sig_segv_handler").stderr());
        assertEquals(expected.subList(0, 2), actual.subList(0, 2));
    }

    /** The "done when": /proc/self/smaps of a forked pair shows PSS halved for shared pages. */
    @Test
    void smapsOfAForkedPairShowsPssHalvedForSharedPages() {
        String pair = "forked pair, 4 shared pages: Rss 16 kB, Pss 8 kB, Shared_Dirty 16 kB, Private_Dirty 0 kB";
        assertTrue(expectedCases("proc_smaps").contains(pair), "the kernel's reference shows it");
        List<String> actual = lines(run("proc_smaps").out());
        assertTrue(actual.contains(pair), "a64emu printed:\n" + String.join("\n", actual) + "\n"
                + run("proc_smaps").stderr());
    }
}
