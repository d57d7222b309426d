package a64emu.guest.loader;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.ProtectionMap;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The vDSO, as Linux 6.1's {@code arch/arm64/kernel/vdso.c} maps it: the ELF shared object
 * linux-vdso.so.1 (built from {@code guest/src/main/vdso/vdso.S}, committed as the resource
 * {@code vdso.so}) exporting, at version LINUX_2.6.39, {@code __kernel_clock_gettime},
 * {@code __kernel_gettimeofday}, {@code __kernel_clock_getres} and {@code __kernel_rt_sigreturn},
 * the return address of a signal handler when sa_restorer is not given (glibc on aarch64
 * never gives it). Its time functions are those of a kernel whose clocksource user space
 * cannot read (VDSO_CLOCKMODE_NONE): they make the system call.
 *
 * <p>{@code __setup_additional_pages} takes one unmapped area for [vvar] and [vdso] together:
 * [vvar], VVAR_NR_PAGES (2) read-only pages, then the image's pages, read and execute. The
 * image's frames are allocated once per machine and mapped by special entries into every
 * process, as Linux maps its one copy of the vDSO pages. Linux's first [vvar] page holds the
 * kernel's {@code vdso_data} and the second the time namespace's; the image here never reads
 * them, and the area reads as zeros ({@code clock_mode} VDSO_CLOCKMODE_NONE) where Linux would
 * show the timekeeping data, or SIGBUS for the second page outside a time namespace.
 */
public final class Vdso {
    private Vdso() {}

    public static final String NAME = "[vdso]";
    public static final String VVAR_NAME = "[vvar]";
    /** VVAR_NR_PAGES: the data page and the time namespace page. */
    public static final int VVAR_PAGES = 2;
    /** The image, linux-vdso.so.1, loaded at the start of [vdso]. */
    private static final byte[] IMAGE = readImage();
    /** Pages of [vdso] (vdso_pages: the image rounded up). */
    public static final int TEXT_PAGES = (int) (VmLayout.pageAlign(IMAGE.length) / VmLayout.PAGE_SIZE);
    /** Offset of __kernel_rt_sigreturn in [vdso], from the image's dynamic symbol table. */
    public static final long SIGRETURN_OFFSET = symbol("__kernel_rt_sigreturn");

    /** The frames holding the image, one set per machine's memory (Linux's vdso_pagelist). */
    private static final Map<FrameAllocator, long[]> FRAMES = new WeakHashMap<>();

    /** The image, as the guest sees it at the start of [vdso]. */
    public static byte[] image() {
        return IMAGE.clone();
    }

    /**
     * Maps [vvar] and [vdso] into {@code mm} (Linux {@code __setup_additional_pages}) and
     * returns the address of [vdso], the value of AT_SYSINFO_EHDR; __kernel_rt_sigreturn is at
     * {@link #SIGRETURN_OFFSET} in it. A program whose segments leave no room cannot be run
     * (Linux's arch_setup_additional_pages fails the exec with the -ENOMEM of
     * get_unmapped_area).
     */
    public static long map(AddressSpace mm) throws OutOfFramesException, ElfFormatException {
        long vvarSize = VVAR_PAGES * VmLayout.PAGE_SIZE;
        long textSize = TEXT_PAGES * VmLayout.PAGE_SIZE;
        long base = mm.unmappedArea(vvarSize + textSize);
        if (base < 0) {
            throw new ElfFormatException("its segments leave no room for [vvar] and [vdso]");
        }
        long[] frames = frames(mm.frames());
        mm.insert(new Vma(base, base + vvarSize, Mman.PROT_READ, Vma.VM_NO_MAYWRITE, null, VVAR_NAME));
        long text = base + vvarSize;
        int prot = Mman.PROT_READ | Mman.PROT_EXEC;
        mm.insert(Vma.anonymous(text, text + textSize, prot, 0, NAME));
        for (int i = 0; i < frames.length; i++) {
            mm.pageTables().set(text + i * VmLayout.PAGE_SIZE, ProtectionMap.zeroPage(frames[i], prot));
        }
        return text;
    }

    private static long[] frames(FrameAllocator allocator) throws OutOfFramesException {
        synchronized (FRAMES) {
            long[] frames = FRAMES.get(allocator);
            if (frames == null) {
                frames = new long[TEXT_PAGES];
                for (int i = 0; i < TEXT_PAGES; i++) {
                    // A kernel page, never freed: accounted as the zero page is, to nobody.
                    frames[i] = allocator.allocate(FrameAllocator.PageKind.ZERO);
                    int from = (int) (i * VmLayout.PAGE_SIZE);
                    int length = (int) Math.min(VmLayout.PAGE_SIZE, IMAGE.length - from);
                    byte[] page = new byte[(int) VmLayout.PAGE_SIZE];
                    System.arraycopy(IMAGE, from, page, 0, length);
                    allocator.ram().write(frames[i], page, 0, page.length);
                }
                FRAMES.put(allocator, frames);
            }
            return frames;
        }
    }

    private static byte[] readImage() {
        try (InputStream in = Vdso.class.getResourceAsStream("vdso.so")) {
            if (in == null) {
                throw new IllegalStateException("the vDSO image vdso.so is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long symbol(String name) {
        try {
            return ElfSymbols.readDynamic(IMAGE).find(name)
                    .orElseThrow(() -> new IllegalStateException("the vDSO image defines no " + name)).value();
        } catch (ElfFormatException e) {
            throw new IllegalStateException("the vDSO image is not a valid ELF file", e);
        }
    }
}
