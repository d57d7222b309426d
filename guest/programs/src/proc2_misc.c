/* Process odds and ends: execveat (a path from a dirfd, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW),
 * kcmp, pidfd_getfd, sched_setattr/sched_getattr, unshare(CLONE_FILES), setns's errors,
 * restart_syscall and adjtimex's read. The privileged cases run in a child that has dropped
 * to uid 65534. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <unistd.h>

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static const char *err(long r) { return r >= 0 ? "ok" : strerrorname_np(errno); }

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static int run_child(void (*fn)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void unprivileged(void) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) {
        printf("could not drop privileges\n");
        return;
    }
    struct attr a = { .size = sizeof a, .policy = SCHED_FIFO, .priority = 10 };
    printf("unpriv sched_setattr FIFO: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.policy = 6; /* SCHED_DEADLINE */
    a.priority = 0;
    a.runtime = 10000000;
    a.deadline = 30000000;
    a.period = 100000000;
    printf("unpriv sched_setattr DEADLINE: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.period = 1; /* invalid parameters are EINVAL before the permission check */
    printf("unpriv sched_setattr bad DEADLINE: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.nice = -5;
    printf("unpriv sched_setattr nice -5: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    printf("unpriv unshare(CLONE_NEWUTS): %s\n", err(unshare(CLONE_NEWUTS)));
    int pfd = syscall(SYS_pidfd_open, getpid(), 0);
    printf("unpriv setns(pidfd, CLONE_NEWUTS): %s\n", err(setns(pfd, CLONE_NEWUTS)));
    printf("unpriv setns(pidfd, CLONE_NEWUSER): %s\n", err(setns(pfd, CLONE_NEWUSER)));
    printf("unpriv setns(pidfd, 0): %s\n", err(setns(pfd, 0)));
    struct timex t = { .modes = ADJ_FREQUENCY, .freq = 10 };
    printf("unpriv adjtimex(ADJ_FREQUENCY): %s\n", err(adjtimex(&t)));
    memset(&t, 0, sizeof t);
    t.modes = ADJ_OFFSET_SS_READ;
    printf("unpriv adjtimex(ADJ_OFFSET_SS_READ): %s offset=%ld\n", err(adjtimex(&t)), t.offset);
    t.modes = ADJ_OFFSET_SINGLESHOT;
    printf("unpriv adjtimex(ADJ_OFFSET_SINGLESHOT): %s\n", err(adjtimex(&t)));
    t.modes = 0x8000;
    printf("unpriv adjtimex(ADJ_ADJTIME alone): %s\n", err(adjtimex(&t)));
    /* The parent (root) is another user's: kcmp and pidfd_getfd are EPERM. */
    printf("unpriv kcmp(parent): %s\n", err(kcmp(getpid(), getppid(), KCMP_VM, 0, 0)));
    int ppfd = syscall(SYS_pidfd_open, getppid(), 0);
    printf("unpriv pidfd_getfd(parent): %s\n", err(syscall(SYS_pidfd_getfd, ppfd, 0, 0)));
}

static char self_dir[4096], self_base[256], self_path[4096];

static void execveat_child(void) {
    int dir = open(self_dir, O_RDONLY | O_DIRECTORY);
    char *argv[] = { "proc2_misc", "exec-child", NULL };
    char *envp[] = { NULL };
    printf("execveat(bad flags): %s\n", err(syscall(SYS_execveat, dir, self_base, argv, envp, 0x4)));
    printf("execveat(\"\" without AT_EMPTY_PATH): %s\n", err(syscall(SYS_execveat, dir, "", argv, envp, 0)));
    printf("execveat(directory, AT_EMPTY_PATH): %s\n", err(syscall(SYS_execveat, dir, "", argv, envp, AT_EMPTY_PATH)));
    printf("execveat(bad fd): %s\n", err(syscall(SYS_execveat, 99, self_base, argv, envp, 0)));
    printf("execveat(missing): %s\n", err(syscall(SYS_execveat, dir, "no-such-program", argv, envp, 0)));
    /* A directory of its own: two runs at once (the engines side by side) must not share the link. */
    char link_dir[] = "/tmp/proc2_misc.XXXXXX";
    char link_path[64];
    if (mkdtemp(link_dir) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(link_path, sizeof link_path, "%s/link", link_dir);
    symlink(self_path, link_path);
    printf("execveat(symlink, AT_SYMLINK_NOFOLLOW): %s\n",
           err(syscall(SYS_execveat, AT_FDCWD, link_path, argv, envp, AT_SYMLINK_NOFOLLOW)));
    unlink(link_path);
    rmdir(link_dir);
    fflush(stdout);
    syscall(SYS_execveat, dir, self_base, argv, envp, 0);
    printf("execveat(dir, name) failed: %s\n", strerrorname_np(errno));
}

static void fexecve_child(void) {
    int fd = open(self_path, O_RDONLY);
    char *argv[] = { "proc2_misc", "exec-child", NULL };
    char *envp[] = { NULL };
    fflush(stdout);
    syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
    printf("execveat(fd, AT_EMPTY_PATH) failed: %s\n", strerrorname_np(errno));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        printf("exec-child running\n");
        return 7;
    }
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    self_path[n < 0 ? 0 : n] = 0;
    char *slash = strrchr(self_path, '/');
    memcpy(self_dir, self_path, slash - self_path);
    strcpy(self_base, slash + 1);
    /* restart_syscall with no interrupted call to restart. */
    printf("restart_syscall: %s\n", err(syscall(SYS_restart_syscall)));

    /* execveat */
    int st = run_child(execveat_child);
    printf("execveat(dir, name) status %d\n", WEXITSTATUS(st));
    st = run_child(fexecve_child);
    printf("execveat(fd, AT_EMPTY_PATH) status %d\n", WEXITSTATUS(st));

    /* kcmp */
    int fd = open("/dev/null", O_RDONLY);
    int dupfd = dup(fd);
    int other = open("/dev/null", O_RDONLY);
    pid_t me = getpid();
    printf("kcmp FILE dup: %ld\n", kcmp(me, me, KCMP_FILE, fd, dupfd));
    long r = kcmp(me, me, KCMP_FILE, fd, other);
    printf("kcmp FILE other open: %s\n", r == 1 || r == 2 ? "different" : "same?");
    long r2 = kcmp(me, me, KCMP_FILE, other, fd);
    printf("kcmp FILE order reversed: %s\n", r + r2 == 3 ? "consistent" : "inconsistent");
    printf("kcmp FILE bad fd: %s\n", err(kcmp(me, me, KCMP_FILE, fd, 999)));
    printf("kcmp VM self: %ld\n", kcmp(me, me, KCMP_VM, 0, 0));
    printf("kcmp bad type: %s\n", err(kcmp(me, me, 99, 0, 0)));
    printf("kcmp no such pid: %s\n", err(kcmp(me, 999999, KCMP_VM, 0, 0)));
    int ep = syscall(SYS_epoll_create1, 0);
    struct epoll_event ev = { .events = EPOLLIN };
    int pp[2];
    pipe(pp);
    printf("epoll_ctl ADD pipe: %s\n", err(syscall(SYS_epoll_ctl, ep, 1, pp[0], &ev)));
    struct kcmp_epoll_slot slot = { .efd = ep, .tfd = pp[0], .toff = 0 };
    printf("kcmp EPOLL_TFD registered: %ld\n", kcmp(me, me, KCMP_EPOLL_TFD, pp[0], (unsigned long) &slot));
    printf("kcmp EPOLL_TFD vs another file: %s\n",
           kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long) &slot) > 0 ? "different" : "same?");
    slot.tfd = fd;
    printf("kcmp EPOLL_TFD not registered: %s\n", err(kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long) &slot)));
    slot.efd = fd;
    printf("kcmp EPOLL_TFD not epoll: %s\n", err(kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long) &slot)));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    printf("kcmp child VM: %s\n", kcmp(me, child, KCMP_VM, 0, 0) > 0 ? "different" : "same?");
    printf("kcmp child FILES: %s\n", kcmp(me, child, KCMP_FILES, 0, 0) > 0 ? "different" : "same?");
    printf("kcmp child SIGHAND: %s\n", kcmp(me, child, KCMP_SIGHAND, 0, 0) > 0 ? "different" : "same?");
    printf("kcmp child inherited FILE: %ld\n", kcmp(me, child, KCMP_FILE, fd, fd));

    /* pidfd_getfd */
    int pfd = syscall(SYS_pidfd_open, child, 0);
    int got = syscall(SYS_pidfd_getfd, pfd, other, 0);
    printf("pidfd_getfd: %s same file: %ld cloexec: %s\n", err(got), kcmp(me, me, KCMP_FILE, got, other),
           (fcntl(got, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    printf("pidfd_getfd flags 1: %s\n", err(syscall(SYS_pidfd_getfd, pfd, other, 1)));
    printf("pidfd_getfd bad target fd: %s\n", err(syscall(SYS_pidfd_getfd, pfd, 999, 0)));
    printf("pidfd_getfd not a pidfd: %s\n", err(syscall(SYS_pidfd_getfd, fd, 0, 0)));
    printf("pidfd_getfd bad pidfd: %s\n", err(syscall(SYS_pidfd_getfd, 999, 0, 0)));
    printf("setns(bad fd): %s\n", err(setns(999, 0)));
    printf("setns(not a namespace): %s\n", err(setns(fd, 0)));
    printf("setns(pidfd, bad flags): %s\n", err(setns(pfd, 1)));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("pidfd_getfd reaped: %s\n", err(syscall(SYS_pidfd_getfd, pfd, other, 0)));

    /* sched_setattr / sched_getattr */
    struct attr a;
    memset(&a, 0, sizeof a);
    printf("getattr: %s\n", err(syscall(SYS_sched_getattr, 0, &a, sizeof a, 0)));
    printf("  size=%u policy=%u flags=%lu nice=%d prio=%u util=%u..%u\n", a.size, a.policy, (unsigned long) a.flags,
           a.nice, a.priority, a.util_min, a.util_max);
    printf("getattr size 47: %s\n", err(syscall(SYS_sched_getattr, 0, &a, 47, 0)));
    memset(&a, 0xff, sizeof a);
    printf("getattr size 48: %s util_min untouched: %s\n", err(syscall(SYS_sched_getattr, 0, &a, 48, 0)),
           a.util_min == 0xffffffffu ? "yes" : "no");
    printf("getattr flags 1: %s\n", err(syscall(SYS_sched_getattr, 0, &a, sizeof a, 1)));
    printf("getattr no such pid: %s\n", err(syscall(SYS_sched_getattr, 999999, &a, sizeof a, 0)));
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.policy = SCHED_BATCH;
    a.nice = 5;
    printf("setattr BATCH nice 5: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    printf("  sched_getscheduler=%d getpriority=%d\n", sched_getscheduler(0), getpriority(PRIO_PROCESS, 0));
    a.policy = SCHED_IDLE;
    a.nice = 7;
    printf("setattr IDLE: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    memset(&a, 0, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    printf("  policy=%u nice=%d\n", a.policy, a.nice);
    char big[128];
    memset(big, 0, sizeof big);
    struct attr *ba = (struct attr *) big;
    ba->size = sizeof big;
    ba->policy = SCHED_OTHER;
    ba->nice = 6;
    printf("setattr size 128 zero tail: %s\n", err(syscall(SYS_sched_setattr, 0, ba, 0)));
    big[100] = 1;
    ba->size = sizeof big;
    printf("setattr size 128 nonzero tail: %s\n", err(syscall(SYS_sched_setattr, 0, ba, 0)));
    ba->size = 20;
    printf("setattr size 20: %s\n", err(syscall(SYS_sched_setattr, 0, ba, 0)));
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.policy = 77;
    printf("setattr bad policy: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.policy = SCHED_OTHER;
    a.priority = 1;
    printf("setattr OTHER prio 1: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.priority = 0;
    a.flags = 0x100;
    printf("setattr unknown flag: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.flags = 0x20 | 0x40;
    a.util_min = 100;
    a.util_max = 50;
    printf("setattr util min>max: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.util_max = 2000;
    printf("setattr util max 2000: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    a.size = 48;
    a.util_max = 500;
    printf("setattr util clamp with VER0 size: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 0)));
    printf("setattr NULL: %s\n", err(syscall(SYS_sched_setattr, 0, NULL, 0)));
    printf("setattr flags 1: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 1)));

    /* unshare */
    printf("unshare(0): %s\n", err(unshare(0)));
    printf("unshare(CLONE_FILES) alone: %s\n", err(unshare(CLONE_FILES)));
    printf("unshare(CLONE_FS|CLONE_SYSVSEM): %s\n", err(unshare(CLONE_FS | CLONE_SYSVSEM)));
    printf("unshare(CLONE_THREAD|CLONE_VM|CLONE_SIGHAND): %s\n", err(unshare(CLONE_THREAD | CLONE_VM | CLONE_SIGHAND)));
    printf("unshare(bad flag): %s\n", err(unshare(0x1000)));
    run_child(unprivileged);

    /* adjtimex's read */
    struct timex t;
    memset(&t, 0, sizeof t);
    int state = adjtimex(&t);
    printf("adjtimex: %d status=%#x maxerror=%ld esterror=%ld constant=%ld precision=%ld tolerance=%ld tick=%ld\n",
           state, t.status, t.maxerror, t.esterror, t.constant, t.precision, t.tolerance, t.tick);
    memset(&t, 0, sizeof t);
    printf("clock_adjtime(REALTIME): %ld\n", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &t));
    printf("clock_adjtime(MONOTONIC): %s\n", err(syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &t)));
    printf("clock_adjtime(99): %s\n", err(syscall(SYS_clock_adjtime, 99, &t)));
    printf("clock_adjtime(bad pointer): %s\n", err(syscall(SYS_clock_adjtime, CLOCK_REALTIME, (void *) 8)));
    return 0;
}
