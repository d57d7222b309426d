package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.jit.JitOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** --timeout, --max-instructions and an interrupt from outside end any guest, on time, with their status. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunLimitsTest {
    private static final Path SPIN = Path.of("programs/bin/lim_spin");
    private static final Path READ_STDIN = Path.of("programs/bin/read_stdin");
    private static final Path HELLO = Path.of("programs/bin/hello");

    private static final JitOptions JIT_ALL = JitOptions.DEFAULT.withHotThreshold(0);

    private record Ended(int status, String stderr, long instructions, long millis) {}

    private static Ended run(Path program, RunLimits limits, JitOptions jit, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20).withJit(jit)
                .withStreams(stdin, out, err));
        kernel.setRunLimits(limits);
        long start = System.nanoTime();
        int status = kernel.run(program, List.of(program.toString()), List.of());
        return new Ended(status, err.toString(StandardCharsets.UTF_8), kernel.stats().instructions(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Ended run(Path program, RunLimits limits, JitOptions jit) {
        return run(program, limits, jit, new ByteArrayInputStream(new byte[0]));
    }

    @Test
    void instructionLimitEndsASpinningGuestAfterExactlyThatManyInstructionsInTheInterpreter() {
        Ended e = run(SPIN, new RunLimits(0, 3_000_001), null);
        assertEquals(RunStop.INSTRUCTION_LIMIT.status, e.status(), e.stderr());
        assertEquals(3_000_001, e.instructions());
        assertTrue(Pattern.compile("^a64emu: --max-instructions 3000001 reached: 3000001 instructions retired, "
                + "stopped at pc=0x[0-9a-f]+\n$").matcher(e.stderr()).find(), e.stderr());
    }

    @Test
    void instructionLimitIsExactInTranslatedCodeToo() {
        // An odd limit that no quantum or unit length divides: the last unit stops mid-way.
        Ended jit = run(SPIN, new RunLimits(0, 3_000_001), JIT_ALL);
        Ended interp = run(SPIN, new RunLimits(0, 3_000_001), null);
        assertEquals(125, jit.status(), jit.stderr());
        assertEquals(3_000_001, jit.instructions());
        assertEquals(interp.stderr(), jit.stderr(), "the same pc and count under both engines");
    }

    @Test
    void aGuestThatEndsWithinItsInstructionLimitEndsAsItWould() {
        Ended e = run(HELLO, new RunLimits(0, 1_000_000_000), JIT_ALL);
        assertEquals(0, e.status(), e.stderr());
        assertEquals("", e.stderr());
    }

    @Test
    void timeoutEndsAGuestSpinningInTranslatedCodeOnTime() {
        Ended e = run(SPIN, new RunLimits(300_000_000L, 0), JIT_ALL);
        assertEquals(RunStop.TIMEOUT.status, e.status(), e.stderr());
        assertTrue(e.stderr().startsWith("a64emu: --timeout 300ms expired: "), e.stderr());
        assertTrue(e.millis() >= 300 && e.millis() < 5_000, "ended after " + e.millis() + " ms");
    }

    @Test
    void timeoutEndsAGuestWaitingForHostInputThatNeverComes() throws Exception {
        PipedOutputStream neverWritten = new PipedOutputStream();
        try (PipedInputStream stdin = new PipedInputStream(neverWritten)) {
            Ended e = run(READ_STDIN, new RunLimits(300_000_000L, 0), null, stdin);
            assertEquals(124, e.status(), e.stderr());
            assertTrue(e.millis() < 5_000, "ended after " + e.millis() + " ms");
        } finally {
            neverWritten.close();
        }
    }

    @Test
    void aStopRequestedFromAnotherThreadEndsTheRunWithItsStatus() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> kernel.run(SPIN, List.of(SPIN.toString()), List.of()));
        Thread.sleep(300);
        assertTrue(!run.isDone(), "lim_spin ended by itself: " + err);
        kernel.requestStop(RunStop.INTERRUPTED);
        assertEquals(130, run.get(30, TimeUnit.SECONDS));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("a64emu: interrupted by SIGINT: "), err.toString());
    }

    @Test
    void timeoutsAreWrittenBackAsTheUserWouldWriteThem() {
        assertEquals("10s", new RunLimits(10_000_000_000L, 0).timeoutText());
        assertEquals("500ms", new RunLimits(500_000_000L, 0).timeoutText());
        assertEquals("1.5s", new RunLimits(1_500_000_000L, 0).timeoutText());
    }

    /**
     * A run thread stuck in a host call (here a listener that blocks in a system call's entry,
     * as an open of a host device that never answers would) cannot see a stop request: after
     * STOP_GRACE_MILLIS the kernel's stuck-stop action gets the stop and its line; the default
     * (none) would wait.
     */
    @Test
    void aStopTheRunThreadCannotSeeCallsTheStuckStopActionWithItsLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err));
        java.util.concurrent.CountDownLatch inCall = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        kernel.setEvents(new a64emu.guest.events.GuestEvents() {
            @Override
            public void syscallEntry(Task thread, int nr) {
                if (inCall.getCount() > 0) {
                    inCall.countDown();
                    try {
                        release.await(); // stuck in the host until the stuck-stop action lets go
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.setStuckStop((why, line) -> {
            lines.add(why + ": " + line);
            release.countDown();
        });
        java.util.concurrent.CompletableFuture<Integer> status = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> kernel.run(HELLO, List.of(HELLO.toString()), List.of()));
        assertTrue(inCall.await(60, TimeUnit.SECONDS), "the guest made a system call");
        long asked = System.nanoTime();
        kernel.requestStop(RunStop.INTERRUPTED);
        assertEquals(RunStop.INTERRUPTED.status, status.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertTrue((System.nanoTime() - asked) / 1_000_000 >= Kernel.STOP_GRACE_MILLIS, "after the grace period");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("INTERRUPTED: a64emu: interrupted by SIGINT: \\d+ instructions retired, "
                + "stopped at pc=0x[0-9a-f]+, blocked in a host call that did not return within 1000 ms"), lines.get(0));
    }

    @Test
    void aStopTheRunHonoursInTimeNeverCallsTheStuckStopAction() throws Exception {
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                        new ByteArrayOutputStream()));
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.setStuckStop((why, line) -> lines.add(line));
        kernel.setRunLimits(new RunLimits(200_000_000L, 0));
        assertEquals(RunStop.TIMEOUT.status, kernel.run(SPIN, List.of(SPIN.toString()), List.of()));
        Thread.sleep(Kernel.STOP_GRACE_MILLIS + 500);
        assertEquals(List.of(), lines);
    }
}
