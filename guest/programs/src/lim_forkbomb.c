/*
 * A fork bomb: every process forks as fast as it can, and so does every child, until fork
 * fails. Linux refuses a new task with EAGAIN when the user has RLIMIT_NPROC processes
 * (kernel/fork.c:copy_process, is_rlimit_overlimit; root exempt) or the system threads-max
 * tasks (kernel/fork.c:copy_process, nr_threads >= max_threads), and when no pid is free
 * (kernel/pid.c:alloc_pid). Each process that meets EAGAIN stops forking and waits; the
 * first one then ends them all with SIGTERM and reaps its own children. The output is the
 * same whichever limit stops the bomb. qemu-aarch64 would fork the host's real processes,
 * so the program is "reasoned" in the oracles file and its expected files written by hand.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    pid_t first = getpid();
    int gate[2];
    if (pipe(gate) != 0) {
        perror("pipe");
        return 1;
    }
    /*
     * The first process outlives the SIGTERM it sends to the group: it keeps the signal
     * blocked. A child inherits the mask but not the pending signal (kernel/fork.c:copy_process
     * clears it), and unblocks SIGTERM first thing: one that has not run yet when the SIGTERM
     * is sent has it pending, and takes it as soon as it runs (kernel/signal.c:complete_signal).
     */
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);
    printf("forking until fork fails\n");
    fflush(stdout);
    int err = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            sigprocmask(SIG_UNBLOCK, &term, NULL);
            continue; /* the child forks too */
        }
        if (pid < 0) {
            err = errno;
            break;
        }
    }
    if (getpid() != first) {
        char c;
        close(gate[1]);
        while (read(gate[0], &c, 1) < 0 && errno == EINTR) {
        }
        _exit(0); /* never reached before the SIGTERM: nobody writes to the gate */
    }
    printf("fork failed with %s\n", err == EAGAIN ? "EAGAIN" : strerror(err));
    kill(0, SIGTERM);
    int children = 0, others = 0, status;
    pid_t pid;
    while ((pid = wait(&status)) > 0) {
        children++;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) {
            others++;
        }
    }
    printf("wait: %s after reaping children\n", errno == ECHILD ? "ECHILD" : strerror(errno));
    printf("children reaped: %s\n", children > 0 ? "some" : "none");
    printf("children not killed by SIGTERM: %d\n", others);
    return 0;
}
