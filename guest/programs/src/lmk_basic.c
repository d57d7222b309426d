/* Android's low memory killer daemon (lmkd, system/memory/lmkd/lmkd.cpp)
 * kills cached apps, the highest oom_score_adj first, before the kernel's
 * OOM killer ever has to.
 *
 * The parent plays the foreground app: it forks four "cached apps", gives
 * each its own oom_score_adj in the cached range (ProcessList.CACHED_APP_MIN_ADJ
 * 900 .. CACHED_APP_MAX_ADJ 999) through /proc/PID/oom_score_adj, as
 * ActivityManager does before it tells lmkd (LMK_PROCPRIO), and waits until
 * each has filled CHILD_MIB of memory. Then it grows its own memory page by
 * page, looking after every page whether a child has died (waitpid WNOHANG),
 * until all four are gone. Its own oom_score_adj stays 0 and nobody registers
 * it with lmkd, so only the OOM killer could take it.
 *
 * Only facts that do not depend on timing are printed: which children died,
 * of which signal, in which order, and that the OOM killer never ran. How far
 * the parent got before each kill depends on when PSI's triggers fire and is
 * not printed.
 *
 * Options: expected/lmk_basic.options (--ram 64M --zram 32M: a small phone's
 * RAM and zram, lmkd with its default PSI policy) and, for the same binary
 * under lmkd's old minfree policy, expected/lmk_basic.minfree.options: that
 * policy kills on vmpressure events, when free memory and file cache are
 * both under a level of ActivityManager's minfree table, the highest adj
 * first too, so the output is the same. Expected output reasoned from
 * Linux 6.1 and AOSP lmkd. */
#include "mptest.h"
#include <sys/wait.h>

#define CHILDREN 4
#define CHILD_MIB 8
#define CHUNK (1 * MIB)
/* More than RAM and swap together: the parent never gets this far if lmkd
 * does its work (heuristic overcommit checks each 1 MiB mmap on its own). */
#define GROWTH_LIMIT (160 * MIB)

static const int adj[CHILDREN] = { 990, 970, 950, 930 };

/* A page of varied words and zeros, compressible the way a heap is (not
 * same-filled, so zram has to keep it: drivers/block/zram/zram_drv.c:__zram_bvec_write). */
static void fill(uint64_t *w, uint64_t tag)
{
    memset(w, 0, PAGE);
    for (size_t k = 0; k < PAGE / 16; k++) w[k] = (tag << 20) ^ (k * 0x9e3779b1UL % 977);
}

static int read_adj(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
    slurp(path, vt_proc, sizeof vt_proc);
    return atoi(vt_proc);
}

static int write_adj(pid_t pid, int value)
{
    char path[64], text[16];
    snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    int n = snprintf(text, sizeof text, "%d", value);
    int ok = write(fd, text, n) == n;
    close(fd);
    return ok ? 0 : -1;
}

static void cached_app(int ready_fd, int i)
{
    char *p = anon(CHILD_MIB * MIB, PROT_READ | PROT_WRITE);
    for (size_t off = 0; off < CHILD_MIB * MIB; off += PAGE) fill((uint64_t *)(p + off), (uint64_t)i << 32 | off);
    char c = 1;
    if (write(ready_fd, &c, 1) != 1) _exit(97);
    for (;;) pause(); /* a cached app waits to be used again, or killed */
}

int main(void)
{
    mp_init();
    int ready[2];
    if (pipe(ready)) return 99;
    pid_t pid[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        pid[i] = xfork();
        if (pid[i] == 0) {
            close(ready[0]);
            cached_app(ready[1], i);
        }
        /* fs/proc/base.c:oom_score_adj_write: raising a task's adj needs no
         * privilege (only lowering it below oom_score_adj_min does). */
        if (write_adj(pid[i], adj[i])) printf("write oom_score_adj of child %d: failed\n", i);
    }
    close(ready[1]);
    /* fs/proc/base.c:oom_score_adj_read prints signal->oom_score_adj. */
    printf("children's oom_score_adj: %d %d %d %d\n", read_adj(pid[0]), read_adj(pid[1]), read_adj(pid[2]),
           read_adj(pid[3]));
    printf("parent's oom_score_adj: %d\n", read_adj(getpid()));
    int filled = 0;
    char c;
    while (filled < CHILDREN && read(ready[0], &c, 1) == 1) filled++;
    printf("children that filled %d MiB each: %d\n", CHILD_MIB, filled);
    long oom0 = vmstat("oom_kill");

    /* The parent grows. lmkd's PSI triggers (some 70 ms / full 700 ms of
     * stall in 1 s, kernel/sched/psi.c:psi_trigger_create) fire while kswapd
     * and direct reclaim stall it; each wake-up and the polls after it find
     * free memory under the zone's low watermark (and zram's free slots low),
     * and find_and_kill_process takes the registered process with the highest
     * adj. A SIGKILLed child becomes a zombie at once; do_wait walks the
     * children in fork order (kernel/exit.c:do_wait_thread), which is the order
     * of their adj too, so two deaths between two looks are reaped in the
     * order lmkd killed them. */
    int reaped = 0, by_sigkill = 0;
    size_t grown = 0;
    uint64_t *chunk = NULL;
    size_t in_chunk = CHUNK;
    while (reaped < CHILDREN && grown < GROWTH_LIMIT) {
        if (in_chunk == CHUNK) {
            chunk = anon(CHUNK, PROT_READ | PROT_WRITE);
            in_chunk = 0;
        }
        fill((uint64_t *)((char *)chunk + in_chunk), 0xf00dUL << 32 | grown);
        in_chunk += PAGE;
        grown += PAGE;
        int status;
        pid_t dead;
        while (reaped < CHILDREN && (dead = waitpid(-1, &status, WNOHANG)) > 0) {
            int i = 0;
            while (i < CHILDREN && pid[i] != dead) i++;
            reaped++;
            int killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
            by_sigkill += killed;
            printf("reaped child %d (oom_score_adj %d): %s\n", reaped, adj[i],
                   WIFSIGNALED(status) ? signame(WTERMSIG(status)) : "exited");
        }
    }
    printf("all cached children killed before the parent's growth limit: %s\n", yesno(reaped == CHILDREN));
    printf("children killed by SIGKILL: %d\n", by_sigkill);
    /* mm/oom_kill.c:__oom_kill_process counts each OOM kill in vmstat oom_kill:
     * lmkd acted first, so the kernel's OOM killer never chose a victim. */
    printf("OOM kills meanwhile (vmstat oom_kill): %ld\n", vmstat("oom_kill") - oom0);
    for (int i = 0; i < CHILDREN && reaped < CHILDREN; i++) kill(pid[i], SIGKILL);
    while (wait(NULL) > 0) {}
    return 0;
}
