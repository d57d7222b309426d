/* POSIX message queues through glibc's mq_* functions: names, attributes, priorities,
 * blocking and timeouts, O_NONBLOCK, poll, the descriptor's status line, fork,
 * mq_notify with a signal, unlink while open, permissions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME "/a64emu_ipc_mq"

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void wait_sleeping(pid_t c) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f && fgets(buf, sizeof buf, f)) {
            char *p = strrchr(buf, ')');
            if (p && p[2] == 'S') { fclose(f); return; }
        }
        if (f) fclose(f);
        usleep(1000);
    }
}

static void show_attr(const char *what, mqd_t q) {
    struct mq_attr a;
    mq_getattr(q, &a);
    printf("%s: flags=%s maxmsg=%ld msgsize=%ld curmsgs=%ld\n", what, a.mq_flags & O_NONBLOCK ? "O_NONBLOCK" : "0",
           a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

static void receive(const char *what, mqd_t q, size_t size) {
    char buf[128];
    unsigned prio = 0;
    ssize_t n = mq_receive(q, buf, size, &prio);
    if (n < 0)
        printf("%s: %s\n", what, strerrorname_np(errno));
    else
        printf("%s: prio=%u len=%zd text=%.*s\n", what, prio, n, (int)n, buf);
}

static struct timespec in_ms(long ms) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000;
    t.tv_sec += t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mq_unlink(NAME);
    printf("open missing: %s\n", err(mq_open(NAME, O_RDWR)));
    printf("no slash: %s\n", err(mq_open("x", O_RDWR)));
    printf("syscall dot: %s\n", err(syscall(SYS_mq_open, ".", O_RDWR, 0, NULL)));
    printf("syscall slash inside: %s\n", err(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL)));
    char longname[300];
    memset(longname, 'n', 256);
    longname[256] = 0;
    printf("syscall 256 bytes: %s\n", err(syscall(SYS_mq_open, longname, O_RDWR | O_CREAT, 0600, NULL)));
    struct mq_attr bad = {0, 0, 64, 0, {0}};
    printf("maxmsg 0: %s\n", err(mq_open(NAME, O_RDWR | O_CREAT, 0600, &bad)));
    bad.mq_maxmsg = 4;
    bad.mq_msgsize = 0;
    printf("msgsize 0: %s\n", err(mq_open(NAME, O_RDWR | O_CREAT, 0600, &bad)));

    struct mq_attr attr = {0, 4, 64, 0, {0}};
    mqd_t q = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    printf("create: %s cloexec=%d\n", err(q), fcntl(q, F_GETFD));
    printf("excl: %s\n", err(mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr)));
    printf("wronly|rdwr: %s\n", err(syscall(SYS_mq_open, NAME + 1, O_WRONLY | O_RDWR, 0, NULL)));
    show_attr("attr", q);
    struct stat stq;
    fstat(q, &stq);
    printf("fstat: mode=%o size=%ld\n", stq.st_mode, (long)stq.st_size);

    /* priorities: highest first, arrival order within one */
    mq_send(q, "low", 3, 1);
    mq_send(q, "high-a", 6, 5);
    mq_send(q, "mid", 3, 3);
    mq_send(q, "high-b", 6, 5);
    show_attr("four queued", q);
    char status[128];
    ssize_t sn = read(q, status, sizeof status - 1);
    status[sn > 0 ? sn : 0] = 0;
    printf("read: %s", status);
    struct pollfd pf = {q, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("poll full: in=%d out=%d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
    printf("prio 32768: %s\n", err(mq_send(q, "x", 1, 32768)));
    printf("65 bytes: %s\n", err(mq_send(q, status, 65, 0)));
    struct timespec past = {1, 0}, badts = {0, -1};
    printf("full, past deadline: %s\n", err(mq_timedsend(q, "x", 1, 0, &past)));
    printf("bad timespec: %s\n", err(mq_timedsend(q, "x", 1, 0, &badts)));
    struct mq_attr nb = {O_NONBLOCK, 0, 0, 0, {0}}, old;
    mq_setattr(q, &nb, &old);
    printf("setattr: old flags=%ld; full nonblocking: %s\n", old.mq_flags, err(mq_send(q, "x", 1, 0)));
    nb.mq_flags = O_NONBLOCK | O_APPEND;
    printf("setattr other flags: %s\n", err(mq_setattr(q, &nb, NULL)));
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    receive("small buffer", q, 63);
    for (int i = 0; i < 4; i++) receive("receive", q, 64);
    struct timespec soon = in_ms(20);
    char buf[64];
    printf("empty, deadline: %s\n", err(mq_timedreceive(q, buf, 64, NULL, &soon)));
    pf.revents = 0;
    poll(&pf, 1, 0);
    printf("poll empty: in=%d out=%d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));

    /* a receiver sleeping until another process sends */
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        mqd_t w = mq_open(NAME, O_WRONLY);
        wait_sleeping(parent);
        mq_send(w, "from child", 10, 2);
        _exit(0);
    }
    receive("woken by child", q, 64);
    int st;
    waitpid(c, &st, 0);

    /* a sender sleeping until there is room */
    for (int i = 0; i < 4; i++) mq_send(q, "fill", 4, 0);
    c = fork();
    if (c == 0) {
        printf("child: blocked send %s\n", err(mq_send(q, "late", 4, 9)));
        _exit(0);
    }
    wait_sleeping(c);
    receive("made room", q, 64);
    waitpid(c, &st, 0);
    receive("then", q, 64);
    for (int i = 0; i < 3; i++) mq_receive(q, buf, 64, NULL);

    /* mq_notify with a signal: fired by the first message into an empty queue, then gone */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 42;
    printf("notify: %s\n", err(mq_notify(q, &ev)));
    printf("notify again: %s\n", err(mq_notify(q, &ev)));
    ev.sigev_notify = 7;
    printf("notify bad kind: %s\n", err(mq_notify(q, &ev)));
    ev.sigev_notify = SIGEV_SIGNAL;
    sn = pread(q, status, sizeof status - 1, 0);
    status[sn > 0 ? sn : 0] = 0;
    char *pidfield = strstr(status, " NOTIFY_PID:");
    if (pidfield) *pidfield = 0;
    printf("status: %s\n", strstr(status, "NOTIFY:"));
    c = fork();
    if (c == 0) {
        printf("child: notify taken %s\n", err(mq_notify(q, &ev)));
        mq_send(q, "wake", 4, 0);
        _exit(0);
    }
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    printf("signal: %s code=%s value=%d from child=%d\n", sig == SIGUSR1 ? "SIGUSR1" : "other",
           si.si_code == SI_MESGQ ? "SI_MESGQ" : "other", si.si_value.sival_int, si.si_pid == c);
    waitpid(c, &st, 0);
    printf("notify after firing: %s\n", err(mq_notify(q, &ev)));
    printf("unregister: %s\n", err(mq_notify(q, NULL)));
    receive("the waking message", q, 64);

    /* permissions */
    c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0) _exit(1);
        printf("other user: open %s", err(mq_open(NAME, O_RDONLY)));
        printf(", unlink %s\n", err(mq_unlink(NAME)));
        _exit(0);
    }
    waitpid(c, &st, 0);

    /* unlinked while open: the name goes, the queue stays */
    printf("unlink: %s\n", err(mq_unlink(NAME)));
    printf("open after unlink: %s\n", err(mq_open(NAME, O_RDWR)));
    printf("unlink again: %s\n", err(mq_unlink(NAME)));
    mq_send(q, "still", 5, 0);
    receive("still usable", q, 64);
    printf("close: %s\n", err(mq_close(q)));
    printf("send on closed: %s\n", err(mq_send(q, "x", 1, 0)));
    return 0;
}
