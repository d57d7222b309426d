package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * fork, vfork, threads, execve, wait, kill and signal handlers, run whole through the
 * kernel: the cases of {@code src/test/resources/procs/procs.c} (built by build.sh beside
 * it), whose output does not depend on addresses or pids. The expected lines are what
 * Linux on arm64 prints (qemu-aarch64 agrees except where it is not exact: it runs vfork
 * as fork, gives no esr_context in the signal frame, does not check the frame that
 * rt_sigreturn restores, hangs on a robust mutex whose owner died, and cannot execve
 * without binfmt).
 */
class ProcessesTest {
    private static final Path PROCS = Path.of("src/test/resources/procs/procs");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Kernel kernel;

    private int run(String testCase) {
        KernelConfig config = KernelConfig.defaults()
                .withRam(128L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        kernel = new Kernel(config);
        return kernel.run(PROCS, List.of(PROCS.toString(), testCase), List.of("A64EMU_TEST=1"));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** stderr as the guest wrote it: the kernel's notices (an unimplemented rseq) go to its log, not here. */
    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eightForkedChildrenWriteSharedMemoryCopyOnWriteAndAreWaitedWithTheirStatuses() {
        assertEquals(0, run("fork8"));
        assertEquals("""
                child 0: exited 10
                child 1: exited 11
                child 2: exited 12
                child 3: exited 13
                child 4: exited 14
                child 5: exited 15
                child 6: killed by signal 11
                child 7: killed by signal 15
                parent: shared_before_fork=100 heap=parent
                wait again: -1 errno=ECHILD
                """, stdout());
        assertEquals("", stderr(), "a child's fatal signal is for its parent to report, not the kernel");
        assertEquals(0, kernel.processes().size(), "every process released at the end of the run");
    }

    @Test
    void pthreadsShareMemoryAndJoinThroughFutexAndClearChildTid() {
        assertEquals(0, run("threads"));
        assertEquals("""
                thread 0 returned 0
                thread 1 returned 101
                thread 2 returned 202
                thread 3 returned 303
                counter=80000 (expected 80000)
                main tid is pid: yes
                """, stdout());
    }

    @Test
    void sigsegvHandlerGetsTheAddressAndSegvAccerrForAWriteToReadOnlyMemoryAndFixesIt() {
        assertEquals(0, run("segv-fix"));
        assertEquals("""
                handler: sig=11 code=SEGV_ACCERR addr=page+100 fault_address=page+100
                handler: first record magic=0x46508001 size=528
                handler: esr EC=0x24 WnR=1
                after handler: page[16]=42 page[100]=7 handler ran 1 time(s)
                """, stdout());
        assertEquals("", stderr());
    }

    @Test
    void handlerCanSiglongjmpOutOfAFaultAndTheMaskIsRestored() {
        assertEquals(0, run("longjmp"));
        assertEquals("""
                round 0: recovered from signal 11, SIGSEGV blocked after siglongjmp: no
                round 1: recovered from signal 11, SIGSEGV blocked after siglongjmp: no
                round 2: recovered from signal 11, SIGSEGV blocked after siglongjmp: no
                """, stdout());
    }

    @Test
    void handlerRunsOnTheAlternateStackWhereSigaltstackIsEperm() {
        assertEquals(0, run("altstack"));
        assertEquals("""
                small stack -> -1 ENOMEM
                sigaltstack -> 0
                in handler: sigaltstack while on it -> -1 EPERM
                in handler: ss_flags has SS_ONSTACK: yes
                handler ran on the alternate stack: yes
                """, stdout());
    }

    @Test
    void execveKeepsThePidClosesCloexecDescriptorsAndResetsCaughtSignals() {
        assertEquals(0, run("exec"));
        assertEquals("""
                exec-child: argc=6 argv[2]=one argv[3]=two env=yes
                exec-child: plain fd open: yes, O_CLOEXEC fd closed: yes
                exec-child: caught SIGUSR1 reset to default: yes
                exec-child: ignored SIGTERM still ignored: yes
                exec-child: same pid as before exec: yes
                child 0: exited 3
                execve of a missing file: -1 ENOENT
                """, stdout());
    }

    @Test
    void killRunsDefaultActionsAndHandlersAndTheParentGetsSigchld() {
        assertEquals(0, run("kill"));
        assertEquals("""
                SIGUSR1 to self handled: 1
                child 0: killed by signal 15
                child 1: killed by signal 9
                child 2: killed by signal 2
                child 3: killed by signal 3
                child 4: killed by signal 6
                child 5: killed by signal 12
                child 6: exited 5
                kill of a missing pid: -1 ESRCH
                SIGCHLD handler ran: for every child
                """, stdout());
    }

    @Test
    void vforkChildRunsInTheParentsMemoryWhileTheParentWaits() {
        assertEquals(0, run("vfork"));
        assertEquals("vfork: local=2 child 0: exited 4\n", stdout());
    }

    @Test
    void forkBombEndsWithEagainAtTheTaskLimitAndEveryChildIsReaped() {
        assertEquals(0, run("forkbomb"));
        assertEquals("""
                fork failed with EAGAIN after at least 10 children: yes
                reaped every child: yes
                """, stdout());
    }

    @Test
    void threadBlockedForeverOnItsOwnMutexIsADeadlockDiagnosisNotAHang() {
        assertEquals(Kernel.STATUS_DEADLOCK, run("deadlock"));
        assertEquals("locking twice\n", stdout());
        assertTrue(stderr().startsWith("a64emu: deadlock: every thread is blocked forever: 4242 (procs) in futex wait on 0x"),
                stderr());
    }

    @Test
    void sleepingThreadsAndProcessesLetTheClockJumpInsteadOfWaiting() {
        long started = System.nanoTime();
        assertEquals(0, run("sleep"));
        assertEquals("""
                thread slept at least 0.3 s: yes
                child slept at least 2 s: yes
                nanosleep with a bad timespec: EINVAL
                """, stdout());
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "the host did not sleep the 2 s");
    }

    @Test
    void faultWhileItsSignalIsBlockedTakesTheDefaultActionWithTheDiagnosis() {
        assertEquals(128 + 11, run("segv-blocked"));
        assertEquals("faulting with SIGSEGV blocked\n", stdout());
        assertTrue(stderr().matches("a64emu: SIGSEGV \\(SEGV_MAPERR\\) at 0x18 pc=0x[0-9a-f]+: read, no mapping \\(instruction: ldr .*\\)\n"),
                stderr());
    }

    @Test
    void rtSigreturnToAPrivilegedPstateIsABadFrameAndKillsWithSigsegv() {
        assertEquals(128 + 11, run("bad-frame"));
        assertEquals("returning from a handler with a corrupted frame\n", stdout());
        assertTrue(stderr().matches("a64emu: SIGSEGV \\(SEGV_ACCERR\\) at 0x[0-9a-f]+ pc=0x[0-9a-f]+: "
                + "rt_sigreturn with a bad frame: PSTATE 0x[0-9a-f]+ is not a 64-bit EL0 state\n"), stderr());
    }

    @Test
    void abortEndsTheRunWithSigabrtsStatus() {
        assertEquals(128 + 6, run("abort"));
        assertEquals("aborting\n", stdout());
        assertTrue(stderr().startsWith("a64emu: SIGABRT (SI_TKILL) at pc=0x"), stderr());
    }

    @Test
    void pipeBetweenProcessesBlocksWhenFullAndEmptyAndRaisesSigpipeWithoutAReader() {
        assertEquals(0, run("pipe"));
        assertEquals("""
                reader: 200000 bytes, checksum 25499040, then end of file (0)
                writer: 200000 bytes, checksum 25499040
                child 0: killed by signal 13
                write with no reader, SIGPIPE ignored: -1 EPIPE
                read of an empty O_NONBLOCK pipe: -1 EAGAIN
                """, stdout());
    }

    @Test
    void threadEndingWithARobustMutexHeldLeavesItOwnerDead() {
        assertEquals(0, run("robust"));
        assertEquals("""
                lock after the owner died: EOWNERDEAD
                lock again: 0
                """, stdout());
    }

    @Test
    void alarmInterruptsPauseOnTheKernelClockAndKillsWhenUnhandled() {
        long started = System.nanoTime();
        assertEquals(128 + 14, run("alarm"));
        assertEquals("""
                pause -> -1 EINTR, handler ran 1 time(s), after at least 2 s: yes
                alarm(0) after alarm(100) leaves about 100 s
                """, stdout());
        assertTrue(stderr().startsWith("a64emu: SIGALRM (SI_KERNEL) at pc=0x"), stderr());
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "the host did not wait for the alarms");
    }

    @Test
    void sigtimedwaitTakesABlockedSignalAndSigsuspendWaitsUnderAnotherMask() {
        assertEquals(0, run("sigwait"));
        assertEquals("""
                sigwaitinfo: SIGUSR1 from the child: yes, code SI_USER: yes
                sigtimedwait with nothing pending: -1 EAGAIN
                sigsuspend: -1 EINTR, handler ran 1, SIGUSR2 blocked again after: yes
                """, stdout());
    }
}
