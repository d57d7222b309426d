package a64emu.cpu.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuFeatures;
import a64emu.cpu.CpuHarness;
import a64emu.cpu.isa.Fp;
import a64emu.cpu.isa.SystemRegisterAccess;

import org.junit.jupiter.api.Test;

/**
 * Hand-checked cases of the v8.0 crypto extension and the v8.1-v8.5 additions, and the
 * agreement of the ID registers with AT_HWCAP (the qemu vector files cover the rest).
 */
class ExtensionsTest {
    private final CpuHarness h = new CpuHarness();

    /** Little-endian 64-bit value of 8 bytes given most significant... in memory order. */
    private static long bytes(int... b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[i] & 0xFF) << (8 * i);
        }
        return v;
    }

    @Test
    void aesRoundMatchesFips197AppendixB() {
        // Round 1 of FIPS-197 Appendix B: input XOR key, SubBytes, ShiftRows, MixColumns.
        h.v(0, bytes(0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d), bytes(0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34));
        h.v(1, bytes(0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6), bytes(0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c));
        h.run(0x4e284820); // aese v0.16b, v1.16b
        assertEquals(bytes(0xd4, 0xbf, 0x5d, 0x30, 0xe0, 0xb4, 0x52, 0xae), h.vLo(0));
        assertEquals(bytes(0xb8, 0x41, 0x11, 0xf1, 0x1e, 0x27, 0x98, 0xe5), h.vHi(0));
        h.run(0x4e286800); // aesmc v0.16b, v0.16b
        assertEquals(bytes(0x04, 0x66, 0x81, 0xe5, 0xe0, 0xcb, 0x19, 0x9a), h.vLo(0));
        assertEquals(bytes(0x48, 0xf8, 0xd3, 0x7a, 0x28, 0x06, 0x26, 0x4c), h.vHi(0));
    }

    @Test
    void pmull2MultipliesTheUpperDoublewordsWithoutCarries() {
        h.v(1, 0, 1L << 63).v(2, 0, 1L << 63);
        h.run(0x4ee2e020); // pmull2 v0.1q, v1.2d, v2.2d
        assertEquals(0, h.vLo(0));
        assertEquals(1L << 62, h.vHi(0)); // x^63 * x^63 = x^126
        h.v(1, 0, 3).v(2, 0, 3);
        h.run(0x4ee2e020);
        assertEquals(5, h.vLo(0)); // (x+1)^2 = x^2+1
    }

    @Test
    void sdotByElementAccumulatesFourByteProducts() {
        h.v(0, 10, 0).v(1, 0x0000_0000_0403_0201L, 0).v(2, 0x0101_01FF_0000_0000L, 0);
        h.run(0x4fa2e020); // sdot v0.4s, v1.16b, v2.4b[1]
        assertEquals(10 + (1 * -1 + 2 + 3 + 4), h.vLo(0) & 0xFFFF_FFFFL);
    }

    @Test
    void sqrdmlahSaturates() {
        h.v(0, 0x7FFF, 0).v(1, 0x7FFF, 0).v(2, 0x7FFFL << 48, 0);
        h.run(0x6f72d020); // sqrdmlah v0.8h, v1.8h, v2.h[3]
        assertEquals(0x7FFF, h.vLo(0) & 0xFFFF);
        assertEquals(Fp.FPSR_QC, h.cpu.fpsr & Fp.FPSR_QC);
    }

    @Test
    void frint32zSaturatesOutOfRangeToIntMin() {
        h.v(1, Double.doubleToRawLongBits(3e9), 0);
        h.run(0x1e684020); // frint32z d0, d1
        assertEquals(-2147483648.0, Double.longBitsToDouble(h.vLo(0)));
        assertEquals(Fp.FPSR_IOC, h.cpu.fpsr & Fp.FPSR_IOC);
        h.cpu.fpsr = 0;
        h.v(1, Double.doubleToRawLongBits(-2.7), 0);
        h.run(0x1e684020);
        assertEquals(-2.0, Double.longBitsToDouble(h.vLo(0)));
        assertEquals(Fp.FPSR_IXC, h.cpu.fpsr);
    }

    @Test
    void flagManipulation() {
        h.nzcv(0b0010);
        h.run(0xd500401f); // cfinv
        assertEquals(0b0000, h.nzcv());
        h.x(1, 0b1010_0000).nzcv(0b0101);
        h.run(0xba02042a); // rmif x1, #4, #0b1010: N and C from bits 3 and 1 of ROR(x1, 4)
        assertEquals(0b1111, h.nzcv());
        h.x(1, 0x180).nzcv(0b0110);
        h.run(0x3a00082d); // setf8 w1: N = bit 7, Z = 0, V = bit 8 ^ bit 7; C kept
        assertEquals(0b1010, h.nzcv());
    }

    @Test
    void hintSpaceInstructionsOfAbsentFeaturesAreNops() {
        // PAuth and BTI are not implemented: their hint-space forms retire as NOPs
        // (ARM ARM C6.2 HINT), leaving X16/X17/LR untouched.
        int[] hints = {0xd503233f, 0xd50323bf, 0xd503245f, 0xd503249f, 0xd50324df, 0xd50320ff,
                0xd503211f, 0xd50321df, 0xd5032fff}; // paciasp autiasp bti c/j/jc xpaclri pacia1716 autib1716 hint #0x7f
        for (int word : hints) {
            h.x(16, 0x1234).x(17, 0x5678).x(30, 0x4000_0000_1000L);
            h.run(word);
            assertEquals(0x1234, h.x(16));
            assertEquals(0x5678, h.x(17));
            assertEquals(0x4000_0000_1000L, h.x(30));
            assertEquals(CpuHarness.CODE + 4, h.pc());
        }
        // Outside the hint space the same features are undefined.
        h.assertUndefined(0xdac10020); // pacia x0, x1
        h.assertUndefined(0xd65f0bff); // retaa
        h.assertUndefined(0xf8200420); // ldraa x0, [x1]
        h.assertUndefined(0x9adf1020); // irg x0, x1 (MTE)
    }

    @Test
    void idRegistersAndHwcapAgree() {
        h.run(0xd5380600); // mrs x0, id_aa64isar0_el1
        long isar0 = h.x(0);
        assertEquals(SystemRegisterAccess.ID_AA64ISAR0_VALUE, isar0);
        long hwcap = CpuFeatures.hwcap();
        // Linux: HWCAP_AES if ISAR0.AES >= 1, PMULL if >= 2, SHA1, SHA2, CRC32, ATOMICS if Atomic >= 2.
        assertEquals(((isar0 >>> 4) & 0xF) >= 1, (hwcap & (1 << 3)) != 0, "AES");
        assertEquals(((isar0 >>> 4) & 0xF) >= 2, (hwcap & (1 << 4)) != 0, "PMULL");
        assertEquals(((isar0 >>> 8) & 0xF) >= 1, (hwcap & (1 << 5)) != 0, "SHA1");
        assertEquals(((isar0 >>> 12) & 0xF) >= 1, (hwcap & (1 << 6)) != 0, "SHA2");
        assertEquals(((isar0 >>> 16) & 0xF) >= 1, (hwcap & (1 << 7)) != 0, "CRC32");
        assertEquals(((isar0 >>> 20) & 0xF) >= 2, (hwcap & (1 << 8)) != 0, "ATOMICS");
        assertEquals(((isar0 >>> 28) & 0xF) >= 1, (hwcap & (1 << 12)) != 0, "ASIMDRDM");
        assertEquals(((isar0 >>> 44) & 0xF) >= 1, (hwcap & (1 << 20)) != 0, "ASIMDDP");
        assertEquals(((isar0 >>> 48) & 0xF) >= 1, (hwcap & (1 << 23)) != 0, "ASIMDFHM");
        assertEquals(((isar0 >>> 32) & 0xF) >= 1, (hwcap & (1 << 17)) != 0, "SHA3");
        assertEquals(((isar0 >>> 12) & 0xF) >= 2, (hwcap & (1 << 21)) != 0, "SHA512");
        assertEquals(((isar0 >>> 52) & 0xF) >= 1, (hwcap & (1 << 27)) != 0, "FLAGM");
        assertEquals(((isar0 >>> 52) & 0xF) >= 2, (CpuFeatures.hwcap2() & (1 << 7)) != 0, "FLAGM2");
        h.run(0xd5380620); // mrs x0, id_aa64isar1_el1
        long isar1 = h.x(0);
        assertEquals(((isar1 >>> 20) & 0xF) >= 1, (hwcap & (1 << 15)) != 0, "LRCPC");
        assertEquals(((isar1 >>> 20) & 0xF) >= 2, (hwcap & (1 << 26)) != 0, "ILRCPC");
        assertEquals(((isar1 >>> 36) & 0xF) >= 1, (hwcap & (1 << 29)) != 0, "SB");
        assertEquals(((isar1 >>> 12) & 0xF) >= 1, (hwcap & (1 << 13)) != 0, "JSCVT");
        assertEquals(((isar1 >>> 16) & 0xF) >= 1, (hwcap & (1 << 14)) != 0, "FCMA");
        assertEquals((isar1 & 0xF) >= 1, (hwcap & (1 << 16)) != 0, "DCPOP");
        assertEquals((isar1 & 0xF) >= 2, (CpuFeatures.hwcap2() & 1) != 0, "DCPODP");
        assertEquals(((isar1 >>> 32) & 0xF) >= 1, (CpuFeatures.hwcap2() & (1 << 8)) != 0, "FRINT");
        h.run(0xd5380400); // mrs x0, id_aa64pfr0_el1
        long pfr0 = h.x(0);
        assertEquals(((pfr0 >>> 16) & 0xF) == 1, (hwcap & (1 << 9)) != 0, "FPHP");
        assertEquals(((pfr0 >>> 20) & 0xF) == 1, (hwcap & (1 << 10)) != 0, "ASIMDHP");
        assertEquals(0, (isar1 >>> 4) & 0xFF, "no PAuth");
    }
}
