package a64emu.guest.mm;

import a64emu.guest.Errno;
import java.util.List;

/**
 * The memory system calls' semantics on one address space: Linux {@code mm/mmap.c} (brk,
 * mmap, munmap), {@code mm/mprotect.c} and {@code mm/mremap.c} here, and through thin
 * entry points {@link Madvise} (madvise.c), {@link Mlock} (mlock.c), {@link Msync}
 * (msync.c) and {@link Mincore} (mincore.c). Results are values or negative errno, as the
 * system call returns them. Where Linux then populates pages (MAP_POPULATE, mlock), the
 * caller does it with {@link #populate} and its fault handler.
 */
public final class MemoryMap {
    /** A file opened for mapping: its bytes, guest path and access mode. */
    public record MappableFile(PageSource source, String path, boolean readable, boolean writable) {}

    /** vm.max_map_count: more areas than this and mmap fails with ENOMEM. */
    public static final int MAX_MAP_COUNT = 65530;

    private final AddressSpace mm;
    private final VmLayout layout;
    private final Mlock mlock;
    /** CAP_IPC_LOCK: no RLIMIT_MEMLOCK for mlock. */
    private boolean capIpcLock;
    /** CAP_SYS_RAWIO: may map below vm.mmap_min_addr. */
    private boolean capSysRawio;
    /** RLIMIT_MEMLOCK soft limit in bytes. */
    private long memlockLimit = VmLayout.RLIMIT_MEMLOCK;
    /** RLIMIT_DATA soft limit in bytes; negative is RLIM_INFINITY. */
    private long dataLimit = -1;
    /** RLIMIT_AS soft limit in bytes; negative is RLIM_INFINITY. */
    private long addressSpaceLimit = -1;

    public MemoryMap(AddressSpace mm) {
        this.mm = mm;
        this.layout = mm.layout();
        this.mlock = new Mlock(this);
    }

    /** The capabilities the memory calls check, as the process has them now. */
    public void setCapabilities(boolean ipcLock, boolean sysRawio) {
        capIpcLock = ipcLock;
        capSysRawio = sysRawio;
    }

    /** Both capabilities, or neither (root, or an ordinary user). */
    public void setPrivileged(boolean value) {
        setCapabilities(value, value);
    }

    /** CAP_IPC_LOCK: mlock is not limited by RLIMIT_MEMLOCK. */
    public boolean capIpcLock() {
        return capIpcLock;
    }

    /** RLIMIT_MEMLOCK as the process has it now (RLIM_INFINITY as a negative value). */
    public void setMemlockLimit(long bytes) {
        memlockLimit = bytes;
    }

    public long memlockLimit() {
        return memlockLimit;
    }

    /** RLIMIT_DATA as the process has it now (RLIM_INFINITY as a negative value). */
    public void setDataLimit(long bytes) {
        dataLimit = bytes;
    }

    /** RLIMIT_AS as the process has it now (RLIM_INFINITY as a negative value). */
    public void setAddressSpaceLimit(long bytes) {
        addressSpaceLimit = bytes;
    }

    /** VmSize: every area (Linux mm->total_vm). */
    long totalVm() {
        long total = 0;
        for (Vma v : mm.vmas()) {
            total += v.size();
        }
        return total;
    }

    /** VmData: private writable areas other than the stack (Linux mm->data_vm). */
    long dataVm() {
        long total = 0;
        for (Vma v : mm.vmas()) {
            if (v.writable() && !v.isShared() && !v.growsDown()) {
                total += v.size();
            }
        }
        return total;
    }

    /**
     * Linux {@code may_expand_vm}: {@code bytes} more of an area must keep VmSize within
     * RLIMIT_AS and, for a private writable area, VmData within RLIMIT_DATA.
     */
    private boolean mayExpandVm(int prot, int vmFlags, long bytes) {
        if (addressSpaceLimit >= 0 && totalVm() + bytes > addressSpaceLimit) {
            return false;
        }
        boolean data = (prot & Mman.PROT_WRITE) != 0 && (vmFlags & (Vma.VM_SHARED | Vma.VM_GROWSDOWN)) == 0;
        return !data || dataLimit < 0 || dataVm() + bytes <= dataLimit;
    }

    /** The areas of an address range: what mlock, madvise, msync and mincore walk. */
    AddressSpace mm() {
        return mm;
    }

    public AddressSpace addressSpace() {
        return mm;
    }

    // ---- brk --------------------------------------------------------------------------

    /**
     * Linux {@code sys_brk}: moves the program break and returns the new one, or the
     * current one when the request is refused (never an error number): below start_brk,
     * into the next area's guard gap, or refused by the commit check. With
     * mlockall(MCL_FUTURE) the new heap is locked; the caller populates it.
     */
    public long brk(long requested) {
        long oldBrk = mm.brk();
        if (requested < mm.startBrk() || requested >= layout.taskSize()) {
            return oldBrk;
        }
        // check_data_rlimit: the heap plus the ELF data segment within RLIMIT_DATA.
        if (dataLimit >= 0 && (requested - mm.startBrk()) + (mm.endData() - mm.startData()) > dataLimit) {
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
        int flags = mm.defaultFlags();
        // do_brk_flags -> may_expand_vm: VmSize within RLIMIT_AS, and the heap is data, so
        // VmData stays within RLIMIT_DATA too.
        if (!mayExpandVm(Mman.PROT_READ | Mman.PROT_WRITE, flags, newAligned - oldAligned)) {
            return oldBrk;
        }
        if (!mlock.futureOk(flags, newAligned - oldAligned)
                || !Overcommit.enoughMemory(mm.frames(), (newAligned - oldAligned) / VmLayout.PAGE_SIZE)) {
            return oldBrk;
        }
        // Unnamed, as in Linux: the heap merges with .bss when it starts right after it, and
        // /proc names "[heap]" whatever area holds [start_brk, brk).
        mm.insert(Vma.anonymous(oldAligned, newAligned, Mman.PROT_READ | Mman.PROT_WRITE, flags, null));
        mm.setBrk(requested);
        return requested;
    }

    // ---- mmap -------------------------------------------------------------------------

    /** The MAP_* flags Linux checks MAP_SHARED_VALIDATE against (LEGACY_MAP_MASK and MAP_SYNC). */
    private static final int VALIDATED_MAP_FLAGS = Mman.MAP_SHARED | Mman.MAP_PRIVATE | Mman.MAP_FIXED
            | Mman.MAP_ANONYMOUS | Mman.MAP_DENYWRITE | Mman.MAP_EXECUTABLE | Mman.MAP_UNINITIALIZED
            | Mman.MAP_GROWSDOWN | Mman.MAP_LOCKED | Mman.MAP_NORESERVE | Mman.MAP_POPULATE | Mman.MAP_NONBLOCK
            | Mman.MAP_STACK | Mman.MAP_HUGETLB | Mman.MAP_FIXED_NOREPLACE;

    /**
     * Linux {@code do_mmap} after the system call has checked the offset's alignment and
     * looked up the file ({@code file} null for MAP_ANONYMOUS), in Linux's order of checks.
     * MAP_SHARED file mappings map the page-cache pages themselves; MAP_SHARED anonymous
     * memory is a {@link SharedAnonymous} object that fork children share.
     */
    public long mmap(long addr, long len, int prot, int flags, MappableFile file, long offset) {
        if (len == 0) {
            return -Errno.EINVAL;
        }
        long length = VmLayout.pageAlign(len);
        if (length == 0 || length < 0) {
            return -Errno.ENOMEM;
        }
        if (file != null && (offset >>> VmLayout.PAGE_SHIFT) + (length >>> VmLayout.PAGE_SHIFT)
                < (offset >>> VmLayout.PAGE_SHIFT)) {
            return -Errno.EOVERFLOW;
        }
        if (mm.vmaCount() > MAX_MAP_COUNT) {
            return -Errno.ENOMEM;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0) {
            flags |= Mman.MAP_FIXED;
        }
        int type = flags & Mman.MAP_TYPE;
        boolean shared = type == Mman.MAP_SHARED || type == Mman.MAP_SHARED_VALIDATE;
        if (file == null && (flags & Mman.MAP_HUGETLB) != 0) {
            // hugetlb_file_setup: no huge pages are reserved (vm.nr_hugepages = 0).
            return -Errno.ENOMEM;
        }
        if (file != null && (flags & Mman.MAP_HUGETLB) != 0) {
            return -Errno.EINVAL;
        }
        long start = unmappedArea(addr, length, (flags & Mman.MAP_FIXED) != 0);
        if (start < 0) {
            return start;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0 && !mm.isFree(start, start + length)) {
            return -Errno.EEXIST;
        }
        int vmFlags = mm.defaultFlags()
                | ((flags & Mman.MAP_GROWSDOWN) != 0 ? Vma.VM_GROWSDOWN : 0)
                | ((flags & Mman.MAP_LOCKED) != 0 ? Vma.VM_LOCKED : 0)
                | ((flags & Mman.MAP_NORESERVE) != 0 ? Vma.VM_NORESERVE : 0);
        if ((flags & Mman.MAP_LOCKED) != 0 && !mlock.canDoMlock()) {
            return -Errno.EPERM;
        }
        if (!mlock.futureOk(vmFlags, length)) {
            return -Errno.EAGAIN;
        }
        FileBacking backing;
        if (file != null) {
            switch (type) {
                case Mman.MAP_SHARED, Mman.MAP_SHARED_VALIDATE -> {
                    if (type == Mman.MAP_SHARED_VALIDATE && (flags & ~VALIDATED_MAP_FLAGS) != 0) {
                        return -Errno.ENOTSUP;
                    }
                    if ((prot & Mman.PROT_WRITE) != 0 && !file.writable()) {
                        return -Errno.EACCES;
                    }
                    if (!file.writable()) {
                        vmFlags |= Vma.VM_NO_MAYWRITE;
                    }
                }
                case Mman.MAP_PRIVATE -> { }
                default -> {
                    return -Errno.EINVAL;
                }
            }
            if (!file.readable()) {
                return -Errno.EACCES;
            }
            backing = new FileBacking(file.source(), offset, Long.MAX_VALUE, file.path());
        } else {
            switch (type) {
                case Mman.MAP_SHARED -> {
                    if ((flags & Mman.MAP_GROWSDOWN) != 0) {
                        return -Errno.EINVAL;
                    }
                    backing = new FileBacking(new SharedAnonymous(length), 0, Long.MAX_VALUE,
                            SharedAnonymous.MAPS_NAME);
                }
                case Mman.MAP_PRIVATE -> backing = null;
                default -> {
                    return -Errno.EINVAL;
                }
            }
        }
        if (shared) {
            vmFlags |= Vma.VM_SHARED;
        }
        int vmProt = prot & Mman.PROT_RWX;
        if (!mayExpandVm(vmProt, vmFlags, length)) {
            return -Errno.ENOMEM;
        }
        Vma vma = new Vma(start, start + length, vmProt, vmFlags, backing, null);
        if ((vma.isAccountable() || (backing != null && !backing.source().evictWhenUnmapped()))
                && !Overcommit.enoughMemory(mm.frames(), length / VmLayout.PAGE_SIZE)) {
            return -Errno.ENOMEM;
        }
        mm.unmap(start, start + length);
        mm.insert(vma);
        return start;
    }

    /**
     * remap_file_pages (Linux 6.1 {@code mm/mmap.c}: the deprecated call emulated by a new
     * mapping): [start, start+size) of a shared mapping, whole areas of the same file with
     * the same flags, is mapped again from page {@code pgoff} of the file, with the area's
     * protection. {@code prot} must be 0; start and size are rounded down to pages.
     *
     * @return the start of the new mapping (to populate, as MAP_POPULATE asks, unless
     *         {@code flags} has MAP_NONBLOCK), or -errno
     */
    public long remapFilePages(long start, long size, long prot, long pgoff, long flags) {
        if (prot != 0) {
            return -Errno.EINVAL;
        }
        start = VmLayout.pageDown(start);
        size = VmLayout.pageDown(size);
        if (Long.compareUnsigned(start + size, start) <= 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(pgoff + (size >>> VmLayout.PAGE_SHIFT), pgoff) < 0) {
            return -Errno.EINVAL;
        }
        Vma vma = mm.find(start);
        if (vma == null || !vma.isShared()) {
            return -Errno.EINVAL;
        }
        long end = start + size;
        for (Vma prev = vma; end > prev.end(); ) {
            Vma next = mm.next(prev);
            if (next == null || next.start() != prev.end() || next.backing() == null
                    || next.backing().source() != vma.backing().source() || next.flags() != vma.flags()) {
                return -Errno.EINVAL;
            }
            prev = next;
        }
        PageSource source = vma.backing().source();
        long offset = pgoff << VmLayout.PAGE_SHIFT;
        if ((offset >>> VmLayout.PAGE_SHIFT) != pgoff) {
            return -Errno.EOVERFLOW;
        }
        // do_mmap makes a fresh area: MAP_SHARED (with the file's write permission), MAP_LOCKED
        // if the old one was locked, mm->def_flags; madvise's flags and the userfaultfd go.
        int vmFlags = Vma.VM_SHARED | (vma.flags() & Vma.VM_NO_MAYWRITE)
                | ((vma.flags() & Vma.VM_LOCKED) != 0 ? Vma.VM_LOCKED : 0) | mm.defaultFlags();
        Vma fresh = new Vma(start, end, vma.prot(), vmFlags,
                new FileBacking(source, offset, Long.MAX_VALUE, vma.backing().path()), null);
        mm.unmap(start, end, source);
        mm.insert(fresh);
        return start;
    }

    /**
     * Linux {@code __get_unmapped_area}: MAP_FIXED takes the address as it is (EINVAL if
     * unaligned, ENOMEM past TASK_SIZE); otherwise the hint if it is free with the guard
     * gaps, else where the layout's policy puts it (top-down below mmap_base, or bottom-up in
     * the legacy layout). Then {@code security_mmap_addr}: below vm.mmap_min_addr only
     * with CAP_SYS_RAWIO (EPERM).
     */
    private long unmappedArea(long hint, long length, boolean fixed) {
        if (length > layout.taskSize()) {
            return -Errno.ENOMEM;
        }
        long start;
        if (fixed) {
            if (hint < 0 || hint > layout.taskSize() - length) {
                return -Errno.ENOMEM;
            }
            if (!VmLayout.isPageAligned(hint)) {
                return -Errno.EINVAL;
            }
            start = hint;
        } else {
            start = unmappedArea(hint, length);
            if (start < 0) {
                return -Errno.ENOMEM;
            }
        }
        if (start < VmLayout.MMAP_MIN_ADDR && !capSysRawio) {
            return -Errno.EPERM;
        }
        return start;
    }

    /**
     * Linux {@code get_unmapped_area} without MAP_FIXED: the hint if it is free (with the
     * guard gaps), else where the layout's policy puts it ({@link AddressSpace#unmappedArea}).
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
        return mm.unmappedArea(length);
    }

    private boolean fitsBetweenNeighbours(long start, long end) {
        if (!mm.isFree(start, end)) {
            return false;
        }
        Vma next = mm.findEndingAbove(start);
        return next == null || end <= AddressSpace.startGap(next);
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

    public static final int MREMAP_MAYMOVE = Mman.MREMAP_MAYMOVE;
    public static final int MREMAP_FIXED = Mman.MREMAP_FIXED;
    public static final int MREMAP_DONTUNMAP = Mman.MREMAP_DONTUNMAP;

    /**
     * Linux {@code mremap} ({@code mm/mremap.c}): shrinks in place, grows in place when
     * the pages after the area are free, else moves the area (page entries and all, no
     * copying) if MREMAP_MAYMOVE allows, else ENOMEM. MREMAP_FIXED moves to a given place;
     * MREMAP_DONTUNMAP moves the pages but leaves the old area mapped and empty. The old
     * range must lie inside one area (EFAULT otherwise); an old length of 0 duplicates a
     * shared mapping.
     */
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
                || ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0)) {
            return -Errno.EINVAL;
        }
        // MREMAP_DONTUNMAP is always a move and does not resize.
        if ((flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen)) {
            return -Errno.EINVAL;
        }
        if (!VmLayout.isPageAligned(oldAddr)) {
            return -Errno.EINVAL;
        }
        long oldSize = VmLayout.pageAlign(oldLen);
        long newSize = VmLayout.pageAlign(newLen);
        if (newSize == 0 || newSize < 0 || oldSize < 0) {
            return -Errno.EINVAL;
        }
        Vma vma = mm.find(oldAddr);
        if (vma == null) {
            return -Errno.EFAULT;
        }
        if (oldSize == 0 && !vma.isShared()) {
            return -Errno.EINVAL;
        }
        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) {
            return mremapTo(vma, oldAddr, oldSize, newAddr, newSize, flags);
        }
        if (oldSize >= newSize && oldSize != 0) {
            mm.unmap(oldAddr + newSize, oldAddr + oldSize);
            return oldAddr;
        }
        long check = checkResize(vma, oldAddr, oldSize, newSize);
        if (check != 0) {
            return check;
        }
        long oldEnd = oldAddr + oldSize;
        // vma_expandable: only the pages themselves must be free (MAP_FIXED placement, no guard gap).
        if (oldSize != 0 && oldEnd == vma.end() && oldAddr + newSize <= layout.taskSize()
                && mm.isFree(oldEnd, oldAddr + newSize)) {
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
        return move(vma, oldAddr, oldSize, target, newSize, false);
    }

    /** Linux {@code mremap_to}: MREMAP_FIXED and MREMAP_DONTUNMAP. */
    private long mremapTo(Vma vma, long oldAddr, long oldSize, long newAddr, long newSize, int flags) {
        boolean fixed = (flags & MREMAP_FIXED) != 0;
        if (fixed) {
            if (!VmLayout.isPageAligned(newAddr)) {
                return -Errno.EINVAL;
            }
            if (newSize > layout.taskSize() || newAddr < 0 || newAddr > layout.taskSize() - newSize) {
                return -Errno.EINVAL;
            }
            if (oldAddr + oldSize > newAddr && newAddr + newSize > oldAddr) {
                return -Errno.EINVAL;
            }
            if (newAddr < VmLayout.MMAP_MIN_ADDR && !capSysRawio) {
                return -Errno.EPERM;
            }
            mm.unmap(newAddr, newAddr + newSize);
        }
        if (oldSize > newSize) {
            mm.unmap(oldAddr + newSize, oldAddr + oldSize);
            oldSize = newSize;
        }
        vma = mm.find(oldAddr);
        if (vma == null) {
            return -Errno.EFAULT;
        }
        long check = checkResize(vma, oldAddr, oldSize, newSize);
        if (check != 0) {
            return check;
        }
        long target = fixed ? newAddr : unmappedArea(newAddr, newSize);
        if (target < 0) {
            return -Errno.ENOMEM;
        }
        return move(vma, oldAddr, oldSize, target, newSize, (flags & MREMAP_DONTUNMAP) != 0);
    }

    /** Linux {@code vma_to_resize}: the old range in one area, and the limits on growing. */
    private long checkResize(Vma vma, long oldAddr, long oldSize, long newSize) {
        if (oldSize > vma.end() - oldAddr) {
            return -Errno.EFAULT;
        }
        if (newSize > oldSize) {
            int flags = vma.flags();
            if (!mlock.futureOk(flags, newSize - oldSize)) {
                return -Errno.EAGAIN;
            }
            if (!mayExpandVm(vma.prot(), flags, newSize - oldSize)) {
                return -Errno.ENOMEM;
            }
            if (vma.isAccountable() && !Overcommit.enoughMemory(mm.frames(), (newSize - oldSize) / VmLayout.PAGE_SIZE)) {
                return -Errno.ENOMEM;
            }
        }
        return 0;
    }

    /**
     * Linux {@code move_vma}: [oldAddr, oldAddr+oldSize) of {@code vma} moves to
     * {@code newAddr} with its page entries (same frames), sized {@code newSize}. With
     * {@code keepOld} (MREMAP_DONTUNMAP) the old range stays mapped, empty. An old size of
     * 0 (shared mappings only) makes a second mapping of the same pages.
     */
    private long move(Vma vma, long oldAddr, long oldSize, long newAddr, long newSize, boolean keepOld) {
        // The part of the area at oldAddr: its file offset is where the new area starts reading.
        Vma moved = vma.slice(oldAddr, oldAddr + Math.max(oldSize, VmLayout.PAGE_SIZE));
        // mremap_userfaultfd_prep: without UFFD_FEATURE_EVENT_REMAP the moved area leaves its userfaultfd.
        Vma target = new Vma(newAddr, newAddr + newSize, moved.prot(), moved.flags(), moved.backing(), moved.name(),
                moved.userfault(), moved.policy()).withUserfault(null);
        // move_page_tables: every entry, swap entries too, moves; the new table is made first,
        // since making it may reclaim and change the old entry, which is read only then.
        List<Long> vas = new java.util.ArrayList<>();
        PageTables pt = mm.pageTables();
        pt.forEachEntry(oldAddr, oldAddr + oldSize, (va, pte) -> {
            vas.add(va);
            return pte;
        });
        List<Long> movedFrom = new java.util.ArrayList<>();
        try {
            for (long va : vas) {
                long to = newAddr + (va - oldAddr);
                pt.prepare(to);
                long pte = pt.clear(va);
                if (pte != 0) {
                    pt.set(to, pte);
                    movedFrom.add(va);
                }
            }
        } catch (OutOfFramesException e) {
            // Put back what was moved: the tables for the old range still exist.
            for (long va : movedFrom) {
                long pte = pt.clear(newAddr + (va - oldAddr));
                try {
                    pt.set(va, pte);
                } catch (OutOfFramesException impossible) {
                    throw new IllegalStateException("old page tables vanished during mremap", impossible);
                }
            }
            return -Errno.ENOMEM;
        }
        if (oldSize != 0 && !keepOld) {
            mm.unmap(oldAddr, oldAddr + oldSize);
        }
        mm.insert(target);
        return newAddr;
    }

    // ---- mprotect ---------------------------------------------------------------------

    /**
     * Linux {@code do_mprotect_pkey}: changes the protection of every area in the range,
     * splitting at its ends, and rewrites the present page entries; {@link PageTables}
     * invalidates each rewritten entry's TLB entry, on upgrades too, since an entry that
     * gave a permission fault may stay cached. A hole makes it fail with ENOMEM, after the
     * areas before the hole have been changed, as Linux does. Asking for more than the
     * area may have (PROT_WRITE on a shared mapping of a read-only file) is EACCES.
     */
    public long mprotect(long start, long len, int prot) {
        return mprotect(start, len, prot, -1);
    }

    /**
     * pkey_mprotect (Linux {@code do_mprotect_pkey}): as mprotect, with the key checked after
     * the arguments. arm64 6.1 has no protection keys ({@code include/linux/pkeys.h} without
     * ARCH_HAS_PKEYS): key 0 is the one always allocated, and -1 means none; any other key
     * was never allocated (EINVAL).
     */
    public long mprotect(long start, long len, int prot, int pkey) {
        int growsFlags = prot & (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP);
        if (growsFlags == (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP)) {
            return -Errno.EINVAL;
        }
        if (!VmLayout.isPageAligned(start)) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        long end = start + VmLayout.pageAlign(len);
        if (end <= start) {
            return -Errno.ENOMEM;
        }
        // arm64 arch_validate_prot: R, W, X, SEM, BTI, MTE.
        int known = Mman.PROT_RWX | Mman.PROT_SEM | Mman.PROT_BTI | Mman.PROT_MTE | growsFlags;
        if ((prot & ~known) != 0) {
            return -Errno.EINVAL;
        }
        if (pkey != -1 && pkey != 0) {
            return -Errno.EINVAL; // !mm_pkey_is_allocated(mm, pkey)
        }
        Vma first = mm.findEndingAbove(start);
        if (first == null) {
            return -Errno.ENOMEM;
        }
        if ((prot & Mman.PROT_GROWSDOWN) != 0) {
            if (first.start() >= end) {
                return -Errno.ENOMEM;
            }
            if (!first.growsDown()) {
                return -Errno.EINVAL;
            }
            start = first.start();
        } else if (first.start() > start) {
            return -Errno.ENOMEM;
        }
        int newProt = prot & Mman.PROT_RWX;
        long cursor = start;
        for (Vma v : mm.overlapping(start, end)) {
            if (v.start() > cursor) {
                return -Errno.ENOMEM;
            }
            if ((newProt & Mman.PROT_WRITE) != 0 && (v.flags() & Vma.VM_NO_MAYWRITE) != 0) {
                return -Errno.EACCES;
            }
            if (!v.isAccountable() && v.withProt(newProt).isAccountable()
                    && !Overcommit.enoughMemory(mm.frames(), v.size() / VmLayout.PAGE_SIZE)) {
                return -Errno.ENOMEM;
            }
            long from = Math.max(start, v.start());
            long to = Math.min(end, v.end());
            if (v.prot() != newProt) {
                mm.splitAt(from);
                mm.splitAt(to);
                Vma piece = mm.find(from);
                boolean shared = piece.isShared();
                mm.pageTables().forEachPresent(from, to, (va, pte) -> ProtectionMap.modify(pte, newProt, shared));
                mm.replace(piece, piece.withProt(newProt));
            }
            cursor = to;
        }
        return cursor < end ? -Errno.ENOMEM : 0;
    }

    // ---- madvise, mlock, msync, mincore ------------------------------------------------

    /** Linux {@code do_madvise}; see {@link Madvise}. */
    public long madvise(long start, long len, int advice) {
        return Madvise.madvise(this, start, len, advice);
    }

    /** mlock and mlock2; see {@link Mlock}. */
    public long mlock(long start, long len, int flags) {
        return mlock.mlock(start, len, flags);
    }

    public long munlock(long start, long len) {
        return mlock.munlock(start, len);
    }

    public long mlockall(int flags) {
        return mlock.mlockall(flags);
    }

    public long munlockall() {
        return mlock.munlockall();
    }

    /** Bytes in VM_LOCKED areas (locked_vm). */
    public long lockedBytes() {
        return mlock.lockedBytes();
    }

    /** Linux {@code msync}; see {@link Msync}. */
    public long msync(long start, long len, int flags) {
        return Msync.msync(this, start, len, flags);
    }

    /**
     * Linux {@code mincore}: one byte per page of [start, start+len), bit 0 set when the
     * page is resident; see {@link Mincore}. Returns the vector, or null with the errno in
     * {@code error[0]}.
     */
    public byte[] mincore(long start, long len, int[] error) {
        return Mincore.mincore(this, start, len, error);
    }

    // ---- populate ---------------------------------------------------------------------

    /**
     * Linux {@code populate_vma_page_range} over [start, end): faults in every page of the
     * areas there, as a write where a private area is writable (breaking copy-on-write
     * now) and as a read otherwise; PROT_NONE and VM_LOCKONFAULT areas are skipped. Linux
     * ignores a failure here for MAP_POPULATE; the mapping stands and a later access
     * meets the same fault. Returns false if a fault could not be resolved.
     */
    public boolean populate(long start, long end, FaultHandler faults) {
        boolean ok = true;
        for (Vma v : mm.overlapping(start, end)) {
            if ((v.prot() & Mman.PROT_RWX) == 0 || (v.flags() & Vma.VM_LOCKONFAULT) != 0) {
                continue;
            }
            a64emu.mmu.AccessType access = v.writable() && !v.isShared()
                    ? a64emu.mmu.AccessType.WRITE : a64emu.mmu.AccessType.READ;
            long from = Math.max(start, v.start());
            long to = Math.min(end, v.end());
            for (long va = from; va < to; va += VmLayout.PAGE_SIZE) {
                if (!faults.pageFault(va, access).resolved()) {
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }
}
