/*
 * epoll over pipes, an eventfd, a timerfd and a signalfd: level- and edge-triggered items,
 * EPOLLONESHOT, the errors of epoll_ctl, nested instances, items going with their file's
 * last close, and a wait that sleeps until a forked child writes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(long r) {
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    return strerrorname_np(errno);
}

/* One wait: how many events, and each as "name:EVENTS". */
static void show(const char *what, int ep, int timeout, const char **names) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    printf("%s: %s", what, err(n));
    for (int i = 0; i < n; i++) {
        uint32_t e = ev[i].events;
        printf(" %s:%s%s%s%s", names[ev[i].data.u32], e & EPOLLIN ? "IN" : "", e & EPOLLOUT ? "OUT" : "",
               e & EPOLLHUP ? "HUP" : "", e & EPOLLERR ? "ERR" : "");
    }
    printf("\n");
}

enum { PIPE_LT, PIPE_ET, EVENTFD, TIMERFD, SIGNALFD, CHILD, WRITER };
static const char *names[] = {"pipe-lt", "pipe-et", "eventfd", "timerfd", "signalfd", "child", "writer"};

static void add(int ep, int fd, uint32_t events, uint32_t tag) {
    struct epoll_event e = {.events = events, .data.u32 = tag};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) != 0) {
        printf("add %s: %s\n", names[tag], strerrorname_np(errno));
    }
}

/*
 * "ev_epoll stdin": an edge-triggered item on standard input, as a host delivers it
 * (PollSleepKernelTest feeds a line late, then closes the stream).
 */
static int watch_stdin(void) {
    int ep = epoll_create1(0);
    add(ep, 0, EPOLLIN | EPOLLET, CHILD);
    struct epoll_event ev;
    int n = epoll_wait(ep, &ev, 1, -1);
    printf("stdin: %d event%s%s\n", n, n == 1 ? "" : "s", ev.events & EPOLLIN ? " IN" : "");
    char buf[64];
    long r = read(0, buf, sizeof buf);
    printf("read: %.*s", (int) (r > 0 ? r : 0), buf);
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    n = poll(&pfd, 1, -1);
    r = read(0, buf, sizeof buf);
    printf("then: poll %d, read %ld\n", n, r);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
        return watch_stdin();
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1 cloexec: %d\n", (fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);
    printf("epoll_create1 bad flags: %s\n", err(epoll_create1(1)));
    int lt[2], et[2];
    pipe(lt);
    pipe(et);
    add(ep, lt[0], EPOLLIN, PIPE_LT);
    add(ep, et[0], EPOLLIN | EPOLLET, PIPE_ET);
    show("nothing yet", ep, 0, names);

    write(lt[1], "ab", 2);
    write(et[1], "ab", 2);
    show("both written", ep, 0, names);
    show("again: only level-triggered", ep, 0, names);
    char c;
    read(et[0], &c, 1);
    show("a read of the ET pipe is no new edge", ep, 0, names);
    write(et[1], "c", 1);
    show("a new write is", ep, 0, names);
    char buf[8];
    read(lt[0], buf, sizeof buf);
    show("LT pipe drained", ep, 0, names);
    read(et[0], buf, sizeof buf);

    /* EPOLLONESHOT: one report, then nothing until EPOLL_CTL_MOD re-arms it. */
    int efd = eventfd(0, EFD_NONBLOCK);
    add(ep, efd, EPOLLIN | EPOLLONESHOT, EVENTFD);
    uint64_t one = 1;
    write(efd, &one, 8);
    show("oneshot eventfd", ep, 0, names);
    write(efd, &one, 8);
    show("oneshot fired already", ep, 0, names);
    struct epoll_event mod = {.events = EPOLLIN | EPOLLOUT, .data.u32 = EVENTFD};
    printf("mod: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &mod)));
    show("re-armed, with OUT", ep, 0, names);
    uint64_t v;
    read(efd, &v, 8);
    mod.events = EPOLLIN;
    epoll_ctl(ep, EPOLL_CTL_MOD, efd, &mod);

    /* Errors. */
    struct epoll_event e = {.events = EPOLLIN};
    printf("add twice: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e)));
    printf("mod of a descriptor not added: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, lt[1], &e)));
    printf("del of a descriptor not added: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, lt[1], NULL)));
    int reg = open("/proc/self/exe", O_RDONLY);
    printf("add a regular file: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &e)));
    close(reg);
    printf("add itself: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e)));
    printf("epfd not an epoll: %s\n", err(epoll_ctl(efd, EPOLL_CTL_ADD, lt[0], &e)));
    printf("bad epfd: %s\n", err(epoll_ctl(999, EPOLL_CTL_ADD, lt[0], &e)));
    printf("bad op: %s\n", err(epoll_ctl(ep, 7, lt[1], &e)));
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    printf("mod with EPOLLEXCLUSIVE: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &e)));
    struct epoll_event out[1];
    printf("wait maxevents 0: %s\n", err(epoll_wait(ep, out, 0, 0)));
    printf("wait on an eventfd: %s\n", err(epoll_wait(efd, out, 1, 0)));

    /* Nesting: an instance inside another is readable when its items are; no loops. */
    int inner = epoll_create1(0);
    int outer = epoll_create1(0);
    add(inner, lt[0], EPOLLIN, PIPE_LT);
    e.events = EPOLLIN;
    e.data.u32 = PIPE_LT;
    printf("outer holds inner: %s\n", err(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &e)));
    printf("inner holds outer (a loop): %s\n", err(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &e)));
    show("outer, inner idle", outer, 0, names);
    write(lt[1], "x", 1);
    show("outer, inner ready", outer, 0, names);
    read(lt[0], buf, 1);
    close(outer);
    close(inner);

    /* An item goes when its file's last descriptor closes, not before. */
    int dupfd = dup(efd);
    close(efd);
    write(dupfd, &one, 8);
    show("eventfd closed once, still watched", ep, 0, names);
    close(dupfd);
    show("closed for good: gone", ep, 0, names);

    /* timerfd and signalfd. */
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    add(ep, tfd, EPOLLIN, TIMERFD);
    struct itimerspec its = {.it_value = {.tv_nsec = 20000000}};
    timerfd_settime(tfd, 0, &its, NULL);
    show("timer armed, no wait", ep, 0, names);
    show("waiting for the timer", ep, 5000, names);
    read(tfd, &v, 8);
    printf("timer count %llu\n", (unsigned long long) v);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    add(ep, sfd, EPOLLIN, SIGNALFD);
    show("no signal", ep, 0, names);
    raise(SIGUSR1);
    show("SIGUSR1 pending", ep, 0, names);
    struct signalfd_siginfo si;
    read(sfd, &si, sizeof si);
    show("taken", ep, 0, names);

    /* A wait that sleeps until a child writes, then sees the hang-up when it exits. */
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        usleep(30000);
        write(p[1], "hi", 2);
        usleep(30000);
        _exit(0);
    }
    close(p[1]);
    add(ep, p[0], EPOLLIN | EPOLLET, CHILD);
    show("waiting for the child", ep, -1, names);
    read(p[0], buf, sizeof buf);
    show("waiting for its exit", ep, -1, names);
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));

    /* A write end's EPOLLERR once its reader is gone. (qemu-aarch64 lacks epoll_pwait2: unit tests.) */
    int w[2];
    pipe(w);
    add(ep, w[1], EPOLLOUT, WRITER);
    show("write end", ep, 0, names);
    close(w[0]);
    show("reader gone", ep, 0, names);
    return 0;
}
