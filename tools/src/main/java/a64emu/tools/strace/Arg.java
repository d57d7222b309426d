package a64emu.tools.strace;

/**
 * How strace shows one system call argument. Most are decoded when the call is entered;
 * those marked {@link #atExit} describe what the kernel wrote (a buffer read into, a struct
 * filled in) and are decoded when it returns, and only if it succeeded.
 */
enum Arg {
    /** A signed 32-bit number: fds, pids, counts in int. */
    INT,
    /** An unsigned number: sizes, lengths. */
    ULONG,
    /** A signed 64-bit number: offsets. */
    LONG,
    /** A number in hex: magic values, masks. */
    HEX,
    /** An address: {@code NULL} or {@code 0x...}. */
    PTR,
    /** A directory fd of the *at calls: {@code AT_FDCWD} or the number. */
    DIRFD,
    /** A path name, shown whole (strace does not cut paths at -s). */
    PATH,
    /** A buffer the call reads, its length the next argument (write, pwrite64). */
    BUF_IN,
    /** A buffer the call fills, its length the result (read, pread64, readlinkat). */
    BUF_OUT(true),
    /** As {@link #BUF_OUT}, shown as hex bytes (getrandom's random bytes). */
    BUF_OUT_HEX(true),
    /** open(2) flags. */
    OPEN_FLAGS,
    /** A file mode in octal: {@code 0644}. */
    MODE,
    /** open's mode: shown only when the flags before it create a file (O_CREAT), as strace does. */
    OPEN_MODE,
    /** AT_* flags. */
    AT_FLAGS,
    /** mmap/mprotect protection. */
    PROT,
    /** mmap flags. */
    MAP_FLAGS,
    /** A signal number. */
    SIGNAL,
    /** A {@code struct stat} the call fills. */
    STAT(true),
    /** A getrlimit resource. */
    RLIMIT,
    /** A clock id. */
    CLOCK,
    /** lseek's whence. */
    WHENCE,
    /** ioctl's request: {@code TCGETS}. */
    IOCTL_REQUEST,
    /** fcntl's command. */
    FCNTL_CMD,
    /** madvise's advice. */
    ADVICE,
    /** rt_sigprocmask's how. */
    SIGPROCMASK_HOW,
    /** getrandom's flags. */
    GRND_FLAGS,
    /**
     * All of clone's arguments, named as strace names them: {@code child_stack=NULL,
     * flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x...}.
     */
    CLONE_ARGS,
    /**
     * All of futex's arguments, those its operation uses, as strace shows them:
     * {@code 0x4a2174, FUTEX_WAIT_PRIVATE, 0, NULL}.
     */
    FUTEX_ARGS,
    /** wait4's options. */
    WAIT_OPTIONS,
    /** The wait status wait4 stored: {@code [{WIFEXITED(s) && WEXITSTATUS(s) == 3}]}. */
    WAIT_STATUS(true),
    /** A {@code struct rlimit} the call reads (prlimit64's new limit). */
    RLIMIT_IN,
    /** A {@code struct rlimit} the call fills: {@code {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}}. */
    RLIMIT_OUT(true),
    /** An array of strings: execve's argv. */
    ARGV,
    /** An environment array: its address and how many strings, as strace shows envp. */
    ENVP;

    /** Whether the argument is shown from what the kernel wrote (when the call returns). */
    final boolean atExit;

    Arg() {
        this(false);
    }

    Arg(boolean atExit) {
        this.atExit = atExit;
    }
}
