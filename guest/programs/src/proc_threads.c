/* Threads made by glibc's pthread_create (clone with CLONE_VM|CLONE_THREAD|
 * ... , set_tid_address, robust lists, futexes): shared memory, a mutex
 * counter, condition variables, thread-local storage, join values, tgkill to
 * one thread, /proc/self/status Threads, and exit_group from a thread.
 * Reference: the real kernel. */
#include "vmtest.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/wait.h>

#define NT 4
#define ITER 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static __thread int tls = 100;
static pthread_barrier_t barrier;
static volatile int tls_ok[NT], tid_differs[NT], pid_same[NT];
static volatile pid_t tids[NT];
static volatile pid_t handled_in;
static char *shared_map;

static void on_usr1(int sig) { (void)sig; handled_in = gettid(); }

static void *worker(void *arg)
{
    long i = (long)arg;
    tls = (int)i;
    tids[i] = gettid();
    tid_differs[i] = gettid() != getpid();
    pid_same[i] = 1;
    shared_map[i] = (char)('a' + i);
    for (int k = 0; k < ITER; k++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_barrier_wait(&barrier);   /* all alive: main reads /proc and signals */
    pthread_barrier_wait(&barrier);
    tls_ok[i] = tls == (int)i;
    return (void *)(i * 10);
}

static int turn, rounds;
static void *pingpong(void *arg)
{
    int me = (int)(long)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (turn != me && rounds < 1000) pthread_cond_wait(&cond, &lock);
        if (rounds >= 1000) { pthread_mutex_unlock(&lock); return NULL; }
        rounds++;
        turn = 1 - me;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
    }
}

static char *cross_page;
static volatile int cross_step;
static char cross_result[2][96];

static void cross_wait(int step)
{
    while (cross_step != step) sched_yield();
}

/* Runs its probes in this thread: vt_catch_faults' handler jumps back here. */
static void *cross_reader(void *arg)
{
    (void)arg;
    (void)*(volatile char *)cross_page;
    cross_page[1] = 'y';
    cross_step = 1;
    cross_wait(2);
    snprintf(cross_result[0], sizeof cross_result[0], "%s", wr(cross_page + 2, 'z', cross_page));
    cross_step = 3;
    cross_wait(4);
    snprintf(cross_result[1], sizeof cross_result[1], "%s", rd(cross_page, cross_page));
    return NULL;
}

static pthread_mutex_t robust;
static void *robust_owner(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL;   /* ends holding it */
}

static void *exiter(void *arg)
{
    (void)arg;
    exit(77);
}

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;) pause();
    return NULL;
}

int main(void)
{
    vt_init();
    shared_map = anon(PAGE, PROT_READ | PROT_WRITE);
    pthread_barrier_init(&barrier, NULL, NT + 1);
    signal(SIGUSR1, on_usr1);
    pthread_t t[NT];
    for (long i = 0; i < NT; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    pthread_barrier_wait(&barrier);
    printf("status Threads with %d threads running: %ld\n", NT, proc_kv("/proc/self/status", "Threads"));
    printf("tgkill thread 2 with SIGUSR1: %s\n", rc(syscall(SYS_tgkill, getpid(), tids[2], SIGUSR1)));
    pthread_barrier_wait(&barrier);
    int joined_ok = 1;
    for (long i = 0; i < NT; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        joined_ok &= (long)ret == i * 10;
    }
    printf("the handler ran in thread 2: %s\n", yesno(handled_in == tids[2]));
    printf("join values: %s\n", yesno(joined_ok));
    printf("mutex counter: %ld (expected %d)\n", counter, NT * ITER);
    int all_tls = 1, all_tid = 1;
    for (int i = 0; i < NT; i++) { all_tls &= tls_ok[i]; all_tid &= tid_differs[i]; }
    printf("thread-local variables kept per thread: %s, main's still %d\n", yesno(all_tls), tls);
    printf("every thread has its own tid: %s\n", yesno(all_tid));
    printf("threads' writes to a mapping seen by main: %.4s\n", shared_map);
    printf("status Threads after joining: %ld\n", proc_kv("/proc/self/status", "Threads"));
    printf("tgkill a joined thread: %s\n", rc(syscall(SYS_tgkill, getpid(), tids[0], SIGUSR1)));

    /* One address space: an munmap or mprotect by main is seen at once by a
     * thread that had just used the page (its cached translation is gone too). */
    cross_page = anon(PAGE, PROT_READ | PROT_WRITE);
    cross_page[0] = 'x';
    vt_catch_faults();
    pthread_t v;
    pthread_create(&v, NULL, cross_reader, NULL);
    cross_wait(1);                        /* the thread has read the page */
    mprotect(cross_page, PAGE, PROT_READ);
    cross_step = 2;
    cross_wait(3);                        /* it has tried to write */
    munmap(cross_page, PAGE);
    cross_step = 4;
    pthread_join(v, NULL);
    printf("thread writes after main's mprotect read-only: %s\n", cross_result[0]);
    printf("thread reads after main's munmap: %s\n", cross_result[1]);

    /* Robust mutex: its owner thread ends without unlocking; the kernel walks
     * the thread's robust list and the next locker gets EOWNERDEAD. */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &ma);
    pthread_t o;
    pthread_create(&o, NULL, robust_owner, NULL);
    pthread_join(o, NULL);
    /* timedlock: a kernel that ignores the robust list gives ETIMEDOUT, not a hang */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    int rl = pthread_mutex_timedlock(&robust, &deadline);
    printf("lock a robust mutex whose owner thread exited: %s\n", rl ? ename(rl) : "0");
    int rc1 = pthread_mutex_consistent(&robust);
    int rc2 = pthread_mutex_unlock(&robust);
    printf("pthread_mutex_consistent: %d, then unlock: %d\n", rc1, rc2);

    pthread_t a, b;
    turn = 0;
    pthread_create(&a, NULL, pingpong, (void *)0);
    pthread_create(&b, NULL, pingpong, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("condition variable ping-pong rounds: %d\n", rounds);

    /* exit() from a thread ends the whole process with that status. */
    fflush(stdout);
    pid_t c = xfork();
    if (c == 0) {
        pthread_t s, e;
        pthread_create(&s, NULL, sleeper, NULL);
        pthread_create(&e, NULL, exiter, NULL);
        for (;;) pause();
    }
    int st;
    waitpid(c, &st, 0);
    printf("child process whose thread calls exit(77): exited %s %d\n", yesno(WIFEXITED(st)), WEXITSTATUS(st));

    /* A fatal signal to one thread kills the whole process. */
    fflush(stdout);
    c = xfork();
    if (c == 0) {
        pthread_t s;
        pthread_create(&s, NULL, sleeper, NULL);
        pthread_kill(s, SIGTERM);
        for (;;) pause();
    }
    waitpid(c, &st, 0);
    printf("child process whose thread gets SIGTERM: killed by %s\n", WIFSIGNALED(st) ? signame(WTERMSIG(st)) : "-");
    return 0;
}
