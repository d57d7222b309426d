/* Fault kinds a program can see: stack growth, SIGSEGV with SEGV_MAPERR vs
 * SEGV_ACCERR and the right si_addr (also in the ucontext), writes to text
 * and read-only data, and a stack overflow caught on an alternate stack.
 * Reference: the real kernel. */
#include "vmtest.h"
#include <ucontext.h>
#include <sys/wait.h>

#pragma GCC diagnostic ignored "-Winfinite-recursion"
#pragma GCC diagnostic ignored "-Warray-bounds"

static const char rodata[64] = "read-only data";

/* Grows the stack by about depth * 64 KiB, touching every frame. */
static __attribute__((noinline)) long deep(int depth)
{
    volatile char frame[64 << 10];
    for (size_t i = 0; i < sizeof frame; i += 100) frame[i] = (char)depth;
    if (depth == 0) return frame[0];
    return deep(depth - 1) + frame[100] - depth + 1;
}

static volatile uintptr_t uc_addr, uc_si_addr;

static void uc_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
#if defined(__x86_64__)
    uc_addr = uc->uc_mcontext.gregs[REG_CR2];
#elif defined(__aarch64__)
    uc_addr = uc->uc_mcontext.fault_address;
#endif
    uc_si_addr = (uintptr_t)si->si_addr;
    siglongjmp(vt_jmp, 1);
}

static sigjmp_buf ovf_jmp;
static char *alt;
static volatile int ovf_on_alt, ovf_sig, ovf_code;

static void ovf_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char here;
    ovf_on_alt = &here >= alt && &here < alt + 64 * 1024;
    ovf_sig = sig;
    ovf_code = si->si_code;
    siglongjmp(ovf_jmp, 1);
}

static __attribute__((noinline)) long overflow(long n)
{
    volatile char frame[256 << 10];
    frame[0] = (char)n;
    frame[sizeof frame - 1] = (char)n;
    return overflow(n + 1) + frame[7];
}

int main(void)
{
    vt_init();
    vt_catch_faults();

    /* Stack growth: the [stack] VMA's top stays, its start moves down. */
    char marker;
    long s0 = 0, e0 = 0, s1 = 0, e1 = 0;
    vma_of(&marker, &s0, &e0, NULL);
    long r = deep(32);   /* 2 MiB */
    vma_of(&marker, &s1, &e1, NULL);
    printf("recursion through 2 MiB of stack returned: %ld\n", r);
    printf("stack VMA end unchanged: %s\n", yesno(e0 == e1));
    printf("stack VMA reached 2 MiB below main's frame: %s (before: %s)\n", yesno(-s1 >= (2L << 20)),
           yesno(-s0 >= (2L << 20)));
    char perms[5] = "";
    vma_of(&marker, NULL, NULL, perms);
    printf("stack VMA perms: %s\n", perms);
    char *below = (char *)&marker + s1 - PAGE * 16;
    printf("access 16 pages below the grown stack VMA: %s\n", rd(below, below));
    char *far = (char *)&marker - (16L << 20);
    printf("access 16 MiB below the stack (over RLIMIT_STACK): %s\n", rd(far, far));

    /* RLIMIT_STACK is checked when the stack grows: in a child, allow only a
     * little more than the stack has now. */
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        long s = 0, e = 0;
        vma_of(&marker, &s, &e, NULL);
        struct rlimit rl = { (rlim_t)(e - s) + (64 << 10), RLIM_INFINITY };
        setrlimit(RLIMIT_STACK, &rl);
        char *deeper = (char *)&marker + s - (256 << 10);
        const char *r1 = rd(deeper, deeper);
        _exit(!strcmp(r1, "ok") ? 1 : !strcmp(r1, "SIGSEGV SEGV_MAPERR at base+0x0") ? 0 : 2);
    }
    int st = 0;
    waitpid(c, &st, 0);
    printf("stack growth past a lowered RLIMIT_STACK: %s\n",
           WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "SIGSEGV SEGV_MAPERR" : WIFEXITED(st) && WEXITSTATUS(st) == 1 ? "grew" : "other");

    /* MAPERR vs ACCERR and si_addr. */
    printf("read of NULL: %s\n", rd(NULL, NULL));
    printf("write to NULL+0x10: %s\n", wr((char *)0x10, 1, NULL));
    char *code = (char *)(uintptr_t)&main;
    printf("write to program text: %s\n", wr(code, 0, code));
    printf("read of program text: %s\n", rd(code, code));
    printf("write to const data: %s\n", wr((char *)rodata + 3, 'x', rodata));
    char *lit = (char *)"a string literal";
    printf("write to a string literal: %s\n", wr(lit + 1, 'x', lit));
    char *m = fenced(3 * PAGE);
    mmap(m, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap(m + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("write to the hole between two mappings: %s\n", wr(m + PAGE + 0x123, 1, m));
    printf("write to the read-only mapping after it: %s\n", wr(m + 2 * PAGE + 0x45, 1, m));
    printf("read of the fence below (PROT_NONE): %s\n", rd(m - 1, m));
    vt_sig = 0;
    if (sigsetjmp(vt_jmp, 1) == 0) {
        *(volatile uint64_t *)(m + PAGE - 8) = 1;
        printf("aligned 64-bit write at the end of the mapping: ok\n");
    }

    /* The ucontext carries the same fault address as si_addr. */
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = uc_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, &old);
    if (sigsetjmp(vt_jmp, 1) == 0) *(volatile char *)(m + 2 * PAGE + 0x77) = 1;
    printf("ucontext fault address equals si_addr: %s, offset 0x%lx\n", yesno(uc_addr == uc_si_addr),
           (unsigned long)(uc_si_addr - (uintptr_t)m));
    sigaction(SIGSEGV, &old, NULL);

    /* Unbounded recursion: SIGSEGV, handled on the alternate stack. */
    alt = anon(64 * 1024, PROT_READ | PROT_WRITE);
    stack_t ss = { .ss_sp = alt, .ss_size = 64 * 1024, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ovf_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(ovf_jmp, 1) == 0) {
        overflow(0);
        printf("stack overflow: not caught\n");
    } else {
        printf("stack overflow: %s %s, handler on the alternate stack %s\n", signame(ovf_sig),
               sicode(ovf_sig, ovf_code), yesno(ovf_on_alt));
    }
    vma_of(&marker, &s1, &e1, NULL);
    printf("stack VMA after the overflow is at most 8 MiB: %s\n", yesno(e1 - s1 <= (8L << 20)));
    return 0;
}
