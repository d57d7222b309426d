package a64emu.mmu;

/**
 * TCR_EL1 fields (ARM ARM D17.2.131, Linux asm/pgtable-hwdef.h {@code TCR_*}). Each
 * translation-controlling field is read here and nowhere else; {@code upper} selects the
 * TTBR1 half (VA[55]=1) of a paired field.
 */
public final class Tcr {
    private Tcr() {}

    public static final int T0SZ_SHIFT = 0;
    public static final int T1SZ_SHIFT = 16;
    public static final long TXSZ_FIELD = 0x3F;
    /** EPD0/EPD1: a TLB miss in that half is a Translation fault instead of a walk. */
    public static final long EPD0 = 1L << 7;
    public static final long EPD1 = 1L << 23;
    public static final int TG0_SHIFT = 14;
    public static final int TG1_SHIFT = 30;
    /** TG0 and TG1 encode the 4 KiB granule differently: TG0=00, TG1=10. */
    public static final long TG0_4K = 0b00;
    public static final long TG1_4K = 0b10;
    /** A1: the ASID comes from TTBR1 (Linux sets it) rather than TTBR0. */
    public static final long A1 = 1L << 22;
    public static final int IPS_SHIFT = 32;
    /** AS: 16-bit ASIDs; 0 means 8-bit (TTBR[55:48], upper byte ignored). */
    public static final long AS = 1L << 36;
    /** TBI0/TBI1: the top byte [63:56] is ignored for translation. */
    public static final long TBI0 = 1L << 37;
    public static final long TBI1 = 1L << 38;
    /** HA: hardware sets AF instead of taking an Access flag fault (FEAT_HAFDBS). */
    public static final long HA = 1L << 39;
    /** HD: with DBM=1, a write clears AP[2] instead of taking a Permission fault. */
    public static final long HD = 1L << 40;
    /** HPD0/HPD1 (FEAT_HPDS): hierarchical APTable/UXNTable/PXNTable are ignored. */
    public static final long HPD0 = 1L << 41;
    public static final long HPD1 = 1L << 42;

    /** IPS encodings to PA bits: 000 32, 001 36, 010 40, 011 42, 100 44, 101 48, 110 52. */
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52};

    /** The raw TxSZ field. */
    public static int txszField(long tcr, boolean upper) {
        return (int) ((tcr >>> (upper ? T1SZ_SHIFT : T0SZ_SHIFT)) & TXSZ_FIELD);
    }

    /**
     * Effective TxSZ: out-of-range values behave as the nearest limit (one of the two
     * IMPLEMENTATION DEFINED choices the ARM ARM allows; the other is a level 0
     * Translation fault, which QEMU takes).
     */
    public static int txsz(long tcr, boolean upper) {
        int v = txszField(tcr, upper);
        return Math.max(Descriptor.MIN_TXSZ, Math.min(Descriptor.MAX_TXSZ, v));
    }

    /** 64 - TxSZ: bits of VA the half translates. */
    public static int inputSize(long tcr, boolean upper) {
        return Descriptor.inputSize(txsz(tcr, upper));
    }

    public static boolean epd(long tcr, boolean upper) {
        return (tcr & (upper ? EPD1 : EPD0)) != 0;
    }

    /** The raw TG0 or TG1 field. */
    public static int tg(long tcr, boolean upper) {
        return (int) (tcr >>> (upper ? TG1_SHIFT : TG0_SHIFT)) & 3;
    }

    public static boolean is4kGranule(long tcr, boolean upper) {
        return tg(tcr, upper) == (upper ? TG1_4K : TG0_4K);
    }

    /**
     * The granule TGx names: TG0 00 4K, 01 64K, 10 16K (11 reserved); TG1 01 16K, 10 4K,
     * 11 64K (00 reserved).
     */
    public static String granuleName(long tcr, boolean upper) {
        int tg = tg(tcr, upper);
        return upper
                ? switch (tg) { case 1 -> "16 KiB"; case 2 -> "4 KiB"; case 3 -> "64 KiB"; default -> "reserved"; }
                : switch (tg) { case 0 -> "4 KiB"; case 1 -> "64 KiB"; case 2 -> "16 KiB"; default -> "reserved"; };
    }

    public static boolean tbi(long tcr, boolean upper) {
        return (tcr & (upper ? TBI1 : TBI0)) != 0;
    }

    public static boolean hpd(long tcr, boolean upper) {
        return (tcr & (upper ? HPD1 : HPD0)) != 0;
    }

    public static boolean asidFromTtbr1(long tcr) {
        return (tcr & A1) != 0;
    }

    public static boolean asid16(long tcr) {
        return (tcr & AS) != 0;
    }

    public static boolean hardwareAccessFlag(long tcr) {
        return (tcr & HA) != 0;
    }

    /** HD takes effect only together with HA (QEMU aa64_va_parameters computes hd = ha && hd). */
    public static boolean hardwareDirty(long tcr) {
        return (tcr & (HD | HA)) == (HD | HA);
    }

    /**
     * Output (intermediate physical) address size in bits: TCR.IPS bounded by the CPU's
     * PARange ({@code paRangeBits}); reserved encodings behave as PARange (as QEMU bounds PS by PARange).
     */
    public static int outputSize(long tcr, int paRangeBits) {
        int ips = (int) ((tcr >>> IPS_SHIFT) & 7);
        int bits = ips < IPS_BITS.length ? IPS_BITS[ips] : paRangeBits;
        return Math.min(bits, paRangeBits);
    }

    /** IPS field value for a PA size in bits (for building TCR values). */
    public static long ips(int paBits) {
        for (int i = 0; i < IPS_BITS.length; i++) {
            if (IPS_BITS[i] == paBits) {
                return (long) i << IPS_SHIFT;
            }
        }
        throw new IllegalArgumentException("no IPS encoding for " + paBits + "-bit PA");
    }

    /** T0SZ field value for a VA size in bits. */
    public static long t0sz(int vaBits) {
        return (64L - vaBits) << T0SZ_SHIFT;
    }

    /** T1SZ field value for a VA size in bits. */
    public static long t1sz(int vaBits) {
        return (64L - vaBits) << T1SZ_SHIFT;
    }

    /**
     * The translation-relevant fields in words, e.g.
     * {@code T0SZ=16 (48-bit) T1SZ=16 (48-bit) TG0=4K TG1=4K IPS=48-bit ASID=16-bit A1 TBI0 EPD1}.
     */
    public static String describe(long tcr) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("T0SZ=%d (%d-bit) T1SZ=%d (%d-bit) TG0=%s TG1=%s IPS=%d-bit ASID=%d-bit",
                txszField(tcr, false), inputSize(tcr, false), txszField(tcr, true), inputSize(tcr, true),
                is4kGranule(tcr, false) ? "4K" : "other", is4kGranule(tcr, true) ? "4K" : "other",
                outputSize(tcr, 52), asid16(tcr) ? 16 : 8));
        if ((tcr & A1) != 0) sb.append(" A1");
        if ((tcr & EPD0) != 0) sb.append(" EPD0");
        if ((tcr & EPD1) != 0) sb.append(" EPD1");
        if ((tcr & TBI0) != 0) sb.append(" TBI0");
        if ((tcr & TBI1) != 0) sb.append(" TBI1");
        if ((tcr & HA) != 0) sb.append(" HA");
        if ((tcr & HD) != 0) sb.append(" HD");
        if ((tcr & HPD0) != 0) sb.append(" HPD0");
        if ((tcr & HPD1) != 0) sb.append(" HPD1");
        return sb.toString();
    }

    /** TG1 field for the 4 KiB granule (TG0's 4 KiB encoding is zero). */
    public static final long TG1_4K_FIELD = TG1_4K << TG1_SHIFT;
}
