package a64emu.mmu.vectors.format;

import a64emu.mmu.AccessType;
import java.util.List;

/**
 * One case of a page-table vector file: the commands of its block in file order. Register
 * and memory commands set up the machine; each {@link Access} is made on the state built so
 * far and carries what the architecture says must happen.
 *
 * @param name   the case name (unique in its file)
 * @param source file name and line of the {@code case} line, for messages
 * @param commands setup and accesses, in order ({@code use} blocks already expanded)
 * @param knownBug  null, or why a64emu is known to disagree with this case (a {@code bug} line):
 *                  the runner skips it unless asked to run known bugs
 */
public record TranslationVector(String name, String source, List<Command> commands, String knownBug) {

    /** A line of a case. */
    public sealed interface Command permits SetRegister, WriteMemory, Access {}

    /** The system registers (and PSTATE.PAN) a case can set. */
    public enum Register { SCTLR, TCR, TTBR0, TTBR1, MAIR, PAN }

    public record SetRegister(Register register, long value) implements Command {}

    /** A 64-bit little-endian word written to physical memory before the next access. */
    public record WriteMemory(long pa, long value) implements Command {}

    /**
     * An access at EL0 or EL1 and what must follow from it.
     *
     * @param memoryAfter words physical memory must hold after the access (hardware AF/dirty updates)
     */
    public record Access(int el, AccessType type, long va, Expectation expectation,
                         List<WriteMemory> memoryAfter, int line) implements Command {}

    /** The outcome of an access. */
    public sealed interface Expectation permits Translated, Faulted {}

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

    @Override
    public String toString() {
        return name;
    }
}
