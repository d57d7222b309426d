/* Restartable sequences (rseq, syscall 293) as Linux 6.1 kernel/rseq.c provides them:
 * glibc's registration at start-up, the system call's error cases, cpu_id written on
 * the way back to user space, a critical section aborted by a signal and by preemption
 * (rseq_ip_fixup), the registration kept by a fork child and dropped by execve.
 * Each printed line names the kernel function that makes it so. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static long sys_rseq(void *area, uint32_t len, int flags, uint32_t sig)
{
    long r = syscall(SYS_rseq, area, len, flags, sig);
    return r < 0 ? -errno : r;
}

static const char *err(long r)
{
    static char buf[32];
    switch (r) {
    case 0: return "0";
    case -EINVAL: return "EINVAL";
    case -EPERM: return "EPERM";
    case -EBUSY: return "EBUSY";
    case -EFAULT: return "EFAULT";
    case -ENOSYS: return "ENOSYS";
    }
    snprintf(buf, sizeof buf, "%ld", r);
    return buf;
}

static struct rseq *glibc_area(void)
{
    return (struct rseq *) ((char *) __builtin_thread_pointer() + __rseq_offset);
}

static struct rseq mine __attribute__((aligned(32)));
static struct rseq unaligned_host[2] __attribute__((aligned(32)));

static volatile int give_up;            /* ends a section's wait when no abort came */
static volatile uintptr_t handler_pc;   /* the PC the signal frame saved */

static void on_alarm(int sig, siginfo_t *si, void *uc_)
{
    (void) sig;
    (void) si;
    ucontext_t *uc = uc_;
    handler_pc = uc->uc_mcontext.pc;
    give_up = 1;
}

/* A critical section [1, 2) that waits for give_up; abort_ip is 4, after the signature.
 * Returns 1 if it was aborted, 0 if it committed; *abort_ip is the handler's address. */
static int wait_in_section(struct rseq *area, uintptr_t *abort_ip)
{
    int aborted;
    uintptr_t abort_addr;
    __asm__ volatile(
        ".pushsection __rseq_cs, \"aw\"\n"
        ".balign 32\n"
        "3: .long 0, 0\n"                      /* version, flags */
        ".quad 1f, (2f - 1f), 4f\n"            /* start_ip, post_commit_offset, abort_ip */
        ".popsection\n"
        "adrp x9, 3b\n"
        "add x9, x9, :lo12:3b\n"
        "adr %[abort_addr], 4f\n"
        "str x9, [%[cs]]\n"                    /* rseq->rseq_cs = &descriptor */
        "1: ldr w10, [%[flag]]\n"
        "cbz w10, 1b\n"
        "2: mov %w[aborted], #0\n"             /* committed: the wait ended by itself */
        "b 5f\n"
        ".inst 0xd428bc00\n"                   /* RSEQ_SIG before the abort handler */
        "4: mov %w[aborted], #1\n"
        "5:\n"
        : [aborted] "=&r"(aborted), [abort_addr] "=&r"(abort_addr)
        : [cs] "r"(&area->rseq_cs), [flag] "r"(&give_up)
        : "x9", "x10", "memory", "cc");
    *abort_ip = abort_addr;
    return aborted;
}

static volatile int worker_done;
static int worker_aborted;
static long worker_registered;

static void *worker(void *arg)
{
    (void) arg;
    uintptr_t abort_ip;
    /* A new thread starts unregistered (rseq_fork with CLONE_VM), and glibc registers
     * it only when the creating thread is registered (cpu_id >= 0), which main no
     * longer is: the worker registers glibc's area of its own itself. */
    worker_registered = sys_rseq(glibc_area(), 32, 0, RSEQ_SIG);
    worker_aborted = wait_in_section(glibc_area(), &abort_ip);
    worker_done = 1;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-execve") == 0) {
        /* rseq_execve cleared the registration: glibc's new one succeeded. */
        printf("after execve: glibc registered %s, cpu_id %d\n", __rseq_size ? "yes" : "no",
               __rseq_size ? (int) glibc_area()->cpu_id : -99);
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* kernel/rseq.c:sys_rseq accepted glibc's area; kernel/rseq.c:rseq_update_cpu_id
     * wrote cpu_id_start and cpu_id (0: one CPU) on the way back to user space. */
    struct rseq *g = glibc_area();
    printf("glibc registered: %s (__rseq_size %u)\n", __rseq_size ? "yes" : "no", __rseq_size);
    if (!__rseq_size) {
        printf("rseq unavailable: %s\n", err(sys_rseq(&mine, sizeof mine, 0, RSEQ_SIG)));
        return 1;
    }
    printf("glibc's area: cpu_id_start %u, cpu_id %d, sched_getcpu %d\n", g->cpu_id_start, (int) g->cpu_id, sched_getcpu());

    /* kernel/rseq.c:sys_rseq on a registered thread: the same area and sig is EBUSY,
     * another sig EPERM, another area or length EINVAL; flags other than
     * RSEQ_FLAG_UNREGISTER are EINVAL. */
    printf("same area and sig again: %s\n", err(sys_rseq(g, 32, 0, RSEQ_SIG)));
    printf("same area, other sig: %s\n", err(sys_rseq(g, 32, 0, RSEQ_SIG + 1)));
    printf("other area: %s\n", err(sys_rseq(&mine, 32, 0, RSEQ_SIG)));
    printf("same area, length 64: %s\n", err(sys_rseq(g, 64, 0, RSEQ_SIG)));
    printf("unknown flag 2: %s\n", err(sys_rseq(g, 32, 2, RSEQ_SIG)));
    printf("unregister with other sig: %s\n", err(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG + 1)));
    printf("unregister other area: %s\n", err(sys_rseq(&mine, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG)));
    printf("unregister with flag 3: %s\n", err(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER | 2, RSEQ_SIG)));

    /* kernel/rseq.c:rseq_reset_rseq_cpu_id on unregistration: cpu_id_start 0, cpu_id -1
     * (RSEQ_CPU_ID_UNINITIALIZED). */
    printf("unregister glibc's: %s\n", err(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG)));
    printf("glibc's area after unregistration: cpu_id_start %u, cpu_id %d\n", g->cpu_id_start, (int) g->cpu_id);
    printf("unregister again: %s\n", err(sys_rseq(g, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG)));

    /* kernel/rseq.c:sys_rseq on an unregistered thread: 32-byte alignment and length
     * sizeof(struct rseq) (EINVAL), then access_ok (EFAULT past TASK_SIZE). */
    printf("misaligned area: %s\n", err(sys_rseq((char *) unaligned_host + 8, 32, 0, RSEQ_SIG)));
    printf("length 31: %s\n", err(sys_rseq(&mine, 31, 0, RSEQ_SIG)));
    printf("length 64: %s\n", err(sys_rseq(&mine, 64, 0, RSEQ_SIG)));
    printf("kernel address: %s\n", err(sys_rseq((void *) 0xffff000000000000UL, 32, 0, RSEQ_SIG)));
    mine.cpu_id = 12345;
    printf("register own area: %s\n", err(sys_rseq(&mine, 32, 0, RSEQ_SIG)));
    printf("own area after registration: cpu_id_start %u, cpu_id %d\n", mine.cpu_id_start, (int) mine.cpu_id);

    /* A signal while the PC is in the section: arch/arm64/kernel/signal.c:handle_signal
     * calls rseq_signal_deliver, and kernel/rseq.c:rseq_ip_fixup moves the PC to abort_ip
     * before the frame is built, so the handler's saved PC is abort_ip, and rseq_cs is
     * cleared (clear_rseq_cs). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    uintptr_t abort_ip;
    int aborted = wait_in_section(&mine, &abort_ip);
    printf("signal in the section: %s\n", aborted ? "aborted" : "committed");
    printf("handler's saved pc is abort_ip: %s\n", handler_pc == abort_ip ? "yes" : "no");
    printf("rseq_cs after the abort: %llu\n", (unsigned long long) mine.rseq_cs);

    /* A signal outside any section: kernel/rseq.c:rseq_ip_fixup only clears rseq_cs. */
    give_up = 0;
    handler_pc = 0;
    raise(SIGALRM);
    printf("signal outside a section: handler ran %s\n", handler_pc ? "yes" : "no");

    /* Preemption in the section (kernel/sched/core.c:prepare_task_switch calls rseq_preempt,
     * kernel/rseq.c:__rseq_handle_notify_resume fixes the PC up on the way back):
     * the worker spins in its section until the main thread, yielding, gets the CPU. */
    give_up = 0;
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    for (int i = 0; i < 20 && !worker_done; i++)
        sched_yield();
    give_up = 1;
    pthread_join(th, NULL);
    printf("worker registers glibc's area: %s\n", err(worker_registered));
    printf("preemption in the worker's section: %s\n", worker_aborted ? "aborted" : "committed");

    /* include/linux/sched.h:rseq_fork: the child of fork keeps the registration (same
     * area, same sig): registering again is EBUSY. */
    pid_t pid = fork();
    if (pid == 0) {
        printf("fork child: register again: %s, cpu_id %d\n", err(sys_rseq(&mine, 32, 0, RSEQ_SIG)),
               (int) mine.cpu_id);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);

    /* include/linux/sched.h:rseq_execve: the new image starts unregistered, and its glibc
     * registers. */
    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "after-execve", NULL};
        execv("/proc/self/exe", args);
        perror("execv");
        _exit(127);
    }
    waitpid(pid, &status, 0);

    printf("unregister own area: %s\n", err(sys_rseq(&mine, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG)));
    printf("own area after unregistration: cpu_id_start %u, cpu_id %d\n", mine.cpu_id_start, (int) mine.cpu_id);
    return 0;
}
