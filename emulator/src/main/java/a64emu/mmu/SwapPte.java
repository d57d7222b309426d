package a64emu.mmu;

/**
 * The swap entry Linux 6.1 keeps in an invalid arm64 level 3 descriptor when it has
 * swapped a page out ({@code arch/arm64/include/asm/pgtable.h}, "Encode and decode a swap
 * entry", with {@code PTE_SWP_EXCLUSIVE} from {@code pgtable-prot.h}):
 *
 * <pre>
 *   bits [1:0]   0: invalid, so the MMU faults (Translation fault, level 3)
 *   bit  2       PTE_SWP_EXCLUSIVE: the page was exclusive to this mapping (PG_anon_exclusive)
 *   bits [7:3]   swap type, the swap device (__SWP_TYPE_SHIFT 3, __SWP_TYPE_BITS 5)
 *   bits [57:8]  swap offset, the slot on the device (__SWP_OFFSET_SHIFT 8, __SWP_OFFSET_BITS 50)
 *   bit  58      PTE_PROT_NONE, must be 0 (set, the entry is a present PROT_NONE page)
 * </pre>
 *
 * The walker ignores all of it (bit 0 is clear); the kernel's fault handler reads it back.
 * Linux 6.12 moved the fields (type [10:6], offset [61:12]); a64emu follows 6.1, the kernel
 * its uname reports. This is the one place the format is written down.
 */
public final class SwapPte {
    private SwapPte() {}

    /** PTE_SWP_EXCLUSIVE, bit 2. */
    public static final long EXCLUSIVE = 1L << 2;
    public static final int TYPE_SHIFT = 3;
    public static final int TYPE_BITS = 5;
    public static final long TYPE_MASK = (1L << TYPE_BITS) - 1;
    public static final int OFFSET_SHIFT = TYPE_SHIFT + TYPE_BITS;
    public static final int OFFSET_BITS = 50;
    public static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    /** MAX_SWAPFILES: types 0..31 minus those Linux reserves for migration, hwpoison and markers. */
    public static final int MAX_SWAPFILES = 1 << TYPE_BITS;

    /** {@code __swp_entry_to_pte(__swp_entry(type, offset))}, with PTE_SWP_EXCLUSIVE if {@code exclusive}. */
    public static long encode(int type, long offset, boolean exclusive) {
        if (type < 0 || type > TYPE_MASK) {
            throw new IllegalArgumentException("swap type is 5 bits: " + type);
        }
        if (offset <= 0 || offset > OFFSET_MASK) {
            // Offset 0 is the swap header's slot, never handed out, so a swap entry is never 0.
            throw new IllegalArgumentException("swap offset out of range: " + offset);
        }
        return ((long) type << TYPE_SHIFT) | (offset << OFFSET_SHIFT) | (exclusive ? EXCLUSIVE : 0);
    }

    /** Whether {@code pte} holds a swap entry: invalid, not zero, not a PROT_NONE page. */
    public static boolean isSwap(long pte) {
        return PteState.of(pte) == PteState.SWAP;
    }

    /** {@code __swp_type}. */
    public static int type(long pte) {
        return (int) ((pte >>> TYPE_SHIFT) & TYPE_MASK);
    }

    /** {@code __swp_offset}. */
    public static long offset(long pte) {
        return (pte >>> OFFSET_SHIFT) & OFFSET_MASK;
    }

    /** {@code pte_swp_exclusive}. */
    public static boolean exclusive(long pte) {
        return (pte & EXCLUSIVE) != 0;
    }

    /** {@code pte_swp_clear_exclusive}: fork shares the entry, so neither side owns it alone. */
    public static long clearExclusive(long pte) {
        return pte & ~EXCLUSIVE;
    }

    /** "swap type=0 offset=0x1a2 exclusive". */
    public static String describe(long pte) {
        return String.format("swap type=%d offset=0x%x%s", type(pte), offset(pte),
                exclusive(pte) ? " exclusive" : "");
    }
}
