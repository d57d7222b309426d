package a64emu.guest.mm;

/**
 * Where things go in a user address space (Linux {@code arch/arm64/include/asm/processor.h},
 * {@code mm/util.c}). No randomisation yet (issue 5): every run gets the same layout, the
 * one Linux gives with every random draw zero.
 *
 * @param vaBits      user VA size: 39 or 48
 * @param taskSize    TASK_SIZE = 2^vaBits: the first address user space cannot use
 * @param stackTop    STACK_TOP = TASK_SIZE (minus the random offset, here 0)
 * @param mmapBase    the top of the top-down mmap area
 * @param elfEtDynBase ELF_ET_DYN_BASE: where an ET_DYN (static-pie) program is loaded
 */
public record VmLayout(int vaBits, long taskSize, long stackTop, long mmapBase, long elfEtDynBase) {
    public static final long PAGE_SIZE = 4096;
    public static final long PAGE_MASK = ~(PAGE_SIZE - 1);
    /**
     * vm.mmap_min_addr: nothing may be mapped below it (Debian's and most distributions'
     * setting, 64 KiB), so that NULL-pointer dereferences always fault.
     */
    public static final long MMAP_MIN_ADDR = 0x10000;
    /** stack_guard_gap: 256 pages kept free below a stack (mm/mmap.c). */
    public static final long STACK_GUARD_GAP = 256 * PAGE_SIZE;
    /** RLIMIT_STACK soft limit (8 MiB, the usual ulimit -s). */
    public static final long RLIMIT_STACK = 8L << 20;
    /** The stack VMA Linux sets up at exec: what the arguments use plus 128 KiB (setup_arg_pages). */
    public static final long INITIAL_STACK_EXPANSION = 128L << 10;
    private static final long MIN_GAP = 128L << 20;

    public static VmLayout forVaBits(int vaBits) {
        long taskSize = 1L << vaBits;
        long stackTop = taskSize;
        // mmap_base(): gap = RLIMIT_STACK + stack_guard_gap, clamped to [128 MiB, 5/6 of STACK_TOP].
        long gap = RLIMIT_STACK + STACK_GUARD_GAP;
        long maxGap = stackTop / 6 * 5;
        gap = Math.max(MIN_GAP, Math.min(gap, maxGap));
        long mmapBase = pageAlign(stackTop - gap);
        long dynBase = (taskSize / 3 * 2) & PAGE_MASK;
        return new VmLayout(vaBits, taskSize, stackTop, mmapBase, dynBase);
    }

    public static long pageAlign(long a) {
        return (a + PAGE_SIZE - 1) & PAGE_MASK;
    }

    public static long pageDown(long a) {
        return a & PAGE_MASK;
    }

    public static boolean isPageAligned(long a) {
        return (a & (PAGE_SIZE - 1)) == 0;
    }
}
