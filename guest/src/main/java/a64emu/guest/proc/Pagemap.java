package a64emu.guest.proc;

import a64emu.guest.Errno;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.VmLayout;

/**
 * /proc/pid/pagemap (Linux 6.1 fs/proc/task_mmu.c, pagemap_read and pte_to_pagemap_entry;
 * Documentation/admin-guide/mm/pagemap.rst): one little-endian 64-bit entry per virtual page,
 * the entry of the page at address {@code va} at file offset {@code (va / 4096) * 8}, read from
 * the process's page tables and frame metadata at the moment of the read.
 *
 * <pre>
 *   63     present            62  swapped           61  file page or shared anonymous
 *   57     userfaultfd write-protected (no userfaultfd here: 0)
 *   56     exclusively mapped (map count 1)         55  soft-dirty (arm64 has none: 0)
 *   0..54  page frame number when present, if the opener may see it
 * </pre>
 *
 * An address outside every area, or whose page was never touched, reads as 0. The shared zero
 * page is present (its frame shown) but no one's: neither file nor exclusive, as
 * vm_normal_page gives no page for it. Since Linux 4.2 the frame numbers are zero unless the
 * opener had CAP_SYS_ADMIN, so that they cannot serve as an attack vector.
 */
final class Pagemap {
    private Pagemap() {}

    static final int PM_ENTRY_BYTES = 8;
    static final int PM_PFRAME_BITS = 55;
    static final long PM_PFRAME_MASK = (1L << PM_PFRAME_BITS) - 1;
    static final long PM_SOFT_DIRTY = 1L << 55;
    static final long PM_MMAP_EXCLUSIVE = 1L << 56;
    static final long PM_UFFD_WP = 1L << 57;
    static final long PM_FILE = 1L << 61;
    static final long PM_SWAP = 1L << 62;
    /** MAX_SWAPFILES_SHIFT: the swap type's bits below the offset in a swapped page's entry. */
    static final int MAX_SWAPFILES_SHIFT = 5;
    static final long PM_PRESENT = 1L << 63;

    /**
     * pagemap_open: the reads of {@code mm} (null for a process without one, which then reads
     * as empty), showing frame numbers if {@code showPfn}.
     */
    static SyntheticNode.PositionalReader reader(AddressSpace mm, boolean showPfn) {
        return (pos, buf, off, len) -> read(mm, showPfn, pos, buf, off, len);
    }

    /**
     * pagemap_read: the entries from file position {@code pos} for {@code len} bytes, both
     * multiples of 8 (EINVAL otherwise), up to the end of the user address space (TASK_SIZE),
     * past which the file ends.
     */
    static long read(AddressSpace mm, boolean showPfn, long pos, byte[] buf, int off, int len) {
        if (mm == null || mm.isReleased()) {
            return 0;
        }
        if (pos % PM_ENTRY_BYTES != 0 || len % PM_ENTRY_BYTES != 0) {
            return -Errno.EINVAL;
        }
        long end = mm.layout().taskSize();
        long svpfn = pos / PM_ENTRY_BYTES;
        // svpfn << PAGE_SHIFT, unless it would wrap; an address above TASK_SIZE reads as the end.
        long va = svpfn <= (-1L >>> VmLayout.PAGE_SHIFT) ? untag(svpfn << VmLayout.PAGE_SHIFT) : end;
        if (Long.compareUnsigned(va, end) > 0) {
            va = end;
        }
        int copied = 0;
        while (copied < len && Long.compareUnsigned(va, end) < 0) {
            putLong(buf, off + copied, entry(mm, showPfn, va));
            copied += PM_ENTRY_BYTES;
            va += VmLayout.PAGE_SIZE;
        }
        return copied;
    }

    /** pte_to_pagemap_entry for the page at {@code va}, or 0 for a hole (pagemap_pte_hole). */
    static long entry(AddressSpace mm, boolean showPfn, long va) {
        if (mm.find(va) == null) {
            return 0;
        }
        PageTables pt = mm.pageTables();
        long pte = pt.pte(va);
        if (pte == 0) {
            return 0;
        }
        if (PageTables.isSwap(pte)) {
            // is_swap_pte: with PFNs shown, swp_type | swp_offset << MAX_SWAPFILES_SHIFT in their place.
            long frame = showPfn ? a64emu.mmu.SwapPte.type(pte)
                    | (a64emu.mmu.SwapPte.offset(pte) << MAX_SWAPFILES_SHIFT) : 0;
            return PM_SWAP | (frame & PM_PFRAME_MASK);
        }
        long flags = PM_PRESENT;
        long frame = PageTables.frameOf(pte);
        if (!PageTables.isSpecial(pte)) {
            FrameAllocator frames = pt.frames();
            if (frames.kind(frame) != FrameAllocator.PageKind.ANON) {
                flags |= PM_FILE;
            }
            if (frames.mapcount(frame) == 1) {
                flags |= PM_MMAP_EXCLUSIVE;
            }
        }
        long pfn = showPfn ? frame >>> VmLayout.PAGE_SHIFT : 0;
        return flags | (pfn & PM_PFRAME_MASK);
    }

    /** arm64 untagged_addr for a user address: the top byte is ignored (TCR.TBI0) unless bit 55 is set. */
    private static long untag(long va) {
        return (va & (1L << 55)) == 0 ? va & 0x00FF_FFFF_FFFF_FFFFL : va;
    }

    private static void putLong(byte[] buf, int at, long v) {
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
