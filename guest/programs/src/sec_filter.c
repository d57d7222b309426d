/* seccomp(2) and prctl(PR_SET_SECCOMP/PR_GET_SECCOMP): filters answering ERRNO, TRAP,
 * KILL_PROCESS, TRACE and USER_NOTIF (neither has a tracer or listener), stacked filters,
 * strict mode, the privilege check, the program checks, and inheritance by fork and execve.
 * Architecture-neutral (the native oracle): syscall numbers through SYS_*, the filters
 * check seccomp_data.arch against the running architecture's AUDIT_ARCH. Each test runs
 * in a child, since a filter can never be removed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#elif defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#else
#error "unknown architecture"
#endif

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG0_OFF offsetof(struct seccomp_data, args[0])

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (write(1, buf, n) != n) _exit(99);
}

static long sc(long nr, long a0, long a1, long a2) {
    errno = 0;
    return syscall(nr, a0, a1, a2);
}

static int install(struct sock_filter *f, unsigned short len, unsigned flags) {
    struct sock_fprog prog = {len, f};
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) == 0 ? 0 : errno;
}

/* A filter: wrong architecture kills; call nr gets ret; everything else is allowed. */
static int install_one(int nr, unsigned ret, unsigned flags) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, ret),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    return install(f, sizeof f / sizeof f[0], flags);
}

static void nnp(void) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        say("PR_SET_NO_NEW_PRIVS failed: %s\n", strerror(errno));
        _exit(90);
    }
}

static void status_lines(const char *who) {
    char buf[4096];
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) {
        say("%s: /proc/self/status: %s\n", who, strerror(errno));
        return;
    }
    while (fgets(buf, sizeof buf, f)) {
        if (!strncmp(buf, "NoNewPrivs:", 11) || !strncmp(buf, "Seccomp:", 8) || !strncmp(buf, "Seccomp_filters:", 16)) {
            say("%s: %s", who, buf);
        }
    }
    fclose(f);
}

static void report(const char *what, pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) {
        say("%s: waitpid: %s\n", what, strerror(errno));
    } else if (WIFSIGNALED(st)) {
        say("%s: killed by signal %d\n", what, WTERMSIG(st));
    } else {
        say("%s: exit %d\n", what, WEXITSTATUS(st));
    }
}

/* After execve in a filtered child: the mode and the filter survived. */
static int execd(void) {
    say("execd: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    long r = sc(SYS_getppid, 0, 0, 0);
    say("execd: getppid %ld errno %s\n", r, strerrorname_np(errno));
    status_lines("execd");
    return 0;
}

static void errno_filters(const char *self) {
    nnp();
    say("errno: PR_GET_SECCOMP before %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    int e = install_one(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0);
    say("errno: install %s\n", e ? strerrorname_np(e) : "ok");
    e = install_one(SYS_uname, SECCOMP_RET_ERRNO | 5000, SECCOMP_FILTER_FLAG_TSYNC);
    say("errno: install with TSYNC %s\n", e ? strerrorname_np(e) : "ok");
    long r = sc(SYS_getppid, 0, 0, 0);
    say("errno: getppid %ld errno %s\n", r, strerrorname_np(errno));
    struct utsname u;
    r = sc(SYS_uname, (long) &u, 0, 0);
    say("errno: uname %ld errno %d (capped at MAX_ERRNO)\n", r, errno);
    say("errno: getpid allowed %d\n", sc(SYS_getpid, 0, 0, 0) == getpid());
    say("errno: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    status_lines("errno");
    e = prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) == 0 ? 0 : errno;
    say("errno: strict after filter %s\n", e ? strerrorname_np(e) : "ok");
    pid_t c = fork();
    if (c == 0) {
        r = sc(SYS_getppid, 0, 0, 0);
        say("errno: fork child getppid %ld errno %s\n", r, strerrorname_np(errno));
        _exit(0);
    }
    report("errno: fork child", c);
    execl(self, self, "execd", (char *) NULL);
    say("errno: execl: %s\n", strerror(errno));
    _exit(1);
}

static volatile int trap_code, trap_errno, trap_nr, trap_arch, trap_addr_set;

static void on_sigsys(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    trap_code = si->si_code;
    trap_errno = si->si_errno;
    trap_nr = si->si_syscall;
    trap_arch = si->si_arch == ARCH;
    trap_addr_set = si->si_call_addr != NULL;
}

static void trap_filter(void) {
    nnp();
    struct sigaction sa = {0};
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    int e = install_one(SYS_getppid, SECCOMP_RET_TRAP | 0x42, 0);
    say("trap: install %s\n", e ? strerrorname_np(e) : "ok");
    long r = sc(SYS_getppid, 77, 0, 0);
    /* The call is skipped and the registers rolled back: x0 keeps the first argument on
     * arm64, rax the call number on x86-64. */
#if defined(__aarch64__)
    long rolled_back = 77;
#else
    long rolled_back = SYS_getppid;
#endif
    say("trap: return value rolled back %d\n", r == rolled_back);
    say("trap: si_code %d si_errno 0x%x si_syscall is getppid %d si_arch %d si_call_addr set %d\n",
            trap_code, trap_errno, trap_nr == SYS_getppid, trap_arch, trap_addr_set);
    _exit(0);
}

static void kill_filter(unsigned action) {
    nnp();
    install_one(SYS_getppid, action, 0);
    sc(SYS_getppid, 0, 0, 0);
    say("kill: still alive\n");
    _exit(0);
}

static void blocked_trap(void) {
    nnp();
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigprocmask(SIG_BLOCK, &s, NULL);
    install_one(SYS_getppid, SECCOMP_RET_TRAP, 0);
    sc(SYS_getppid, 0, 0, 0);
    say("blocked trap: still alive\n");
    _exit(0);
}

static void strict_mode(void) {
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) != 0) {
        say("strict: prctl %s\n", strerrorname_np(errno));
        _exit(1);
    }
    static const char msg[] = "strict: write works\n";
    syscall(SYS_write, 1, msg, sizeof msg - 1);
    syscall(SYS_getppid);
    syscall(SYS_write, 1, "strict: still alive\n", 20);
    syscall(SYS_exit, 0);
}

static void no_privilege(void) {
    if (geteuid() == 0) {
        /* root's CAP_SYS_ADMIN would allow it: become an ordinary user (drops every capability) */
        if (setgid(65534) != 0 || setuid(65534) != 0) {
            say("eacces: cannot drop root\n");
            _exit(1);
        }
    }
    int e = install_one(SYS_getppid, SECCOMP_RET_ERRNO | 1, 0);
    say("eacces: install without no_new_privs %s\n", e ? strerrorname_np(e) : "ok");
    say("eacces: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    _exit(0);
}

static void bad_programs(void) {
    nnp();
    struct sock_filter no_ret[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF)};
    struct sock_filter jump_out[] = {
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter ja_out[] = {BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter unknown[] = {BPF_STMT(0xff, 0), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter past_data[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter unaligned[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter byte_load[] = {
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter indirect[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter mem_unset[] = {
        BPF_STMT(BPF_LD | BPF_MEM, 3), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter div_zero[] = {
        BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter shift_32[] = {
        BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_filter mem_16[] = {BPF_STMT(BPF_ST, 16), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    static struct sock_filter big[BPF_MAXINSNS + 1];
    struct {
        const char *name;
        struct sock_filter *f;
        unsigned short len;
    } cases[] = {
        {"no final RET", no_ret, 1},
        {"conditional jump out of range", jump_out, 2},
        {"JA out of range", ja_out, 2},
        {"unknown opcode", unknown, 2},
        {"load past seccomp_data", past_data, 2},
        {"unaligned load", unaligned, 2},
        {"byte load", byte_load, 2},
        {"indirect load", indirect, 2},
        {"scratch read before write", mem_unset, 2},
        {"division by constant 0", div_zero, 2},
        {"shift by 32", shift_32, 2},
        {"scratch slot 16", mem_16, 2},
        {"empty program", no_ret, 0},
        {"4097 instructions", big, BPF_MAXINSNS + 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int e = install(cases[i].f, cases[i].len, 0);
        say("einval: %s: %s\n", cases[i].name, e ? strerrorname_np(e) : "ok");
    }
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    say("einval: unknown flag: %s\n", strerrorname_np(install(allow, 1, 1u << 10)));
    say("einval: TSYNC with NEW_LISTENER: %s\n",
            strerrorname_np(install(allow, 1, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER)));
    errno = 0;
    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *) 8);
    say("efault: bad sock_fprog: %s\n", strerrorname_np(errno));
    struct sock_fprog bad_insns = {1, (struct sock_filter *) 8};
    errno = 0;
    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &bad_insns);
    say("efault: bad instructions: %s\n", strerrorname_np(errno));
    errno = 0;
    syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL);
    say("einval: strict with flags: %s\n", strerrorname_np(errno));
    errno = 0;
    syscall(SYS_seccomp, 99, 0, NULL);
    say("einval: unknown operation: %s\n", strerrorname_np(errno));
    say("einval: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    _exit(0);
}

static void stacked(void) {
    nnp();
    install_one(SYS_getppid, SECCOMP_RET_ERRNO | 11, 0);
    install_one(SYS_getppid, SECCOMP_RET_ERRNO | 22, 0);
    install_one(SYS_getppid, SECCOMP_RET_TRACE, 0);
    install_one(SYS_getppid, SECCOMP_RET_LOG, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
    long r = sc(SYS_getppid, 0, 0, 0);
    say("stacked: getppid %ld errno %d (the newest of the lowest action)\n", r, errno);
    install_one(SYS_getpid, SECCOMP_RET_TRACE, 0);
    r = sc(SYS_getpid, 0, 0, 0);
    say("stacked: TRACE without a tracer %ld errno %s\n", r, strerrorname_np(errno));
    install_one(SYS_getuid, SECCOMP_RET_USER_NOTIF, 0);
    r = sc(SYS_getuid, 0, 0, 0);
    say("stacked: USER_NOTIF without a listener %ld errno %s\n", r, strerrorname_np(errno));
    install_one(SYS_getgid, SECCOMP_RET_LOG, 0);
    say("stacked: LOG allows %d\n", sc(SYS_getgid, 0, 0, 0) == getgid());
    /* RET A: the errno computed from the first argument; scratch memory and ALU on the way. */
    struct sock_filter computed[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getegid, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF),
        BPF_STMT(BPF_ST, 5),
        BPF_STMT(BPF_LDX | BPF_MEM, 5),
        BPF_STMT(BPF_MISC | BPF_TXA, 0),
        BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff),
        BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
        BPF_STMT(BPF_RET | BPF_A, 0),
    };
    say("stacked: computed filter %s\n", install(computed, sizeof computed / sizeof computed[0], 0) ? "failed" : "ok");
    r = sc(SYS_getegid, 7, 0, 0);
    say("stacked: getegid(7) %ld errno %d\n", r, errno);
    status_lines("stacked");
    _exit(0);
}

static void queries(void) {
    unsigned actions[] = {SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
            SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW, 0x00010000, 0x7fff0001};
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        errno = 0;
        long r = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &actions[i]);
        say("query: action 0x%08x available %ld %s\n", actions[i], r, r ? strerrorname_np(errno) : "");
    }
    struct seccomp_notif_sizes sizes;
    long r = syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes);
    say("query: notif sizes %ld: %u %u %u\n", r, sizes.seccomp_notif, sizes.seccomp_notif_resp, sizes.seccomp_data);
    errno = 0;
    syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 1, &actions[0]);
    say("query: action avail with flags %s\n", strerrorname_np(errno));
}

static pthread_barrier_t filtered;

static void *filtered_thread(void *arg) {
    (void) arg;
    pthread_barrier_wait(&filtered); /* the main thread installs the filter (TSYNC) meanwhile */
    pthread_barrier_wait(&filtered);
    sc(SYS_getppid, 0, 0, 0);
    say("threads: filtered thread still alive\n");
    return NULL;
}

/* KILL_THREAD ends only the calling thread while another lives; TSYNC filters every thread. */
static void kill_one_thread(void) {
    nnp();
    pthread_t t;
    pthread_barrier_init(&filtered, NULL, 2);
    pthread_create(&t, NULL, filtered_thread, NULL);
    pthread_barrier_wait(&filtered);
    int e = install_one(SYS_getppid, SECCOMP_RET_KILL_THREAD, SECCOMP_FILTER_FLAG_TSYNC);
    say("threads: install with TSYNC %s\n", e ? strerrorname_np(e) : "ok");
    pthread_barrier_wait(&filtered);
    pthread_join(t, NULL);
    say("threads: joined the killed thread, process alive\n");
    _exit(3);
}

static pthread_barrier_t steps;
static volatile pid_t other_tid;

static void *own_filter_thread(void *arg) {
    (void) arg;
    pthread_barrier_wait(&steps); /* the main thread has a filter of its own now */
    long r = sc(SYS_getppid, 0, 0, 0);
    say("own: other thread's getppid unfiltered %d\n", r > 0);
    int e = install_one(SYS_getuid, SECCOMP_RET_ERRNO | EACCES, 0);
    say("own: other thread's own filter %s\n", e ? strerrorname_np(e) : "ok");
    other_tid = gettid();
    pthread_barrier_wait(&steps);
    pthread_barrier_wait(&steps); /* alive while the main thread tries TSYNC */
    return NULL;
}

/* Without TSYNC a filter is the calling thread's; TSYNC fails on a thread whose chain differs. */
static void own_filters(void) {
    nnp();
    pthread_t t;
    pthread_barrier_init(&steps, NULL, 2);
    pthread_create(&t, NULL, own_filter_thread, NULL);
    install_one(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0);
    pthread_barrier_wait(&steps);
    pthread_barrier_wait(&steps);
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL);
    say("own: NULL program %ld %s\n", r, strerrorname_np(errno));
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog prog = {1, allow};
    r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    say("own: TSYNC returns the other thread's tid %d\n", r == other_tid);
    errno = 0;
    r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH, &prog);
    say("own: TSYNC_ESRCH %ld %s\n", r, strerrorname_np(errno));
    r = sc(SYS_getppid, 0, 0, 0);
    say("own: main thread's getppid %ld %s\n", r, strerrorname_np(errno));
    say("own: main thread's getuid unfiltered %d\n", sc(SYS_getuid, 0, 0, 0) == (long) getuid());
    pthread_barrier_wait(&steps);
    pthread_join(t, NULL);
    _exit(0);
}

/* A filter's EAGAIN for read on an empty pipe is the answer, not a reason to sleep. */
static void eagain_read(void) {
    nnp();
    int fds[2];
    if (pipe(fds) != 0) _exit(1);
    install_one(SYS_read, SECCOMP_RET_ERRNO | EAGAIN, 0);
    char c;
    long r = sc(SYS_read, fds[0], (long) &c, 1);
    say("eagain: read %ld %s\n", r, strerrorname_np(errno));
    _exit(0);
}

static void in_child(const char *what, void (*fn)(void)) {
    pid_t c = fork();
    if (c == 0) {
        fn();
        _exit(0);
    }
    report(what, c);
}

static void kill_process(void) { kill_filter(SECCOMP_RET_KILL_PROCESS); }
static void kill_thread(void) { kill_filter(SECCOMP_RET_KILL_THREAD); }
static void unknown_action(void) { kill_filter(0x00010000); }

static const char *self_path;
static void errno_child(void) { errno_filters(self_path); }

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "execd")) {
        return execd();
    }
    self_path = "/proc/self/exe";
    say("main: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    queries();
    in_child("errno", errno_child);
    in_child("trap", trap_filter);
    in_child("kill process", kill_process);
    in_child("kill thread", kill_thread);
    in_child("unknown action", unknown_action);
    in_child("threads", kill_one_thread);
    in_child("own", own_filters);
    in_child("eagain", eagain_read);
    in_child("blocked trap", blocked_trap);
    in_child("strict", strict_mode);
    in_child("eacces", no_privilege);
    in_child("einval", bad_programs);
    in_child("stacked", stacked);
    status_lines("main");
    return 0;
}
