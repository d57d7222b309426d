package a64emu.cpu.disasm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SVE instructions of the disassembly-only table print as objdump prints them. The
 * expected texts come from {@code aarch64-linux-gnu-as -march=armv8.5-a+sve+memtag} and
 * {@code aarch64-linux-gnu-objdump -d} (binutils 2.40); the words marked "glibc" are from
 * the guest binaries' string and memory routines.
 */
class DisassemblerSveTest {
    private final Disassembler disassembler = new Disassembler();

    private String text(int word) {
        return disassembler.text(0x400000, word);
    }

    @Test
    void ld1bScalarPlusImmediateCountsVectorLengthsAndOmitsZero() {
        assertEquals("ld1b\t{z0.b}, p0/z, [x0]", text(0xa400a000));
        assertEquals("ld1b\t{z31.h}, p7/z, [sp, #-8, mul vl]", text(0xa428bfff));
        assertEquals("ld1b\t{z1.s}, p2/z, [x3, #7, mul vl]", text(0xa447a861));
        assertEquals("ld1b\t{z4.d}, p5/z, [x30, #1, mul vl]", text(0xa461b7c4));
        // glibc
        assertEquals("ld1b\t{z2.b}, p0/z, [x5, #-2, mul vl]", text(0xa40ea0a2));
    }

    @Test
    void ld1bScalarPlusScalarHasNoZeroRegisterOffset() {
        assertEquals("ld1b\t{z0.b}, p0/z, [x0, x1]", text(0xa4014000));
        assertEquals("ld1b\t{z2.h}, p3/z, [sp, x30]", text(0xa43e4fe2));
        assertEquals("ld1b\t{z5.s}, p1/z, [x4, x5]", text(0xa4454485));
        assertEquals("ld1b\t{z6.d}, p6/z, [x7, x8]", text(0xa46858e6));
        // Rm = XZR is unallocated: objdump prints the word as undefined.
        assertEquals(".inst\t0xa41f4000 ; undefined", text(0xa41f4000));
    }

    @Test
    void ld1bGatherFormsExtendThirtyTwoBitOffsets() {
        assertEquals("ld1b\t{z0.s}, p0/z, [x0, z1.s, uxtw]", text(0x84014000));
        assertEquals("ld1b\t{z2.s}, p1/z, [sp, z3.s, sxtw]", text(0x844347e2));
        assertEquals("ld1b\t{z4.d}, p2/z, [x5, z6.d, uxtw]", text(0xc40648a4));
        assertEquals("ld1b\t{z7.d}, p3/z, [x8, z9.d, sxtw]", text(0xc4494d07));
        assertEquals("ld1b\t{z10.d}, p4/z, [x11, z12.d]", text(0xc44cd16a));
    }

    @Test
    void ld1bVectorPlusImmediateOmitsZeroOffset() {
        assertEquals("ld1b\t{z0.s}, p0/z, [z1.s]", text(0x8420c020));
        assertEquals("ld1b\t{z2.s}, p1/z, [z3.s, #31]", text(0x843fc462));
        assertEquals("ld1b\t{z4.d}, p2/z, [z5.d, #1]", text(0xc421c8a4));
    }

    @Test
    void st1bScalarPlusImmediateAndScalarPlusScalar() {
        assertEquals("st1b\t{z0.b}, p0, [x0]", text(0xe400e000));
        assertEquals("st1b\t{z31.h}, p7, [sp, #-8, mul vl]", text(0xe428ffff));
        assertEquals("st1b\t{z1.s}, p2, [x3, #7, mul vl]", text(0xe447e861));
        assertEquals("st1b\t{z4.d}, p5, [x30, #-1, mul vl]", text(0xe46ff7c4));
        assertEquals("st1b\t{z0.b}, p0, [x0, x1]", text(0xe4014000));
        assertEquals("st1b\t{z2.h}, p3, [sp, x30]", text(0xe43e4fe2));
        assertEquals("st1b\t{z5.s}, p1, [x4, x5]", text(0xe4454485));
        assertEquals("st1b\t{z6.d}, p6, [x7, x8]", text(0xe46858e6));
        assertEquals(".inst\t0xe41f4000 ; undefined", text(0xe41f4000));
        // glibc
        assertEquals("st1b\t{z1.b}, p1, [x0, #1, mul vl]", text(0xe401e401));
        assertEquals("st1b\t{z1.b}, p1, [x0, x2]", text(0xe4024401));
    }

    @Test
    void st1bScatterForms() {
        assertEquals("st1b\t{z0.s}, p0, [x0, z1.s, uxtw]", text(0xe4418000));
        assertEquals("st1b\t{z2.s}, p1, [sp, z3.s, sxtw]", text(0xe443c7e2));
        assertEquals("st1b\t{z4.d}, p2, [x5, z6.d, uxtw]", text(0xe40688a4));
        assertEquals("st1b\t{z7.d}, p3, [x8, z9.d, sxtw]", text(0xe409cd07));
        assertEquals("st1b\t{z10.d}, p4, [x11, z12.d]", text(0xe40cb16a));
        assertEquals("st1b\t{z0.s}, p0, [z1.s]", text(0xe460a020));
        assertEquals("st1b\t{z2.s}, p1, [z3.s, #31]", text(0xe47fa462));
        assertEquals("st1b\t{z4.d}, p2, [z5.d, #1]", text(0xe441a8a4));
    }

    @Test
    void whileloComparesWOrXRegistersIncludingTheZeroRegister() {
        assertEquals("whilelo\tp0.b, x1, x2", text(0x25221c20));
        assertEquals("whilelo\tp15.h, xzr, x3", text(0x25631fef));
        assertEquals("whilelo\tp1.s, w2, wzr", text(0x25bf0c41));
        assertEquals("whilelo\tp2.d, wzr, w4", text(0x25e40fe2));
        // glibc
        assertEquals("whilelo\tp0.b, xzr, x2", text(0x25221fe0));
    }

    @Test
    void cntOmitsPatternAllAndMultiplierOne() {
        assertEquals("cntb\tx0", text(0x0420e3e0));
        assertEquals("cntb\tx1, pow2", text(0x0420e001));
        assertEquals("cntb\tx2, all, mul #4", text(0x0423e3e2));
        assertEquals("cnth\tx3, vl1", text(0x0460e023));
        assertEquals("cnth\tx4, vl256, mul #16", text(0x046fe1a4));
        assertEquals("cntw\tx5, mul3", text(0x04a0e3c5));
        assertEquals("cntw\txzr, #14", text(0x04a0e1df));
        assertEquals("cntd\tx6, mul4, mul #2", text(0x04e1e3a6));
        assertEquals("cntd\tx7", text(0x04e0e3e7));
    }

    @Test
    void ptrueOmitsPatternAllAndNamesTheOthers() {
        assertEquals("ptrue\tp0.b", text(0x2518e3e0));
        assertEquals("ptrue\tp1.h, vl7", text(0x2558e0e1));
        assertEquals("ptrue\tp2.s, #15", text(0x2598e1e2));
        assertEquals("ptrue\tp15.d, mul4", text(0x25d8e3af));
        assertEquals("ptrues\tp3.b", text(0x2519e3e3));
        assertEquals("ptrues\tp4.d, vl128", text(0x25d9e184));
    }

    @Test
    void dupFromAGeneralRegisterIsMovWithTheStackPointerAsRegister31() {
        assertEquals("mov\tz0.b, w1", text(0x05203820));
        assertEquals("mov\tz2.h, wsp", text(0x05603be2));
        assertEquals("mov\tz3.s, w4", text(0x05a03883));
        assertEquals("mov\tz31.d, x30", text(0x05e03bdf));
        assertEquals("mov\tz4.d, sp", text(0x05e03be4));
    }
}
