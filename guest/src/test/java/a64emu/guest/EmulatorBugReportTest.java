package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.events.GuestEvents;
import a64emu.jit.JitOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Any Java failure inside a run (the engine, the kernel's handling of a system call, the
 * scheduler; an Error as much as an exception) ends it with status 134 and one line naming
 * the guest pc and the instruction word there. The failures are forced through the events
 * the kernel publishes, which run inside each of those paths.
 */
class EmulatorBugReportTest {
    private static final Path PROGRAM = Path.of("programs/bin/proc_threads");
    private static final Pattern ONE_LINE = Pattern.compile(
            "^a64emu: emulator bug at pc=0x[0-9a-f]+ \\(instruction 0x[0-9a-f]{8}\\): (.*) "
                    + "\\(A64EMU_DEBUG=1 prints the Java stack trace\\)\n$");

    private record Ended(int status, String stderr) {}

    private static Ended runWith(GuestEvents events, JitOptions jit) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernel kernel = new Kernel(KernelConfig.defaults().withRam(64L << 20).withJit(jit)
                .withStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err));
        kernel.setEvents(events);
        int status = kernel.run(PROGRAM, List.of(PROGRAM.toString()), List.of());
        return new Ended(status, err.toString(StandardCharsets.UTF_8));
    }

    private static void assertReported(Ended e, String failure) {
        assertEquals(Kernel.STATUS_EMULATOR_BUG, e.status(), e.stderr());
        var m = ONE_LINE.matcher(e.stderr());
        assertTrue(m.find(), "one line with the pc and the instruction: " + e.stderr());
        assertEquals(failure, m.group(1));
    }

    /** Throws {@code failure} from the engine's run once the guest has run a few quanta. */
    private static GuestEvents failingEngine(Supplier<Throwable> failure) {
        return new GuestEvents() {
            int runs;

            @Override
            public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
                ExceptionInfo ex = cpu.run(quantum);
                if (++runs == 20) {
                    throw sneaky(failure.get());
                }
                return ex;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void anExceptionInTheInterpreterIsReportedWithThePcAndInstruction() {
        assertReported(runWith(failingEngine(() -> new IllegalStateException("forced")), null),
                "java.lang.IllegalStateException: forced");
    }

    @Test
    void anExceptionInTranslatedCodeIsReportedWithThePcAndInstruction() {
        assertReported(runWith(failingEngine(() -> new IllegalStateException("forced")),
                JitOptions.DEFAULT.withHotThreshold(0)), "java.lang.IllegalStateException: forced");
    }

    @Test
    void aJvmErrorSuchAsOutOfMemoryIsAnEmulatorBugToo() {
        assertReported(runWith(failingEngine(() -> new OutOfMemoryError("Java heap space")), null),
                "java.lang.OutOfMemoryError: Java heap space");
        assertReported(runWith(failingEngine(StackOverflowError::new), null), "java.lang.StackOverflowError");
    }

    @Test
    void anExceptionInASystemCallIsReportedWithThePcAndInstruction() {
        Ended e = runWith(new GuestEvents() {
            @Override
            public void syscallEntry(Task thread, int nr) {
                if (nr == a64emu.guest.syscall.SyscallNumbers.CLONE) {
                    throw new IllegalArgumentException("forced in clone");
                }
            }
        }, null);
        assertReported(e, "java.lang.IllegalArgumentException: forced in clone");
    }

    @Test
    void anExceptionInTheSchedulerIsReportedWithThePcAndInstruction() {
        Ended e = runWith(new GuestEvents() {
            @Override
            public void threadSwitched(Task from, Task to) {
                if (from != null) {
                    throw new IndexOutOfBoundsException("forced in a thread switch");
                }
            }
        }, null);
        assertReported(e, "java.lang.IndexOutOfBoundsException: forced in a thread switch");
    }
}
