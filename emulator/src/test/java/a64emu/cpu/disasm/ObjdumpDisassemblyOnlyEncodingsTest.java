package a64emu.cpu.disasm;

import a64emu.cpu.decode.Encoding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random words of every disassembly-only encoding (SVE, MTE), disassembled by GNU objdump
 * as a raw AArch64 image and by a64emu: the formats agree with objdump over each whole
 * encoding (every field value, reserved corners included), not only on the words the guest
 * binaries hold. The seed is fixed, so a failure repeats.
 */
class ObjdumpDisassemblyOnlyEncodingsTest {
    private static final int WORDS_PER_ENCODING = 256;
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]{8}) \\t([^\\t]+)\\t?(.*)$");

    @Test
    void randomWordsOfEveryDisassemblyOnlyEncodingDisassembleAsObjdump() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ObjdumpGuestBinariesTest.objdumpInstalled(),
                ObjdumpGuestBinariesTest.OBJDUMP + " is not installed; comparison skipped");
        List<Integer> words = new ArrayList<>();
        Random random = new Random(0x5fe_3e7eL);
        for (Encoding e : DisassemblyOnlyEncodings.ALL) {
            words.add(e.value());
            words.add(e.value() | ~e.mask());
            for (int k = 2; k < WORDS_PER_ENCODING; k++) {
                words.add(e.value() | (random.nextInt() & ~e.mask()));
            }
        }
        Path image = Files.createTempFile("a64emu-disassembly-only", ".bin");
        try {
            ByteBuffer bytes = ByteBuffer.allocate(4 * words.size()).order(ByteOrder.LITTLE_ENDIAN);
            words.forEach(bytes::putInt);
            Files.write(image, bytes.array());
            compareWithObjdump(image, words.size());
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static void compareWithObjdump(Path image, int expectedWords) throws IOException, InterruptedException {
        Disassembler disassembler = new Disassembler();
        Symbolizer bareHex = Symbolizer.withSymbols(address -> "");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        Process p = new ProcessBuilder(ObjdumpGuestBinariesTest.OBJDUMP, "-D", "-b", "binary", "-m", "aarch64",
                image.toString()).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                long pc = Long.parseUnsignedLong(m.group(1), 16);
                int word = Integer.parseUnsignedInt(m.group(2), 16);
                String expected = ObjdumpGuestBinariesTest.normalise(m.group(3) + " " + m.group(4));
                String actual = ObjdumpGuestBinariesTest.normalise(disassembler.disassemble(pc, word).text(bareHex));
                compared++;
                if (!expected.equals(actual)) {
                    mismatches.add(String.format("%08x: objdump '%s', a64emu '%s'", word, expected, actual));
                }
            }
        }
        assertEquals(0, p.waitFor(), ObjdumpGuestBinariesTest.OBJDUMP + " failed");
        assertEquals(expectedWords, compared, "objdump printed a different number of words");
        assertEquals(List.of(), mismatches.subList(0, Math.min(40, mismatches.size())),
                mismatches.size() + " of " + compared + " words differ from objdump");
    }
}
