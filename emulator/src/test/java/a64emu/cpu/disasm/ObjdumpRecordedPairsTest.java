package a64emu.cpu.disasm;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays words that GNU objdump disassembled at development time (objdump-pairs.txt),
 * so the disassembler is checked against objdump even where binutils is not installed.
 */
class ObjdumpRecordedPairsTest {

    /** Whitespace-insensitive form of a line of disassembly. */
    static String normalise(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }

    @Test
    void everyRecordedWordDisassemblesAsObjdumpPrintedIt() throws IOException {
        Disassembler disassembler = new Disassembler();
        Symbolizer bareHex = Symbolizer.withSymbols(address -> "");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ObjdumpRecordedPairsTest.class.getResourceAsStream("objdump-pairs.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                long pc = Long.parseUnsignedLong(f[0], 16);
                int word = Integer.parseUnsignedInt(f[1], 16);
                String expected = normalise(f[2]);
                String actual = normalise(disassembler.disassemble(pc, word).text(bareHex));
                compared++;
                if (!expected.equals(actual)) {
                    mismatches.add(String.format("%08x: objdump '%s', a64emu '%s'", word, expected, actual));
                }
            }
        }
        assertTrue(compared > 5000, "the recording holds " + compared + " words");
        assertEquals(List.of(), mismatches.subList(0, Math.min(40, mismatches.size())),
                mismatches.size() + " of " + compared + " words differ from objdump");
    }
}
