package a64emu.guest.mm;

import a64emu.mmu.Descriptor;

/**
 * From a VMA's protection to the attributes of its page entries: Linux's
 * {@code protection_map} ({@code arch/arm64/mm/mmap.c}) for private mappings, plus
 * the dirty state. A writable private page starts read-only and clean
 * ({@code PAGE_READONLY}); the first write takes a permission fault, and the fault
 * handler then makes it writable and dirty ({@code pte_mkwrite(pte_mkdirty())}).
 */
public final class ProtectionMap {
    private ProtectionMap() {}

    /** Attributes for a page of an area with {@code prot}; {@code dirty} only for a writable area. */
    public static long pageProt(int prot, boolean dirty) {
        if ((prot & Mman.PROT_RWX) == 0) {
            return Descriptor.PAGE_NONE;
        }
        boolean exec = (prot & Mman.PROT_EXEC) != 0;
        if ((prot & Mman.PROT_WRITE) != 0 && dirty) {
            return exec ? Descriptor.PAGE_READWRITE_EXEC_DIRTY : Descriptor.PAGE_READWRITE_DIRTY;
        }
        // No EPAN here: an execute-only area is mapped readable, as Linux does without FEAT_EPAN.
        return exec ? Descriptor.PAGE_READONLY_EXEC : Descriptor.PAGE_READONLY;
    }

    /** The page entry for {@code frame} in an area with {@code prot}. */
    public static long pte(long frame, int prot, boolean dirty) {
        return Descriptor.pte(frame, pageProt(prot, dirty));
    }

    /** Linux {@code pte_dirty}: software dirty, or writable with AP[2] clear. */
    public static boolean isDirty(long pte) {
        return (pte & Descriptor.SW_DIRTY) != 0
                || ((pte & Descriptor.SW_WRITE) != 0 && (pte & Descriptor.RDONLY) == 0);
    }

    /**
     * Linux {@code pte_modify}: the same frame under a new protection, keeping whether the
     * page is dirty (a read-only page remembers it in the software dirty bit).
     */
    public static long modify(long pte, int prot) {
        if (PageTables.isSpecial(pte)) {
            return zeroPage(PageTables.frameOf(pte), prot);
        }
        boolean dirty = isDirty(pte);
        long updated = pte(PageTables.frameOf(pte), prot, dirty);
        return dirty && (updated & Descriptor.VALID) != 0 ? updated | Descriptor.SW_DIRTY : updated;
    }

    /**
     * The shared zero page mapped into an area with {@code prot}: never writable (a write
     * takes a permission fault and gets a page of its own), marked special so that it is
     * neither counted nor freed as the process's own ({@code pte_mkspecial}).
     */
    public static long zeroPage(long zeroFrame, int prot) {
        return pte(zeroFrame, prot, false) | Descriptor.SW_SPECIAL;
    }
}
