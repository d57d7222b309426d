/* Processes as an unprivileged Linux process sees them (issue 15, item 4): scheduling
 * policy, priority and affinity, getcpu, nice values, personality, the setuid family and
 * groups, capabilities, process groups and sessions, pidfds, process_vm_readv/writev and
 * PR_GET_TID_ADDRESS. (PR_SET_VMA_ANON_NAME is left to the unit tests: this machine's kernel,
 * the oracle, is built without CONFIG_ANON_VMA_NAME.) qemu-aarch64 7.2 has neither
 * process_vm_readv nor PR_GET_TID_ADDRESS, so the oracle is the native build (the file
 * "oracles"); nothing here depends on the architecture. The checks that need an
 * unprivileged caller run in a child that first drops root, when it has it, to nobody
 * (65534), so the output is the same whoever runs the program. No pid or address is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <linux/capability.h>

static const char *err(long r)
{
    static char buf[64];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    switch (errno) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBADF: return "EBADF";
    case ENOMEM: return "ENOMEM";
    case ENOSYS: return "ENOSYS";
    default:
        snprintf(buf, sizeof buf, "errno %d", errno);
        return buf;
    }
}

static void show(const char *what, long r)
{
    printf("%-44s %s\n", what, err(r));
}

static void sched_checks(void)
{
    struct sched_param p = {0};
    show("sched_getscheduler(0)", sched_getscheduler(0));
    show("sched_getscheduler(-1)", sched_getscheduler(-1));
    show("sched_getscheduler(no such pid)", sched_getscheduler(0x7fffffff));
    show("sched_getparam(0)", sched_getparam(0, &p));
    printf("%-44s %d\n", "  sched_priority", p.sched_priority);
    int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 42};
    for (unsigned i = 0; i < sizeof policies / sizeof *policies; i++) {
        char what[64];
        snprintf(what, sizeof what, "sched_get_priority_min/max(%d)", policies[i]);
        long lo = sched_get_priority_min(policies[i]);
        const char *a = strdup(err(lo));
        long hi = sched_get_priority_max(policies[i]);
        printf("%-44s %s %s\n", what, a, err(hi));
    }
    p.sched_priority = 0;
    show("sched_setscheduler(SCHED_BATCH, 0)", sched_setscheduler(0, SCHED_BATCH, &p));
    show("  sched_getscheduler", sched_getscheduler(0));
    p.sched_priority = 5;
    show("sched_setscheduler(SCHED_OTHER, 5)", sched_setscheduler(0, SCHED_OTHER, &p));
    p.sched_priority = 0;
    show("sched_setscheduler(42, 0)", sched_setscheduler(0, 42, &p));
    show("sched_setscheduler(SCHED_OTHER, NULL)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    show("sched_setscheduler(SCHED_OTHER, 0)", sched_setscheduler(0, SCHED_OTHER, &p));
    show("sched_setparam(0)", sched_setparam(0, &p));
    show("  sched_getscheduler", sched_getscheduler(0));
    struct timespec ts;
    show("sched_rr_get_interval(0)", sched_rr_get_interval(0, &ts));
    show("sched_rr_get_interval(-1)", sched_rr_get_interval(-1, &ts));

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    show("sched_setaffinity({0})", sched_setaffinity(0, sizeof set, &set));
    CPU_ZERO(&set);
    long n = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    printf("%-44s %s cpu0 %d count %d\n", "sched_getaffinity", n > 0 ? "ok" : err(n), CPU_ISSET(0, &set),
           CPU_COUNT(&set));
    unsigned cpu = 99, node = 99;
    show("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    printf("%-44s cpu %u node %u\n", "", cpu, node);
    CPU_ZERO(&set);
    show("sched_setaffinity({})", sched_setaffinity(0, sizeof set, &set));
    show("sched_getaffinity(len 4)", syscall(SYS_sched_getaffinity, 0, 4, &set));
    show("sched_getaffinity(len 12)", syscall(SYS_sched_getaffinity, 0, 12, &set));
    show("sched_getaffinity(bad mask)", syscall(SYS_sched_getaffinity, 0, sizeof set, (void *) 8));
    show("sched_setaffinity(no such pid)", sched_setaffinity(0x7fffffff, sizeof set, &set));
}

static void personality_checks(void)
{
    printf("%-44s 0x%x\n", "personality(0xffffffff)", personality(0xffffffff));
    printf("%-44s 0x%x\n", "personality(ADDR_NO_RANDOMIZE)", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
    printf("%-44s 0x%x\n", "personality(PER_LINUX)", personality(PER_LINUX));
    printf("%-44s 0x%x\n", "personality(0xffffffff)", personality(0xffffffff));
}

static void prctl_checks(void)
{
    int *tid_address = NULL;
    show("PR_GET_TID_ADDRESS", prctl(PR_GET_TID_ADDRESS, &tid_address));
    printf("%-44s %s\n", "  points at our tid", tid_address != NULL && *tid_address == gettid() ? "yes" : "no");
}

/* Makes the caller nobody when it is root; afterwards it is an unprivileged process either way. */
static void drop_root(void)
{
    if (geteuid() == 0) {
        if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) {
            perror("dropping root");
            exit(1);
        }
    }
}

static void unprivileged_checks(pid_t parent)
{
    uid_t r, e, s;
    gid_t rg, eg, sg;
    getresuid(&r, &e, &s);
    getresgid(&rg, &eg, &sg);
    printf("%-44s %s\n", "getresuid: real = effective = saved", r == e && e == s ? "yes" : "no");
    printf("%-44s %s\n", "getresgid: real = effective = saved", rg == eg && eg == sg ? "yes" : "no");
    printf("%-44s %s\n", "uid is root", r == 0 ? "yes" : "no");
    show("setuid(own uid)", setuid(r));
    show("setuid(0)", setuid(0));
    show("setuid(-1)", syscall(SYS_setuid, -1));
    show("setreuid(-1, own uid)", setreuid(-1, r));
    show("setreuid(0, -1)", setreuid(0, -1));
    show("setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
    show("setresuid(-1, 0, -1)", setresuid(-1, 0, -1));
    show("setgid(own gid)", setgid(rg));
    show("setgid(0)", setgid(0));
    show("setregid(0, -1)", setregid(0, -1));
    show("setresgid(-1, -1, -1)", setresgid(-1, -1, -1));
    show("setresgid(0, 0, 0)", setresgid(0, 0, 0));
    printf("%-44s %s\n", "setfsuid(0) answers the old fsuid, own uid",
           (uid_t) syscall(SYS_setfsuid, 0) == r ? "yes" : "no");
    printf("%-44s %s\n", "  and the fsuid is still own uid", (uid_t) syscall(SYS_setfsuid, -1) == r ? "yes" : "no");
    printf("%-44s %s\n", "setfsgid(0) answers own gid", (gid_t) syscall(SYS_setfsgid, 0) == rg ? "yes" : "no");
    show("getgroups(0, NULL)", getgroups(0, NULL));
    gid_t g = 0;
    show("setgroups(1, {0})", setgroups(1, &g));
    show("setgroups(0, NULL)", setgroups(0, NULL));

    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0xff, sizeof d);
    show("capget", syscall(SYS_capget, &h, d));
    printf("%-44s eff %x %x perm %x %x inh %x %x\n", "", d[0].effective, d[1].effective, d[0].permitted,
           d[1].permitted, d[0].inheritable, d[1].inheritable);
    d[0].effective = d[0].permitted = 1u << CAP_SETUID;
    show("capset(CAP_SETUID)", syscall(SYS_capset, &h, d));

    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    printf("%-44s %d %s\n", "getpriority(PRIO_PROCESS, 0) before", nice, errno ? err(-1) : "");
    show("setpriority(PRIO_PROCESS, 0, 5)", setpriority(PRIO_PROCESS, 0, 5));
    printf("%-44s %d\n", "  getpriority", getpriority(PRIO_PROCESS, 0));
    show("setpriority(PRIO_PROCESS, 0, 3) lowers it", setpriority(PRIO_PROCESS, 0, 3));
    show("setpriority(PRIO_PROCESS, 0, 100)", setpriority(PRIO_PROCESS, 0, 100));
    printf("%-44s %d\n", "  getpriority (clamped to 19)", getpriority(PRIO_PROCESS, 0));
    show("setpriority(PRIO_PROCESS, parent, 10)", setpriority(PRIO_PROCESS, parent, 10));
    show("setpriority(42, 0, 0)", setpriority(42, 0, 0));
    errno = 0;
    show("getpriority(PRIO_PROCESS, no such pid)", getpriority(PRIO_PROCESS, 0x7fffffff));
    struct sched_param p = {1};
    show("sched_setscheduler(SCHED_FIFO, 1)", sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = 0;
    show("sched_setscheduler(SCHED_IDLE, 0)", sched_setscheduler(0, SCHED_IDLE, &p));
    show("sched_setscheduler(SCHED_OTHER, 0) from IDLE", sched_setscheduler(0, SCHED_OTHER, &p));
    show("kill(parent, 0)", kill(parent, 0));
    char buf[4];
    struct iovec l = {buf, sizeof buf}, rv = {buf, sizeof buf};
    show("process_vm_readv(parent)", process_vm_readv(parent, &l, 1, &rv, 1, 0));

    long sid = setsid();
    printf("%-44s %s\n", "setsid() answers own pid", sid == getpid() ? "yes" : err(sid));
    printf("%-44s %s\n", "getsid(0), getpgid(0) are own pid",
           getsid(0) == getpid() && getpgid(0) == getpid() ? "yes" : "no");
    show("setsid() again", setsid());
    show("setpgid(0, 0) as session leader", setpgid(0, 0));
    show("getpgid(no such pid)", getpgid(0x7fffffff));
    show("getsid(no such pid)", getsid(0x7fffffff));
    show("setpgid(0, -1)", setpgid(0, -1));
    pid_t c = fork();
    if (c == 0) {
        long rc = setpgid(0, 0);
        printf("%-44s %s, leads it %s\n", "grandchild setpgid(0, 0)", err(rc), getpgid(0) == getpid() ? "yes" : "no");
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    show("kill(0, 0) to own group", kill(0, 0));
    show("setpgid(exited child, 0)", setpgid(c, 0));
}

static void pidfd_checks(void)
{
    int ready[2];
    if (pipe(ready) != 0) exit(1);
    pid_t c = fork();
    if (c == 0) {
        close(ready[0]);
        write(ready[1], "r", 1);
        for (;;) pause();
    }
    char b;
    close(ready[1]);
    read(ready[0], &b, 1);
    long fd = syscall(SYS_pidfd_open, c, 0);
    printf("%-44s %s\n", "pidfd_open(child)", fd >= 0 ? "a descriptor" : err(fd));
    printf("%-44s %s\n", "  close-on-exec", fcntl(fd, F_GETFD) == FD_CLOEXEC ? "yes" : "no");
    char link[64] = {0}, path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
    readlink(path, link, sizeof link - 1);
    printf("%-44s %s\n", "  /proc/self/fd link", link);
    show("pidfd_send_signal(SIGTERM)", syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
    int st = 0;
    waitpid(c, &st, 0);
    printf("%-44s %s\n", "  child killed by SIGTERM", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? "yes" : "no");
    show("pidfd_send_signal after reaping", syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0));
    show("close(pidfd)", close(fd));
    show("pidfd_open(self, flags 1)", syscall(SYS_pidfd_open, getpid(), 1));
    show("pidfd_open(-1)", syscall(SYS_pidfd_open, -1, 0));
    show("pidfd_open(no such pid)", syscall(SYS_pidfd_open, 0x7fffffff, 0));
    show("pidfd_send_signal(stdin)", syscall(SYS_pidfd_send_signal, 0, 0, NULL, 0));
    long self = syscall(SYS_pidfd_open, getpid(), 0);
    /* 8: no flag Linux knows (6.9 added PIDFD_SIGNAL_THREAD = 1 and two more). */
    show("pidfd_send_signal(self, 0, flags 8)", syscall(SYS_pidfd_send_signal, self, 0, NULL, 8));
    show("pidfd_send_signal(self, 0)", syscall(SYS_pidfd_send_signal, self, 0, NULL, 0));
    close(self);
}

static char shared[32] = "before fork";

static void process_vm_checks(void)
{
    int go[2], done[2];
    if (pipe(go) != 0 || pipe(done) != 0) exit(1);
    pid_t c = fork();
    if (c == 0) {
        char b;
        strcpy(shared, "child's data");
        write(done[1], "x", 1);
        read(go[0], &b, 1);
        printf("%-44s %s\n", "child's buffer after process_vm_writev", shared);
        fflush(stdout);
        _exit(0);
    }
    char b;
    read(done[0], &b, 1);
    char got[32] = {0};
    struct iovec l[2] = {{got, 5}, {got + 5, 7}};
    struct iovec r = {shared, 12};
    show("process_vm_readv(child, 2 local pieces)", process_vm_readv(c, l, 2, &r, 1, 0));
    printf("%-44s %s\n", "  read", got);
    char text[] = "parent wrote";
    struct iovec lw = {text, sizeof text};
    struct iovec rw = {shared, sizeof text};
    show("process_vm_writev(child)", process_vm_writev(c, &lw, 1, &rw, 1, 0));
    struct iovec bad = {NULL, 8};
    show("process_vm_readv(remote NULL)", process_vm_readv(c, l, 1, &bad, 1, 0));
    show("process_vm_readv(flags 1)", process_vm_readv(c, l, 1, &r, 1, 1));
    show("process_vm_readv(no such pid)", process_vm_readv(0x7fffffff, l, 1, &r, 1, 0));
    struct iovec half[2] = {{shared, 4}, {NULL, 4}};
    show("process_vm_readv(second remote piece bad)", process_vm_readv(c, l, 2, half, 2, 0));
    write(go[1], "x", 1);
    int st;
    waitpid(c, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sched_checks();
    personality_checks();
    prctl_checks();
    pidfd_checks();
    process_vm_checks();
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        drop_root();
        unprivileged_checks(parent);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("done, unprivileged child status %d\n", WEXITSTATUS(st));
    return 0;
}
