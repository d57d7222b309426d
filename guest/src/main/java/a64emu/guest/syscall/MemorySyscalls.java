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

    /** pkey_mprotect(start, len, prot, pkey): mprotect, with arm64 6.1's lack of protection keys. */
    long pkeyMprotect(long addr, long len, int prot, int pkey) {
        return memory.mprotect(addr, len, prot, pkey);
    }

    /** PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE: the access rights pkey_alloc knows. */
    private static final long PKEY_ACCESS_MASK = 0x3;

    /**
     * pkey_alloc(flags, init_val): arm64 6.1 has no protection keys, so after the argument
     * checks there is never a key to give ({@code mm_pkey_alloc} returns -1): ENOSPC.
     */
    static long pkeyAlloc(long flags, long initVal) {
        if (flags != 0 || (initVal & ~PKEY_ACCESS_MASK) != 0) {
            return -Errno.EINVAL;
        }
        return -Errno.ENOSPC;
    }

    /** pkey_free(pkey): no key was ever allocated ({@code mm_pkey_free} without ARCH_HAS_PKEYS): EINVAL. */
    static long pkeyFree(int pkey) {
        return -Errno.EINVAL;
    }

    /** membarrier(cmd, flags, cpu_id). */
    long membarrier(int cmd, int flags, int cpuId) {
        return a64emu.guest.sched.Membarrier.call(process.mm, cmd, flags, cpuId);
    }

    /**
     * remap_file_pages(start, size, prot, pgoff, flags): the deprecated call, emulated by a
     * new shared mapping of the file at the new offset (MAP_POPULATE unless MAP_NONBLOCK),
     * with the warning Linux prints once.
     */
    long remapFilePages(long start, long size, long prot, long pgoff, long flags) {
        warnRemapFilePagesOnce();
        long r = memory.remapFilePages(start, size, prot, pgoff, flags);
        if (r < 0) {
            return r;
        }
        if ((flags & Mman.MAP_NONBLOCK) == 0) {
            memory.populate(r, r + VmLayout.pageDown(size), process.faults);
        }
        return 0;
    }

    private static final String REMAP_FILE_PAGES_WARNING = "uses deprecated remap_file_pages() syscall. "
            + "See Documentation/mm/remap_file_pages.rst.";

    /** pr_warn_once: one line per boot, naming the first caller. */
    private void warnRemapFilePagesOnce() {
        if (process.kernel == null) {
            return;
        }
        a64emu.guest.KernelLog log = process.kernel.kernelLog();
        for (a64emu.guest.KernelLog.Message m : log.messages()) {
            if (m.text().endsWith(REMAP_FILE_PAGES_WARNING)) {
                return;
            }
        }
        log.log(a64emu.guest.KernelLog.WARNING, process.comm() + " (" + process.pid + ") " + REMAP_FILE_PAGES_WARNING);
    }

    /** UIO_MAXIOV: the most iovecs one call takes. */
    private static final long UIO_MAXIOV = 1024;

    /**
     * process_madvise(pidfd, vec, vlen, advice, flags) (Linux 6.1 {@code mm/madvise.c}): the
     * checks in Linux's order (flags, the iovecs, the pidfd, the advice: MADV_COLD,
     * MADV_PAGEOUT, MADV_WILLNEED or MADV_COLLAPSE, then PTRACE_MODE_READ on the target),
     * then CAP_SYS_NICE, which 6.1 asks of every caller, the caller's own process included:
     * an unprivileged call that passes the checks is EPERM. With the capability each range
     * is advised in turn; the result is the bytes advised before the first failure.
     */
    long processMadvise(int pidfd, long vec, long vlen, int advice, long flags) throws BadUserAddressException {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(vlen, UIO_MAXIOV) > 0) {
            return -Errno.EINVAL;
        }
        long[][] iov = new long[(int) vlen][2];
        for (int i = 0; i < vlen; i++) {
            iov[i][0] = process.user.read64(vec + 16L * i);
            iov[i][1] = process.user.read64(vec + 16L * i + 8);
            if (iov[i][1] < 0) {
                return -Errno.EINVAL;
            }
        }
        int[] error = new int[1];
        Process target = PidfdSyscalls.processOf(process, pidfd, error);
        if (target == null) {
            return -error[0];
        }
        if (advice != Mman.MADV_COLD && advice != Mman.MADV_PAGEOUT && advice != Mman.MADV_WILLNEED
                && advice != MADV_COLLAPSE) {
            return -Errno.EINVAL;
        }
        if (target.mm.isReleased()) {
            return -Errno.ESRCH;
        }
        if (!PtraceAccess.mayAccess(process, target, true)) {
            return -Errno.EACCES; // mm_access
        }
        if (!process.capable(Process.CAP_SYS_NICE)) {
            return -Errno.EPERM;
        }
        long done = 0;
        long last = 0;
        for (long[] v : iov) {
            long[] r = new long[1];
            Runnable advise = () -> r[0] = target.memoryMap.madvise(v[0], v[1], advice);
            if (target == process || process.kernel == null) {
                advise.run();
            } else {
                process.kernel.withAddressSpace(target, advise);
            }
            if (r[0] < 0) {
                last = r[0];
                break;
            }
            done += v[1];
        }
        return done != 0 ? done : last;
    }

    /** MADV_COLLAPSE (6.1): valid for process_madvise. */
    private static final int MADV_COLLAPSE = 25;

    /**
     * process_mrelease(pidfd, flags) (Linux 6.1 {@code mm/oom_kill.c}): the memory of a
     * process that is dying (SIGKILLed, with every process sharing its memory dying too:
     * {@code task_will_free_mem}) is reaped now rather than when its exit gets there: the
     * pages of its private areas are unmapped, their frames and swap slots freed
     * ({@code __oom_reap_task_mm}); its exit later finds them gone. ESRCH when it has
     * already left its memory (exited), EINVAL when it is not dying. In a64emu a SIGKILL ends
     * a process at once, so a process is found dying only while its own kernel path runs (the
     * OOM killer's kill on its return to user space).
     */
    long processMrelease(int pidfd, long flags) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        int[] error = new int[1];
        Process target = PidfdSyscalls.processOf(process, pidfd, error);
        if (target == null) {
            return -error[0];
        }
        if (target.hasExited() || target.mm.isReleased()) {
            return -Errno.ESRCH; // find_lock_task_mm: no thread holds the memory any more
        }
        if (!willFreeMemory(target)) {
            return -Errno.EINVAL;
        }
        Runnable reap = () -> a64emu.guest.mm.OomReaper.reap(target.mm);
        if (target == process || process.kernel == null) {
            reap.run();
        } else {
            process.kernel.withAddressSpace(target, reap);
        }
        return 0;
    }

    /** {@code task_will_free_mem}: the process is dying, and so is every other user of its memory. */
    private boolean willFreeMemory(Process target) {
        if (!dying(target)) {
            return false;
        }
        if (process.kernel == null) {
            return true;
        }
        for (a64emu.guest.Task t : process.kernel.scheduler().tasks()) {
            if (t.process.mm == target.mm && !dying(t.process)) {
                return false;
            }
        }
        return true;
    }

    private static boolean dying(Process p) {
        return p.hasExited() || p.user.killPending();
    }
}
