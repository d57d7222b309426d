/* eventfd, timerfd and signalfd as Linux answers them: counts, semaphores, limits, errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static const char *err(long r) {
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    return strerrorname_np(errno);
}

static void eventfd_checks(void) {
    int fd = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
    uint64_t v = 0;
    printf("eventfd: cloexec %d, nonblock %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    printf("read 4 bytes: %s\n", err(read(fd, &v, 4)));
    printf("read: %s value %llu\n", err(read(fd, &v, 8)), (unsigned long long) v);
    printf("read empty: %s\n", err(read(fd, &v, 8)));
    v = UINT64_MAX;
    printf("write max: %s\n", err(write(fd, &v, 8)));
    v = UINT64_MAX - 1;
    printf("write max-1: %s\n", err(write(fd, &v, 8)));
    v = 1;
    printf("write one more: %s\n", err(write(fd, &v, 8)));
    v = 0;
    printf("write zero: %s\n", err(write(fd, &v, 8)));
    printf("write 7 bytes: %s\n", err(write(fd, &v, 7)));
    uint64_t big[2] = {0, 0};
    printf("read 16: %s value %llx\n", err(read(fd, big, 16)), (unsigned long long) big[0]);
    struct stat st;
    fstat(fd, &st);
    printf("fstat mode %o\n", st.st_mode);
    close(fd);

    fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    for (int i = 0; i < 3; i++) {
        v = 0;
        long r = read(fd, &v, 8);
        printf("semaphore read %d: %s value %llu\n", i, err(r), (unsigned long long) v);
    }
    close(fd);
    printf("eventfd bad flags: %s\n", err(eventfd(0, 0x40)));

    /* A blocking read sleeps until a child adds to the count. */
    fd = eventfd(0, 0);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(30000);
        v = 7;
        write(fd, &v, 8);
        _exit(0);
    }
    v = 0;
    long r = read(fd, &v, 8);
    printf("blocking read: %s value %llu\n", err(r), (unsigned long long) v);
    waitpid(pid, NULL, 0);
    close(fd);
}

static void timerfd_checks(void) {
    printf("timerfd bad clock: %s\n", err(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0)));
    printf("timerfd bad flags: %s\n", err(timerfd_create(CLOCK_MONOTONIC, 1)));
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec its, old;
    timerfd_gettime(fd, &its);
    printf("disarmed: value %ld.%09ld interval %ld.%09ld\n", (long) its.it_value.tv_sec, its.it_value.tv_nsec,
           (long) its.it_interval.tv_sec, its.it_interval.tv_nsec);
    uint64_t n = 0;
    printf("read unarmed: %s\n", err(read(fd, &n, 8)));
    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 1000000000;
    printf("settime bad nsec: %s\n", err(timerfd_settime(fd, 0, &its, NULL)));
    its.it_value.tv_nsec = 0;
    its.it_value.tv_sec = 100;
    printf("settime bad flags: %s\n", err(timerfd_settime(fd, 4, &its, NULL)));
    int efd = eventfd(0, 0);
    printf("settime on an eventfd: %s\n", err(timerfd_settime(efd, 0, &its, NULL)));
    printf("settime on fd 999: %s\n", err(timerfd_settime(999, 0, &its, NULL)));
    close(efd);
    its.it_interval.tv_sec = 50;
    timerfd_settime(fd, 0, &its, NULL);
    timerfd_gettime(fd, &its);
    printf("armed 100s: value within (99,100]: %d, interval %ld\n",
           its.it_value.tv_sec == 99 || (its.it_value.tv_sec == 100 && its.it_value.tv_nsec == 0),
           (long) its.it_interval.tv_sec);
    memset(&its, 0, sizeof its);
    timerfd_settime(fd, 0, &its, &old);
    printf("disarm: old interval %ld, old value > 98s: %d\n", (long) old.it_interval.tv_sec, old.it_value.tv_sec >= 98);
    printf("read disarmed: %s\n", err(read(fd, &n, 8)));

    /* An absolute time in the past expires at once. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    its.it_value.tv_sec = now.tv_sec > 1 ? now.tv_sec - 1 : 0;
    its.it_value.tv_nsec = 1;
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
    printf("read 4 bytes: %s\n", err(read(fd, &n, 4)));
    n = 0;
    printf("abstime in the past: %s count %llu\n", err(read(fd, &n, 8)), (unsigned long long) n);
    printf("read again: %s\n", err(read(fd, &n, 8)));
    close(fd);

    /* A blocking read of a one-shot timer sleeps until it fires, and reads 1. */
    fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 20000000;
    timerfd_settime(fd, 0, &its, NULL);
    n = 0;
    printf("blocking read: %s count %llu\n", err(read(fd, &n, 8)), (unsigned long long) n);
    timerfd_gettime(fd, &its);
    printf("after expiry: value %ld.%09ld\n", (long) its.it_value.tv_sec, its.it_value.tv_nsec);

    /* An interval timer counts the expirations missed while nobody read. */
    its.it_value.tv_nsec = 10000000;
    its.it_interval.tv_nsec = 10000000;
    timerfd_settime(fd, 0, &its, NULL);
    usleep(55000);
    n = 0;
    read(fd, &n, 8);
    printf("interval after 55ms of 10ms: at least 4 expirations: %d\n", n >= 4);
    n = 0;
    read(fd, &n, 8);
    printf("next read waits for the next one: %llu\n", (unsigned long long) (n >= 1));
    close(fd);
}

static void signalfd_checks(void) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    printf("signalfd bad flags: %s\n", err(signalfd(-1, &mask, 1)));
    int efd = eventfd(0, 0);
    printf("signalfd on an eventfd: %s\n", err(signalfd(efd, &mask, 0)));
    printf("signalfd on fd 999: %s\n", err(signalfd(999, &mask, 0)));
    close(efd);
    int fd = signalfd(-1, &mask, SFD_NONBLOCK);
    struct signalfd_siginfo si[2];
    printf("read nothing pending: %s\n", err(read(fd, si, sizeof si)));
    printf("read 100 bytes: %s\n", err(read(fd, si, 100)));
    raise(SIGUSR1);
    union sigval val = {.sival_int = 1234};
    sigqueue(getpid(), SIGUSR2, val);
    memset(si, 0, sizeof si);
    long r = read(fd, si, sizeof si);
    printf("read two: %s\n", err(r));
    for (int i = 0; i < r / (long) sizeof si[0]; i++) {
        printf("  signo %u code %d pid is mine %d uid is mine %d int %d\n", si[i].ssi_signo, si[i].ssi_code,
               si[i].ssi_pid == (uint32_t) getpid(), si[i].ssi_uid == getuid(), si[i].ssi_int);
    }
    sigset_t pending;
    sigpending(&pending);
    printf("still pending: %d\n", sigismember(&pending, SIGUSR1) || sigismember(&pending, SIGUSR2));

    /* Updating the mask: only SIGUSR2 now; SIGUSR1 stays pending. */
    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    printf("update: %s\n", err(signalfd(fd, &only2, 0) == fd ? 0 : -1));
    raise(SIGUSR1);
    printf("read with SIGUSR1 not in the mask: %s\n", err(read(fd, si, sizeof si)));
    sigpending(&pending);
    printf("SIGUSR1 pending: %d\n", sigismember(&pending, SIGUSR1));
    signalfd(fd, &mask, 0);
    r = read(fd, si, sizeof si);
    printf("read after update: %s signo %u\n", err(r), si[0].ssi_signo);

    /* A blocking read sleeps until a child's SIGCHLD; the child's status comes with it. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int cfd = signalfd(-1, &chld, 0);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        _exit(3);
    }
    memset(si, 0, sizeof si);
    r = read(cfd, si, sizeof si[0]);
    printf("SIGCHLD: %s signo %u code %d status %d pid is child %d\n", err(r), si[0].ssi_signo, si[0].ssi_code,
           si[0].ssi_status, si[0].ssi_pid == (uint32_t) pid);
    waitpid(pid, NULL, 0);
    close(cfd);
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    eventfd_checks();
    timerfd_checks();
    signalfd_checks();
    return 0;
}
