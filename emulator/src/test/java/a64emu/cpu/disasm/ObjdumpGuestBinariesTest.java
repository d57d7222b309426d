package a64emu.cpu.disasm;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disassembles every instruction of the committed guest binaries and compares it with GNU
 * objdump (Debian package binutils-aarch64-linux-gnu), instruction by instruction. Symbol
 * annotations and comments are left out of the comparison; target addresses are compared.
 * The SVE and MTE words of glibc's ifunc variants, which a64emu runs as undefined, come
 * from the disassembly-only table and must compare equal like the rest; a word objdump
 * names that neither table decodes fails the test as "outside both tables".
 */
class ObjdumpGuestBinariesTest {
    private static final Path BINARIES = Path.of("..", "guest", "programs", "bin");

    @Test
    void everyInstructionOfTheGuestBinariesDisassemblesAsObjdump() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ObjdumpListing.objdumpInstalled(),
                ObjdumpListing.OBJDUMP + " is not installed (Debian: binutils-aarch64-linux-gnu); comparison skipped");
        List<Path> binaries;
        try (Stream<Path> s = Files.list(BINARIES)) {
            binaries = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(binaries.size() > 0, "no binaries in " + BINARIES.toAbsolutePath());

        Decoder decoder = new Decoder(EncodingTable.all());
        Decoder disassemblyOnlyDecoder = DisassemblyOnlyEncodings.decoder();
        Disassembler disassembler = new Disassembler(decoder);
        List<String> mismatches = new ArrayList<>();
        TreeMap<String, Integer> outsideTables = new TreeMap<>();
        StringBuilder report = new StringBuilder();
        for (Path binary : binaries) {
            int differing = 0;
            int outside = 0;
            int disassemblyOnly = 0;
            List<ObjdumpListing.Line> lines = ObjdumpListing.of(disassembler, "-d", binary.toString());
            for (ObjdumpListing.Line l : lines) {
                boolean executed = decoder.decode(l.word()) != Decoder.UNALLOCATED;
                boolean onlyDisassembled = !executed && disassemblyOnlyDecoder.decode(l.word()) != Decoder.UNALLOCATED;
                if (onlyDisassembled) {
                    disassemblyOnly++;
                }
                if (l.agrees()) {
                    continue;
                }
                if (!executed && !onlyDisassembled) {
                    outside++;
                    outsideTables.merge(l.mnemonic(), 1, Integer::sum);
                } else {
                    differing++;
                }
                if (mismatches.size() < 40) {
                    mismatches.add(String.format("%s %x: %08x objdump '%s', a64emu '%s'",
                            binary.getFileName(), l.pc(), l.word(), l.objdump(), l.a64emu()));
                }
            }
            assertTrue(lines.size() > 0, "objdump printed no instructions for " + binary);
            report.append(String.format("%-20s %8d instructions, %d differ, %d outside both tables, "
                    + "%d disassembly-only (SVE/MTE)%n", binary.getFileName(), lines.size(), differing, outside,
                    disassemblyOnly));
        }
        System.out.print(report);
        assertEquals(Map.of(), outsideTables, "objdump mnemonics of words outside both decoding tables (count)\n" + report);
        assertEquals(List.of(), mismatches, report.toString());
    }
}
