package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.nio.charset.StandardCharsets;

/**
 * Process identity and lifetime: exit, ids, uname, resource limits, thread bookkeeping
 * that glibc sets up (set_tid_address, set_robust_list), futex for one thread,
 * getrandom, and signals sent to oneself.
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

    /** Resource numbers (asm-generic/resource.h) and RLIM_INFINITY. */
    static final int RLIMIT_STACK = 3;
    static final int RLIMIT_NOFILE = 7;
    static final int RLIMIT_MEMLOCK = 8;
    static final int RLIMIT_CORE = 4;
    static final int RLIM_NLIMITS = 16;
    static final long RLIM_INFINITY = -1L;

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int FUTEX_WAIT_BITSET = 9;
    private static final int FUTEX_WAKE_BITSET = 10;
    private static final int FUTEX_PRIVATE_FLAG = 128;
    private static final int FUTEX_CLOCK_REALTIME = 256;
    /** struct robust_list_head on 64-bit. */
    private static final long ROBUST_LIST_HEAD_SIZE = 24;
    private static final int GRND_NONBLOCK = 1;
    private static final int GRND_RANDOM = 2;
    private static final int GRND_INSECURE = 4;

    private final Process process;
    /** Soft and hard limit per resource, as getrlimit reports them. */
    private final long[][] limits = new long[RLIM_NLIMITS][];

    ProcessSyscalls(Process process) {
        this.process = process;
        for (int i = 0; i < RLIM_NLIMITS; i++) {
            limits[i] = new long[] {RLIM_INFINITY, RLIM_INFINITY};
        }
        limits[RLIMIT_STACK] = new long[] {8L << 20, RLIM_INFINITY};
        limits[RLIMIT_NOFILE] = new long[] {a64emu.guest.fs.FileTable.MAX_FDS, a64emu.guest.fs.FileTable.MAX_FDS};
        limits[RLIMIT_MEMLOCK] = new long[] {8L << 20, 8L << 20};
        limits[RLIMIT_CORE] = new long[] {0, RLIM_INFINITY};
    }

    long exitGroup(int status) {
        process.exit(status);
        return 0;
    }

    long setTidAddress(long tidptr) {
        process.clearChildTid = tidptr;
        return process.tid();
    }

    long setRobustList(long head, long len) {
        if (len != ROBUST_LIST_HEAD_SIZE) {
            return -Errno.EINVAL;
        }
        process.robustListHead = head;
        process.robustListLength = len;
        return 0;
    }

    /**
     * futex(2) with one thread: a wake finds no waiter; a wait on a changed value is EAGAIN,
     * a wait with a timeout times out, and a wait without one could never end.
     */
    long futex(long uaddr, int futexOp, int val, long timeout) throws BadUserAddressException {
        int op = futexOp & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        switch (op) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                if ((uaddr & 3) != 0) {
                    return -Errno.EINVAL;
                }
                return 0;
            }
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                if ((uaddr & 3) != 0) {
                    return -Errno.EINVAL;
                }
                int current = process.user.read32(uaddr);
                if (current != val) {
                    return -Errno.EAGAIN;
                }
                if (timeout != 0) {
                    return -Errno.ETIMEDOUT;
                }
                process.kill(SignalInfo.atPc(Signal.SIGKILL, Signal.SI_KERNEL, String.format(
                        "futex wait on 0x%x with no other thread to wake it: the process would sleep forever",
                        uaddr)), process.cpu.pc);
                return 0;
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
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

    /** prlimit64(pid, resource, new, old) for this process (pid 0 or its own). */
    long prlimit64(int pid, int resource, long newLimit, long oldLimit) throws BadUserAddressException {
        if (pid != 0 && pid != process.pid) {
            return -Errno.ESRCH;
        }
        if (resource < 0 || resource >= RLIM_NLIMITS) {
            return -Errno.EINVAL;
        }
        long[] next = null;
        if (newLimit != 0) {
            next = new long[] {process.user.read64(newLimit), process.user.read64(newLimit + 8)};
            if (Long.compareUnsigned(next[0], next[1]) > 0) {
                return -Errno.EINVAL;
            }
            if (Long.compareUnsigned(next[1], limits[resource][1]) > 0 && process.credentials.euid() != 0) {
                return -Errno.EPERM;
            }
        }
        if (oldLimit != 0) {
            process.user.write64(oldLimit, limits[resource][0]);
            process.user.write64(oldLimit + 8, limits[resource][1]);
        }
        if (next != null) {
            limits[resource] = next;
        }
        return 0;
    }

    long getrandom(long buf, long len, int flags) throws BadUserAddressException {
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
                || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(len, 1 << 25);
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
        b.putLong(0, (System.nanoTime() - process.startNanos) / 1_000_000_000L);
        b.putLong(32, process.frames.totalFrames() * 4096L);
        b.putLong(40, process.frames.freeFrames() * 4096L);
        b.putShort(80, (short) 1);
        b.putInt(104, 1);
        process.user.write(info, b.array());
        return 0;
    }

    /** sched_getaffinity: one CPU, CPU 0; the kernel's mask size (8 bytes) is returned. */
    long schedGetaffinity(int pid, long len, long mask) throws BadUserAddressException {
        if (pid != 0 && pid != process.pid) {
            return -Errno.ESRCH;
        }
        if (len < 8 || (len & 7) != 0) {
            return -Errno.EINVAL;
        }
        process.user.write64(mask, 1);
        return 8;
    }

    /** kill(2): only this process exists; pid 0 and -1 include it. */
    long kill(int pid, int sig) {
        if (pid != process.pid && pid != 0 && pid != -1) {
            return -Errno.ESRCH;
        }
        return raise(sig, Signal.SI_USER, "kill");
    }

    long tgkill(int tgid, int tid, int sig) {
        if (tgid <= 0 || tid <= 0) {
            return -Errno.EINVAL;
        }
        if (tgid != process.pid || tid != process.tid()) {
            return -Errno.ESRCH;
        }
        return raise(sig, Signal.SI_TKILL, "tgkill");
    }

    long tkill(int tid, int sig) {
        if (tid <= 0) {
            return -Errno.EINVAL;
        }
        if (tid != process.tid()) {
            return -Errno.ESRCH;
        }
        return raise(sig, Signal.SI_TKILL, "tkill");
    }

    /**
     * A signal the process sends itself. Ignored signals vanish, blocked ones wait in the
     * pending set, and the rest take their default action (a handler cannot run yet).
     */
    private long raise(int sig, int code, String how) {
        if (sig < 0 || sig > Signal.NSIG) {
            return -Errno.EINVAL;
        }
        if (sig == 0) {
            return 0;
        }
        long handler = process.signals.get(sig).handler();
        if (handler == a64emu.guest.signal.SignalActions.SIG_IGN && sig != Signal.SIGKILL && sig != Signal.SIGSTOP) {
            return 0;
        }
        if ((process.signals.blocked() & a64emu.guest.signal.SignalActions.bit(sig)) != 0) {
            process.signals.addPending(sig);
            return 0;
        }
        deliver(sig, code, how);
        return 0;
    }

    /** The default action of an unblocked signal: terminate, or nothing for the ignoring kinds. */
    void deliver(int sig, int code, String how) {
        if (process.signals.userHandler(sig) == 0 && !Signal.defaultTerminates(sig)) {
            return;
        }
        process.kill(SignalInfo.atPc(sig, code, "sent by the program to itself (" + how + ")"), process.cpu.pc);
    }
}
