package a64emu.mmu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.mmu.AccessType;
import a64emu.mmu.TlbiOp;
import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Invalidate;
import a64emu.mmu.vectors.TranslationVector.Register;
import a64emu.mmu.vectors.TranslationVector.Translated;
import a64emu.mmu.vectors.TranslationVector.WriteMemory;
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
                List.of(), 10, 11), accesses.get(0));
        assertEquals(new Access(1, AccessType.READ, 0x4000_1234L, new Translated(0x80_1234, 0xff, 3),
                List.of(new WriteMemory(0x4008, 0x0060_0000_0080_1fc3L)), 12, 13), accesses.get(1));
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
    void tlbiReadsAsTheOperationAndLinuxOperand() {
        TranslationVector v = parse("""
                case t
                  tlbi vmalle1
                  tlbi aside1 asid=5
                  tlbi vae1is va=0x4000_1234 asid=0x2a
                  tlbi vaale1 va=0x4000_1000
                  access el1 read 0
                  expect pa=0
                """).get(0);
        assertEquals(List.of(new Invalidate(TlbiOp.VMALLE1, 0), new Invalidate(TlbiOp.ASIDE1, 5L << 48),
                new Invalidate(TlbiOp.VAE1IS, 0x2aL << 48 | 0x4_0001), new Invalidate(TlbiOp.VAALE1, 0x4_0001)),
                v.commands().subList(0, 4));
    }

    @Test
    void accessWithoutExpectIsReadWithNoExpectation() {
        Access a = parse("case a\n  access el0 read 0x10\n").get(0).accesses().get(0);
        assertNull(a.expectation());
        assertEquals(0, a.expectLine());
    }

    @Test
    void caseMayReplaceExactlyAWordItsSetupWrote() {
        TranslationVector v = parse("""
                setup s
                  mem 0x3000: 0x4003
                case a
                  use s
                  mem 0x3000: 0x5003
                  access el1 read 0
                  expect pa=0
                """).get(0);
        assertEquals(List.of(new WriteMemory(0x3000, 0x4003), new WriteMemory(0x3000, 0x5003)),
                v.commands().subList(0, 2));
    }

    private static VectorFormatException error(String text) {
        return assertThrows(VectorFormatException.class, () -> parse(text));
    }

    private static void assertError(String message, int line, int column, String text) {
        VectorFormatException e = error(text);
        assertEquals(message, e.getMessage());
        assertEquals("test.vectors", e.file());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
    }

    @Test
    void unknownDirectiveIsAnErrorAtItsColumn() {
        assertError("test.vectors:2:3: found 'acess', expected directive " + String.join(", ", VectorFile.DIRECTIVES),
                2, 3, "case a\n  acess el0 read 0\n");
    }

    @Test
    void directiveOutsideABlockIsAnError() {
        assertError("test.vectors:1:1: found 'mem', expected 'case NAME' or 'setup NAME' before the first mem",
                1, 1, "mem 0x10: 1\n");
    }

    @Test
    void useOfAnUndefinedSetupIsAnError() {
        assertError("test.vectors:2:7: found 'nothing', expected the name of a setup defined above (none is)",
                2, 7, "case a\n  use nothing\n");
        assertError("test.vectors:4:7: found 'later', expected the name of a setup defined above: base",
                4, 7, "setup base\n  sctlr m\ncase a\n  use later\nsetup later\n  sctlr m\n");
    }

    @Test
    void overlappingMemWritesAreAnError() {
        assertError("test.vectors:3:3: found 'mem', expected no second write to bytes written by line 2 (mem 0x3000)"
                + " with no access between them", 3, 3, "case a\n  mem 0x3000: 1\n  mem 0x3004: 2\n");
        // The same word twice in the case itself: the first write is dead.
        assertError("test.vectors:3:3: found 'mem', expected no second write to bytes written by line 2 (mem 0x3000)"
                + " with no access between them", 3, 3, "case a\n  mem 0x3000: 1\n  mem 0x3000: 2\n");
        // A misaligned write over a setup's word is not a replacement.
        assertError("test.vectors:5:3: found 'mem', expected no second write to bytes written by setup s"
                + " (mem 0x3000) with no access between them", 5, 3,
                "setup s\n  mem 0x3000: 1\ncase a\n  use s\n  mem 0x3002: 2\n");
    }

    @Test
    void rewritingMemoryAfterAnAccessIsAllowed() {
        assertEquals(1, parse("case a\n mem 0x3000: 1\n access el1 read 0\n expect pa=0\n mem 0x3000: 2\n"
                + " access el1 read 0\n expect pa=0\n").size());
    }

    @Test
    void expectWithoutAccessIsAnError() {
        assertError("test.vectors:2:3: found 'expect', expected an 'access' line before its 'expect'",
                2, 3, "case a\n  expect pa=0\n");
        assertError("test.vectors:2:3: found 'expect', expected no 'expect' in setup s (a setup makes no access)",
                2, 3, "setup s\n  expect pa=0\n");
    }

    @Test
    void secondOutcomeForOneAccessIsAnError() {
        assertError("test.vectors:4:2: found 'expect', expected one outcome per access (line 3 already gives it);"
                + " a second outcome needs another 'access'", 4, 2,
                "case a\n access el1 read 0\n expect pa=0\n expect pa=0\n");
    }

    @Test
    void faultTheAccessCannotTakeIsAnError() {
        assertError("test.vectors:3:15: found 'ec=0x24', expected ec=0x21 (instruction abort from EL1) for an 'exec'"
                + " access at el1", 3, 15,
                "case a\n access el1 exec 0x10\n expect fault ec=0x24 fsc=0x07 wnr=0 far=0x10\n");
        assertError("test.vectors:3:32: found 'wnr=1', expected wnr=0 for an 'read' access", 3, 32,
                "case a\n access el0 read 0x10\n expect fault ec=0x24 fsc=0x07 wnr=1 far=0x10\n");
        assertError("test.vectors:3:23: found 'fsc=0x21', expected an FSC a stage 1 translation can report: 0x00-0x03"
                + " address size, 0x04-0x07 translation, 0x08-0x0b access flag, 0x0c-0x0f permission, 0x10 or"
                + " 0x14-0x17 external abort", 3, 23,
                "case a\n access el0 read 0x10\n expect fault ec=0x24 fsc=0x21 wnr=0 far=0x10\n");
    }

    @Test
    void attributesOnAFaultAreAnError() {
        assertError("test.vectors:3:47: found 'attr=0xff', expected only ec, fsc, wnr, far, fault for a fault", 3, 47,
                "case a\n access el0 read 0x10\n expect fault ec=0x24 fsc=0x07 wnr=0 far=0x10 attr=0xff\n");
    }

    @Test
    void missingFieldPointsPastTheEndOfTheLine() {
        assertError("test.vectors:3:34: found end of line, expected 'far=' for a fault", 3, 34,
                "case a\n access el1 read 0\n expect fault ec=0x25 fsc=4 wnr=0\n");
    }

    @Test
    void badNumberNamesTheWord() {
        assertError("test.vectors:2:18: found '0xzz', expected a number (decimal, or hex with 0x; '_' allowed)", 2, 18,
                "case a\n access el1 read 0xzz\n");
    }

    @Test
    void badAccessFieldsNameWhatIsAllowed() {
        assertError("test.vectors:2:9: found 'el2', expected el0 or el1", 2, 9, "case a\n access el2 read 0\n");
        assertError("test.vectors:2:13: found 'load', expected read, write or exec", 2, 13,
                "case a\n access el1 load 0\n");
    }

    @Test
    void unknownTcrFieldAndTlbiOperationAreErrors() {
        assertError("test.vectors:2:6: found 'tg2=4k', expected a TCR field: t0sz= t1sz= tg0= tg1= ips= as= or flag"
                + " a1 epd0 epd1 tbi0 tbi1 ha hd hpd0 hpd1", 2, 6, "case a\n tcr tg2=4k\n");
        VectorFormatException e = error("case a\n tlbi vae2 va=0\n");
        assertEquals(2, e.line());
        assertEquals(7, e.column());
        assertTrue(e.expected().startsWith("a TLBI operation: vmalle1, vmalle1is, aside1"), e.expected());
        assertError("test.vectors:2:16: found end of line, expected 'asid=' for tlbi vae1", 2, 16,
                "case a\n tlbi vae1 va=0\n");
    }

    @Test
    void caseWithoutAccessAndDuplicateNamesAreErrors() {
        assertError("test.vectors:1:1: found case a with no access, expected at least one 'access' line in a case",
                1, 1, "case a\n  sctlr m\n");
        assertError("test.vectors:4:6: found 'a', expected a case name not used before in this file", 4, 6,
                "case a\n access el1 read 0\n expect pa=0\ncase a\n");
    }
}
