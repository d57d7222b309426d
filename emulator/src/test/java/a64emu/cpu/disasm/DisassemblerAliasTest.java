package a64emu.cpu.disasm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** objdump's preferred aliases and operand forms, one specification per rule. */
class DisassemblerAliasTest {
    private final Disassembler disassembler = new Disassembler();

    private String text(int word) {
        return disassembler.text(0x400000, word);
    }

    @Test
    void retWithX30PrintsWithoutOperand() {
        assertEquals("ret", text(0xd65f03c0));
        assertEquals("ret\tx1", text(0xd65f0020));
    }

    @Test
    void addImmediateZeroToOrFromSpIsMov() {
        assertEquals("mov\tx29, sp", text(0x910003fd));
        assertEquals("sub\tsp, sp, #0x20", text(0xd10083ff));
    }

    @Test
    void subsToZeroRegisterIsCmpAndOrrFromZeroRegisterIsMov() {
        assertEquals("cmp\tx0, #0x3", text(0xf1000c1f));
        assertEquals("mov\tx0, x1", text(0xaa0103e0));
        assertEquals("tst\tw0, #0xff", text(0x72001c1f));
    }

    @Test
    void bitfieldMovesPrintAsShiftsAndExtends() {
        assertEquals("lsl\tx0, x1, #3", text(0xd37df020));
        assertEquals("lsr\tw0, w1, #4", text(0x53047c20));
        assertEquals("sxtw\tx0, w1", text(0x93407c20));
        assertEquals("ubfx\tx0, x1, #4, #8", text(0xd3442c20));
    }

    @Test
    void conditionalSelectsPrintAsCsetAndCinc() {
        assertEquals("cset\tw0, eq", text(0x1a9f17e0));
        assertEquals("cinc\tx0, x1, ne", text(0x9a810420));
    }

    @Test
    void branchTargetsAreAbsoluteAndSymbolised() {
        Disassembly b = disassembler.disassemble(0x400530, 0x94000004);
        assertEquals("bl\t0x400540", b.text(Symbolizer.PLAIN));
        assertEquals("bl\t400540 <main+0x10>",
                b.text(Symbolizer.withSymbols(address -> address == 0x400540 ? "<main+0x10>" : "")));
        assertEquals("ldr\tx0, 0x400010", text(0x58000080));
    }

    @Test
    void loadStoreOffsetsAreDecimal() {
        assertEquals("stp\tx29, x30, [sp, #-32]!", text(0xa9be7bfd));
        assertEquals("ldr\tx0, [x1, x2, lsl #3]", text(0xf8627820));
        assertEquals("prfm\tpldl1keep, [x1]", text(0xf9800020));
    }

    @Test
    void simdOperandsCarryArrangementsAndElementIndices() {
        assertEquals("add\tv0.4s, v1.4s, v2.4s", text(0x4ea28420));
        assertEquals("mov\tv0.16b, v1.16b", text(0x4ea11c20));
        assertEquals("ld1\t{v0.16b-v3.16b}, [x0]", text(0x4c402000));
        assertEquals("mov\tw0, v1.s[1]", text(0x0e0c3c20));
        assertEquals("movi\tv0.2d, #0x0", text(0x6f00e400));
        assertEquals("fmov\td0, #1.000000000000000000e+00", text(0x1e6e1000));
    }

    @Test
    void systemRegistersAndHintsHaveTheirNames() {
        assertEquals("mrs\tx0, tpidr_el0", text(0xd53bd040));
        assertEquals("mrs\tx0, s3_3_c15_c0_7", text(0xd53bf0e0));
        assertEquals("bti\tc", text(0xd503245f));
        assertEquals("hint\t#0x6", text(0xd50320df));
        assertEquals("dmb\tish", text(0xd5033bbf));
    }
}
