package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;
import org.junit.jupiter.api.Test;

class DataProcessingRegisterTest {
    private final CpuHarness h = new CpuHarness();

    // ---- add/sub shifted and extended ----------------------------------------------------------

    @Test
    void addSubShiftedRegister() {
        h.x(1, 100).x(2, 5);
        h.run(0x8b020c20); // add x0, x1, x2, lsl #3
        assertEquals(140, h.x(0));
        h.x(1, 0).x(2, 0x8000_0000L);
        h.run(0x4b821020); // sub w0, w1, w2, asr #4
        assertEquals(0x0800_0000L, h.x(0));
    }

    @Test
    void addExtendedRegisterReadsAndWritesSp() {
        h.sp(0x8000).x(2, 0xFFFF_FFFF_0000_0010L);
        h.run(0x8b224be0); // add x0, sp, w2, uxtw #2
        assertEquals(0x8040, h.x(0));
        h.x(1, 0x1000).x(2, -16);
        h.run(0x8b22e03f); // add sp, x1, x2, sxtx
        assertEquals(0xFF0, h.sp());
    }

    @Test
    void subsExtendedSignExtendsByteAndSetsFlags() {
        h.x(1, 0).x(2, 0x80);
        h.run(0xeb228020); // subs x0, x1, w2, sxtb
        assertEquals(128, h.x(0));
        assertEquals(0b0000, h.nzcv()); // 0 - (-128): borrow, so C = 0
        h.x(1, 0x10000).x(2, 0x1234_0000L);
        h.run(0x6b22203f); // cmp w1, w2, uxth
        assertEquals(0b0010, h.nzcv());
    }

    @Test
    void addsAndSubsOverflowFlags() {
        h.x(1, 0x7FFF_FFFFL).x(2, 1);
        h.run(0x2b020020); // adds w0, w1, w2
        assertEquals(0x8000_0000L, h.x(0));
        assertEquals(0b1001, h.nzcv());
        h.x(1, Long.MIN_VALUE).x(2, 1);
        h.run(0xeb020020); // subs x0, x1, x2
        assertEquals(Long.MAX_VALUE, h.x(0));
        assertEquals(0b0011, h.nzcv());
        h.x(1, -1L).x(2, 1);
        h.run(0xab020020); // adds x0, x1, x2
        assertEquals(0, h.x(0));
        assertEquals(0b0110, h.nzcv());
        h.x(1, 1).x(2, 2);
        h.run(0x6b020020); // subs w0, w1, w2
        assertEquals(0xFFFF_FFFFL, h.x(0));
        assertEquals(0b1000, h.nzcv());
    }

    @Test
    void reservedAddSubFormsAreUndefined() {
        h.assertUndefined(0x8bc20020); // add x0, x1, x2 with shift type ROR
        h.assertUndefined(0x8b221420); // add x0, x1, w2, uxtb #5
        h.assertUndefined(0x0b028020); // add w0, w1, w2, lsl #32
    }

    // ---- add/sub with carry -------------------------------------------------------------------

    @Test
    void adcsCarryEdgeCases() {
        h.x(1, -1L).x(2, 0).nzcv(0b0010);
        h.run(0xba020020); // adcs x0, x1, x2
        assertEquals(0, h.x(0));
        assertEquals(0b0110, h.nzcv());
        h.x(1, Long.MAX_VALUE).x(2, 0).nzcv(0b0010);
        h.run(0xba020020);
        assertEquals(Long.MIN_VALUE, h.x(0));
        assertEquals(0b1001, h.nzcv());
        h.x(1, 0xFFFF_FFFFL).x(2, 0xFFFF_FFFFL).nzcv(0b0010);
        h.run(0x3a020020); // adcs w0, w1, w2
        assertEquals(0xFFFF_FFFFL, h.x(0));
        assertEquals(0b1010, h.nzcv());
        h.x(1, 1).x(2, 2).nzcv(0);
        h.run(0x9a020020); // adc x0, x1, x2
        assertEquals(3, h.x(0));
        assertEquals(0, h.nzcv());
    }

    @Test
    void sbcsSubtractsTheBorrow() {
        h.x(1, 5).x(2, 5).nzcv(0);
        h.run(0xfa020020); // sbcs x0, x1, x2 (C=0: 5 - 5 - 1)
        assertEquals(-1L, h.x(0));
        assertEquals(0b1000, h.nzcv());
        h.nzcv(0b0010);
        h.run(0xfa020020); // C=1: 5 - 5
        assertEquals(0, h.x(0));
        assertEquals(0b0110, h.nzcv());
        h.x(1, 0).x(2, 0).nzcv(0);
        h.run(0x5a020020); // sbc w0, w1, w2
        assertEquals(0xFFFF_FFFFL, h.x(0));
        assertEquals(0, h.nzcv());
    }

    // ---- logical ---------------------------------------------------------------------------------

    @Test
    void logicalShiftedRegisterForms() {
        h.x(1, -1L).x(2, 0xFF);
        h.run(0x8ac22020); // and x0, x1, x2, ror #8
        assertEquals(0xFF00_0000_0000_0000L, h.x(0));
        h.x(1, 0xFF).x(2, 0x0F);
        h.run(0x8a220020); // bic x0, x1, x2
        assertEquals(0xF0, h.x(0));
        h.x(1, 0).x(2, 0x0FFF_FFFFL);
        h.run(0x2a221020); // orn w0, w1, w2, lsl #4
        assertEquals(0xF, h.x(0));
        h.x(1, 0xF0F0).x(2, 0xFFFF);
        h.run(0xca220020); // eon x0, x1, x2
        assertEquals(0xFFFF_FFFF_FFFF_F0F0L, h.x(0));
        h.x(1, 0x1234);
        h.run(0xaa2103e0); // mvn x0, x1
        assertEquals(~0x1234L, h.x(0));
    }

    @Test
    void andsAndBicsSetNzAndClearCv() {
        h.x(1, 0x8000_0000L).x(2, 0xFFFF_FFFFL).nzcv(0b0011);
        h.run(0x6a020020); // ands w0, w1, w2
        assertEquals(0x8000_0000L, h.x(0));
        assertEquals(0b1000, h.nzcv());
        h.x(1, 1).x(2, 2);
        h.run(0xea620420); // bics x0, x1, x2, lsr #1
        assertEquals(0, h.x(0));
        assertEquals(0b0100, h.nzcv());
    }

    // ---- conditional compare and select ---------------------------------------------------------

    @Test
    void ccmpComparesOnlyWhenTheConditionHolds() {
        h.x(1, 3).x(2, 3).nzcv(0b0100);
        h.run(0xfa420025); // ccmp x1, x2, #0x5, eq
        assertEquals(0b0110, h.nzcv());
        h.nzcv(0);
        h.run(0xfa420025);
        assertEquals(0b0101, h.nzcv());
    }

    @Test
    void ccmnImmediate() {
        h.x(1, 0xFFFF_FFFDL).nzcv(0);
        h.run(0x3a431828); // ccmn w1, #0x3, #0x8, ne
        assertEquals(0b0110, h.nzcv());
        h.nzcv(0b0100);
        h.run(0x3a431828);
        assertEquals(0b1000, h.nzcv());
    }

    @Test
    void conditionalSelectFamily() {
        h.x(1, 11).x(2, 22);
        h.nzcv(0b1000).run(0x9a82b020); // csel x0, x1, x2, lt (N != V)
        assertEquals(11, h.x(0));
        h.nzcv(0b1001).run(0x9a82b020);
        assertEquals(22, h.x(0));

        h.x(2, 0xFFFF_FFFFL);
        h.nzcv(0).run(0x1a820420); // csinc w0, w1, w2, eq
        assertEquals(0, h.x(0));
        h.nzcv(0b0100).run(0x1a820420);
        assertEquals(11, h.x(0));

        h.x(2, 22);
        h.nzcv(0b0100).run(0xda821020); // csinv x0, x1, x2, ne
        assertEquals(~22L, h.x(0));
        h.nzcv(0b0010).run(0xda828420); // csneg x0, x1, x2, hi
        assertEquals(11, h.x(0));
        h.nzcv(0b0110).run(0xda828420);
        assertEquals(-22, h.x(0));

        h.nzcv(0b0100).run(0x9a9f17e0); // cset x0, eq
        assertEquals(1, h.x(0));
        h.nzcv(0).run(0x9a9f17e0);
        assertEquals(0, h.x(0));
    }

    // ---- 2-source -------------------------------------------------------------------------------

    @Test
    void unsignedDivision() {
        h.x(1, -1L).x(2, 2).run(0x9ac20820); // udiv x0, x1, x2
        assertEquals(Long.MAX_VALUE, h.x(0));
        h.x(2, 0).run(0x9ac20820);
        assertEquals(0, h.x(0));
        h.x(1, 0x1234_5678_FFFF_FFFFL).x(2, 0xAAAA_AAAA_0000_0010L).run(0x1ac20820); // udiv w0, w1, w2
        assertEquals(0x0FFF_FFFFL, h.x(0));
    }

    @Test
    void signedDivisionEdgeCases() {
        h.x(1, Long.MIN_VALUE).x(2, -1).run(0x9ac20c20); // sdiv x0, x1, x2
        assertEquals(Long.MIN_VALUE, h.x(0));
        h.x(1, -7).x(2, 2).run(0x9ac20c20);
        assertEquals(-3, h.x(0)); // rounds toward zero
        h.x(2, 0).run(0x9ac20c20);
        assertEquals(0, h.x(0));
        h.x(1, 0x8000_0000L).x(2, 0xFFFF_FFFFL).run(0x1ac20c20); // sdiv w0, w1, w2
        assertEquals(0x8000_0000L, h.x(0));
        h.x(2, 0).run(0x1ac20c20);
        assertEquals(0, h.x(0));
    }

    @Test
    void variableShiftsTakeTheAmountModuloTheSize() {
        h.x(1, 1).x(2, 65).run(0x9ac22020); // lsl x0, x1, x2
        assertEquals(2, h.x(0));
        h.x(1, 0x8000_0000L).x(2, 33).run(0x1ac22420); // lsr w0, w1, w2
        assertEquals(0x4000_0000L, h.x(0));
        h.x(1, -256).x(2, 4).run(0x9ac22820); // asr x0, x1, x2
        assertEquals(-16, h.x(0));
        h.x(1, 1).x(2, 1).run(0x1ac22c20); // ror w0, w1, w2
        assertEquals(0x8000_0000L, h.x(0));
    }

    @Test
    void crc32MatchesTheStandardChecksums() {
        // zlib.crc32(b"12345678") = 0x9ae0daaf with the usual ~ before and after.
        h.x(1, 0xFFFF_FFFFL).x(2, 0x3837_3635_3433_3231L).run(0x9ac24c20); // crc32x w0, w1, x2
        assertEquals(0x9ae0daafL, ~h.x(0) & 0xFFFF_FFFFL);
        h.x(1, 0xFFFF_FFFFL).x(2, 0x31).run(0x1ac24020); // crc32b w0, w1, w2
        assertEquals(0x83dcefb7L, ~h.x(0) & 0xFFFF_FFFFL);
        // CRC-32C of "12345678" = 0x6087809a.
        h.x(1, 0xFFFF_FFFFL).x(2, 0x3837_3635_3433_3231L).run(0x9ac25c20); // crc32cx w0, w1, x2
        assertEquals(0x6087809aL, ~h.x(0) & 0xFFFF_FFFFL);
        // Byte-wise and word-wise updates agree.
        h.x(1, 0xFFFF_FFFFL).x(2, 0x3433_3231L).run(0x1ac24820); // crc32w w0, w1, w2
        h.x(1, h.x(0)).x(2, 0x3837_3635L).run(0x1ac24820);
        assertEquals(0x9ae0daafL, ~h.x(0) & 0xFFFF_FFFFL);
        h.x(1, 0xFFFF_FFFFL).x(2, 0x3231).run(0x1ac24420); // crc32h w0, w1, w2
        h.x(1, h.x(0)).x(2, 0x33).run(0x1ac24020);
        h.x(1, h.x(0)).x(2, 0x34).run(0x1ac24020);
        h.x(1, h.x(0)).x(2, 0x3635).run(0x1ac24420);
        h.x(1, h.x(0)).x(2, 0x3837).run(0x1ac24420);
        assertEquals(0x9ae0daafL, ~h.x(0) & 0xFFFF_FFFFL);
    }

    @Test
    void crc32WithMismatchedSfIsUndefined() {
        h.assertUndefined(0x1ac24c20); // crc32x with sf=0
        h.assertUndefined(0x9ac24020); // crc32b with sf=1
    }

    // ---- 1-source -------------------------------------------------------------------------------

    @Test
    void bitAndByteReversal() {
        h.x(1, 1).run(0xdac00020); // rbit x0, x1
        assertEquals(Long.MIN_VALUE, h.x(0));
        h.run(0x5ac00020); // rbit w0, w1
        assertEquals(0x8000_0000L, h.x(0));
        h.x(1, 0x0102_0304_0506_0708L);
        h.run(0xdac00420); // rev16 x0, x1
        assertEquals(0x0201_0403_0605_0807L, h.x(0));
        h.run(0xdac00820); // rev32 x0, x1
        assertEquals(0x0403_0201_0807_0605L, h.x(0));
        h.run(0x5ac00820); // rev w0, w1
        assertEquals(0x0807_0605L, h.x(0));
        h.run(0xdac00c20); // rev x0, x1
        assertEquals(0x0807_0605_0403_0201L, h.x(0));
        h.assertUndefined(0x5ac00c20); // rev with sf=0 and opcode 000011
    }

    @Test
    void countLeadingZerosAndSignBits() {
        h.x(1, 1).run(0xdac01020); // clz x0, x1
        assertEquals(63, h.x(0));
        h.x(1, 0).run(0xdac01020);
        assertEquals(64, h.x(0));
        h.x(1, 0xFFFF_FFFF_0000_0001L).run(0x5ac01020); // clz w0, w1
        assertEquals(31, h.x(0));
        h.x(1, -1L).run(0xdac01420); // cls x0, x1
        assertEquals(63, h.x(0));
        h.x(1, 1).run(0xdac01420);
        assertEquals(62, h.x(0));
        h.x(1, 0xC000_0000_0000_0000L).run(0xdac01420);
        assertEquals(1, h.x(0));
        h.x(1, 0x0000_0000_FFFF_FFFFL).run(0x5ac01420); // cls w0, w1
        assertEquals(31, h.x(0));
    }

    // ---- 3-source -------------------------------------------------------------------------------

    @Test
    void multiplyAdd() {
        h.x(1, 3).x(2, 4).x(3, 5).run(0x9b020c20); // madd x0, x1, x2, x3
        assertEquals(17, h.x(0));
        h.run(0x1b028c20); // msub w0, w1, w2, w3
        assertEquals(0xFFFF_FFF9L, h.x(0));
        h.x(1, 7).x(2, 6).run(0x1b027c20); // mul w0, w1, w2
        assertEquals(42, h.x(0));
    }

    @Test
    void longMultiplies() {
        h.x(1, 0xAAAA_AAAA_FFFF_FFFEL).x(2, 3).x(3, 10);
        h.run(0x9b220c20); // smaddl x0, w1, w2, x3
        assertEquals(4, h.x(0));
        h.run(0x9b228c20); // smsubl x0, w1, w2, x3
        assertEquals(16, h.x(0));
        h.x(1, 0xFFFF_FFFFL).x(2, 2).x(3, 1);
        h.run(0x9ba20c20); // umaddl x0, w1, w2, x3
        assertEquals(0x1_FFFF_FFFFL, h.x(0));
        h.x(3, 0).run(0x9ba28c20); // umsubl x0, w1, w2, x3
        assertEquals(-0x1_FFFF_FFFEL, h.x(0));
    }

    @Test
    void multiplyHigh() {
        h.x(1, -1L).x(2, -1L).run(0x9b427c20); // smulh x0, x1, x2
        assertEquals(0, h.x(0));
        h.x(1, Long.MIN_VALUE).x(2, 2).run(0x9b427c20);
        assertEquals(-1L, h.x(0));
        h.x(1, -1L).x(2, -1L).run(0x9bc27c20); // umulh x0, x1, x2
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, h.x(0));
        h.x(1, Long.MIN_VALUE).x(2, 4).run(0x9bc27c20);
        assertEquals(2, h.x(0));
    }
}
