package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseGeneratorTest {
    private final List<DecoderClass> classes = DecoderClass.all();

    @Test
    void everyEncodingOfTheTableBelongsToExactlyOneClass() {
        assertEquals(EncodingTable.all().size(), classes.stream().mapToInt(c -> c.encodings().size()).sum());
        assertTrue(classes.stream().anyMatch(c -> c.name().equals("DataProcessingImmediate")));
    }

    @Test
    void aCaseIsRegeneratedExactlyFromSeedAndIndex() {
        DiffCase a = new CaseGenerator(7, classes).generate(12345);
        DiffCase b = new CaseGenerator(7, classes).generate(12345);
        assertNotNull(a);
        assertEquals(a.word(), b.word());
        assertEquals(a.input(), b.input());
        assertEquals(a.input(), CaseGenerator.inputState(a.encoding(), a.word(), a.stateSeed(), a.input().pc));
    }

    @Test
    void generatedWordsDecodeToTheirOwnEncodingAndClassesTakeTurns() {
        Decoder decoder = new Decoder(EncodingTable.all());
        CaseGenerator g = new CaseGenerator(3, classes);
        for (long k = 0; k < 5000; k++) {
            DiffCase c = g.generate(k);
            assertNotNull(c, "case " + k);
            assertSame(c.encoding(), decoder.decode(c.word()), () -> String.format("%08x", c.word()));
            assertEquals(classes.get((int) (k % classes.size())).name(), c.className());
            assertFalse(ConstrainedUnpredictable.applies(c.encoding(), c.word()));
        }
    }

    @Test
    void loadsAndStoresGetABaseRegisterInsideScratchMemory() {
        CaseGenerator g = new CaseGenerator(5, List.of(DecoderClass.named("LoadStoreInteger")));
        for (long k = 0; k < 2000; k++) {
            DiffCase c = g.generate(k);
            if (!c.encoding().hasField('n')) {
                continue;
            }
            int n = (c.word() >>> 5) & 31;
            long base = n == 31 ? c.input().sp : c.input().x[n];
            if (c.encoding().hasField('m') && ((c.word() >>> 16) & 31) == n) {
                continue; // Rm == Rn: the small offset wins
            }
            assertTrue(ScratchMemory.contains(base) && !ScratchMemory.isOraclePage(base),
                    () -> String.format("%s %08x base %x", c.encoding().name(), c.word(), base));
        }
    }

    @Test
    void msrOfFpcrWritesOnlyTheAarch64ControlBits() {
        CaseGenerator g = new CaseGenerator(9, List.of(DecoderClass.ofEncoding("MSR_REG")));
        for (long k = 0; k < 500; k++) {
            DiffCase c = g.generate(k);
            int t = c.word() & 31;
            if (((c.word() >>> 5) & 0xFFFF) == a64emu.cpu.isa.SystemRegisterAccess.FPCR && t != 31) {
                assertEquals(0, c.input().x[t] & ~CaseGenerator.FPCR_AARCH64_BITS);
            }
        }
    }
}
