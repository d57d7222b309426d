/*
 * Processes, threads and signals under the guest kernel: one static program, the case
 * named by argv[1]. Output is independent of addresses and pids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int shared_before_fork = 100;

static void print_status(int i, int status) {
    if (WIFEXITED(status))
        printf("child %d: exited %d\n", i, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("child %d: killed by signal %d%s\n", i, WTERMSIG(status), WCOREDUMP(status) ? " (core dumped)" : "");
    else
        printf("child %d: status 0x%x\n", i, status);
}

/* Eight children write to memory shared before fork; each sees its own value, the parent its. */
static int fork8(void) {
    char *heap = malloc(64);
    strcpy(heap, "parent");
    pid_t pids[8];
    for (int i = 0; i < 8; i++) {
        pids[i] = fork();
        if (pids[i] < 0) { perror("fork"); return 1; }
        if (pids[i] == 0) {
            shared_before_fork = 1000 + i;
            snprintf(heap, 64, "child%d", i);
            for (volatile int spin = 0; spin < 20000; spin++) {}
            if (shared_before_fork != 1000 + i || strcmp(heap, "child") == 0) _exit(99);
            if (getppid() == 0) _exit(98);
            if (i == 6) { volatile int *p = 0; *p = 1; }
            if (i == 7) raise(SIGTERM);
            _exit(10 + i);
        }
    }
    for (int i = 0; i < 8; i++) {
        int status;
        pid_t r = waitpid(pids[i], &status, 0);
        if (r != pids[i]) { printf("waitpid %d returned %d\n", i, r); return 1; }
        print_status(i, status);
    }
    printf("parent: shared_before_fork=%d heap=%s\n", shared_before_fork, heap);
    int status;
    printf("wait again: %d errno=%s\n", wait(&status), errno == ECHILD ? "ECHILD" : strerror(errno));
    return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value;

static void *worker(void *arg) {
    long id = (long) arg;
    tls_value = (int) id;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    while (!ready) pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return (void *) (id * 100 + tls_value);
}

static int threads(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *) i);
    pthread_mutex_lock(&lock);
    ready = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        printf("thread %d returned %ld\n", i, (long) ret);
    }
    printf("counter=%ld (expected %d)\n", counter, 4 * 20000);
    printf("main tid is pid: %s\n", gettid() == getpid() ? "yes" : "no");
    return 0;
}

static char *page;
static int segv_count;

static void on_segv(int sig, siginfo_t *si, void *uc_) {
    ucontext_t *uc = uc_;
    segv_count++;
    printf("handler: sig=%d code=%s addr=page+%ld fault_address=page+%ld\n", sig,
           si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : si->si_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?",
           (long) ((char *) si->si_addr - page), (long) ((char *) uc->uc_mcontext.fault_address - page));
    /* esr_context after fpsimd_context in __reserved */
    struct _aarch64_ctx *h = (struct _aarch64_ctx *) uc->uc_mcontext.__reserved;
    printf("handler: first record magic=0x%x size=%u\n", h->magic, h->size);
    h = (struct _aarch64_ctx *) ((char *) h + h->size);
    if (h->magic == ESR_MAGIC)
        printf("handler: esr EC=0x%llx WnR=%llu\n", (unsigned long long) (((struct esr_context *) h)->esr >> 26),
               (unsigned long long) ((((struct esr_context *) h)->esr >> 6) & 1));
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static int segv_fix(void) {
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page[16] = 42;
    mprotect(page, 4096, PROT_READ);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    page[100] = 7;
    printf("after handler: page[16]=%d page[100]=%d handler ran %d time(s)\n", page[16], page[100], segv_count);
    return 0;
}

static sigjmp_buf jump;

static void on_segv_jump(int sig) {
    siglongjmp(jump, sig);
}

static int longjmp_out(void) {
    signal(SIGSEGV, on_segv_jump);
    sigset_t set;
    for (int round = 0; round < 3; round++) {
        int r = sigsetjmp(jump, 1);
        if (r == 0) {
            volatile int *p = (int *) 0x10;
            *p = 1;
            printf("not reached\n");
        } else {
            sigprocmask(SIG_BLOCK, NULL, &set);
            printf("round %d: recovered from signal %d, SIGSEGV blocked after siglongjmp: %s\n", round, r,
                   sigismember(&set, SIGSEGV) ? "yes" : "no");
        }
    }
    return 0;
}

static char altstack[16384] __attribute__((aligned(16)));
static volatile int on_alt;

static void on_usr1(int sig) {
    char local;
    on_alt = &local >= altstack && &local < altstack + sizeof altstack;
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    int r = sigaltstack(&ss, NULL);
    printf("in handler: sigaltstack while on it -> %d %s\n", r, r < 0 && errno == EPERM ? "EPERM" : "?");
    stack_t old;
    sigaltstack(NULL, &old);
    printf("in handler: ss_flags has SS_ONSTACK: %s\n", (old.ss_flags & SS_ONSTACK) ? "yes" : "no");
}

static int altstack_case(void) {
    stack_t small = {.ss_sp = altstack, .ss_size = 1024};
    int r = sigaltstack(&small, NULL);
    printf("small stack -> %d %s\n", r, r < 0 && errno == ENOMEM ? "ENOMEM" : "?");
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    printf("sigaltstack -> %d\n", sigaltstack(&ss, NULL));
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("handler ran on the alternate stack: %s\n", on_alt ? "yes" : "no");
    return 0;
}

static void on_usr1_noop(int sig) {}

static int exec_case(char *self) {
    int keep = open(self, O_RDONLY);
    int cloexec = open(self, O_RDONLY | O_CLOEXEC);
    signal(SIGUSR1, on_usr1_noop);
    signal(SIGTERM, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        char kept[16], closed[16];
        snprintf(kept, sizeof kept, "%d", keep);
        snprintf(closed, sizeof closed, "%d", cloexec);
        char *argv[] = {self, "exec-child", "one", "two", kept, closed, NULL};
        char pidenv[32];
        snprintf(pidenv, sizeof pidenv, "A64EMU_PID=%d", getpid());
        char *envp[] = {"A64EMU_EXEC=yes", pidenv, NULL};
        execve(self, argv, envp);
        perror("execve");
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    print_status(0, status);
    char *bad[] = {"/nonexistent", NULL};
    printf("execve of a missing file: %d %s\n", execve("/nonexistent/prog", bad, NULL),
           errno == ENOENT ? "ENOENT" : strerror(errno));
    return 0;
}

static int exec_child(int argc, char **argv) {
    printf("exec-child: argc=%d argv[2]=%s argv[3]=%s env=%s\n", argc, argv[2], argv[3], getenv("A64EMU_EXEC"));
    int kept = fcntl(atoi(argv[4]), F_GETFD);
    int closed = fcntl(atoi(argv[5]), F_GETFD);
    printf("exec-child: plain fd open: %s, O_CLOEXEC fd closed: %s\n", kept >= 0 ? "yes" : "no",
           closed < 0 && errno == EBADF ? "yes" : "no");
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    printf("exec-child: caught SIGUSR1 reset to default: %s\n", sa.sa_handler == SIG_DFL ? "yes" : "no");
    sigaction(SIGTERM, NULL, &sa);
    printf("exec-child: ignored SIGTERM still ignored: %s\n", sa.sa_handler == SIG_IGN ? "yes" : "no");
    printf("exec-child: same pid as before exec: %s\n", atoi(getenv("A64EMU_PID")) == getpid() ? "yes" : "no");
    return 3;
}

static volatile int chld_count, usr1_count;
static void on_chld(int sig) { chld_count++; }
static void on_usr1_count(int sig) { usr1_count++; }

static int kill_case(void) {
    signal(SIGCHLD, on_chld);
    signal(SIGUSR1, on_usr1_count);
    kill(getpid(), SIGUSR1);
    printf("SIGUSR1 to self handled: %d\n", usr1_count);
    int sigs[] = {SIGTERM, SIGKILL, SIGINT, SIGQUIT, SIGABRT, SIGUSR2};
    for (int i = 0; i < 6; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            for (;;) pause();
        }
        kill(pid, sigs[i]);
        int status;
        waitpid(pid, &status, 0);
        print_status(i, status);
    }
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGTERM, SIG_IGN);
        kill(getpid(), SIGTERM);
        kill(getpid(), SIGCHLD); /* default action: ignore */
        _exit(5);
    }
    int status;
    waitpid(pid, &status, 0);
    print_status(6, status);
    printf("kill of a missing pid: %d %s\n", kill(99999, SIGTERM), errno == ESRCH ? "ESRCH" : "?");
    printf("SIGCHLD handler ran: %s\n", chld_count >= 7 ? "for every child" : "not for every child");
    return 0;
}

static int forkbomb(void) {
    struct rlimit lim = {64, 64};
    setrlimit(RLIMIT_NPROC, &lim); /* binds a user; root (CAP_SYS_RESOURCE) only meets threads-max */
    int n = 0;
    pid_t pid;
    for (;;) {
        pid = fork();
        if (pid == 0) {
            for (;;) pause();
        }
        if (pid < 0) break;
        n++;
    }
    int err = errno;
    printf("fork failed with %s after at least 10 children: %s\n",
           err == EAGAIN ? "EAGAIN" : err == ENOMEM ? "ENOMEM" : strerror(err), n >= 10 ? "yes" : "no");
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    int reaped = 0;
    while (wait(NULL) > 0) reaped++;
    printf("reaped every child: %s\n", reaped == n ? "yes" : "no");
    return 0;
}

static int deadlock(void) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    printf("locking twice\n");
    fflush(stdout);
    pthread_mutex_lock(&m);
    return 0;
}

static int vfork_case(void) {
    volatile int local = 1;
    pid_t pid = vfork();
    if (pid == 0) {
        local = 2; /* the parent's memory: vfork shares it */
        _exit(4);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("vfork: local=%d ", local);
    print_status(0, status);
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *sleeper(void *arg) {
    usleep(300000);
    return arg;
}

/* Sleeping threads and processes: the time passes for the guest. */
static int sleep_case(void) {
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        sleep(2);
        _exit(0);
    }
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    pthread_join(t, NULL);
    double t1 = now();
    int status;
    waitpid(pid, &status, 0);
    double t2 = now();
    printf("thread slept at least 0.3 s: %s\n", t1 - t0 >= 0.3 ? "yes" : "no");
    printf("child slept at least 2 s: %s\n", t2 - t0 >= 2.0 ? "yes" : "no");
    struct timespec req = {5, 0}, rem = {0, 0};
    signal(SIGALRM, SIG_DFL);
    printf("nanosleep with a bad timespec: %s\n",
           nanosleep(&(struct timespec){0, 2000000000}, NULL) < 0 && errno == EINVAL ? "EINVAL" : "?");
    (void) req; (void) rem;
    return 0;
}

static void on_usr2_corrupt(int sig, siginfo_t *si, void *uc_) {
    ucontext_t *uc = uc_;
    uc->uc_mcontext.pstate |= 0x5; /* EL1h: not a state user space may return to */
}

/* A fault while its signal is blocked cannot be handled: the default action kills. */
static int segv_blocked(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("faulting with SIGSEGV blocked\n");
    volatile int *p = (int *) 0x18;
    return *p;
}

/* rt_sigreturn checks the frame: a handler that makes PSTATE privileged gets SIGSEGV. */
static int bad_frame(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_usr2_corrupt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    printf("returning from a handler with a corrupted frame\n");
    raise(SIGUSR2);
    printf("not reached\n");
    return 0;
}

/* A pipe larger than its buffer between two processes, end of file, and SIGPIPE/EPIPE. */
static int pipe_case(void) {
    int fds[2];
    if (pipe(fds) < 0) { perror("pipe"); return 1; }
    enum { TOTAL = 200000 };
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[1]);
        static char buf[8192];
        long total = 0, sum = 0, n;
        while ((n = read(fds[0], buf, sizeof buf)) > 0) {
            for (long i = 0; i < n; i++) sum += (unsigned char) buf[i];
            total += n;
        }
        printf("reader: %ld bytes, checksum %ld, then end of file (%ld)\n", total, sum, n);
        _exit(0);
    }
    close(fds[0]);
    static char data[TOTAL];
    long sum = 0;
    for (int i = 0; i < TOTAL; i++) { data[i] = (char) (i * 7); sum += (unsigned char) data[i]; }
    long off = 0;
    while (off < TOTAL) {
        long n = write(fds[1], data + off, TOTAL - off);
        if (n <= 0) { perror("write"); return 1; }
        off += n;
    }
    close(fds[1]);
    int status;
    waitpid(pid, &status, 0);
    printf("writer: %ld bytes, checksum %ld\n", off, sum);

    pipe(fds);
    close(fds[0]);
    pid = fork();
    if (pid == 0) {
        write(fds[1], "x", 1);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    print_status(0, status);
    signal(SIGPIPE, SIG_IGN);
    long r = write(fds[1], "x", 1);
    printf("write with no reader, SIGPIPE ignored: %ld %s\n", r, errno == EPIPE ? "EPIPE" : "?");
    int nb[2];
    pipe2(nb, O_NONBLOCK);
    char c;
    r = read(nb[0], &c, 1);
    printf("read of an empty O_NONBLOCK pipe: %ld %s\n", r, errno == EAGAIN ? "EAGAIN" : "?");
    return 0;
}

static pthread_mutex_t robust;

static void *die_holding(void *arg) {
    pthread_mutex_lock(&robust);
    return arg; /* exits with the robust mutex held */
}

/* A thread that ends holding a robust mutex: the kernel marks it FUTEX_OWNER_DIED. */
static int robust_case(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_t t;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("lock after the owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);
    printf("lock again: %d\n", pthread_mutex_lock(&robust));
    return 0;
}

static volatile int alarms;
static void on_alarm(int sig) { alarms++; }

/* alarm(3) through ITIMER_REAL: the handler interrupts pause(); an unhandled alarm kills. */
static int alarm_case(void) {
    signal(SIGALRM, on_alarm);
    double t0 = now();
    alarm(2);
    int r = pause();
    printf("pause -> %d %s, handler ran %d time(s), after at least 2 s: %s\n", r, errno == EINTR ? "EINTR" : "?",
           alarms, now() - t0 >= 2.0 ? "yes" : "no");
    alarm(100);
    unsigned left = alarm(0);
    printf("alarm(0) after alarm(100) leaves %s\n", left >= 99 && left <= 100 ? "about 100 s" : "?");
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    for (;;) pause();
}

static volatile int usr2_seen;
static void on_usr2(int sig) { usr2_seen++; }

/* sigtimedwait takes a blocked signal synchronously; sigsuspend waits with another mask. */
static int sigwait_case(void) {
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        kill(parent, SIGUSR1);
        usleep(100000);
        kill(parent, SIGUSR2);
        _exit(0);
    }
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR1);
    siginfo_t si;
    int sig = sigwaitinfo(&one, &si);
    printf("sigwaitinfo: %s from the child: %s, code SI_USER: %s\n", sig == SIGUSR1 ? "SIGUSR1" : "?",
           si.si_pid == pid ? "yes" : "no", si.si_code == SI_USER ? "yes" : "no");
    struct timespec ts = {0, 50000000};
    sig = sigtimedwait(&one, &si, &ts);
    printf("sigtimedwait with nothing pending: %d %s\n", sig, errno == EAGAIN ? "EAGAIN" : "?");
    signal(SIGUSR2, on_usr2);
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGUSR2);
    int r = sigsuspend(&wait_mask);
    sigset_t now_mask;
    sigprocmask(SIG_BLOCK, NULL, &now_mask);
    printf("sigsuspend: %d %s, handler ran %d, SIGUSR2 blocked again after: %s\n", r, errno == EINTR ? "EINTR" : "?",
           usr2_seen, sigismember(&now_mask, SIGUSR2) ? "yes" : "no");
    waitpid(pid, NULL, 0);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) return 2;
    const char *c = argv[1];
    if (!strcmp(c, "fork8")) return fork8();
    if (!strcmp(c, "threads")) return threads();
    if (!strcmp(c, "segv-fix")) return segv_fix();
    if (!strcmp(c, "longjmp")) return longjmp_out();
    if (!strcmp(c, "altstack")) return altstack_case();
    if (!strcmp(c, "exec")) return exec_case(argv[0]);
    if (!strcmp(c, "exec-child")) return exec_child(argc, argv);
    if (!strcmp(c, "kill")) return kill_case();
    if (!strcmp(c, "forkbomb")) return forkbomb();
    if (!strcmp(c, "deadlock")) return deadlock();
    if (!strcmp(c, "vfork")) return vfork_case();
    if (!strcmp(c, "sleep")) return sleep_case();
    if (!strcmp(c, "pipe")) return pipe_case();
    if (!strcmp(c, "robust")) return robust_case();
    if (!strcmp(c, "alarm")) return alarm_case();
    if (!strcmp(c, "sigwait")) return sigwait_case();
    if (!strcmp(c, "segv-blocked")) return segv_blocked();
    if (!strcmp(c, "bad-frame")) return bad_frame();
    if (!strcmp(c, "abort")) { printf("aborting\n"); abort(); }
    return 2;
}
