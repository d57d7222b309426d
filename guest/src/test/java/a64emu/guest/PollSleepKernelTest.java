package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.events.GuestEvents;
import a64emu.guest.syscall.SyscallNumbers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thread waiting in ppoll, pselect6 or epoll_pwait sleeps in the scheduler: from the call
 * that blocks to the run of it that a wake-up or the deadline brings, the thread retires
 * only the SVC it runs again, however long another thread computes meanwhile.
 */
class PollSleepKernelTest {
    private static final Set<Integer> WAITS = Set.of(SyscallNumbers.PPOLL, SyscallNumbers.PSELECT6,
            SyscallNumbers.EPOLL_PWAIT);
    // The stdin wait below sleeps in real time, with no other thread: the host delivers.

    /** Instructions each thread retired between blocking in a wait and running it again. */
    private static final class SleepMeter implements GuestEvents {
        private record Blocked(int nr, long pcAfterSvc, long instructions) {}

        final Map<Task, Blocked> asleep = new HashMap<>();
        final List<Long> retiredWhileAsleep = new ArrayList<>();

        @Override
        public void syscallEntry(Task thread, int nr) {
            Blocked b = asleep.remove(thread);
            if (b != null && b.nr == nr && b.pcAfterSvc == thread.cpu.pc) {
                retiredWhileAsleep.add(thread.cpu.instructions - b.instructions);
            }
        }

        @Override
        public void syscallExit(Task thread, int nr, long result) {
            if (WAITS.contains(nr) && thread.state() == Task.State.BLOCKED) {
                asleep.put(thread, new Blocked(nr, thread.cpu.pc, thread.cpu.instructions));
            }
        }
    }

    private long instructions;

    private SleepMeter run(String program, String expectedLine) {
        Path path = Path.of("programs/bin/" + program);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err));
        SleepMeter meter = new SleepMeter();
        kernel.setEvents(meter);
        assertEquals(0, kernel.run(path, List.of(path.toString()), List.of()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(expectedLine), out.toString(StandardCharsets.UTF_8));
        instructions = kernel.stats().instructions();
        return meter;
    }

    @Test
    void aThreadInPpollOrSelectRetiresNoInstructionsWhileTheWriterComputes() {
        SleepMeter m = run("ev_poll_sleep", "poll, child writes after a loop: 1 revents 0x1");
        assertTrue(instructions > 40_000_000L, "the writer's loop ran meanwhile: " + instructions);
        assertTrue(m.retiredWhileAsleep.size() >= 5, "waits that slept and ran again: " + m.retiredWhileAsleep);
        for (long n : m.retiredWhileAsleep) {
            assertTrue(n <= 1, "instructions retired asleep: " + m.retiredWhileAsleep);
        }
    }

    @Test
    void aThreadInEpollWaitRetiresNoInstructionsWhileItSleeps() {
        SleepMeter m = run("ev_epoll", "waiting for the child: 1 child:IN");
        assertTrue(m.retiredWhileAsleep.size() >= 3, "waits that slept and ran again: " + m.retiredWhileAsleep);
        for (long n : m.retiredWhileAsleep) {
            assertTrue(n <= 1, "instructions retired asleep: " + m.retiredWhileAsleep);
        }
    }

    @Test
    void anEdgeTriggeredEpollOnStandardInputSleepsUntilTheHostDelivers() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path path = Path.of("programs/bin/ev_epoll");
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20).withStreams(stdin, out, err));
        SleepMeter meter = new SleepMeter();
        kernel.setEvents(meter);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> kernel.run(path, List.of(path.toString(), "stdin"), List.of()));
        Thread.sleep(300);
        assertFalse(run.isDone(), "epoll_wait must wait for the input; stderr: " + err);
        feed.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        feed.flush();
        Thread.sleep(300);
        feed.close();
        assertEquals(0, run.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals("stdin: 1 event IN\nread: hello\nthen: poll 1, read 0\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(!meter.retiredWhileAsleep.isEmpty() && meter.retiredWhileAsleep.stream().allMatch(n -> n <= 1),
                "instructions retired asleep: " + meter.retiredWhileAsleep);
    }
}
