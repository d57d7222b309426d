package a64emu.tools.difftest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A differential run: cases {@code first .. first+count-1} of the given classes, each
 * executed on a64emu and on an {@link Oracle} from the same state and memory, and
 * compared. Cases go to the oracle in batches (one qemu-aarch64 process per batch).
 * Progress goes to {@code progress} (null for none) about every ten seconds.
 */
final class Difftest {
    private static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

    private final CaseGenerator generator;
    private final ScratchMemory memory;
    private final DifftestReport report;
    private final A64emuRunner.Engine engine;
    /** The runner of the last {@link #run}, for its translation counts. */
    private A64emuRunner runner;

    Difftest(long seed, List<DecoderClass> classes, String selection) {
        this(seed, classes, selection, A64emuRunner.Engine.INTERP);
    }

    /**
     * A run on a64emu's {@code engine}; {@code selection} (the options that choose the cases,
     * as the replay command in a mismatch line gives them) gets {@code --engine jit} for the JIT.
     */
    Difftest(long seed, List<DecoderClass> classes, String selection, A64emuRunner.Engine engine) {
        this.generator = new CaseGenerator(seed, classes);
        this.memory = new ScratchMemory(seed);
        this.engine = engine;
        this.report = new DifftestReport(seed,
                engine == A64emuRunner.Engine.INTERP ? selection : selection + " --engine " + engine.optionValue(),
                classes);
    }

    /** With the JIT: the cases of the last run that ran as a translated unit. */
    long translatedCases() {
        return runner == null ? 0 : runner.translatedCases();
    }

    /** Of {@link #translatedCases}, those whose instruction the translator left to its interpreter semantics. */
    long fallbackCases() {
        return runner == null ? 0 : runner.fallbackCases();
    }

    ScratchMemory memory() {
        return memory;
    }

    DifftestReport report() {
        return report;
    }

    CaseGenerator generator() {
        return generator;
    }

    /**
     * Runs the cases against {@code oracle}; each mismatch line also goes to
     * {@code mismatchSink} when it is not null, and each compared case with both outcomes
     * to {@code recorder} when it is not null.
     */
    void run(Oracle oracle, long first, long count, int batchSize, PrintWriter progress,
             Consumer<String> mismatchSink, Recorder recorder) {
        run(oracle, null, first, count, batchSize, progress, mismatchSink, recorder);
    }

    /**
     * As above, with a second oracle for the cases the first cannot judge: those it cannot
     * run, and those where it differs from a64emu in one of its documented quirks (it lacks
     * the instruction, or is known to get it wrong). Such a case is compared against
     * {@code second} instead, when that can run it; otherwise it stays counted as not run
     * or as the quirk. The second oracle takes its cases in batches of {@link QemuOracle#BATCH}.
     */
    void run(Oracle oracle, Oracle second, long first, long count, int batchSize, PrintWriter progress,
             Consumer<String> mismatchSink, Recorder recorder) {
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_INTERVAL_NANOS;
        A64emuRunner a64emu = new A64emuRunner(memory, engine);
        runner = a64emu;
        List<DiffCase> deferred = new ArrayList<>();
        for (long batchStart = first; batchStart < first + count; batchStart += batchSize) {
            List<DiffCase> batch = new ArrayList<>();
            for (long k = batchStart; k < Math.min(first + count, batchStart + batchSize); k++) {
                DiffCase c = generator.generate(k);
                if (c == null) {
                    report.ungenerated();
                } else if (oracle.canRun(c)) {
                    batch.add(c);
                } else if (second != null && second.canRun(c)) {
                    deferred.add(c);
                } else {
                    report.notRun(c);
                }
            }
            List<Outcome> theirs = oracle.run(batch);
            for (int i = 0; i < batch.size(); i++) {
                DiffCase c = batch.get(i);
                Outcome ours = runOurs(a64emu, oracle, c);
                Verdict v = judge(oracle, c, ours, theirs.get(i));
                if (v.quirk() != null && second != null && second.canRun(c)) {
                    deferred.add(c);
                    continue;
                }
                report(oracle, c, ours, theirs.get(i), v, mismatchSink, false);
                if (recorder != null) {
                    recorder.record(c, theirs.get(i));
                }
            }
            if (deferred.size() >= QemuOracle.BATCH || (!deferred.isEmpty() && batchStart + batchSize >= first + count)) {
                runSecond(a64emu, second, deferred, mismatchSink, recorder);
            }
            if (progress != null && System.nanoTime() > nextProgress) {
                nextProgress = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
                progress.printf("... %d of %d cases, %d mismatches, %.0f s%n", batchStart + batch.size() - first,
                        count, report.mismatchCount(), (System.nanoTime() - start) / 1e9);
                progress.flush();
            }
        }
    }

    /**
     * The deferred cases on the second oracle, then on a64emu from the same memory (the
     * outcome a64emu had for a quirk case is computed again: the reference must be as the
     * second oracle's batch saw it).
     */
    private void runSecond(A64emuRunner a64emu, Oracle second, List<DiffCase> cases, Consumer<String> mismatchSink,
                           Recorder recorder) {
        List<Outcome> theirs = second.run(cases);
        for (int i = 0; i < cases.size(); i++) {
            Outcome ours = runOurs(a64emu, second, cases.get(i));
            report(second, cases.get(i), ours, theirs.get(i), judge(second, cases.get(i), ours, theirs.get(i)),
                    mismatchSink, true);
            if (recorder != null) {
                recorder.record(cases.get(i), theirs.get(i));
            }
        }
        cases.clear();
    }

    /** a64emu's outcome of {@code c}, leaving its word in the reference only where the oracle keeps it. */
    private Outcome runOurs(A64emuRunner a64emu, Oracle oracle, DiffCase c) {
        long pc = c.input().pc;
        int before = memory.wordAt(pc);
        memory.putWord(pc, c.word());
        Outcome ours = a64emu.run(c);
        if (!oracle.keepsCaseWords()) {
            memory.putWord(pc, before);
        }
        return ours;
    }

    /** How two outcomes of a case differ, and the oracle's documented quirk that explains it, if any. */
    private record Verdict(List<String> differences, OracleQuirk quirk) {}

    private Verdict judge(Oracle oracle, DiffCase c, Outcome ours, Outcome theirs) {
        List<String> differences = Comparator.differences(ours, theirs, memory.reference, oracle.comparesTpidr());
        return new Verdict(differences,
                differences.isEmpty() ? null : OracleQuirk.find(oracle.quirks(), c, ours, theirs));
    }

    private void report(Oracle oracle, DiffCase c, Outcome ours, Outcome theirs, Verdict v,
                        Consumer<String> mismatchSink, boolean bySecond) {
        if (v.differences().isEmpty()) {
            report.matched(c, bySecond);
        } else if (v.quirk() != null) {
            report.quirk(c, v.quirk(), bySecond);
        } else {
            String line = report.mismatch(c, ours, theirs, v.differences(), bySecond ? oracle.name() : null);
            if (mismatchSink != null) {
                mismatchSink.accept(line);
            }
        }
    }

    /** Receives every case an oracle ran, with the oracle's outcome (for recording vectors). */
    interface Recorder {
        void record(DiffCase c, Outcome oracle);
    }
}
