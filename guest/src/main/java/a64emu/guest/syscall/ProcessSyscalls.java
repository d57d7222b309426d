package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Exec;
import a64emu.guest.Exit;
import a64emu.guest.Fork;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.sched.Futex;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.nio.charset.StandardCharsets;

/**
 * Process and thread system calls: decoding their arguments and handing them to the
 * kernel's fork, exec, exit and wait, the futex table and the signal sender; plus the
 * identity calls (uname, limits, getrandom, sysinfo, affinity) that need nothing else.
 * The calling thread is {@code process.current}.
 */
final class ProcessSyscalls {
    /** What uname(2) reports (struct new_utsname: six 65-byte fields). */
    static final String SYSNAME = "Linux";
    static final String NODENAME = "a64emu";
    static final String RELEASE = "6.1.0-a64emu";
    static final String VERSION = "#1 SMP PREEMPT a64emu";
    static final String MACHINE = "aarch64";
    static final String DOMAINNAME = "(none)";
    private static final int UTS_FIELD = 65;

    /** struct robust_list_head on 64-bit. */
    private static final long ROBUST_LIST_HEAD_SIZE = 24;
    private static final int GRND_NONBLOCK = 1;
    private static final int GRND_RANDOM = 2;
    private static final int GRND_INSECURE = 4;
    /** sizeof(struct clone_args) of the first version (CLONE_ARGS_SIZE_VER0). */
    private static final long CLONE_ARGS_SIZE_VER0 = 64;
    private static final long NANOS = 1_000_000_000L;

    private final Process process;

    ProcessSyscalls(Process process) {
        this.process = process;
    }

    private Task current() {
        return process.current;
    }

    private Kernel kernel() {
        return process.kernel;
    }

    /** exit_group: every thread ends, the process with {@code status}. */
    long exitGroup(int status) {
        process.exit(status);
        if (kernel() != null) {
            kernel().groupExit(process, process.termination());
        }
        return 0;
    }

    /** exit: the calling thread ends; the process ends with it if it was the last. */
    long exit(int status) {
        Task t = current();
        if (kernel() == null) {
            process.exit(status);
            return 0;
        }
        boolean last = true;
        for (Task other : process.threads()) {
            if (other != t && other.isAlive()) {
                last = false;
            }
        }
        // With every thread gone by exit(), wait reports the leader's code (Linux: the
        // zombie leader's exit_code), whichever thread was last.
        if (t == process.leader()) {
            process.leaderExitCode = status;
        }
        if (last) {
            process.exit(process.leader().isAlive() ? status : process.leaderExitCode);
        }
        kernel().exitThread(t);
        return 0;
    }

    /** _LINUX_CAPABILITY_VERSION_1 (one 32-bit set) and _2, _3 (two). */
    private static final int CAP_V1 = 0x1998_0330;
    private static final int CAP_V2 = 0x2007_1026;
    private static final int CAP_V3 = 0x2008_0522;

    /** The number of {effective, permitted, inheritable} u32 triples a version uses, or 0 if unknown. */
    private int capWords(long header) throws BadUserAddressException {
        int version = process.user.read32(header);
        if (version == CAP_V1) {
            return 1;
        }
        if (version == CAP_V2 || version == CAP_V3) {
            return 2;
        }
        // cap_validate_magic: an unknown version learns the preferred one.
        process.user.write32(header, CAP_V3);
        return 0;
    }

    /** The process a capability header's pid names (0 or a thread of the caller's process, else another). */
    private Process capTarget(long header) throws BadUserAddressException {
        int pid = process.user.read32(header + 4);
        if (pid < 0) {
            return null;
        }
        return target(pid);
    }

    /** capget(hdrp, datap) (Linux kernel/capability.c). */
    long capget(long header, long data) throws BadUserAddressException {
        int words = capWords(header);
        if (words == 0) {
            return data == 0 ? 0 : -Errno.EINVAL;
        }
        if (data == 0) {
            return 0;
        }
        Process p = capTarget(header);
        if (p == null) {
            return -Errno.ESRCH;
        }
        for (int i = 0; i < words; i++) {
            process.user.write32(data + 12L * i, (int) (p.capEffective >>> (32 * i)));
            process.user.write32(data + 12L * i + 4, (int) (p.capPermitted >>> (32 * i)));
            process.user.write32(data + 12L * i + 8, (int) (p.capInheritable >>> (32 * i)));
        }
        return 0;
    }

    /**
     * capset(hdrp, datap): only for the caller; permitted may only shrink, effective must lie
     * within the new permitted, inheritable within the old inheritable and permitted (EPERM).
     */
    long capset(long header, long data) throws BadUserAddressException {
        int words = capWords(header);
        if (words == 0) {
            return -Errno.EINVAL;
        }
        int pid = process.user.read32(header + 4);
        if (pid != 0 && pid != process.pid && pid != current().tid) {
            return -Errno.EPERM;
        }
        long eff = 0;
        long perm = 0;
        long inh = 0;
        for (int i = 0; i < words; i++) {
            eff |= (process.user.read32(data + 12L * i) & 0xFFFF_FFFFL) << (32 * i);
            perm |= (process.user.read32(data + 12L * i + 4) & 0xFFFF_FFFFL) << (32 * i);
            inh |= (process.user.read32(data + 12L * i + 8) & 0xFFFF_FFFFL) << (32 * i);
        }
        eff &= Process.CAP_FULL_SET;
        perm &= Process.CAP_FULL_SET;
        inh &= Process.CAP_FULL_SET;
        if ((perm & ~process.capPermitted) != 0 || (eff & ~perm) != 0
                || (inh & ~(process.capInheritable | process.capPermitted)) != 0) {
            return -Errno.EPERM;
        }
        process.capEffective = eff;
        process.capPermitted = perm;
        process.capInheritable = inh;
        return 0;
    }

    long getppid() {
        return process.ppid();
    }

    long setTidAddress(long tidptr) {
        current().clearChildTid = tidptr;
        return current().tid;
    }

    long setRobustList(long head, long len) {
        if (len != ROBUST_LIST_HEAD_SIZE) {
            return -Errno.EINVAL;
        }
        current().robustListHead = head;
        current().robustListLength = len;
        return 0;
    }

    /** get_robust_list(pid, head_ptr, len_ptr): of this thread (0) or of another one. */
    long getRobustList(int tid, long headPtr, long lenPtr) throws BadUserAddressException {
        Task t = tid == 0 ? current() : kernel() == null ? null : kernel().task(tid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        process.user.write64(headPtr, t.robustListHead);
        process.user.write64(lenPtr, ROBUST_LIST_HEAD_SIZE);
        return 0;
    }

    /**
     * futex(uaddr, op, val, timeout or val2, uaddr2, val3). FUTEX_WAIT's timeout is
     * relative; FUTEX_WAIT_BITSET's is absolute on CLOCK_MONOTONIC (CLOCK_REALTIME with
     * FUTEX_CLOCK_REALTIME).
     */
    long futex(long uaddr, int futexOp, int val, long timeoutOrVal2, long uaddr2, int val3)
            throws BadUserAddressException {
        int cmd = futexOp & Futex.FUTEX_CMD_MASK;
        boolean isPrivate = (futexOp & Futex.FUTEX_PRIVATE_FLAG) != 0;
        boolean realtime = (futexOp & Futex.FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != Futex.FUTEX_WAIT_BITSET && cmd != Futex.FUTEX_WAIT) {
            return -Errno.ENOSYS;
        }
        Futex futex = kernel() == null ? null : kernel().futex();
        switch (cmd) {
            case Futex.FUTEX_WAIT, Futex.FUTEX_WAIT_BITSET -> {
                long relative = -1;
                if (timeoutOrVal2 != 0) {
                    long t = readTimespec(timeoutOrVal2);
                    if (t < 0) {
                        return -Errno.EINVAL;
                    }
                    relative = cmd == Futex.FUTEX_WAIT ? t : Math.max(0, t - clockNow(realtime));
                }
                int bitset = cmd == Futex.FUTEX_WAIT ? Futex.FUTEX_BITSET_MATCH_ANY : val3;
                if (futex == null) {
                    return singleThreadWait(uaddr, val, relative);
                }
                return futex.waitOn(current(), uaddr, val, relative, bitset, isPrivate);
            }
            case Futex.FUTEX_WAKE, Futex.FUTEX_WAKE_BITSET -> {
                int bitset = cmd == Futex.FUTEX_WAKE ? Futex.FUTEX_BITSET_MATCH_ANY : val3;
                if (futex == null) {
                    return (uaddr & 3) != 0 || bitset == 0 ? -Errno.EINVAL : 0;
                }
                return futex.wake(current(), uaddr, val, bitset, isPrivate);
            }
            case Futex.FUTEX_REQUEUE, Futex.FUTEX_CMP_REQUEUE -> {
                if (futex == null) {
                    return -Errno.ENOSYS;
                }
                return futex.requeue(current(), uaddr, uaddr2, val, (int) Math.min(timeoutOrVal2, Integer.MAX_VALUE),
                        cmd == Futex.FUTEX_CMP_REQUEUE ? Integer.valueOf(val3) : null, isPrivate);
            }
            case Futex.FUTEX_WAKE_OP -> {
                if (futex == null) {
                    return -Errno.ENOSYS;
                }
                return futex.wakeOp(current(), uaddr, uaddr2, val, (int) timeoutOrVal2, val3, isPrivate);
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }

    /** struct futex_waitv flags: FUTEX2_SIZE_U32, the only size futex_waitv takes in 6.1. */
    private static final int FUTEX_32 = 2;
    private static final int FUTEXV_WAITER_MASK = FUTEX_32 | Futex.FUTEX_PRIVATE_FLAG;
    /** sizeof(struct futex_waitv): u64 val, u64 uaddr, u32 flags, u32 __reserved. */
    private static final int FUTEX_WAITV_SIZE = 24;

    /**
     * futex_waitv(waiters, nr_futexes, flags, timeout, clockid) (Linux 6.1
     * {@code kernel/futex/syscalls.c}): no flags; 1 to 128 entries; the timeout, if any,
     * absolute on CLOCK_MONOTONIC or CLOCK_REALTIME; each entry a 32-bit word (FUTEX_32,
     * optionally FUTEX_PRIVATE_FLAG, reserved zero) whose value is compared as 32 bits.
     * Returns the index of the word a FUTEX_WAKE woke; a signal with an SA_RESTART handler
     * makes it wait again (Linux's -ERESTARTSYS), any other EINTR.
     */
    long futexWaitv(long waiters, long count, long flags, long timeout, int clockid) throws BadUserAddressException {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        count &= 0xFFFF_FFFFL;
        if (count == 0 || count > Futex.FUTEX_WAITV_MAX || waiters == 0) {
            return -Errno.EINVAL;
        }
        long relative = -1;
        if (timeout != 0) {
            boolean realtime = clockid == TimeSyscalls.CLOCK_REALTIME;
            if (!realtime && clockid != TimeSyscalls.CLOCK_MONOTONIC) {
                return -Errno.EINVAL;
            }
            long sec = process.user.read64(timeout);
            long nsec = process.user.read64(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= NANOS) {
                return -Errno.EINVAL;
            }
            long t = sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
            relative = Math.max(0, t - clockNow(realtime));
        }
        int n = (int) count;
        long[] uaddrs = new long[n];
        int[] vals = new int[n];
        boolean[] isPrivate = new boolean[n];
        for (int i = 0; i < n; i++) {
            long at = waiters + (long) FUTEX_WAITV_SIZE * i;
            long val = process.user.read64(at);
            long uaddr = process.user.read64(at + 8);
            int wflags = process.user.read32(at + 16);
            int reserved = process.user.read32(at + 20);
            if ((wflags & ~FUTEXV_WAITER_MASK) != 0 || reserved != 0 || (wflags & FUTEX_32) == 0) {
                return -Errno.EINVAL;
            }
            uaddrs[i] = uaddr;
            vals[i] = (int) val;
            isPrivate[i] = (wflags & Futex.FUTEX_PRIVATE_FLAG) != 0;
        }
        Futex futex = kernel() == null ? null : kernel().futex();
        if (futex == null) {
            for (int i = 0; i < n; i++) {
                if ((uaddrs[i] & 3) != 0) {
                    return -Errno.EINVAL;
                }
            }
            for (int i = 0; i < n; i++) {
                if (process.user.read32(uaddrs[i]) != vals[i]) {
                    return -Errno.EAGAIN;
                }
            }
            return singleThreadWait(uaddrs[0], vals[0], relative);
        }
        return futex.waitMultiple(current(), uaddrs, vals, isPrivate, relative);
    }

    /** A process built alone (no kernel, no other thread): a wait can only fail or time out. */
    private long singleThreadWait(long uaddr, int val, long relative) throws BadUserAddressException {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        if (process.user.read32(uaddr) != val) {
            return -Errno.EAGAIN;
        }
        if (relative >= 0) {
            return -Errno.ETIMEDOUT;
        }
        process.kill(SignalInfo.atPc(Signal.SIGKILL, Signal.SI_KERNEL, String.format(
                "futex wait on 0x%x with no other thread to wake it: the process would sleep forever",
                uaddr)), process.cpu.pc);
        return 0;
    }

    /** The clock an absolute futex timeout is measured on, in the scheduler's terms. */
    private long clockNow(boolean realtime) {
        if (realtime) {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * NANOS + now.getNano();
        }
        return kernel() == null ? System.nanoTime() : kernel().scheduler().now();
    }

    private long readTimespec(long va) throws BadUserAddressException {
        long sec = process.user.read64(va);
        long nsec = process.user.read64(va + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) {
            return -1;
        }
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    /** clone(flags, newsp, parent_tid, tls, child_tid): arm64's argument order. */
    long clone(long flags, long newsp, long parentTid, long tls, long childTid) {
        if (kernel() == null) {
            return -Errno.ENOSYS;
        }
        return Fork.clone(kernel(), current(), new Fork.Args(flags & ~0xFFL, newsp, parentTid, tls, childTid,
                (int) (flags & 0xFF)));
    }

    /**
     * clone3(struct clone_args *, size): flags, pidfd, child_tid, parent_tid, exit_signal,
     * stack, stack_size, tls, set_tid, set_tid_size, cgroup (u64 each). The stack is given as
     * its lowest address and size; the child's SP is their sum.
     */
    long clone3(long uargs, long size) throws BadUserAddressException {
        if (kernel() == null) {
            return -Errno.ENOSYS;
        }
        if (size > 4096) {
            return -Errno.E2BIG;
        }
        if (size < CLONE_ARGS_SIZE_VER0) {
            return -Errno.EINVAL;
        }
        byte[] raw = process.user.read(uargs, (int) size);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int off = 88; off + 8 <= size; off += 8) {
            if (b.getLong(off) != 0) {
                return -Errno.E2BIG; // fields this kernel does not know must be zero
            }
        }
        long flags = b.getLong(0);
        long exitSignal = b.getLong(32);
        long stack = b.getLong(40);
        long stackSize = b.getLong(48);
        long setTidSize = size >= 80 ? b.getLong(72) : 0;
        if ((flags & 0xFF) != 0 || (exitSignal & ~0xFFL) != 0 || exitSignal > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        if ((stack == 0) != (stackSize == 0)) {
            return -Errno.EINVAL;
        }
        if (setTidSize != 0) {
            return -Errno.EPERM; // choosing the pid needs CAP_SYS_ADMIN
        }
        if ((flags & 0x1000L) != 0) {
            return -Errno.EINVAL; // CLONE_PIDFD: pidfds are not offered
        }
        return Fork.clone(kernel(), current(), new Fork.Args(flags, stack == 0 ? 0 : stack + stackSize,
                b.getLong(24), b.getLong(56), b.getLong(16), (int) exitSignal));
    }

    long execve(long path, long argv, long envp) throws BadUserAddressException {
        if (kernel() == null) {
            return -Errno.ENOSYS;
        }
        return Exec.execve(kernel(), current(), path, argv, envp);
    }

    long execveat(int dirfd, long path, long argv, long envp, int flags) throws BadUserAddressException {
        if (kernel() == null) {
            return -Errno.ENOSYS;
        }
        return Exec.execveat(kernel(), current(), dirfd, path, argv, envp, flags);
    }

    /**
     * restart_syscall: the restart block's function. This kernel runs an interrupted call
     * again itself (the PC is moved back before the handler runs, the restart block read
     * there), so a program that calls it finds Linux's do_no_restart_syscall: EINTR.
     */
    long restartSyscall() {
        current().dropRestartBlock();
        return -Errno.EINTR;
    }

    long wait4(int pid, long wstatus, int options, long rusage) throws BadUserAddressException {
        if (kernel() == null) {
            return -Errno.ECHILD;
        }
        return Exit.wait4(kernel(), current(), pid, wstatus, options, rusage);
    }

    long waitid(int idtype, int id, long infop, int options, long rusage) throws BadUserAddressException {
        if (kernel() == null) {
            return -Errno.ECHILD;
        }
        return Exit.waitid(kernel(), current(), idtype, id, infop, options, rusage);
    }

    long schedYield() {
        current().yielded = true;
        return 0;
    }

    long uname(long buf) throws BadUserAddressException {
        byte[] u = new byte[UTS_FIELD * 6];
        String[] fields = {SYSNAME, NODENAME, RELEASE, VERSION, MACHINE, DOMAINNAME};
        for (int i = 0; i < fields.length; i++) {
            byte[] b = fields[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, u, i * UTS_FIELD, Math.min(b.length, UTS_FIELD - 1));
        }
        process.user.write(buf, u);
        return 0;
    }

    /**
     * personality(2): 0xffffffff only asks; any other value becomes the execution domain
     * (PER_LINUX is 0), which fork and exec keep. The old value is returned.
     */
    long personality(long persona) {
        int old = process.personality;
        if ((int) persona != -1) {
            process.personality = (int) persona;
        }
        return old & 0xFFFF_FFFFL;
    }

    /** The process a pid names for prlimit64: 0 is the caller. */
    private Process target(int pid) {
        if (pid == 0 || pid == process.pid) {
            return process;
        }
        if (kernel() == null) {
            return null;
        }
        Task t = kernel().task(pid);
        return t == null ? null : t.process;
    }

    /** fs/file.c sysctl_nr_open: RLIMIT_NOFILE's hard limit may not be raised above it (EPERM). */
    static final long NR_OPEN = 1024 * 1024;

    /**
     * prlimit64(pid, resource, new, old), and getrlimit/setrlimit through it (Linux
     * do_prlimit): the soft limit above the hard one is EINVAL, a hard RLIMIT_NOFILE above
     * fs.nr_open or a raised hard limit without CAP_SYS_RESOURCE EPERM; the old value is
     * read before the new one is set. The kernel enforces each limit where Linux does:
     * RLIMIT_NOFILE in the descriptor table, RLIMIT_AS and RLIMIT_DATA in may_expand_vm,
     * RLIMIT_STACK at stack growth, RLIMIT_NPROC in fork, RLIMIT_MEMLOCK in mlock.
     */
    long prlimit64(int pid, int resource, long newLimit, long oldLimit) throws BadUserAddressException {
        if (resource < 0 || resource >= Process.RLIM_NLIMITS) {
            return -Errno.EINVAL;
        }
        long[] next = null;
        if (newLimit != 0) {
            next = new long[] {process.user.read64(newLimit), process.user.read64(newLimit + 8)};
            if (Long.compareUnsigned(next[0], next[1]) > 0) {
                return -Errno.EINVAL;
            }
            if (resource == Process.RLIMIT_NOFILE && Long.compareUnsigned(next[1], NR_OPEN) > 0) {
                return -Errno.EPERM;
            }
        }
        Process p = target(pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        long[][] limits = p.limits;
        if (next != null && Long.compareUnsigned(next[1], limits[resource][1]) > 0
                && !process.capable(Process.CAP_SYS_RESOURCE)) {
            return -Errno.EPERM;
        }
        if (oldLimit != 0) {
            process.user.write64(oldLimit, limits[resource][0]);
            process.user.write64(oldLimit + 8, limits[resource][1]);
        }
        if (next != null) {
            limits[resource] = next;
            if (resource == Process.RLIMIT_NOFILE) {
                p.files.setNofileLimit(next[0]);
            }
        }
        return 0;
    }

    long getrandom(long buf, long len, int flags) throws BadUserAddressException {
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
                || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
            return -Errno.EINVAL;
        }
        // len is a size_t: a "negative" one is huge. Linux caps it at INT_MAX; here at 32 MiB a call.
        int n = Long.compareUnsigned(len, 1 << 25) > 0 ? 1 << 25 : (int) len;
        byte[] b = new byte[n];
        process.random.nextBytes(b);
        process.user.write(buf, b);
        return n;
    }

    /**
     * sysinfo(2): struct sysinfo on 64-bit (112 bytes): uptime, loads[3], totalram, freeram,
     * sharedram, bufferram, totalswap, freeswap, procs (u16), totalhigh, freehigh, mem_unit (u32).
     */
    long sysinfo(long info) throws BadUserAddressException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(112).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        // Seconds since boot on the kernel's clock, a part second counting as one (do_sysinfo).
        long up = kernel() == null ? System.nanoTime() - process.startNanos : kernel().monotonicNanos();
        b.putLong(0, (up + NANOS - 1) / NANOS);
        if (kernel() != null) {
            // avenrun in SI_LOAD_SHIFT (16) bits of fraction instead of FSHIFT.
            long[] loads = kernel().scheduler().loadAverages();
            for (int i = 0; i < 3; i++) {
                b.putLong(8 + 8 * i, loads[i] << (16 - a64emu.guest.sched.LoadAverage.FSHIFT));
            }
        }
        b.putLong(32, process.frames.totalFrames() * 4096L);
        b.putLong(40, process.frames.freeFrames() * 4096L);
        b.putShort(80, (short) (kernel() == null ? 1 : kernel().taskCount()));
        b.putInt(104, 1);
        process.user.write(info, b.array());
        return 0;
    }

    /**
     * kill(2) (Linux kill_something_info): pid > 0 that process; 0 the caller's process
     * group and -pgid another; -1 every process but the caller. Signal 0 only checks
     * that the target exists.
     */
    long kill(int pid, int sig) {
        if (sig < 0 || sig > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        SignalInfo info = SignalInfo.fromProcess(sig, Signal.SI_USER, process.pid, (int) process.credentials.uid(),
                "sent by kill from pid " + process.pid);
        if (kernel() == null) {
            if (pid != process.pid && pid != 0 && pid != -1 && pid != -process.pgid) {
                return -Errno.ESRCH;
            }
            return queueAlone(info);
        }
        if (pid > 0) {
            Task t = kernel().task(pid);
            Process p = t != null ? t.process : kernel().process(pid);
            if (p == null) {
                return -Errno.ESRCH;
            }
            if (!mayKill(process, p, sig)) {
                return -Errno.EPERM;
            }
            if (sig != 0) {
                kernel().signals().sendToProcess(p, info);
            }
            return 0;
        }
        if (pid == Integer.MIN_VALUE) {
            return -Errno.ESRCH;
        }
        int group = pid == 0 ? process.pgid : -pid;
        boolean any = false;
        boolean sent = false;
        for (Process p : java.util.List.copyOf(kernel().processes())) {
            if (pid == -1 ? p == process : p.pgid != group) {
                continue;
            }
            any = true;
            if (!mayKill(process, p, sig)) {
                continue; // kill(-1) skips them; a group answers EPERM if nobody could be signalled
            }
            sent = true;
            if (sig != 0) {
                kernel().signals().sendToProcess(p, info);
            }
        }
        return !any ? -Errno.ESRCH : sent || pid == -1 ? 0 : -Errno.EPERM;
    }

    /**
     * check_kill_permission: the sender's real or effective uid is the target's real or saved
     * uid, or it has CAP_KILL; SIGCONT may go anywhere in the sender's session.
     */
    static boolean mayKill(Process sender, Process target, int sig) {
        var s = sender.credentials;
        var t = target.credentials;
        return s.euid() == t.suid() || s.euid() == t.uid() || s.uid() == t.suid() || s.uid() == t.uid()
                || sender.capable(Process.CAP_KILL) || (sig == Signal.SIGCONT && sender.sid == target.sid);
    }

    long tgkill(int tgid, int tid, int sig) {
        if (tgid <= 0 || tid <= 0) {
            return -Errno.EINVAL;
        }
        return tkillCommon(tgid, tid, sig);
    }

    long tkill(int tid, int sig) {
        if (tid <= 0) {
            return -Errno.EINVAL;
        }
        return tkillCommon(-1, tid, sig);
    }

    private long tkillCommon(int tgid, int tid, int sig) {
        if (sig < 0 || sig > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        SignalInfo info = SignalInfo.fromProcess(sig, Signal.SI_TKILL, process.pid, (int) process.credentials.uid(),
                "sent by tgkill from pid " + process.pid);
        if (kernel() == null) {
            if ((tgid != -1 && tgid != process.pid) || tid != process.tid()) {
                return -Errno.ESRCH;
            }
            return queueAlone(info);
        }
        Task t = kernel().task(tid);
        if (t == null || (tgid != -1 && t.process.pid != tgid)) {
            return -Errno.ESRCH;
        }
        if (!mayKill(process, t.process, sig)) {
            return -Errno.EPERM;
        }
        if (sig != 0) {
            kernel().signals().sendToThread(t, info);
        }
        return 0;
    }

    /** A process built alone (tests): the signal waits in the thread's queue unless ignored. */
    private long queueAlone(SignalInfo info) {
        if (info.signo() != 0 && !process.signals.ignores(info.signo())) {
            current().pending.add(info);
        }
        return 0;
    }
}
