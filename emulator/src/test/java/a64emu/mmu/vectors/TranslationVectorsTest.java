package a64emu.mmu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Mmu;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.format.TranslationVector;
import a64emu.mmu.vectors.format.TranslationVector.Access;
import a64emu.mmu.vectors.format.TranslationVector.Command;
import a64emu.mmu.vectors.format.TranslationVector.Faulted;
import a64emu.mmu.vectors.format.TranslationVector.Translated;
import a64emu.mmu.vectors.format.TranslationVector.WriteMemory;
import a64emu.mmu.vectors.format.VectorFile;
import a64emu.mmu.vectors.format.VectorMachine;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the page-table vector files ({@code vectors/*.vectors}, format in
 * {@link VectorFile}) on a fresh {@link VectorMachine}: the physical address, MAIR attribute
 * and shareability of each translated access, or the exact ESR (EC, FSC, WnR) and FAR of each
 * fault, must be what the case says the architecture does.
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
        VectorMachine machine = new VectorMachine();
        for (Command c : v.commands()) {
            if (c instanceof Access a) {
                check(v, machine.mmu, machine.ram, a);
            } else {
                machine.setUp(c);
            }
        }
    }

    private static void check(TranslationVector v, Mmu mmu, PhysicalMemory ram, Access a) {
        String where = v.source() + " (access on line " + a.line() + ")";
        // The leaf as memory holds it before the access, for the attribute checks.
        TranslationTrace trace = mmu.traceWalk(a.va(), a.type(), a.el());
        long pa;
        try {
            pa = mmu.translate(a.va(), a.type(), a.el());
        } catch (GuestException e) {
            if (!(a.expectation() instanceof Faulted f)) {
                fail(where + ": expected " + a.expectation() + ", got " + e.getMessage());
                return;
            }
            assertEquals(describe(f.ec(), f.fsc(), f.wnr(), f.far()),
                    describe(e.ec, e.iss & 0x3F, (e.iss & Esr.ISS_DA_WNR) != 0, e.far),
                    where + ": " + e.getMessage());
            // Nothing else in the ISS: no S1PTW or CM from a stage 1 data or instruction access.
            assertEquals(e.iss & ~(0x3F | Esr.ISS_DA_WNR), 0, where + ": ISS 0x" + Integer.toHexString(e.iss));
            checkMemory(ram, a, where);
            return;
        }
        if (!(a.expectation() instanceof Translated t)) {
            fail(where + ": expected " + a.expectation() + ", got PA 0x" + Long.toHexString(pa));
            return;
        }
        assertEquals(hex(t.pa()), hex(pa), where + ": physical address");
        if (t.memAttr() >= 0 || t.sh() >= 0) {
            List<TranslationTrace.Step> steps = trace.steps();
            long leaf = steps.get(steps.size() - 1).descriptor();
            if (t.memAttr() >= 0) {
                assertEquals(hex(t.memAttr()), hex(mmu.memoryAttribute(Descriptor.attrIndxOf(leaf))),
                        where + ": MAIR attribute");
            }
            if (t.sh() >= 0) {
                assertEquals(t.sh(), Descriptor.sh(leaf), where + ": shareability");
            }
        }
        checkMemory(ram, a, where);
    }

    private static void checkMemory(PhysicalMemory ram, Access a, String where) {
        for (WriteMemory m : a.memoryAfter()) {
            assertEquals(hex(m.value()), hex(ram.read64(m.pa())), where + ": memory at 0x" + Long.toHexString(m.pa()));
        }
    }

    private static String describe(int ec, int fsc, boolean wnr, long far) {
        return String.format("EC=0x%02x FSC=0x%02x (%s) WnR=%d FAR=0x%016x", ec, fsc, Esr.fscName(fsc), wnr ? 1 : 0, far);
    }

    private static String hex(long v) {
        return String.format("0x%016x", v);
    }
}
