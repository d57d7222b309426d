/* fork with copy-on-write: eight children each write to memory that was
 * shared before the fork (a global, the heap, a private anonymous mapping and
 * a private file mapping) and see only their own writes; the parent sees none
 * of them; MAP_SHARED memory is shared; wait statuses, including children
 * killed by signals, are reported as Linux encodes them. Reference: the real
 * kernel. Children do not print (their order would vary); they report through
 * a MAP_SHARED page and their exit status. */
#include "vmtest.h"
#include <sys/wait.h>

#define N 8

static char global[N * 64] = "initialised data";
static char bss[N * PAGE];

struct report {
    int own_seen[N];       /* the child read back its own writes */
    int others_clean[N];   /* and saw no other child's */
    int ppid_ok[N];
};

static volatile int chld_code, chld_status;
static volatile pid_t chld_pid;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
}

int main(void)
{
    vt_init();
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);

    char *priv = anon(N * PAGE, PROT_READ | PROT_WRITE);
    memset(priv, 'P', N * PAGE);
    memset(bss, 'B', sizeof bss);
    char *heap = malloc(N * 100);
    memset(heap, 'H', N * 100);
    int fd = temp_file(N * PAGE, NULL);
    char *fpriv = mmap(NULL, N * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    (void)*(volatile char *)fpriv;
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct report *rep = (struct report *)shared;
    char *shared_bytes = shared + 2048;
    pid_t self = getpid();

    pid_t pids[N];
    fflush(stdout);
    for (int i = 0; i < N; i++) {
        pids[i] = xfork();
        if (pids[i] == 0) {
            /* Every child writes to every kind of memory, at its own index... */
            priv[i * PAGE] = (char)('0' + i);
            bss[i * PAGE] = (char)('0' + i);
            global[i * 64] = (char)('0' + i);
            heap[i * 100] = (char)('0' + i);
            fpriv[i * PAGE] = (char)('0' + i);
            shared_bytes[i] = (char)('0' + i);
            /* ...and also over index 0, which the parent and the other children must not see. */
            priv[1] = 'x'; bss[1] = 'x'; heap[1] = 'x'; fpriv[1] = 'x';
            int own = priv[i * PAGE] == '0' + i && bss[i * PAGE] == '0' + i && global[i * 64] == '0' + i &&
                      heap[i * 100] == '0' + i && fpriv[i * PAGE] == '0' + i;
            int clean = 1;
            for (int j = 0; j < N; j++) {
                if (j == i) continue;
                clean &= priv[j * PAGE] == 'P' && bss[j * PAGE] == 'B' && heap[j * 100] == 'H' &&
                         fpriv[j * PAGE] == 'A' + j;
            }
            rep->own_seen[i] = own;
            rep->others_clean[i] = clean;
            rep->ppid_ok[i] = getppid() == self;
            switch (i) {
            case 5: kill(getpid(), SIGKILL); break;
            case 6: *(volatile int *)0 = 1; break;   /* SIGSEGV, default action */
            case 7: raise(SIGTERM); break;
            }
            _exit(10 + i);
        }
    }

    for (int i = 0; i < N; i++) {
        int st;
        pid_t r = waitpid(pids[i], &st, 0);
        printf("child %d: waitpid %s, ", i, r == pids[i] ? "ok" : "wrong pid");
        if (WIFEXITED(st)) printf("exited %d", WEXITSTATUS(st));
        else if (WIFSIGNALED(st)) printf("killed by %s%s", signame(WTERMSIG(st)), WCOREDUMP(st) ? " (core)" : "");
        else printf("status 0x%x", st);
        printf(", raw status 0x%x; saw own writes %s, saw no other child's %s, getppid is parent %s\n", st,
               yesno(rep->own_seen[i]), yesno(rep->others_clean[i]), yesno(rep->ppid_ok[i]));
    }

    int clean = 1;
    for (int i = 0; i < N; i++)
        clean &= priv[i * PAGE] == 'P' && bss[i * PAGE] == 'B' && heap[i * 100] == 'H' && fpriv[i * PAGE] == 'A' + i;
    clean &= priv[1] == 'P' && bss[1] == 'B' && heap[1] == 'H' && fpriv[1] == 'A';
    printf("parent's private memory untouched by the children: %s\n", yesno(clean));
    printf("parent's initialised data untouched: %s\n", yesno(!strcmp(global, "initialised data")));
    char f0;
    pread(fd, &f0, 1, 0);
    printf("file under the private file mapping untouched: %c\n", f0);
    printf("MAP_SHARED memory holds every child's write: %.*s\n", N, shared_bytes);
    printf("waitpid with no children left: %s\n", rc(waitpid(-1, NULL, 0)));

    /* The parent writes after fork while the child is still alive: the child keeps the old data. */
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    fflush(stdout);
    pid_t c = xfork();
    if (c == 0) {
        char b;
        read(to_child[0], &b, 1);
        char seen[3] = { priv[0], bss[0], global[0] };
        write(to_parent[1], seen, 3);
        _exit(0);
    }
    priv[0] = 'n'; bss[0] = 'n'; global[0] = 'n';
    write(to_child[1], "g", 1);
    char seen[3];
    int st;
    read(to_parent[0], seen, 3);
    waitpid(c, NULL, 0);
    printf("parent writes after fork, child still reads: %.3s\n", seen);

    /* A page only read before fork (the shared zero page), then written by the
     * child; memory the child zaps or unmaps stays in the parent. */
    char *z = anon(3 * PAGE, PROT_READ | PROT_WRITE);
    (void)*(volatile char *)z;
    z[PAGE] = 'k';
    z[2 * PAGE] = 'm';
    if ((c = xfork()) == 0) {
        z[0] = 'c';
        madvise(z + PAGE, PAGE, MADV_DONTNEED);
        munmap(z + 2 * PAGE, PAGE);
        _exit(z[0] == 'c' && z[PAGE] == 0 ? 0 : 1);
    }
    waitpid(c, &st, 0);
    printf("child wrote a zero-page page, zapped and unmapped others: child ok %s\n",
           yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0));
    printf("parent still reads zero %s, its own data %c, and the page the child unmapped %c\n", yesno(z[0] == 0),
           z[PAGE], z[2 * PAGE]);

    /* The program break is per process too. */
    char *brk0 = sbrk(0);
    if ((c = xfork()) == 0) {
        char *mine = sbrk(4 * PAGE);
        memset(mine, 'b', 4 * PAGE);
        _exit(sbrk(0) == brk0 + 4 * PAGE ? 0 : 1);
    }
    waitpid(c, &st, 0);
    printf("child grew its break by 4 pages: %s; parent's break unchanged %s\n",
           yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0), yesno(sbrk(0) == brk0));

    /* SIGCHLD tells the parent how a child ended. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    if ((c = xfork()) == 0) _exit(6);
    while (!chld_code) sigsuspend(&old);
    printf("SIGCHLD for a child that exited 6: %s, status %d, pid right %s\n",
           chld_code == CLD_EXITED ? "CLD_EXITED" : "other", chld_status, yesno(chld_pid == c));
    waitpid(c, NULL, 0);
    chld_code = 0;
    if ((c = xfork()) == 0) { raise(SIGKILL); _exit(0); }
    while (!chld_code) sigsuspend(&old);
    printf("SIGCHLD for a child killed by SIGKILL: %s, status %s\n",
           chld_code == CLD_KILLED ? "CLD_KILLED" : "other", signame(chld_status));
    waitpid(c, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    /* With SIGCHLD ignored, children are reaped by the kernel: wait finds none. */
    signal(SIGCHLD, SIG_IGN);
    if ((c = xfork()) == 0) _exit(0);
    printf("wait with SIGCHLD ignored: %s\n", rc(waitpid(c, NULL, 0)));
    signal(SIGCHLD, SIG_DFL);

    /* A child whose exit status does not fit in 8 bits. */
    fflush(stdout);
    if ((c = xfork()) == 0) _exit(256 + 3);
    waitpid(c, &st, 0);
    printf("_exit(259) seen as exit status %d\n", WEXITSTATUS(st));
    return 0;
}
