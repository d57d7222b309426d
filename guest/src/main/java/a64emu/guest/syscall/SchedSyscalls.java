package a64emu.guest.syscall;

import static a64emu.guest.sched.SchedParams.MAX_NICE;
import static a64emu.guest.sched.SchedParams.MAX_USER_RT_PRIO;
import static a64emu.guest.sched.SchedParams.MIN_NICE;
import static a64emu.guest.sched.SchedParams.SCHED_BATCH;
import static a64emu.guest.sched.SchedParams.SCHED_DEADLINE;
import static a64emu.guest.sched.SchedParams.SCHED_FIFO;
import static a64emu.guest.sched.SchedParams.SCHED_IDLE;
import static a64emu.guest.sched.SchedParams.SCHED_OTHER;
import static a64emu.guest.sched.SchedParams.SCHED_RESET_ON_FORK;
import static a64emu.guest.sched.SchedParams.SCHED_RR;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.InitialStack.Credentials;
import a64emu.guest.sched.IoPriority;
import a64emu.guest.sched.SchedParams;
import a64emu.guest.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduling policy, priority and affinity (Linux {@code kernel/sched/core.c}, and
 * {@code kernel/sys.c} for getpriority/setpriority): what a thread asks for is checked as
 * Linux checks an unprivileged caller (CAP_SYS_NICE, RLIMIT_NICE, RLIMIT_RTPRIO, the same
 * owner) and read back; a64emu's scheduler runs every thread alike on its one CPU.
 */
final class SchedSyscalls {
    static final int PRIO_PROCESS = 0;
    static final int PRIO_PGRP = 1;
    static final int PRIO_USER = 2;
    /** cpumask_size(): the kernel's mask, rounded to longs. */
    static final int CPUMASK_SIZE = 8 * ((Scheduler.NR_CPUS + 63) / 64);
    /** RR_TIMESLICE: 100 ms in jiffies. */
    private static final long RR_TIMESLICE_JIFFIES = 100L * Scheduler.HZ / 1000;
    /**
     * A fair thread's slice when it runs alone: sysctl_sched_latency, 6 ms times
     * 1 + ilog2(CPUs) (one CPU here), in whole jiffies as sched_rr_get_interval reports it.
     */
    private static final long FAIR_SLICE_JIFFIES = 6_000_000L / Scheduler.TICK_NANOS;

    private final Process process;

    SchedSyscalls(Process process) {
        this.process = process;
    }

    private Kernel kernel() {
        return process.kernel;
    }

    /** The thread a pid names (0: the caller), or null (find_process_by_pid). */
    private Task thread(int pid) {
        if (pid == 0) {
            return process.current;
        }
        if (kernel() == null) {
            return pid == process.current.tid ? process.current : null;
        }
        return kernel().task(pid);
    }

    private List<Task> allThreads() {
        if (kernel() == null) {
            return List.of(process.current);
        }
        List<Task> all = new ArrayList<>();
        for (Process p : kernel().processes()) {
            for (Task t : p.threads()) {
                if (t.isAlive()) {
                    all.add(t);
                }
            }
        }
        return all;
    }

    /** check_same_owner: the caller's euid is the target's uid or euid. */
    private boolean sameOwner(Task t) {
        Credentials mine = process.credentials;
        Credentials theirs = t.process.credentials;
        return mine.euid() == theirs.euid() || mine.euid() == theirs.uid();
    }

    /** can_nice: 20 - nice within RLIMIT_NICE, or CAP_SYS_NICE. */
    private boolean canNice(Task t, int nice) {
        return Long.compareUnsigned(20 - nice, t.process.limits[Process.RLIMIT_NICE][0]) <= 0
                || process.capable(Process.CAP_SYS_NICE);
    }

    /** sched_setaffinity(pid, len, mask): CPUs the machine lacks are dropped; none left is EINVAL. */
    long setaffinity(int pid, long len, long maskPtr) throws BadUserAddressException {
        long mask = 0;
        int n = (int) Math.min(len & 0xFFFF_FFFFL, CPUMASK_SIZE); // an unsigned int
        byte[] b = process.user.read(maskPtr, n);
        for (int i = 0; i < n && i < 8; i++) {
            mask |= (b[i] & 0xFFL) << (8 * i);
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        if (!sameOwner(t) && !process.capable(Process.CAP_SYS_NICE)) {
            return -Errno.EPERM;
        }
        long allowed = mask & ((1L << Scheduler.NR_CPUS) - 1);
        if (allowed == 0) {
            return -Errno.EINVAL;
        }
        t.sched.cpusAllowed = allowed;
        return 0;
    }

    /** sched_getaffinity(pid, len, mask): the size of the kernel's mask is returned. */
    long getaffinity(int pid, long len, long maskPtr) throws BadUserAddressException {
        if (len * 8 < Scheduler.NR_CPUS || (len & 7) != 0) {
            return -Errno.EINVAL;
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        byte[] b = new byte[CPUMASK_SIZE];
        for (int i = 0; i < b.length && i < 8; i++) {
            b[i] = (byte) (t.sched.cpusAllowed >>> (8 * i));
        }
        process.user.write(maskPtr, b);
        return CPUMASK_SIZE;
    }

    /** getcpu(cpu, node, cache): the one CPU and node; the cache argument is unused since 2.6.24. */
    long getcpu(long cpu, long node) throws BadUserAddressException {
        if (cpu != 0) {
            process.user.write32(cpu, 0);
        }
        if (node != 0) {
            process.user.write32(node, 0);
        }
        return 0;
    }

    long getscheduler(int pid) {
        if (pid < 0) {
            return -Errno.EINVAL;
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        return t.sched.policy | (t.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
    }

    long getparam(int pid, long param) throws BadUserAddressException {
        if (param == 0 || pid < 0) {
            return -Errno.EINVAL;
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        process.user.write32(param, t.sched.isRealTime() ? t.sched.rtPriority : 0);
        return 0;
    }

    long setscheduler(int pid, int policy, long param) throws BadUserAddressException {
        if (param == 0 || pid < 0 || policy < 0) {
            return -Errno.EINVAL;
        }
        return setscheduler(pid, policy, process.user.read32(param), false);
    }

    long setparam(int pid, long param) throws BadUserAddressException {
        if (param == 0 || pid < 0) {
            return -Errno.EINVAL;
        }
        return setscheduler(pid, -1, process.user.read32(param), true);
    }

    /** __sched_setscheduler for a caller that may lack CAP_SYS_NICE. */
    private long setscheduler(int pid, int requested, int priority, boolean keepPolicy) {
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        SchedParams s = t.sched;
        boolean resetOnFork = keepPolicy ? s.resetOnFork : (requested & SCHED_RESET_ON_FORK) != 0;
        int policy = keepPolicy ? s.policy : requested & ~SCHED_RESET_ON_FORK;
        if (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR && policy != SCHED_BATCH
                && policy != SCHED_IDLE) {
            return -Errno.EINVAL; // SCHED_DEADLINE only through sched_setattr
        }
        boolean realTime = policy == SCHED_FIFO || policy == SCHED_RR;
        if (priority < 0 || priority > MAX_USER_RT_PRIO || realTime != (priority != 0)) {
            return -Errno.EINVAL;
        }
        if (!process.capable(Process.CAP_SYS_NICE)) {
            long rtprio = t.process.limits[Process.RLIMIT_RTPRIO][0];
            if (realTime) {
                if (policy != s.policy && rtprio == 0) {
                    return -Errno.EPERM;
                }
                if (priority > s.rtPriority && Long.compareUnsigned(priority, rtprio) > 0) {
                    return -Errno.EPERM;
                }
            }
            if (s.policy == SCHED_IDLE && policy != SCHED_IDLE && !canNice(t, s.nice)) {
                return -Errno.EPERM;
            }
            if (!sameOwner(t)) {
                return -Errno.EPERM;
            }
            if (s.resetOnFork && !resetOnFork) {
                return -Errno.EPERM;
            }
        }
        s.policy = policy;
        s.rtPriority = realTime ? priority : 0;
        s.resetOnFork = resetOnFork;
        return 0;
    }

    /** sizeof(struct sched_attr): VER0 without the utilization clamps, VER1 with them. */
    static final int SCHED_ATTR_SIZE_VER0 = 48;
    static final int SCHED_ATTR_SIZE_VER1 = 56;
    static final long SCHED_FLAG_RESET_ON_FORK = 0x01;
    static final long SCHED_FLAG_KEEP_POLICY = 0x08;
    static final long SCHED_FLAG_KEEP_PARAMS = 0x10;
    static final long SCHED_FLAG_UTIL_CLAMP_MIN = 0x20;
    static final long SCHED_FLAG_UTIL_CLAMP_MAX = 0x40;
    static final long SCHED_FLAG_UTIL_CLAMP = SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX;
    static final long SCHED_FLAG_ALL = 0x7F;
    static final long SCHED_FLAG_SUGOV = 0x1000_0000;
    private static final int PAGE_SIZE = 4096;
    /** sysctl_sched_dl_period_min and _max, in nanoseconds. */
    private static final long DL_PERIOD_MIN = 100_000L;
    private static final long DL_PERIOD_MAX = 4_194_304_000L;

    /**
     * sched_setattr(pid, attr, flags) (Linux sched_copy_attr, then __sched_setscheduler): the
     * size protocol (0 means VER0; too small, above a page or nonzero bytes past the known
     * struct are E2BIG with the size the kernel knows written back), then the checks of
     * sched_setscheduler with the nice value; utilization clamps are EOPNOTSUPP, as in a kernel
     * without CONFIG_UCLAMP_TASK. SCHED_DEADLINE's
     * parameters are checked, then refused: an unprivileged process may not use it.
     */
    long setattr(int pid, long uattr, int flags) throws BadUserAddressException {
        if (uattr == 0 || pid < 0 || flags != 0) {
            return -Errno.EINVAL;
        }
        int size = process.user.read32(uattr);
        if (size == 0) {
            size = SCHED_ATTR_SIZE_VER0;
        }
        if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE) {
            process.user.write32(uattr, SCHED_ATTR_SIZE_VER1);
            return -Errno.E2BIG;
        }
        byte[] raw = process.user.read(uattr, size);
        for (int i = SCHED_ATTR_SIZE_VER1; i < size; i++) {
            if (raw[i] != 0) {
                process.user.write32(uattr, SCHED_ATTR_SIZE_VER1);
                return -Errno.E2BIG; // copy_struct_from_user: unknown fields must be zero
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SCHED_ATTR_SIZE_VER1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(raw, 0, Math.min(size, SCHED_ATTR_SIZE_VER1));
        int policy = b.getInt(4);
        long schedFlags = b.getLong(8);
        int nice = Math.max(MIN_NICE, Math.min(MAX_NICE, b.getInt(16)));
        long priority = b.getInt(20) & 0xFFFF_FFFFL;
        long runtime = b.getLong(24);
        long deadline = b.getLong(32);
        long period = b.getLong(40);
        if ((schedFlags & SCHED_FLAG_UTIL_CLAMP) != 0 && size < SCHED_ATTR_SIZE_VER1) {
            return -Errno.EINVAL;
        }
        if (policy < 0) {
            return -Errno.EINVAL;
        }
        boolean keepPolicy = (schedFlags & SCHED_FLAG_KEEP_POLICY) != 0;
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        SchedParams s = t.sched;
        boolean resetOnFork;
        if (keepPolicy) {
            resetOnFork = s.resetOnFork;
            policy = s.policy;
        } else {
            resetOnFork = (schedFlags & SCHED_FLAG_RESET_ON_FORK) != 0;
            if (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR && policy != SCHED_BATCH
                    && policy != SCHED_IDLE && policy != SCHED_DEADLINE) {
                return -Errno.EINVAL;
            }
        }
        if ((schedFlags & ~(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV)) != 0) {
            return -Errno.EINVAL;
        }
        boolean realTime = policy == SCHED_FIFO || policy == SCHED_RR;
        boolean fair = policy == SCHED_OTHER || policy == SCHED_BATCH;
        if (priority > MAX_USER_RT_PRIO) {
            return -Errno.EINVAL;
        }
        if ((policy == SCHED_DEADLINE && !validDeadline(schedFlags, runtime, deadline, period))
                || realTime != (priority != 0)) {
            return -Errno.EINVAL;
        }
        if (!process.capable(Process.CAP_SYS_NICE)) {
            if (fair && nice < s.nice && !canNice(t, nice)) {
                return -Errno.EPERM;
            }
            if (realTime) {
                long rtprio = t.process.limits[Process.RLIMIT_RTPRIO][0];
                if (policy != s.policy && rtprio == 0) {
                    return -Errno.EPERM;
                }
                if (priority > s.rtPriority && Long.compareUnsigned(priority, rtprio) > 0) {
                    return -Errno.EPERM;
                }
            }
            if (policy == SCHED_DEADLINE) {
                return -Errno.EPERM;
            }
            if (s.policy == SCHED_IDLE && policy != SCHED_IDLE && !canNice(t, s.nice)) {
                return -Errno.EPERM;
            }
            if (!sameOwner(t)) {
                return -Errno.EPERM;
            }
            if (s.resetOnFork && !resetOnFork) {
                return -Errno.EPERM;
            }
        }
        if ((schedFlags & SCHED_FLAG_SUGOV) != 0) {
            return -Errno.EINVAL;
        }
        if (policy == SCHED_DEADLINE) {
            return -Errno.EPERM; // privileged: no deadline scheduler in this kernel either
        }
        if ((schedFlags & SCHED_FLAG_UTIL_CLAMP) != 0) {
            return -Errno.ENOTSUP; // uclamp_validate without CONFIG_UCLAMP_TASK (Debian's kernel has none)
        }
        s.resetOnFork = resetOnFork;
        if ((schedFlags & SCHED_FLAG_KEEP_PARAMS) == 0) {
            s.policy = policy;
            if (fair) {
                s.nice = nice;
            }
            s.rtPriority = (int) priority;
        }
        return 0;
    }

    /** __checkparam_dl: runtime <= deadline <= period, within the sysctl's period bounds. */
    private static boolean validDeadline(long flags, long runtime, long deadline, long period) {
        if ((flags & SCHED_FLAG_SUGOV) != 0) {
            return true;
        }
        if (deadline == 0 || Long.compareUnsigned(runtime, 1L << 10) < 0 || deadline < 0 || period < 0) {
            return false;
        }
        long p = period == 0 ? deadline : period;
        if (p < deadline || Long.compareUnsigned(deadline, runtime) < 0) {
            return false;
        }
        return p >= DL_PERIOD_MIN && p <= DL_PERIOD_MAX;
    }

    /** sched_getattr(pid, attr, size, flags): the struct cut to {@code size}, its size field saying how much. */
    long getattr(int pid, long uattr, long usize, int flags) throws BadUserAddressException {
        long size = usize & 0xFFFF_FFFFL;
        if (uattr == 0 || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags != 0) {
            return -Errno.EINVAL;
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        SchedParams s = t.sched;
        int n = (int) Math.min(size, SCHED_ATTR_SIZE_VER1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SCHED_ATTR_SIZE_VER1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, n);
        b.putInt(4, s.policy);
        b.putLong(8, s.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0);
        if (s.isRealTime()) {
            b.putInt(20, s.rtPriority);
        } else {
            b.putInt(16, s.nice);
        }
        // sched_util_min and _max stay 0: no utilization clamping (CONFIG_UCLAMP_TASK) in this kernel.
        byte[] out = new byte[n];
        b.get(0, out);
        process.user.write(uattr, out);
        return 0;
    }

    static long priorityMax(int policy) {
        return switch (policy) {
            case SCHED_FIFO, SCHED_RR -> MAX_USER_RT_PRIO;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> -Errno.EINVAL;
        };
    }

    static long priorityMin(int policy) {
        return switch (policy) {
            case SCHED_FIFO, SCHED_RR -> 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> -Errno.EINVAL;
        };
    }

    /** sched_rr_get_interval: RR_TIMESLICE for SCHED_RR, 0 for SCHED_FIFO, a fair thread's slice otherwise. */
    long rrGetInterval(int pid, long tp) throws BadUserAddressException {
        if (pid < 0) {
            return -Errno.EINVAL;
        }
        Task t = thread(pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        long jiffies = switch (t.sched.policy) {
            case SCHED_RR -> RR_TIMESLICE_JIFFIES;
            case SCHED_FIFO -> 0;
            default -> FAIR_SLICE_JIFFIES;
        };
        long nanos = jiffies * Scheduler.TICK_NANOS;
        process.user.write64(tp, nanos / 1_000_000_000L);
        process.user.write64(tp + 8, nanos % 1_000_000_000L);
        return 0;
    }

    /** The threads getpriority/setpriority's which and who select (who 0: the caller's). */
    private List<Task> selected(int which, int who) {
        List<Task> out = new ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> {
                Task t = thread(who);
                if (t != null) {
                    out.add(t);
                }
            }
            case PRIO_PGRP -> {
                int pgrp = who == 0 ? process.pgid : who;
                for (Task t : allThreads()) {
                    if (t.process.pgid == pgrp) {
                        out.add(t);
                    }
                }
            }
            default -> {
                long uid = who == 0 ? process.credentials.uid() : who & 0xFFFF_FFFFL;
                for (Task t : allThreads()) {
                    if (t.process.credentials.uid() == uid) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    /** getpriority: 20 - nice of the most favoured thread selected (never negative, unlike nice). */
    long getpriority(int which, int who) {
        if (which < PRIO_PROCESS || which > PRIO_USER) {
            return -Errno.EINVAL;
        }
        long best = -Errno.ESRCH;
        for (Task t : selected(which, who)) {
            best = Math.max(best, 20 - t.sched.nice);
        }
        return best;
    }

    /** setpriority: EPERM for another user's thread, EACCES for a nice value lower than RLIMIT_NICE allows. */
    long setpriority(int which, int who, int nice) {
        if (which < PRIO_PROCESS || which > PRIO_USER) {
            return -Errno.EINVAL;
        }
        int niceval = Math.max(MIN_NICE, Math.min(MAX_NICE, nice));
        List<Task> threads = selected(which, who);
        if (threads.isEmpty()) {
            return -Errno.ESRCH;
        }
        long error = 0;
        for (Task t : threads) {
            Credentials theirs = t.process.credentials;
            Credentials mine = process.credentials;
            if (theirs.uid() != mine.euid() && theirs.euid() != mine.euid() && !process.capable(Process.CAP_SYS_NICE)) {
                error = -Errno.EPERM;
                continue;
            }
            if (niceval < t.sched.nice && !canNice(t, niceval)) {
                error = -Errno.EACCES;
                continue;
            }
            t.sched.nice = niceval;
        }
        return error;
    }

    /**
     * ioprio_set(which, who, ioprio) (block/ioprio.c): the value checked first, then each
     * selected thread that the caller owns (EPERM otherwise, the first refusal ends a group)
     * takes it. {@code which} is IOPRIO_WHO_PROCESS (a thread), _PGRP or _USER; who 0 is the
     * caller's own.
     */
    long ioprioSet(int which, int who, int ioprio) {
        boolean mayRealTime = process.capable(Process.CAP_SYS_ADMIN) || process.capable(Process.CAP_SYS_NICE);
        int r = IoPriority.check(ioprio, mayRealTime);
        if (r != 0) {
            return r;
        }
        if (which < IoPriority.IOPRIO_WHO_PROCESS || which > IoPriority.IOPRIO_WHO_USER) {
            return -Errno.EINVAL;
        }
        long result = -Errno.ESRCH;
        for (Task t : selected(which - 1, who)) {
            Credentials theirs = t.process.credentials;
            Credentials mine = process.credentials;
            if (theirs.uid() != mine.euid() && theirs.uid() != mine.uid() && !process.capable(Process.CAP_SYS_NICE)) {
                return -Errno.EPERM; // set_task_ioprio
            }
            t.sched.ioprio = ioprio & 0xFFFF; // io_context.ioprio is an unsigned short
            result = 0;
        }
        return result;
    }

    /**
     * ioprio_get(which, who): the thread's priority, or for a group or a user the best
     * (numerically lowest: RT before BE before IDLE) of its threads'; ESRCH when none.
     */
    long ioprioGet(int which, int who) {
        if (which < IoPriority.IOPRIO_WHO_PROCESS || which > IoPriority.IOPRIO_WHO_USER) {
            return -Errno.EINVAL;
        }
        long best = -Errno.ESRCH;
        for (Task t : selected(which - 1, who)) {
            int p = IoPriority.effective(t.sched);
            best = best < 0 ? p : Math.min(best, p);
        }
        return best;
    }
}
