package a64emu.cpu.disasm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Memory tagging (MTE) instructions of the disassembly-only table print as objdump prints
 * them. The expected texts come from {@code aarch64-linux-gnu-as
 * -march=armv8.5-a+sve+memtag} and {@code aarch64-linux-gnu-objdump -d} (binutils 2.40);
 * the words marked "glibc" are from the guest binaries' memory-tagging routines.
 */
class DisassemblerMemoryTaggingTest {
    private final Disassembler disassembler = new Disassembler();

    private String text(int word) {
        return disassembler.text(0x400000, word);
    }

    @Test
    void ldgScalesItsOffsetByTheTagGranule() {
        assertEquals("ldg\tx0, [x1]", text(0xd9600020));
        assertEquals("ldg\txzr, [sp, #-4096]", text(0xd97003ff));
        assertEquals("ldg\tx2, [x3, #4080]", text(0xd96ff062));
        // glibc
        assertEquals("ldg\tx0, [x0]", text(0xd9600000));
    }

    @Test
    void tagStoresHaveOffsetPreIndexAndPostIndexFormsWithSpAsRegister31() {
        assertEquals("stg\tx0, [x1]", text(0xd9200820));
        assertEquals("stg\tsp, [sp, #16]", text(0xd9201bff));
        assertEquals("stg\tx0, [x1, #-16]!", text(0xd93ffc20));
        assertEquals("stg\tx0, [x1], #32", text(0xd9202420));
        assertEquals("stzg\tx2, [x3, #-4096]", text(0xd9700862));
        assertEquals("stzg\tx2, [x3, #0]!", text(0xd9600c62));
        assertEquals("stzg\tx2, [x3], #4080", text(0xd96ff462));
        assertEquals("st2g\tx4, [x5, #4080]!", text(0xd9affca4));
        assertEquals("st2g\tx4, [x5]", text(0xd9a008a4));
        assertEquals("st2g\tx4, [x5], #-16", text(0xd9bff4a4));
        assertEquals("stz2g\tx6, [x7], #-4096", text(0xd9f004e6));
        assertEquals("stz2g\tx6, [x7, #32]", text(0xd9e028e6));
        assertEquals("stz2g\tx6, [x7, #64]!", text(0xd9e04ce6));
        // glibc
        assertEquals("stg\tx0, [x3, #-16]", text(0xd93ff860));
        assertEquals("stz2g\tx0, [x2, #64]!", text(0xd9e04c40));
        assertEquals("st2g\tx0, [x3, #-32]", text(0xd9bfe860));
    }

    @Test
    void tagMultipleLoadsAndStoresTakeABaseOnly() {
        assertEquals("stgm\tx0, [x1]", text(0xd9a00020));
        assertEquals("stzgm\tx2, [sp]", text(0xd92003e2));
        assertEquals("ldgm\txzr, [x3]", text(0xd9e0007f));
        // A nonzero offset with op2 = 00 is unallocated, except for LDG.
        assertEquals(".inst\t0xd9201000 ; undefined", text(0xd9201000));
    }

    @Test
    void irgOmitsAnExcludeMaskInXzr() {
        assertEquals("irg\tx0, x1, x2", text(0x9ac21020));
        assertEquals("irg\tsp, sp", text(0x9adf13ff));
        assertEquals("irg\tx3, x4", text(0x9adf1083));
        // glibc
        assertEquals("irg\tx0, x0, x1", text(0x9ac11000));
    }

    @Test
    void gmiPrintsXzrAsItsMask() {
        assertEquals("gmi\tx0, x1, x2", text(0x9ac21420));
        assertEquals("gmi\tx3, sp, xzr", text(0x9adf17e3));
        // glibc
        assertEquals("gmi\tx1, x0, xzr", text(0x9adf1401));
    }

    @Test
    void tagArithmeticPrintsHexImmediatesAndCmppForSubpsToXzr() {
        assertEquals("addg\tx0, x1, #0x0, #0x0", text(0x91800020));
        assertEquals("addg\tsp, sp, #0x3f0, #0xf", text(0x91bf3fff));
        assertEquals("subg\tx2, x3, #0x10, #0x1", text(0xd1810462));
        assertEquals("subp\tx0, x1, x2", text(0x9ac20020));
        assertEquals("subp\txzr, sp, sp", text(0x9adf03ff));
        assertEquals("subps\tx3, x4, x5", text(0xbac50083));
        assertEquals("cmpp\tx6, sp", text(0xbadf00df));
    }

    @Test
    void dcOperationsOnTagsHaveTheirNames() {
        assertEquals("dc\tgva, x0", text(0xd50b7460));
        assertEquals("dc\tgzva, x30", text(0xd50b749e));
        assertEquals("dc\tcgvac, x1", text(0xd50b7a61));
        assertEquals("dc\tcgdvac, x2", text(0xd50b7aa2));
        assertEquals("dc\tcgvap, x3", text(0xd50b7c63));
        assertEquals("dc\tcgdvap, x4", text(0xd50b7ca4));
        assertEquals("dc\tcgvadp, x5", text(0xd50b7d65));
        assertEquals("dc\tcgdvadp, x6", text(0xd50b7da6));
        assertEquals("dc\tcigvac, x7", text(0xd50b7e67));
        assertEquals("dc\tcigdvac, xzr", text(0xd50b7ebf));
        // glibc
        assertEquals("dc\tgzva, x2", text(0xd50b7482));
    }
}
