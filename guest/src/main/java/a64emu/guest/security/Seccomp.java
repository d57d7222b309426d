package a64emu.guest.security;

import a64emu.guest.security.Bpf.Insn;

/**
 * A thread's seccomp state (Linux {@code struct seccomp}, {@code kernel/seccomp.c}): its mode
 * and its chain of filters. A new thread or process copies its creator's, execve keeps it,
 * SECCOMP_FILTER_FLAG_TSYNC gives the caller's to the other threads, and it never loosens.
 */
public final class Seccomp {
    /** The modes, as PR_GET_SECCOMP and /proc/PID/status report them. */
    public static final int MODE_DISABLED = 0;
    public static final int MODE_STRICT = 1;
    public static final int MODE_FILTER = 2;

    /** The filter return values: the action in the top 16 bits (signed order), data below. */
    public static final int RET_KILL_PROCESS = 0x8000_0000;
    public static final int RET_KILL_THREAD = 0x0000_0000;
    public static final int RET_TRAP = 0x0003_0000;
    public static final int RET_ERRNO = 0x0005_0000;
    public static final int RET_USER_NOTIF = 0x7FC0_0000;
    public static final int RET_TRACE = 0x7FF0_0000;
    public static final int RET_LOG = 0x7FFC_0000;
    public static final int RET_ALLOW = 0x7FFF_0000;
    public static final int RET_ACTION_FULL = 0xFFFF_0000;
    public static final int RET_DATA = 0x0000_FFFF;

    /** MAX_INSNS_PER_PATH: the longest chain of filters, 4 instructions charged per filter. */
    static final int MAX_INSNS_PER_PATH = (1 << 18) / Bpf.INSN_SIZE;

    /** SECCOMP_SET_MODE_STRICT's allowed calls on arm64: read, write, exit, rt_sigreturn. */
    private static final int[] STRICT_ALLOWED = {63, 64, 93, 139};

    private int mode = MODE_DISABLED;
    private SeccompFilter filters;
    private int filterCount;

    /** PR_GET_SECCOMP: 0, 1 strict or 2 filter. */
    public int mode() {
        return mode;
    }

    /** The filters installed, as /proc/PID/status's Seccomp_filters counts them. */
    public int filterCount() {
        return filterCount;
    }

    /** What a fork child or an exec image starts with: the same mode and (shared, immutable) filters. */
    public Seccomp copy() {
        Seccomp c = new Seccomp();
        c.mode = mode;
        c.filters = filters;
        c.filterCount = filterCount;
        return c;
    }

    /** seccomp_may_assign_mode: a process in one mode cannot move to the other. */
    public boolean mayAssign(int newMode) {
        return mode == MODE_DISABLED || mode == newMode;
    }

    /** seccomp_set_mode_strict, after {@link #mayAssign}. */
    public void setStrict() {
        mode = MODE_STRICT;
    }

    /**
     * seccomp_attach_filter: the checked program joins the chain, unless the chain would pass
     * MAX_INSNS_PER_PATH instructions (false: ENOMEM).
     */
    public boolean attach(Insn[] checked, boolean log) {
        if (!fits(checked)) {
            return false;
        }
        filters = new SeccompFilter(checked, filters, log);
        filterCount++;
        mode = MODE_FILTER;
        return true;
    }

    /** Whether {@code checked} can join the chain within MAX_INSNS_PER_PATH (else ENOMEM). */
    public boolean fits(Insn[] checked) {
        return new SeccompFilter(checked, filters, false).pathLength() - 4 <= MAX_INSNS_PER_PATH;
    }

    /**
     * seccomp_can_sync_threads for this (another) thread: it has no filter, or its chain is
     * one the caller's chain extends.
     */
    public boolean canSyncTo(Seccomp caller) {
        if (mode == MODE_DISABLED) {
            return true;
        }
        if (mode != MODE_FILTER) {
            return false;
        }
        for (SeccompFilter f = caller.filters; f != null; f = f.prev) {
            if (f == filters) {
                return true;
            }
        }
        return false;
    }

    /** seccomp_sync_threads for this thread: the caller's chain and filter mode. */
    public void syncFrom(Seccomp caller) {
        filters = caller.filters;
        filterCount = caller.filterCount;
        mode = MODE_FILTER;
    }

    /** What the filters decide about one call, and whether the deciding filter asked for logging. */
    public record Verdict(int ret, boolean log) {
        public int action() {
            return ret & RET_ACTION_FULL;
        }

        public int data() {
            return ret & RET_DATA;
        }
    }

    private static final Verdict ALLOW = new Verdict(RET_ALLOW, false);
    private static final Verdict STRICT_KILL = new Verdict(RET_KILL_THREAD, false);

    /**
     * The verdict for system call {@code nr} (seccomp_run_filters): every filter runs, newest
     * first, and the lowest action (compared as signed, so KILL_PROCESS is lowest) wins, the
     * first filter to return it supplying the data. Strict mode allows its four calls and
     * kills the thread for any other.
     */
    public Verdict check(int nr, long pc, long[] args) {
        if (mode == MODE_STRICT) {
            for (int allowed : STRICT_ALLOWED) {
                if (nr == allowed) {
                    return ALLOW;
                }
            }
            return STRICT_KILL;
        }
        if (filters == null) {
            return ALLOW;
        }
        int[] data = SeccompFilter.data(nr, SeccompFilter.AUDIT_ARCH_AARCH64, pc, args);
        int ret = RET_ALLOW;
        boolean log = false;
        for (SeccompFilter f = filters; f != null; f = f.prev) {
            int cur = Bpf.run(f.program, data);
            if ((cur & RET_ACTION_FULL) < (ret & RET_ACTION_FULL)) {
                ret = cur;
                log = f.log;
            }
        }
        return new Verdict(ret, log);
    }

    /** SECCOMP_GET_ACTION_AVAIL: the actions this kernel knows. */
    public static boolean actionAvailable(int action) {
        return switch (action) {
            case RET_KILL_PROCESS, RET_KILL_THREAD, RET_TRAP, RET_ERRNO, RET_USER_NOTIF, RET_TRACE, RET_LOG,
                    RET_ALLOW -> true;
            default -> false;
        };
    }
}
