package a64emu.guest.mm;

import a64emu.guest.Errno;

/**
 * mincore: Linux {@code mm/mincore.c}. One byte per page, bit 0 set when the page is
 * resident: a present entry (the zero page included), or, for a file mapping without an
 * entry, a page of the file in the page cache. Anonymous pages without an entry are not
 * resident (no swap cache yet).
 */
final class Mincore {
    private Mincore() {}

    /** The vector for [start, start+len), or null with ENOMEM/EINVAL in {@code error[0]}. */
    static byte[] mincore(MemoryMap map, long start, long len, int[] error) {
        AddressSpace mm = map.mm();
        if (!VmLayout.isPageAligned(start)) {
            error[0] = Errno.EINVAL;
            return null;
        }
        // access_ok(start, len): the range must lie in user space.
        if (len < 0 || start + len < start || start + len > mm.layout().taskSize()) {
            error[0] = Errno.ENOMEM;
            return null;
        }
        long pages = (len + VmLayout.PAGE_SIZE - 1) / VmLayout.PAGE_SIZE;
        if (pages > Integer.MAX_VALUE - 8) {
            error[0] = Errno.ENOMEM;
            return null;
        }
        byte[] vec = new byte[(int) pages];
        PageCache cache = mm.frames().pageCache();
        for (int i = 0; i < pages; i++) {
            long va = start + i * VmLayout.PAGE_SIZE;
            Vma vma = mm.find(va);
            if (vma == null) {
                // Linux stops at the first page outside every area; what was found is not copied out.
                error[0] = Errno.ENOMEM;
                return null;
            }
            long pte = mm.pageTables().pte(va);
            if (PageTables.isPresent(pte)) {
                vec[i] = 1;
            } else if (PageTables.isSwap(pte)) {
                // mincore_page of the swap cache: resident while the swapped page is still cached.
                SwapCache swapCache = mm.frames().swapCache();
                vec[i] = (byte) (swapCache != null && swapCache.find(a64emu.mmu.SwapPte.offset(pte)) >= 0 ? 1 : 0);
            } else if (vma.backing() != null) {
                long pos = vma.backing().offset() + (va - vma.start());
                vec[i] = (byte) (cache.find(vma.backing().source(), pos) >= 0 ? 1 : 0);
            }
        }
        return vec;
    }
}
