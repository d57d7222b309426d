package a64emu.tools;

import a64emu.guest.loader.ElfFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The section headers of an ELF64 little-endian file, as far as disassembly needs them:
 * name, address, file offset, size and whether the section holds instructions.
 */
final class ElfSections {
    private static final int SHT_NOBITS = 8;
    private static final long SHF_EXECINSTR = 0x4;
    private static final int SHDR_SIZE = 64;

    record Section(String name, long address, long offset, long size, boolean executable) {
        boolean contains(long va) {
            return va >= address && va < address + size;
        }
    }

    private ElfSections() {}

    /** The sections of {@code file} with contents in the file, in header order. */
    static List<Section> read(byte[] file) throws ElfFormatException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 64 || b.getInt(0) != 0x464c457f || file[4] != 2 || file[5] != 1) {
            throw new ElfFormatException("not a little-endian ELF64 file");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
        if (shnum == 0) {
            return List.of();
        }
        if (shentsize != SHDR_SIZE || shoff < 0 || shoff + (long) shnum * SHDR_SIZE > file.length || shstrndx >= shnum) {
            throw new ElfFormatException("section header table outside the file");
        }
        long strtab = b.getLong((int) shoff + shstrndx * SHDR_SIZE + 0x18);
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int h = (int) shoff + i * SHDR_SIZE;
            int type = b.getInt(h + 4);
            long flags = b.getLong(h + 8);
            long address = b.getLong(h + 0x10);
            long offset = b.getLong(h + 0x18);
            long size = b.getLong(h + 0x20);
            if (type == SHT_NOBITS || type == 0) {
                continue;
            }
            if (offset < 0 || size < 0 || offset + size > file.length) {
                throw new ElfFormatException("section " + i + " lies outside the file");
            }
            String name = cString(file, strtab + b.getInt(h));
            sections.add(new Section(name, address, offset, size, (flags & SHF_EXECINSTR) != 0));
        }
        return sections;
    }

    private static String cString(byte[] file, long from) throws ElfFormatException {
        if (from < 0 || from >= file.length) {
            throw new ElfFormatException("section name outside the file");
        }
        int end = (int) from;
        while (end < file.length && file[end] != 0) {
            end++;
        }
        return new String(file, (int) from, end - (int) from, StandardCharsets.US_ASCII);
    }
}
