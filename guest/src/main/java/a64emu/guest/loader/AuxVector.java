package a64emu.guest.loader;

/** Auxiliary vector entry types (Linux {@code include/uapi/linux/auxvec.h}, arm64 {@code asm/auxvec.h}). */
public final class AuxVector {
    private AuxVector() {}

    public static final int AT_NULL = 0;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    public static final int AT_SECURE = 23;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_EXECFN = 31;
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_MINSIGSTKSZ = 51;

    /** arm64 HWCAP bits (asm/hwcap.h). */
    public static final long HWCAP_FP = 1L << 0;
    public static final long HWCAP_ASIMD = 1L << 1;
    /** EL0 may read the ID registers (MRS MIDR_EL1 ...): Linux emulates those reads. */
    public static final long HWCAP_CPUID = 1L << 11;

    /** What a64emu's CPU offers, from the one feature list that also sets its ID registers. */
    public static final long HWCAP = a64emu.cpu.CpuFeatures.hwcap();
    /** AT_HWCAP2 bits (DCPODP, FLAGM2, FRINT, ...), from the same list. */
    public static final long HWCAP2 = a64emu.cpu.CpuFeatures.hwcap2();
    /** arm64 MINSIGSTKSZ as Linux reports it in AT_MINSIGSTKSZ (signal frame size). */
    public static final long MINSIGSTKSZ = 5120;
    /** USER_HZ. */
    public static final long CLOCK_TICKS = 100;
    /** ELF_PLATFORM on arm64. */
    public static final String PLATFORM = "aarch64";
}
