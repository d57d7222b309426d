package a64emu.mmu.vectors;

import a64emu.mmu.AccessType;
import a64emu.mmu.TlbiOp;
import java.util.List;

/**
 * One case of a page-table vector file: the commands of its block in file order. Register,
 * memory and TLBI commands set up the machine; each {@link Access} is made on the state built
 * so far and carries what the architecture says must happen. The format is described in
 * {@code docs/mmu-vectors.md}; {@link VectorFile} reads it and {@link VectorRunner} runs it.
 *
 * @param name   the case name (unique in its file)
 * @param source file name and line of the {@code case} line ({@code "01-ap.vectors:12"}), for messages
 * @param commands setup and accesses, in order ({@code use} blocks already expanded)
 * @param knownBug  null, or why a64emu is known to disagree with this case (a {@code bug} line):
 *                  runners skip it unless asked to run known bugs
 */
public record TranslationVector(String name, String source, List<Command> commands, String knownBug) {

    /** A line of a case. */
    public sealed interface Command permits SetRegister, WriteMemory, Invalidate, Access {}

    /** The system registers (and PSTATE.PAN) a case can set. */
    public enum Register { SCTLR, TCR, TTBR0, TTBR1, MAIR, PAN }

    public record SetRegister(Register register, long value) implements Command {}

    /** A 64-bit little-endian word written to physical memory before the next access. */
    public record WriteMemory(long pa, long value) implements Command {}

    /**
     * A TLB invalidation ({@code tlbi} line), with Linux's {@code __TLBI_VADDR} operand:
     * ASID in [63:48], VA[55:12] in [43:0] ({@link TlbiOp#operand}); 0 for VMALLE1.
     */
    public record Invalidate(TlbiOp op, long operand) implements Command {}

    /**
     * An access at EL0 or EL1 and what must follow from it.
     *
     * @param expectation the outcome the case expects, or null when the file has no outcome
     *                    {@code expect} for it yet (a runner reports that as a failure;
     *                    {@code a64emu mmu-test --update} fills it in)
     * @param memoryAfter words physical memory must hold after the access (hardware AF/dirty updates)
     * @param line        line of the {@code access}
     * @param expectLine  line of its outcome {@code expect}, 0 if none
     */
    public record Access(int el, AccessType type, long va, Expectation expectation,
                         List<WriteMemory> memoryAfter, int line, int expectLine) implements Command {
        /** An access whose expectation's line is not known (built in code, not read). */
        public Access(int el, AccessType type, long va, Expectation expectation, List<WriteMemory> memoryAfter,
                      int line) {
            this(el, type, va, expectation, memoryAfter, line, 0);
        }
    }

    /** The outcome of an access, expected or observed. */
    public sealed interface Expectation permits Translated, Faulted {
        /** The outcome as an {@code expect} line would write it (without the keyword). */
        String toVectorSyntax();
    }

    /**
     * The access succeeds.
     *
     * @param pa        the physical address
     * @param memAttr   the MAIR_EL1 attribute byte the leaf's AttrIndx selects, or -1 if unchecked
     * @param sh        the leaf's SH[1:0], or -1 if unchecked
     */
    public record Translated(long pa, int memAttr, int sh) implements Expectation {
        @Override
        public String toString() {
            return String.format("PA 0x%x%s%s", pa, memAttr < 0 ? "" : String.format(" attr=0x%02x", memAttr),
                    sh < 0 ? "" : " sh=" + sh);
        }

        @Override
        public String toVectorSyntax() {
            return String.format("pa=0x%x%s%s", pa, memAttr < 0 ? "" : String.format(" attr=0x%02x", memAttr),
                    sh < 0 ? "" : " sh=" + VectorFile.shareabilityName(sh));
        }
    }

    /**
     * The access takes a synchronous abort to EL1.
     *
     * @param ec   ESR_EL1.EC (0x20/0x21 instruction abort, 0x24/0x25 data abort)
     * @param fsc  DFSC/IFSC, fault kind and level
     * @param wnr  ISS.WnR (data aborts only)
     * @param far  FAR_EL1
     */
    public record Faulted(int ec, int fsc, boolean wnr, long far) implements Expectation {
        @Override
        public String toString() {
            return String.format("fault EC=0x%02x FSC=0x%02x WnR=%d FAR=0x%x", ec, fsc, wnr ? 1 : 0, far);
        }

        @Override
        public String toVectorSyntax() {
            return String.format("fault ec=0x%02x fsc=0x%02x wnr=%d far=0x%x", ec, fsc, wnr ? 1 : 0, far);
        }
    }

    /** The accesses of the case. */
    public List<Access> accesses() {
        return commands.stream().filter(c -> c instanceof Access).map(c -> (Access) c).toList();
    }

    /** The first value the case gives a register, or {@code fallback}. */
    public long register(Register r, long fallback) {
        for (Command c : commands) {
            if (c instanceof SetRegister s && s.register() == r) {
                return s.value();
            }
        }
        return fallback;
    }

    /** The last value the case gives a register before its first access, or 0 (the reset value). */
    public long registerAtFirstAccess(Register r) {
        long value = 0;
        for (Command c : commands) {
            if (c instanceof Access) {
                break;
            }
            if (c instanceof SetRegister s && s.register() == r) {
                value = s.value();
            }
        }
        return value;
    }

    /** The file name part of {@link #source}. */
    public String file() {
        int colon = source.lastIndexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }

    /** The line of the {@code case} line, from {@link #source}. */
    public int line() {
        int colon = source.lastIndexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(source.substring(colon + 1));
    }

    @Override
    public String toString() {
        return name;
    }
}
