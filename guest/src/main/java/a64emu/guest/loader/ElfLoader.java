package a64emu.guest.loader;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.PageSource;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;

/**
 * Maps a validated {@link ElfFile} into an address space, as Linux's
 * {@code load_elf_binary} does for the program and {@code load_elf_interp} for its
 * interpreter (the dynamic linker PT_INTERP names). Nothing is copied
 * here: each PT_LOAD becomes a private file-backed VMA over its file pages, and pages
 * are read in by the fault handler when first touched.
 *
 * <p>A segment whose memory is longer than its file data (.data followed by .bss) is
 * split page-granularly like Linux: the file mapping covers the pages holding file data,
 * with the bytes past p_filesz in its last page reading as zero (Linux's
 * {@code padzero}), and anonymous zero pages cover the rest of p_memsz.
 */
public final class ElfLoader {
    private ElfLoader() {}

    /** Maps the program itself; an ET_DYN (PIE) program goes to the layout's ELF_ET_DYN_BASE. */
    public static LoadedImage load(ElfFile elf, PageSource file, String path, AddressSpace mm) {
        VmLayout layout = mm.layout();
        long bias = 0;
        if (elf.type() == ElfFile.ET_DYN) {
            // ELF_ET_DYN_BASE plus arch_mmap_rnd (drawn in the layout), aligned down for the
            // most aligned segment (maximum_alignment), then made relative to the first p_vaddr.
            long firstVaddr = VmLayout.pageDown(elf.loadSegments().get(0).vaddr());
            bias = VmLayout.pageDown((layout.elfEtDynBase() & -maximumAlignment(elf)) - firstVaddr);
        }
        long imageEnd = 0;
        // load_elf_binary's code and data bounds: start_code is the lowest PT_LOAD address,
        // end_code the end of the highest executable segment's file data, start_data the
        // highest PT_LOAD address and end_data the end of the highest file data.
        long startCode = -1;
        long endCode = 0;
        long startData = 0;
        long endData = 0;
        for (ProgramHeader p : elf.loadSegments()) {
            mapSegment(p, bias, file, path, mm);
            imageEnd = Math.max(imageEnd, p.memEnd() + bias);
            long start = p.vaddr() + bias;
            long fileEnd = start + p.filesz();
            startCode = Long.compareUnsigned(start, startCode) < 0 ? start : startCode;
            startData = Math.max(startData, start);
            if (p.executable()) {
                endCode = Math.max(endCode, fileEnd);
            }
            endData = Math.max(endData, fileEnd);
        }
        mm.setCode(startCode == -1 ? 0 : startCode, endCode);
        mm.setData(startData, endData);
        ProgramHeader stack = elf.find(ProgramHeader.PT_GNU_STACK);
        boolean execStack = stack != null && stack.executable();
        return new LoadedImage(elf.entry() + bias, phdrAddress(elf) + bias, elf.segments().size(), bias,
                VmLayout.pageAlign(imageEnd), execStack);
    }

    /**
     * Maps the interpreter (load_elf_interp): an ET_DYN goes where an mmap of its whole span
     * (total_mapping_size) without a hint would (below mmap_base in the top-down layout, above
     * it in the legacy one), so it moves with mmap_base's random offset; an ET_EXEC
     * interpreter goes at its own addresses. The program's code, data and
     * brk bounds are not touched.
     *
     * @return the interpreter's load bias, which is AT_BASE for ET_DYN
     * @throws ElfFormatException when the program's segments leave no room for it (Linux's
     *         load_elf_interp fails the exec with the -ENOMEM of its mmap)
     */
    public static long loadInterpreter(ElfFile interp, PageSource file, String path, AddressSpace mm)
            throws ElfFormatException {
        long bias = 0;
        if (interp.type() == ElfFile.ET_DYN) {
            long first = VmLayout.pageDown(interp.loadSegments().get(0).vaddr());
            long span = VmLayout.pageAlign(totalMappingSize(interp) + (interp.loadSegments().get(0).vaddr() - first));
            long base = mm.unmappedArea(span);
            if (base < 0) {
                throw new ElfFormatException("no room in the address space for the interpreter " + path);
            }
            bias = base - first;
        }
        for (ProgramHeader p : interp.loadSegments()) {
            mapSegment(p, bias, file, path, mm);
        }
        return bias;
    }

    /** total_mapping_size: from the first PT_LOAD's page to the end of the last one. */
    static long totalMappingSize(ElfFile elf) {
        java.util.List<ProgramHeader> loads = elf.loadSegments();
        ProgramHeader first = loads.get(0);
        ProgramHeader last = loads.get(loads.size() - 1);
        return last.memEnd() - VmLayout.pageDown(first.vaddr());
    }

    /** maximum_alignment: the largest power-of-two p_align of the PT_LOADs, at least a page. */
    static long maximumAlignment(ElfFile elf) {
        long align = VmLayout.PAGE_SIZE;
        for (ProgramHeader p : elf.loadSegments()) {
            if (Long.bitCount(p.align()) == 1) {
                align = Math.max(align, p.align());
            }
        }
        return align;
    }

    private static void mapSegment(ProgramHeader p, long bias, PageSource file, String path, AddressSpace mm) {
        int prot = protOf(p.flags());
        long vaddr = p.vaddr() + bias;
        long mapStart = VmLayout.pageDown(vaddr);
        long memEnd = VmLayout.pageAlign(vaddr + p.memsz());
        if (memEnd == mapStart) {
            return;
        }
        long fileEnd = p.filesz() == 0 ? mapStart : VmLayout.pageAlign(vaddr + p.filesz());
        if (fileEnd > mapStart) {
            long fileOffset = VmLayout.pageDown(p.offset());
            long zeroFrom = p.memsz() > p.filesz() ? p.offset() + p.filesz() : Long.MAX_VALUE;
            // elf_map() uses MAP_FIXED: a page shared with the previous segment is replaced.
            mm.unmap(mapStart, fileEnd);
            mm.insert(Vma.file(mapStart, fileEnd, prot, 0, new FileBacking(file, fileOffset, zeroFrom, path)));
        }
        if (memEnd > fileEnd) {
            mm.unmap(fileEnd, memEnd);
            mm.insert(Vma.anonymous(fileEnd, memEnd, prot, 0, null));
        }
    }

    /** PF_R/W/X to PROT_READ/WRITE/EXEC (Linux {@code make_prot}). */
    static int protOf(int pflags) {
        int prot = 0;
        if ((pflags & ProgramHeader.PF_R) != 0) {
            prot |= Mman.PROT_READ;
        }
        if ((pflags & ProgramHeader.PF_W) != 0) {
            prot |= Mman.PROT_WRITE;
        }
        if ((pflags & ProgramHeader.PF_X) != 0) {
            prot |= Mman.PROT_EXEC;
        }
        return prot;
    }

    /**
     * AT_PHDR before the bias: PT_PHDR's address if present, else where the PT_LOAD holding
     * the table's file bytes puts them (Linux: {@code e_phoff - p_offset + p_vaddr}).
     */
    static long phdrAddress(ElfFile elf) {
        ProgramHeader phdr = elf.find(ProgramHeader.PT_PHDR);
        if (phdr != null) {
            return phdr.vaddr();
        }
        for (ProgramHeader p : elf.loadSegments()) {
            if (elf.phoff() >= p.offset() && elf.phoff() < p.offset() + p.filesz()) {
                return elf.phoff() - p.offset() + p.vaddr();
            }
        }
        ProgramHeader first = elf.loadSegments().get(0);
        return first.vaddr() - first.offset() + elf.phoff();
    }
}
