package a64emu.mmu.vectors;

import a64emu.cpu.Esr;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.Tcr;
import a64emu.mmu.Tlb;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.TranslationVector.Expectation;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Translated;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one translation seen in a real run into a self-contained vector case
 * ({@code docs/mmu-vectors.md}): the translation registers of that moment, exactly the
 * descriptors the walk read (table and leaf, as {@code mem} lines), the access, and what the
 * walk found as its {@code expect}. Run on a fresh {@link VectorMachine}, the case makes the
 * same walk over the same words, so it passes; change one bit of a descriptor and it fails.
 * {@code a64emu walk --as-vector}, the debugger's {@code walk --as-vector} and the gdb stub's
 * {@code monitor walk --as-vector} all print what this returns.
 *
 * <p>The case describes memory, not the TLB: {@link Mmu#traceWalk} ignores cached entries,
 * and so does the first access of a fresh machine. Hardware Access flag and dirty updates
 * are not part of the expectation (a debug walk makes none, see {@link Mmu#traceWalk}).
 *
 * <p>A pure function of its arguments; nothing here reads or changes the machine beyond the
 * register getters of {@code mmu}.
 */
public final class VectorCapture {
    private VectorCapture() {}

    /**
     * The case, as vector-file text ending in a newline.
     *
     * @param name     the case name (one word; see {@link #caseName})
     * @param comments lines put before the {@code case} line as {@code #} comments (where and
     *                 when it was captured); may be empty
     * @param mmu      the MMU the walk was made on: its SCTLR, TCR, MAIR, TTBRs and PAN are written
     * @param trace    {@code mmu.traceWalk(va, access, el)}
     * @param access   the access walked for
     * @param el       0 or 1
     */
    public static String capture(String name, List<String> comments, Mmu mmu, TranslationTrace trace,
                                 AccessType access, int el) {
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace) || name.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a case name is one word without '#': '" + name + "'");
        }
        StringBuilder sb = new StringBuilder();
        for (String c : comments) {
            for (String line : c.split("\n", -1)) {
                sb.append("# ").append(line).append('\n');
            }
        }
        sb.append("case ").append(name).append('\n');

        long sctlr = mmu.sctlr();
        line(sb, "sctlr", hex(sctlr), String.format("M=%d WXN=%d", bit(sctlr, Mmu.SCTLR_M),
                bit(sctlr, Mmu.SCTLR_WXN)));
        line(sb, "tcr", hex(mmu.tcr()), Tcr.describe(mmu.tcr()));
        line(sb, "mair", hex(mmu.mair()), mairBytes(mmu.mair()));
        boolean asidFromTtbr1 = Tcr.asidFromTtbr1(mmu.tcr());
        ttbr(sb, "ttbr0", mmu.ttbr0(), !trace.ttbr1(), !asidFromTtbr1, trace.asid());
        ttbr(sb, "ttbr1", mmu.ttbr1(), trace.ttbr1(), asidFromTtbr1, trace.asid());
        if (mmu.pan()) {
            line(sb, "pan", "1", "PSTATE.PAN");
        }
        for (TranslationTrace.Step s : trace.steps()) {
            line(sb, "mem", hex(s.entryPa()) + ": " + hex(s.descriptor()),
                    String.format("L%d[%d] %s", s.level(), s.index(), Descriptor.describe(s.descriptor(), s.level())));
            if (s.entryPa() + Descriptor.DESCRIPTOR_BYTES > VectorFile.RAM_BYTES) {
                sb.append(String.format("  # NOTE: 0x%x is beyond the vector machine's %d MiB of RAM: this case "
                        + "reads no memory there and will not reproduce the walk%n", s.entryPa(),
                        VectorFile.RAM_BYTES >> 20));
            }
        }
        line(sb, "access", String.format("el%d %s %s", el, accessWord(access), hex(trace.va())), null);
        Expectation observed = observed(mmu, trace);
        line(sb, "expect", observed.toVectorSyntax(), trace.faulted() ? Esr.fscName(trace.fault().fsc())
                : trace.permissions() >= 0 ? "leaf allows " + Tlb.describePermissions(trace.permissions())
                : "MMU off: PA = VA");
        return sb.toString();
    }

    /**
     * What the walk found, as an expectation: the PA with the MAIR attribute and shareability
     * of the leaf, or the fault's EC, FSC, WnR and FAR as ESR_EL1 and FAR_EL1 would hold them.
     */
    public static Expectation observed(Mmu mmu, TranslationTrace trace) {
        if (trace.faulted()) {
            Fault f = trace.fault();
            return new Faulted(f.ec(), f.fsc(), (f.iss() & Esr.ISS_DA_WNR) != 0, f.va());
        }
        List<TranslationTrace.Step> steps = trace.steps();
        if (steps.isEmpty()) {
            // SCTLR.M=0: no descriptor, so no attributes to check.
            return new Translated(trace.pa(), -1, -1);
        }
        long leaf = steps.get(steps.size() - 1).descriptor();
        return new Translated(trace.pa(), mmu.memoryAttribute(Descriptor.attrIndxOf(leaf)), Descriptor.sh(leaf));
    }

    /**
     * A case name for a capture: {@code PREFIX-VA-elN-ACCESS}, e.g.
     * {@code hello-0x490238-el0-write}; characters other than letters, digits, '-', '_' and
     * '.' in {@code prefix} become '_'.
     */
    public static String caseName(String prefix, long va, AccessType access, int el) {
        String p = prefix == null || prefix.isEmpty() ? "captured" : prefix.replaceAll("[^A-Za-z0-9._-]", "_");
        return String.format("%s-0x%x-el%d-%s", p, va, el, accessWord(access));
    }

    /** The access type as the {@code access} line spells it. */
    public static String accessWord(AccessType access) {
        return switch (access) {
            case READ -> "read";
            case WRITE -> "write";
            case EXECUTE -> "exec";
        };
    }

    /**
     * TTBRn as BADDR (with CnP) and ASID, so that a reader sees which ASID is in force; the
     * TTBR the walk used and the one TCR.A1 takes the ASID from are marked.
     */
    private static void ttbr(StringBuilder sb, String register, long value, boolean walked, boolean asidSource,
                             int asidInForce) {
        long asid = value >>> Mmu.TTBR_ASID_SHIFT;
        long rest = value & ~(-1L << Mmu.TTBR_ASID_SHIFT);
        List<String> notes = new ArrayList<>();
        if (walked) {
            notes.add("the walk starts here");
        }
        if (asidSource) {
            notes.add("ASID " + asidInForce + " in force (TCR.A1=" + (register.equals("ttbr1") ? 1 : 0) + ")");
        }
        line(sb, register, hex(rest) + " asid=" + String.format("0x%x", asid), String.join("; ", notes));
    }

    private static String mairBytes(long mair) {
        StringBuilder sb = new StringBuilder("Attr0..7 =");
        for (int i = 0; i < 8; i++) {
            sb.append(String.format(" %02x", (mair >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    /** Where the {@code #} of a line's decoded comment goes: just past a {@code mem} line's two 64-bit values. */
    private static final int COMMENT_COLUMN = 56;

    private static void line(StringBuilder sb, String keyword, String operands, String comment) {
        String text = String.format("  %-6s %s", keyword, operands);
        sb.append(text);
        if (comment != null && !comment.isEmpty()) {
            sb.append(" ".repeat(Math.max(1, COMMENT_COLUMN - text.length()))).append("# ").append(comment.replace('\n', ' '));
        }
        sb.append('\n');
    }

    private static String hex(long v) {
        String h = String.format("%016x", v);
        return ("0x" + h.substring(0, 4) + "_" + h.substring(4, 8) + "_" + h.substring(8, 12) + "_"
                + h.substring(12)).toLowerCase(Locale.ROOT);
    }

    private static int bit(long value, long mask) {
        return (value & mask) != 0 ? 1 : 0;
    }
}
