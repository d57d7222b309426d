/* vfork, execve (of this same program, found through argv[0]), wait4 and
 * waitid with every kind of status (exit, signal, stop, continue), kill and
 * tgkill. Reference: the real kernel. The child image started by execve
 * prints its own lines; the parent always waits for it before printing on,
 * so the order is fixed. */
#include "vmtest.h"
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

static int exec_child(int argc, char **argv)
{
    /* argv: prog exec-child OLD-ADDRESS */
    printf("exec'd image: argc %d, argv[1] %s\n", argc, argv[1]);
    printf("exec'd image: VMTEST_ENV=%s\n", getenv("VMTEST_ENV") ? getenv("VMTEST_ENV") : "(unset)");
    void *old = (void *)strtoul(argv[2], NULL, 16);
    printf("exec'd image: the old image's mapping is gone: %s\n", resident(old, 1));
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    printf("exec'd image: a caught signal is reset to SIG_DFL %s\n", yesno(sa.sa_handler == SIG_DFL));
    sigaction(SIGUSR2, NULL, &sa);
    printf("exec'd image: an ignored signal stays ignored %s\n", yesno(sa.sa_handler == SIG_IGN));
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("exec'd image: the blocked mask is kept %s\n", yesno(sigismember(&now, SIGWINCH)));
    fflush(stdout);
    return 42;
}

static void on_usr1(int sig) { (void)sig; }

static volatile int tg_hits;
static void on_tg(int sig) { (void)sig; tg_hits++; }

static const char *status_text(int st)
{
    static char buf[64];
    if (WIFEXITED(st)) snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) snprintf(buf, sizeof buf, "killed by %s", signame(WTERMSIG(st)));
    else if (WIFSTOPPED(st)) snprintf(buf, sizeof buf, "stopped by %s", signame(WSTOPSIG(st)));
    else if (WIFCONTINUED(st)) snprintf(buf, sizeof buf, "continued");
    else snprintf(buf, sizeof buf, "0x%x", st);
    return buf;
}

static const char *cld(int code)
{
    switch (code) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    }
    return "?";
}

int main(int argc, char **argv)
{
    vt_init();
    if (argc == 3 && !strcmp(argv[1], "exec-child")) return exec_child(argc, argv);
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    pid_t c;
    int st;

    /* vfork: the child borrows the parent's memory until it exits or execs. */
    static volatile int shared_var;
    volatile int local = 1;
    fflush(stdout);
    c = vfork();
    if (c < 0) { printf("vfork: %s\n", rc(-1)); return 1; }
    if (c == 0) {
        shared_var = 7;
        local = 2;
        _exit(5);
    }
    waitpid(c, &st, 0);
    printf("vfork: child's writes seen by the parent: global %d, local %d; child %s\n", shared_var, local,
           status_text(st));

    /* execve of this program in a vforked child. */
    char *mark = anon(PAGE, PROT_READ | PROT_WRITE);
    char addr[32];
    snprintf(addr, sizeof addr, "%lx", (unsigned long)mark);
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    char *cargv[] = { argv[0], "exec-child", addr, NULL };
    char *cenv[] = { "VMTEST_ENV=passed", NULL };
    fflush(stdout);
    c = vfork();
    if (c < 0) { printf("vfork: %s\n", rc(-1)); return 1; }
    if (c == 0) {
        execve(argv[0], cargv, cenv);
        _exit(127);
    }
    waitpid(c, &st, 0);
    printf("execve'd child: %s\n", status_text(st));
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    /* execve errors, in this process. */
    printf("execve missing file: %s\n", rc(execve("/nonexistent/a64emu-vmtest", cargv, cenv)));
    char path[32];
    int fd = temp_file(PAGE, path);
    close(fd);
    printf("execve file without execute permission: %s\n", rc(execve(path, cargv, cenv)));
    chmod(path, 0700);
    printf("execve executable file that is not a program: %s\n", rc(execve(path, cargv, cenv)));
    unlink(path);
    printf("execve a directory: %s\n", rc(execve("/tmp", cargv, cenv)));

    /* wait4 / waitpid statuses */
    fflush(stdout);
    if ((c = xfork()) == 0) _exit(3);
    struct rusage ru;
    pid_t r = wait4(c, &st, 0, &ru);
    printf("wait4 exit(3): right pid %s, %s, raw 0x%x\n", yesno(r == c), status_text(st), st);
    fflush(stdout);
    if ((c = xfork()) == 0) { pause(); _exit(0); }
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    printf("waitpid after kill SIGKILL: %s, raw 0x%x\n", status_text(st), st);
    printf("kill the reaped child: %s\n", rc(kill(c, 0)));
    fflush(stdout);
    if ((c = xfork()) == 0) { abort(); }
    waitpid(c, &st, 0);
    printf("waitpid after abort() with RLIMIT_CORE 0: %s, core flag %s\n", status_text(st), yesno(WCOREDUMP(st)));

    /* stop, continue, WNOHANG */
    fflush(stdout);
    if ((c = xfork()) == 0) { for (;;) pause(); }
    printf("waitpid WNOHANG on a running child: %s\n", rc(waitpid(c, &st, WNOHANG)));
    printf("kill signal 0 on a live child: %s\n", rc(kill(c, 0)));
    kill(c, SIGSTOP);
    r = waitpid(c, &st, WUNTRACED);
    printf("waitpid WUNTRACED after SIGSTOP: %s, raw 0x%x\n", status_text(st), st);
    kill(c, SIGCONT);
    r = waitpid(c, &st, WCONTINUED);
    printf("waitpid WCONTINUED after SIGCONT: %s, raw 0x%x\n", status_text(st), st);
    kill(c, SIGSTOP);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, c, &si, WSTOPPED);
    printf("waitid WSTOPPED: %s, status %s, pid right %s\n", cld(si.si_code), signame(si.si_status),
           yesno(si.si_pid == c));
    kill(c, SIGCONT);
    memset(&si, 0, sizeof si);
    waitid(P_PID, c, &si, WCONTINUED);
    printf("waitid WCONTINUED: %s, status %s\n", cld(si.si_code), signame(si.si_status));
    kill(c, SIGTERM);
    memset(&si, 0, sizeof si);
    waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    printf("waitid WEXITED|WNOWAIT after SIGTERM: %s, status %s\n", cld(si.si_code), signame(si.si_status));
    memset(&si, 0, sizeof si);
    printf("waitid again reaps it: %s, ", rc(waitid(P_PID, c, &si, WEXITED)));
    printf("%s, status %s\n", cld(si.si_code), signame(si.si_status));
    fflush(stdout);
    if ((c = xfork()) == 0) _exit(9);
    memset(&si, 0, sizeof si);
    waitid(P_ALL, 0, &si, WEXITED);
    printf("waitid P_ALL exit(9): %s, status %d, pid right %s\n", cld(si.si_code), si.si_status, yesno(si.si_pid == c));
    printf("waitid no options: %s\n", rc(waitid(P_ALL, 0, &si, 0)));
    printf("waitid with no children: %s\n", rc(waitid(P_ALL, 0, &si, WEXITED)));
    printf("wait4 with no children: %s\n", rc(wait4(-1, &st, 0, NULL)));
    printf("waitpid WNOHANG with no children: %s\n", rc(waitpid(-1, &st, WNOHANG)));

    /* kill and tgkill */
    printf("kill bad signal: %s\n", rc(kill(getpid(), 1000)));
    signal(SIGUSR1, on_tg);
    printf("tgkill self: %s\n", rc(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1)));
    printf("tgkill self: handler ran %d\n", tg_hits);
    printf("tgkill wrong tgid: %s\n", rc(syscall(SYS_tgkill, getpid() + 1000000, gettid(), SIGUSR1)));
    printf("tgkill bad tid 0: %s\n", rc(syscall(SYS_tgkill, getpid(), 0, SIGUSR1)));
    printf("getppid of a child is the parent: ");
    fflush(stdout);
    pid_t self = getpid();
    if ((c = xfork()) == 0) _exit(getppid() == self ? 0 : 1);
    waitpid(c, &st, 0);
    printf("%s\n", yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0));
    return 0;
}
