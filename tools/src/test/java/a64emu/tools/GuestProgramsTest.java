package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed guest program, run through {@code a64emu run} (with the
 * options of expected/NAME.options, if any), must print what it printed under
 * its oracle (qemu-aarch64, or this machine's kernel) and exit with the same
 * status. The programs whose expected output was reasoned from the kernel
 * source instead (oracle "reasoned": the memory-pressure programs) are
 * {@link MemoryPressureProgramsTest}'s, which runs each of them once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuestProgramsTest {

    /** The runs of every committed binary that an oracle recorded. */
    static List<String> programs() {
        List<String> reasoned = GuestPrograms.reasoned();
        return GuestPrograms.names().stream().filter(n -> !reasoned.contains(n))
                .flatMap(n -> GuestPrograms.runsOf(n).stream()).toList();
    }

    /** Reasoned programs need their machine (expected/NAME.options); they are not run twice. */
    @Test
    void theReasonedProgramsAreLeftToMemoryPressureProgramsTest() {
        List<String> reasoned = GuestPrograms.reasoned();
        assertTrue(GuestPrograms.names().containsAll(reasoned), "bin/ holds every reasoned program: " + reasoned);
        assertTrue(programs().stream().map(GuestPrograms::programOf).noneMatch(reasoned::contains), programs().toString());
    }

    @Test
    void theProgramsTheIssueAsksForAreCommitted() {
        assertTrue(programs().containsAll(
                List.of("hello", "exit_code", "echo_args", "nostdlib", "null_deref", "malloc_qsort", "read_stdin")),
                "guest/programs/bin holds " + programs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void printsAndExitsAsUnderQemu(String name) {
        DynamicProgramsTest.assumeCrossLibc(name);
        assertTrue(Files.exists(GuestPrograms.EXPECTED.resolve(name + ".status")),
                "no expected/" + name + ".status: run guest/programs/build.sh --expected");

        GuestPrograms.Run run = GuestPrograms.run(name);

        assertEquals(new String(GuestPrograms.expectedBytes(name, ".stdout"), StandardCharsets.UTF_8), run.out(),
                name + " stdout; stderr was:\n" + run.stderr());
        assertArrayEquals(GuestPrograms.expectedBytes(name, ".stdout"), run.stdout(), name + " stdout bytes");
        assertEquals(new String(GuestPrograms.expectedBytes(name, ".stderr"), StandardCharsets.UTF_8),
                run.guestStderr(), name + " stderr");
        assertEquals(GuestPrograms.expectedStatus(name), run.status(), name + " status; stderr was:\n" + run.stderr());
    }

    @Test
    void nullDereferenceIsKilledBySigsegvWithTheDiagnosis() {
        GuestPrograms.Run run = GuestPrograms.cli("run", GuestPrograms.binary("null_deref").toString());

        assertEquals(139, run.status(), run.stderr());
        assertTrue(run.stderr().contains("a64emu: SIGSEGV (SEGV_MAPERR) at 0x0 pc=0x"), run.stderr());
        assertTrue(Pattern.compile("(?m)^a64emu: SIGSEGV \\(SEGV_MAPERR\\) at 0x0 pc=0x[0-9a-f]+\\b.*read")
                .matcher(run.stderr()).find(), "names the faulting pc and the access: " + run.stderr());
        assertEquals("null_deref: reading through a NULL pointer\n", run.out());
    }

    @Test
    void guestArgumentsThatLookLikeOptionsReachTheGuestUntouched() {
        GuestPrograms.Run run = GuestPrograms.cli(List.of("A64EMU_ONLY=this"), "run",
                GuestPrograms.binary("echo_args").toString(), "--stats", "--help", "", "@notafile", "--", "run");

        assertEquals(0, run.status(), run.stderr());
        assertEquals("""
                argc=7
                argv[0] ends in "echo_args"
                argv[1]="--stats" (7 bytes)
                argv[2]="--help" (6 bytes)
                argv[3]="" (0 bytes)
                argv[4]="@notafile" (9 bytes)
                argv[5]="--" (2 bytes)
                argv[6]="run" (3 bytes)
                env "A64EMU_ONLY=this"
                1 A64EMU_ variables
                """, run.out().substring(0, run.out().indexOf("getenv(")));
        assertTrue(!run.stderr().contains("instructions in"), "--stats after PROGRAM is the guest's: " + run.stderr());
    }

    @Test
    void aLoneEmptyArgumentIsStillAnArgument() {
        GuestPrograms.Run run = GuestPrograms.cli("run", GuestPrograms.binary("echo_args").toString(), "");

        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.out().startsWith("argc=2\nargv[0] ends in \"echo_args\"\nargv[1]=\"\" (0 bytes)\n"), run.out());
    }
}
