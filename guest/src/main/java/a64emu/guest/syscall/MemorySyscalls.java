package a64emu.guest.syscall;

import a64emu.guest.Errno;
import a64emu.guest.OpenFilePages;
import a64emu.guest.Process;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.VmLayout;
import a64emu.mmu.AccessType;

/** brk, mmap, munmap, mprotect, madvise: argument decoding in front of {@link MemoryMap}. */
final class MemorySyscalls {
    private final Process process;
    private final MemoryMap memory;

    MemorySyscalls(Process process) {
        this.process = process;
        this.memory = process.memoryMap;
    }

    long brk(long addr) {
        return memory.brk(addr);
    }

    /**
     * arm64 {@code sys_mmap}: the offset is in bytes and must be page aligned (checked before
     * the file), then {@code ksys_mmap_pgoff} looks up the descriptor unless MAP_ANONYMOUS.
     */
    long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        if ((offset & 0xFFF) != 0) {
            return -Errno.EINVAL;
        }
        MemoryMap.MappableFile mapped = null;
        OpenFile file = null;
        if ((flags & Mman.MAP_ANONYMOUS) == 0) {
            file = process.files.file(fd);
            if (file == null) {
                return -Errno.EBADF;
            }
            if (!file.isRegularFile()) {
                return file.isDirectory() ? -Errno.EACCES : -Errno.ENODEV;
            }
            mapped = new MemoryMap.MappableFile(new OpenFilePages(file), file.guestPath(), file.readable(),
                    file.writable());
        }
        long r = memory.mmap(addr, len, prot, flags, mapped, offset);
        if (r >= 0 && file != null) {
            process.keepMappedFile(file);
        }
        if (r >= 0 && (flags & (Mman.MAP_POPULATE | Mman.MAP_LOCKED)) != 0) {
            populate(r, VmLayout.pageAlign(len), prot);
        }
        return r;
    }

    /**
     * MAP_POPULATE (and MAP_LOCKED, which populates too): faults every page in now, as a
     * write where the mapping is writable. Linux ignores a failure here; the mapping stands
     * and a later access meets the same fault.
     */
    private void populate(long start, long length, int prot) {
        if ((prot & Mman.PROT_RWX) == 0) {
            return;
        }
        AccessType access = (prot & Mman.PROT_WRITE) != 0 ? AccessType.WRITE : AccessType.READ;
        for (long va = start; va < start + length; va += VmLayout.PAGE_SIZE) {
            if (!process.faults.pageFault(va, access).resolved()) {
                return;
            }
        }
    }

    long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        return memory.mremap(oldAddr, oldLen, newLen, flags, newAddr);
    }

    long munmap(long addr, long len) {
        return memory.munmap(addr, len);
    }

    long mprotect(long addr, long len, int prot) {
        return memory.mprotect(addr, len, prot);
    }

    long madvise(long addr, long len, int advice) {
        return memory.madvise(addr, len, advice);
    }
}
