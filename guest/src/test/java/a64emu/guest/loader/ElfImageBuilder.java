package a64emu.guest.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes small ELF64 files with chosen headers, to test what the loader accepts and refuses. */
public final class ElfImageBuilder {
    record Phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {}

    byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int type = ElfFile.ET_EXEC;
    int machine = ElfFile.EM_AARCH64;
    long entry = 0x400078;
    long phoff = 64;
    int phentsize = 56;
    Integer phnumOverride;
    final List<Phdr> phdrs = new ArrayList<>();
    int fileSize = 0x1000;

    /** A valid program: one R+X PT_LOAD of the first page at 0x400000, entry just after the headers. */
    public static ElfImageBuilder minimal() {
        ElfImageBuilder b = new ElfImageBuilder();
        b.phdrs.add(new Phdr(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0x400000,
                0x1000, 0x1000, 0x1000));
        b.entry = 0x400100;
        return b;
    }

    public ElfImageBuilder add(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        phdrs.add(new Phdr(type, flags, offset, vaddr, filesz, memsz, align));
        return this;
    }

    public byte[] build() {
        int phnum = phnumOverride != null ? phnumOverride : phdrs.size();
        int size = (int) Math.max(fileSize, phoff + (long) phdrs.size() * 56);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ident);
        b.putShort(16, (short) type);
        b.putShort(18, (short) machine);
        b.putInt(20, 1);
        b.putLong(24, entry);
        b.putLong(32, phoff);
        b.putShort(52, (short) 64);
        b.putShort(54, (short) phentsize);
        b.putShort(56, (short) phnum);
        for (int i = 0; i < phdrs.size(); i++) {
            Phdr p = phdrs.get(i);
            int o = (int) phoff + i * 56;
            if (o + 56 > size) {
                break;
            }
            b.putInt(o, p.type());
            b.putInt(o + 4, p.flags());
            b.putLong(o + 8, p.offset());
            b.putLong(o + 16, p.vaddr());
            b.putLong(o + 24, p.vaddr());
            b.putLong(o + 32, p.filesz());
            b.putLong(o + 40, p.memsz());
            b.putLong(o + 48, p.align());
        }
        return b.array();
    }
}
