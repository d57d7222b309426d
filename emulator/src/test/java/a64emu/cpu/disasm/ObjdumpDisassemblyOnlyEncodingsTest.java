package a64emu.cpu.disasm;

import a64emu.cpu.decode.Encoding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random words of every disassembly-only encoding (SVE, MTE), disassembled by GNU objdump
 * as a raw AArch64 image and by a64emu: the formats agree with objdump over each whole
 * encoding (every field value, reserved corners included), not only on the words the guest
 * binaries hold. The seed is fixed, so a failure repeats.
 */
class ObjdumpDisassemblyOnlyEncodingsTest {
    private static final int WORDS_PER_ENCODING = 256;

    @Test
    void randomWordsOfEveryDisassemblyOnlyEncodingDisassembleAsObjdump() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ObjdumpListing.objdumpInstalled(),
                ObjdumpListing.OBJDUMP + " is not installed; comparison skipped");
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
        List<ObjdumpListing.Line> lines = ObjdumpListing.of(new Disassembler(), "-D", "-b", "binary", "-m", "aarch64",
                image.toString());
        List<String> mismatches = lines.stream().filter(l -> !l.agrees())
                .map(l -> String.format("%08x: objdump '%s', a64emu '%s'", l.word(), l.objdump(), l.a64emu())).toList();
        assertEquals(expectedWords, lines.size(), "objdump printed a different number of words");
        assertEquals(List.of(), mismatches.subList(0, Math.min(40, mismatches.size())),
                mismatches.size() + " of " + lines.size() + " words differ from objdump");
    }
}
