package a64emu.cpu.disasm;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every entry of the decoding table has a disassembly format, and a missing one is visible. */
class DisassemblerCoverageTest {

    @Test
    void everyEncodingOfTheDecodingTableHasAFormat() {
        List<String> missing = Disassembler.encodingsWithoutFormat(EncodingTable.all());
        assertEquals(List.of(), missing, missing.size() + " of " + EncodingTable.all().size()
                + " encodings have no disassembly format");
    }

    @Test
    void anEncodingWithoutFormatPrintsItsNameAsInst() {
        Encoding unformatted = Encoding.of("TEST_ONLY_ENCODING", "11111111111111111111111111111111", (cpu, word) -> { });
        List<Encoding> table = new ArrayList<>(EncodingTable.all());
        table.add(unformatted);
        Disassembler disassembler = new Disassembler(new Decoder(table));

        assertEquals(".inst\t0xffffffff ; TEST_ONLY_ENCODING (no disassembly format)", disassembler.text(0, -1));
        assertEquals(List.of("TEST_ONLY_ENCODING"), Disassembler.encodingsWithoutFormat(List.of(unformatted)));
    }

    @Test
    void wordsNoEncodingMatchesPrintAsObjdumpPrintsUnallocatedWords() {
        Disassembler disassembler = new Disassembler();
        assertEquals("udf\t#0", disassembler.text(0, 0));
        assertEquals("udf\t#4660", disassembler.text(0, 0x1234));
        assertEquals(".inst\t0x1e3f4000 ; undefined", disassembler.text(0, 0x1e3f4000 | (1 << 17) | (1 << 16)));
    }
}
