package a64emu.guest.mm;

import java.util.random.RandomGenerator;

/**
 * Where things go in a user address space: Linux's arm64 layout
 * ({@code arch/arm64/include/asm/processor.h}, {@code asm/elf.h}) with the generic
 * top-down mmap layout and its randomisation ({@code mm/util.c}: {@code mmap_base},
 * {@code arch_mmap_rnd}, {@code arch_randomize_brk}; {@code fs/binfmt_elf.c}:
 * {@code randomize_stack_top}).
 *
 * <p>The layout depends on the RLIMIT_STACK the exec runs with ({@code bprm->rlim_stack}):
 * the gap left above mmap_base for the stack is that limit (clamped), and RLIM_INFINITY (or
 * the personality flag ADDR_COMPAT_LAYOUT) selects the legacy bottom-up layout, where
 * mappings go upward from TASK_UNMAPPED_BASE ({@code mmap_is_legacy}).
 *
 * <p>Every random draw is made once, when the layout is created for an exec, from the
 * generator the caller passes (the kernel's one PRNG, seeded by {@code --seed}); with no
 * generator ({@code --no-aslr}, Linux's personality ADDR_NO_RANDOMIZE / {@code setarch -R})
 * every draw is zero and the layout is the fixed one.
 *
 * <p>mmap_rnd_bits is the largest arm64 allows (24 for a 39-bit VA, 33 for 48-bit), as
 * Android's init sets it; distribution kernels default to 18.
 *
 * @param vaBits       user VA size: 39 or 48
 * @param taskSize     TASK_SIZE = 2^vaBits: the first address user space cannot use
 * @param stackTop     STACK_TOP (= TASK_SIZE) minus the stack's random offset, page aligned
 * @param mmapBase     the top of the top-down mmap area
 * @param elfEtDynBase ELF_ET_DYN_BASE (2/3 of TASK_SIZE) plus arch_mmap_rnd: where an ET_DYN
 *                     (static-pie) program is loaded
 * @param brkOffset    what arch_randomize_brk adds to the end of .bss: a page-aligned value
 *                     below 1 GiB ({@code randomize_page(brk, SZ_1G)})
 * @param randomized   whether the draws were made (false: --no-aslr)
 * @param legacy       the legacy layout: mappings are placed bottom-up from mmapBase
 *                     (TASK_UNMAPPED_BASE plus arch_mmap_rnd) instead of top-down below it
 * @param stackLimit   RLIMIT_STACK at the exec, in bytes, unsigned (RLIM_INFINITY is -1): what
 *                     setup_arg_pages lets the initial stack area reach
 */
public record VmLayout(int vaBits, long taskSize, long stackTop, long mmapBase, long elfEtDynBase,
                       long brkOffset, boolean randomized, boolean legacy, long stackLimit) {
    public static final long PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;
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
    /** RLIM_INFINITY as a Java long (Linux's ~0UL). */
    public static final long RLIM_INFINITY = -1;
    /** RLIMIT_MEMLOCK soft limit (8 MiB since Linux 5.16; what mlock may lock without CAP_IPC_LOCK). */
    public static final long RLIMIT_MEMLOCK = 8L << 20;
    /** The stack VMA Linux sets up at exec: what the arguments use plus 128 KiB (setup_arg_pages). */
    public static final long INITIAL_STACK_EXPANSION = 128L << 10;
    /** arm64 STACK_RND_MASK for 64-bit tasks: the stack top moves by up to 1 GiB in pages. */
    public static final long STACK_RND_MASK = 0x3FFFF;
    /** arch_randomize_brk's range for 64-bit tasks (SZ_1G; 32 MiB is for compat tasks). */
    public static final long BRK_RND_RANGE = 1L << 30;
    private static final long MIN_GAP = 128L << 20;

    /** The fixed layout: every random draw zero (--no-aslr). */
    public static VmLayout forVaBits(int vaBits) {
        return create(vaBits, null);
    }

    /**
     * The layout for one exec with the default RLIMIT_STACK, its random draws taken from
     * {@code rng} (null: no randomisation).
     */
    public static VmLayout create(int vaBits, RandomGenerator rng) {
        return create(vaBits, rng, RLIMIT_STACK, false);
    }

    /**
     * The layout for one exec: {@code stackLimit} is RLIMIT_STACK's soft limit (unsigned, as
     * Linux keeps it), {@code compatLayout} the personality's ADDR_COMPAT_LAYOUT.
     */
    public static VmLayout create(int vaBits, RandomGenerator rng, long stackLimit, boolean compatLayout) {
        long taskSize = 1L << vaBits;
        boolean randomize = rng != null;
        // arch_pick_mmap_layout() first (setup_new_exec), then the stack (setup_arg_pages),
        // the ET_DYN load bias and brk, in load_elf_binary's order.
        long mmapRnd = randomize ? mmapRnd(rng, vaBits) : 0;
        long stackTop = taskSize - (randomize ? (rng.nextLong() & STACK_RND_MASK) << PAGE_SHIFT : 0);
        boolean legacy = compatLayout || stackLimit == RLIM_INFINITY;
        long mmapBase;
        if (legacy) {
            mmapBase = pageAlign(taskSize / 4) + mmapRnd;
        } else {
            // mmap_base(): gap = RLIMIT_STACK + stack_guard_gap (+ the stack's largest random
            // offset when randomising), clamped to [128 MiB, 5/6 of STACK_TOP]; STACK_TOP here
            // is the unrandomised TASK_SIZE, as in Linux. A limit so large that adding the pad
            // overflows is left as it is (then clamped).
            long pad = STACK_GUARD_GAP + (randomize ? STACK_RND_MASK << PAGE_SHIFT : 0);
            long gap = Long.compareUnsigned(stackLimit + pad, stackLimit) > 0 ? stackLimit + pad : stackLimit;
            long maxGap = taskSize / 6 * 5;
            gap = Long.compareUnsigned(gap, MIN_GAP) < 0 ? MIN_GAP : Long.compareUnsigned(gap, maxGap) > 0 ? maxGap : gap;
            mmapBase = pageAlign(taskSize - gap - mmapRnd);
        }
        long dynBase = ((taskSize / 3 * 2) & PAGE_MASK) + (randomize ? mmapRnd(rng, vaBits) : 0);
        long brkOffset = randomize ? Math.floorMod(rng.nextLong(), BRK_RND_RANGE >> PAGE_SHIFT) << PAGE_SHIFT : 0;
        return new VmLayout(vaBits, taskSize, stackTop, mmapBase, dynBase, brkOffset, randomize, legacy, stackLimit);
    }

    /** mmap_rnd_bits: the arm64 maximum (ARCH_MMAP_RND_BITS_MAX = VA_BITS - PAGE_SHIFT - 3). */
    public static int mmapRndBits(int vaBits) {
        return vaBits - PAGE_SHIFT - 3;
    }

    /** arch_mmap_rnd(): a random page-aligned offset below 2^(mmap_rnd_bits + PAGE_SHIFT). */
    private static long mmapRnd(RandomGenerator rng, int vaBits) {
        return (rng.nextLong() & ((1L << mmapRndBits(vaBits)) - 1)) << PAGE_SHIFT;
    }

    /** TASK_UNMAPPED_BASE: where bottom-up searches start (a quarter of the VA space). */
    public long unmappedBase() {
        return pageAlign(taskSize / 4);
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
