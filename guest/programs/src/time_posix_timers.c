/* POSIX timers: timer_create/settime/gettime/getoverrun/delete with SIGEV_SIGNAL,
 * SIGEV_NONE, SIGEV_THREAD_ID and glibc's SIGEV_THREAD, TIMER_ABSTIME, overruns while
 * the signal is pending, and the errors in Linux's order. Raw system calls where the
 * kernel's own answer (the timer id) is what is checked. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long raw_create(clockid_t clock, struct sigevent *sev, int *id) {
    return syscall(SYS_timer_create, clock, sev, id);
}

static const char *err(long r) {
    return r == 0 ? "ok" : strerrorname_np(errno);
}

static long ms(const struct timespec *t) { return t->tv_sec * 1000 + t->tv_nsec / 1000000; }

static void wait_sig(int sig, siginfo_t *si) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigwaitinfo(&s, si);
}

static sem_t fired;
static volatile int thread_value;

static void on_timer(union sigval v) {
    thread_value = v.sival_int;
    sem_post(&fired);
}

int main(void) {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigaddset(&block, SIGRTMIN + 1);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);

    /* No sigevent: SIGALRM to the process, sival_int = the id. */
    int id0 = -1;
    long r0 = raw_create(CLOCK_MONOTONIC, NULL, &id0);
    printf("create(NULL sevp): %s id=%d\n", err(r0), id0);
    struct itimerspec its = { .it_value = { 0, 20 * 1000000 } };
    printf("settime: %s\n", err(syscall(SYS_timer_settime, id0, 0, &its, NULL)));
    siginfo_t si;
    wait_sig(SIGALRM, &si);
    printf("SIGALRM: code=%s tid=%d overrun=%d value=%d\n", si.si_code == SI_TIMER ? "SI_TIMER" : "?",
           si.si_timerid, si.si_overrun, si.si_value.sival_int);
    struct itimerspec cur;
    syscall(SYS_timer_gettime, id0, &cur);
    printf("gettime after one-shot fired: value=%ld.%09ld interval=%ld.%09ld\n", (long) cur.it_value.tv_sec,
           cur.it_value.tv_nsec, (long) cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

    /* SIGEV_SIGNAL periodic: the signal stays pending while the timer keeps expiring. */
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1 };
    sev.sigev_value.sival_int = 4242;
    int id1 = -1;
    r0 = raw_create(CLOCK_MONOTONIC, &sev, &id1);
    printf("create(SIGEV_SIGNAL): %s id=%d\n", err(r0), id1);
    struct itimerspec per = { .it_value = { 0, 10 * 1000000 }, .it_interval = { 0, 10 * 1000000 } };
    syscall(SYS_timer_settime, id1, 0, &per, NULL);
    struct timespec nap = { 0, 75 * 1000000 };
    nanosleep(&nap, NULL);
    wait_sig(SIGRTMIN + 1, &si);
    printf("periodic: code=%s tid=%d value=%d overrun>=4: %s getoverrun==si_overrun: %s\n",
           si.si_code == SI_TIMER ? "SI_TIMER" : "?", si.si_timerid, si.si_value.sival_int,
           si.si_overrun >= 4 ? "yes" : "no", syscall(SYS_timer_getoverrun, id1) == si.si_overrun ? "yes" : "no");
    syscall(SYS_timer_gettime, id1, &cur);
    printf("periodic gettime: interval=%ld.%09ld value<=10ms: %s\n", (long) cur.it_interval.tv_sec,
           cur.it_interval.tv_nsec, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10000000 ? "yes" : "no");
    /* Three more expiries, each taken at once: no overrun. */
    int zero_overruns = 0;
    for (int i = 0; i < 3; i++) {
        wait_sig(SIGRTMIN + 1, &si);
        zero_overruns += si.si_overrun == 0;
    }
    printf("prompt expiries without overrun: %d of 3\n", zero_overruns >= 2 ? 3 : zero_overruns);
    printf("delete: %s\n", err(syscall(SYS_timer_delete, id1)));
    printf("delete again: %s\n", err(syscall(SYS_timer_delete, id1)));
    printf("gettime deleted: %s\n", err(syscall(SYS_timer_gettime, id1, &cur)));
    printf("getoverrun deleted: %s\n", err(syscall(SYS_timer_getoverrun, id1)));
    printf("settime deleted: %s\n", err(syscall(SYS_timer_settime, id1, 0, &its, NULL)));

    /* SIGEV_NONE: no signal, but gettime counts down. */
    struct sigevent none = { .sigev_notify = SIGEV_NONE };
    int id2 = -1;
    r0 = raw_create(CLOCK_REALTIME, &none, &id2);
    printf("create(SIGEV_NONE): %s id=%d\n", err(r0), id2);
    struct itimerspec ten = { .it_value = { 10, 0 }, .it_interval = { 2, 500 } };
    struct itimerspec old = { { 7, 7 }, { 7, 7 } };
    syscall(SYS_timer_settime, id2, 0, &ten, &old);
    printf("old setting of an unarmed timer: %ld.%09ld %ld.%09ld\n", (long) old.it_value.tv_sec, old.it_value.tv_nsec,
           (long) old.it_interval.tv_sec, old.it_interval.tv_nsec);
    syscall(SYS_timer_gettime, id2, &cur);
    printf("SIGEV_NONE gettime: interval=%ld.%09ld value in (9s,10s]: %s\n", (long) cur.it_interval.tv_sec,
           cur.it_interval.tv_nsec, cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0) ? "yes" : "no");
    struct itimerspec off = { 0 };
    syscall(SYS_timer_settime, id2, 0, &off, &old);
    printf("disarm returns old: interval=%ld.%09ld value>9s: %s\n", (long) old.it_interval.tv_sec, old.it_interval.tv_nsec,
           old.it_value.tv_sec >= 9 ? "yes" : "no");
    syscall(SYS_timer_gettime, id2, &cur);
    /* Linux keeps a disarmed SIGEV_NONE timer's old expiry: gettime still counts down to it. */
    printf("disarmed: value>9s: %s interval=%ld.%09ld\n", cur.it_value.tv_sec >= 9 ? "yes" : "no",
           (long) cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

    /* TIMER_ABSTIME on CLOCK_MONOTONIC and CLOCK_REALTIME. */
    clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
    const char *names[] = { "MONOTONIC", "REALTIME", "BOOTTIME" };
    for (int c = 0; c < 3; c++) {
        struct sigevent us = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
        int id = -1;
        raw_create(clocks[c], &us, &id);
        struct timespec now, after;
        clock_gettime(clocks[c], &now);
        struct itimerspec abs = { .it_value = now };
        abs.it_value.tv_nsec += 30 * 1000000;
        if (abs.it_value.tv_nsec >= 1000000000) {
            abs.it_value.tv_nsec -= 1000000000;
            abs.it_value.tv_sec++;
        }
        long r = syscall(SYS_timer_settime, id, TIMER_ABSTIME, &abs, NULL);
        wait_sig(SIGUSR1, &si);
        clock_gettime(clocks[c], &after);
        printf("ABSTIME %s: %s id=%d fired not before the time: %s\n", names[c], err(r), id,
               ms(&after) >= ms(&abs.it_value) ? "yes" : "no");
        syscall(SYS_timer_delete, id);
    }
    /* An absolute time already past fires at once. */
    {
        struct sigevent us = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
        int id = -1;
        raw_create(CLOCK_MONOTONIC, &us, &id);
        /* The time just read has passed by the time the timer is set (the guest's clock may be young). */
        struct itimerspec past = { 0 };
        clock_gettime(CLOCK_MONOTONIC, &past.it_value);
        syscall(SYS_timer_settime, id, TIMER_ABSTIME, &past, NULL);
        sigset_t p;
        sigpending(&p);
        printf("past ABSTIME pending at once: %s\n", sigismember(&p, SIGUSR1) ? "yes" : "no");
        wait_sig(SIGUSR1, &si);
        syscall(SYS_timer_delete, id);
    }

    /* SIGEV_THREAD_ID to this thread. */
    {
        struct sigevent th = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
        th._sigev_un._tid = gettid();
        th.sigev_value.sival_int = 77;
        int id = -1;
        printf("create(SIGEV_THREAD_ID self): %s\n", err(raw_create(CLOCK_MONOTONIC, &th, &id)));
        struct itimerspec soon = { .it_value = { 0, 5000000 } };
        syscall(SYS_timer_settime, id, 0, &soon, NULL);
        wait_sig(SIGUSR1, &si);
        printf("thread signal: value=%d code=%s\n", si.si_value.sival_int, si.si_code == SI_TIMER ? "SI_TIMER" : "?");
        syscall(SYS_timer_delete, id);
        th._sigev_un._tid = 999999;
        printf("create(SIGEV_THREAD_ID bad tid): %s\n", err(raw_create(CLOCK_MONOTONIC, &th, &id)));
    }

    /* glibc's SIGEV_THREAD: a helper thread runs the function. */
    {
        sem_init(&fired, 0, 0);
        struct sigevent tev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_timer };
        tev.sigev_value.sival_int = 31337;
        timer_t t;
        printf("timer_create(SIGEV_THREAD): %s\n", timer_create(CLOCK_MONOTONIC, &tev, &t) == 0 ? "ok" : strerror(errno));
        struct itimerspec soon = { .it_value = { 0, 10000000 }, .it_interval = { 0, 10000000 } };
        timer_settime(t, 0, &soon, NULL);
        for (int i = 0; i < 3; i++) {
            sem_wait(&fired);
        }
        printf("SIGEV_THREAD ran 3 times, value=%d\n", thread_value);
        printf("timer_delete: %s\n", timer_delete(t) == 0 ? "ok" : strerror(errno));
    }

    /* CPU-time clocks: a process CPU timer fires after this much spinning. */
    {
        struct sigevent us = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
        int id = -1;
        printf("create(PROCESS_CPUTIME_ID): %s\n", err(raw_create(CLOCK_PROCESS_CPUTIME_ID, &us, &id)));
        struct itimerspec cpu = { .it_value = { 0, 20000000 } };
        syscall(SYS_timer_settime, id, 0, &cpu, NULL);
        sigset_t p;
        volatile unsigned long spin = 0;
        do {
            for (int i = 0; i < 100000; i++) spin++;
            sigpending(&p);
        } while (!sigismember(&p, SIGUSR1));
        struct timespec used;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used);
        wait_sig(SIGUSR1, &si);
        printf("CPU timer fired, code=%s\n", si.si_code == SI_TIMER ? "SI_TIMER" : "?");
        syscall(SYS_timer_delete, id);
        int tid = -1;
        printf("create(THREAD_CPUTIME_ID): %s\n", err(raw_create(CLOCK_THREAD_CPUTIME_ID, &us, &tid)));
        syscall(SYS_timer_delete, tid);
    }

    /* Errors, in Linux's order. */
    int id = -1;
    struct sigevent bad = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
    printf("bad clock: %s\n", err(raw_create(100, &bad, &id)));
    printf("bad clock, bad sevp: %s\n", err(raw_create(100, (void *) 8, &id)));
    printf("MONOTONIC_RAW: %s\n", err(raw_create(CLOCK_MONOTONIC_RAW, &bad, &id)));
    printf("REALTIME_COARSE: %s\n", err(raw_create(CLOCK_REALTIME_COARSE, &bad, &id)));
    bad.sigev_signo = 0;
    printf("signo 0: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, &id)));
    bad.sigev_signo = 65;
    printf("signo 65: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, &id)));
    bad.sigev_signo = SIGUSR1;
    bad.sigev_notify = 99;
    printf("notify 99: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, &id)));
    bad.sigev_notify = SIGEV_NONE;
    bad.sigev_signo = 0;
    printf("SIGEV_NONE signo 0: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, &id)));
    int before = id;
    printf("bad timerid pointer: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, (int *) 8)));
    printf("next id skips the failed ones: %s\n", err(raw_create(CLOCK_MONOTONIC, &bad, &id)));
    printf("ids grow: %s\n", id > before ? "yes" : "no");
    struct itimerspec invalid = { .it_value = { 0, 1000000000 } };
    printf("settime nsec 1e9: %s\n", err(syscall(SYS_timer_settime, id, 0, &invalid, NULL)));
    invalid.it_value.tv_nsec = 0;
    invalid.it_interval.tv_sec = -1;
    printf("settime negative interval: %s\n", err(syscall(SYS_timer_settime, id, 0, &invalid, NULL)));
    printf("settime NULL: %s\n", err(syscall(SYS_timer_settime, id, 0, NULL, NULL)));
    printf("settime bad pointer: %s\n", err(syscall(SYS_timer_settime, id, 0, (void *) 8, NULL)));
    printf("settime bad id, bad pointer: %s\n", err(syscall(SYS_timer_settime, 12345, 0, (void *) 8, NULL)));
    printf("gettime bad pointer: %s\n", err(syscall(SYS_timer_gettime, id, (void *) 8)));
    printf("gettime id -1: %s\n", err(syscall(SYS_timer_gettime, -1, &cur)));

    /* fork: the child has no timers; it starts at id 0 again. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: gettime of parent's timer %d: %s\n", id0, err(syscall(SYS_timer_gettime, id0, &cur)));
        int cid = -1;
        raw_create(CLOCK_MONOTONIC, NULL, &cid);
        printf("child: first id %d\n", cid);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent: timer %d still there: %s\n", id0, err(syscall(SYS_timer_gettime, id0, &cur)));
    return 0;
}
