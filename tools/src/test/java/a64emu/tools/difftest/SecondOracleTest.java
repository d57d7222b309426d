package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code --oracle unicorn+qemu}: the cases the first oracle cannot run, or differs on in a
 * documented quirk, are judged by the second one; scripted oracles stand in for the engines.
 */
class SecondOracleTest {
    private static final long SEED = 7;
    private static final int CASES = 3000;

    /** An oracle that runs the cases on a64emu itself (so it agrees), or "undefined" for all. */
    private static class Scripted implements Oracle {
        final Predicate<DiffCase> runs;
        final boolean undefined;
        final List<OracleQuirk> quirks;
        final ScratchMemory memory;
        int ran;

        Scripted(ScratchMemory memory, Predicate<DiffCase> runs, boolean undefined, List<OracleQuirk> quirks) {
            this.memory = memory;
            this.runs = runs;
            this.undefined = undefined;
            this.quirks = quirks;
        }

        @Override
        public List<Outcome> run(List<DiffCase> cases) {
            ran += cases.size();
            A64emuRunner engine = new A64emuRunner(memory);
            List<Outcome> out = new ArrayList<>();
            for (DiffCase c : cases) {
                memory.putWord(c.input().pc, c.word());
                out.add(undefined ? Outcome.exception(Outcome.Kind.UNDEFINED, "scripted") : engine.run(c));
            }
            return out;
        }

        @Override
        public boolean canRun(DiffCase c) {
            return runs.test(c);
        }

        @Override
        public List<OracleQuirk> quirks() {
            return quirks;
        }

        @Override
        public boolean comparesTpidr() {
            return true;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    private static final Predicate<DiffCase> ADDS = OracleQuirk.encodings("ADD_IMM", "ADDS_IMM");

    private static OracleQuirk lacks(Predicate<DiffCase> cases) {
        return new OracleQuirk("lacks", cases, OracleQuirk.ANY, null, Outcome.Kind.UNDEFINED, "scripted", "none");
    }

    @Test
    void casesTheFirstOracleCannotRunAreComparedOnTheSecond() {
        Difftest run = new Difftest(SEED, List.of(DecoderClass.named("DataProcessingImmediate")), "");
        Scripted first = new Scripted(run.memory(), ADDS.negate(), false, List.of());
        Scripted second = new Scripted(run.memory(), c -> true, false, List.of());
        run.run(first, second, 0, CASES, 1, null, null, null);
        assertEquals(0, run.report().mismatchCount());
        assertEquals(CASES, run.report().cases(), "every case is judged by one of the two");
        assertTrue(second.ran > 0 && second.ran < CASES, "ADD/ADDS (immediate) only: " + second.ran);
        assertEquals(CASES, first.ran + second.ran);
    }

    @Test
    void casesInAQuirkOfTheFirstOracleAreJudgedByTheSecond() {
        Difftest run = new Difftest(SEED, List.of(DecoderClass.named("DataProcessingImmediate")), "");
        Scripted first = new Scripted(run.memory(), c -> true, true, List.of(lacks(ADDS)));
        Scripted second = new Scripted(run.memory(), c -> true, false, List.of());
        List<String> lines = new ArrayList<>();
        run.run(first, second, 0, CASES, 1, null, lines::add, null);
        assertEquals(0, run.report().quirkCases(), "the quirk cases went to the second oracle");
        assertTrue(second.ran > 0, "second oracle ran nothing");
        // The cases outside the quirk still meet the first oracle's "undefined" (those a64emu retires).
        assertTrue(run.report().mismatchCount() > 0 && run.report().mismatchCount() <= CASES - second.ran);
        assertTrue(lines.stream().noneMatch(l -> l.contains("ADD_IMM") || l.contains("ADDS_IMM")), lines.get(0));
    }

    @Test
    void aSecondOracleThatDisagreesIsNamedInTheMismatchLine() {
        Difftest run = new Difftest(SEED, List.of(DecoderClass.named("DataProcessingImmediate")), "");
        Scripted first = new Scripted(run.memory(), ADDS.negate(), false, List.of());
        Scripted second = new Scripted(run.memory(), c -> true, true, List.of());
        List<String> lines = new ArrayList<>();
        run.run(first, second, 0, CASES, 1, null, lines::add, null);
        assertEquals(second.ran, run.report().mismatchCount());
        assertTrue(lines.get(0).contains("| scripted: UNDEFINED"), lines.get(0));
    }

    @Test
    void casesTheSecondOracleJudgesLeaveTheCodePageAsTheyFoundIt() {
        // qemu-aarch64 starts every case from the reference memory: a64emu's runs of its cases
        // must not leave their words behind where a later case's load could read them.
        Difftest run = new Difftest(SEED, List.of(DecoderClass.named("DataProcessingImmediate")), "");
        byte[] before = java.util.Arrays.copyOfRange(run.memory().reference, (int) ScratchMemory.CODE_PAGE,
                (int) ScratchMemory.CODE_PAGE + 4096);
        Scripted first = new Scripted(run.memory(), c -> false, false, List.of());
        Scripted second = new Scripted(run.memory(), c -> true, false, List.of()) {
            @Override
            public List<Outcome> run(List<DiffCase> cases) {
                // As qemu-aarch64 does: each case's word is written and put back.
                List<Outcome> out = new ArrayList<>();
                A64emuRunner engine = new A64emuRunner(memory);
                for (DiffCase c : cases) {
                    int was = memory.wordAt(c.input().pc);
                    memory.putWord(c.input().pc, c.word());
                    out.add(engine.run(c));
                    memory.putWord(c.input().pc, was);
                }
                ran += cases.size();
                return out;
            }
        };
        run.run(first, second, 0, CASES, 1, null, null, null);
        assertEquals(CASES, second.ran);
        assertEquals(0, run.report().mismatchCount());
        assertTrue(java.util.Arrays.equals(before, java.util.Arrays.copyOfRange(run.memory().reference,
                (int) ScratchMemory.CODE_PAGE, (int) ScratchMemory.CODE_PAGE + 4096)), "a case's word stayed behind");
    }

    @Test
    void withoutASecondOracleTheCasesStayNotRunOrQuirks() {
        Difftest run = new Difftest(SEED, List.of(DecoderClass.named("DataProcessingImmediate")), "");
        Scripted first = new Scripted(run.memory(), ADDS.negate(), true, List.of(lacks(c -> true)));
        run.run(first, null, 0, CASES, 1, null, null, null);
        assertEquals(0, run.report().mismatchCount(), "the quirk covers every difference");
        assertEquals(first.ran, run.report().cases(), "only what the first oracle ran is counted");
        assertTrue(run.report().quirkCases() > 0 && first.ran < CASES);
    }
}
