package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.CpuFeatures;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;

import java.util.List;

/**
 * MRS, MSR (register) and the SYS instructions as EL0 sees them under Linux (ARM ARM
 * C5.3 "A64 System instructions"; D19 for the registers).
 *
 * <p>EL0 may access NZCV, FPCR, FPSR, TPIDR_EL0, read TPIDRRO_EL0, CTR_EL0, DCZID_EL0,
 * CNTFRQ_EL0 and CNTVCT_EL0 directly. The ID registers trap to EL1, where Linux emulates
 * them (arch/arm64/kernel/cpufeature.c, emulate_mrs): MIDR_EL1, MPIDR_EL1, REVIDR_EL1
 * and the ID space op0=3, op1=0, CRn=0, CRm=2..7 read sanitised values (unknown ones as
 * zero); other ID space registers give SIGILL. We return those values directly instead
 * of trapping. Anything else (DAIF with SCTLR_EL1.UMA=0, CNTPCT_EL0 which Linux does not
 * open to EL0, EL1 registers, unknown encodings) is UNDEFINED.
 *
 * <p>MSR (immediate) is not listed: every PSTATE field it can write at EL0 (DAIF with
 * UMA=0, SSBS, DIT, TCO, SVCR) belongs to a feature or permission we do not have, so
 * the encoding executes as UNDEFINED.
 *
 * <p>Fields: q = o0 (op0 = 1:o0), a = op1, n = CRn, m = CRm, b = op2, t = Rt.
 */
public final class SystemRegisterAccess {
    private SystemRegisterAccess() {}

    public static final List<Encoding> ENCODINGS = List.of(
            //           3         2         1         0
            //          10987654321098765432109876543210
            Encoding.of("MRS",      "110101010011qaaannnnmmmmbbbttttt", SystemRegisterAccess::mrs),
            Encoding.of("MSR_REG",  "110101010001qaaannnnmmmmbbbttttt", SystemRegisterAccess::msr),
            // SYS op1=3, CRn=7: the cache maintenance instructions Linux lets EL0 execute
            // (SCTLR_EL1.UCI=1, DZE=1). The rest of the SYS/SYSL space is UNDEFINED at EL0.
            Encoding.of("DC_ZVA",   "110101010000101101110100001ttttt", SystemRegisterAccess::dcZva),
            Encoding.of("IC_IVAU",  "110101010000101101110101001ttttt", SystemRegisterAccess::cacheMaintenance),
            Encoding.of("DC_CVAC",  "110101010000101101111010001ttttt", SystemRegisterAccess::cacheMaintenance),
            Encoding.of("DC_CVAU",  "110101010000101101111011001ttttt", SystemRegisterAccess::cacheMaintenance),
            Encoding.of("DC_CVAP",  "110101010000101101111100001ttttt", SystemRegisterAccess::cacheMaintenance),
            Encoding.of("DC_CVADP", "110101010000101101111101001ttttt", SystemRegisterAccess::cacheMaintenance),
            Encoding.of("DC_CIVAC", "110101010000101101111110001ttttt", SystemRegisterAccess::cacheMaintenance));

    /** The system register encoding op0:op1:CRn:CRm:op2 as it appears in bits 20:5 of MRS/MSR. */
    public static int key(int op0, int op1, int crn, int crm, int op2) {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    public static final int NZCV = key(3, 3, 4, 2, 0);
    public static final int FPCR = key(3, 3, 4, 4, 0);
    public static final int FPSR = key(3, 3, 4, 4, 1);
    public static final int TPIDR_EL0 = key(3, 3, 13, 0, 2);
    public static final int TPIDRRO_EL0 = key(3, 3, 13, 0, 3);
    public static final int CTR_EL0 = key(3, 3, 0, 0, 1);
    public static final int DCZID_EL0 = key(3, 3, 0, 0, 7);
    public static final int CNTFRQ_EL0 = key(3, 3, 14, 0, 0);
    public static final int CNTVCT_EL0 = key(3, 3, 14, 0, 2);
    public static final int CNTVCTSS_EL0 = key(3, 3, 14, 0, 6);
    public static final int MIDR_EL1 = key(3, 0, 0, 0, 0);
    public static final int MPIDR_EL1 = key(3, 0, 0, 0, 5);
    public static final int REVIDR_EL1 = key(3, 0, 0, 0, 6);
    public static final int ID_AA64PFR0_EL1 = key(3, 0, 0, 4, 0);
    public static final int ID_AA64DFR0_EL1 = key(3, 0, 0, 5, 0);
    public static final int ID_AA64ISAR0_EL1 = key(3, 0, 0, 6, 0);
    public static final int ID_AA64ISAR1_EL1 = key(3, 0, 0, 6, 1);

    /**
     * FPCR bits that exist without FEAT_FP16 and without trapped floating-point
     * exceptions (the trap enables are RAZ/WI): AHP, DN, FZ, RMode (ARM ARM D19.2.48).
     */
    public static final long FPCR_WRITABLE = Fp.FPCR_AHP | Fp.FPCR_DN | Fp.FPCR_FZ | (3L << Fp.FPCR_RMODE_SHIFT)
            | (CpuFeatures.has(CpuFeatures.Feature.FPHP) ? Fp.FPCR_FZ16 : 0);
    /** FPSR: QC and the cumulative exception flags (AArch64 has no FPSR NZCV). */
    public static final long FPSR_WRITABLE = Fp.FPSR_QC | Fp.FPSR_IDC | Fp.FPSR_IXC | Fp.FPSR_UFC
            | Fp.FPSR_OFC | Fp.FPSR_DZC | Fp.FPSR_IOC;

    /**
     * The sanitised ID values Linux shows EL0, derived from {@link CpuFeatures} (the
     * one list of what a64emu implements). DFR0 shows DebugVer=6, the hidden field's
     * safe value. Linux reports MPIDR_EL1 as SYS_MPIDR_SAFE_VAL (bit 31 only) and
     * REVIDR_EL1 as 0.
     */
    public static final long ID_AA64PFR0_VALUE = CpuFeatures.idAa64Pfr0();
    public static final long ID_AA64DFR0_VALUE = 0x0000_0000_0000_0006L;
    public static final long ID_AA64ISAR0_VALUE = CpuFeatures.idAa64Isar0();
    public static final long ID_AA64ISAR1_VALUE = CpuFeatures.idAa64Isar1();
    public static final long MPIDR_VALUE = 0x8000_0000L;

    private static final int RT_MASK = 31;

    // ---- MRS / MSR ------------------------------------------------------------------------------------

    public static void mrs(Cpu cpu, int word) {
        int sysreg = (word >>> 5) & 0xFFFF;
        cpu.setX(word & RT_MASK, read(cpu, sysreg));
        cpu.pc += 4;
    }

    /** The value MRS returns at EL0, or UNDEFINED. */
    public static long read(Cpu cpu, int sysreg) {
        if (sysreg == NZCV) {
            return cpu.nzcv & 0xF000_0000L;
        } else if (sysreg == FPCR) {
            return cpu.fpcr;
        } else if (sysreg == FPSR) {
            return cpu.fpsr;
        } else if (sysreg == TPIDR_EL0) {
            return cpu.tpidrEl0;
        } else if (sysreg == TPIDRRO_EL0) {
            return cpu.tpidrroEl0;
        } else if (sysreg == CTR_EL0) {
            return cpu.ids().ctr();
        } else if (sysreg == DCZID_EL0) {
            return cpu.ids().dczid();
        } else if (sysreg == CNTFRQ_EL0) {
            return cpu.ids().cntfrq();
        } else if (sysreg == CNTVCT_EL0 || sysreg == CNTVCTSS_EL0) {
            return VirtualCounter.read(cpu.ids().cntfrq());
        }
        return readIdRegister(cpu, sysreg);
    }

    /** Linux's emulate_sys_reg: the ID space op0=3, op1=0, CRn=0, CRm=0 or 2..7. */
    private static long readIdRegister(Cpu cpu, int sysreg) {
        if ((sysreg & ~0x7F) != key(3, 0, 0, 0, 0)) {
            throw GuestException.undefined();
        }
        int crm = (sysreg >>> 3) & 0xF;
        if (crm == 0) {
            if (sysreg == MIDR_EL1) {
                return cpu.ids().midr();
            } else if (sysreg == MPIDR_EL1) {
                return MPIDR_VALUE;
            } else if (sysreg == REVIDR_EL1) {
                return 0;
            }
            throw GuestException.undefined();
        }
        if (crm == 1) {
            throw GuestException.undefined();
        }
        if (sysreg == ID_AA64PFR0_EL1) {
            return ID_AA64PFR0_VALUE;
        } else if (sysreg == ID_AA64DFR0_EL1) {
            return ID_AA64DFR0_VALUE;
        } else if (sysreg == ID_AA64ISAR0_EL1) {
            return ID_AA64ISAR0_VALUE;
        } else if (sysreg == ID_AA64ISAR1_EL1) {
            return ID_AA64ISAR1_VALUE;
        }
        // Untracked ID registers are reserved or IMPLEMENTATION DEFINED: RAZ (Linux).
        return 0;
    }

    public static void msr(Cpu cpu, int word) {
        int sysreg = (word >>> 5) & 0xFFFF;
        long value = cpu.x[word & RT_MASK];
        if (sysreg == NZCV) {
            cpu.nzcv = (int) value & 0xF000_0000;
        } else if (sysreg == FPCR) {
            cpu.fpcr = value & FPCR_WRITABLE;
        } else if (sysreg == FPSR) {
            cpu.fpsr = value & FPSR_WRITABLE;
        } else if (sysreg == TPIDR_EL0) {
            cpu.tpidrEl0 = value;
        } else {
            throw GuestException.undefined();
        }
        cpu.pc += 4;
    }

    // ---- Cache maintenance ----------------------------------------------------------------------------

    /** DCZID_EL0.DZP: DC ZVA prohibited. */
    private static final long DCZID_DZP = 1 << 4;

    /**
     * DC ZVA: zeroes the naturally aligned block of 4 &lt;&lt; DCZID_EL0.BS bytes containing Xt.
     * It is a store for translation and faults (ARM ARM C5.3.19); the block lies in one
     * page, so the first write translates and faults before any byte changes.
     */
    public static void dcZva(Cpu cpu, int word) {
        long dczid = cpu.ids().dczid();
        if ((dczid & DCZID_DZP) != 0) {
            throw GuestException.undefined();
        }
        int blockBytes = 4 << (dczid & 0xF);
        long base = cpu.x[word & RT_MASK] & -(long) blockBytes;
        for (int off = 0; off < blockBytes; off += 8) {
            cpu.write64(base + off, 0);
        }
        cpu.pc += 4;
    }

    /**
     * DC CVAC/CVAU/CVAP/CVADP/CIVAC and IC IVAU: a64emu has no caches to maintain, but the
     * address is still translated: an unmapped address faults like a read with ESR.CM=1
     * and WnR=1 (ARM ARM D17.2.37 ISS encoding for a Data Abort).
     */
    public static void cacheMaintenance(Cpu cpu, int word) {
        long va = cpu.x[word & RT_MASK];
        try {
            cpu.mmu.translate(va, AccessType.READ);
        } catch (GuestException e) {
            if (e.fault == null) {
                throw e;
            }
            Fault f = e.fault;
            Fault cm = new Fault(f.kind(), f.level(), f.va(), f.access(), f.el(), f.s1ptw(), true);
            throw new GuestException(cm.ec(), cm.iss(), e.far, cm);
        }
        cpu.pc += 4;
    }

    /**
     * CNTVCT_EL0: a monotonic count at CNTFRQ_EL0 Hz derived from the host's
     * {@link System#nanoTime}, starting near zero when a64emu starts.
     */
    static final class VirtualCounter {
        private VirtualCounter() {}

        private static final long EPOCH_NANOS = System.nanoTime();
        private static final long NANOS_PER_SECOND = 1_000_000_000L;

        static long read(long frequency) {
            long elapsed = System.nanoTime() - EPOCH_NANOS;
            // Split the product so that it cannot overflow for centuries of run time.
            long seconds = elapsed / NANOS_PER_SECOND;
            long nanos = elapsed % NANOS_PER_SECOND;
            return seconds * frequency + nanos * frequency / NANOS_PER_SECOND;
        }
    }
}
