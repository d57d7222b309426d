package a64emu.guest.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The static symbol table ({@code .symtab} with its {@code .strtab}) of an ELF64
 * little-endian file, for the debugging tools: {@code walk --at main}, PCs printed as
 * {@code <main+0x1c>}. Running a program never needs it (the loader reads program
 * headers only), and a stripped file simply has no symbols.
 */
public final class ElfSymbols {
    /**
     * One defined symbol with a non-zero address: a function, an object, or a plain label
     * (STT_NOTYPE, as hand-written assembly defines {@code _start}).
     */
    public record Symbol(String name, long value, long size, int type) {
        public static final int STT_NOTYPE = 0;
        public static final int STT_OBJECT = 1;
        public static final int STT_FUNC = 2;

        public boolean contains(long address) {
            return address >= value && (address < value + Math.max(size, 1));
        }
    }

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int SHN_UNDEF = 0;

    private final List<Symbol> byAddress;

    private ElfSymbols(List<Symbol> symbols) {
        List<Symbol> sorted = new ArrayList<>(symbols);
        sorted.sort(Comparator.comparingLong(Symbol::value).thenComparing(Symbol::name));
        this.byAddress = Collections.unmodifiableList(sorted);
    }

    /** No symbols (a stripped file). */
    public static ElfSymbols none() {
        return new ElfSymbols(List.of());
    }

    /**
     * Reads the symbol table of the ELF image {@code file}. A file without section headers
     * or without {@code .symtab} has no symbols; a table that points outside the file is
     * an {@link ElfFormatException}.
     */
    public static ElfSymbols read(byte[] file) throws ElfFormatException {
        return read(file, SHT_SYMTAB);
    }

    /**
     * Reads the dynamic symbol table ({@code .dynsym} with its {@code .dynstr}), what a
     * stripped shared object such as the vDSO keeps; the same rules as {@link #read}.
     */
    public static ElfSymbols readDynamic(byte[] file) throws ElfFormatException {
        return read(file, SHT_DYNSYM);
    }

    private static ElfSymbols read(byte[] file, int tableType) throws ElfFormatException {
        if (file.length < ElfFile.EHDR_SIZE || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F'
                || file[4] != 2 || file[5] != 1) {
            throw new ElfFormatException("not a little-endian ELF64 file");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        int shentsize = b.getShort(58) & 0xFFFF;
        int shnum = b.getShort(60) & 0xFFFF;
        if (shoff == 0 || shnum == 0) {
            return none();
        }
        if (shentsize < SHDR_SIZE || shoff < 0 || shoff + (long) shnum * shentsize > file.length) {
            throw new ElfFormatException("section header table outside the file");
        }
        List<Symbol> symbols = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != tableType) {
                continue;
            }
            long offset = b.getLong(sh + 24);
            long size = b.getLong(sh + 32);
            int link = b.getInt(sh + 40);
            if (link <= 0 || link >= shnum) {
                throw new ElfFormatException(".symtab links to no string table (sh_link " + link + ")");
            }
            int strSh = (int) (shoff + (long) link * shentsize);
            long strOffset = b.getLong(strSh + 24);
            long strSize = b.getLong(strSh + 32);
            if (offset < 0 || offset + size > file.length || strOffset < 0 || strOffset + strSize > file.length) {
                throw new ElfFormatException(".symtab or .strtab outside the file");
            }
            for (long s = offset; s + SYM_SIZE <= offset + size; s += SYM_SIZE) {
                int nameOffset = b.getInt((int) s);
                int type = file[(int) s + 4] & 0xF;
                int shndx = b.getShort((int) s + 6) & 0xFFFF;
                long value = b.getLong((int) s + 8);
                long symSize = b.getLong((int) s + 16);
                if (shndx == SHN_UNDEF || value == 0 || type > Symbol.STT_FUNC || nameOffset <= 0
                        || nameOffset >= strSize) {
                    continue;
                }
                String name = cString(file, (int) (strOffset + nameOffset), (int) (strOffset + strSize));
                // $x, $d: AArch64 ELF mapping symbols mark code and data, they name nothing.
                if (!name.startsWith("$")) {
                    symbols.add(new Symbol(name, value, symSize, type));
                }
            }
        }
        return new ElfSymbols(symbols);
    }

    private static String cString(byte[] file, int from, int limit) {
        int end = from;
        while (end < limit && file[end] != 0) {
            end++;
        }
        return new String(file, from, end - from, StandardCharsets.UTF_8);
    }

    /** Every symbol, by address. */
    public List<Symbol> symbols() {
        return byAddress;
    }

    /** The symbol called {@code name} (the first by address if several, as static functions may be). */
    public Optional<Symbol> find(String name) {
        return byAddress.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The function or object containing {@code address}, if any. */
    public Optional<Symbol> containing(long address) {
        Symbol best = null;
        for (Symbol s : byAddress) {
            if (s.value() > address) {
                break;
            }
            if (s.contains(address) && (best == null || s.value() >= best.value())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code <main+0x1c>} for an address inside a symbol, else the empty string. */
    public String describe(long address) {
        return containing(address)
                .map(s -> address == s.value() ? "<" + s.name() + ">"
                        : String.format("<%s+0x%x>", s.name(), address - s.value()))
                .orElse("");
    }
}
