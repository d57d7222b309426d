package a64emu.mmu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.AccessType;
import a64emu.mmu.vectors.format.TranslationVector;
import a64emu.mmu.vectors.format.TranslationVector.Access;
import a64emu.mmu.vectors.format.TranslationVector.Faulted;
import a64emu.mmu.vectors.format.TranslationVector.Register;
import a64emu.mmu.vectors.format.TranslationVector.Translated;
import a64emu.mmu.vectors.format.TranslationVector.WriteMemory;
import a64emu.mmu.vectors.format.VectorFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vector file format, as {@link VectorFile} documents it. */
class VectorFileTest {
    private static List<TranslationVector> parse(String text) {
        return VectorFile.parse("test.vectors", List.of(text.split("\n")));
    }

    @Test
    void caseReadsAsItsRegistersMemoryAccessesAndOutcomes() {
        List<TranslationVector> cases = parse("""
                # a comment
                setup base
                  sctlr m wxn
                  tcr   t0sz=16 t1sz=25 tg0=4k tg1=4k ips=40 as=16 a1 epd1 tbi0 tbi1 ha hd hpd0 hpd1
                  ttbr0 0x1000 asid=0x2a
                case ap-el0-readonly-write
                  use   base
                  mem   0x4008: 0x0060_0000_0080_1fc3   # L3[1]
                  pan   1
                  access el0 write 0x0000_0000_4000_1234
                  expect fault ec=0x24 fsc=0x0f wnr=1 far=0x0000_0000_4000_1234
                  access el1 read 0x4000_1234
                  expect pa=0x80_1234 attr=0xff sh=inner
                  expect mem 0x4008: 0x0060_0000_0080_1fc3
                """);
        assertEquals(1, cases.size());
        TranslationVector v = cases.get(0);
        assertEquals("ap-el0-readonly-write", v.name());
        assertEquals("test.vectors:6", v.source());
        assertNull(v.knownBug());
        assertEquals(1L | 1L << 19, v.register(Register.SCTLR, -1));
        // ARM ARM TCR_EL1: T0SZ 16, T1SZ 25 << 16, TG1=10 << 30, IPS=010 << 32, AS 36, A1 22,
        // EPD1 23, TBI0 37, TBI1 38, HA 39, HD 40, HPD0 41, HPD1 42.
        long tcr = 16 | 25L << 16 | 2L << 30 | 2L << 32 | 1L << 36 | 1L << 22 | 1L << 23
                | 1L << 37 | 1L << 38 | 1L << 39 | 1L << 40 | 1L << 41 | 1L << 42;
        assertEquals(tcr, v.register(Register.TCR, -1));
        assertEquals(0x2aL << 48 | 0x1000, v.register(Register.TTBR0, -1));
        assertEquals(1, v.register(Register.PAN, -1));
        assertTrue(v.commands().contains(new WriteMemory(0x4008, 0x0060_0000_0080_1fc3L)));
        List<Access> accesses = v.accesses();
        assertEquals(2, accesses.size());
        assertEquals(new Access(0, AccessType.WRITE, 0x4000_1234L, new Faulted(0x24, 0x0f, true, 0x4000_1234L),
                List.of(), 10), accesses.get(0));
        assertEquals(new Access(1, AccessType.READ, 0x4000_1234L, new Translated(0x80_1234, 0xff, 3),
                List.of(new WriteMemory(0x4008, 0x0060_0000_0080_1fc3L)), 12), accesses.get(1));
    }

    @Test
    void tg0AndTg1EncodeGranulesDifferently() {
        TranslationVector v = parse("""
                case g
                  tcr tg0=16k tg1=64k
                  access el1 read 0
                  expect pa=0
                """).get(0);
        assertEquals(2L << 14 | 3L << 30, v.register(Register.TCR, -1));
    }

    @Test
    void bugLineMarksAKnownDisagreement() {
        TranslationVector v = parse("""
                case b
                  access el1 read 0
                  expect pa=0
                  bug the walker gets this wrong
                """).get(0);
        assertEquals("the walker gets this wrong", v.knownBug());
    }

    @Test
    void malformedFilesAreRejectedWithTheirLine() {
        assertEquals("test.vectors:2: 'expect' must follow an 'access'", assertThrows(IllegalArgumentException.class,
                () -> parse("case a\n  expect pa=0\n")).getMessage());
        assertEquals("test.vectors:2: access without 'expect pa=...' or 'expect fault ...'",
                assertThrows(IllegalArgumentException.class, () -> parse("case a\n  access el0 read 0\n")).getMessage());
        assertEquals("test.vectors:2: unknown keyword 'acess'",
                assertThrows(IllegalArgumentException.class, () -> parse("case a\n  acess el0 read 0\n")).getMessage());
        assertEquals("test.vectors:2: 'use' needs the name of a setup defined above",
                assertThrows(IllegalArgumentException.class, () -> parse("case a\n  use nothing\n")).getMessage());
        assertEquals("test.vectors:1: case a makes no access",
                assertThrows(IllegalArgumentException.class, () -> parse("case a\n  sctlr m\n")).getMessage());
        assertEquals("test.vectors:4: duplicate case name a", assertThrows(IllegalArgumentException.class,
                () -> parse("case a\n access el1 read 0\n expect pa=0\ncase a\n")).getMessage());
        assertEquals("test.vectors:3: missing 'far='", assertThrows(IllegalArgumentException.class,
                () -> parse("case a\n access el1 read 0\n expect fault ec=0x25 fsc=4 wnr=0\n")).getMessage());
    }
}
