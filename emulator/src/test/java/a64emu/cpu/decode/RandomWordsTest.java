package a64emu.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.GuestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Any 32-bit word, allocated or not, executes or ends in a guest exception (undefined
 * instruction, abort, SVC, BRK): never a JVM exception. Words are drawn uniformly and
 * also from every encoding's pattern (its fixed bits, the rest random, so reserved
 * field values inside an allocated encoding are covered), with random register, flag
 * and FP state and base registers that often point into RAM.
 */
class RandomWordsTest {
    private static final int UNIFORM_WORDS = 100_000;
    private static final int WORDS_PER_ENCODING = 200;

    @Test
    void everyWordExecutesOrRaisesAGuestException() {
        Random rng = new Random(20261122);
        CpuHarness h = new CpuHarness();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < UNIFORM_WORDS; i++) {
            execute(h, rng, rng.nextInt(), failures);
        }
        for (Encoding e : EncodingTable.all()) {
            for (int i = 0; i < WORDS_PER_ENCODING; i++) {
                execute(h, rng, e.value() | (rng.nextInt() & ~e.mask()), failures);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " words raised a JVM exception");
    }

    private static void execute(CpuHarness h, Random rng, int word, List<String> failures) {
        randomState(h, rng);
        Encoding e = h.cpu.decoder().decode(word);
        try {
            e.semantics().execute(h.cpu, word);
        } catch (GuestException expected) {
            // An undefined instruction, abort, SVC or BRK is the guest's business.
        } catch (RuntimeException | StackOverflowError bug) {
            failures.add(String.format("%08x (%s): %s", word, e.name(), bug));
        }
    }

    private static void randomState(CpuHarness h, Random rng) {
        for (int r = 0; r < 31; r++) {
            h.cpu.x[r] = switch (rng.nextInt(4)) {
                case 0 -> CpuHarness.DATA + (rng.nextInt(1 << 16) & ~15);
                case 1 -> CpuHarness.DATA + rng.nextInt(1 << 16);
                case 2 -> rng.nextInt(64) - 32;
                default -> rng.nextLong();
            };
        }
        for (int r = 0; r < 64; r++) {
            h.cpu.v[r] = rng.nextLong();
        }
        h.cpu.sp = CpuHarness.STACK - 16L * rng.nextInt(64);
        h.cpu.nzcv = rng.nextInt() & 0xF000_0000;
        h.cpu.fpcr = (long) rng.nextInt(4) << 22 | (rng.nextBoolean() ? 1L << 25 : 0) | (rng.nextBoolean() ? 1L << 24 : 0);
        h.cpu.fpsr = 0;
        h.cpu.pc = CpuHarness.CODE;
    }
}
