package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;
import org.junit.jupiter.api.Test;

class DataProcessingImmediateTest {
    private final CpuHarness h = new CpuHarness();

    @Test
    void addImmediateWithLsl12ShiftsTheImmediate() {
        h.x(1, 0x1000);
        h.run(0x916af020); // add x0, x1, #0xabc, lsl #12
        assertEquals(0xabc000L + 0x1000, h.x(0));
        assertEquals(CpuHarness.CODE + 4, h.pc());
    }

    @Test
    void addImmediateUsesSpForRegister31() {
        h.sp(0x8000);
        h.run(0x910043ff); // add sp, sp, #0x10
        assertEquals(0x8010, h.sp());
        h.run(0xd10023e0); // sub x0, sp, #0x8
        assertEquals(0x8008, h.x(0));
    }

    @Test
    void addsImmediateSetsFlagsAndWritesW32ZeroExtended() {
        h.x(4, 0xFFFF_FFFF_FFFF_F000L);
        h.run(0x31400483); // adds w3, w4, #0x1, lsl #12
        assertEquals(0, h.x(3));
        assertEquals(0b0110, h.nzcv()); // Z and C: 0xFFFFF000 + 0x1000 carries out of bit 31
    }

    @Test
    void cmpImmediateOfZeroSetsZeroAndCarry() {
        h.x(1, 0);
        h.run(0xf100003f); // cmp x1, #0x0
        assertEquals(0b0110, h.nzcv());
        h.x(1, -5);
        h.run(0xf100003f);
        assertEquals(0b1010, h.nzcv()); // negative, no borrow
    }

    @Test
    void adrAddsTheSignedOffsetToThePc() {
        h.run(0x100091a0); // adr x0, .+0x1234
        assertEquals(CpuHarness.CODE + 0x1234, h.x(0));
        h.run(0x10ffffe1); // adr x1, .-4
        assertEquals(CpuHarness.CODE - 4, h.x(1));
    }

    @Test
    void adrpAddsPagesToThePageOfThePc() {
        h.load(0x5678, 0xb0091a20); // adrp x0, .+0x12345000 (page-relative)
        h.pc(0x5678).step();
        assertEquals(0x5000L + 0x12345000L, h.x(0));
        h.load(0x5678, 0xf0ffffe0); // adrp x0, -0x1000 pages... imm = -1 page
        h.pc(0x5678).step();
        assertEquals(0x4000L, h.x(0));
    }

    @Test
    void logicalImmediatesDecodeBitMasks() {
        h.x(1, -1L);
        h.run(0x9200f020); // and x0, x1, #0x5555555555555555
        assertEquals(0x5555555555555555L, h.x(0));
        h.run(0xb2103fe0); // orr x0, xzr, #0xffff0000ffff0000
        assertEquals(0xffff0000ffff0000L, h.x(0));
        h.x(1, 0x1234_5678_9ABC_DEF0L);
        h.run(0x52001c20); // eor w0, w1, #0xff
        assertEquals(0x9ABC_DE0FL, h.x(0));
    }

    @Test
    void orrImmediateCanWriteSp() {
        h.run(0xb27c1fff); // mov sp, #0xff0
        assertEquals(0xff0, h.sp());
    }

    @Test
    void andsImmediateSetsNAndZAndClearsCV() {
        h.nzcv(0b0011);
        h.x(1, 0x8000_0000_0000_0001L);
        h.run(0xf2410020); // ands x0, x1, #0x8000000000000000
        assertEquals(0x8000_0000_0000_0000L, h.x(0));
        assertEquals(0b1000, h.nzcv());
        h.x(1, 1);
        h.run(0xf2410020);
        assertEquals(0b0100, h.nzcv());
    }

    @Test
    void reservedLogicalImmediatesAreUndefined() {
        h.assertUndefined(0x9200fc20); // and x0, x1, N=0 imms=111111: len < 1
        h.assertUndefined(0x9240fc20); // and x0, x1, N=1 imms=111111: all-ones element
        h.assertUndefined(0x12400020); // and w0, w1 with N=1
    }

    @Test
    void moveWideImmediates() {
        h.run(0xd2e24680); // movz x0, #0x1234, lsl #48
        assertEquals(0x1234_0000_0000_0000L, h.x(0));
        h.run(0xf2b7dde0); // movk x0, #0xbeef, lsl #16
        assertEquals(0x1234_0000_BEEF_0000L, h.x(0));
        h.run(0x12800000); // movn w0, #0
        assertEquals(0xFFFF_FFFFL, h.x(0));
        h.run(0x92a000a0); // movn x0, #5, lsl #16
        assertEquals(0xFFFF_FFFF_FFFA_FFFFL, h.x(0));
        h.run(0x52bfffe0); // movz w0, #0xffff, lsl #16
        assertEquals(0xFFFF_0000L, h.x(0));
    }

    @Test
    void moveWide32BitWithShift32IsUndefined() {
        h.assertUndefined(0x52c00000); // movz w0, #0, lsl #32 (hw=2)
    }

    @Test
    void ubfmAndSbfmAliases() {
        h.x(1, 0xF234_5678_9ABC_DEF1L);
        h.run(0xd37cec20); // lsl x0, x1, #4
        assertEquals(0x2345_6789_ABCD_EF10L, h.x(0));
        h.run(0xd344fc20); // lsr x0, x1, #4
        assertEquals(0x0F23_4567_89AB_CDEFL, h.x(0));
        h.run(0x9344fc20); // asr x0, x1, #4
        assertEquals(0xFF23_4567_89AB_CDEFL, h.x(0));
        h.run(0x131f7c20); // asr w0, w1, #31 (bit 31 of 0x9ABCDEF1 is set)
        assertEquals(0xFFFF_FFFFL, h.x(0));
        h.run(0x53001c20); // uxtb w0, w1
        assertEquals(0xF1, h.x(0));
        h.run(0x93407c20); // sxtw x0, w1
        assertEquals(0xFFFF_FFFF_9ABC_DEF1L, h.x(0));
        h.run(0x93401c20); // sxtb x0, w1
        assertEquals(0xFFFF_FFFF_FFFF_FFF1L, h.x(0));
        h.run(0x13003c20); // sxth w0, w1
        assertEquals(0xFFFF_DEF1L, h.x(0));
        h.run(0xd37cfc20); // lsr x0, x1, #60
        assertEquals(0xF, h.x(0));
        h.run(0x937c1c20); // sbfiz x0, x1, #4, #8 (field 0xF1, negative)
        assertEquals(0xFFFF_FFFF_FFFF_FF10L, h.x(0));
        h.x(1, 1);
        h.run(0x53010020); // lsl w0, w1, #31
        assertEquals(0x8000_0000L, h.x(0));
    }

    @Test
    void bfmInsertsAndExtractsKeepingOtherBits() {
        h.x(0, 0x1111_1111_1111_1111L).x(1, 0xAAAA_BBBB_CCCC_DDDDL);
        h.run(0xb3783c20); // bfi x0, x1, #8, #16
        assertEquals(0x1111_1111_11DD_DD11L, h.x(0));
        h.x(0, 0x1111_1111_1111_1111L);
        h.run(0xb3485c20); // bfxil x0, x1, #8, #16
        assertEquals(0x1111_1111_1111_CCDDL, h.x(0));
    }

    @Test
    void bitfieldWithSfDifferentFromNIsUndefined() {
        h.assertUndefined(0x93000020); // sbfm x0, x1 with N=0
        h.assertUndefined(0x13007c20 | (1 << 21)); // sbfm w0 with immr=32
    }

    @Test
    void extrConcatenatesAndShifts() {
        h.x(1, 0x1111_2222_3333_4444L).x(2, 0xAAAA_BBBB_CCCC_DDDDL);
        h.run(0x93c24020); // extr x0, x1, x2, #16
        assertEquals(0x4444_AAAA_BBBB_CCCCL, h.x(0));
        h.run(0x13822020); // extr w0, w1, w2, #8
        assertEquals(0x44CC_CCDDL, h.x(0));
        h.run(0x93c12020); // ror x0, x1, #8
        assertEquals(0x4411_1122_2233_3344L, h.x(0));
    }
}
