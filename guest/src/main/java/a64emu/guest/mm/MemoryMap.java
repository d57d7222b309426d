package a64emu.guest.mm;

import a64emu.guest.Errno;
import java.util.List;

/**
 * The memory system calls' semantics, Linux {@code mm/mmap.c} and {@code mm/mprotect.c}
 * and {@code mm/madvise.c}: brk, mmap, munmap, mprotect, madvise on one address space.
 * Results are values or negative errno, as the system call returns them.
 */
public final class MemoryMap {
    /** A file opened for mapping: its bytes, guest path and access mode. */
    public record MappableFile(PageSource source, String path, boolean readable, boolean writable) {}

    private final AddressSpace mm;
    private final VmLayout layout;

    public MemoryMap(AddressSpace mm) {
        this.mm = mm;
        this.layout = mm.layout();
    }

    public AddressSpace addressSpace() {
        return mm;
    }

    // ---- brk --------------------------------------------------------------------------

    /**
     * Linux {@code sys_brk}: moves the program break and returns the new one, or the
     * current one when the request is refused (never an error number).
     */
    public long brk(long requested) {
        long oldBrk = mm.brk();
        if (requested < mm.startBrk() || requested >= layout.taskSize()) {
            return oldBrk;
        }
        long newAligned = VmLayout.pageAlign(requested);
        long oldAligned = VmLayout.pageAlign(oldBrk);
        if (newAligned == oldAligned) {
            mm.setBrk(requested);
            return requested;
        }
        if (requested <= oldBrk) {
            mm.unmap(newAligned, oldAligned);
            mm.setBrk(requested);
            return requested;
        }
        Vma next = mm.findEndingAbove(oldAligned);
        if (next != null && newAligned + VmLayout.PAGE_SIZE > AddressSpace.startGap(next)) {
            return oldBrk;
        }
        mm.insert(Vma.anonymous(oldAligned, newAligned, Mman.PROT_READ | Mman.PROT_WRITE, 0, "[heap]"));
        mm.setBrk(requested);
        return requested;
    }

    // ---- mmap -------------------------------------------------------------------------

    /**
     * Linux {@code do_mmap} after the system call has checked the offset's alignment and
     * looked up the file ({@code file} null for MAP_ANONYMOUS).
     *
     * <p>Limitation: there is no page cache yet, so a MAP_SHARED file mapping gets private
     * copies of the file's pages; stores to it do not reach the file. MAP_SHARED anonymous
     * memory is exact while there is one process.
     */
    public long mmap(long addr, long len, int prot, int flags, MappableFile file, long offset) {
        int type = flags & Mman.MAP_TYPE;
        if (type != Mman.MAP_SHARED && type != Mman.MAP_PRIVATE && type != Mman.MAP_SHARED_VALIDATE) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return -Errno.EINVAL;
        }
        long length = VmLayout.pageAlign(len);
        if (length == 0 || length < 0 || length > layout.taskSize()) {
            return -Errno.ENOMEM;
        }
        if (file != null && offset + length < offset) {
            return -Errno.EOVERFLOW;
        }
        boolean shared = type != Mman.MAP_PRIVATE;
        if (file != null) {
            if (!file.readable()) {
                return -Errno.EACCES;
            }
            if (shared && (prot & Mman.PROT_WRITE) != 0 && !file.writable()) {
                return -Errno.EACCES;
            }
        }
        boolean fixed = (flags & (Mman.MAP_FIXED | Mman.MAP_FIXED_NOREPLACE)) != 0;
        long start;
        if (fixed) {
            if (!VmLayout.isPageAligned(addr)) {
                return -Errno.EINVAL;
            }
            if (addr < 0 || addr > layout.taskSize() - length) {
                return -Errno.ENOMEM;
            }
            if (addr < VmLayout.MMAP_MIN_ADDR) {
                return -Errno.EPERM;
            }
            if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0 && (flags & Mman.MAP_FIXED) == 0
                    && !mm.isFree(addr, addr + length)) {
                return -Errno.EEXIST;
            }
            start = addr;
        } else {
            start = unmappedArea(addr, length);
            if (start < 0) {
                return -Errno.ENOMEM;
            }
        }
        mm.unmap(start, start + length);
        int vmFlags = (shared ? Vma.VM_SHARED : 0) | ((flags & Mman.MAP_GROWSDOWN) != 0 ? Vma.VM_GROWSDOWN : 0);
        int vmProt = prot & Mman.PROT_RWX;
        if (file == null) {
            mm.insert(Vma.anonymous(start, start + length, vmProt, vmFlags, null));
        } else {
            mm.insert(Vma.file(start, start + length, vmProt, vmFlags,
                    new FileBacking(file.source(), offset, Long.MAX_VALUE, file.path())));
        }
        return start;
    }

    /**
     * Linux {@code get_unmapped_area} without MAP_FIXED: the hint if it is free (with the
     * guard gaps), else the highest free range below mmap_base, else the lowest above
     * TASK_UNMAPPED_BASE.
     */
    private long unmappedArea(long hint, long length) {
        if (hint != 0) {
            // round_hint_to_min(): the hint is rounded down to its page.
            long h = VmLayout.pageDown(hint);
            if (h < VmLayout.MMAP_MIN_ADDR) {
                h = VmLayout.pageAlign(VmLayout.MMAP_MIN_ADDR);
            }
            if (h >= 0 && h <= layout.taskSize() - length && fitsBetweenNeighbours(h, h + length)) {
                return h;
            }
        }
        long top = mm.findFreeTopDown(length, VmLayout.MMAP_MIN_ADDR, layout.mmapBase());
        if (top >= 0) {
            return top;
        }
        return findFreeBottomUp(length, layout.taskSize() / 4, layout.taskSize());
    }

    private boolean fitsBetweenNeighbours(long start, long end) {
        if (!mm.isFree(start, end)) {
            return false;
        }
        Vma next = mm.findEndingAbove(start);
        return next == null || end <= AddressSpace.startGap(next);
    }

    private long findFreeBottomUp(long length, long low, long high) {
        long candidate = low;
        for (Vma v : mm.vmas()) {
            if (v.end() <= candidate) {
                continue;
            }
            if (AddressSpace.startGap(v) >= candidate + length) {
                break;
            }
            candidate = Math.max(candidate, v.end());
        }
        return candidate + length <= high ? candidate : -1;
    }

    // ---- munmap -----------------------------------------------------------------------

    /** Linux {@code do_munmap}: holes in the range are fine. */
    public long munmap(long addr, long len) {
        if (!VmLayout.isPageAligned(addr) || len == 0) {
            return -Errno.EINVAL;
        }
        long length = VmLayout.pageAlign(len);
        if (length == 0 || addr < 0 || addr + length < addr || addr + length > layout.taskSize()) {
            return -Errno.EINVAL;
        }
        mm.unmap(addr, addr + length);
        return 0;
    }

    // ---- mremap -----------------------------------------------------------------------

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    /**
     * Linux {@code mremap}: shrinks in place, grows in place when the pages after the area
     * are free, else moves the area (page entries and all, no copying) if MREMAP_MAYMOVE
     * allows, else ENOMEM. The old range must lie inside one area (EFAULT otherwise).
     */
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
                || ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0)
                || (flags & MREMAP_DONTUNMAP) != 0
                || !VmLayout.isPageAligned(oldAddr)) {
            return -Errno.EINVAL;
        }
        long oldSize = VmLayout.pageAlign(oldLen);
        long newSize = VmLayout.pageAlign(newLen);
        if (newSize == 0 || oldSize == 0 || newSize < 0 || oldSize < 0) {
            return -Errno.EINVAL;
        }
        long oldEnd = oldAddr + oldSize;
        Vma vma = mm.find(oldAddr);
        if (vma == null || oldEnd > vma.end()) {
            return -Errno.EFAULT;
        }
        if ((flags & MREMAP_FIXED) != 0) {
            if (!VmLayout.isPageAligned(newAddr) || newAddr < VmLayout.MMAP_MIN_ADDR
                    || newAddr > layout.taskSize() - newSize) {
                return -Errno.EINVAL;
            }
            if (newAddr < oldEnd && oldAddr < newAddr + newSize) {
                return -Errno.EINVAL;
            }
            mm.unmap(newAddr, newAddr + newSize);
            if (newSize < oldSize) {
                mm.unmap(oldAddr + newSize, oldEnd);
                oldSize = newSize;
            }
            return move(vma, oldAddr, oldSize, newAddr, newSize);
        }
        if (newSize <= oldSize) {
            mm.unmap(oldAddr + newSize, oldEnd);
            return oldAddr;
        }
        if (oldEnd == vma.end() && oldAddr + newSize <= layout.taskSize()
                && fitsBetweenNeighbours(oldEnd, oldAddr + newSize)) {
            mm.insert(vma.continuation(oldAddr + newSize));
            return oldAddr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long target = unmappedArea(0, newSize);
        if (target < 0) {
            return -Errno.ENOMEM;
        }
        return move(vma, oldAddr, oldSize, target, newSize);
    }

    /** Moves [oldAddr, oldAddr+oldSize) of {@code vma} to {@code newAddr}, sized {@code newSize}. */
    private long move(Vma vma, long oldAddr, long oldSize, long newAddr, long newSize) {
        Vma moved = vma.slice(oldAddr, oldAddr + oldSize);
        Vma target = new Vma(newAddr, newAddr + oldSize, moved.prot(), moved.flags(), moved.backing(), moved.name());
        if (newSize > oldSize) {
            target = target.extendedTo(newAddr + newSize);
        }
        java.util.List<long[]> pages = new java.util.ArrayList<>();
        PageTables pt = mm.pageTables();
        pt.forEachPresent(oldAddr, oldAddr + oldSize, (va, pte) -> {
            pages.add(new long[] {va, pte});
            return pte;
        });
        try {
            for (long[] p : pages) {
                pt.set(newAddr + (p[0] - oldAddr), p[1]);
                pt.clear(p[0]);
            }
        } catch (OutOfFramesException e) {
            // Put back what was moved: the tables for the old range still exist.
            for (long[] p : pages) {
                long at = newAddr + (p[0] - oldAddr);
                if (PageTables.isPresent(pt.pte(at))) {
                    pt.clear(at);
                    try {
                        pt.set(p[0], p[1]);
                    } catch (OutOfFramesException impossible) {
                        throw new IllegalStateException("old page tables vanished during mremap", impossible);
                    }
                }
            }
            return -Errno.ENOMEM;
        }
        mm.unmap(oldAddr, oldAddr + oldSize);
        mm.insert(target);
        return newAddr;
    }

    // ---- mprotect ---------------------------------------------------------------------

    /**
     * Linux {@code do_mprotect_pkey}: changes the protection of every area in the range,
     * splitting at its ends, and rewrites the present page entries (with TLB
     * invalidation). A hole makes it fail with ENOMEM, after the areas before the hole
     * have been changed, as Linux does.
     */
    public long mprotect(long start, long len, int prot) {
        int growsFlags = prot & (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP);
        if (growsFlags == (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP)) {
            return -Errno.EINVAL;
        }
        int known = Mman.PROT_RWX | Mman.PROT_BTI | Mman.PROT_MTE | growsFlags;
        if ((prot & ~known) != 0 || !VmLayout.isPageAligned(start)) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        long end = start + VmLayout.pageAlign(len);
        if (end <= start) {
            return -Errno.ENOMEM;
        }
        Vma first = mm.findEndingAbove(start);
        if (first == null) {
            return -Errno.ENOMEM;
        }
        if ((prot & Mman.PROT_GROWSDOWN) != 0) {
            if (first.start() >= end || !first.growsDown()) {
                return -Errno.EINVAL;
            }
            start = first.start();
        }
        if (first.start() > start) {
            return -Errno.ENOMEM;
        }
        int newProt = prot & Mman.PROT_RWX;
        mm.splitAt(start);
        mm.splitAt(end);
        long cursor = start;
        for (Vma v : mm.overlapping(start, end)) {
            if (v.start() > cursor) {
                return -Errno.ENOMEM;
            }
            if (v.prot() != newProt) {
                mm.pageTables().forEachPresent(v.start(), v.end(), (va, pte) -> ProtectionMap.modify(pte, newProt));
                mm.replace(v, v.withProt(newProt));
            }
            cursor = v.end();
        }
        return cursor < end ? -Errno.ENOMEM : 0;
    }

    // ---- madvise ----------------------------------------------------------------------

    /**
     * Linux {@code do_madvise}. MADV_DONTNEED and MADV_FREE drop the pages now (they refault
     * as zero pages or from the file; dropping at once is a valid MADV_FREE); the hints
     * that only steer reclaim are accepted. An unmapped part makes the call fail with ENOMEM.
     */
    public long madvise(long start, long len, int advice) {
        if (!VmLayout.isPageAligned(start) || !knownAdvice(advice)) {
            return -Errno.EINVAL;
        }
        long end = start + VmLayout.pageAlign(len);
        if (end < start) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        List<Vma> areas = mm.overlapping(start, end);
        long cursor = start;
        boolean hole = false;
        for (Vma v : areas) {
            if (v.start() > cursor) {
                hole = true;
            }
            long s = Math.max(start, v.start());
            long e = Math.min(end, v.end());
            if (advice == Mman.MADV_DONTNEED || advice == Mman.MADV_FREE) {
                if (advice == Mman.MADV_FREE && !v.isAnonymous()) {
                    return -Errno.EINVAL;
                }
                mm.pageTables().zap(s, e);
            }
            cursor = v.end();
        }
        return hole || cursor < end ? -Errno.ENOMEM : 0;
    }

    private static boolean knownAdvice(int advice) {
        return (advice >= Mman.MADV_NORMAL && advice <= Mman.MADV_DONTNEED)
                || (advice >= Mman.MADV_FREE && advice <= 23);
    }
}
