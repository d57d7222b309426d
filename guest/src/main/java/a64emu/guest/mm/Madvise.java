package a64emu.guest.mm;

import a64emu.guest.Errno;
import java.util.List;

/**
 * madvise: Linux {@code mm/madvise.c}. The range is checked (EINVAL for an unknown advice
 * or an unaligned start), then each area in it is advised; an unmapped part is skipped
 * and the call ends with ENOMEM, an area that refuses the advice ends it with that error.
 *
 * <ul>
 * <li>DONTNEED (and DONTNEED_LOCKED on locked areas) zaps the pages: anonymous memory
 *     refaults zero-filled, a file mapping rereads the file. EINVAL on a VM_LOCKED area.</li>
 * <li>FREE (private anonymous only) marks pages lazily freeable: the entry is made clean
 *     and old, the frame marked lazy-free and moved to the inactive file list, where
 *     reclaim discards it while it stays clean; a later write dirties it again and
 *     cancels. Swapped-out pages of the range are freed at once.</li>
 * <li>COLD clears the access flag and PG_referenced of the pages only this process maps
 *     and deactivates them (the next access takes an Access flag fault); PAGEOUT clears
 *     them the same way and then reclaims those pages at once ({@code reclaim_pages}):
 *     anonymous pages go to swap, clean page-cache pages are dropped, dirty ones written
 *     back first. Both EINVAL on VM_LOCKED areas.</li>
 * <li>NORMAL/RANDOM/SEQUENTIAL, DONTFORK/DOFORK, WIPEONFORK/KEEPONFORK, DONTDUMP/DODUMP
 *     set or clear the area's flag; WILLNEED reads ahead (nothing to do: faults read the
 *     page cache); MERGEABLE/UNMERGEABLE and HUGEPAGE/NOHUGEPAGE are accepted (ksmd and
 *     THP are not running); POPULATE_READ/WRITE are done by the caller's populate.</li>
 * <li>REMOVE frees the pages of shared anonymous memory (EINVAL for private or locked
 *     areas, EACCES without write access, ENOTSUP for host files, which cannot punch holes here).</li>
 * </ul>
 */
final class Madvise {
    private Madvise() {}

    static boolean validAdvice(int advice) {
        return switch (advice) {
            case Mman.MADV_NORMAL, Mman.MADV_RANDOM, Mman.MADV_SEQUENTIAL, Mman.MADV_WILLNEED, Mman.MADV_DONTNEED,
                    Mman.MADV_FREE, Mman.MADV_REMOVE, Mman.MADV_DONTFORK, Mman.MADV_DOFORK, Mman.MADV_MERGEABLE,
                    Mman.MADV_UNMERGEABLE, Mman.MADV_HUGEPAGE, Mman.MADV_NOHUGEPAGE, Mman.MADV_DONTDUMP,
                    Mman.MADV_DODUMP, Mman.MADV_WIPEONFORK, Mman.MADV_KEEPONFORK, Mman.MADV_COLD,
                    Mman.MADV_PAGEOUT, Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE,
                    Mman.MADV_DONTNEED_LOCKED -> true;
            default -> false;
        };
    }

    static long madvise(MemoryMap map, long start, long lenIn, int advice) {
        if (!validAdvice(advice) || !VmLayout.isPageAligned(start)) {
            return -Errno.EINVAL;
        }
        long len = VmLayout.pageAlign(lenIn);
        if (lenIn != 0 && len == 0) {
            return -Errno.EINVAL;
        }
        long end = start + len;
        if (end < start) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        AddressSpace mm = map.mm();
        List<Vma> areas = mm.overlapping(start, end);
        if (areas.isEmpty()) {
            return -Errno.ENOMEM;
        }
        long unmappedError = 0;
        long cursor = start;
        for (Vma listed : areas) {
            if (listed.start() > cursor) {
                unmappedError = -Errno.ENOMEM;
            }
            long from = Math.max(start, listed.start());
            long to = Math.min(end, listed.end());
            Vma v = mm.find(from);
            long error = advise(mm, v, from, to, advice);
            if (error != 0) {
                return error;
            }
            cursor = to;
        }
        if (cursor < end) {
            unmappedError = -Errno.ENOMEM;
        }
        return unmappedError;
    }

    private static long advise(AddressSpace mm, Vma v, long from, long to, int advice) {
        return switch (advice) {
            case Mman.MADV_DONTNEED, Mman.MADV_DONTNEED_LOCKED -> {
                if (v.isLocked() && advice == Mman.MADV_DONTNEED) {
                    yield -Errno.EINVAL;
                }
                mm.pageTables().zap(from, to);
                yield 0;
            }
            case Mman.MADV_FREE -> {
                if (v.isLocked()) {
                    yield -Errno.EINVAL;
                }
                if (!v.isAnonymous()) {
                    yield -Errno.EINVAL;
                }
                lazyFree(mm, from, to);
                yield 0;
            }
            case Mman.MADV_COLD, Mman.MADV_PAGEOUT -> {
                if (v.isLocked()) {
                    yield -Errno.EINVAL;
                }
                coldOrPageout(mm, v, from, to, advice == Mman.MADV_PAGEOUT);
                yield 0;
            }
            case Mman.MADV_REMOVE -> {
                if (v.isLocked() || v.backing() == null) {
                    yield -Errno.EINVAL;
                }
                if (!v.isShared() || (v.flags() & Vma.VM_NO_MAYWRITE) != 0) {
                    yield -Errno.EACCES;
                }
                if (v.backing().source().evictWhenUnmapped()) {
                    yield -Errno.ENOTSUP;
                }
                removeShared(mm, v, from, to);
                yield 0;
            }
            case Mman.MADV_NORMAL -> setFlags(mm, v, from, to, 0, Vma.VM_RAND_READ | Vma.VM_SEQ_READ);
            case Mman.MADV_RANDOM -> setFlags(mm, v, from, to, Vma.VM_RAND_READ, Vma.VM_SEQ_READ);
            case Mman.MADV_SEQUENTIAL -> setFlags(mm, v, from, to, Vma.VM_SEQ_READ, Vma.VM_RAND_READ);
            case Mman.MADV_DONTFORK -> setFlags(mm, v, from, to, Vma.VM_DONTCOPY, 0);
            case Mman.MADV_DOFORK -> setFlags(mm, v, from, to, 0, Vma.VM_DONTCOPY);
            case Mman.MADV_WIPEONFORK -> v.backing() != null || v.isShared() ? -Errno.EINVAL
                    : setFlags(mm, v, from, to, Vma.VM_WIPEONFORK, 0);
            case Mman.MADV_KEEPONFORK -> setFlags(mm, v, from, to, 0, Vma.VM_WIPEONFORK);
            case Mman.MADV_DONTDUMP -> setFlags(mm, v, from, to, Vma.VM_DONTDUMP, 0);
            case Mman.MADV_DODUMP -> setFlags(mm, v, from, to, 0, Vma.VM_DONTDUMP);
            case Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE ->
                    // check_vma_flags refuses the access: "incompatible permissions", EINVAL.
                    (v.prot() & Mman.PROT_RWX) == 0 || (advice == Mman.MADV_POPULATE_WRITE && !v.writable())
                            ? -Errno.EINVAL : 0;
            // WILLNEED, MERGEABLE, UNMERGEABLE, HUGEPAGE, NOHUGEPAGE: see the class comment.
            default -> 0;
        };
    }

    /** Linux {@code madvise_update_vma}: the flag change on [from, to), splitting the area. */
    private static long setFlags(AddressSpace mm, Vma v, long from, long to, int set, int clear) {
        int flags = (v.flags() | set) & ~clear;
        if (flags == v.flags()) {
            return 0;
        }
        mm.splitAt(from);
        mm.splitAt(to);
        Vma piece = mm.find(from);
        mm.replace(piece, piece.withFlags(flags));
        return 0;
    }

    /**
     * Linux {@code madvise_free_pte_range}: swapped-out pages are freed; pages only this
     * entry maps lose their swap copy, become clean, old and lazy-free ({@code folio_mark_lazyfree}).
     */
    private static void lazyFree(AddressSpace mm, long from, long to) {
        FrameAllocator frames = mm.frames();
        List<Long> swapped = new java.util.ArrayList<>();
        mm.pageTables().forEachEntry(from, to, (va, pte) -> {
            if (PageTables.isSwap(pte)) {
                swapped.add(va);
                return pte;
            }
            if (PageTables.isSpecial(pte)) {
                return pte;
            }
            long frame = PageTables.frameOf(pte);
            if (frames.kind(frame) != FrameAllocator.PageKind.ANON || frames.mapcount(frame) != 1) {
                return pte;
            }
            if (frames.inSwapCache(frame) && !frames.swapCache().freeSwap(frame)) {
                return pte;
            }
            frames.setDirty(frame, false);
            if (!frames.isLazyFree(frame)) {
                frames.setLazyFree(frame, true);
                frames.events().count(VmEvents.Event.PGLAZYFREE);
            }
            return ProtectionMap.mkold(ProtectionMap.mkclean(pte));
        });
        for (long va : swapped) {
            mm.pageTables().zapPage(va);
        }
    }

    /**
     * Linux {@code madvise_cold_or_pageout_pte_range}: for each page only this process maps,
     * the entry is made old and PG_referenced cleared; COLD then deactivates the page,
     * PAGEOUT reclaims the pages together.
     */
    private static void coldOrPageout(AddressSpace mm, Vma v, long from, long to, boolean pageout) {
        FrameAllocator frames = mm.frames();
        List<Long> reclaim = new java.util.ArrayList<>();
        mm.pageTables().forEachPresent(from, to, (va, pte) -> {
            if (PageTables.isSpecial(pte)) {
                return pte;
            }
            long frame = PageTables.frameOf(pte);
            // Do not interfere with other mappings of this page.
            if (frames.mapcount(frame) != 1) {
                return pte;
            }
            frames.setReferenced(frame, false);
            if (pageout) {
                reclaim.add(frame);
            } else if (frames.vmscan() != null) {
                frames.vmscan().deactivate(frame);
            }
            return ProtectionMap.mkold(pte);
        });
        if (!reclaim.isEmpty() && frames.vmscan() != null) {
            frames.vmscan().reclaimPages(reclaim);
        }
    }

    /** MADV_REMOVE on shared anonymous memory: the pages are freed; they read as zero again. */
    private static void removeShared(AddressSpace mm, Vma v, long from, long to) {
        PageSource source = v.backing().source();
        long fileFrom = v.backing().offset() + (from - v.start());
        long fileTo = v.backing().offset() + (to - v.start());
        // Every mapping of these pages loses them (shmem_truncate_range unmaps them everywhere).
        for (AddressSpace other : mm.frames().addressSpaces()) {
            for (Vma o : other.vmas()) {
                if (o.backing() == null || o.backing().source() != source) {
                    continue;
                }
                long oFrom = Math.max(o.start(), o.start() + (fileFrom - o.backing().offset()));
                long oTo = Math.min(o.end(), o.start() + (fileTo - o.backing().offset()));
                if (oFrom < oTo) {
                    other.pageTables().zap(oFrom, oTo);
                }
            }
        }
        mm.frames().pageCache().dropRange(source, fileFrom, fileTo);
    }
}
