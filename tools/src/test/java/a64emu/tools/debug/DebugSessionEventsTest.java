package a64emu.tools.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.DebugHooks;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.signal.Signal;
import a64emu.tools.debug.DebugSession.Reason;
import a64emu.tools.debug.DebugSession.Resume;
import a64emu.tools.debug.DebugSession.Stop;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The debugger core on whole runs of committed programs: which events stop the guest, where
 * it stands at each stop, and that going on leaves the program's behaviour as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebugSessionEventsTest {
    private static final String HELLO = "../guest/programs/bin/hello";
    private static final String NULL_DEREF = "../guest/programs/bin/null_deref";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Stop> stops = new ArrayList<>();

    /** Runs {@code program} with a front end that records each stop and answers with {@code answer}. */
    private int run(String program, Function<Stop, Resume> answer, java.util.function.Consumer<DebugSession> setup) {
        Kernel kernel = new Kernel(KernelConfig.defaults().withStreams(new ByteArrayInputStream(new byte[0]), out, err));
        DebugSession[] session = new DebugSession[1];
        session[0] = new DebugSession(kernel, stop -> {
            stops.add(stop);
            return answer.apply(stop);
        }, null);
        setup.accept(session[0]);
        return kernel.run(Path.of(program), List.of(program), List.of());
    }

    private static byte[] helloStdout() {
        try {
            return Files.readAllBytes(Path.of("../guest/programs/expected/hello.stdout"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long symbol(String program, String name) throws Exception {
        return ElfSymbols.read(Files.readAllBytes(Path.of(program))).find(name).orElseThrow().value();
    }

    @Test
    void theFirstStopIsBeforeTheEntryPointAndContinuingRunsTheProgramUnchanged() {
        int status = run(HELLO, s -> Resume.proceed(), s -> {});
        assertEquals(0, status);
        assertArrayEquals(helloStdout(), out.toByteArray());
        assertEquals(1, stops.size());
        assertEquals(Reason.STARTED, stops.get(0).reason());
    }

    @Test
    void aBreakpointStopsBeforeItsInstructionAndASingleStepAfterIt() throws Exception {
        long main = symbol(HELLO, "main");
        List<Long> pcs = new ArrayList<>();
        int status = run(HELLO, s -> {
            pcs.add(s.thread().cpu.pc);
            return switch (s.reason()) {
                case STARTED -> Resume.proceed();
                case BREAKPOINT -> Resume.step();
                default -> Resume.proceed();
            };
        }, s -> s.addBreakpoint(main));
        assertEquals(0, status);
        assertEquals(List.of(Reason.STARTED, Reason.BREAKPOINT, Reason.STEPPED),
                stops.stream().map(Stop::reason).toList());
        assertEquals(main, pcs.get(1));
        assertEquals(main + 4, pcs.get(2), "main's first instruction is not a branch");
        assertArrayEquals(helloStdout(), out.toByteArray(),
                "the breakpoint wrote nothing into the program's text");
    }

    @Test
    void aFaultTurnedIntoASignalStopsBeforeDeliveryAtTheFaultingInstruction() {
        List<Long> x0 = new ArrayList<>();
        int status = run(NULL_DEREF, s -> {
            if (s.reason() == Reason.SIGNAL) {
                x0.add(s.thread().cpu.x[0]);
            }
            return Resume.proceed();
        }, s -> {});
        Stop signal = stops.stream().filter(s -> s.reason() == Reason.SIGNAL).findFirst().orElseThrow();
        assertEquals(Signal.SIGSEGV, signal.signal().signo());
        assertEquals(128 + Signal.SIGSEGV, status, "continuing delivers it: the default action ends the program");
        assertEquals(List.of(0L), x0, "null_deref loads through x0 = 0");
    }

    @Test
    void answeringWithSignalZeroDropsTheSignalAndTheInstructionFaultsAgain() {
        int[] seen = new int[1];
        int status = run(NULL_DEREF, s -> {
            if (s.reason() == Reason.SIGNAL && ++seen[0] == 1) {
                return new Resume(DebugSession.Action.CONTINUE, 0, 0); // drop it once
            }
            return Resume.proceed();
        }, s -> {});
        assertEquals(2, seen[0], "the same fault again, as on Linux when a tracer suppresses SIGSEGV");
        assertEquals(128 + Signal.SIGSEGV, status);
    }

    @Test
    void everyPageFaultStopsWhenAskedAndTheLastFaultSaysWhatTheKernelDid() {
        List<String> outcomes = new ArrayList<>();
        DebugSession[] held = new DebugSession[1];
        int status = run(HELLO, s -> {
            if (s.reason() == Reason.PAGE_FAULT) {
                assertNotNull(s.exception().fault());
            }
            if (s.reason() == Reason.PAGE_FAULT) {
                assertEquals(null, held[0].lastFault().outcome(), "not handled yet");
                return Resume.step(); // the kernel handles it, the instruction completes, the step ends
            }
            if (s.reason() == Reason.STEPPED && held[0].lastFault().outcome() != null) {
                outcomes.add(held[0].lastFault().outcome());
            }
            return Resume.proceed();
        }, s -> {
            held[0] = s;
            s.setStopOnPageFaults(true);
        });
        assertEquals(0, status);
        long pageFaults = stops.stream().filter(s -> s.reason() == Reason.PAGE_FAULT).count();
        assertTrue(pageFaults > 5, "demand paging of text, data and stack: " + pageFaults);
        assertTrue(outcomes.stream().anyMatch(o -> o.contains("zero-fill") || o.contains("file page")), outcomes.toString());
    }

    @Test
    void aWriteWatchpointReportsOldAndNewValueAndMemoryReadsGoThroughTheMmu() throws IOException {
        // The word below the initial SP is written early (the first frame record).
        DebugSession[] held = new DebugSession[1];
        List<DebugSession.WatchReport> hits = new ArrayList<>();
        int status = run(HELLO, s -> {
            Process p = s.thread().process;
            if (s.reason() == Reason.STARTED) {
                long sp = s.thread().cpu.sp;
                held[0].addWatchpoint(p, sp - 16, 8, DebugHooks.WatchKind.WRITE);
                assertThrows(BadUserAddressException.class, () -> held[0].read(p, 0, 8));
            }
            if (s.reason() == Reason.WATCHPOINT) {
                hits.add(s.watch());
                held[0].removeWatchpoint(s.watch().watchpoint());
            }
            return Resume.proceed();
        }, s -> held[0] = s);
        assertEquals(0, status);
        assertEquals(1, hits.size());
        DebugSession.WatchReport w = hits.get(0);
        assertTrue(w.write());
        assertEquals(0, w.oldValue(), "fresh stack is zero");
    }

    @Test
    void killEndsTheRunWithSigkill() {
        int status = run(HELLO, s -> new Resume(DebugSession.Action.KILL, 0, 0), s -> {});
        assertEquals(128 + Signal.SIGKILL, status);
        assertEquals(0, out.size(), "killed before its first instruction");
    }
}
