package a64emu.mmu;

import java.util.List;

/**
 * What a debug walk ({@link Mmu#traceWalk}) saw: each descriptor read, top level first,
 * and either the output address or the fault the access would take.
 *
 * @param va          the virtual address as given (tag byte included)
 * @param ttbr1       true if VA[55] selected TTBR1
 * @param asid        the ASID in force
 * @param inputSize   VA bits the selected half translates (0 with the MMU off)
 * @param steps       descriptors read, in walk order
 * @param pa          the physical address, or -1 when the walk faults
 * @param fault       the fault, or null
 * @param permissions the leaf's rights with the table attributes above it applied
 *                    ({@link Tlb#permissionBit} bits), or -1 when the walk ended before
 *                    a leaf's rights were known (Translation, Address size, Access flag fault)
 */
public record TranslationTrace(long va, boolean ttbr1, int asid, int inputSize, List<Step> steps, long pa,
                               Fault fault, int permissions) {

    public TranslationTrace(long va, boolean ttbr1, int asid, int inputSize, List<Step> steps, long pa, Fault fault) {
        this(va, ttbr1, asid, inputSize, steps, pa, fault, -1);
    }

    /**
     * One descriptor read.
     *
     * @param level        translation level
     * @param tableAddress PA of the table it was read from
     * @param index        its index in that table
     * @param entryPa      PA of the descriptor itself
     * @param descriptor   its value
     * @param tableLimits  APTable/UXNTable/PXNTable gathered from the tables above it
     *                     (0 with TCR.HPD set): what they forbid below
     */
    public record Step(int level, long tableAddress, int index, long entryPa, long descriptor, long tableLimits) {
        public Step(int level, long entryPa, long descriptor) {
            this(level, entryPa & -Descriptor.TABLE_BYTES, (int) (entryPa & (Descriptor.TABLE_BYTES - 1))
                    / Descriptor.DESCRIPTOR_BYTES, entryPa, descriptor, 0);
        }

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
