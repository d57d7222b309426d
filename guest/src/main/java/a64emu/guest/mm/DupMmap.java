package a64emu.guest.mm;

import a64emu.mmu.Descriptor;
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
        List<long[]> entries = new ArrayList<>();
        List<Vma> cowAreas = new ArrayList<>();
        for (Vma vma : parent.vmas()) {
            if ((vma.flags() & Vma.VM_DONTCOPY) != 0) {
                continue;
            }
            child.putUnmerged(vma.withFlags(vma.flags() & ~(Vma.VM_LOCKED | Vma.VM_LOCKONFAULT)));
            if ((vma.flags() & Vma.VM_WIPEONFORK) != 0) {
                continue;
            }
            boolean shared = vma.isShared();
            if (!shared) {
                cowAreas.add(vma);
            }
            ppt.forEachPresent(vma.start(), vma.end(), (va, pte) -> {
                long childPte = pte;
                if (!PageTables.isSpecial(pte)) {
                    if (shared) {
                        childPte = ProtectionMap.isDirty(pte) ? ProtectionMap.mkclean(pte) : pte;
                    } else if ((pte & Descriptor.SW_WRITE) != 0) {
                        childPte = ProtectionMap.wrprotect(pte);
                    }
                }
                entries.add(new long[] {va, ProtectionMap.mkold(childPte)});
                return pte;
            });
        }
        try {
            for (long[] e : entries) {
                if (!PageTables.isSpecial(e[1])) {
                    frames.get(PageTables.frameOf(e[1]));
                }
                try {
                    cpt.set(e[0], e[1]);
                } catch (OutOfFramesException oom) {
                    if (!PageTables.isSpecial(e[1])) {
                        frames.put(PageTables.frameOf(e[1]));
                    }
                    throw oom;
                }
            }
        } catch (OutOfFramesException oom) {
            child.release();
            throw oom;
        }
        // The parent's writable private entries become read-only too; PageTables flushes
        // each changed entry from the TLB under the parent's ASID.
        for (Vma vma : cowAreas) {
            ppt.forEachPresent(vma.start(), vma.end(), (va, pte) ->
                    !PageTables.isSpecial(pte) && (pte & Descriptor.SW_WRITE) != 0 ? ProtectionMap.wrprotect(pte) : pte);
        }
        return child;
    }
}
