package a64emu.mmu;

/**
 * TCR_EL1 selects a translation granule a64emu does not implement. The emulated CPU has
 * the 4 KiB granule only (as ID_AA64MMFR0_EL1 would say: TGran4=0b0000, TGran16=0b0000,
 * TGran64=0b1111). The ARM ARM lets hardware treat an unimplemented TGx value as an
 * IMPLEMENTATION DEFINED implemented size; a64emu refuses the register write instead,
 * because silently walking 16 KiB or 64 KiB tables as 4 KiB ones would hide the very
 * encoding mistake a user is looking for. {@link Mmu#setTcr} throws it.
 */
public final class UnsupportedGranuleException extends IllegalArgumentException {
    public UnsupportedGranuleException(long tcr, boolean upper) {
        super(String.format("TCR_EL1=0x%x: %s=0b%s selects the %s granule for %s; a64emu implements "
                        + "the 4 KiB granule only (%s=0b%s)",
                tcr, upper ? "TG1" : "TG0", Long.toBinaryString(Tcr.tg(tcr, upper) | 4).substring(1),
                Tcr.granuleName(tcr, upper), upper ? "TTBR1_EL1" : "TTBR0_EL1",
                upper ? "TG1" : "TG0", upper ? "10" : "00"));
    }
}
