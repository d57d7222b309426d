package a64emu.tools.strace;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static a64emu.tools.strace.Arg.*;

import a64emu.guest.syscall.SyscallNumbers;
import a64emu.tools.strace.SyscallSignature.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The signatures strace shows, one line per system call: number, result kind, arguments
 * (as strace's own {@code syscallent} table lists them; names from {@link SyscallNumbers}).
 * A call not listed is shown with six hex arguments.
 */
final class SyscallTable {
    private SyscallTable() {}

    private static final Map<Integer, SyscallSignature> TABLE = new HashMap<>();

    private static void def(int nr, Result result, Arg... args) {
        TABLE.put(nr, new SyscallSignature(SyscallNumbers.name(nr), result, List.of(args)));
    }

    private static void def(int nr, Arg... args) {
        def(nr, Result.DECIMAL, args);
    }

    static {
        // files
        def(OPENAT, DIRFD, PATH, OPEN_FLAGS, OPEN_MODE);
        def(CLOSE, INT);
        def(READ, INT, BUF_OUT, ULONG);
        def(WRITE, INT, BUF_IN, ULONG);
        def(READV, INT, PTR, INT);
        def(WRITEV, INT, PTR, INT);
        def(PREAD64, INT, BUF_OUT, ULONG, LONG);
        def(PWRITE64, INT, BUF_IN, ULONG, LONG);
        def(LSEEK, INT, LONG, WHENCE);
        def(FSTAT, INT, STAT);
        def(NEWFSTATAT, DIRFD, PATH, STAT, AT_FLAGS);
        def(FACCESSAT, DIRFD, PATH, INT);
        def(FACCESSAT2, DIRFD, PATH, INT, AT_FLAGS);
        def(READLINKAT, DIRFD, PATH, BUF_OUT, ULONG);
        def(GETCWD, BUF_OUT, ULONG);
        def(IOCTL, INT, IOCTL_REQUEST, PTR);
        def(GETDENTS64, INT, PTR, ULONG);
        def(DUP, INT);
        def(DUP3, INT, INT, OPEN_FLAGS);
        def(FCNTL, INT, FCNTL_CMD, HEX);
        def(MKDIRAT, DIRFD, PATH, MODE);
        def(UNLINKAT, DIRFD, PATH, AT_FLAGS);
        def(FCHMODAT, DIRFD, PATH, MODE);
        def(FCHMOD, INT, MODE);
        def(CHDIR, PATH);
        def(FCHDIR, INT);
        def(FTRUNCATE, INT, LONG);
        def(FSYNC, INT);
        def(PREADV, INT, PTR, INT, LONG);
        def(PWRITEV, INT, PTR, INT, LONG);
        def(STATX, DIRFD, PATH, AT_FLAGS, HEX, PTR);
        def(MEMFD_CREATE, PATH, HEX);
        def(UMASK, Result.OCTAL, MODE);
        def(PIPE2, PTR, OPEN_FLAGS);
        def(PPOLL, PTR, INT, PTR, PTR, ULONG);
        // memory
        def(BRK, Result.HEX, PTR);
        def(MMAP, Result.HEX, PTR, ULONG, PROT, MAP_FLAGS, INT, HEX);
        def(MUNMAP, PTR, ULONG);
        def(MREMAP, Result.HEX, PTR, ULONG, ULONG, HEX, PTR);
        def(MPROTECT, PTR, ULONG, PROT);
        def(MADVISE, PTR, ULONG, ADVICE);
        def(MSYNC, PTR, ULONG, HEX);
        def(MLOCK, PTR, ULONG);
        def(MLOCK2, PTR, ULONG, HEX);
        def(MUNLOCK, PTR, ULONG);
        def(MLOCKALL, HEX);
        def(MUNLOCKALL);
        def(MINCORE, PTR, ULONG, PTR);
        // processes
        def(EXIT, Result.NONE, INT);
        def(EXIT_GROUP, Result.NONE, INT);
        def(CLONE, CLONE_ARGS);
        def(CLONE3, PTR, ULONG);
        def(EXECVE, PATH, ARGV, ENVP);
        def(WAIT4, INT, WAIT_STATUS, WAIT_OPTIONS, PTR);
        def(WAITID, INT, INT, PTR, WAIT_OPTIONS, PTR);
        def(GETPID);
        def(GETTID);
        def(GETPPID);
        def(GETUID);
        def(GETEUID);
        def(GETGID);
        def(GETEGID);
        def(SET_TID_ADDRESS, PTR);
        def(SET_ROBUST_LIST, PTR, ULONG);
        def(GET_ROBUST_LIST, INT, PTR, PTR);
        def(FUTEX, FUTEX_ARGS);
        def(UNAME, PTR);
        def(PRLIMIT64, INT, RLIMIT, RLIMIT_IN, RLIMIT_OUT);
        def(GETRLIMIT, RLIMIT, RLIMIT_OUT);
        def(SETRLIMIT, RLIMIT, RLIMIT_IN);
        def(GETRANDOM, BUF_OUT_HEX, ULONG, GRND_FLAGS);
        def(SYSINFO, PTR);
        def(SCHED_YIELD);
        def(SCHED_GETAFFINITY, INT, ULONG, PTR);
        def(KILL, INT, SIGNAL);
        def(TKILL, INT, SIGNAL);
        def(TGKILL, INT, INT, SIGNAL);
        def(RSEQ, PTR, HEX, INT, HEX);
        def(PRCTL, INT, HEX, HEX, HEX, HEX);
        def(PIDFD_OPEN, INT, HEX);
        def(PROCESS_MRELEASE, INT, HEX);
        // signals
        def(RT_SIGACTION, SIGNAL, PTR, PTR, ULONG);
        def(RT_SIGPROCMASK, SIGPROCMASK_HOW, PTR, PTR, ULONG);
        def(SIGALTSTACK, PTR, PTR);
        def(RT_SIGRETURN);
        def(RT_SIGPENDING, PTR, ULONG);
        def(RT_SIGSUSPEND, PTR, ULONG);
        def(RT_SIGTIMEDWAIT, PTR, PTR, PTR, ULONG);
        def(RT_SIGQUEUEINFO, INT, SIGNAL, PTR);
        def(RT_TGSIGQUEUEINFO, INT, INT, SIGNAL, PTR);
        // time and accounting
        def(CLOCK_GETTIME, CLOCK, PTR);
        def(CLOCK_GETRES, CLOCK, PTR);
        def(GETTIMEOFDAY, PTR, PTR);
        def(NANOSLEEP, PTR, PTR);
        def(CLOCK_NANOSLEEP, CLOCK, HEX, PTR, PTR);
        def(GETITIMER, INT, PTR);
        def(SETITIMER, INT, PTR, PTR);
        def(GETRUSAGE, INT, PTR);
        def(TIMES, PTR);
        def(SYSLOG, INT, PTR, INT);
        def(CAPGET, PTR, PTR);
        def(CAPSET, PTR, PTR);
    }

    /** The signature of system call {@code nr}. */
    static SyscallSignature of(int nr) {
        SyscallSignature s = TABLE.get(nr);
        return s != null ? s : SyscallSignature.unknown(nr, SyscallNumbers.name(nr));
    }
}
