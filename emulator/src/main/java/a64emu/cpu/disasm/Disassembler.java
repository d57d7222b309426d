package a64emu.cpu.disasm;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;

import java.util.List;

/**
 * A64 disassembler built on the emulator's decoding table: {@link Decoder} picks the
 * encoding, and the format registered under the encoding's name prints it as GNU objdump
 * does (mnemonics, operands and preferred aliases). Words the table leaves unallocated
 * are looked up in {@link DisassemblyOnlyEncodings} (SVE and MTE, which the CPU runs as
 * undefined but objdump names). Words neither table decodes, and reserved field values
 * inside an encoding, print as objdump prints unallocated words ({@code udf #n} for the
 * permanently undefined space, otherwise {@code .inst 0x...}).
 */
public final class Disassembler {
    private final Decoder decoder;
    private final Decoder disassemblyOnly = DisassemblyOnlyEncodings.decoder();

    public Disassembler() {
        this(new Decoder(EncodingTable.all()));
    }

    public Disassembler(Decoder decoder) {
        this.decoder = decoder;
    }

    /** The instruction {@code word} at address {@code pc}. */
    public Disassembly disassemble(long pc, int word) {
        Encoding encoding = decoder.decode(word);
        if (encoding == Decoder.UNALLOCATED) {
            encoding = disassemblyOnly.decode(word);
        }
        if (encoding == Decoder.UNALLOCATED) {
            return unallocated(word);
        }
        Format format = FormatTable.lookup(encoding.name());
        if (format == null) {
            return Disassembly.of(".inst", String.format("0x%08x ; %s (no disassembly format)", word, encoding.name()));
        }
        Disassembly d = format.format(new Insn(word, encoding, pc));
        return d != null ? d : unallocated(word);
    }

    /** {@code mnemonic<TAB>operands} with targets as raw addresses. */
    public String text(long pc, int word) {
        return disassemble(pc, word).text(Symbolizer.PLAIN);
    }

    /**
     * {@code mnemonic operands} on one line (no tab), for messages and traces; null when no
     * instruction owns the word (what objdump prints as {@code udf} or {@code .inst}).
     */
    public String oneLine(long pc, int word) {
        Disassembly d = disassemble(pc, word);
        String text = d.text(Symbolizer.PLAIN);
        return text.startsWith(".inst") || text.startsWith("udf") ? null : text.replace('\t', ' ');
    }

    /** objdump's text for a word no instruction owns: UDF in op0 = 0000, op1 = 0, else .inst. */
    static Disassembly unallocated(int word) {
        if ((word >>> 16) == 0) {
            return Disassembly.of("udf", Imm.dec(word & 0xFFFF));
        }
        return Disassembly.of(".inst", String.format("0x%08x ; undefined", word));
    }

    /** Encodings of the decoding table that have no format here (should be empty). */
    public static List<String> encodingsWithoutFormat(List<Encoding> table) {
        return FormatTable.missing(table);
    }
}
