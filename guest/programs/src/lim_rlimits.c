/*
 * Resource limits as Linux enforces them, each printed as a fact that does not depend on
 * the machine: RLIMIT_NOFILE (kernel/sys.c:do_prlimit, fs/file.c:alloc_fd, fs/file.c:ksys_dup3,
 * fs/fcntl.c:f_dupfd), RLIMIT_AS and RLIMIT_DATA (mm/mmap.c:may_expand_vm, from mmap, brk and
 * mremap), RLIMIT_STACK (mm/mmap.c:acct_stack_growth: the stack cannot grow past the limit, the
 * fault is SIGSEGV), RLIMIT_NPROC (kernel/fork.c:copy_process: EAGAIN, root exempt).
 * The native oracle runs it (architecture-neutral).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024ul * 1024)

static const char *err(long r) {
    return r < 0 ? strerrorname_np(errno) : "ok";
}

static void set(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit l = {soft, hard};
    if (setrlimit(resource, &l) != 0) {
        printf("setrlimit(%d): %s\n", resource, strerrorname_np(errno));
    }
}

static void nofile(void) {
    struct rlimit l;
    getrlimit(RLIMIT_NOFILE, &l);
    printf("NOFILE soft limit at most the hard one: %s\n", l.rlim_cur <= l.rlim_max ? "yes" : "no");
    struct rlimit bad = {l.rlim_max + 1, l.rlim_max};
    printf("NOFILE soft above hard: %s\n", err(setrlimit(RLIMIT_NOFILE, &bad)));
    struct rlimit huge = {64, 1ul << 30};
    printf("NOFILE hard above fs.nr_open: %s\n", err(setrlimit(RLIMIT_NOFILE, &huge)));
    set(RLIMIT_NOFILE, 16, l.rlim_max);
    int highest = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
        highest = fd;
    }
    printf("NOFILE 16: descriptors up to %d, then %s\n", highest, strerrorname_np(errno));
    printf("dup2 to 15: %s\n", dup2(0, 15) == 15 ? "ok" : strerrorname_np(errno));
    printf("dup2 to 16: %s\n", err(dup2(0, 16)));
    printf("dup3 to 100: %s\n", err(dup3(0, 100, O_CLOEXEC)));
    printf("F_DUPFD from 16: %s\n", err(fcntl(0, F_DUPFD, 16)));
    printf("F_DUPFD from 3 when full: %s\n", err(fcntl(0, F_DUPFD, 3)));
    close(15);
    printf("F_DUPFD_CLOEXEC from 3 after a close: %s\n",
           fcntl(0, F_DUPFD_CLOEXEC, 3) == 15 ? "15" : strerrorname_np(errno));
    int p[2];
    close(14);
    printf("pipe with one descriptor free: %s\n", err(pipe(p)));
    for (int i = 3; i < 16; i++) {
        close(i);
    }
    set(RLIMIT_NOFILE, l.rlim_cur, l.rlim_max);
}

static void address_space(void) {
    /* This small static program is far below 256 MiB of address space. */
    set(RLIMIT_AS, 256 * MiB, RLIM_INFINITY);
    void *big = mmap(NULL, 512 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("AS 256M: mmap 512M PROT_READ: %s\n", big == MAP_FAILED ? strerrorname_np(errno) : "ok");
    void *small = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("AS 256M: mmap 16M: %s\n", small == MAP_FAILED ? strerrorname_np(errno) : "ok");
    void *grown = mremap(small, 16 * MiB, 400 * MiB, MREMAP_MAYMOVE);
    printf("AS 256M: mremap 16M to 400M: %s\n", grown == MAP_FAILED ? strerrorname_np(errno) : "ok");
    munmap(small, 16 * MiB);
    void *before = sbrk(0);
    printf("AS 256M: brk up 300M: %s\n", brk((char *)before + 300 * MiB) != 0 ? strerrorname_np(errno) : "ok");
    set(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY);
}

static void data(void) {
    set(RLIMIT_DATA, 8 * MiB, RLIM_INFINITY);
    void *rw = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("DATA 8M: mmap 32M private writable: %s\n", rw == MAP_FAILED ? strerrorname_np(errno) : "ok");
    void *ro = mmap(NULL, 32 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("DATA 8M: mmap 32M read-only: %s\n", ro == MAP_FAILED ? strerrorname_np(errno) : "ok");
    void *sh = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("DATA 8M: mmap 32M shared writable: %s\n", sh == MAP_FAILED ? strerrorname_np(errno) : "ok");
    void *before = sbrk(0);
    printf("DATA 8M: brk up 32M: %s\n", brk((char *)before + 32 * MiB) != 0 ? strerrorname_np(errno) : "ok");
    if (ro != MAP_FAILED) munmap(ro, 32 * MiB);
    if (sh != MAP_FAILED) munmap(sh, 32 * MiB);
    set(RLIMIT_DATA, RLIM_INFINITY, RLIM_INFINITY);
}

static int depth(volatile char *above, int n) {
    volatile char frame[4096];
    frame[0] = (char)n;
    frame[4095] = above ? above[0] : 0;
    return n == 0 ? frame[0] : depth(frame, n - 1) + frame[4095];
}

static void stack(void) {
    /* A child recurses 4 MiB deep under a 1 MiB stack limit: SIGSEGV, as the guard stops growth. */
    pid_t pid = fork();
    if (pid == 0) {
        set(RLIMIT_STACK, 1 * MiB, RLIM_INFINITY);
        _exit(depth(NULL, 1024) == 12345);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("STACK 1M: 4M of recursion: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    pid = fork();
    if (pid == 0) {
        set(RLIMIT_STACK, 16 * MiB, RLIM_INFINITY);
        _exit(depth(NULL, 1024) == 12345 ? 2 : 0);
    }
    waitpid(pid, &status, 0);
    printf("STACK 16M: 4M of recursion: %s\n",
           WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : WEXITSTATUS(status) == 0 ? "exited" : "?");
}

static void nproc(void) {
    pid_t pid = fork();
    if (pid == 0) {
        set(RLIMIT_NPROC, 1, 1);
        pid_t c = fork();
        if (c == 0) _exit(0);
        int ok = geteuid() == 0 ? c > 0 : (c < 0 && errno == EAGAIN);
        if (c > 0) waitpid(c, NULL, 0);
        _exit(ok ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("NPROC 1: fork as Linux (EAGAIN, root exempt): %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
}

int main(void) {
    nofile();
    address_space();
    data();
    stack();
    nproc();
    return 0;
}
