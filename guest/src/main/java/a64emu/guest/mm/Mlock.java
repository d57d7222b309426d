package a64emu.guest.mm;

import a64emu.guest.Errno;

/**
 * mlock, mlock2, munlock, mlockall, munlockall: Linux {@code mm/mlock.c}. Locking sets
 * VM_LOCKED (and VM_LOCKONFAULT for MLOCK_ONFAULT / MCL_ONFAULT) on the areas, splitting
 * at the range's ends, and marks their resident pages PG_mlocked; the caller then
 * populates the range ({@link MemoryMap#populate}) unless it is lock-on-fault. Without
 * CAP_IPC_LOCK the locked total may not pass RLIMIT_MEMLOCK (ENOMEM for mlock, EAGAIN
 * for a new locked mapping); a limit of 0 forbids locking (EPERM).
 */
final class Mlock {
    private static final int LOCK_FLAGS = Vma.VM_LOCKED | Vma.VM_LOCKONFAULT;

    private final MemoryMap map;

    Mlock(MemoryMap map) {
        this.map = map;
    }

    /** locked_vm in bytes: the size of every VM_LOCKED area. */
    long lockedBytes() {
        long total = 0;
        for (Vma v : map.mm().vmas()) {
            if (v.isLocked()) {
                total += v.size();
            }
        }
        return total;
    }

    /** Linux {@code can_do_mlock}: a non-zero RLIMIT_MEMLOCK, or CAP_IPC_LOCK. */
    boolean canDoMlock() {
        return map.memlockLimit() != 0 || map.capIpcLock();
    }

    /** Linux {@code mlock_future_ok}: a new locked area of {@code bytes} stays under the limit. */
    boolean futureOk(int vmFlags, long bytes) {
        if ((vmFlags & Vma.VM_LOCKED) == 0 || map.capIpcLock() || map.memlockLimit() < 0) {
            return true;
        }
        return lockedBytes() + bytes <= map.memlockLimit();
    }

    /** Linux {@code do_mlock} (mlock2's flags already checked: 0 or MLOCK_ONFAULT). */
    long mlock(long start, long len, int flags) {
        if ((flags & ~Mman.MLOCK_ONFAULT) != 0) {
            return -Errno.EINVAL;
        }
        if (!canDoMlock()) {
            return -Errno.EPERM;
        }
        long length = VmLayout.pageAlign(len + (start & (VmLayout.PAGE_SIZE - 1)));
        start = VmLayout.pageDown(start);
        if (!map.capIpcLock() && map.memlockLimit() >= 0) {
            // Parts already locked do not count twice (count_mm_mlocked_page_nr).
            long locked = lockedBytes() + length - alreadyLocked(start, start + length);
            if (Long.compareUnsigned(locked, map.memlockLimit()) > 0) { // unsigned, as a huge len is
                return -Errno.ENOMEM;
            }
        }
        int add = Vma.VM_LOCKED | ((flags & Mman.MLOCK_ONFAULT) != 0 ? Vma.VM_LOCKONFAULT : 0);
        return applyLockFlags(start, length, add);
    }

    long munlock(long start, long len) {
        long length = VmLayout.pageAlign(len + (start & (VmLayout.PAGE_SIZE - 1)));
        return applyLockFlags(VmLayout.pageDown(start), length, 0);
    }

    /** Linux {@code mlockall}. */
    long mlockall(int flags) {
        int valid = Mman.MCL_CURRENT | Mman.MCL_FUTURE | Mman.MCL_ONFAULT;
        if (flags == 0 || (flags & ~valid) != 0 || flags == Mman.MCL_ONFAULT) {
            return -Errno.EINVAL;
        }
        if (!canDoMlock()) {
            return -Errno.EPERM;
        }
        AddressSpace mm = map.mm();
        if ((flags & Mman.MCL_CURRENT) != 0 && !map.capIpcLock() && map.memlockLimit() >= 0
                && mm.totalVm() > map.memlockLimit()) {
            return -Errno.ENOMEM;
        }
        int onFault = (flags & Mman.MCL_ONFAULT) != 0 ? Vma.VM_LOCKONFAULT : 0;
        mm.setDefaultFlags((flags & Mman.MCL_FUTURE) != 0 ? Vma.VM_LOCKED | onFault : 0);
        if ((flags & Mman.MCL_CURRENT) != 0) {
            setAll(Vma.VM_LOCKED | onFault);
        }
        return 0;
    }

    long munlockall() {
        map.mm().setDefaultFlags(0);
        setAll(0);
        return 0;
    }

    private void setAll(int lockFlags) {
        AddressSpace mm = map.mm();
        for (Vma v : new java.util.ArrayList<>(mm.vmas())) {
            Vma current = mm.find(v.start());
            if (current != null) {
                fixup(current, lockFlags);
            }
        }
    }

    private long alreadyLocked(long start, long end) {
        long n = 0;
        for (Vma v : map.mm().overlapping(start, end)) {
            if (v.isLocked()) {
                n += Math.min(end, v.end()) - Math.max(start, v.start());
            }
        }
        return n;
    }

    /**
     * Linux {@code apply_vma_lock_flags}: every area in the range gets {@code lockFlags}
     * in place of its lock flags; a hole is ENOMEM, after the areas before it are done.
     */
    private long applyLockFlags(long start, long length, int lockFlags) {
        long end = start + length;
        if (Long.compareUnsigned(end, start) < 0) {
            return -Errno.EINVAL; // apply_vma_lock_flags: the range wraps
        }
        if (end == start) {
            return 0;
        }
        if (end < 0) {
            end = Long.MAX_VALUE; // past 2^63 (unsigned): no area reaches there, so a hole ends the walk
        }
        AddressSpace mm = map.mm();
        Vma first = mm.find(start);
        if (first == null) {
            return -Errno.ENOMEM;
        }
        long cursor = start;
        for (Vma v : mm.overlapping(start, end)) {
            if (v.start() > cursor) {
                return -Errno.ENOMEM;
            }
            long from = Math.max(start, v.start());
            long to = Math.min(end, v.end());
            if ((v.flags() & LOCK_FLAGS) != lockFlags) {
                mm.splitAt(from);
                mm.splitAt(to);
                fixup(mm.find(from), lockFlags);
            }
            cursor = to;
        }
        return cursor < end ? -Errno.ENOMEM : 0;
    }

    /** Linux {@code mlock_fixup}: the new lock flags on one area, and PG_mlocked on its pages. */
    private void fixup(Vma vma, int lockFlags) {
        if ((vma.flags() & LOCK_FLAGS) == lockFlags) {
            return;
        }
        AddressSpace mm = map.mm();
        Vma updated = mm.replace(vma, vma.withFlags((vma.flags() & ~LOCK_FLAGS) | lockFlags));
        FrameAllocator frames = mm.frames();
        boolean locked = (lockFlags & Vma.VM_LOCKED) != 0;
        mm.pageTables().forEachPresent(vma.start(), vma.end(), (va, pte) -> {
            if (!PageTables.isSpecial(pte)) {
                frames.setMlocked(PageTables.frameOf(pte), locked);
            }
            return pte;
        });
        if (updated == null) {
            throw new IllegalStateException("mlock lost " + vma.describe());
        }
    }
}
