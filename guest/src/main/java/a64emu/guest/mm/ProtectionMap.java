package a64emu.guest.mm;

import a64emu.mmu.Descriptor;

/**
 * From a VMA's protection to the attributes of its page entries: Linux's
 * {@code protection_map} ({@code arch/arm64/mm/mmap.c}) and the pte helpers of
 * {@code arch/arm64/include/asm/pgtable.h}.
 *
 * <p>A writable private page starts read-only ({@code PAGE_READONLY}: copy-on-write); a
 * writable shared page starts writable-clean ({@code PAGE_SHARED}: PTE_WRITE with AP[2]
 * still set, so that the first write takes a permission fault and the page is known to be
 * dirty). The fault handler then makes the entry writable and dirty
 * ({@code pte_mkwrite(pte_mkdirty())}): AP[2] clear, PTE_WRITE and PTE_DIRTY set.
 */
public final class ProtectionMap {
    private ProtectionMap() {}

    /** {@code vm_get_page_prot}: the attributes for a page of an area with {@code prot}. */
    public static long pageProt(int prot, boolean shared) {
        if ((prot & Mman.PROT_RWX) == 0) {
            return Descriptor.PAGE_NONE;
        }
        boolean exec = (prot & Mman.PROT_EXEC) != 0;
        if (shared && (prot & Mman.PROT_WRITE) != 0) {
            return exec ? Descriptor.PAGE_SHARED_EXEC : Descriptor.PAGE_SHARED;
        }
        // No EPAN here: an execute-only area is mapped readable, as Linux does without FEAT_EPAN.
        return exec ? Descriptor.PAGE_READONLY_EXEC : Descriptor.PAGE_READONLY;
    }

    /**
     * Attributes for a page of a private area with {@code prot}; {@code dirty} (only for a
     * writable area) gives the writable, dirty entry a written page has.
     */
    public static long pageProt(int prot, boolean shared, boolean dirty) {
        long attrs = pageProt(prot, shared);
        if (dirty && (prot & Mman.PROT_WRITE) != 0) {
            return (prot & Mman.PROT_EXEC) != 0 ? Descriptor.PAGE_READWRITE_EXEC_DIRTY
                    : Descriptor.PAGE_READWRITE_DIRTY;
        }
        return attrs;
    }

    /** The page entry for {@code frame} in a private area with {@code prot}. */
    public static long pte(long frame, int prot, boolean dirty) {
        return Descriptor.pte(frame, pageProt(prot, false, dirty));
    }

    /** The page entry for {@code frame} in an area with {@code prot}, shared or private. */
    public static long pte(long frame, int prot, boolean shared, boolean dirty) {
        return Descriptor.pte(frame, pageProt(prot, shared, dirty));
    }

    /** Linux {@code pte_dirty}: software dirty, or writable with AP[2] clear. */
    public static boolean isDirty(long pte) {
        return (pte & Descriptor.SW_DIRTY) != 0
                || ((pte & Descriptor.SW_WRITE) != 0 && (pte & Descriptor.RDONLY) == 0);
    }

    /** Whether the entry lets EL0 write now (AP[2:1] = 01). */
    public static boolean isWritable(long pte) {
        return Descriptor.isValid(pte) && (pte & Descriptor.USER) != 0 && (pte & Descriptor.RDONLY) == 0;
    }

    /** Linux {@code pte_young}: the access flag. */
    public static boolean isYoung(long pte) {
        return (pte & Descriptor.AF) != 0;
    }

    /** Linux {@code pte_mkyoung}. */
    public static long mkyoung(long pte) {
        return pte | Descriptor.AF;
    }

    /** Linux {@code pte_mkold}: the next access takes an Access flag fault (TCR.HA=0). */
    public static long mkold(long pte) {
        return pte & ~Descriptor.AF;
    }

    /** Linux {@code pte_mkwrite(pte_mkdirty(pte))}: writable now, and dirty. */
    public static long mkwriteDirty(long pte) {
        return (pte | Descriptor.SW_WRITE | Descriptor.SW_DIRTY) & ~Descriptor.RDONLY;
    }

    /**
     * Linux {@code pte_mkclean} after {@code pte_wrprotect} ({@code page_mkclean}): the
     * page is clean again, and a writable shared entry goes back to writable-clean so the
     * next write is seen.
     */
    public static long mkclean(long pte) {
        return (pte & ~Descriptor.SW_DIRTY) | Descriptor.RDONLY;
    }

    /**
     * Linux {@code pte_wrprotect}: read-only, the hardware dirty state saved in PTE_DIRTY
     * (fork's copy-on-write of private pages).
     */
    public static long wrprotect(long pte) {
        if (isDirty(pte)) {
            pte |= Descriptor.SW_DIRTY;
        }
        return (pte & ~Descriptor.SW_WRITE) | Descriptor.RDONLY;
    }

    /**
     * Linux {@code pte_modify}: the same frame under a new protection, keeping whether the
     * page is dirty and young. A private page never becomes writable here (the next write
     * faults and goes through copy-on-write); a shared dirty page stays writable.
     */
    public static long modify(long pte, int prot) {
        return modify(pte, prot, false);
    }

    public static long modify(long pte, int prot, boolean shared) {
        if (PageTables.isSpecial(pte)) {
            return zeroPage(PageTables.frameOf(pte), prot) & (isYoung(pte) ? -1L : ~Descriptor.AF);
        }
        boolean dirty = isDirty(pte);
        boolean writableNow = isWritable(pte);
        long updated = Descriptor.pte(PageTables.frameOf(pte), pageProt(prot, shared));
        if (!isYoung(pte)) {
            updated = mkold(updated);
        }
        if (dirty && (updated & Descriptor.VALID) != 0) {
            updated |= Descriptor.SW_DIRTY;
            if ((updated & Descriptor.SW_WRITE) != 0) {
                updated &= ~Descriptor.RDONLY;
            }
        }
        // A private page the process already owns stays writable when it stays writable
        // (Linux can_change_pte_writable for an exclusive anonymous page).
        if (!shared && writableNow && (prot & Mman.PROT_WRITE) != 0) {
            updated = mkwriteDirty(updated);
        }
        return updated;
    }

    /**
     * The shared zero page mapped into an area with {@code prot}: never writable (a write
     * takes a permission fault and gets a page of its own), marked special so that it is
     * neither counted nor freed as the process's own ({@code pte_mkspecial}).
     */
    public static long zeroPage(long zeroFrame, int prot) {
        return Descriptor.pte(zeroFrame, pageProt(prot, false)) | Descriptor.SW_SPECIAL;
    }
}
