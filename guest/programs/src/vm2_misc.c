/*
 * The remaining memory-management calls of issue 15 as an unprivileged arm64
 * Linux 6.1 process sees them: membarrier, futex_waitv, remap_file_pages,
 * process_madvise, process_mrelease, memfd_secret, and the userfaultfd answers
 * that are 6.1- or arm64-specific.
 *
 * Oracle: reasoned (expected/vm2_misc.stdout written from the kernel source).
 * Cited: kernel/sched/membarrier.c:membarrier_private_expedited,
 * kernel/futex/syscalls.c:futex_parse_waitv, mm/mmap.c:remap_file_pages,
 * mm/madvise.c:process_madvise_behavior_valid, mm/oom_kill.c:task_will_free_mem,
 * mm/secretmem.c:memfd_secret, fs/userfaultfd.c:userfaultfd_register.
 * A native run on this machine's newer x86 kernel prints the same except:
 *   - membarrier QUERY: 6.1 with CONFIG_RSEQ and arm64's
 *     ARCH_HAS_MEMBARRIER_SYNC_CORE answers 0x1ff (MEMBARRIER_CMD_BITMASK);
 *     MEMBARRIER_CMD_GET_REGISTRATIONS (0x200) came in 6.3, EINVAL in 6.1
 *     (kernel/sched/membarrier.c).
 *   - process_madvise: 6.1's mm/madvise.c asks CAP_SYS_NICE of every caller
 *     (the exemption for the caller's own process came later): EPERM; and
 *     6.1's process_madvise_behavior_valid() takes only MADV_COLD, PAGEOUT,
 *     WILLNEED and COLLAPSE (MADV_DONTNEED: EINVAL).
 *   - memfd_secret: mm/secretmem.c's secretmem_enable is false unless booted
 *     with secretmem.enable=1 (the default became true in 6.5): ENOSYS.
 *   - userfaultfd: arm64 6.1 has no HAVE_ARCH_USERFAULTFD_WP, so registering
 *     in write-protect mode is EINVAL (userfaultfd_register); the descriptor
 *     is O_RDWR without a write method, so write(2) is EINVAL (6.6 made it
 *     O_RDONLY: EBADF).
 */
#include "vmtest.h"
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX_32
#define FUTEX_32 FUTEX2_SIZE_U32
#endif

struct waitv {
    unsigned long long val, uaddr;
    unsigned int flags, reserved;
};

static long futex_waitv(struct waitv *w, unsigned n, unsigned flags, struct timespec *ts, int clk)
{
    return syscall(SYS_futex_waitv, w, n, flags, ts, clk);
}

static unsigned int words[4] __attribute__((aligned(64)));
static long waker_result;

static void *waker(void *arg)
{
    (void)arg;
    /* Until the main thread sleeps on the words, FUTEX_WAKE finds nobody (0). */
    for (;;) {
        long r = syscall(SYS_futex, &words[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        if (r != 0) { waker_result = r; return NULL; }
        sched_yield();
    }
}

/* The state letter of thread tid in /proc/self/task/TID/stat ('S' while it sleeps). */
static char thread_state(pid_t tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    size_t n = slurp(path, buf, sizeof buf);
    char *close = n ? strrchr(buf, ')') : NULL;
    return close && close[1] == ' ' ? close[2] : '?';
}

static pid_t sleeper_tid;
static volatile sig_atomic_t usr1_seen;
static long restart_waker_result;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_seen = 1;
}

static void wait_until_sleeping(void)
{
    for (int i = 0; i < 1000000 && thread_state(sleeper_tid) != 'S'; i++) sched_yield();
}

/* Signals the sleeper (SA_RESTART handler), waits until it sleeps again, then wakes word 1. */
static void *restart_waker(void *arg)
{
    (void)arg;
    wait_until_sleeping();
    syscall(SYS_tgkill, getpid(), sleeper_tid, SIGUSR1);
    for (int i = 0; i < 1000000 && !usr1_seen; i++) sched_yield();
    wait_until_sleeping();
    restart_waker_result = syscall(SYS_futex, &words[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    return NULL;
}

static long mb(int cmd, unsigned flags, int cpu)
{
    return syscall(SYS_membarrier, cmd, flags, cpu);
}

int main(void)
{
    vt_init();

    /* membarrier. */
    printf("membarrier(QUERY): 0x%lx\n", mb(MEMBARRIER_CMD_QUERY, 0, 0));
    printf("membarrier(QUERY, flags 1): %s\n", rc(mb(MEMBARRIER_CMD_QUERY, 1, 0)));
    printf("membarrier(GLOBAL): %s\n", rc(mb(MEMBARRIER_CMD_GLOBAL, 0, 0)));
    printf("membarrier(GLOBAL_EXPEDITED): %s\n", rc(mb(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0)));
    printf("membarrier(REGISTER_GLOBAL_EXPEDITED): %s\n", rc(mb(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED) unregistered: %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)));
    printf("membarrier(REGISTER_PRIVATE_EXPEDITED_SYNC_CORE): %s\n", rc(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED) after SYNC_CORE's registration: %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED_SYNC_CORE): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0)));
    printf("membarrier(REGISTER_PRIVATE_EXPEDITED): %s\n", rc(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)));
    printf("membarrier(REGISTER_PRIVATE_EXPEDITED) again: %s\n", rc(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED, flags 1): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 1, 0)));
    printf("membarrier(PRIVATE_EXPEDITED_RSEQ) unregistered: %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0)));
    printf("membarrier(REGISTER_PRIVATE_EXPEDITED_RSEQ): %s\n", rc(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0)));
    printf("membarrier(PRIVATE_EXPEDITED_RSEQ, FLAG_CPU, cpu 0): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 0)));
    printf("membarrier(PRIVATE_EXPEDITED_RSEQ, FLAG_CPU, cpu 100000): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 100000)));
    printf("membarrier(PRIVATE_EXPEDITED_RSEQ, flags 2): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 2, 0)));
    printf("membarrier(cmd 3): %s\n", rc(mb(3, 0, 0)));
    printf("membarrier(cmd 0x200, GET_REGISTRATIONS in 6.3): %s\n", rc(mb(0x200, 0, 0)));
    pid_t pid = xfork();
    if (pid == 0) {
        printf("fork child: membarrier(PRIVATE_EXPEDITED): %s\n", rc(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* futex_waitv. */
    struct waitv w[3];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 3; i++) {
        w[i].uaddr = (uintptr_t)&words[i];
        w[i].val = 0;
        w[i].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    }
    printf("futex_waitv(flags 1): %s\n", rc(futex_waitv(w, 3, 1, NULL, 0)));
    printf("futex_waitv(0 entries): %s\n", rc(futex_waitv(w, 0, 0, NULL, 0)));
    printf("futex_waitv(129 entries): %s\n", rc(futex_waitv(w, 129, 0, NULL, 0)));
    printf("futex_waitv(NULL): %s\n", rc(futex_waitv(NULL, 1, 0, NULL, 0)));
    struct timespec past = { 0, 0 };
    printf("futex_waitv(CLOCK_BOOTTIME timeout): %s\n", rc(futex_waitv(w, 3, 0, &past, CLOCK_BOOTTIME)));
    struct timespec badns = { 0, 1000000000 };
    printf("futex_waitv(tv_nsec 1e9): %s\n", rc(futex_waitv(w, 3, 0, &badns, CLOCK_MONOTONIC)));
    w[1].flags = 0 | FUTEX_PRIVATE_FLAG;
    printf("futex_waitv(entry of size U8): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[1].flags = 3;
    printf("futex_waitv(entry of size U64): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    w[1].reserved = 1;
    printf("futex_waitv(reserved set): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[1].reserved = 0;
    w[1].uaddr = (uintptr_t)&words[1] + 1;
    printf("futex_waitv(misaligned word): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[1].uaddr = 8;
    printf("futex_waitv(unmapped word): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[1].uaddr = (uintptr_t)&words[1];
    words[2] = 7;
    printf("futex_waitv(word 2 changed): %s\n", rc(futex_waitv(w, 3, 0, NULL, 0)));
    w[2].val = 7;
    printf("futex_waitv(values match, past timeout): %s\n", rc(futex_waitv(w, 3, 0, &past, CLOCK_MONOTONIC)));
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 20 * 1000 * 1000;
    if (soon.tv_nsec >= 1000000000) { soon.tv_sec++; soon.tv_nsec -= 1000000000; }
    printf("futex_waitv(20 ms on CLOCK_REALTIME): %s\n", rc(futex_waitv(w, 3, 0, &soon, CLOCK_REALTIME)));
    pthread_t th;
    pthread_create(&th, NULL, waker, NULL);
    long r = futex_waitv(w, 3, 0, NULL, 0);
    pthread_join(th, NULL);
    printf("futex_waitv woken by FUTEX_WAKE of word 2: %s, the waker woke %ld\n", rc(r), waker_result);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sleeper_tid = gettid();
    pthread_create(&th, NULL, restart_waker, NULL);
    r = futex_waitv(w, 3, 0, NULL, 0);
    pthread_join(th, NULL);
    printf("futex_waitv across an SA_RESTART handler: handler ran %s, then woken by word 1: %s, the waker woke %ld\n",
           yesno(usr1_seen), rc(r), restart_waker_result);

    /* remap_file_pages. */
    int fd = temp_file(4 * PAGE, NULL);
    char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("page 0 reads '%c' before\n", m[0]);
    printf("remap_file_pages(page 0 -> file page 3): %s\n", rc(syscall(SYS_remap_file_pages, m, PAGE, 0, 3, 0)));
    printf("page 0 reads '%c', page 1 '%c', areas %d\n", m[0], m[PAGE], vmas_in(m, 4 * PAGE));
    printf("remap_file_pages(pages 1-2 -> 0, unaligned start and size): %s\n",
           rc(syscall(SYS_remap_file_pages, m + PAGE + 5, 2 * PAGE + 7, 0, 0, 0)));
    printf("page 1 reads '%c', page 2 '%c', page 3 '%c'\n", m[PAGE], m[2 * PAGE], m[3 * PAGE]);
    printf("remap_file_pages(all, across the areas -> 0): %s\n", rc(syscall(SYS_remap_file_pages, m, 4 * PAGE, 0, 0, 0)));
    printf("pages read '%c%c%c%c', areas %d\n", m[0], m[PAGE], m[2 * PAGE], m[3 * PAGE], vmas_in(m, 4 * PAGE));
    printf("remap_file_pages(prot READ): %s\n", rc(syscall(SYS_remap_file_pages, m, PAGE, PROT_READ, 1, 0)));
    printf("remap_file_pages(past the mapping): %s\n", rc(syscall(SYS_remap_file_pages, m + 3 * PAGE, 2 * PAGE, 0, 1, 0)));
    char *priv = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("remap_file_pages(private mapping): %s\n", rc(syscall(SYS_remap_file_pages, priv, PAGE, 0, 1, 0)));
    char *hole = fenced(PAGE);
    printf("remap_file_pages(unmapped): %s\n", rc(syscall(SYS_remap_file_pages, hole, PAGE, 0, 1, 0)));
    char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh[0] = 'x';
    sh[PAGE] = 'y';
    printf("remap_file_pages(shared anonymous page 0 -> 1): %s\n", rc(syscall(SYS_remap_file_pages, sh, PAGE, 0, 1, 0)));
    printf("shared anonymous page 0 reads '%c', page 1 '%c'\n", sh[0], sh[PAGE]);
    sh[0] = 'z';
    printf("a write through page 0 shows at page 1: '%c'\n", sh[PAGE]);

    /* process_madvise. */
    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    struct iovec iov = { m, PAGE };
    printf("process_madvise(flags 1): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_COLD, 1)));
    printf("process_madvise(1025 iovecs): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1025, MADV_COLD, 0)));
    printf("process_madvise(bad iovec address): %s\n", rc(syscall(SYS_process_madvise, pidfd, (void *)8, 1, MADV_COLD, 0)));
    printf("process_madvise(not a pidfd): %s\n", rc(syscall(SYS_process_madvise, fd, &iov, 1, MADV_COLD, 0)));
    printf("process_madvise(MADV_DONTNEED): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_DONTNEED, 0)));
    printf("process_madvise(MADV_COLD, own process): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_COLD, 0)));
    printf("process_madvise(MADV_PAGEOUT, own process): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_PAGEOUT, 0)));
    printf("process_madvise(MADV_WILLNEED, own process): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_WILLNEED, 0)));
    printf("process_madvise(MADV_COLLAPSE, own process): %s\n", rc(syscall(SYS_process_madvise, pidfd, &iov, 1, 25, 0)));

    /* process_mrelease: only a dying process's memory. */
    printf("process_mrelease(flags 1): %s\n", rc(syscall(SYS_process_mrelease, pidfd, 1)));
    printf("process_mrelease(not a pidfd): %s\n", rc(syscall(SYS_process_mrelease, fd, 0)));
    printf("process_mrelease(own process, alive): %s\n", rc(syscall(SYS_process_mrelease, pidfd, 0)));
    pid = xfork();
    if (pid == 0) {
        for (;;) pause();
    }
    int child = syscall(SYS_pidfd_open, pid, 0);
    printf("process_mrelease(child, alive): %s\n", rc(syscall(SYS_process_mrelease, child, 0)));
    kill(pid, SIGKILL);
    siginfo_t si;
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    printf("process_mrelease(child, exited, not reaped): %s\n", rc(syscall(SYS_process_mrelease, child, 0)));
    waitpid(pid, NULL, 0);
    printf("process_mrelease(child, reaped): %s\n", rc(syscall(SYS_process_mrelease, child, 0)));

    /* memfd_secret. */
    printf("memfd_secret(0): %s\n", rc(syscall(SYS_memfd_secret, 0)));

    /* userfaultfd, the 6.1 arm64 answers. */
    int uffd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_NONBLOCK);
    struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_EVENT_FORK };
    printf("UFFDIO_API(EVENT_FORK) unprivileged: %s\n", rc(ioctl(uffd, UFFDIO_API, &api)));
    api = (struct uffdio_api){ .api = UFFD_API };
    printf("UFFDIO_API: %s\n", rc(ioctl(uffd, UFFDIO_API, &api)));
    char *a = fenced(2 * PAGE);
    a = mmap(a, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    struct uffdio_register reg = { .range = { (uintptr_t)a, 2 * PAGE }, .mode = UFFDIO_REGISTER_MODE_WP };
    printf("REGISTER write-protect mode: %s\n", rc(ioctl(uffd, UFFDIO_REGISTER, &reg)));
    reg = (struct uffdio_register){ .range = { (uintptr_t)a, 2 * PAGE }, .mode = UFFDIO_REGISTER_MODE_MISSING };
    printf("REGISTER missing mode: %s\n", rc(ioctl(uffd, UFFDIO_REGISTER, &reg)));
    struct uffdio_writeprotect wp = { .range = { (uintptr_t)a, PAGE }, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
    printf("WRITEPROTECT a missing-mode range: %s\n", rc(ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)));
    struct uffd_msg msg;
    printf("write(userfaultfd): %s\n", rc(write(uffd, &msg, sizeof msg)));
    struct uffdio_range ur = { (uintptr_t)hole, PAGE };
    printf("UNREGISTER a hole: %s\n", rc(ioctl(uffd, UFFDIO_UNREGISTER, &ur)));
    return 0;
}
