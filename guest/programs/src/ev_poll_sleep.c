/*
 * ppoll and select (pselect6) with real readiness: a parent waits on a pipe that a child
 * writes after a delay (or after a long computation), timeouts expire, a closed writer
 * hangs up, and the signal mask argument decides whether a signal interrupts the wait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
    (void) sig;
    handled++;
}

static const char *err(long r) {
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    return strerrorname_np(errno);
}

/* A child that writes one byte after a delay (or, with spin, after a long loop), then exits. */
static pid_t writer(int fd, long delay_us, int spin) {
    pid_t pid = fork();
    if (pid == 0) {
        if (spin) {
            volatile unsigned long x = 0;
            for (unsigned long i = 0; i < 20000000UL; i++) {
                x += i;
            }
        }
        if (delay_us) {
            usleep(delay_us);
        }
        write(fd, "x", 1);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    char c;

    /* ppoll sleeps until the child writes. */
    pipe(p);
    pid_t pid = writer(p[1], 40000, 0);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    struct timespec five = {5, 0};
    long r = ppoll(&pfd, 1, &five, NULL);
    printf("ppoll, child writes after 40ms: %s revents %#x\n", err(r), pfd.revents);
    read(p[0], &c, 1);
    reap(pid);

    /* ... and after a long computation of the child's, which runs while the parent sleeps. */
    pid = writer(p[1], 0, 1);
    r = poll(&pfd, 1, -1);
    printf("poll, child writes after a loop: %s revents %#x\n", err(r), pfd.revents);
    read(p[0], &c, 1);
    reap(pid);

    /* A timeout with nothing to read, and a zero timeout. */
    struct timespec short_wait = {0, 30000000};
    r = ppoll(&pfd, 1, &short_wait, NULL);
    printf("ppoll timeout: %s revents %#x\n", err(r), pfd.revents);
    struct timespec zero = {0, 0};
    printf("ppoll zero timeout: %s\n", err(ppoll(&pfd, 1, &zero, NULL)));
    struct timespec bad = {0, 1000000000};
    printf("ppoll invalid timeout: %s\n", err(ppoll(&pfd, 1, &bad, NULL)));
    struct pollfd nval = {.fd = 99, .events = POLLIN};
    printf("ppoll closed fd: %s revents %#x\n", err(ppoll(&nval, 1, &zero, NULL)), nval.revents);
    struct pollfd wr = {.fd = p[1], .events = POLLOUT | POLLIN};
    printf("ppoll write end: %s revents %#x\n", err(ppoll(&wr, 1, &zero, NULL)), wr.revents);

    /* select (pselect6) on the same pipe. */
    pid = writer(p[1], 40000, 0);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = {5, 0};
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    printf("select, child writes after 40ms: %s readable %d\n", err(r), FD_ISSET(p[0], &rd));
    read(p[0], &c, 1);
    reap(pid);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    fd_set wrs;
    FD_ZERO(&wrs);
    FD_SET(p[1], &wrs);
    FD_SET(p[0], &wrs);
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    r = select(p[1] + 1, &rd, &wrs, NULL, &tv);
    printf("select readable-or-writable: %s readable %d writable %d,%d\n", err(r), FD_ISSET(p[0], &rd),
           FD_ISSET(p[1], &wrs), FD_ISSET(p[0], &wrs));
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_usec = 20000;
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    printf("select timeout: %s readable %d\n", err(r), FD_ISSET(p[0], &rd));
    FD_ZERO(&rd);
    FD_SET(50, &rd);
    printf("select closed fd: %s\n", err(select(51, &rd, NULL, NULL, &tv)));
    printf("select negative n: %s\n", err(select(-1, NULL, NULL, NULL, &tv)));

    /* The writer closes: the read end hangs up. */
    int q[2];
    pipe(q);
    pid = fork();
    if (pid == 0) {
        usleep(20000);
        _exit(0);
    }
    close(q[1]);
    struct pollfd hup = {.fd = q[0], .events = POLLIN};
    r = poll(&hup, 1, 5000);
    printf("poll, writer exits: %s revents %#x\n", err(r), hup.revents);
    reap(pid);
    close(q[0]);

    /* The mask argument: SIGUSR1 is blocked; a ppoll whose mask unblocks it is interrupted. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1, none, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        usleep(20000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    r = ppoll(&pfd, 1, &five, &none);
    printf("ppoll unblocking SIGUSR1: %s, handler ran %d\n", err(r), handled);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGUSR1 blocked again after: %d\n", sigismember(&now, SIGUSR1));
    reap(pid);

    /* A mask that keeps it blocked: the wait goes on to the data; the handler runs at unblock. */
    handled = 0;
    pid = fork();
    if (pid == 0) {
        kill(parent, SIGUSR1);
        usleep(40000);
        write(p[1], "y", 1);
        _exit(0);
    }
    r = ppoll(&pfd, 1, &five, &usr1);
    printf("ppoll keeping SIGUSR1 blocked: %s revents %#x, handler ran %d\n", err(r), pfd.revents, handled);
    reap(pid);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("after unblocking: handler ran %d\n", handled);
    read(p[0], &c, 1);

    /* pselect's mask the same way, with the signal already pending when it starts. */
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    handled = 0;
    raise(SIGUSR1);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timespec ts = {5, 0};
    r = pselect(p[0] + 1, &rd, NULL, NULL, &ts, &none);
    printf("pselect with SIGUSR1 pending, unblocked by its mask: %s, handler ran %d\n", err(r), handled);
    return 0;
}
