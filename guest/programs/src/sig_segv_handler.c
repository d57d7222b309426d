/* Signal handling: a SIGSEGV handler that gets the faulting address and
 * SEGV_ACCERR for a write to a read-only mapping, fixes the mapping with
 * mprotect and returns (the write is then retried and completes); siglongjmp
 * out of a handler; sigaltstack; masks, pending signals, SA_RESETHAND,
 * SA_SIGINFO codes and the rt_sigaction checks. Reference: the real kernel. */
#include "vmtest.h"
#include <sys/wait.h>

static char *ro_page;
static volatile int fix_calls, fix_code;
static volatile long fix_off;

static void fix_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    fix_calls++;
    fix_code = si->si_code;
    fix_off = (char *)si->si_addr - ro_page;
    mprotect((void *)((uintptr_t)si->si_addr & ~(PAGE - 1)), PAGE, PROT_READ | PROT_WRITE);
}

static volatile int usr_calls, usr_code, usr_pid_ok, usr_blocked_self, usr_blocked_mask, usr_on_alt, usr_alt_flags;
static char *alt;

static void usr_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    usr_calls++;
    usr_code = si->si_code;
    usr_pid_ok = si->si_pid == getpid();
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    usr_blocked_self = sigismember(&now, sig);
    usr_blocked_mask = sigismember(&now, SIGWINCH);
    char here;
    usr_on_alt = alt && &here >= alt && &here < alt + 64 * 1024;
    stack_t cur;
    sigaltstack(NULL, &cur);
    usr_alt_flags = cur.ss_flags;
}

static void fault_again(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    *(volatile char *)si->si_addr = 2;   /* faults again with SIGSEGV blocked */
}

static void on(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaddset(&sa.sa_mask, SIGWINCH);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    vt_init();

    /* Fix-and-return. */
    ro_page = anon(2 * PAGE, PROT_READ);
    on(SIGSEGV, fix_handler, 0);
    ((volatile char *)ro_page)[PAGE + 0x321] = 42;
    printf("write to read-only page: handler calls %d, %s, si_addr offset 0x%lx\n", fix_calls,
           sicode(SIGSEGV, fix_code), (unsigned long)fix_off);
    printf("the write completed after the handler returned: %d\n", ro_page[PAGE + 0x321]);
    ((volatile char *)ro_page)[PAGE + 1] = 1;
    printf("second write to the fixed page: handler calls %d\n", fix_calls);
    ((volatile char *)ro_page)[0x10] = 2;
    printf("write to the other, still read-only page: handler calls %d, si_addr offset 0x%lx\n", fix_calls,
           (unsigned long)fix_off);
    char perms[5] = "";
    vma_of(ro_page, NULL, NULL, perms);
    printf("VMA perms after the handler's mprotect: %s, %d VMA\n", perms, vmas_in(ro_page, 2 * PAGE));

    /* siglongjmp out of a SIGSEGV handler restores the mask. */
    vt_catch_faults();
    char *hole = fenced(PAGE);
    printf("siglongjmp out of SEGV_MAPERR handler: %s\n", rd(hole + 8, hole));
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGSEGV blocked after siglongjmp: %s\n", yesno(sigismember(&now, SIGSEGV)));
    printf("second fault after siglongjmp: %s\n", wr(hole, 1, hole));

    /* SA_SIGINFO codes, masks during a handler. */
    on(SIGUSR1, usr_handler, 0);
    raise(SIGUSR1);
    printf("raise SIGUSR1: calls %d, %s, si_pid is us %s\n", usr_calls, sicode(SIGUSR1, usr_code), yesno(usr_pid_ok));
    printf("in handler: own signal blocked %s, sa_mask signal blocked %s\n", yesno(usr_blocked_self),
           yesno(usr_blocked_mask));
    kill(getpid(), SIGUSR1);
    printf("kill self SIGUSR1: calls %d, %s\n", usr_calls, sicode(SIGUSR1, usr_code));
    on(SIGUSR1, usr_handler, SA_NODEFER);
    raise(SIGUSR1);
    printf("SA_NODEFER: own signal blocked in handler %s\n", yesno(usr_blocked_self));
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 5 });
    printf("sigqueue: %s\n", sicode(SIGUSR1, usr_code));

    /* Blocked signals stay pending until unblocked, and are delivered once. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int before = usr_calls;
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("blocked SIGUSR1 raised twice: handler calls %d, pending %s\n", usr_calls - before,
           yesno(sigismember(&pend, SIGUSR1)));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("after unblocking: handler calls %d\n", usr_calls - before);

    /* Ignored and reset-on-delivery. */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2: still running\n");
    on(SIGUSR2, usr_handler, SA_RESETHAND);
    before = usr_calls;
    raise(SIGUSR2);
    struct sigaction cur;
    sigaction(SIGUSR2, NULL, &cur);
    printf("SA_RESETHAND: handler calls %d, disposition now SIG_DFL %s\n", usr_calls - before,
           yesno(cur.sa_handler == SIG_DFL));

    /* sigaltstack */
    stack_t ss, old;
    printf("sigaltstack query at start: flags %s\n",
           (sigaltstack(NULL, &old), old.ss_flags == SS_DISABLE) ? "SS_DISABLE" : "other");
    alt = anon(64 * 1024, PROT_READ | PROT_WRITE);
    ss = (stack_t){ .ss_sp = alt, .ss_size = 1024, .ss_flags = 0 };
    printf("sigaltstack smaller than MINSIGSTKSZ: %s\n", rc(sigaltstack(&ss, NULL)));
    ss = (stack_t){ .ss_sp = alt, .ss_size = 64 * 1024, .ss_flags = 12345 };
    printf("sigaltstack bad flags: %s\n", rc(sigaltstack(&ss, NULL)));
    ss.ss_flags = 0;
    printf("sigaltstack 64 KiB: %s\n", rc(sigaltstack(&ss, NULL)));
    on(SIGUSR1, usr_handler, SA_ONSTACK);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler: on the alternate stack %s, ss_flags SS_ONSTACK %s\n", yesno(usr_on_alt),
           yesno(usr_alt_flags & SS_ONSTACK));
    on(SIGUSR1, usr_handler, 0);
    raise(SIGUSR1);
    printf("handler without SA_ONSTACK: on the alternate stack %s\n", yesno(usr_on_alt));

    /* A fault cannot be blocked or ignored: the kernel forces the default action. */
    const char *how[] = { "with SIGSEGV blocked", "with SIGSEGV ignored", "inside the SIGSEGV handler" };
    for (int k = 0; k < 3; k++) {
        pid_t c = xfork();
        if (c == 0) {
            struct rlimit nocore = { 0, 0 };
            setrlimit(RLIMIT_CORE, &nocore);
            if (k == 0) {
                sigset_t b;
                sigemptyset(&b);
                sigaddset(&b, SIGSEGV);
                sigprocmask(SIG_BLOCK, &b, NULL);
            } else if (k == 1) {
                signal(SIGSEGV, SIG_IGN);
            } else {
                on(SIGSEGV, fault_again, 0);
            }
            *(volatile char *)hole = 1;
            _exit(0);
        }
        int st;
        waitpid(c, &st, 0);
        printf("fault %s: child %s %s\n", how[k], WIFSIGNALED(st) ? "killed by" : "exited",
               WIFSIGNALED(st) ? signame(WTERMSIG(st)) : "normally");
    }

    /* rt_sigaction checks */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    printf("sigaction SIGKILL: %s\n", rc(sigaction(SIGKILL, &sa, NULL)));
    printf("sigaction SIGSTOP: %s\n", rc(sigaction(SIGSTOP, &sa, NULL)));
    printf("sigaction signal 0: %s\n", rc(syscall(SYS_rt_sigaction, 0, &sa, NULL, 8)));
    printf("sigaction signal 65: %s\n", rc(syscall(SYS_rt_sigaction, 65, &sa, NULL, 8)));
    printf("rt_sigaction bad sigsetsize: %s\n", rc(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &cur, 4)));
    printf("rt_sigprocmask bad how: %s\n", rc(syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8)));
    sigfillset(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("blocking every signal leaves SIGKILL and SIGSTOP unblocked: %s\n",
           yesno(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP)));
    return 0;
}
