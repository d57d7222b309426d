package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a64emu does with each number of arm64's system call table (Linux 6.1,
 * {@code include/uapi/asm-generic/unistd.h}), declared once: implemented in full,
 * implemented in part (and what is missing), refused exactly as Linux refuses an unprivileged
 * process in a container (the errno and why), or not implemented yet (a64emu's ENOSYS, a gap
 * that {@code --log unimp} reports). {@link Syscalls#dispatch} answers a declared refusal from
 * here; {@code SyscallStatusTest} checks that every other declaration matches what dispatch
 * does, and that the table in the README is {@link #markdownTable()}.
 *
 * <p>Privileged operations are refused as Linux refuses a process without the capability
 * they need: a64emu emulates one unprivileged machine user, whatever uid it reports.
 */
public final class SyscallStatus {
    private SyscallStatus() {}

    /** The four answers a number can get. */
    public enum Kind {
        FULL("full"),
        PARTIAL("partial"),
        REFUSED("Linux's refusal"),
        NOT_IMPLEMENTED("not implemented");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /**
     * One number's declaration; {@code errno} is the refusal's errno (0 otherwise), {@code
     * note} what is missing (partial) or why Linux refuses.
     */
    public record Entry(int nr, Kind kind, int errno, String note) {
        /** The name the table gives the number, or null for 244-259 and 295-423. */
        public String name() {
            return SyscallNumbers.name(nr);
        }

        /** The status column of the README's table. */
        public String describe() {
            return switch (kind) {
                case FULL -> "full";
                case PARTIAL -> "partial: " + note;
                case REFUSED -> "Linux's refusal: " + Errno.name(errno) + " (" + note + ")";
                case NOT_IMPLEMENTED -> "not implemented (ENOSYS from a64emu)";
            };
        }
    }

    private static final Entry[] TABLE = new Entry[NR_SYSCALLS];

    private static void declare(Entry e) {
        if (TABLE[e.nr] != null) {
            throw new AssertionError("system call " + e.nr + " declared twice: " + TABLE[e.nr] + " and " + e);
        }
        TABLE[e.nr] = e;
    }

    private static void full(int... nrs) {
        for (int nr : nrs) {
            declare(new Entry(nr, Kind.FULL, 0, ""));
        }
    }

    private static void partial(int nr, String missing) {
        declare(new Entry(nr, Kind.PARTIAL, 0, missing));
    }

    private static void refused(int nr, int errno, String why) {
        declare(new Entry(nr, Kind.REFUSED, errno, why));
    }

    private static void gap(int... nrs) {
        for (int nr : nrs) {
            declare(new Entry(nr, Kind.NOT_IMPLEMENTED, 0, ""));
        }
    }

    /** Numbers arm64's table leaves empty: Linux answers ENOSYS (sys_ni_syscall). */
    private static void absent(int from, int to, String why) {
        for (int nr = from; nr <= to; nr++) {
            refused(nr, Errno.ENOSYS, why);
        }
    }

    private static final String NEEDS_SYS_ADMIN = "needs CAP_SYS_ADMIN";
    private static final String MAY_MOUNT = "may_mount(): needs CAP_SYS_ADMIN";
    private static final String NEEDS_SYS_MODULE = "needs CAP_SYS_MODULE";
    private static final String NEEDS_SYS_BOOT = "needs CAP_SYS_BOOT";
    private static final String NEEDS_SYS_TIME = "needs CAP_SYS_TIME";

    static {
        // files and directories
        full(OPENAT, CLOSE, READ, WRITE, READV, WRITEV, PREAD64, PWRITE64, LSEEK, FSTAT, FTRUNCATE, NEWFSTATAT,
                FACCESSAT, FACCESSAT2, GETCWD, READLINKAT, GETDENTS64, DUP, DUP3, MKDIRAT, UNLINKAT, RENAMEAT,
                RENAMEAT2, FCHOWNAT, FCHOWN, FCHMODAT, FCHMOD, CHDIR, FCHDIR, UMASK, PIPE2);
        partial(IOCTL, "TCGETS and TIOCGWINSZ on a terminal; every other request ENOTTY");
        partial(FCNTL, "no leases, pipe sizes or file notifications; POSIX locks are not kept across execve "
                + "and host processes do not see them; no EDEADLK detection");
        for (int nr : new int[] {SETXATTR, LSETXATTR, FSETXATTR, GETXATTR, LGETXATTR, FGETXATTR, LISTXATTR,
                LLISTXATTR, FLISTXATTR, REMOVEXATTR, LREMOVEXATTR, FREMOVEXATTR}) {
            partial(nr, "user.* attributes only, through the host's (EOPNOTSUPP where it has none); security.* "
                    + "and system.* answer EOPNOTSUPP");
        }
        refused(LOOKUP_DCOOKIE, Errno.ENOSYS, "dcookies left Linux in 5.12: sys_ni_syscall");
        full(TRUNCATE, SYNC, FSYNC, FDATASYNC, SYNC_FILE_RANGE, SYNCFS, FADVISE64, LINKAT, FSTATFS);
        partial(FLOCK, "the locks live in the guest kernel: host processes do not see them");
        partial(SYMLINKAT, "the link text is normalised by the JDK (repeated and trailing slashes are lost)");
        partial(STATFS, "f_files and f_ffree are 0 (Java cannot read the host's inode counts)");
        partial(FALLOCATE, "mode 0, KEEP_SIZE and PUNCH_HOLE|KEEP_SIZE (what tmpfs has); ZERO_RANGE, COLLAPSE, "
                + "INSERT and UNSHARE answer EOPNOTSUPP; host files are not made sparse");
        partial(SENDFILE, "reads from regular files and memfds only (not /dev/zero or /proc files)");
        partial(SPLICE, "EPIPE into a pipe with no reader raises no SIGPIPE; regular files and memfds only");
        partial(TEE, "EPIPE into a pipe with no reader raises no SIGPIPE");
        partial(COPY_FILE_RANGE, "regular files and memfds only");
        partial(UTIMENSAT, "UTIME_NOW is written as an explicit time: a non-owner with write permission gets "
                + "EPERM where Linux allows it");
        partial(STATX, "the basic stats only: no STATX_BTIME, STATX_MNT_ID or STATX_DIOALIGN");
        partial(MEMFD_CREATE, "adding F_SEAL_WRITE while a shared writable mapping exists succeeds (Linux: "
                + "EBUSY); mprotect is not checked against seals; MFD_HUGETLB answers ENOSYS");
        partial(CLOSE_RANGE, "CLOSE_RANGE_UNSHARE does not unshare a table that threads share");
        full(INOTIFY_INIT1, INOTIFY_RM_WATCH, IOPRIO_SET, IOPRIO_GET, PREADV, PWRITEV, VMSPLICE, READAHEAD,
                MOUNT_SETATTR, FSCONFIG);
        partial(INOTIFY_ADD_WATCH, "events come from the guest kernel's own file operations: changes made by "
                + "host processes are not seen; max_user_watches is 8192");
        partial(PREADV2, "RWF_NOWAIT is accepted on pipes, sockets and host regular files (ext4's reads), "
                + "EOPNOTSUPP elsewhere; RWF_HIPRI changes nothing (no polled I/O)");
        partial(PWRITEV2, "RWF_NOWAIT is accepted on pipes and sockets, EOPNOTSUPP on regular files "
                + "(ext4's buffered writes); RWF_HIPRI changes nothing (no polled I/O)");
        partial(MKNODAT, "a FIFO is a host FIFO whose guest opens the guest kernel serves: host processes that "
                + "open it meet no guest end; the whiteout device (char 0:0) is EPERM; a FIFO open that a signal "
                + "handler interrupts is EINTR even with SA_RESTART; a socket node needs a host path under 108 "
                + "bytes (ENAMETOOLONG)");
        partial(OPENAT2, "RESOLVE_CACHED never answers EAGAIN for a lookup the dentry cache would miss (the walk "
                + "is always done); O_TMPFILE as openat");
        partial(OPEN_TREE, "OPEN_TREE_CLONE needs CAP_SYS_ADMIN (EPERM); AT_EMPTY_PATH on a file with no path "
                + "(a pipe, an eventfd) is ENOENT");
        partial(NAME_TO_HANDLE_AT, "the guest's file systems export no handles: a lookup that succeeds ends in "
                + "EOPNOTSUPP (procfs's answer; ext4 would give one)");
        partial(QUOTACTL, "no guest file system is on a block device: a block device answers ENODEV; Q_SYNC "
                + "without one is 0");
        partial(QUOTACTL_FD, "the guest's file systems have no quota support: ENOSYS after the descriptor, type and "
                + "read-only checks (tmpfs's answer)");
        partial(FANOTIFY_INIT, "the FAN_REPORT_FID groups that 5.13+ give an unprivileged caller are not modelled: "
                + "ENOSYS once Linux's checks pass; every other group needs CAP_SYS_ADMIN (EPERM)");
        partial(FANOTIFY_MARK, "no fanotify group can exist (see fanotify_init): after its checks, EBADF or EINVAL");
        refused(OPEN_BY_HANDLE_AT, Errno.EPERM, "needs CAP_DAC_READ_SEARCH");
        refused(NFSSERVCTL, Errno.ENOSYS, "removed in Linux 3.1: sys_ni_syscall");
        refused(UMOUNT2, Errno.EPERM, MAY_MOUNT);
        refused(MOUNT, Errno.EPERM, MAY_MOUNT);
        refused(PIVOT_ROOT, Errno.EPERM, MAY_MOUNT);
        refused(MOVE_MOUNT, Errno.EPERM, MAY_MOUNT);
        refused(FSMOUNT, Errno.EPERM, MAY_MOUNT);
        refused(FSOPEN, Errno.EPERM, NEEDS_SYS_ADMIN);
        refused(FSPICK, Errno.EPERM, NEEDS_SYS_ADMIN);
        refused(CHROOT, Errno.EPERM, "needs CAP_SYS_CHROOT");
        refused(VHANGUP, Errno.EPERM, "needs CAP_SYS_TTY_CONFIG");
        refused(ACCT, Errno.EPERM, "needs CAP_SYS_PACCT");
        refused(SWAPON, Errno.EPERM, NEEDS_SYS_ADMIN);
        refused(SWAPOFF, Errno.EPERM, NEEDS_SYS_ADMIN);

        // memory
        full(BRK, MMAP, MUNMAP, MREMAP, MPROTECT, MADVISE, MSYNC, MLOCK, MLOCK2, MUNLOCK, MLOCKALL, MUNLOCKALL,
                MINCORE);
        full(PKEY_MPROTECT, PKEY_ALLOC, PKEY_FREE, MEMBARRIER, REMAP_FILE_PAGES, GET_MEMPOLICY, SET_MEMPOLICY,
                SET_MEMPOLICY_HOME_NODE, MIGRATE_PAGES, MOVE_PAGES);
        partial(MBIND, "the policy is recorded per area and read back; shmem areas keep it per area, not in the "
                + "shared object as Linux's shared policy does");
        partial(PROCESS_MADVISE, "6.1 asks CAP_SYS_NICE of every caller, so an unprivileged valid call is EPERM "
                + "(as Linux); with the capability MADV_COLLAPSE is EINVAL (no transparent huge pages)");
        partial(PROCESS_MRELEASE, "a SIGKILL ends an a64emu process at once, so a target is found dying (and "
                + "reaped) only while its own kernel path runs; otherwise it has exited (ESRCH) or is alive (EINVAL)");
        refused(MEMFD_SECRET, Errno.ENOSYS, "secretmem is off unless booted with secretmem.enable=1 (6.1's "
                + "default): sys_memfd_secret returns -ENOSYS");
        partial(USERFAULTFD, "anonymous areas only, private and shared (memfd and hugetlbfs areas answer EINVAL); no "
                + "non-cooperative events (UFFD_FEATURE_EVENT_*: EINVAL); UFFDIO_API reports SIGBUS, THREAD_ID and "
                + "EXACT_ADDRESS only; arm64 6.1 has no write-protect mode "
                + "(EINVAL, as Linux); a kernel access to a missing page is EFAULT even for a privileged, "
                + "non-user-mode-only context (Linux would sleep)");

        // processes and threads
        full(EXIT, EXIT_GROUP, EXECVE, WAIT4, WAITID, GET_ROBUST_LIST, SET_ROBUST_LIST, SET_TID_ADDRESS, GETPID,
                GETTID, GETPPID, GETUID, GETEUID, GETGID, GETEGID, UNAME, GETRANDOM, SYSINFO, SCHED_YIELD, RSEQ,
                SCHED_GETAFFINITY, CAPGET, CAPSET);
        partial(CLONE, "CLONE_PIDFD: no pidfds from clone; namespaces refused (EPERM)");
        partial(CLONE3, "CLONE_PIDFD: no pidfds from clone3 (EINVAL); set_tid needs CAP_SYS_ADMIN (EPERM)");
        full(FUTEX_WAITV);
        partial(FUTEX, "no priority-inheritance operations (FUTEX_LOCK_PI and the other *_PI: ENOSYS)");
        partial(PRCTL, "PR_SET/GET_NAME, PDEATHSIG, DUMPABLE, NO_NEW_PRIVS, PR_GET_TID_ADDRESS, PR_SET_VMA only; "
                + "the others Linux has (PR_SET_CHILD_SUBREAPER, PR_CAPBSET_READ, PR_SET_TIMERSLACK, ...) answer "
                + "EINVAL");
        partial(PRLIMIT64, "enforced: NOFILE, AS, DATA, STACK (growth, and at execve the layout, the initial "
                + "stack and the room for arguments), NPROC, MEMLOCK; the others are recorded and reported only");
        partial(GETRLIMIT, "as prlimit64");
        partial(SETRLIMIT, "as prlimit64");
        full(KILL);
        full(PIDFD_SEND_SIGNAL, PROCESS_VM_READV, PROCESS_VM_WRITEV, GETCPU, SCHED_SETAFFINITY, SCHED_SETPARAM,
                SCHED_SETSCHEDULER, SCHED_GETSCHEDULER, SCHED_GETPARAM, SCHED_GET_PRIORITY_MAX,
                SCHED_GET_PRIORITY_MIN, SCHED_RR_GET_INTERVAL, SETPRIORITY, GETPRIORITY, SETREGID, SETGID, SETREUID,
                SETUID, SETRESUID, GETRESUID, SETRESGID, GETRESGID, SETFSUID, SETFSGID, SETPGID, GETPGID, GETSID,
                SETSID, GETGROUPS, SETGROUPS);
        partial(PIDFD_OPEN, "a pidfd is never readable by poll when the process exits");
        partial(PERSONALITY, "the persona is recorded and read back, and the next execve honours "
                + "ADDR_NO_RANDOMIZE and ADDR_COMPAT_LAYOUT; READ_IMPLIES_EXEC and the other flags change nothing");
        gap(PTRACE);
        partial(SECCOMP, "no user-space notification listener (SECCOMP_FILTER_FLAG_NEW_LISTENER answers EINVAL, "
                + "SECCOMP_RET_USER_NOTIF ENOSYS) and no SECCOMP_RET_TRACE tracer (ENOSYS)");
        full(EXECVEAT, RESTART_SYSCALL, PIDFD_GETFD);
        partial(KCMP, "the working directory travels with the descriptor table (KCMP_FS compares the tables'); "
                + "no process has an I/O context or a semaphore undo list (KCMP_IO, KCMP_SYSVSEM compare equal)");
        partial(SCHED_SETATTR, "SCHED_DEADLINE is EPERM also with CAP_SYS_NICE; utilization clamps are "
                + "EOPNOTSUPP (no CONFIG_UCLAMP_TASK)");
        partial(SCHED_GETATTR, "sched_util_min and sched_util_max are 0 (no CONFIG_UCLAMP_TASK)");
        partial(UNSHARE, "new namespaces (CLONE_NEW*) are EPERM even for root; CLONE_FILES or CLONE_FS in a "
                + "multi-threaded process, and CLONE_FS alone of a table shared with another process, are EINVAL "
                + "(threads, and the working directory with the descriptors, share one table here)");
        partial(SETNS, "no namespace files exist (every other descriptor is EINVAL); through a pidfd only the "
                + "checks: EINVAL for the caller's own user namespace, EPERM without CAP_SYS_ADMIN, and with it "
                + "0 without any change (the namespaces are the caller's own)");
        refused(REBOOT, Errno.EPERM, NEEDS_SYS_BOOT);
        refused(KEXEC_LOAD, Errno.EPERM, NEEDS_SYS_BOOT);
        refused(KEXEC_FILE_LOAD, Errno.EPERM, NEEDS_SYS_BOOT);
        refused(INIT_MODULE, Errno.EPERM, NEEDS_SYS_MODULE);
        refused(FINIT_MODULE, Errno.EPERM, NEEDS_SYS_MODULE);
        refused(DELETE_MODULE, Errno.EPERM, NEEDS_SYS_MODULE);
        refused(SETHOSTNAME, Errno.EPERM, "needs CAP_SYS_ADMIN in the UTS namespace's owner");
        refused(SETDOMAINNAME, Errno.EPERM, "needs CAP_SYS_ADMIN in the UTS namespace's owner");
        refused(BPF, Errno.EPERM, "kernel.unprivileged_bpf_disabled is set (Debian's default): needs CAP_BPF");
        refused(PERF_EVENT_OPEN, Errno.EACCES,
                "kernel.perf_event_paranoid=3 (Debian's default) refuses every unprivileged event; no PMU is emulated");

        // signals
        full(RT_SIGACTION, RT_SIGPROCMASK, SIGALTSTACK, RT_SIGRETURN, RT_SIGPENDING, RT_SIGSUSPEND,
                RT_SIGTIMEDWAIT, RT_SIGQUEUEINFO, RT_TGSIGQUEUEINFO, TKILL, TGKILL);
        partial(SIGNALFD4, "ssi_utime and ssi_stime of a SIGCHLD are 0");

        // time and timers
        full(CLOCK_GETTIME, CLOCK_GETRES, GETTIMEOFDAY, NANOSLEEP, CLOCK_NANOSLEEP, GETITIMER, SETITIMER, TIMES,
                GETRUSAGE, SYSLOG);
        full(TIMERFD_GETTIME);
        partial(TIMERFD_CREATE, "no TFD_IOC_SET_TICKS ioctl and no /proc/PID/fdinfo for it");
        partial(TIMERFD_SETTIME, "TFD_TIMER_CANCEL_ON_SET is accepted but never cancels (the guest's clock is "
                + "never set)");
        full(TIMER_GETTIME, TIMER_GETOVERRUN, TIMER_SETTIME, TIMER_DELETE);
        partial(TIMER_CREATE, "timers on another process's CPU clock and on the user-time clock CPUCLOCK_VIRT "
                + "answer EINVAL; RLIMIT_SIGPENDING does not limit the number of timers; no /proc/PID/timers");
        partial(ADJTIMEX, "reads the state of an unsynchronised clock (TIME_ERROR, STA_UNSYNC); every mode "
                + "that sets something is EPERM, also with CAP_SYS_TIME");
        partial(CLOCK_ADJTIME, "as adjtimex on CLOCK_REALTIME; EOPNOTSUPP for the other clocks, EINVAL for "
                + "dynamic (PTP) clocks, of which there are none");
        refused(SETTIMEOFDAY, Errno.EPERM, NEEDS_SYS_TIME);
        refused(CLOCK_SETTIME, Errno.EPERM, NEEDS_SYS_TIME);

        // events and polling
        full(PPOLL);
        full(EVENTFD2, EPOLL_CREATE1, EPOLL_PWAIT, EPOLL_PWAIT2);
        partial(EPOLL_CTL, "EPOLLEXCLUSIVE wakes every waiter; the wake-up path limits of reverse_path_check "
                + "are not modelled");
        full(PSELECT6);

        // asynchronous I/O
        gap(IO_URING_SETUP, IO_URING_ENTER, IO_URING_REGISTER);
        full(IO_SETUP, IO_DESTROY, IO_CANCEL);
        partial(IO_SUBMIT, "reads, writes and syncs complete inside the call; a request that must wait for its "
                + "file (an empty pipe) waits only as the call's first, a later one ends the call with the count "
                + "so far; a signal in that wait fails the call with EINTR instead of completing the request "
                + "with -EINTR; no O_DIRECT");
        partial(IO_GETEVENTS, "events are taken once min_nr are there or the timeout passes: a signal during the "
                + "wait is EINTR where Linux returns the events it took so far");
        partial(IO_PGETEVENTS, "as io_getevents");

        // System V and POSIX IPC, keys
        full(MQ_OPEN, MQ_UNLINK, MQ_TIMEDSEND, MQ_TIMEDRECEIVE, MQ_GETSETATTR, MSGGET, MSGCTL, MSGRCV, MSGSND, SEMGET,
                SEMCTL, SEMOP, SEMTIMEDOP, SHMGET, SHMCTL, SHMAT, SHMDT);
        partial(MQ_NOTIFY, "SIGEV_THREAD needs an AF_NETLINK socket, which does not exist here (EBADF, ENOTSOCK, "
                + "EINVAL as Linux answers for a descriptor that is none)");
        gap(ADD_KEY, REQUEST_KEY, KEYCTL);

        // sockets
        partial(SOCKET, "AF_UNIX (stream, datagram, seqpacket); AF_INET and AF_INET6 TCP and UDP, forwarded to "
                + "host sockets (run --net host) or in a network with no interface up (--net none); SOCK_RAW answers "
                + "EPERM, ICMP datagram sockets EACCES, other inet types ESOCKTNOSUPPORT, as to an unprivileged user");
        partial(SOCKETPAIR, "AF_UNIX; descriptors passed in a cycle are never collected");
        partial(BIND, "a TCP bind opens the host's listener at once, so a host client can connect before listen(2)");
        partial(LISTEN, "TCP: the host listener's backlog is somaxconn, whatever the guest asks");
        full(ACCEPT, ACCEPT4, CONNECT, GETSOCKNAME, GETPEERNAME, SHUTDOWN);
        partial(SENDTO, "MSG_OOB answers EOPNOTSUPP; a blocking stream send moves at most 1 MiB at once (TCP: what "
                + "the host's send buffer takes); a connected UDP socket cannot send elsewhere (EISCONN)");
        partial(RECVFROM, "MSG_OOB answers EOPNOTSUPP (TCP: EINVAL, no urgent data); TCP MSG_WAITALL waits for "
                + "256 KiB at most");
        partial(SENDMSG, "as sendto; SCM_RIGHTS and SCM_CREDENTIALS; AF_INET/AF_INET6 control messages "
                + "(IP_PKTINFO, IP_TTL...) are ignored");
        partial(RECVMSG, "as recvfrom; with SO_PASSCRED a stream read does not stop where the credentials change; "
                + "AF_INET/AF_INET6 receive no control messages");
        partial(SETSOCKOPT, "AF_UNIX: SO_RCVTIMEO/SO_SNDTIMEO answer ENOPROTOOPT, no SO_PEEK_OFF; AF_INET/AF_INET6: "
                + "SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_SNDBUF, SO_RCVBUF, SO_LINGER, "
                + "SO_RCVTIMEO, SO_SNDTIMEO, TCP_NODELAY, IP_TOS, IPV6_V6ONLY (the guest's: the host socket stays "
                + "dual-stack); others ENOPROTOOPT");
        partial(GETSOCKOPT, "AF_UNIX: SO_RCVTIMEO/SO_SNDTIMEO answer ENOPROTOOPT; AF_INET/AF_INET6 as setsockopt, "
                + "and SO_TYPE, SO_ERROR, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN");
        partial(RECVMMSG, "a signal while a later message waits loses the count (EINTR, or a restart from the "
                + "first); the error that ends a batch is kept for the next call on AF_INET/AF_INET6 only");
        partial(SENDMMSG, "a signal while a later message waits loses the count (EINTR, or a restart from the "
                + "first)");

        // security modules
        for (int nr : new int[] {LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF}) {
            refused(nr, Errno.ENOTSUP, "Landlock built but not enabled at boot (an lsm= list without landlock; "
                    + "Debian's own kernel enables it since 5.18.16-1): landlock_initialized is false, EOPNOTSUPP");
        }

        absent(244, 259, "arm64 defines no architecture-specific calls in 244-259");
        absent(295, 423, "only 32-bit architectures have 295-423 (the time64 calls)");
    }

    /** The declaration of {@code nr}, or null for a number past the table. */
    public static Entry of(int nr) {
        return nr >= 0 && nr < NR_SYSCALLS ? TABLE[nr] : null;
    }

    /** The errno Linux refuses {@code nr} with, or 0 when it is not a declared refusal. */
    static int refusal(int nr) {
        Entry e = of(nr);
        return e != null && e.kind == Kind.REFUSED ? e.errno : 0;
    }

    /** How many numbers have each status. */
    public static Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            counts.put(k, 0);
        }
        for (Entry e : TABLE) {
            if (e != null) {
                counts.merge(e.kind, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** "full 120, partial 9, Linux's refusal 170, not implemented 152 (of 451)". */
    public static String summary() {
        StringBuilder s = new StringBuilder();
        counts().forEach((k, n) -> s.append(s.length() == 0 ? "" : ", ").append(k.words).append(' ').append(n));
        return s.append(" (of ").append(NR_SYSCALLS).append(')').toString();
    }

    /**
     * The README's table: one row per named number, one per run of numbers the table leaves
     * empty, then the counts.
     */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder();
        s.append("| number | name | status |\n|---:|---|---|\n");
        for (int nr = 0; nr < NR_SYSCALLS; nr++) {
            Entry e = TABLE[nr];
            if (e == null) {
                s.append("| ").append(nr).append(" | ? | undeclared |\n");
                continue;
            }
            if (e.name() == null) {
                int last = nr;
                while (last + 1 < NR_SYSCALLS && TABLE[last + 1] != null && TABLE[last + 1].name() == null
                        && TABLE[last + 1].note.equals(e.note)) {
                    last++;
                }
                s.append("| ").append(nr).append('-').append(last).append(" | (none) | ").append(e.describe())
                        .append(" |\n");
                nr = last;
                continue;
            }
            s.append("| ").append(nr).append(" | ").append(e.name()).append(" | ").append(e.describe()).append(" |\n");
        }
        s.append("\nCounts: ").append(summary()).append(".\n");
        return s.toString();
    }

    static final String README_BEGIN = "<!-- syscall-table: begin (generated by SyscallStatus, do not edit) -->";
    static final String README_END = "<!-- syscall-table: end -->";

    /** {@code readme} with the text between the markers replaced by {@link #markdownTable()}. */
    static String withTable(String readme) {
        int begin = readme.indexOf(README_BEGIN);
        int end = readme.indexOf(README_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no " + README_BEGIN + " ... " + README_END + " block");
        }
        return readme.substring(0, begin + README_BEGIN.length()) + "\n" + markdownTable() + readme.substring(end);
    }

    /**
     * {@code java -cp guest/target/classes a64emu.guest.syscall.SyscallStatus [--readme README.md]}:
     * prints the counts, and with {@code --readme} rewrites the README's table.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--readme")) {
            Path readme = Path.of(args[1]);
            Files.writeString(readme, withTable(Files.readString(readme, StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
        } else if (args.length != 0) {
            System.err.println("usage: SyscallStatus [--readme README.md]");
            System.exit(2);
        }
        System.out.println("system calls: " + summary());
    }
}
