package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Quiet by default, talkative on request: a successful run prints nothing of a64emu's own;
 * the kernel's notices (a system call it does not implement) go to the kernel log, and to
 * stderr with {@code --log unimp} ({@code -d unimp}, as qemu-aarch64 spells it).
 */
class StraceQuietTest {
    /** A program that calls 999, a number past the table, which the guest kernel notes as unimplemented. */
    private static final String RUN = "unknown_syscall";
    private static final Pattern NOTICE =
            Pattern.compile("(?m)^a64emu: syscall \\d+( \\([a-z0-9_]+\\))? not implemented, returning -ENOSYS$");
    private static final Pattern LOGGED = Pattern.compile(
            "(?m)^\\[ *\\d+\\.\\d{6}\\] a64emu: syscall \\d+( \\([a-z0-9_]+\\))? not implemented, returning -ENOSYS$");

    private static GuestPrograms.Run run(String... options) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(GuestPrograms.options(RUN));
        args.addAll(List.of(options));
        args.add(GuestPrograms.binary(RUN).toString());
        return GuestPrograms.cli(args.toArray(String[]::new));
    }

    @Test
    void aSuccessfulRunOfHelloPrintsNothingOfA64emusOwn() {
        GuestPrograms.Run run = GuestPrograms.cli("run", GuestPrograms.binary("hello").toString());

        assertEquals(0, run.status());
        assertEquals("", run.stderr());
    }

    @Test
    void anUnimplementedCallIsNotOnStderrByDefault() {
        GuestPrograms.Run run = run();

        assertEquals(0, run.status(), run.stderr());
        assertTrue(!run.stderr().contains("not implemented"), run.stderr());
    }

    @Test
    void logUnimpCopiesTheNoticeToStderrOncePerNumber() {
        GuestPrograms.Run run = run("--log", "unimp");

        assertEquals(0, run.status(), run.stderr());
        assertTrue(NOTICE.matcher(run.stderr()).find(), run.stderr());
        List<String> notices = run.stderr().lines().filter(l -> NOTICE.matcher(l).matches()).toList();
        assertEquals(notices.stream().distinct().count(), notices.size(), "once per number: " + notices);
    }

    @Test
    void dashDUnimpIsQemusSpellingOfTheSame() {
        assertEquals(run("--log", "unimp").stderr(), run("-d", "unimp").stderr());
    }

    @Test
    void theNoticeIsInTheKernelLog() {
        GuestPrograms.Run run = run("--kernel-log");

        assertEquals(0, run.status(), run.stderr());
        assertTrue(LOGGED.matcher(run.stderr()).find(), "as dmesg prints it: " + run.stderr());
        assertTrue(!NOTICE.matcher(run.stderr()).find(), "--kernel-log alone copies the log, nothing more");
    }

    @Test
    void anUnknownLogItemIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--log", "everything", GuestPrograms.binary("hello").toString());

        assertEquals(2, run.status(), run.stderr());
        assertTrue(run.stderr().contains("Invalid value for option '--log': 'everything'"), run.stderr());
    }
}
