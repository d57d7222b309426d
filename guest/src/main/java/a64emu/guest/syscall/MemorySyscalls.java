package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.OpenFilePages;
import a64emu.guest.Process;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.VmLayout;

/**
 * brk, mmap, munmap, mremap, mprotect, madvise, mlock, mlock2, munlock, mlockall,
 * munlockall, msync, mincore: argument decoding in front of {@link MemoryMap}, and the
 * page population Linux does after some of them ({@code mm_populate}).
 */
final class MemorySyscalls {
    private final Process process;
    private final MemoryMap memory;

    MemorySyscalls(Process process) {
        this.process = process;
        this.memory = process.memoryMap;
        // The stack grows within the process's RLIMIT_STACK and RLIMIT_AS as they are at the fault.
        process.mm.setStackLimit(() -> process.limits[Process.RLIMIT_STACK][0]);
        process.mm.setAddressSpaceLimit(() -> process.limits[Process.RLIMIT_AS][0]);
    }

    /**
     * What the mm code needs of the caller's capabilities and limits, read at each call
     * since capset and setrlimit may have changed them: CAP_IPC_LOCK lifts RLIMIT_MEMLOCK,
     * CAP_SYS_RAWIO allows mappings below vm.mmap_min_addr.
     */
    void syncLimits() {
        memory.setCapabilities(process.capable(Process.CAP_IPC_LOCK), process.capable(Process.CAP_SYS_RAWIO));
        memory.setMemlockLimit(process.limits[Process.RLIMIT_MEMLOCK][0]);
        memory.setDataLimit(process.limits[Process.RLIMIT_DATA][0]);
        memory.setAddressSpaceLimit(process.limits[Process.RLIMIT_AS][0]);
    }

    long brk(long addr) {
        syncLimits();
        long oldBrk = process.mm.brk();
        long r = memory.brk(addr);
        if (r > oldBrk && (process.mm.defaultFlags() & a64emu.guest.mm.Vma.VM_LOCKED) != 0) {
            memory.populate(VmLayout.pageAlign(oldBrk), VmLayout.pageAlign(r), process.faults);
        }
        return r;
    }

    /**
     * arm64 {@code sys_mmap}: the offset is in bytes and must be page aligned (checked before
     * the file), then {@code ksys_mmap_pgoff} looks up the descriptor unless MAP_ANONYMOUS.
     * A file without mmap (a directory, a terminal) is ENODEV.
     */
    long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        if ((offset & (VmLayout.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        syncLimits();
        MemoryMap.MappableFile mapped = null;
        OpenFile file = null;
        if ((flags & Mman.MAP_ANONYMOUS) == 0) {
            file = process.files.file(fd);
            if (file == null) {
                return -Errno.EBADF;
            }
            mapped = new MemoryMap.MappableFile(file.isRegularFile() ? new OpenFilePages(file) : null,
                    file.guestPath(), file.readable(), file.writable());
        }
        long r;
        if (mapped != null && mapped.source() == null) {
            if (!isDevZero(file)) {
                // No f_op->mmap (a directory, a terminal, /dev/null): do_mmap's last file check.
                return -Errno.ENODEV;
            }
            r = mmapDevZero(addr, len, prot, flags, file);
        } else {
            int type = flags & Mman.MAP_TYPE;
            boolean shared = type == Mman.MAP_SHARED || type == Mman.MAP_SHARED_VALIDATE;
            int refused = file == null ? 0 : file.mayMap(shared && (prot & Mman.PROT_WRITE) != 0);
            if (refused < 0) {
                return refused; // the file's own mmap refuses it (shmem_mmap on a sealed memfd)
            }
            r = memory.mmap(addr, len, prot, flags, mapped, offset);
            if (r >= 0 && file != null) {
                process.keepMappedFile(file);
            }
        }
        boolean populate = (flags & (Mman.MAP_POPULATE | Mman.MAP_NONBLOCK)) == Mman.MAP_POPULATE;
        if (r >= 0 && (populate || (process.mm.find(r).flags() & a64emu.guest.mm.Vma.VM_LOCKED) != 0)) {
            memory.populate(r, r + VmLayout.pageAlign(len), process.faults);
        }
        return r;
    }

    /** /dev/zero: the character device 1:5 (drivers/char/mem.c). */
    private static boolean isDevZero(OpenFile file) {
        try {
            KernelStat st = file.fileStat();
            return (st.mode() & FileMode.S_IFMT) == FileMode.S_IFCHR && st.rdev() == DEV_ZERO;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static final long DEV_ZERO = (1 << 8) | 5;

    /**
     * drivers/char/mem.c {@code mmap_zero}: a private mapping of /dev/zero is anonymous
     * memory, a shared one is shared anonymous memory ({@code shmem_zero_setup}), after
     * do_mmap's checks of the descriptor's access mode.
     */
    private long mmapDevZero(long addr, long len, int prot, int flags, OpenFile file) {
        int type = flags & Mman.MAP_TYPE;
        boolean shared = type == Mman.MAP_SHARED || type == Mman.MAP_SHARED_VALIDATE;
        if (type != Mman.MAP_PRIVATE && !shared) {
            return -Errno.EINVAL;
        }
        if ((shared && (prot & Mman.PROT_WRITE) != 0 && !file.writable()) || !file.readable()) {
            return -Errno.EACCES;
        }
        int anonFlags = (flags & ~Mman.MAP_TYPE) | (shared ? Mman.MAP_SHARED : Mman.MAP_PRIVATE) | Mman.MAP_ANONYMOUS;
        return memory.mmap(addr, len, prot, anonFlags, null, 0);
    }

    long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        syncLimits();
        long r = memory.mremap(oldAddr, oldLen, newLen, flags, newAddr);
        if (r >= 0 && process.mm.find(r) != null && process.mm.find(r).isLocked()) {
            memory.populate(r, r + VmLayout.pageAlign(newLen), process.faults);
        }
        return r;
    }

    long munmap(long addr, long len) {
        return memory.munmap(addr, len);
    }

    long mprotect(long addr, long len, int prot) {
        return memory.mprotect(addr, len, prot);
    }

    /** MADV_POPULATE_READ/WRITE fault the range in after the checks (Linux madvise_populate). */
    long madvise(long addr, long len, int advice) {
        long r = memory.madvise(addr, len, advice);
        if (r == 0 && (advice == Mman.MADV_POPULATE_READ || advice == Mman.MADV_POPULATE_WRITE) && len != 0) {
            if (!memory.populate(addr, addr + VmLayout.pageAlign(len), process.faults)) {
                return -Errno.EFAULT;
            }
        }
        return r;
    }

    long mlock(long addr, long len) {
        return mlock2(addr, len, 0);
    }

    /** mlock2: lock, then populate unless MLOCK_ONFAULT (Linux __mm_populate; errors as mlock reports them). */
    long mlock2(long addr, long len, int flags) {
        syncLimits();
        long r = memory.mlock(addr, len, flags);
        if (r == 0 && (flags & Mman.MLOCK_ONFAULT) == 0) {
            long start = VmLayout.pageDown(addr);
            memory.populate(start, start + VmLayout.pageAlign(len + (addr - start)), process.faults);
        }
        return r;
    }

    long munlock(long addr, long len) {
        return memory.munlock(addr, len);
    }

    long mlockall(int flags) {
        syncLimits();
        long r = memory.mlockall(flags);
        if (r == 0 && (flags & Mman.MCL_CURRENT) != 0) {
            memory.populate(0, process.mm.layout().taskSize(), process.faults);
        }
        return r;
    }

    long munlockall() {
        return memory.munlockall();
    }

    long msync(long addr, long len, int flags) {
        return memory.msync(addr, len, flags);
    }

    /** mincore: the vector is computed, then copied out (EFAULT if {@code vec} is not writable). */
    long mincore(long addr, long len, long vec) throws BadUserAddressException {
        int[] error = new int[1];
        byte[] v = memory.mincore(addr, len, error);
        if (v == null) {
            return -error[0];
        }
        process.user.write(vec, v);
        return 0;
    }
}
