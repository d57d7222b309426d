package a64emu.guest;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * kcmp's order of kernel objects (Linux {@code kernel/kcmp.c} kcmp_ptr): two objects compare
 * 0 when they are the same, else 1 or 2 by an order that tells nothing of where they are.
 * Linux orders them by their addresses scrambled with per-boot random cookies, one pair per
 * kind; here each object gets a number the first time it is compared, scrambled with a
 * cookie per kind from the kernel's seed, so the order is consistent for one run.
 */
public final class Kcmp {
    public static final int KCMP_FILE = 0;
    public static final int KCMP_VM = 1;
    public static final int KCMP_FILES = 2;
    public static final int KCMP_FS = 3;
    public static final int KCMP_SIGHAND = 4;
    public static final int KCMP_IO = 5;
    public static final int KCMP_SYSVSEM = 6;
    public static final int KCMP_EPOLL_TFD = 7;
    public static final int KCMP_TYPES = 8;

    private final Map<Object, Long> numbers = new WeakHashMap<>();
    private final long[][] cookies = new long[KCMP_TYPES][2];
    private long next = 1;

    public Kcmp(java.util.SplittableRandom random) {
        for (long[] c : cookies) {
            c[0] = random.nextLong();
            c[1] = random.nextLong() | 1; // odd, so the product keeps distinct numbers distinct
        }
    }

    /** kcmp_ptr: 0 if {@code a} and {@code b} are the same object (both null too), else 1 or 2. */
    public synchronized int compare(Object a, Object b, int type) {
        if (a == b) {
            return 0;
        }
        long t1 = scrambled(a, type);
        long t2 = scrambled(b, type);
        return Long.compareUnsigned(t1, t2) < 0 ? 1 : 2;
    }

    private long scrambled(Object o, int type) {
        long n = o == null ? 0 : numbers.computeIfAbsent(o, k -> next++);
        return (n ^ cookies[type][0]) * cookies[type][1];
    }
}
