package a64emu.cpu.disasm;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disassembly-only table (SVE, MTE) stays outside what the CPU executes: its entries
 * are not in the decoding table, every word they cover is unallocated to the CPU's decoder
 * and raises UNDEFINED when run, and each has a disassembly format.
 */
class DisassemblyOnlyEncodingsTest {
    private static final int WORDS_PER_ENCODING = 64;

    /** The pattern's own word (all fields zero), all fields ones, and random field values. */
    private static List<Integer> wordsOf(Encoding e, Random random) {
        List<Integer> words = new ArrayList<>();
        words.add(e.value());
        words.add(e.value() | ~e.mask());
        for (int k = 2; k < WORDS_PER_ENCODING; k++) {
            words.add(e.value() | (random.nextInt() & ~e.mask()));
        }
        return words;
    }

    @Test
    void noDisassemblyOnlyEncodingIsInTheDecodingTable() {
        Set<String> executed = EncodingTable.all().stream().map(Encoding::name).collect(Collectors.toSet());
        for (Encoding e : DisassemblyOnlyEncodings.ALL) {
            assertTrue(!executed.contains(e.name()), e.name() + " is in EncodingTable.all()");
            assertTrue(EncodingTable.all().stream().noneMatch(x -> x.mask() == e.mask() && x.value() == e.value()),
                    e.name() + " has the pattern of an executed encoding");
        }
    }

    @Test
    void everyWordOfTheTableIsUnallocatedToTheCpuDecoder() {
        Decoder cpuDecoder = new Decoder(EncodingTable.all());
        Random random = new Random(0xdec0de);
        for (Encoding e : DisassemblyOnlyEncodings.ALL) {
            for (int word : wordsOf(e, random)) {
                Encoding found = cpuDecoder.decode(word);
                assertSame(Decoder.UNALLOCATED, found,
                        () -> String.format("%s word 0x%08x decodes as %s", e.name(), word, found.name()));
            }
        }
    }

    @Test
    void everyWordOfTheTableRaisesUndefinedOnTheCpu() {
        CpuHarness h = new CpuHarness();
        Random random = new Random(0x51617);
        for (Encoding e : DisassemblyOnlyEncodings.ALL) {
            for (int word : wordsOf(e, random)) {
                h.assertUndefined(word);
            }
        }
    }

    @Test
    void glibcSveAndMteWordsStayUndefinedWhileTheyDisassemble() {
        Disassembler disassembler = new Disassembler();
        CpuHarness h = new CpuHarness();
        int[] words = {0xe400e000, 0xa401a421, 0x25221fe0, 0x0420e3e7, 0x2518e3e0, 0x05203820,
            0xd9600000, 0xd9e04c40, 0x9ac11000, 0x9adf1401, 0xd50b7462};
        String[] texts = {"st1b\t{z0.b}, p0, [x0]", "ld1b\t{z1.b}, p1/z, [x1, #1, mul vl]",
            "whilelo\tp0.b, xzr, x2", "cntb\tx7", "ptrue\tp0.b", "mov\tz0.b, w1",
            "ldg\tx0, [x0]", "stz2g\tx0, [x2, #64]!", "irg\tx0, x0, x1", "gmi\tx1, x0, xzr", "dc\tgva, x2"};
        for (int k = 0; k < words.length; k++) {
            assertEquals(texts[k], disassembler.text(0x400000, words[k]));
            h.assertUndefined(words[k]);
        }
    }

    @Test
    void everyDisassemblyOnlyEncodingHasAFormat() {
        assertEquals(List.of(), Disassembler.encodingsWithoutFormat(DisassemblyOnlyEncodings.ALL));
    }
}
