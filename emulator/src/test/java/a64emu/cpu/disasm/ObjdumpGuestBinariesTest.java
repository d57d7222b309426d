package a64emu.cpu.disasm;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    static final String OBJDUMP = "aarch64-linux-gnu-objdump";
    private static final Path BINARIES = Path.of("..", "guest", "programs", "bin");
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]{8}) \\t([^\\t]+)\\t?(.*)$");

    static boolean objdumpInstalled() {
        try {
            Process p = new ProcessBuilder(OBJDUMP, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** objdump's text without symbol annotations and comments, whitespace normalised. */
    static String normalise(String text) {
        int comment = text.indexOf("//");
        String t = comment >= 0 ? text.substring(0, comment) : text;
        return t.replaceAll(" <[^>]*>", "").trim().replaceAll("\\s+", " ");
    }

    @Test
    void everyInstructionOfTheGuestBinariesDisassemblesAsObjdump() throws IOException, InterruptedException {
        Assumptions.assumeTrue(objdumpInstalled(),
                OBJDUMP + " is not installed (Debian: binutils-aarch64-linux-gnu); comparison skipped");
        List<Path> binaries;
        try (Stream<Path> s = Files.list(BINARIES)) {
            binaries = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(binaries.size() > 0, "no binaries in " + BINARIES.toAbsolutePath());

        Decoder decoder = new Decoder(EncodingTable.all());
        Decoder disassemblyOnlyDecoder = DisassemblyOnlyEncodings.decoder();
        Disassembler disassembler = new Disassembler(decoder);
        Symbolizer bareHex = Symbolizer.withSymbols(address -> "");
        List<String> mismatches = new ArrayList<>();
        TreeMap<String, Integer> outsideTables = new TreeMap<>();
        StringBuilder report = new StringBuilder();
        for (Path binary : binaries) {
            int compared = 0;
            int differing = 0;
            int outside = 0;
            int disassemblyOnly = 0;
            Process p = new ProcessBuilder(OBJDUMP, "-d", binary.toString()).redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = LINE.matcher(line);
                    if (!m.matches()) {
                        continue;
                    }
                    long pc = Long.parseUnsignedLong(m.group(1), 16);
                    int word = Integer.parseUnsignedInt(m.group(2), 16);
                    String expected = normalise(m.group(3) + " " + m.group(4));
                    String actual = normalise(disassembler.disassemble(pc, word).text(bareHex));
                    compared++;
                    boolean executed = decoder.decode(word) != Decoder.UNALLOCATED;
                    boolean onlyDisassembled = !executed && disassemblyOnlyDecoder.decode(word) != Decoder.UNALLOCATED;
                    if (onlyDisassembled) {
                        disassemblyOnly++;
                    }
                    if (expected.equals(actual)) {
                        continue;
                    }
                    if (!executed && !onlyDisassembled) {
                        outside++;
                        outsideTables.merge(m.group(3).trim(), 1, Integer::sum);
                    } else {
                        differing++;
                    }
                    if (mismatches.size() < 40) {
                        mismatches.add(String.format("%s %x: %08x objdump '%s', a64emu '%s'",
                                binary.getFileName(), pc, word, expected, actual));
                    }
                }
            }
            assertEquals(0, p.waitFor(), OBJDUMP + " failed on " + binary);
            assertTrue(compared > 0, "objdump printed no instructions for " + binary);
            report.append(String.format("%-20s %8d instructions, %d differ, %d outside both tables, "
                    + "%d disassembly-only (SVE/MTE)%n", binary.getFileName(), compared, differing, outside, disassemblyOnly));
        }
        System.out.print(report);
        assertEquals(Map.of(), outsideTables, "objdump mnemonics of words outside both decoding tables (count)\n" + report);
        assertEquals(List.of(), mismatches, report.toString());
    }
}
