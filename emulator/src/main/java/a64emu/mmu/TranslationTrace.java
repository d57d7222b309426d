package a64emu.mmu;

import java.util.List;

/**
 * What a debug walk ({@link Mmu#traceWalk}) saw: each descriptor read, top level first,
 * and either the output address or the fault the access would take.
 *
 * @param va        the virtual address as given (tag byte included)
 * @param ttbr1     true if VA[55] selected TTBR1
 * @param asid      the ASID in force
 * @param inputSize VA bits the selected half translates (0 with the MMU off)
 * @param steps     descriptors read, in walk order
 * @param pa        the physical address, or -1 when the walk faults
 * @param fault     the fault, or null
 */
public record TranslationTrace(long va, boolean ttbr1, int asid, int inputSize, List<Step> steps, long pa,
                               Fault fault) {

    /** One descriptor read: its level, where it lives, and its value. */
    public record Step(int level, long entryPa, long descriptor) {
        @Override
        public String toString() {
            return String.format("L%d [0x%x] = 0x%016x  %s", level, entryPa, descriptor,
                    Descriptor.describe(descriptor, level));
        }
    }

    public boolean faulted() {
        return fault != null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("VA 0x%016x (%s, ASID %d, %d-bit)%n",
                va, ttbr1 ? "TTBR1" : "TTBR0", asid, inputSize));
        for (Step s : steps) {
            sb.append("  ").append(s).append(System.lineSeparator());
        }
        sb.append(fault == null ? String.format("  => PA 0x%x", pa) : "  => " + fault);
        return sb.toString();
    }
}
