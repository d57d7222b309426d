package a64emu.guest.loader;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.ProtectionMap;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import a64emu.memory.PhysicalMemory;

/**
 * The "[vdso]" page, reduced to what the signal code needs from Linux's
 * {@code arch/arm64/kernel/vdso/sigreturn.S}: {@code __kernel_rt_sigreturn}, the
 * trampoline a handler returns to when sa_restorer is not given (glibc on aarch64 never
 * gives it). The page is mapped read-only and executable where top-down mmap would put
 * one page; AT_SYSINFO_EHDR is not given, since the page holds no ELF image.
 */
public final class Vdso {
    private Vdso() {}

    /** mov x8, #139 (__NR_rt_sigreturn); svc #0. */
    static final int[] SIGRETURN_CODE = {0xD2801168, 0xD4000001};
    /** Offset of __kernel_rt_sigreturn in the page. */
    public static final long SIGRETURN_OFFSET = 0;
    public static final String NAME = "[vdso]";

    /**
     * Maps the page into {@code mm} where an mmap without a hint would go; returns the
     * address of __kernel_rt_sigreturn. A program whose segments leave no free page cannot
     * be run (Linux's
     * arch_setup_additional_pages fails the exec with the -ENOMEM of get_unmapped_area).
     */
    public static long map(AddressSpace mm) throws OutOfFramesException, ElfFormatException {
        long base = mm.unmappedArea(VmLayout.PAGE_SIZE);
        if (base < 0) {
            throw new ElfFormatException("its segments leave no room for the [vdso] page");
        }
        int prot = Mman.PROT_READ | Mman.PROT_EXEC;
        mm.insert(Vma.anonymous(base, base + VmLayout.PAGE_SIZE, prot, 0, NAME));
        long frame = mm.frames().allocate();
        PhysicalMemory ram = mm.frames().ram();
        for (int i = 0; i < SIGRETURN_CODE.length; i++) {
            ram.write32(frame + SIGRETURN_OFFSET + 4L * i, SIGRETURN_CODE[i]);
        }
        mm.pageTables().set(base, ProtectionMap.pte(frame, prot, false));
        return base + SIGRETURN_OFFSET;
    }
}
