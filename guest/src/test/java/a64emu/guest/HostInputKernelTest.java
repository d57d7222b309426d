package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A guest thread waiting for the host's standard input does not stop the others, or the clock. */
class HostInputKernelTest {
    private static final Path PROGRAM = Path.of("programs/bin/proc_stdin_threads");
    private static final String WORKER_LINE = "worker: done while main waits for input\n";

    /** Collects stdout and opens a latch when the worker's line has been written. */
    private static final class Watched extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch workerDone = new CountDownLatch(1);

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (bytes.toString(StandardCharsets.UTF_8).contains(WORKER_LINE)) {
                workerDone.countDown();
            }
        }
    }

    @Test
    void anotherThreadRunsWhileOneReadsStdinBeforeAnyInputHasCome() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed);
        Watched out = new Watched();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20).withStreams(stdin, out, err));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> kernel.run(PROGRAM, List.of(PROGRAM.toString()), List.of()));

        // No input yet: the worker must still get to the end of its work.
        assertTrue(out.workerDone.await(60, TimeUnit.SECONDS),
                "the worker never ran while main waited for input; stderr: " + err);
        assertTrue(!run.isDone(), "main must still be waiting for its input");
        feed.write("go\n".getBytes(StandardCharsets.US_ASCII));
        feed.close();

        assertEquals(0, run.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals(WORKER_LINE + "main: read 3 bytes, then joined the worker\n",
                out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyThreadAsleepOnInputIsAWaitNotADeadlockAndTheClockDoesNotJump() throws Exception {
        // Main waits for input, the worker is done and joined-on: nothing can run until the
        // host delivers. That is neither a deadlock nor a reason to skip the clock ahead.
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed);
        Watched out = new Watched();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20).withStreams(stdin, out, err));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> kernel.run(PROGRAM, List.of(PROGRAM.toString()), List.of()));
        assertTrue(out.workerDone.await(60, TimeUnit.SECONDS), "stderr: " + err);
        Thread.sleep(300);
        feed.close(); // end of input, no bytes
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        assertTrue(out.bytes.toString(StandardCharsets.UTF_8).endsWith("main: read 0 bytes, then joined the worker\n"));
        assertEquals(0, kernel.sleptNanos(), "the clock skipped ahead while a thread waited for input");
        assertTrue(!err.toString(StandardCharsets.UTF_8).contains("deadlock"), err.toString(StandardCharsets.UTF_8));
    }
}
