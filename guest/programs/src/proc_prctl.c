/* prctl(2): the task name (PR_SET_NAME, PR_GET_NAME, /proc/self/comm), dumpable,
 * no_new_privs, EINVAL for an unknown option, and the parent-death signal: a grandchild
 * asks for SIGUSR1 when its parent dies, the parent exits, the signal arrives. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
    got = sig;
}

int main(void)
{
    char name[16] = {0};
    char comm[32] = {0};
    prctl(PR_SET_NAME, "renamed-by-prctl-long");
    prctl(PR_GET_NAME, name);
    FILE *f = fopen("/proc/self/comm", "r");
    if (f != NULL) {
        fgets(comm, sizeof comm, f);
        fclose(f);
    }
    printf("PR_GET_NAME \"%s\", /proc/self/comm %s", name, comm);
    printf("dumpable %d", prctl(PR_GET_DUMPABLE));
    prctl(PR_SET_DUMPABLE, 0);
    printf(" -> %d\n", prctl(PR_GET_DUMPABLE));
    printf("no_new_privs %d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    printf(" -> %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    errno = 0;
    int r = prctl(0x7fff, 0, 0, 0, 0);
    printf("unknown option: %d %s\n", r, strerror(errno));
    fflush(stdout);

    int report[2], ready[2];
    if (pipe(report) != 0 || pipe(ready) != 0) return 1;
    pid_t middle = fork();
    if (middle == 0) {
        if (fork() == 0) {
            sigset_t usr1, old;
            sigemptyset(&usr1);
            sigaddset(&usr1, SIGUSR1);
            sigprocmask(SIG_BLOCK, &usr1, &old);
            signal(SIGUSR1, on_usr1);
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            int sig = 0;
            prctl(PR_GET_PDEATHSIG, &sig);
            write(ready[1], "r", 1);
            while (!got) sigsuspend(&old);
            char line[64];
            int n = snprintf(line, sizeof line, "grandchild: PR_GET_PDEATHSIG %d, got signal %d\n", sig, (int) got);
            write(report[1], line, n);
            _exit(0);
        }
        char c;
        read(ready[0], &c, 1);
        _exit(0);
    }
    close(report[1]);
    int status;
    waitpid(middle, &status, 0);
    char buf[64];
    ssize_t n = read(report[0], buf, sizeof buf);
    if (n > 0) fwrite(buf, 1, n, stdout);
    return 0;
}
