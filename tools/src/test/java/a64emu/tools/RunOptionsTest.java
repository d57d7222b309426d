package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The options of {@code a64emu run} and of the top command, parsed and applied. */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunOptionsTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();
    private static final String GREETING =
            new String(GuestPrograms.expectedBytes("hello", ".stdout"), StandardCharsets.UTF_8);

    @Test
    void helloRunsWithTheDefaults() {
        GuestPrograms.Run run = GuestPrograms.cli("run", HELLO);
        assertEquals(GREETING, run.out(), run.stderr());
        assertEquals(0, run.status());
    }

    @Test
    void helloRunsWith39BitVirtualAddresses() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--va-bits", "39", HELLO);
        assertEquals(GREETING, run.out(), run.stderr());
        assertEquals(0, run.status());
    }

    @Test
    void helloRunsInASmallerRam() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--ram=64M", HELLO);
        assertEquals(GREETING, run.out(), run.stderr());
        assertEquals(0, run.status());
    }

    @Test
    void vaBitsOtherThan39Or48IsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--va-bits", "40", HELLO);
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("'40' is not 39 or 48"), run.stderr());
        assertTrue(run.stderr().contains("Usage: a64emu run"), run.stderr());
        assertEquals("", run.out());
    }

    @Test
    void malformedRamSizeIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--ram", "lots", HELLO);
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("invalid size 'lots'"), run.stderr());
    }

    @Test
    void ramBelowTheKernelsMinimumIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--ram", "1M", HELLO);
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("Invalid value for option '--ram'"), run.stderr());
        assertTrue(run.stderr().contains("at least 16 MiB"), run.stderr());
    }

    @Test
    void unknownOptionIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--turbo", HELLO);
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("Unknown option: '--turbo'"), run.stderr());
    }

    @Test
    void missingProgramIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--stats");
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("Missing required parameter: 'PROGRAM'"), run.stderr());
    }

    @Test
    void withRootTheProgramIsAPathInsideIt() {
        String root = GuestPrograms.DIR.toString();
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root, "/bin/hello");
        assertEquals(GREETING, run.out(), run.stderr());
        assertEquals(0, run.status());
    }

    @Test
    void withRootDotDotCannotClimbOutOfIt() {
        // Outside the root, guest/programs/../.. is the repository, which has guest/programs/bin/hello;
        // inside it, /.. is / again.
        String root = GuestPrograms.DIR.toString();
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root, "/../../guest/programs/bin/hello");
        assertEquals(127, run.status(), run.stderr());
        assertEquals("", run.out());
    }

    @Test
    void rootThatIsNotADirectoryIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", HELLO, HELLO);
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("is not a directory"), run.stderr());
    }

    @Test
    void programNotFoundExitsWith127AndSaysSo() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "no/such/program");
        assertEquals(127, run.status(), run.stderr());
        assertTrue(run.stderr().contains("no/such/program"), run.stderr());
        assertEquals("", run.out());
    }

    @Test
    void aFileThatIsNotAnAarch64ExecutableExitsWith126() {
        GuestPrograms.Run run = GuestPrograms.cli("run", GuestPrograms.DIR.resolve("src/hello.c").toString());
        assertEquals(126, run.status(), run.stderr());
        assertTrue(run.stderr().contains("hello.c"), run.stderr());
    }

    @Test
    void exitStatusIsTheGuests() {
        assertEquals(42, GuestPrograms.cli("run", GuestPrograms.binary("exit_code").toString()).status());
        assertEquals(7, GuestPrograms.cli("run", GuestPrograms.binary("nostdlib").toString()).status());
    }

    @Test
    void statsReportTlbMissesAndDemandPagingFaults() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--stats", HELLO);
        assertEquals(GREETING, run.out());
        assertEquals(0, run.status());

        String err = run.stderr();
        assertTrue(number(err, "(\\d+) instructions in") > 0, err);
        assertTrue(number(err, "hits (\\d+)") > 0, err);
        assertTrue(number(err, "misses (\\d+)") > 0, err);
        assertTrue(number(err, "walks (\\d+)") > 0, err);
        assertTrue(number(err, "walk reads (\\d+)") >= number(err, "walks (\\d+)"), "a walk reads at least one descriptor: " + err);
        assertTrue(number(err, "zero-fill (\\d+)") > 0, "stack and .bss are demand-zero: " + err);
        assertTrue(number(err, "file (\\d+)") > 0, "text and data are paged in from the ELF: " + err);
        assertEquals(0, number(err, "SIGSEGV (\\d+)"), err);
        assertTrue(number(err, "resident +(\\d+) pages") > 0, err);
        assertTrue(number(err, "syscalls +(\\d+)") > 0, err);
    }

    @Test
    void statsOfTheSegfaultingProgramCountTheSigsegv() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--stats", GuestPrograms.binary("null_deref").toString());
        assertEquals(139, run.status());
        assertEquals(1, number(run.stderr(), "SIGSEGV (\\d+)"), run.stderr());
    }

    @Test
    void runHelpDocumentsEveryOptionWithItsDefault() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--help");
        assertEquals(0, run.status());
        String help = run.out().replaceAll("\\s+", " ");
        assertTrue(help.matches(".*Usage: a64emu run \\[-h] .*\\[--ram=SIZE] \\[--report=FILE] "
                + "\\[--report-interval=MS] \\[--root=DIR] \\[--seed=N] \\[--strace-file=FILE] "
                + "\\[--swappiness=N] \\[--timeout=DURATION] \\[--va-bits=BITS] \\[--zram=SIZE] \\[-d=ITEMS ?\\[,ITEMS...]]... "
                + "PROGRAM \\[ARGS...].*"), help);
        assertTrue(help.contains("--zram=SIZE") && help.contains("Default: 75% of --ram"), help);
        assertTrue(help.contains("--swappiness=N") && help.contains("Default: 60"), help);
        assertTrue(help.contains("--seed=N") && help.contains("--no-aslr"), help);
        assertTrue(help.contains("--ram=SIZE") && help.contains("Default: 1G"), help);
        assertTrue(help.contains("--va-bits=BITS") && help.contains("Default: 48"), help);
        assertTrue(help.contains("--root=DIR") && help.contains("the guest sees the host file system"), help);
        assertTrue(help.contains("--stats"), help);
        assertTrue(help.contains("127"), "lists exit statuses: " + help);
    }

    @Test
    void topLevelHelpListsTheRunCommand() {
        GuestPrograms.Run run = GuestPrograms.cli("--help");
        assertEquals(0, run.status());
        assertTrue(run.out().contains("Usage: a64emu [-hV] COMMAND"), run.out());
        assertTrue(run.out().matches("(?s).*\\n  run +Runs an AArch64 Linux ELF executable, static or dynamically linked.*"),
                run.out());
    }

    @Test
    void versionNamesTheBuild() {
        GuestPrograms.Run run = GuestPrograms.cli("--version");
        assertEquals(0, run.status());
        assertTrue(run.out().matches("(?s)a64emu \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n.*"), run.out());
    }

    @Test
    void noCommandIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli();
        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("Missing command"), run.stderr());
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
        return Long.parseLong(m.group(1));
    }
}
