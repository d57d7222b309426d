package a64emu.guest.mm;

import a64emu.mmu.Descriptor;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import java.util.ArrayList;
import java.util.List;

/**
 * fork's copy of an address space: Linux {@code dup_mmap} ({@code kernel/fork.c}) for the
 * areas and {@code copy_page_range} / {@code copy_present_pte} ({@code mm/memory.c}) for
 * the entries. The child gets its own page tables under its own ASID, mapping the same
 * frames (reference and map counts go up); nothing is copied until someone writes.
 *
 * <p>Per area: VM_DONTCOPY (MADV_DONTFORK) areas are left out; VM_WIPEONFORK areas are
 * copied empty; VM_LOCKED is not inherited. Per present entry: in a private area whose
 * entry is writable (PTE_WRITE), both the parent's and the child's entry become read-only
 * ({@code ptep_set_wrprotect}, the parent's TLB entry invalidated), so the first write on
 * either side takes a permission fault and copies, or reuses the page once it is the
 * last user. Shared areas keep sharing; the child's shared entries start clean. Every
 * child entry starts old ({@code pte_mkold}), so its first access takes an Access flag fault.
 * A swap entry is copied as it is ({@code copy_nonpresent_pte}): the slot gains a reference
 * ({@code swap_duplicate}) and neither side's entry is exclusive any more.
 *
 * <p>Each entry is copied after the child's table for it exists: allocating that table may
 * reclaim, which may swap out the parent's page, so the parent's entry is read only then,
 * as Linux reads it under the page table lock after {@code pte_alloc}.
 */
public final class DupMmap {
    private DupMmap() {}

    /** A new address space for a child process, a copy-on-write copy of {@code parent}. */
    public static AddressSpace fork(AddressSpace parent, int childAsid) throws OutOfFramesException {
        PageTables ppt = parent.pageTables();
        FrameAllocator frames = ppt.frames();
        PageTables cpt = new PageTables(frames, ppt.mmu(), ppt.vaBits(), childAsid);
        AddressSpace child = new AddressSpace(cpt, parent.layout());
        child.copyStateFrom(parent);
        try {
            for (Vma vma : parent.vmas()) {
                if ((vma.flags() & Vma.VM_DONTCOPY) != 0) {
                    continue;
                }
                // dup_userfaultfd: without UFFD_FEATURE_EVENT_FORK the child's area has no userfaultfd.
                child.putUnmerged(vma.withFlags(vma.flags() & ~(Vma.VM_LOCKED | Vma.VM_LOCKONFAULT)).withUserfault(null));
                if (vma.backing() != null) {
                    vma.backing().source().areaOpened();
                }
                if ((vma.flags() & Vma.VM_WIPEONFORK) == 0) {
                    copyPageRange(ppt, cpt, vma);
                }
            }
        } catch (OutOfFramesException oom) {
            child.release();
            throw oom;
        }
        return child;
    }

    /** {@code copy_page_range} for one area. */
    private static void copyPageRange(PageTables ppt, PageTables cpt, Vma vma) throws OutOfFramesException {
        FrameAllocator frames = ppt.frames();
        List<Long> vas = new ArrayList<>();
        ppt.forEachEntry(vma.start(), vma.end(), (va, pte) -> {
            vas.add(va);
            return pte;
        });
        boolean shared = vma.isShared();
        for (long va : vas) {
            cpt.prepare(va);
            long pte = ppt.pte(va);
            switch (PteState.of(pte)) {
                case NONE -> { }
                case SWAP -> {
                    frames.swap().duplicate(SwapPte.offset(pte));
                    if (SwapPte.exclusive(pte)) {
                        ppt.update(va, SwapPte.clearExclusive(pte));
                    }
                    cpt.set(va, SwapPte.clearExclusive(pte));
                }
                case PRESENT, PROT_NONE -> {
                    long childPte = pte;
                    if (!PageTables.isSpecial(pte)) {
                        if (shared) {
                            childPte = ProtectionMap.isDirty(pte) ? ProtectionMap.mkclean(pte) : pte;
                        } else if ((pte & Descriptor.SW_WRITE) != 0) {
                            childPte = ProtectionMap.wrprotect(pte);
                            // The parent's writable private entry becomes read-only too; PageTables
                            // flushes the changed entry from the TLB under the parent's ASID.
                            ppt.update(va, childPte);
                        }
                        frames.get(PageTables.frameOf(pte));
                    }
                    cpt.set(va, ProtectionMap.mkold(childPte));
                }
            }
        }
    }
}
