package a64emu.tools;

import a64emu.cpu.disasm.Disassembler;
import a64emu.cpu.disasm.Symbolizer;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ElfSymbols;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu disasm}: the executable sections of an ELF file disassembled with the
 * emulator's own decoding table, in the layout of {@code objdump -d}.
 */
@Command(name = "disasm",
        sortOptions = false,
        description = {
            "Disassembles an AArch64 ELF file as 'objdump -d' does, with a64emu's decoding table.",
            "Without --start, prints every executable section (.init, .plt, .text, ...) with a "
                + "'<symbol>:' header where each symbol of .symtab begins. Each line is the address, the "
                + "instruction word and objdump's mnemonic and operands; branch and literal targets are "
                + "annotated with the symbol they fall in. A word the decoding table does not know prints "
                + "as '.inst 0x... ; undefined', as objdump prints unallocated words.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the listing was printed",
            "1:the file could not be read, is not an AArch64 ELF file, or --start is not in an executable section",
            "2:invalid command line"})
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--start", paramLabel = "ADDR",
            description = "Start at ADDR: a hexadecimal address (0x optional) or a symbol name from .symtab.")
    String start;

    @Option(names = "--count", paramLabel = "N",
            description = "Print at most N instructions. Default: to the end of the section (of every "
                    + "executable section without --start).")
    Integer count;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "FILE", description = "The AArch64 ELF file.")
    Path file;

    /**
     * Options written after FILE ({@code a64emu disasm FILE --start main}): the top-level
     * parser stops at the first positional parameter, for 'run' whose program arguments
     * follow the program, so they arrive here and are parsed by {@link Trailing}.
     */
    @Parameters(index = "1..*", paramLabel = "OPTIONS", hidden = true)
    List<String> trailing = new ArrayList<>();

    /** --start and --count after FILE. */
    static final class Trailing {
        @Option(names = "--start")
        String start;

        @Option(names = "--count")
        Integer count;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!trailing.isEmpty()) {
            Trailing t = new Trailing();
            try {
                new CommandLine(t).parseArgs(trailing.toArray(new String[0]));
            } catch (CommandLine.ParameterException e) {
                err.println("a64emu disasm: " + e.getMessage());
                return 2;
            }
            start = t.start != null ? t.start : start;
            count = t.count != null ? t.count : count;
        }
        if (count != null && count < 0) {
            err.println("a64emu disasm: --count must not be negative");
            return 2;
        }
        byte[] image;
        List<ElfSections.Section> sections;
        ElfSymbols symbols;
        try {
            image = Files.readAllBytes(file);
            sections = ElfSections.read(image);
            symbols = ElfSymbols.read(image);
        } catch (IOException e) {
            err.println("a64emu disasm: cannot read " + file + ": " + e.getMessage());
            return 1;
        } catch (ElfFormatException e) {
            err.println("a64emu disasm: " + file + ": " + e.getMessage());
            return 1;
        }
        Listing listing = new Listing(image, symbols, sections, out);
        out.printf("%n%s:     file format elf64-littleaarch64%n%n", file);
        if (start == null) {
            long remaining = count == null ? Long.MAX_VALUE : count;
            for (ElfSections.Section s : sections) {
                if (s.executable() && remaining > 0) {
                    remaining -= listing.section(s, s.address(), remaining);
                }
            }
        } else {
            Optional<Long> address = resolve(start, symbols);
            if (address.isEmpty()) {
                err.println("a64emu disasm: --start " + start + " is neither a symbol of " + file
                        + " nor a hexadecimal address");
                return 1;
            }
            long va = address.get();
            Optional<ElfSections.Section> section = sections.stream()
                    .filter(s -> s.executable() && s.contains(va)).findFirst();
            if (section.isEmpty()) {
                err.printf("a64emu disasm: 0x%x is not in an executable section of %s%n", va, file);
                return 1;
            }
            listing.section(section.get(), va & ~3L, count == null ? Long.MAX_VALUE : count);
        }
        out.flush();
        return 0;
    }

    /** A symbol name, else a hexadecimal address. */
    static Optional<Long> resolve(String text, ElfSymbols symbols) {
        Optional<ElfSymbols.Symbol> symbol = symbols.find(text);
        if (symbol.isPresent()) {
            return Optional.of(symbol.get().value());
        }
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (hex.isEmpty() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0) || hex.length() > 16) {
            return Optional.empty();
        }
        return Optional.of(Long.parseUnsignedLong(hex, 16));
    }

    /** Prints sections of one file: symbol headers, then one line per word. */
    private static final class Listing {
        private final ByteBuffer image;
        private final PrintWriter out;
        private final Disassembler disassembler = new Disassembler();
        private final List<ElfSymbols.Symbol> labels = new ArrayList<>();
        private final Symbolizer symbolizer;
        private final List<ElfSections.Section> sections;

        Listing(byte[] image, ElfSymbols symbols, List<ElfSections.Section> sections, PrintWriter out) {
            this.image = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            this.out = out;
            this.sections = sections;
            for (ElfSymbols.Symbol s : symbols.symbols()) {
                // $x/$d are ARM ELF mapping symbols, not names (AAELF64 5.5.4).
                if (!s.name().isEmpty() && !s.name().startsWith("$")) {
                    labels.add(s);
                }
            }
            this.symbolizer = Symbolizer.withSymbols(this::describe);
        }

        /** Disassembles {@code section} from {@code from}; returns the number of instructions printed. */
        long section(ElfSections.Section section, long from, long limit) {
            out.printf("%nDisassembly of section %s:%n", section.name());
            long printed = 0;
            int label = firstLabelAtOrAfter(from);
            boolean first = true;
            for (long va = from; va + 4 <= section.address() + section.size() && printed < limit; va += 4) {
                boolean header = first;
                while (label < labels.size() && labels.get(label).value() <= va) {
                    if (labels.get(label).value() == va) {
                        header = true;
                    }
                    label++;
                }
                if (header) {
                    out.printf("%n%016x %s:%n", va, describe(va));
                }
                first = false;
                long end = section.address() + section.size();
                long stop = label < labels.size() ? Math.min(labels.get(label).value(), end) : end;
                long zeros = zeroWords(section, va, stop);
                if (zeros >= 2) {
                    // objdump -d prints a run of 8 or more zero bytes up to the next symbol as "...".
                    out.printf("\t...%n");
                    va += 4 * (zeros - 1);
                    continue;
                }
                int word = word(section, va);
                out.printf("%8x:\t%08x \t%s%n", va, word, disassembler.disassemble(va, word).text(symbolizer));
                printed++;
            }
            return printed;
        }

        private int word(ElfSections.Section section, long va) {
            return image.getInt((int) (section.offset() + (va - section.address())));
        }

        private long zeroWords(ElfSections.Section section, long from, long stop) {
            long n = 0;
            for (long va = from; va + 4 <= stop && word(section, va) == 0; va += 4) {
                n++;
            }
            return n;
        }

        private static String name(ElfSymbols.Symbol s, long va) {
            return va == s.value() ? s.name() : String.format("%s+0x%x", s.name(), va - s.value());
        }

        /**
         * objdump's annotation of an address: the nearest symbol at or below it in the same
         * section, else the section's name ({@code <.got.plt+0x18>}).
         */
        private String describe(long address) {
            Optional<ElfSections.Section> section = sections.stream()
                    .filter(s -> s.address() != 0 && s.contains(address)).findFirst();
            long floor = section.map(ElfSections.Section::address).orElse(0L);
            Optional<ElfSymbols.Symbol> symbol = nearest(address).filter(s -> s.value() >= floor);
            if (symbol.isPresent()) {
                return "<" + name(symbol.get(), address) + ">";
            }
            return section.map(s -> "<" + (address == s.address() ? s.name()
                    : String.format("%s+0x%x", s.name(), address - s.address())) + ">").orElse("");
        }

        /** The symbol objdump names for {@code address}: of several at one address, a function first, then by name. */
        private Optional<ElfSymbols.Symbol> nearest(long address) {
            int i = firstLabelAtOrAfter(address + 1) - 1;
            if (i < 0) {
                return Optional.empty();
            }
            long value = labels.get(i).value();
            ElfSymbols.Symbol best = labels.get(i);
            for (int j = i; j >= 0 && labels.get(j).value() == value; j--) {
                ElfSymbols.Symbol s = labels.get(j);
                boolean func = s.type() == ElfSymbols.Symbol.STT_FUNC;
                boolean bestFunc = best.type() == ElfSymbols.Symbol.STT_FUNC;
                if ((func && !bestFunc) || (func == bestFunc && s.name().compareTo(best.name()) <= 0)) {
                    best = s;
                }
            }
            return Optional.of(best);
        }

        /** Index of the first label whose address is at least {@code address} (labels are sorted). */
        private int firstLabelAtOrAfter(long address) {
            int lo = 0;
            int hi = labels.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(labels.get(mid).value(), address) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
