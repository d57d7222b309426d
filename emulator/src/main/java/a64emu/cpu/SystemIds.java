package a64emu.cpu;

/**
 * Identification and timer registers that EL0 can read: the values a64emu reports
 * for its CPU model.
 *
 * @param midr     MIDR_EL1 as Linux's EL0 emulation returns it (HWCAP_CPUID)
 * @param ctr      CTR_EL0: cache line sizes for IC/DC maintenance
 * @param dczid    DCZID_EL0: DC ZVA block size (log2 words in bits 3:0), DZP in bit 4
 * @param cntfrq   CNTFRQ_EL0: generic timer frequency in Hz
 */
public record SystemIds(long midr, long ctr, long dczid, long cntfrq) {
    /**
     * A Cortex-A53-like core: 64-byte cache lines (CTR_EL0 as on the A53), DC ZVA
     * zeroes 64 bytes (DCZID_EL0.BS = 4), a 62.5 MHz timer as QEMU reports.
     */
    public static final SystemIds DEFAULT = new SystemIds(0x410F_D034L, 0x8444_C004L, 0x4L, 62_500_000L);
}
