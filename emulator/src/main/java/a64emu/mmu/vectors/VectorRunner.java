package a64emu.mmu.vectors;

import a64emu.cpu.Esr;
import a64emu.cpu.GuestException;
import a64emu.mmu.Descriptor;
import a64emu.mmu.PageTableDump;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Command;
import a64emu.mmu.vectors.TranslationVector.Expectation;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Translated;
import a64emu.mmu.vectors.TranslationVector.WriteMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs vector cases on a fresh {@link VectorMachine} each and judges every access: the physical
 * address, MAIR attribute and shareability of a translation, or the exact ESR (EC, FSC, WnR,
 * nothing else in the ISS) and FAR of a fault, and the memory words named by {@code expect mem}.
 * The one runner behind a64emu's own test suite, {@code a64emu mmu-test} and users' tests:
 *
 * <pre>{@code
 * for (TranslationVector v : VectorFile.readDirectory(Path.of("vectors"))) {
 *     CaseResult r = VectorRunner.run(v);
 *     if (!r.passed()) {
 *         System.out.println(r.describe());   // FAIL name (file:line): expected ...; got ...
 *     }
 * }
 * }</pre>
 *
 * A case's {@code bug} line does not change how it runs: callers skip known bugs if they wish
 * ({@link TranslationVector#knownBug}). An emulator failure other than a guest fault (an
 * exception from the MMU itself) is not caught: it is a bug to be seen, not a result.
 */
public final class VectorRunner {
    private VectorRunner() {}

    /** Runs every command of {@code v} in order on a fresh machine. */
    public static CaseResult run(TranslationVector v) {
        VectorMachine machine = new VectorMachine();
        List<AccessResult> results = new ArrayList<>();
        for (Command c : v.commands()) {
            if (c instanceof Access a) {
                results.add(access(machine, a));
            } else {
                machine.setUp(c);
            }
        }
        return new CaseResult(v, List.copyOf(results));
    }

    /** Runs each case, in order. */
    public static List<CaseResult> runAll(List<TranslationVector> cases) {
        return cases.stream().map(VectorRunner::run).toList();
    }

    /** Makes one access on {@code machine} and records what happened. */
    public static AccessResult access(VectorMachine machine, Access a) {
        // The leaf as memory holds it before the access, for the attribute and shareability.
        TranslationTrace trace = machine.mmu.traceWalk(a.va(), a.type(), a.el());
        Expectation observed;
        int otherIss = 0;
        try {
            long pa = machine.mmu.translate(a.va(), a.type(), a.el());
            List<TranslationTrace.Step> steps = trace.steps();
            if (steps.isEmpty()) {
                observed = new Translated(pa, -1, -1); // MMU off: no descriptor gives attributes
            } else {
                long leaf = steps.get(steps.size() - 1).descriptor();
                observed = new Translated(pa, machine.mmu.memoryAttribute(Descriptor.attrIndxOf(leaf)),
                        Descriptor.sh(leaf));
            }
        } catch (GuestException e) {
            observed = new Faulted(e.ec, e.iss & ISS_FSC, (e.iss & Esr.ISS_DA_WNR) != 0, e.far);
            // A stage 1 data or instruction abort sets nothing else in the ISS (no S1PTW, CM).
            otherIss = e.iss & ~(ISS_FSC | Esr.ISS_DA_WNR);
        }
        List<WriteMemory> memory = new ArrayList<>();
        for (WriteMemory m : a.memoryAfter()) {
            memory.add(new WriteMemory(m.pa(), machine.ram.read64(m.pa())));
        }
        return new AccessResult(a, observed, otherIss, List.copyOf(memory));
    }

    private static final int ISS_FSC = 0x3F;

    /**
     * What one access did.
     *
     * @param access    the access and its expectation, as read
     * @param observed  what a64emu did: a {@link Translated} with the leaf's attribute and SH
     *                  (-1 for both with the MMU off), or a {@link Faulted}
     * @param otherIss  ISS bits of a fault besides FSC and WnR (must be 0)
     * @param memoryAfter the words at the addresses the access's {@code expect mem} lines name, after it
     */
    public record AccessResult(Access access, Expectation observed, int otherIss, List<WriteMemory> memoryAfter) {

        /** True when the access has an expectation and every part of it holds. */
        public boolean passed() {
            return access.expectation() != null && outcomeMatches() && otherIss == 0
                    && memoryAfter.equals(access.memoryAfter());
        }

        /** The outcome part alone (PA and attributes, or the fault) matches. */
        public boolean outcomeMatches() {
            Expectation want = access.expectation();
            if (want instanceof Translated t && observed instanceof Translated o) {
                return t.pa() == o.pa() && (t.memAttr() < 0 || t.memAttr() == o.memAttr())
                        && (t.sh() < 0 || t.sh() == o.sh());
            }
            return want instanceof Faulted f && f.equals(observed);
        }

        /** The expectation, decoded ({@link VectorRunner#describe}), with any memory words. */
        public String expectedText() {
            return describe(access.expectation()) + memoryText(access.memoryAfter());
        }

        /** What a64emu did, decoded in full (a translation shows its attribute and SH even if unchecked). */
        public String observedText() {
            String outcome = describe(observed);
            if (otherIss != 0) {
                outcome += String.format(", other ISS bits 0x%x", otherIss);
            }
            return outcome + memoryText(memoryAfter);
        }

        private static String memoryText(List<WriteMemory> words) {
            StringBuilder sb = new StringBuilder();
            for (WriteMemory m : words) {
                sb.append(String.format(", mem 0x%x: 0x%016x", m.pa(), m.value()));
            }
            return sb.toString();
        }
    }

    /**
     * What a case did: one {@link AccessResult} per access, in order.
     */
    public record CaseResult(TranslationVector vector, List<AccessResult> accesses) {

        /** True when every access has an expectation and meets it. */
        public boolean passed() {
            return accesses.stream().allMatch(AccessResult::passed);
        }

        /** The first access that did not pass, or null. */
        public AccessResult firstFailure() {
            return accesses.stream().filter(a -> !a.passed()).findFirst().orElse(null);
        }

        /** The first failing access's expectation, decoded; empty when the case passed. */
        public String expectedText() {
            AccessResult f = firstFailure();
            return f == null ? "" : f.expectedText();
        }

        /** What a64emu did on the first failing access, decoded; empty when the case passed. */
        public String observedText() {
            AccessResult f = firstFailure();
            return f == null ? "" : f.observedText();
        }

        /**
         * One line: {@code PASS name}, or {@code FAIL name (file:line): expected E; got O} for
         * the first failing access (its own line named when the case has several).
         */
        public String describe() {
            AccessResult f = firstFailure();
            if (f == null) {
                return "PASS " + vector.name();
            }
            String where = accesses.size() > 1 ? vector.file() + ":" + f.access().line() : vector.source();
            return "FAIL " + vector.name() + " (" + where + "): expected " + f.expectedText() + "; got "
                    + f.observedText();
        }
    }

    /**
     * An outcome in words: {@code PA 0x...805234, attr 0xff (MEM/NORMAL), sh inner}, or
     * {@code Data Abort from EL0 (EC 0x24), Permission fault, level 3 (FSC 0x0f), WnR 1, FAR 0x...};
     * {@code no expect} for null.
     */
    public static String describe(Expectation e) {
        if (e == null) {
            return "no expect";
        }
        if (e instanceof Translated t) {
            StringBuilder sb = new StringBuilder(String.format("PA 0x%016x", t.pa()));
            if (t.memAttr() >= 0) {
                sb.append(String.format(", attr 0x%02x (%s)", t.memAttr(), PageTableDump.memoryType(t.memAttr())));
            }
            if (t.sh() >= 0) {
                sb.append(", sh ").append(VectorFile.shareabilityName(t.sh()));
            }
            return sb.toString();
        }
        Faulted f = (Faulted) e;
        return String.format("%s (EC 0x%02x), %s (FSC 0x%02x), WnR %d, FAR 0x%016x", abortName(f.ec()), f.ec(),
                Esr.fscName(f.fsc()), f.fsc(), f.wnr() ? 1 : 0, f.far());
    }

    private static String abortName(int ec) {
        return switch (ec) {
            case Esr.EC_IABT_LOWER -> "Instruction Abort from EL0";
            case Esr.EC_IABT_CUR -> "Instruction Abort from EL1";
            case Esr.EC_DABT_LOWER -> "Data Abort from EL0";
            case Esr.EC_DABT_CUR -> "Data Abort from EL1";
            default -> Esr.ecName(ec);
        };
    }
}
