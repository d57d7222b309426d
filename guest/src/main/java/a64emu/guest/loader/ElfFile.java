package a64emu.guest.loader;

import a64emu.guest.mm.PageSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated ELF64 executable for AArch64 Linux: the header and program headers, with
 * every rule Linux's {@code load_elf_binary} relies on checked up front, so that the
 * loader never meets a malformed file. Section headers are not needed to run and are
 * not read.
 *
 * @param type     ET_EXEC or ET_DYN
 * @param entry    e_entry
 * @param phoff    file offset of the program header table
 * @param phentsize size of one program header (56)
 * @param segments all program headers, in file order
 * @param fileSize size of the file
 * @param interpreter the program interpreter PT_INTERP names (ld-linux-aarch64.so.1), or null
 *                 for a statically linked program
 */
public record ElfFile(int type, long entry, long phoff, int phentsize, List<ProgramHeader> segments, long fileSize,
                      String interpreter) {
    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_AARCH64 = 183;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int EV_CURRENT = 1;
    /** Linux refuses program header tables larger than 64 KiB (ELF_MIN_ALIGN... elf_read_phdrs). */
    private static final int MAX_PHDR_TABLE = 65536;
    private static final long PAGE_SIZE = 4096;
    /** PATH_MAX: load_elf_binary refuses a longer PT_INTERP. */
    private static final int PATH_MAX = 4096;

    /** Reads and validates the ELF file; {@code taskSize} bounds where segments may go. */
    public static ElfFile read(PageSource file, long taskSize) throws ElfFormatException {
        long size = file.size();
        byte[] eh = new byte[EHDR_SIZE];
        int got = readFully(file, 0, eh);
        if (got < 4 || eh[0] != 0x7f || eh[1] != 'E' || eh[2] != 'L' || eh[3] != 'F') {
            throw new ElfFormatException("not an ELF file (no \\x7fELF magic)");
        }
        if (got < EHDR_SIZE) {
            throw new ElfFormatException("truncated ELF header (" + got + " of 64 bytes)");
        }
        if (eh[4] != ELFCLASS64) {
            throw new ElfFormatException(eh[4] == 1 ? "32-bit ELF file (ELFCLASS32); a64emu runs 64-bit AArch64 programs"
                    : "bad ELF class " + eh[4]);
        }
        if (eh[5] != ELFDATA2LSB) {
            throw new ElfFormatException(eh[5] == 2 ? "big-endian ELF file; a64emu runs little-endian AArch64 programs"
                    : "bad ELF data encoding " + eh[5]);
        }
        if (eh[6] != EV_CURRENT) {
            throw new ElfFormatException("bad ELF version " + eh[6]);
        }
        ByteBuffer h = ByteBuffer.wrap(eh).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getShort(16) & 0xFFFF;
        int machine = h.getShort(18) & 0xFFFF;
        long entry = h.getLong(24);
        long phoff = h.getLong(32);
        int ehsize = h.getShort(52) & 0xFFFF;
        int phentsize = h.getShort(54) & 0xFFFF;
        int phnum = h.getShort(56) & 0xFFFF;
        if (machine != EM_AARCH64) {
            throw new ElfFormatException("ELF file for " + machineName(machine) + ", not AArch64 (e_machine " + machine
                    + ", expected " + EM_AARCH64 + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfFormatException("ELF file is " + typeName(type) + ", not an executable (ET_EXEC or ET_DYN)");
        }
        if (ehsize < EHDR_SIZE) {
            throw new ElfFormatException("bad ELF header size e_ehsize=" + ehsize);
        }
        if (phentsize != PHDR_SIZE) {
            throw new ElfFormatException("bad program header size e_phentsize=" + phentsize + ", expected " + PHDR_SIZE);
        }
        if (phnum == 0) {
            throw new ElfFormatException("no program headers (e_phnum=0)");
        }
        if ((long) phnum * PHDR_SIZE > MAX_PHDR_TABLE) {
            throw new ElfFormatException("too many program headers (e_phnum=" + phnum + ")");
        }
        long tableEnd = phoff + (long) phnum * PHDR_SIZE;
        if (phoff < 0 || tableEnd < phoff || tableEnd > size) {
            throw new ElfFormatException(String.format(
                    "program header table 0x%x-0x%x lies outside the file (%d bytes)", phoff, tableEnd, size));
        }
        byte[] table = new byte[phnum * PHDR_SIZE];
        if (readFully(file, phoff, table) != table.length) {
            throw new ElfFormatException("cannot read the program header table");
        }
        ByteBuffer t = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        List<ProgramHeader> segments = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int o = i * PHDR_SIZE;
            segments.add(new ProgramHeader(t.getInt(o), t.getInt(o + 4), t.getLong(o + 8), t.getLong(o + 16),
                    t.getLong(o + 32), t.getLong(o + 40), t.getLong(o + 48)));
        }
        String interpreter = interpreter(file, segments);
        ElfFile elf = new ElfFile(type, entry, phoff, phentsize, List.copyOf(segments), size, interpreter);
        elf.validateSegments(taskSize);
        return elf;
    }

    /**
     * The first PT_INTERP's path, or null: load_elf_binary uses the first one only, and
     * refuses (ENOEXEC) a p_filesz below 2 or above PATH_MAX, data it cannot read, and a
     * path whose last byte is not NUL.
     */
    private static String interpreter(PageSource file, List<ProgramHeader> segments) throws ElfFormatException {
        for (int i = 0; i < segments.size(); i++) {
            ProgramHeader p = segments.get(i);
            if (p.type() != ProgramHeader.PT_INTERP) {
                continue;
            }
            String which = "program header " + i + " (PT_INTERP)";
            if (p.filesz() < 2 || p.filesz() > PATH_MAX) {
                throw new ElfFormatException(String.format("%s has p_filesz %d, not 2..%d", which, p.filesz(), PATH_MAX));
            }
            byte[] b = new byte[(int) p.filesz()];
            if (p.offset() < 0 || readFully(file, p.offset(), b) != b.length) {
                throw new ElfFormatException(String.format("%s path at 0x%x-0x%x lies outside the file (%d bytes)",
                        which, p.offset(), p.offset() + p.filesz(), file.size()));
            }
            if (b[b.length - 1] != 0) {
                throw new ElfFormatException(which + " path is not NUL-terminated");
            }
            int end = 0;
            while (b[end] != 0) {
                end++;
            }
            return new String(b, 0, end, StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private void validateSegments(long taskSize) throws ElfFormatException {
        boolean anyLoad = false;
        for (int i = 0; i < segments.size(); i++) {
            ProgramHeader p = segments.get(i);
            String which = "program header " + i + " (" + ProgramHeader.typeName(p.type()) + ")";
            if (p.type() != ProgramHeader.PT_LOAD) {
                continue;
            }
            if (p.filesz() < 0 || p.memsz() < 0 || p.offset() < 0) {
                throw new ElfFormatException(which + " has a negative size or offset");
            }
            if (p.filesz() > p.memsz()) {
                throw new ElfFormatException(String.format("%s has p_filesz 0x%x larger than p_memsz 0x%x",
                        which, p.filesz(), p.memsz()));
            }
            // With p_filesz 0 no file data is read (elf_map maps nothing from the file), so
            // the offset of an all-.bss segment may lie anywhere, as ld puts it past the end.
            if (p.filesz() > 0 && (p.offset() + p.filesz() < p.offset() || p.offset() + p.filesz() > fileSize)) {
                throw new ElfFormatException(String.format(
                        "%s file data 0x%x-0x%x lies outside the file (%d bytes)",
                        which, p.offset(), p.offset() + p.filesz(), fileSize));
            }
            // elf_map() maps nothing for p_filesz 0 at a page-aligned p_vaddr; otherwise mmap
            // refuses a file offset that is not page aligned (EINVAL).
            boolean mapsFile = p.filesz() > 0 || (p.vaddr() & (PAGE_SIZE - 1)) != 0;
            if (mapsFile && ((p.vaddr() - p.offset()) & (PAGE_SIZE - 1)) != 0) {
                throw new ElfFormatException(String.format(
                        "%s p_vaddr 0x%x and p_offset 0x%x differ in their page offsets", which, p.vaddr(), p.offset()));
            }
            long limit = type == ET_DYN ? taskSize / 3 : taskSize;
            if (p.vaddr() < 0 || p.memEnd() < p.vaddr() || p.memEnd() > limit) {
                throw new ElfFormatException(String.format(
                        "%s 0x%x-0x%x does not fit in the %d-bit user address space",
                        which, p.vaddr(), p.memEnd(), Long.numberOfTrailingZeros(taskSize)));
            }
            // Segments out of order or overlapping are not refused: load_elf_binary maps each
            // in turn with MAP_FIXED, a later one replacing what it covers.
            anyLoad = true;
        }
        if (!anyLoad) {
            throw new ElfFormatException("no PT_LOAD segment: nothing to load");
        }
        // load_elf_binary refuses only an entry point outside the user address space
        // (BAD_ADDR, EINVAL). One that is not in an executable segment, or not 4-byte
        // aligned, is run: the first instruction fetch faults (SIGSEGV, SIGBUS).
        if (Long.compareUnsigned(entry, type == ET_DYN ? taskSize / 3 : taskSize) >= 0) {
            throw new ElfFormatException(String.format(
                    "entry point 0x%x lies outside the %d-bit user address space", entry,
                    Long.numberOfTrailingZeros(taskSize)));
        }
    }

    /** PT_LOAD segments in file order, the order load_elf_binary maps them in. */
    public List<ProgramHeader> loadSegments() {
        return segments.stream().filter(p -> p.type() == ProgramHeader.PT_LOAD).toList();
    }

    /** The first program header of {@code type}, or null. */
    public ProgramHeader find(int type) {
        for (ProgramHeader p : segments) {
            if (p.type() == type) {
                return p;
            }
        }
        return null;
    }

    static int readFully(PageSource file, long pos, byte[] dst) {
        int done = 0;
        while (done < dst.length) {
            int n = file.readAt(pos + done, dst, done, dst.length - done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0 -> "ET_NONE";
            case 1 -> "ET_REL (an object file)";
            case 4 -> "ET_CORE (a core dump)";
            default -> "of type " + type;
        };
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "x86 (i386)";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 40 -> "32-bit ARM";
            case 62 -> "x86-64";
            case 243 -> "RISC-V";
            default -> "machine " + machine;
        };
    }
}
