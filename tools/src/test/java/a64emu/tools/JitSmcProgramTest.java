package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The self-modifying-code program (guest/programs/src/jit_smc.c: code written, run, rewritten
 * with the cache maintenance Linux requires, run again; W^X and RWX pages, munmap and mmap at
 * the same address, code hot before it is rewritten, a loop that patches its own body, a fault
 * in the middle of a hot loop, code rewritten across fork) under the JIT at several hotness
 * thresholds, so that translation happens at different points of each case: at once (0), on
 * the second arrival, in the middle of the hot loops, and not at all for the short-lived code.
 * At every threshold it must print what it printed under qemu-aarch64 and retire exactly the
 * instructions the interpreter retires, with the same fault trace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JitSmcProgramTest {
    static final String PROGRAM = "jit_smc";

    private static EngineEquivalenceTest.Observed interpreter;

    @BeforeAll
    static void runUnderTheInterpreter() {
        interpreter = EngineEquivalenceTest.observe(PROGRAM, EngineEquivalenceTest.INTERPRETER);
    }

    private static String expectedStdout() {
        return new String(GuestPrograms.expectedBytes(PROGRAM, ".stdout"), StandardCharsets.UTF_8);
    }

    @Test
    void theInterpreterPrintsWhatQemuPrinted() {
        assertEquals(expectedStdout(), interpreter.stdout(), interpreter.stderr());
        assertEquals(GuestPrograms.expectedStatus(PROGRAM), interpreter.status(), interpreter.stderr());
    }

    @ParameterizedTest(name = "--jit-threshold {0}")
    @ValueSource(ints = {0, 1, 16, 64, 1000, 100_000})
    void theJitPrintsWhatQemuPrintedAndRetiresWhatTheInterpreterRetires(int threshold) {
        EngineEquivalenceTest.Observed jit = EngineEquivalenceTest.observe(PROGRAM,
                List.of("--engine", "jit", "--jit-threshold", Integer.toString(threshold)));
        String stdout = EngineEquivalenceTest.firstDifference(GuestPrograms.lines(expectedStdout()),
                GuestPrograms.lines(jit.stdout()));
        if (stdout != null) {
            fail("threshold " + threshold + ": stdout differs from qemu-aarch64's at "
                    + stdout.replace("interp:", "qemu:  ") + "\nstderr:\n" + jit.stderr());
        }
        assertEquals(GuestPrograms.expectedStatus(PROGRAM), jit.status(), jit.stderr());
        String faults = EngineEquivalenceTest.firstDifference(interpreter.faults(), jit.faults());
        if (faults != null) {
            fail("threshold " + threshold + ": the fault trace differs from the interpreter's at " + faults);
        }
        assertEquals(interpreter.instructions(), jit.instructions(), "threshold " + threshold
                + ": instructions retired (interp, jit)");
        assertTrue(jit.stderr().lines().anyMatch(l -> l.startsWith("  jit")), jit.stderr());
    }
}
