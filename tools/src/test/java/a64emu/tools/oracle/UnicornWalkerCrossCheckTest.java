package a64emu.tools.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.VectorFile;
import a64emu.tools.mmutest.UnicornVectorCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential check of the page-table vectors against QEMU's stage 1 table walker inside
 * Unicorn 1.x, through {@link UnicornVectorCheck} (the same selection and judging as
 * {@code a64emu mmu-test --oracle unicorn}): where a64emu translates, Unicorn's load or store
 * must reach the same physical address; where a64emu faults, Unicorn must refuse the access.
 * The cases left out and why are {@link UnicornVectorCheck#exclusion}'s, counted by
 * {@link #coverage}. The whole check is skipped, with a message, only when the Unicorn native
 * library cannot load on the machine.
 */
class UnicornWalkerCrossCheckTest {
    static final Path VECTORS = Path.of("..", "emulator", "src", "test", "resources", "a64emu", "mmu", "vectors");
    /** The cross-check must keep covering a good part of the suite. */
    static final int MINIMUM_CHECKED = 180;

    private static String unicornUnavailable;
    /** Unicorn's verdicts by case (null: agrees), computed once. */
    private static Map<TranslationVector, String> verdicts;

    @BeforeAll
    static void loadUnicorn() {
        try {
            UnicornVectorCheck.probe();
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, NoClassDefFoundError, UnicornException
            unicornUnavailable = e.toString();
        }
    }

    private static void requireUnicorn() {
        Assumptions.assumeTrue(unicornUnavailable == null,
                () -> "Unicorn native library cannot load on this machine, cross-check skipped: " + unicornUnavailable);
    }

    static List<TranslationVector> allCases() {
        assertTrue(Files.isDirectory(VECTORS), "vector files not found at " + VECTORS.toAbsolutePath());
        return VectorFile.readDirectory(VECTORS);
    }

    static Stream<TranslationVector> checkableTranslations() {
        return allCases().stream().filter(v -> UnicornVectorCheck.exclusion(v) == null && !UnicornVectorCheck.faults(v));
    }

    static Stream<TranslationVector> checkableFaults() {
        return allCases().stream().filter(v -> UnicornVectorCheck.exclusion(v) == null && UnicornVectorCheck.faults(v));
    }

    @Test
    void coverage() {
        Map<String, Integer> reasons = new TreeMap<>();
        int checked = 0;
        int faulting = 0;
        List<TranslationVector> all = allCases();
        for (TranslationVector v : all) {
            String why = UnicornVectorCheck.exclusion(v);
            if (why == null) {
                checked++;
                faulting += UnicornVectorCheck.faults(v) ? 1 : 0;
            } else {
                reasons.merge(why, 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(
                "Unicorn cross-check: %d of %d vector cases checked (%d translations, %d faults)%n",
                checked, all.size(), checked - faulting, faulting));
        reasons.forEach((why, n) -> sb.append(String.format("  %4d left out: %s%n", n, why)));
        System.out.print(sb);
        assertTrue(checked >= MINIMUM_CHECKED, sb.toString());
    }

    private static synchronized String verdict(TranslationVector v) throws Exception {
        if (verdicts == null) {
            verdicts = UnicornVectorCheck.check(allCases());
        }
        assertTrue(verdicts.containsKey(v), v.source() + ": not checked");
        return verdicts.get(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkableTranslations")
    void unicornReachesThePhysicalAddressA64emuTranslatesTo(TranslationVector v) throws Exception {
        requireUnicorn();
        String disagreement = verdict(v);
        assertTrue(disagreement == null, () -> v.source() + ": " + disagreement);
    }

    /**
     * A fault can only be seen as Unicorn dying (reference/oracles.md), so this checks that
     * QEMU's walker refuses the access too, not which fault it takes: the ESR is the vectors'
     * business. A load that completes is a real disagreement.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("checkableFaults")
    void unicornAlsoRefusesTheAccessA64emuFaults(TranslationVector v) throws Exception {
        requireUnicorn();
        String disagreement = verdict(v);
        assertTrue(disagreement == null, () -> v.source() + ": " + disagreement);
    }
}
