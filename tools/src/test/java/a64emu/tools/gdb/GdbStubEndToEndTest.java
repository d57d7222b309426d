package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real gdb-multiarch against {@code a64emu run --gdb PORT}, with the committed guest programs.
 * Each session's address-independent output is compared with what the same gdb commands
 * printed against {@code qemu-aarch64 -g PORT} (recorded in src/test/resources/a64emu/gdb;
 * run with {@code -Da64emu.gdb.record=true} to record them again from qemu).
 */
@Timeout(60)
class GdbStubEndToEndTest {
    static final List<String> HELLO = List.of("break main", "continue", "stepi",
            "info registers x0 pc cpsr", "x/2i $pc", "x/4gx $sp", "bt", "continue");

    /** malloc_qsort keeps lcg_state in a register through its loop and stores it once, at main+140. */
    static final List<String> WATCH = List.of("break *main+140", "continue", "delete",
            GdbSession.QEMU_ONLY + "set can-use-hw-watchpoints 0",
            "watch *(unsigned int *)&lcg_state", "continue", "p *(unsigned int *)&lcg_state", "info symbol $pc",
            GdbSession.ONLY + "eval \"monitor walk 0x%lx w\", &lcg_state",
            "delete", "continue");

    /** null_deref loads through x0 = NULL: "ldr w0, [x0]". */
    static final List<String> NULL_DEREF = List.of("continue", "p $x0", "info symbol $pc", "x/i $pc",
            GdbSession.ONLY + "monitor fault", "continue");

    /**
     * Where thread 4 is when main's tgkill SIGUSR1 reaches it depends, under qemu-aarch64, on
     * host thread timing (pthread_barrier_wait+312 or +316, both seen); the reference keeps
     * the +316 of a recorded run, the instruction after the futex call, where a64emu stops it.
     */
    static final List<String> THREADS = List.of("break worker", "continue",
            GdbSession.ONLY + "info threads", "delete", "continue", "info symbol $pc", "continue");

    @BeforeAll
    static void gdbIsInstalled() {
        assumeTrue(Files.isExecutable(Path.of(GdbSession.GDB)), "gdb-multiarch is not installed");
    }

    @Test
    void breakAtMainStepiRegistersMemoryAndBacktraceAsUnderQemu() throws Exception {
        GdbSession.Result r = session("hello", HELLO);
        assertTrue(r.text().contains("Breakpoint 1, 0x0000000000400534 in main ()"), r.text());
        assertTrue(r.text().contains("0x0000000000400538 in main ()"), "stepi moves one instruction: " + r.text());
        assertTrue(r.text().contains("#0  0x0000000000400538 in main ()"), r.text());
        assertTrue(r.text().contains("[Inferior 1 (Remote target) exited normally]"), r.text());
        assertEquals(0, r.status());
        assertEquals("Hello from AArch64, running on a64emu!\n", r.stdout());
    }

    @Test
    void watchpointOnAGlobalStopsAfterTheStoreWithOldAndNewValue() throws Exception {
        GdbSession.Result r = session("malloc_qsort", WATCH);
        assertTrue(r.text().contains("Hardware watchpoint 2: *(unsigned int *)&lcg_state"), r.text());
        assertTrue(r.text().contains("Old value = 12345"), r.text());
        assertTrue(r.text().contains("New value = 3191019137"), r.text());
        assertTrue(r.text().contains("main + 144 in section .text"), "stopped after the str: " + r.text());
        String walk = r.onlyA64emu();
        assertTrue(walk.contains("a64emu walk:") && walk.contains("0x0000000000490050") && walk.contains("=> PA"),
                walk);
        assertEquals(0, r.status(), r.stderr());
    }

    @Test
    void nullDereferenceStopsWithSigsegvAtTheFaultingLoad() throws Exception {
        GdbSession.Result r = session("null_deref", NULL_DEREF);
        assertTrue(r.text().contains("Program received signal SIGSEGV, Segmentation fault."), r.text());
        assertTrue(r.text().contains("=> 0x400558 <main+40>:\tldr\tw0, [x0]"), r.text());
        assertTrue(r.text().contains("$1 = 0"), "x0 holds the NULL pointer: " + r.text());
        assertTrue(r.text().contains("Program terminated with signal SIGSEGV, Segmentation fault."), r.text());
        assertTrue(r.onlyA64emu().contains("0x0000000000000000"), "monitor fault names FAR 0: " + r.onlyA64emu());
        assertEquals(139, r.status());
    }

    @Test
    void threadsAreListedWithTheirNamesAndSignalsReachGdbWithGdbNumbers() throws Exception {
        GdbSession.Result r = session("proc_threads", THREADS);
        assertTrue(r.text().contains("hit Breakpoint 1, 0x0000000000400e2c in worker ()"), r.text());
        List<String> threads = r.onlyA64emu().lines().filter(l -> l.contains("Thread ")).toList();
        assertTrue(threads.size() >= 2, r.onlyA64emu());
        assertTrue(threads.stream().allMatch(l -> l.contains("\"proc_threads\"")), r.onlyA64emu());
        assertTrue(threads.stream().anyMatch(l -> l.startsWith("*") && l.contains("in worker ()")), r.onlyA64emu());
        // SIGUSR1 is Linux 10 and GDB 30: a wrong mapping would print SIGBUS.
        assertTrue(r.text().contains("received signal SIGUSR1, User defined signal 1."), r.text());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("the handler ran in thread 2: yes"), r.stdout());
    }

    /** Runs the session under a64emu, compares it with qemu's reference (recording it when asked). */
    private static GdbSession.Result session(String program, List<String> commands) throws Exception {
        GdbSession.Result r = GdbSession.a64emu(program, commands);
        if (Boolean.getBoolean("a64emu.gdb.record")) {
            assumeTrue(Files.isExecutable(Path.of(GdbSession.QEMU)), "qemu-aarch64 is needed to record");
            GdbSession.record(program, GdbSession.comparable(GdbSession.qemu(program, commands)));
        }
        assertFalse(r.text().contains(GdbSession.NO_FILE_TRANSFER), "gdb reads target: files through vFile: "
                + r.text());
        assertEquals(GdbSession.expected(program), GdbSession.comparable(r),
                "gdb's view of a64emu differs from its view of qemu-aarch64; the whole session:\n" + r.text());
        return r;
    }
}
