package a64emu.mmu;

/**
 * What a level 3 entry of a Linux page table holds, in the kernel's terms
 * ({@code pte_none}, {@code pte_present}, {@code is_swap_pte} of
 * {@code arch/arm64/include/asm/pgtable.h}): every reader of an entry classifies it through
 * {@link #of}, so that no caller mistakes a swapped-out page for an empty one.
 */
public enum PteState {
    /** {@code pte_none}: the entry is zero; nothing was ever mapped or it was zapped. */
    NONE,
    /** A valid descriptor: the MMU translates through it. */
    PRESENT,
    /**
     * {@code pte_protnone}: invalid for the MMU (every access faults) but the frame is still
     * mapped, marked by PTE_PROT_NONE (bit 58); Linux counts it as present.
     */
    PROT_NONE,
    /** Invalid, not zero, not PROT_NONE: a swap entry ({@link SwapPte}). */
    SWAP;

    public static PteState of(long pte) {
        if ((pte & Descriptor.VALID) != 0) {
            return PRESENT;
        }
        if (pte == 0) {
            return NONE;
        }
        return (pte & Descriptor.SW_PROT_NONE) != 0 ? PROT_NONE : SWAP;
    }

    /** {@code pte_present}: a frame is mapped (valid, or PROT_NONE). */
    public static boolean isPresent(long pte) {
        return (pte & Descriptor.VALID) != 0 || (pte & Descriptor.SW_PROT_NONE) != 0;
    }

    /** The entry maps a frame, valid or not. */
    public boolean present() {
        return this == PRESENT || this == PROT_NONE;
    }
}
