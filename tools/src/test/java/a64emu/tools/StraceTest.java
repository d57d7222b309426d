package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --strace} and {@code --strace-file}: system calls as strace(1) prints them. */
class StraceTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();

    /** The lines of a trace with every heap or stack address (seven hex digits or more) written {@code 0x...}. */
    private static List<String> masked(String trace) {
        return trace.lines().map(l -> l.replaceAll("0x[0-9a-f]{7,}", "0x...")).toList();
    }

    @Test
    void straceOfHelloShowsEachCallDecodedAsStraceDoes() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", HELLO);

        assertEquals(0, run.status(), run.stderr());
        assertEquals("Hello from AArch64, running on a64emu!\n", run.out(), "stdout is the guest's alone");
        List<String> lines = masked(run.stderr());
        List<String> names = lines.stream().map(l -> l.replaceFirst("[(].*", "")).toList();
        assertEquals(List.of("execve", "brk", "brk", "set_tid_address", "set_robust_list", "rseq", "prlimit64",
                "readlinkat", "getrandom", "brk", "brk", "brk", "mprotect", "newfstatat", "write", "exit_group",
                "+++ exited with 0 +++"), names, run.stderr());
        assertEquals("execve(\"" + HELLO + "\", [\"" + HELLO + "\"], 0x... /* 1 var */) = 0", lines.get(0));
        assertEquals("brk(NULL)                               = 0x...", lines.get(1));
        // The padding to column 40 was counted with the address unmasked.
        assertEquals("set_robust_list(0x..., 24)         = 0", lines.get(4));
        assertEquals("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
                lines.get(6));
        // The link's text is the checkout's path to hello: cut at 32 bytes as strace -s 32 cuts
        // it when it is longer, whole when it fits.
        assertTrue(lines.get(7).matches(
                "readlinkat\\(AT_FDCWD, \"/proc/self/exe\", (\".{32}\"\\.\\.\\.|\"[^\"]{1,32}\"), 4096\\) = \\d+"),
                "the link's text, cut at 32 bytes as strace -s 32: " + lines.get(7));
        assertTrue(lines.get(8).matches("getrandom\\(\"(\\\\x[0-9a-f]{2}){8}\", 8, GRND_NONBLOCK\\) += 8"),
                "random bytes in hex: " + lines.get(8));
        assertEquals("mprotect(0x48c000, 16384, PROT_READ)    = 0", lines.get(12));
        assertTrue(lines.get(13).matches("newfstatat\\(1, \"\", \\{st_mode=S_IF[A-Z]+\\|0[0-7]+, .*\\}, AT_EMPTY_PATH\\) = 0"),
                lines.get(13));
        assertEquals("write(1, \"Hello from AArch64, running on a\"..., 39) = 39", lines.get(14));
        assertEquals("exit_group(0)                           = ?", lines.get(15));
        assertEquals("+++ exited with 0 +++", lines.get(16));
    }

    @Test
    void openatAndMmapShowTheirPathFlagsAndModeByName() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("vm_file").toString());

        assertEquals(0, run.status(), run.stderr());
        List<String> lines = masked(run.stderr());
        assertTrue(lines.stream().anyMatch(l -> l.matches("openat\\(AT_FDCWD, \"/tmp/a64emu-vmtest-[A-Za-z0-9]{6}\", "
                + "O_RDWR\\|O_CREAT\\|O_EXCL, 0600\\) = 3")), "the mode only with O_CREAT: " + run.stderr());
        assertTrue(lines.contains("mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x..."),
                run.stderr());
        assertTrue(lines.stream().anyMatch(l -> l.matches("lseek\\(3, 0, SEEK_END\\) += 100")),
                run.stderr());
    }

    @Test
    void straceFileTakesTheTraceAndLeavesStderrToTheGuest(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hello.strace");
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace-file", file.toString(), HELLO);

        assertEquals(0, run.status(), run.stderr());
        assertEquals("", run.stderr());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("execve(\"" + HELLO + "\""), lines.toString());
        assertTrue(lines.contains("write(1, \"Hello from AArch64, running on a\"..., 39) = 39"), lines.toString());
        assertEquals("+++ exited with 0 +++", lines.get(lines.size() - 1));
    }

    @Test
    void straceFileInAMissingDirectoryIsAUsageError(@TempDir Path dir) {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace-file", dir.resolve("no/such/file").toString(),
                HELLO);

        assertEquals(2, run.status(), run.stderr());
        assertTrue(run.stderr().contains("--strace-file: cannot write"), run.stderr());
    }

    @Test
    void severalProcessesArePrefixedWithTheirPidAsStraceDashF() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("proc_fork_cow").toString());

        assertEquals(0, run.status(), run.stderr());
        List<String> lines = run.stderr().lines().toList();
        Pattern clone = Pattern.compile("^(?:\\[pid +\\d+\\] )?clone\\(child_stack=NULL, "
                + "flags=CLONE_CHILD_CLEARTID\\|CLONE_CHILD_SETTID\\|SIGCHLD, child_tidptr=0x[0-9a-f]+\\) = (\\d+)$");
        List<String> children = new ArrayList<>();
        for (String l : lines) {
            Matcher m = clone.matcher(l);
            if (m.matches()) {
                children.add(m.group(1));
            }
        }
        assertTrue(children.size() >= 2, "fork() is clone(SIGCHLD) in glibc: " + run.stderr());
        for (String child : children) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(String.format("[pid %5s] ", child))),
                    "the child's calls carry its pid, " + child + ":\n" + run.stderr());
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[pid +\\d+\\] \\+\\+\\+ exited with 3 \\+\\+\\+")),
                "a child's _exit(259) ends it with status 3:\n" + run.stderr());
        assertTrue(lines.stream().anyMatch(l -> l.matches(
                        "(wait4\\(\\d+, |<\\.\\.\\. wait4 resumed>)\\[\\{WIFEXITED\\(s\\) && WEXITSTATUS\\(s\\) == 3\\}\\], 0, NULL\\) += \\d+")),
                "the parent sees it: " + run.stderr());
        assertEquals("+++ exited with 0 +++", lines.get(lines.size() - 1), "the last process alone: no prefix");
    }

    @Test
    void aFailingCallShowsMinusOneTheErrnoNameAndStrerrorsText() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("proc_fork_cow").toString());

        assertTrue(run.stderr().lines().anyMatch(l -> l.matches(
                        "(wait4\\(\\d+, |<\\.\\.\\. wait4 resumed>)NULL, 0, NULL\\) += -1 ECHILD \\(No child processes\\)")),
                "waiting with SIGCHLD ignored: " + run.stderr());
    }

    @Test
    void aBlockedCallIsUnfinishedWhileOthersRunAndResumedRightBeforeTheSignalThatEndedIt() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("proc_fork_cow").toString());

        List<String> lines = run.stderr().lines().toList();
        int resumed = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("(\\[pid +\\d+\\] )?<\\.\\.\\. rt_sigsuspend resumed>\\) += -1 EINTR .*")) {
                resumed = i;
                break;
            }
        }
        assertTrue(resumed > 0, run.stderr());
        List<String> around = lines.subList(Math.max(0, resumed - 6), Math.min(lines.size(), resumed + 2));
        assertTrue(lines.get(resumed - 1).matches("\\[pid +\\d+\\] \\+\\+\\+ exited with \\d+ \\+\\+\\+"),
                "the child ran while the parent waited: " + around);
        assertTrue(lines.get(resumed + 1).startsWith("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid="),
                around.toString());
        assertTrue(around.stream().anyMatch(l -> l.matches("\\[pid +\\d+\\] rt_sigsuspend\\(0x[0-9a-f]+, 8 <unfinished \\.\\.\\.>")),
                "what the call had at entry, before the child's lines: " + around);
        List<String> unfinished = run.stderr().lines().filter(l -> l.contains("wait4") && l.contains(" = ?")).toList();
        assertEquals(List.of(), unfinished, "a wait that returned has its result");
    }

    @Test
    void aCallDecodedAtExitShowsItsEntryArgumentsUnfinishedAndTheRestWhenResumedAsStrace() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("proc_fork_cow").toString());

        List<String> lines = run.stderr().lines().toList();
        int unfinished = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\[pid +\\d+\\] read\\(6,  <unfinished \\.\\.\\.>")) {
                unfinished = i;
                break;
            }
        }
        assertTrue(unfinished > 0, "strace's 'read(6, ' then two spaces: " + run.stderr());
        int at = unfinished;
        assertTrue(lines.subList(unfinished + 1, lines.size()).stream()
                        .anyMatch(l -> l.matches("(\\[pid +\\d+\\] )?<\\.\\.\\. read resumed>\"PBi\", 3\\) += 3")),
                "the buffer and the count when it returns: " + lines.subList(at, Math.min(lines.size(), at + 8)));
    }

    @Test
    void nullDereferenceShowsTheSignalWithItsSiginfoAndTheKill() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--strace", GuestPrograms.binary("null_deref").toString());

        assertEquals(139, run.status(), run.stderr());
        List<String> lines = run.stderr().lines().toList();
        int signal = lines.indexOf("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---");
        assertTrue(signal > 0, run.stderr());
        assertEquals("+++ killed by SIGSEGV +++", lines.get(signal + 1));
        assertTrue(lines.get(signal + 2).startsWith("a64emu: SIGSEGV (SEGV_MAPERR) at 0x0"),
                "the fatal diagnosis stays: " + run.stderr());
    }

    @Test
    void withoutStraceNothingIsTraced() {
        GuestPrograms.Run run = GuestPrograms.cli("run", HELLO);

        assertEquals(0, run.status());
        assertEquals("", run.stderr());
    }
}
