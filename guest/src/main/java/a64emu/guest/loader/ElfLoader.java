package a64emu.guest.loader;

import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.PageSource;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;

/**
 * Maps a validated {@link ElfFile} into an address space, as Linux's
 * {@code load_elf_binary} does for a program without an interpreter. Nothing is copied
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

    public static LoadedImage load(ElfFile elf, PageSource file, String path, AddressSpace mm) {
        VmLayout layout = mm.layout();
        long bias = 0;
        if (elf.type() == ElfFile.ET_DYN) {
            // A static-pie program: ELF_ET_DYN_BASE, aligned for its most aligned segment.
            long maxAlign = VmLayout.PAGE_SIZE;
            for (ProgramHeader p : elf.loadSegments()) {
                maxAlign = Math.max(maxAlign, p.align());
            }
            long firstVaddr = VmLayout.pageDown(elf.loadSegments().get(0).vaddr());
            bias = (layout.elfEtDynBase() - firstVaddr) & -maxAlign;
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
