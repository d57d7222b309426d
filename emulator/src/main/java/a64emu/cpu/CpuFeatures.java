package a64emu.cpu;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one list of the optional architecture features a64emu implements. The ID
 * register values MRS returns at EL0 (Linux's sanitised CPUID emulation view) and the
 * AT_HWCAP/AT_HWCAP2 bits the loader advertises are both derived from it, so that what
 * libc's ifunc resolvers and {@code getauxval} see is what the CPU actually executes.
 *
 * <p>A feature goes into {@link #IMPLEMENTED} together with its encodings; nothing else
 * needs to change. Features not listed (SVE, PAuth, BTI, MTE,
 * SM3/SM4, BF16, I8MM, LSE2, ...) read as absent in both views; their
 * encodings are undefined, or NOPs in the hint space (ARM ARM C6.2 HINT).
 */
public final class CpuFeatures {
    private CpuFeatures() {}

    /**
     * Optional features, each with the ID register field that announces it (register,
     * lowest bit, value) and the Linux hwcap bit ({@code asm/hwcap.h}; HWCAP2 bits are
     * numbered from 64 here).
     */
    public enum Feature {
        /** Scalar floating point: ID_AA64PFR0.FP = 0 means implemented (0xF absent). */
        FP(IdRegister.NONE, 0, 0, 0),
        /** Advanced SIMD: ID_AA64PFR0.AdvSIMD = 0 means implemented. */
        ASIMD(IdRegister.NONE, 0, 0, 1),
        /** FEAT_FP16 scalar half-precision arithmetic: ID_AA64PFR0.FP = 1. */
        FPHP(IdRegister.PFR0, 16, 1, 9),
        /** FEAT_FP16 Advanced SIMD half-precision arithmetic: ID_AA64PFR0.AdvSIMD = 1. */
        ASIMDHP(IdRegister.PFR0, 20, 1, 10),
        /** AESE/AESD/AESMC/AESIMC: ISAR0.AES = 1. */
        AES(IdRegister.ISAR0, 4, 1, 3),
        /** PMULL/PMULL2 of 64-bit elements: ISAR0.AES = 2 (includes AES). */
        PMULL(IdRegister.ISAR0, 4, 2, 4),
        /** SHA1C/P/M/H/SU0/SU1: ISAR0.SHA1 = 1. */
        SHA1(IdRegister.ISAR0, 8, 1, 5),
        /** SHA256H/H2/SU0/SU1: ISAR0.SHA2 = 1. */
        SHA2(IdRegister.ISAR0, 12, 1, 6),
        /** FEAT_SHA3: EOR3/BCAX/RAX1/XAR: ISAR0.SHA3 = 1. */
        SHA3(IdRegister.ISAR0, 32, 1, 17),
        /** FEAT_SHA512: SHA512H/H2/SU0/SU1: ISAR0.SHA2 = 2 (includes SHA256). */
        SHA512(IdRegister.ISAR0, 12, 2, 21),
        /** CRC32{B,H,W,X} and CRC32C*: ISAR0.CRC32 = 1. */
        CRC32(IdRegister.ISAR0, 16, 1, 7),
        /** FEAT_LSE: LDADD.../SWP/CAS/CASP: ISAR0.Atomic = 2. */
        ATOMICS(IdRegister.ISAR0, 20, 2, 8),
        /** EL0 reads of the ID registers are emulated by the kernel: no ID field. */
        CPUID(IdRegister.NONE, 0, 0, 11),
        /** FEAT_RDM: SQRDMLAH/SQRDMLSH: ISAR0.RDM = 1. */
        ASIMDRDM(IdRegister.ISAR0, 28, 1, 12),
        /** FEAT_FHM: FMLAL/FMLSL(2): ISAR0.FHM = 1. */
        ASIMDFHM(IdRegister.ISAR0, 48, 1, 23),
        /** FEAT_JSCVT: FJCVTZS: ISAR1.JSCVT = 1. */
        JSCVT(IdRegister.ISAR1, 12, 1, 13),
        /** FEAT_FCMA: FCMLA/FCADD: ISAR1.FCMA = 1. */
        FCMA(IdRegister.ISAR1, 16, 1, 14),
        /** FEAT_LRCPC: LDAPR: ISAR1.LRCPC = 1. */
        LRCPC(IdRegister.ISAR1, 20, 1, 15),
        /** FEAT_DPB: DC CVAP: ISAR1.DPB = 1. */
        DCPOP(IdRegister.ISAR1, 0, 1, 16),
        /** FEAT_DotProd: SDOT/UDOT: ISAR0.DP = 1. */
        ASIMDDP(IdRegister.ISAR0, 44, 1, 20),
        /** FEAT_LRCPC2: LDAPUR/STLUR: ISAR1.LRCPC = 2. */
        ILRCPC(IdRegister.ISAR1, 20, 2, 26),
        /** FEAT_FlagM: CFINV/RMIF/SETF8/SETF16: ISAR0.TS = 1. */
        FLAGM(IdRegister.ISAR0, 52, 1, 27),
        /** FEAT_SB: the SB barrier: ISAR1.SB = 1. */
        SB(IdRegister.ISAR1, 36, 1, 29),
        /** FEAT_DPB2: DC CVADP: ISAR1.DPB = 2. */
        DCPODP(IdRegister.ISAR1, 0, 2, 64),
        /** FEAT_FlagM2: AXFLAG/XAFLAG: ISAR0.TS = 2. */
        FLAGM2(IdRegister.ISAR0, 52, 2, 64 + 7),
        /** FEAT_FRINTTS: FRINT32Z/32X/64Z/64X: ISAR1.FRINTTS = 1. */
        FRINT(IdRegister.ISAR1, 32, 1, 64 + 8);

        final IdRegister register;
        final int fieldShift;
        final int fieldValue;
        final int hwcapBit;

        Feature(IdRegister register, int fieldShift, int fieldValue, int hwcapBit) {
            this.register = register;
            this.fieldShift = fieldShift;
            this.fieldValue = fieldValue;
            this.hwcapBit = hwcapBit;
        }
    }

    enum IdRegister { NONE, PFR0, ISAR0, ISAR1 }

    /** What a64emu implements. */
    public static final Set<Feature> IMPLEMENTED = java.util.Collections.unmodifiableSet(EnumSet.of(
            Feature.FP, Feature.ASIMD, Feature.CPUID, Feature.FPHP, Feature.ASIMDHP, Feature.ASIMDFHM,
            Feature.AES, Feature.PMULL, Feature.SHA1, Feature.SHA2, Feature.SHA3, Feature.SHA512, Feature.CRC32,
            Feature.ATOMICS, Feature.ASIMDRDM, Feature.ASIMDDP, Feature.JSCVT, Feature.FCMA,
            Feature.LRCPC, Feature.ILRCPC, Feature.DCPOP, Feature.DCPODP, Feature.SB,
            Feature.FLAGM, Feature.FLAGM2, Feature.FRINT));

    public static boolean has(Feature f) {
        return IMPLEMENTED.contains(f);
    }

    /** An ID register as the largest field value of each implemented feature it announces. */
    private static long idRegister(IdRegister register) {
        long value = 0;
        for (Feature f : IMPLEMENTED) {
            if (f.register != register) {
                continue;
            }
            long current = (value >>> f.fieldShift) & 0xF;
            if (f.fieldValue > current) {
                value = (value & ~(0xFL << f.fieldShift)) | ((long) f.fieldValue << f.fieldShift);
            }
        }
        return value;
    }

    /**
     * ID_AA64PFR0_EL1: EL0 and EL1 AArch64-only (1); FP and AdvSIMD implemented (0), with
     * half-precision arithmetic (1), or 0xF when absent.
     */
    public static long idAa64Pfr0() {
        long value = 0x11 | idRegister(IdRegister.PFR0);
        if (!has(Feature.FP)) {
            value |= 0xFL << 16;
        }
        if (!has(Feature.ASIMD)) {
            value |= 0xFL << 20;
        }
        return value;
    }

    /** ID_AA64ISAR0_EL1: AES, SHA1, SHA2, CRC32, Atomic, RDM, SHA3, DP, FHM, TS. */
    public static long idAa64Isar0() {
        return idRegister(IdRegister.ISAR0);
    }

    /** ID_AA64ISAR1_EL1: DPB, JSCVT, FCMA, LRCPC, FRINTTS, SB (no PAuth, BF16, I8MM). */
    public static long idAa64Isar1() {
        return idRegister(IdRegister.ISAR1);
    }

    /** AT_HWCAP as Linux derives it from the ID registers (arch/arm64/kernel/cpufeature.c). */
    public static long hwcap() {
        long bits = 0;
        for (Feature f : IMPLEMENTED) {
            if (f.hwcapBit < 64) {
                bits |= 1L << f.hwcapBit;
            }
        }
        return bits;
    }

    /** AT_HWCAP2. */
    public static long hwcap2() {
        long bits = 0;
        for (Feature f : IMPLEMENTED) {
            if (f.hwcapBit >= 64) {
                bits |= 1L << (f.hwcapBit - 64);
            }
        }
        return bits;
    }
}
