package a64emu.mmu.vectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.vectors.VectorRunner.CaseResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the page-table vector files ({@code vectors/*.vectors}, format in
 * {@code docs/mmu-vectors.md}) with {@link VectorRunner}, the runner {@code a64emu mmu-test}
 * uses: the physical address, MAIR attribute and shareability of each translated access, or
 * the exact ESR (EC, FSC, WnR) and FAR of each fault, must be what the case says the
 * architecture does.
 *
 * <p>Cases with a {@code bug} line are known disagreements and are skipped with the reason;
 * {@code -Da64emu.vectors.bugs=run} runs them too.
 */
class TranslationVectorsTest {
    static final int MINIMUM_CASES = 300;

    static Path vectorDirectory() {
        try {
            return Path.of(TranslationVectorsTest.class.getResource("/a64emu/mmu/vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<TranslationVector> cases() {
        return VectorFile.readDirectory(vectorDirectory()).stream();
    }

    @Test
    void suiteHasAtLeastThreeHundredCases() {
        long n = cases().count();
        assertTrue(n >= MINIMUM_CASES, "only " + n + " vector cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseBehavesAsTheArchitectureSays(TranslationVector v) {
        if (v.knownBug() != null) {
            Assumptions.assumeTrue(Boolean.getBoolean("a64emu.vectors.bugs") || "run".equals(
                    System.getProperty("a64emu.vectors.bugs")), "known a64emu bug: " + v.knownBug());
        }
        CaseResult r = VectorRunner.run(v);
        assertTrue(r.passed(), r::describe);
    }
}
