package a64emu.guest.mm;

import a64emu.guest.Errno;

/**
 * msync: Linux {@code mm/msync.c}. For the shared file mappings in the range, the dirty
 * page entries of this process are cleaned ({@code page_mkclean}: made read-only and
 * clean, the dirtiness passed to the page, the TLB entry invalidated so the next write is
 * seen) and the file's dirty cached pages written back.
 *
 * <p>Linux writes back only for MS_SYNC: with a unified page cache MS_ASYNC has nothing to
 * do. Here read(2) goes to the host file, not through the page cache, so MS_ASYNC writes
 * back as well; a program cannot tell, except that its read(2) sees the data, as on Linux.
 * MS_INVALIDATE only checks for locked areas (EBUSY), as in Linux since 2.6.19.
 */
final class Msync {
    private Msync() {}

    static long msync(MemoryMap map, long start, long len, int flags) {
        if ((flags & ~(Mman.MS_ASYNC | Mman.MS_INVALIDATE | Mman.MS_SYNC)) != 0
                || !VmLayout.isPageAligned(start)
                || ((flags & Mman.MS_ASYNC) != 0 && (flags & Mman.MS_SYNC) != 0)) {
            return -Errno.EINVAL;
        }
        long end = start + VmLayout.pageAlign(len);
        if (end < start) {
            return -Errno.ENOMEM;
        }
        if (end == start) {
            return 0;
        }
        AddressSpace mm = map.mm();
        long unmappedError = 0;
        long cursor = start;
        while (true) {
            Vma vma = mm.findEndingAbove(cursor);
            if (vma == null) {
                return -Errno.ENOMEM;
            }
            if (cursor < vma.start()) {
                if (flags == Mman.MS_ASYNC) {
                    return -Errno.ENOMEM;
                }
                cursor = vma.start();
                if (cursor >= end) {
                    return -Errno.ENOMEM;
                }
                unmappedError = -Errno.ENOMEM;
            }
            if ((flags & Mman.MS_INVALIDATE) != 0 && vma.isLocked()) {
                return -Errno.EBUSY;
            }
            long to = Math.min(end, vma.end());
            if (vma.isShared() && vma.backing() != null && (flags & (Mman.MS_SYNC | Mman.MS_ASYNC)) != 0) {
                if (!writeback(mm, vma, cursor, to)) {
                    return -Errno.EIO;
                }
            }
            cursor = vma.end();
            if (cursor >= end) {
                return unmappedError;
            }
        }
    }

    /** page_mkclean on this process's entries, then filemap_write_and_wait_range. */
    static boolean writeback(AddressSpace mm, Vma vma, long from, long to) {
        FrameAllocator frames = mm.frames();
        mm.pageTables().forEachPresent(from, to, (va, pte) -> {
            if (PageTables.isSpecial(pte) || !ProtectionMap.isDirty(pte)) {
                return pte;
            }
            frames.setDirty(PageTables.frameOf(pte), true);
            return ProtectionMap.mkclean(pte);
        });
        FileBacking b = vma.backing();
        return frames.pageCache().writebackRange(b.source(), b.offset() + (from - vma.start()),
                b.offset() + (to - vma.start()));
    }
}
