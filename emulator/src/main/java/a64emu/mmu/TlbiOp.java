package a64emu.mmu;

/**
 * The EL1&0 stage-1 TLB invalidate operations (ARM ARM C5.5 "TLBI"), as Linux issues them
 * ({@code arch/arm64/include/asm/tlbflush.h}). The operand of the by-VA and by-ASID forms
 * is Linux's {@code __TLBI_VADDR}: ASID in [63:48], VA[55:12] in [43:0]; bits [47:44]
 * are the TTL hint, which a64emu ignores (the hint only narrows what must be invalidated).
 *
 * <p>The IS (Inner Shareable) forms broadcast to every PE; a64emu has one TLB, so they
 * behave as the local forms. "Last level" (VALE1, VAALE1) forms need only invalidate
 * leaf entries: the a64emu TLB caches only complete translations (no walk cache), so
 * they remove exactly what the non-leaf forms remove.
 */
public enum TlbiOp {
    VMALLE1(Scope.ALL, false, false),
    VMALLE1IS(Scope.ALL, false, true),
    ASIDE1(Scope.ASID, false, false),
    ASIDE1IS(Scope.ASID, false, true),
    VAE1(Scope.VA_ASID, false, false),
    VAE1IS(Scope.VA_ASID, false, true),
    VALE1(Scope.VA_ASID, true, false),
    VALE1IS(Scope.VA_ASID, true, true),
    VAAE1(Scope.VA_ALL_ASIDS, false, false),
    VAAE1IS(Scope.VA_ALL_ASIDS, false, true),
    VAALE1(Scope.VA_ALL_ASIDS, true, false),
    VAALE1IS(Scope.VA_ALL_ASIDS, true, true);

    /** What the operation selects. */
    public enum Scope {
        /** Every EL1&0 entry, global or not. */
        ALL,
        /** Non-global entries of one ASID. */
        ASID,
        /** Entries for one VA: that ASID's, and global ones. */
        VA_ASID,
        /** Entries for one VA under every ASID. */
        VA_ALL_ASIDS
    }

    public final Scope scope;
    /** Only last-level (leaf) entries need be removed. */
    public final boolean lastLevelOnly;
    /** Inner Shareable broadcast form. */
    public final boolean innerShareable;

    TlbiOp(Scope scope, boolean lastLevelOnly, boolean innerShareable) {
        this.scope = scope;
        this.lastLevelOnly = lastLevelOnly;
        this.innerShareable = innerShareable;
    }

    /** VA field of the operand: bits [43:0] hold VA[55:12]. */
    public static final long OPERAND_VA_MASK = (1L << 44) - 1;
    public static final int OPERAND_ASID_SHIFT = 48;

    /** Linux {@code __TLBI_VADDR(va, asid)}: the Xt operand for a by-VA operation. */
    public static long operand(long va, int asid) {
        return ((va >>> Descriptor.PAGE_SHIFT) & OPERAND_VA_MASK) | ((long) (asid & 0xFFFF) << OPERAND_ASID_SHIFT);
    }

    /** The Xt operand for ASIDE1: the ASID in [63:48]. */
    public static long asidOperand(int asid) {
        return (long) (asid & 0xFFFF) << OPERAND_ASID_SHIFT;
    }

    /** ASID field of an operand. */
    public static int asidOf(long operand) {
        return (int) (operand >>> OPERAND_ASID_SHIFT) & 0xFFFF;
    }

    /**
     * The page-aligned VA an operand names, VA[55:12] sign-extended from bit 55 so it
     * matches TTBR1 addresses the way the walker sees them.
     */
    public static long vaOf(long operand) {
        long va = (operand & OPERAND_VA_MASK) << Descriptor.PAGE_SHIFT;
        return (va << 8) >> 8;
    }

    /** The system instruction's name as the assembler spells it, e.g. {@code tlbi vale1is}. */
    public String mnemonic() {
        return "tlbi " + name().toLowerCase();
    }
}
