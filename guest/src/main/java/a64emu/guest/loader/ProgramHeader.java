package a64emu.guest.loader;

/** One ELF64 program header ({@code Elf64_Phdr}). */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    /** The segment's end in memory (vaddr + memsz). */
    public long memEnd() {
        return vaddr + memsz;
    }

    public static String typeName(int type) {
        return switch (type) {
            case PT_NULL -> "PT_NULL";
            case PT_LOAD -> "PT_LOAD";
            case PT_DYNAMIC -> "PT_DYNAMIC";
            case PT_INTERP -> "PT_INTERP";
            case PT_NOTE -> "PT_NOTE";
            case PT_PHDR -> "PT_PHDR";
            case PT_TLS -> "PT_TLS";
            case PT_GNU_EH_FRAME -> "PT_GNU_EH_FRAME";
            case PT_GNU_STACK -> "PT_GNU_STACK";
            case PT_GNU_RELRO -> "PT_GNU_RELRO";
            case PT_GNU_PROPERTY -> "PT_GNU_PROPERTY";
            default -> String.format("type 0x%x", type);
        };
    }
}
