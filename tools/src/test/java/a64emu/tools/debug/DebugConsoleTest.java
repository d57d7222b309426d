package a64emu.tools.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.tools.A64emu;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code a64emu debug} end to end, in batch mode on the committed guest binaries: each test
 * is a console session as a user would type it, and reads the transcript. The binaries are
 * static and non-PIE and the kernel's seed is fixed, so code addresses and pids are exact;
 * stack and mmap addresses are not relied on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebugConsoleTest {
    private static final Path BIN = Path.of("..", "guest", "programs", "bin");

    @TempDir
    Path dir;

    record Session(int status, String out, String err) {
        void shows(String... parts) {
            for (String p : parts) {
                assertTrue(out.contains(p), "expected \"" + p + "\" in:\n" + out + "\nstderr:\n" + err);
            }
        }

        /** {@code first} is printed, and {@code then} after it. */
        void showsInOrder(String first, String then) {
            int a = out.indexOf(first);
            assertTrue(a >= 0 && out.indexOf(then, a + first.length()) > a,
                    "expected \"" + first + "\" then \"" + then + "\" in:\n" + out);
        }
    }

    private Session debug(String program, String commands, String... options) throws IOException {
        Path script = dir.resolve("commands");
        Files.writeString(script, commands);
        List<String> args = new ArrayList<>(List.of("debug"));
        args.addAll(List.of(options));
        args.addAll(List.of("-x", script.toString(), "--batch", BIN.resolve(program).toString()));
        return run(new byte[0], args);
    }

    private static Session run(byte[] stdin, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new A64emu(new ByteArrayInputStream(stdin), out, err, List.of()).execute(args.toArray(String[]::new));
        return new Session(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void breakpointThenLookAroundThenRunToExit() throws IOException {
        Session s = debug("hello", """
                regs
                break main
                info breakpoints
                continue
                x/4gx $sp
                x/8i $pc
                disas main 4
                disas
                bt
                info maps
                walk $pc exec
                walk 0 write
                tlb $pc
                tlb
                ptdump
                stepi 3
                next
                print $pc
                continue
                """);
        assertEquals(0, s.status(), s.err());
        s.shows("Process 4242 (hello) stopped before its first instruction.",
                "=> 0x0000000000400580 <_start>:\tnop",
                "x0             0x0                  0",
                "pc             0x400580             <_start>",
                "nzcv           0x0                  [ nzcv ]",
                "Breakpoint 1 at 0x400530: <main>",
                "1       breakpoint      keep y   0x0000000000400530 <main>",
                "Breakpoint 1, 0x0000000000400530 in main ()",
                "=> 0x0000000000400530 <main>:\tstp\tx29, x30, [sp, #-16]!",
                "   0x0000000000400540 <main+0x10>:\tbl\t407490 <puts>",
                "Dump of assembler code for function main:",
                "End of assembler dump.",
                "#0  0x0000000000400530 in main ()",
                "#1  0x0000000000400788 in __libc_start_call_main ()",
                "r-xp 00000000 00:00 0",
                "[stack]", "[heap]", "[vdso]",
                "a64emu walk: hello stopped (pc 0x400530), pid 4242",
                "=> PA 0x", "fetch at EL0 allowed (EL0 r-x EL1 r--)",
                "=> Translation fault, level ", "FAR_EL1 0x0000000000000000",
                "micro ", "main ", "0x0000000000400000", "EL0 r-x EL1 r--",
                "---[ User space ]---",
                "=> 0x000000000040053c <main+0xc>:\tmov\tx29, sp",
                "=> 0x0000000000400540 <main+0x10>:\tbl\t407490 <puts>",
                "0x400540 = 4195648 <main+0x10>",
                "Hello from AArch64, running on a64emu!",
                "[process 4242 exited with code 0]",
                "[Inferior 1 (process 4242) exited normally]");
        s.showsInOrder("x/4gx $sp", "\t0x0000");
    }

    @Test
    void tbreakUntilStepFinishAndTheExamineFormats() throws IOException {
        Session s = debug("hello", """
                tbreak main
                continue
                info breakpoints
                until main+0x10
                x/s $x0
                x/3c $x0
                x/2dw $x0
                x/a $sp+8
                x/2ub $x0
                x/ot $x0
                x/xh $x0
                x
                step
                bt
                finish
                regs v
                until
                help
                quit
                """);
        assertEquals(137, s.status(), s.err());
        s.shows("Temporary breakpoint 1 at 0x400530: <main>",
                "Temporary breakpoint 1, 0x0000000000400530 in main ()",
                "No breakpoints or watchpoints.",
                "=> 0x0000000000400540 <main+0x10>:\tbl\t407490 <puts>",
                ":\t\"Hello from AArch64, running on a64emu!\"",
                "72 'H'\t101 'e'\t108 'l'",
                "1819043144",
                "0x400788 <__libc_start_call_main+",
                "72\t101",
                "=> 0x0000000000407490 <puts>:",
                "#1  0x0000000000400544 in main ()",
                "Run till exit from #0  0x0000000000407490 in puts ()",
                "=> 0x0000000000400544 <main+0x14>:\tmov\tw0, #0x0",
                "v31            0x",
                "fpcr           0x",
                "=> 0x0000000000400548 <main+0x18>",
                "x/FMT ADDR",
                "[Inferior 1 (process 4242) killed]");
    }

    @Test
    void badInputIsOneLineAndTheSessionGoesOn() throws IOException {
        Session s = debug("hello", """
                bogus
                x/4gx 0
                break nosuch
                break main+
                x/4q $sp
                watch
                walk
                delete 99
                thread 99999
                info nonsense
                regs q
                finish now
                print $x77
                print 1+2
                """);
        assertEquals(137, s.status(), "end of input kills the guest still stopped: " + s.err());
        s.shows("Undefined command: \"bogus\".  Try \"help\".",
                "Cannot access memory at address 0x0",
                "No symbol \"nosuch\" in the program.",
                "Incomplete expression 'main+'.",
                "Invalid format letter 'q' in '/4q'.",
                "Argument required",
                "there was no fault yet",
                "No breakpoint number 99.",
                "Unknown thread 99999.",
                "Undefined info command: \"nonsense\".",
                "\"regs\" takes no argument",
                "\"finish\" takes no arguments.",
                "No register $x77.",
                "0x3 = 3",
                "[Inferior 1 (process 4242) killed]");
        assertTrue(!s.out().contains("internal error"), s.out());
    }

    @Test
    void segvHandlerStopsAtTheFaultingStoreShowsFaultAndWalkThenRunsTheHandler() throws IOException {
        Session s = debug("sig_segv_handler", """
                continue
                fault
                walk
                signal
                bt
                continue
                kill
                """);
        assertEquals(137, s.status(), s.err());
        s.shows("Program received signal SIGSEGV, SEGV_ACCERR (write, VMA ",
                "=> 0x00000000004005f0 <main+0xc0>:\tstrb\tw1, [x24, #801]",
                "Fault in thread 4242 (pid 4242) at pc 0x4005f0",
                "EC    0x24  Data Abort from a lower Exception level",
                "FSC   0x07  Translation fault, level 3",
                "WnR   1     write",
                "r--p",
                "=>    the kernel sends SIGSEGV",
                "L3 ", "=> Translation fault, level 3", "WnR    1       write",
                "being delivered    SIGSEGV (SEGV_ACCERR, addr 0x",
                "#0  0x00000000004005f0 in main ()");
        // The handler's effect is printed by the guest only after continue delivers the signal.
        s.showsInOrder("(a64emu) continue", "write to read-only page: handler calls 1, SEGV_ACCERR");
        s.showsInOrder("write to read-only page: handler calls 1", "Program received signal SIGSEGV");
    }

    @Test
    void stopOnPageFaultShowsDemandPagingAndWhatTheKernelDid() throws IOException {
        Session s = debug("hello", """
                continue
                fault
                stepi
                fault
                continue
                kill
                """, "--stop-on", "page-fault");
        assertEquals(137, s.status(), s.err());
        s.shows("Page fault: translation fault level 3 on write at 0x48f758 (Translation fault, level 3)",
                "VMA 0x48c000-0x493000 rw-p",
                "=> 0x00000000004007ec <__libc_start_main_impl+0x28>:\tstr\tx6, [x1, #1880]",
                "=>    not handled yet: demand paging (file page)",
                "=>    the kernel resolved it: ",
                "Page fault: translation fault level 3 on write at 0x496f08");
        s.showsInOrder("not handled yet", "the kernel resolved it");
    }

    @Test
    void watchpointOnAGlobalReportsOldAndNewValuesAndTheThreads() throws IOException {
        Session s = debug("proc_threads", """
                watch counter
                info breakpoints
                continue
                info threads
                thread 4242
                info processes
                signal
                delete
                rwatch counter
                continue
                delete
                awatch counter
                continue
                kill
                """);
        assertEquals(137, s.status(), s.err());
        s.shows("Hardware watchpoint 1: counter (0x",
                "1       hw watchpoint",
                "Old value = 0 (0x0)",
                "New value = 1 (0x1)",
                "Written at 0x4a2168 by the instruction at 0x0000000000400eac <worker+0x8c>:\tstr",
                "[New Thread 4243 (pid 4242)]",
                "  Id   Target Id",
                "Thread 4242 (pid 4242) \"proc_threads\"",
                "Thread 4243 (pid 4242) \"proc_threads\"",
                "[Switching to thread 4242 (pid 4242)]",
                "4242",
                "Hardware read watchpoint 2: counter",
                "Value = ",
                "Hardware access (read/write) watchpoint 3: counter");
        assertTrue(s.out().lines().filter(l -> l.matches("[* ] \\d+ +Thread .*")).count() >= 2, s.out());
    }

    @Test
    void forkedProcessesAreFollowedAndListed() throws IOException {
        Session s = debug("proc_fork_cow", """
                break waitpid
                continue
                info processes
                kill
                """);
        assertEquals(137, s.status(), s.err());
        s.shows("[New process 4243 (proc_fork_cow), forked by 4242]", "  PID  PPID Threads",
                "*  4242");
        assertTrue(s.out().lines().filter(l -> l.matches("[* ] +\\d+ +\\d+ +\\d+ .*proc_fork_cow")).count() >= 2,
                s.out());
    }

    @Test
    void execIsFollowed() throws IOException {
        Session s = debug("proc_exec_wait", "continue\n");
        s.shows("[process ", "is executing a new program", "[Inferior 1 (process 4242) ");
    }

    @Test
    void commandsFromStdinInBatchModeAndAfterACommandFile() throws IOException {
        Session piped = run("info breakpoints\ncontinue\n".getBytes(StandardCharsets.UTF_8),
                List.of("debug", "--batch", BIN.resolve("hello").toString()));
        assertEquals(0, piped.status(), piped.err());
        piped.shows("(a64emu) info breakpoints", "No breakpoints", "[Inferior 1 (process 4242) exited normally]");

        Path script = dir.resolve("first");
        Files.writeString(script, "break main\n");
        Session then = run("continue\ncontinue\n".getBytes(StandardCharsets.UTF_8),
                List.of("debug", "-x", script.toString(), BIN.resolve("hello").toString()));
        assertEquals(0, then.status(), then.err());
        then.shows("Breakpoint 1, 0x0000000000400530 in main ()", "exited normally");
    }

    @Test
    void unknownStopEventIsAUsageError() {
        Session s = run(new byte[0], List.of("debug", "--stop-on", "syscall", BIN.resolve("hello").toString()));
        assertEquals(2, s.status());
        assertTrue(s.err().contains("--stop-on: unknown event 'syscall'"), s.err());
    }
}
