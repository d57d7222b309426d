package a64emu.guest.mm;

import a64emu.mmu.Mmu;
import a64emu.mmu.Tcr;

/**
 * How the guest kernel programs the EL1&0 translation regime, as Linux's
 * {@code arch/arm64/mm/proc.S} ({@code __cpu_setup}) and {@code cpu_do_switch_mm} do.
 *
 * <p>Choice of ASID source: TCR.A1=1, the ASID in TTBR1_EL1, as Linux. There is no kernel
 * half mapped (the guest kernel is Java), so TTBR1 holds only the ASID and TCR.EPD1=1
 * makes every TTBR1 address a Translation fault without a walk. TTBR0 holds the user
 * tables' base. By default the access flag is managed in software (HA=0): new entries get
 * AF=1, and an entry with AF=0 (made old by reclaim's aging, or by fork) takes an Access
 * flag fault that the fault handler resolves. With hardware AF management (HA=1, FEAT_HAFDBS,
 * as Linux enables it on cores that have it) the walker sets AF itself and no fault is taken.
 */
public final class TranslationRegime {
    private TranslationRegime() {}

    // TCR_EL1 walk cacheability and shareability (ARM ARM D17.2.131); the walker ignores
    // them, they are set as Linux's TCR_CACHE_FLAGS and TCR_SMP_FLAGS for a faithful value.
    private static final long TCR_IRGN0_WBWA = 1L << 8;
    private static final long TCR_ORGN0_WBWA = 1L << 10;
    private static final long TCR_SH0_INNER = 3L << 12;
    private static final long TCR_IRGN1_WBWA = 1L << 24;
    private static final long TCR_ORGN1_WBWA = 1L << 26;
    private static final long TCR_SH1_INNER = 3L << 28;

    // SCTLR_EL1 bits Linux sets in INIT_SCTLR_EL1_MMU_ON (ARM ARM D17.2.118); M and WXN are
    // named by the MMU, the others concern the CPU.
    /** C: data accesses cacheable. */
    public static final long SCTLR_C = 1L << 2;
    /** SA: SP alignment check at EL1. */
    public static final long SCTLR_SA = 1L << 3;
    /** SA0: SP alignment check at EL0; a misaligned SP-based access is an SP alignment fault (EC 0x26). */
    public static final long SCTLR_SA0 = 1L << 4;
    /** I: instruction fetches cacheable. */
    public static final long SCTLR_I = 1L << 12;
    /** DZE: EL0 may execute DC ZVA. */
    public static final long SCTLR_DZE = 1L << 14;
    /** UCT: EL0 may read CTR_EL0. */
    public static final long SCTLR_UCT = 1L << 15;
    /** nTWI: EL0 WFI is not trapped. */
    public static final long SCTLR_NTWI = 1L << 16;
    /** nTWE: EL0 WFE is not trapped. */
    public static final long SCTLR_NTWE = 1L << 18;
    /** UCI: EL0 may execute DC CVAU, DC CIVAC, DC CVAC and IC IVAU. */
    public static final long SCTLR_UCI = 1L << 26;

    /**
     * MAIR_EL1 as current Linux sets it: Attr0 Normal WB (MT_NORMAL), Attr1 Normal WB
     * (MT_NORMAL_TAGGED without MTE), Attr2 Normal-NC, Attr3 Device-nGnRnE, Attr4 Device-nGnRE.
     */
    public static final long MAIR = 0x0000_0004_0044_FFFFL;

    /** The user-space SCTLR_EL1: translation on, caches on, EL0 alignment/cache rights as Linux. */
    public static final long SCTLR = Mmu.SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | SCTLR_DZE
            | SCTLR_UCT | SCTLR_NTWI | SCTLR_NTWE | SCTLR_UCI;

    /** TCR_EL1 for a {@code vaBits} user space (and the same size for the unused TTBR1 half). */
    public static long tcr(int vaBits) {
        return Tcr.t0sz(vaBits) | Tcr.t1sz(vaBits)
                | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER
                | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER
                | (Tcr.TG0_4K << Tcr.TG0_SHIFT) | Tcr.TG1_4K_FIELD
                | Tcr.ips(Mmu.PA_RANGE_BITS)
                | Tcr.AS | Tcr.A1 | Tcr.TBI0 | Tcr.EPD1;
    }

    /** TTBR1_EL1: no table (EPD1=1), the ASID in [63:48] (TCR.A1=1). */
    public static long ttbr1(int asid) {
        return (long) (asid & 0xFFFF) << Mmu.TTBR_ASID_SHIFT;
    }

    /** Programs the MMU for the address space whose tables are {@code pt}, software AF management. */
    public static void install(Mmu mmu, PageTables pt) {
        install(mmu, pt, false);
    }

    /**
     * Programs the MMU for the address space whose tables are {@code pt}; with
     * {@code hardwareAccessFlag} TCR.HA is set, as Linux's {@code __cpu_setup} does when
     * the core has FEAT_HAFDBS.
     */
    public static void install(Mmu mmu, PageTables pt, boolean hardwareAccessFlag) {
        mmu.setMair(MAIR);
        mmu.setTcr(tcr(pt.vaBits()) | (hardwareAccessFlag ? Tcr.HA : 0));
        mmu.setTtbr1(ttbr1(pt.asid()));
        mmu.setTtbr0(pt.ttbr0());
        mmu.setSctlr(SCTLR);
    }
}
