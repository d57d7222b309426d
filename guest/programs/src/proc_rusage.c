/* CPU-time accounting: getrusage (self, children, thread), times, wait4's
 * rusage, the CPU-time clocks, and the CPU-time interval timers ITIMER_VIRTUAL
 * and ITIMER_PROF. Reference: the real kernel. CPU time depends on the
 * machine, so every line states a relation that holds on any machine (time
 * spent burning CPU shows up, sleeping does not, a child's time reaches the
 * parent when it is reaped, CPU time never exceeds elapsed time). */
#include "vmtest.h"
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

static long ns_of(clockid_t c)
{
    struct timespec t;
    if (clock_gettime(c, &t) != 0) return -1;
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static long tv_ns(struct timeval t) { return t.tv_sec * 1000000000L + t.tv_usec * 1000L; }

static long ru_cpu(int who, struct rusage *ru)
{
    if (getrusage(who, ru) != 0) return -1;
    return tv_ns(ru->ru_utime) + tv_ns(ru->ru_stime);
}

/* Spins until the process has used ms more milliseconds of CPU time. */
static volatile unsigned long sink;
static void burn(long ms)
{
    long until = ns_of(CLOCK_PROCESS_CPUTIME_ID) + ms * 1000000L;
    while (ns_of(CLOCK_PROCESS_CPUTIME_ID) < until)
        for (int i = 0; i < 1000; i++) sink += i;
}

static volatile int got_sig, got_code, got_count;
static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_count++;
}

static int after_exec(void)
{
    struct rusage ru;
    long cpu = ru_cpu(RUSAGE_SELF, &ru);
    printf("exec'd image: the CPU time before execve is still counted (>= 40 ms): %s\n", yesno(cpu >= 40000000L));
    struct itimerval v;
    getitimer(ITIMER_PROF, &v);
    printf("exec'd image: ITIMER_PROF is kept across execve: %s\n", yesno(v.it_value.tv_sec >= 100));
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) return after_exec();
    vt_init();
    long wall0 = ns_of(CLOCK_MONOTONIC);
    struct rusage ru, ru2;

    long c0 = ru_cpu(RUSAGE_SELF, &ru);
    printf("getrusage(RUSAGE_SELF): %s\n", rc(c0 < 0 ? -1 : 0));
    burn(60);
    long c1 = ru_cpu(RUSAGE_SELF, &ru);
    printf("60 ms of burning shows in ru_utime + ru_stime (>= 50 ms): %s\n", yesno(c1 - c0 >= 50000000L));
    long pcpu = ns_of(CLOCK_PROCESS_CPUTIME_ID), tcpu = ns_of(CLOCK_THREAD_CPUTIME_ID);
    long wall = ns_of(CLOCK_MONOTONIC) - wall0;
    printf("CLOCK_PROCESS_CPUTIME_ID <= elapsed CLOCK_MONOTONIC time: %s\n", yesno(pcpu - c0 <= wall + 1000000L));
    printf("CLOCK_THREAD_CPUTIME_ID <= CLOCK_PROCESS_CPUTIME_ID: %s\n", yesno(tcpu <= ns_of(CLOCK_PROCESS_CPUTIME_ID)));
    long tcpu_ru = ru_cpu(RUSAGE_THREAD, &ru2);
    printf("getrusage(RUSAGE_THREAD) of the only thread, close to RUSAGE_SELF: %s\n",
           yesno(tcpu_ru >= 0 && tcpu_ru <= ru_cpu(RUSAGE_SELF, &ru) && tcpu_ru >= c1 - 10000000L));
    clockid_t own;
    printf("clock_getcpuclockid(getpid()): %s\n", rc(clock_getcpuclockid(getpid(), &own) == 0 ? 0 : -1));
    printf("  reads the process CPU time: %s\n", yesno(ns_of(own) >= pcpu));

    /* Sleeping costs no CPU time, and counts as a voluntary context switch. */
    long s0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    getrusage(RUSAGE_SELF, &ru);
    struct tms tm0, tm1;
    clock_t t0 = times(&tm0);
    struct timespec nap = {0, 100000000L};
    nanosleep(&nap, NULL);
    clock_t t1 = times(&tm1);
    getrusage(RUSAGE_SELF, &ru2);
    printf("a 100 ms sleep costs under 20 ms of CPU time: %s\n", yesno(ns_of(CLOCK_PROCESS_CPUTIME_ID) - s0 < 20000000L));
    printf("  and is a voluntary context switch: %s\n", yesno(ru2.ru_nvcsw > ru.ru_nvcsw));
    printf("times() advances 9 to 15 clock ticks over it: %s\n", yesno(t1 - t0 >= 9 && t1 - t0 <= 15));
    printf("tms_utime + tms_stime counts the burnt 60 ms (>= 5 ticks): %s\n", yesno(tm1.tms_utime + tm1.tms_stime >= 5));
    printf("no child reaped yet: tms_cutime %ld tms_cstime %ld\n", (long)tm1.tms_cutime, (long)tm1.tms_cstime);
    ru_cpu(RUSAGE_CHILDREN, &ru);
    printf("getrusage(RUSAGE_CHILDREN) before any wait: %ld ms, maxrss %ld KiB\n",
           tv_ns(ru.ru_utime) / 1000000 + tv_ns(ru.ru_stime) / 1000000, ru.ru_maxrss);

    /* Minor faults: 256 fresh anonymous pages touched once each. */
    char *mem = anon(256 * PAGE, PROT_READ | PROT_WRITE);
    madvise(mem, 256 * PAGE, MADV_NOHUGEPAGE);
    getrusage(RUSAGE_SELF, &ru);
    for (int i = 0; i < 256; i++) mem[i * PAGE] = 1;
    getrusage(RUSAGE_SELF, &ru2);
    printf("touching 256 new pages: ru_minflt grows by at least 256: %s\n", yesno(ru2.ru_minflt - ru.ru_minflt >= 256));
    printf("ru_maxrss covers them (>= 1024 KiB): %s\n", yesno(ru2.ru_maxrss >= 1024));

    /* A child's time and peak RSS reach the parent when it is reaped. */
    long self_before = ru_cpu(RUSAGE_SELF, &ru);
    pid_t pid = xfork();
    if (pid == 0) {
        char *big = anon(8 << 20, PROT_READ | PROT_WRITE);
        for (size_t i = 0; i < (8u << 20); i += PAGE) big[i] = 1;
        burn(60);
        _exit(0);
    }
    clockid_t childclock;
    printf("clock_getcpuclockid(child): %s\n", rc(clock_getcpuclockid(pid, &childclock) == 0 ? 0 : -1));
    int st;
    struct rusage cru;
    printf("wait4 with rusage: %s\n", yesno(wait4(pid, &st, 0, &cru) == pid && WIFEXITED(st)));
    long self_after = ru_cpu(RUSAGE_SELF, &ru);
    printf("  the child's 60 ms (>= 50 ms): %s\n", yesno(tv_ns(cru.ru_utime) + tv_ns(cru.ru_stime) >= 50000000L));
    printf("  the child's 8 MiB (ru_maxrss >= 8192 KiB): %s\n", yesno(cru.ru_maxrss >= 8192));
    printf("  the child's faults (ru_minflt + ru_majflt >= 2048): %s\n", yesno(cru.ru_minflt + cru.ru_majflt >= 2048));
    long children = ru_cpu(RUSAGE_CHILDREN, &ru);
    printf("getrusage(RUSAGE_CHILDREN) after the wait has its time: %s\n", yesno(children >= 50000000L));
    printf("  and its peak RSS: %s\n", yesno(ru.ru_maxrss >= 8192));
    times(&tm1);
    printf("tms_cutime + tms_cstime >= 5 ticks: %s\n", yesno(tm1.tms_cutime + tm1.tms_cstime >= 5));
    printf("the child's time is not the parent's own (RUSAGE_SELF grew < 50 ms meanwhile): %s\n",
           yesno(self_after - self_before < 50000000L));

    /* CPU-time interval timers. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGVTALRM, &sa, NULL);
    sigaction(SIGPROF, &sa, NULL);
    struct itimerval v = {{0, 0}, {0, 20000}}, old;
    got_sig = got_count = 0;
    printf("setitimer(ITIMER_VIRTUAL, 20 ms): %s\n", rc(setitimer(ITIMER_VIRTUAL, &v, NULL)));
    long b0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    while (!got_sig && ns_of(CLOCK_PROCESS_CPUTIME_ID) - b0 < 2000000000L) sink++;
    printf("  %s with si_code %s, after >= 15 ms of CPU time: %s\n", signame(got_sig),
           got_code == SI_KERNEL ? "SI_KERNEL" : "other", yesno(ns_of(CLOCK_PROCESS_CPUTIME_ID) - b0 >= 15000000L));
    getitimer(ITIMER_VIRTUAL, &old);
    printf("  a one-shot timer is disarmed after it fires: %s\n", yesno(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0));

    struct itimerval every = {{0, 10000}, {0, 10000}};
    got_sig = got_count = 0;
    printf("setitimer(ITIMER_PROF, every 10 ms): %s\n", rc(setitimer(ITIMER_PROF, &every, NULL)));
    b0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    while (got_count < 3 && ns_of(CLOCK_PROCESS_CPUTIME_ID) - b0 < 2000000000L) sink++;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, &old);
    printf("  three %s, re-armed by the interval: %s\n", signame(got_sig), yesno(got_count >= 3));
    printf("  setitimer's old value has the interval 10 ms: %s\n", yesno(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 10000));

    struct itimerval second = {{0, 0}, {1, 0}};
    setitimer(ITIMER_VIRTUAL, &second, NULL);
    getitimer(ITIMER_VIRTUAL, &old);
    /* Linux samples CPU time by the tick: up to one more tick (4 ms at HZ=250) may show. */
    printf("getitimer(ITIMER_VIRTUAL) of a 1 s timer: between 0.9 s and 1 s and a tick left: %s\n",
           yesno(old.it_value.tv_sec * 1000000L + old.it_value.tv_usec <= 1004000L
                 && old.it_value.tv_sec * 1000000L + old.it_value.tv_usec > 900000L));
    setitimer(ITIMER_VIRTUAL, &off, NULL);

    printf("setitimer(3, ...): %s\n", rc(setitimer(3, &v, NULL)));
    printf("getitimer(-1, ...): %s\n", rc(getitimer(-1, &old)));
    printf("getrusage(2, ...): %s\n", rc(getrusage(2, &ru)));
    printf("clock_nanosleep(CLOCK_THREAD_CPUTIME_ID): %s\n",
           ename(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &nap, NULL)));

    /* execve keeps the process's CPU time and its CPU-time timers. */
    pid = xfork();
    if (pid == 0) {
        struct itimerval keep = {{0, 0}, {500, 0}};
        setitimer(ITIMER_PROF, &keep, NULL);
        burn(50);
        char *cargv[] = { "/proc/self/exe", "after-exec", NULL };
        execv("/proc/self/exe", cargv);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("exec'd child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
