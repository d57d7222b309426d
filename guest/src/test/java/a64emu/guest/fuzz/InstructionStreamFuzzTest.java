package a64emu.guest.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the CPU and the kernel's exception handling with instruction streams: random words,
 * and (from the seeds) mutated code of the committed programs. The words are a page of code
 * at 0x401000 in a small static program whose prologue points x0-x28 into a 16 KiB data area
 * at 0x410000 (x29 at its end, x30 at the code), so that loads, stores and branches through
 * registers reach mapped memory as well as holes. Whatever the code does must end as a guest
 * signal (SIGILL, SIGSEGV, SIGBUS, SIGTRAP...), an exit, or the harness's instruction budget
 * (then SIGKILL): never an emulator bug (status 134 with "emulator bug" on stderr). Each input
 * runs with the interpreter and with the JIT translating every block at once (threshold 0),
 * and when neither ran out of budget both must end with the same status and output.
 *
 * <p>Input: byte 0 holds options (bit 0: the code page is writable too, RWX, for
 * self-modifying code), the rest the little-endian instruction words (up to 1024).
 */
class InstructionStreamFuzzTest {
    private static final FuzzRoot ROOT = new FuzzRoot("insn");
    static final long PROLOGUE = 0x400000;
    static final long CODE = 0x401000;
    static final long DATA = 0x410000;
    static final int DATA_BYTES = 0x4000;
    static final int MAX_WORDS = 1024;
    /** Instructions each engine may run; a loop is ended by SIGKILL when they are spent. */
    static final long BUDGET = 20_000;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;

    @FuzzTest(maxDuration = "5m")
    void anyInstructionStreamEndsInASignalAnExitOrTheBudgetUnderBothEngines(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String program = ROOT.write("prog", program(input));
        GuestRun.Result interpreted = GuestRun.run(ROOT.dir(), program, BUDGET, null, null);
        assertFalse(interpreted.emulatorBug(), () -> "interpreter: " + interpreted.stderr());
        GuestRun.Result jitted = GuestRun.run(ROOT.dir(), program, BUDGET, GuestRun.JIT_AT_ONCE, null);
        assertFalse(jitted.emulatorBug(), () -> "JIT: " + jitted.stderr());
        if (!interpreted.budgetSpent() && !jitted.budgetSpent()) {
            assertEquals(interpreted.status(), jitted.status(),
                    () -> "interpreter: " + interpreted.stderr() + "JIT: " + jitted.stderr());
            assertEquals(interpreted.stdout(), jitted.stdout());
        }
    }

    /** The program for {@code input}: prologue, the words as code, the data area. */
    static byte[] program(byte[] input) {
        boolean writableCode = (input[0] & 1) != 0;
        byte[] words = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + 4 * MAX_WORDS));
        byte[] code = Arrays.copyOf(words, Math.max(4, (words.length + 3) & ~3));
        List<Integer> prologue = new ArrayList<>();
        for (int r = 0; r <= 28; r++) {
            A64.movImm64(prologue, r, DATA + r * 0x100L);
        }
        A64.movImm64(prologue, 29, DATA + DATA_BYTES - 16);
        A64.movImm64(prologue, 30, CODE);
        prologue.add(A64.b(CODE - (PROLOGUE + 4L * prologue.size())));
        byte[] data = new byte[0x1000];
        java.nio.ByteBuffer d = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; i += 8) {
            d.putLong(i, DATA + (i * 13L) % DATA_BYTES); // pointers back into the area
        }
        return new StaticElf(PROLOGUE)
                .add(PROLOGUE, PF_R | PF_X, StaticElf.code(prologue), 0)
                .add(CODE, PF_R | PF_X | (writableCode ? PF_W : 0), code, 0)
                .add(DATA, PF_R | PF_W, data, DATA_BYTES)
                .build();
    }
}
