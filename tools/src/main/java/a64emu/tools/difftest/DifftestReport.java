package a64emu.tools.difftest;

import a64emu.cpu.disasm.Disassembler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of a run, per decoder class, and the mismatches as reproducible one-liners:
 * the replay command, the encoding, the word, the differing fields, the input state
 * and both outcomes.
 */
final class DifftestReport {
    private static final Disassembler DISASSEMBLER = new Disassembler();

    private final long seed;
    private final String selection;
    private final Map<String, long[]> perClass = new LinkedHashMap<>();
    private final Map<String, Long> quirks = new TreeMap<>();
    private final Map<String, Long> notRun = new TreeMap<>();
    private final List<String> mismatches = new ArrayList<>();
    private long cases;
    private long ungenerated;
    private long mismatchCount;
    private long bySecondOracle;

    /** @param selection the command-line options that chose the classes ("" for all), for replay lines */
    DifftestReport(long seed, String selection, List<DecoderClass> classes) {
        this.seed = seed;
        this.selection = selection;
        for (DecoderClass c : classes) {
            perClass.put(c.name(), new long[4]);
        }
    }

    void ungenerated() {
        ungenerated++;
    }

    /** A case the oracle cannot run (listed by encoding in the summary). */
    void notRun(DiffCase c) {
        notRun.merge(c.encoding().name(), 1L, Long::sum);
    }

    /** A case that agreed; {@code bySecond}: judged by the second oracle (the first could not). */
    void matched(DiffCase c, boolean bySecond) {
        counted(c, 0, bySecond);
    }

    void quirk(DiffCase c, OracleQuirk q, boolean bySecond) {
        counted(c, 2, bySecond);
        quirks.merge(q.name(), 1L, Long::sum);
    }

    private void counted(DiffCase c, int column, boolean bySecond) {
        cases++;
        long[] n = perClass.get(c.className());
        n[column]++;
        if (bySecond) {
            n[3]++;
            bySecondOracle++;
        }
    }

    /**
     * Records a mismatch and returns its one-line description; {@code secondOracle} names the
     * oracle that judged it when that was the second one (null: the first).
     */
    String mismatch(DiffCase c, Outcome ours, Outcome theirs, List<String> differences, String secondOracle) {
        counted(c, 1, secondOracle != null);
        mismatchCount++;
        String line = String.format("MISMATCH %s %s word=0x%08x \"%s\" | replay: a64emu difftest --seed %d%s --case %d"
                        + " | differs: %s | a64emu: %s | %s: %s | input: %s",
                c.className(), c.encoding().name(), c.word(),
                DISASSEMBLER.text(c.input().pc, c.word()).replace('\t', ' '), seed, selection, c.index(),
                String.join("; ", differences), ours, secondOracle != null ? secondOracle : "oracle", theirs,
                c.input().describe());
        if (mismatches.size() < 10_000) {
            mismatches.add(line);
        }
        return line;
    }

    long cases() {
        return cases;
    }

    long mismatchCount() {
        return mismatchCount;
    }

    List<String> mismatches() {
        return mismatches;
    }

    long quirkCases() {
        return quirks.values().stream().mapToLong(Long::longValue).sum();
    }

    void printSummary(PrintWriter out, double seconds, long rejectedWords) {
        out.printf("%-26s %12s %12s %12s %14s%n", "class", "cases", "mismatches", "oracle quirk", "second oracle");
        perClass.forEach((name, n) -> out.printf("%-26s %12d %12d %12d %14d%n", name, n[0] + n[1] + n[2], n[1], n[2],
                n[3]));
        for (Map.Entry<String, Long> q : quirks.entrySet()) {
            out.printf("oracle quirk %s: %d cases%n", q.getKey(), q.getValue());
        }
        if (!notRun.isEmpty()) {
            out.printf("not run on this oracle (%d cases; see the oracle's documentation): %s%n",
                    notRun.values().stream().mapToLong(Long::longValue).sum(), notRun);
        }
        for (Map.Entry<String, String> x : new TreeMap<>(Exclusions.SKIPPED).entrySet()) {
            out.printf("not generated: %s (%s)%n", x.getKey(), x.getValue());
        }
        if (bySecondOracle > 0) {
            out.printf("second oracle: %d cases the first could not run or has a quirk in were compared there%n",
                    bySecondOracle);
        }
        out.printf("seed %d: %d cases in %d classes, %d mismatches, %.1f s (%.0f cases/s); "
                        + "%d draws rejected (other encoding or CONSTRAINED UNPREDICTABLE), %d cases without a valid word%n",
                seed, cases, perClass.size(), mismatchCount, seconds, cases / Math.max(seconds, 1e-9),
                rejectedWords, ungenerated);
        out.flush();
    }
}
