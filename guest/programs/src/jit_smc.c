/* Self-modifying and reloaded code, as a JIT in the guest makes it: machine
 * code written into mmap'd pages, run, rewritten (another immediate, another
 * instruction), made visible to instruction fetch the way arm64 Linux
 * requires (__builtin___clear_cache: DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB)
 * and run again. W^X pages (written RW, then mprotect R|X) and RWX pages;
 * munmap and mmap of new code at the same address; code that has run hundreds
 * of thousands of times (hot enough for any translator) before it is
 * rewritten; a loop that patches its own body every iteration; code in a
 * private mapping rewritten by a forked child (copy on write) and in a shared
 * one; code one thread runs hot while another rewrites it; a fault in the
 * middle of a hot loop, with the registers the handler sees. An emulator
 * with a translation cache must never run a stale translation and must stop
 * exactly at the faulting instruction.
 * Each case keeps its pages mapped to the end (except where it unmaps on
 * purpose), so that its code is in frames of its own and not in ones an
 * earlier case rewrote many times. Machine code is built by the small
 * assembler below, one function per encoding (ARM ARM C6).
 * Reference: qemu-aarch64 (the code is AArch64, so there is no native build). */
#include "vmtest.h"
#include <pthread.h>
#include <sys/wait.h>
#include <ucontext.h>

#ifndef __aarch64__
#error "jit_smc is AArch64 code: build it with aarch64-linux-gnu-gcc"
#endif

/* --- an assembler for the few instructions used (ARM ARM C6, 64-bit forms) --- */

enum { X0, X1, X2, X3, X4, XZR = 31 };
enum { COND_NE = 0x1 };

static uint32_t movz(int d, unsigned imm16) { return 0xd2800000u | (imm16 & 0xffff) << 5 | d; }
static uint32_t add_imm(int d, int n, unsigned imm12) { return 0x91000000u | (imm12 & 0xfff) << 10 | n << 5 | d; }
static uint32_t subs_imm(int d, int n, unsigned imm12) { return 0xf1000000u | (imm12 & 0xfff) << 10 | n << 5 | d; }
/* ADD Xd, Xn, Xm, LSL #shift */
static uint32_t add_lsl(int d, int n, int m, int shift) { return 0x8b000000u | m << 16 | shift << 10 | n << 5 | d; }
/* EOR Xd, Xn, Xm, LSL #shift */
static uint32_t eor_lsl(int d, int n, int m, int shift) { return 0xca000000u | m << 16 | shift << 10 | n << 5 | d; }
/* MUL Xd, Xn, Xm (MADD with XZR) */
static uint32_t mul(int d, int n, int m) { return 0x9b007c00u | m << 16 | n << 5 | d; }
/* MOV Xd, Xm (ORR Xd, XZR, Xm) */
static uint32_t mov(int d, int m) { return 0xaa0003e0u | m << 16 | d; }
/* B.cond to the instruction `insns` words away */
static uint32_t b_cond(int cond, int insns) { return 0x54000000u | ((uint32_t)insns & 0x7ffff) << 5 | cond; }
/* STR Wt, [Xn] */
static uint32_t str_w(int t, int n) { return 0xb9000000u | n << 5 | t; }
/* LDR Xt, [Xn], #8 (post-index) */
static uint32_t ldr_post8(int t, int n) { return 0xf8400400u | 8u << 12 | n << 5 | t; }
static uint32_t dc_cvau(int t) { return 0xd50b7b20u | t; }
static uint32_t ic_ivau(int t) { return 0xd50b7520u | t; }
#define DSB_ISH 0xd5033b9fu
#define ISB     0xd5033fdfu
#define RET     0xd65f03c0u

typedef long (*fn1)(long);
typedef long (*fn2)(long, long);

static void sync_icache(void *start, size_t bytes)
{
    __builtin___clear_cache((char *)start, (char *)start + bytes);
}

/* The loop function: f(n) for n > 0 runs BODY n times over an accumulator x1.
 *   0 movz x1, #3
 *   1 BODY               (the instruction that gets rewritten)
 *   2 add  x1, x1, x0
 *   3 subs x0, x0, #1    (LOOP_STEP: the step, rewritten too)
 *   4 b.ne 1
 *   5 mov  x0, x1
 *   6 ret                                                                 */
#define LOOP_BODY 1
#define LOOP_STEP 3
#define LOOP_WORDS 7

static void emit_loop(uint32_t *code, uint32_t body)
{
    code[0] = movz(X1, 3);
    code[1] = body;
    code[2] = add_lsl(X1, X1, X0, 0);
    code[3] = subs_imm(X0, X0, 1);
    code[4] = b_cond(COND_NE, -3);
    code[5] = mov(X0, X1);
    code[6] = RET;
}

/* g(x) = x + K: add x0, x0, #K; ret. */
static void emit_add(uint32_t *code, unsigned k)
{
    code[0] = add_imm(X0, X0, k);
    code[1] = RET;
}

static char *map_code(int prot)
{
    return anon(PAGE, prot);
}

/* --- calling code that may fault -------------------------------------- */

static sigjmp_buf jmp;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc;
static volatile uint64_t got_x[5];

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.pc;
    for (int i = 0; i < 5; i++) got_x[i] = uc->uc_mcontext.regs[i];
    siglongjmp(jmp, 1);
}

/* "returned N" or "SIGSEGV SEGV_ACCERR at code+0x0" (SIGILL's si_code is not
 * compared: qemu-aarch64 reports ILL_ILLOPN where Linux reports ILL_ILLOPC). */
static const char *call1(void *entry, long arg, const void *base)
{
    static char buf[96];
    got_sig = 0;
    if (sigsetjmp(jmp, 1) == 0) {
        long r = ((fn1)entry)(arg);
        snprintf(buf, sizeof buf, "returned %ld", r);
        return buf;
    }
    long off = (long)(got_pc - (uintptr_t)base);
    snprintf(buf, sizeof buf, "%s %s at code%s0x%lx", signame(got_sig),
             got_sig == SIGILL ? "(code not compared)" : sicode(got_sig, got_code),
             off < 0 ? "-" : "+", off < 0 ? -off : off);
    return buf;
}

/* --- the cases ---------------------------------------------------------- */

/* W^X: written while RW, run while R|X; each rewrite goes through RW again. */
static void write_xor_execute(void)
{
    uint32_t *code = (uint32_t *)map_code(PROT_READ | PROT_WRITE);
    emit_loop(code, add_imm(X1, X1, 5));
    sync_icache(code, LOOP_WORDS * 4);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    printf("W^X first code (add #5): %s\n", call1(code, 1000, code));

    mprotect(code, PAGE, PROT_READ | PROT_WRITE);
    code[LOOP_BODY] = add_imm(X1, X1, 9);
    sync_icache(code + LOOP_BODY, 4);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    printf("W^X rewritten immediate (add #9): %s\n", call1(code, 1000, code));

    mprotect(code, PAGE, PROT_READ | PROT_WRITE);
    code[LOOP_BODY] = eor_lsl(X1, X1, X0, 3);
    sync_icache(code + LOOP_BODY, 4);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    printf("W^X rewritten instruction (eor x1, x1, x0, lsl #3): %s\n", call1(code, 1000, code));

    mprotect(code, PAGE, PROT_READ | PROT_WRITE);
    printf("W^X page made RW again, called: %s\n", call1(code, 1000, code));
    mprotect(code, PAGE, PROT_NONE);
    printf("W^X page made PROT_NONE, called: %s\n", call1(code, 1000, code));
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    printf("W^X page R|X again, unchanged code: %s\n", call1(code, 1000, code));
}

/* RWX: rewritten in place, one word at a time, with no mprotect in between. */
static void read_write_execute(void)
{
    uint32_t *code = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_loop(code, mul(X1, X1, X0));
    sync_icache(code, LOOP_WORDS * 4);
    printf("RWX first code (mul x1, x1, x0): %s\n", call1(code, 20, code));
    code[LOOP_BODY] = add_imm(X1, X1, 100);
    sync_icache(code + LOOP_BODY, 4);
    printf("RWX body rewritten (add #100): %s\n", call1(code, 20, code));
    code[LOOP_STEP] = subs_imm(X0, X0, 2);
    sync_icache(code + LOOP_STEP, 4);
    printf("RWX loop step rewritten (subs #2): %s\n", call1(code, 20, code));
    code[0] = movz(X1, 1000);
    code[LOOP_STEP] = subs_imm(X0, X0, 1);
    sync_icache(code, LOOP_WORDS * 4);
    printf("RWX two words rewritten (movz #1000, subs #1): %s\n", call1(code, 20, code));
    /* The same function copied 64 bytes further on, then the old copy turned into UDF. */
    memcpy(code + 16, code, LOOP_WORDS * 4);
    sync_icache(code + 16, LOOP_WORDS * 4);
    memset(code, 0, LOOP_WORDS * 4);
    sync_icache(code, LOOP_WORDS * 4);
    printf("RWX copy moved 64 bytes on: %s\n", call1(code + 16, 20, code));
    printf("RWX old copy zeroed (udf): %s\n", call1(code, 20, code));
}

/* munmap and mmap of the same address: the new page must run the new code, or
 * fault if nothing was written to it. */
static void remap_same_address(void)
{
    uint32_t *code = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_loop(code, add_imm(X1, X1, 1));
    sync_icache(code, LOOP_WORDS * 4);
    printf("remap: old code: %s\n", call1(code, 5000, code));
    munmap(code, PAGE);
    void *again = mmap(code, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("remap: mmap at the same address: %s, same: %s\n", mrc(again), yesno(again == code));
    printf("remap: new zero page called (udf): %s\n", call1(code, 5000, code));
    emit_loop(code, eor_lsl(X1, X1, X0, 7));
    sync_icache(code, LOOP_WORDS * 4);
    printf("remap: new code: %s\n", call1(code, 5000, code));
    munmap(code, PAGE);
    again = mmap(code, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    emit_loop(code, add_imm(X1, X1, 2));
    sync_icache(code, LOOP_WORDS * 4);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    printf("remap: W^X code at the same address: %s\n", call1(code, 5000, code));
    munmap(code, PAGE);
}

/* Code that has run hundreds of thousands of times, then rewritten. */
static void hot_then_rewritten(void)
{
    uint32_t *code = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    uint32_t *g = code + 64;
    emit_loop(code, add_imm(X1, X1, 3));
    emit_add(g, 1);
    sync_icache(code, PAGE);
    printf("hot loop, 300000 iterations (add #3): %s\n", call1(code, 300000, code));
    long s = 0;
    for (int i = 0; i < 200000; i++) s = ((fn1)g)(s);
    printf("hot call, 200000 calls of add #1: %ld\n", s);

    code[LOOP_BODY] = eor_lsl(X1, X1, X0, 1);
    sync_icache(code + LOOP_BODY, 4);
    printf("hot loop rewritten (eor x1, x1, x0, lsl #1): %s\n", call1(code, 300000, code));
    g[0] = add_imm(X0, X0, 2);
    sync_icache(g, 4);
    s = 0;
    for (int i = 0; i < 200000; i++) s = ((fn1)g)(s);
    printf("hot call rewritten, 200000 calls of add #2: %ld\n", s);

    /* 64 versions of a function, each called 1000 times before the next rewrite (on a
     * page of its own: a translator may give up translating a page rewritten this often). */
    g = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_add(g, 0);
    s = 0;
    for (unsigned v = 0; v < 64; v++) {
        g[0] = add_imm(X0, X0, v * 7);
        sync_icache(g, 4);
        for (int i = 0; i < 1000; i++) s = ((fn1)g)(s);
    }
    printf("64 versions, each called 1000 times: %ld\n", s);
}

/* Code that rewrites itself and does its own cache maintenance.
 * h(target, word): stores word at target (its own instruction 6), cleans and
 * invalidates it, and runs it.
 *   0 str  w1, [x0]
 *   1 dc   cvau, x0
 *   2 dsb  ish
 *   3 ic   ivau, x0
 *   4 dsb  ish
 *   5 isb
 *   6 movz x0, #1      (the target)
 *   7 ret
 * loop(n): runs n times, each time patching its body to add the counter.
 *   0 movz x1, #0
 *   1 add  x4, x3, x0, lsl #10     (x3: add x1, x1, #0; the immediate is bits 21:10)
 *   2 str  w4, [x2]                (x2: the body)
 *   3 dc   cvau, x2
 *   4 dsb  ish
 *   5 ic   ivau, x2
 *   6 dsb  ish
 *   7 isb
 *   8 add  x1, x1, #0              (the body, patched before it runs)
 *   9 subs x0, x0, #1
 *  10 b.ne 1
 *  11 mov  x0, x1
 *  12 ret                                                                  */
static void self_modifying(void)
{
    uint32_t *h = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    const uint32_t hcode[] = { str_w(X1, X0), dc_cvau(X0), DSB_ISH, ic_ivau(X0), DSB_ISH, ISB, movz(X0, 1), RET };
    memcpy(h, hcode, sizeof hcode);
    sync_icache(h, sizeof hcode);
    long r1 = ((fn2)h)((long)(h + 6), movz(X0, 2));
    long r2 = ((fn2)h)((long)(h + 6), movz(X0, 3));
    printf("code patching its next instruction: %ld then %ld\n", r1, r2);
    long s = 0;
    for (unsigned i = 1; i <= 20000; i++) s += ((fn2)h)((long)(h + 6), movz(X0, i));
    printf("patched and called 20000 times, sum: %ld\n", s);

    uint32_t *loop = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    const uint32_t lcode[] = {
        movz(X1, 0), add_lsl(X4, X3, X0, 10), str_w(X4, X2), dc_cvau(X2), DSB_ISH, ic_ivau(X2), DSB_ISH, ISB,
        add_imm(X1, X1, 0), subs_imm(X0, X0, 1), b_cond(COND_NE, -9), mov(X0, X1), RET };
    memcpy(loop, lcode, sizeof lcode);
    sync_icache(loop, sizeof lcode);
    long n = 4000;
    long r;
    __asm__ volatile("mov x0, %1\n\tmov x2, %2\n\tmov x3, %3\n\tblr %4\n\tmov %0, x0"
                     : "=r"(r)
                     : "r"(n), "r"(loop + 8), "r"((long)add_imm(X1, X1, 0)), "r"(loop)
                     : "x0", "x1", "x2", "x3", "x4", "x30", "memory", "cc");
    printf("loop patching its own body each iteration, n=4000: %ld (n(n+1)/2 = %ld)\n", r, n * (n + 1) / 2);
}

/* A fault in the middle of a hot loop: sum(p, n) adds n longs from p.
 *   0 movz x2, #0
 *   1 ldr  x3, [x0], #8
 *   2 add  x2, x2, x3
 *   3 subs x1, x1, #1
 *   4 b.ne 1
 *   5 mov  x0, x2
 *   6 ret                                                                  */
static void precise_fault(void)
{
    uint32_t *code = (uint32_t *)map_code(PROT_READ | PROT_WRITE);
    const uint32_t scode[] = { movz(X2, 0), ldr_post8(X3, X0), add_lsl(X2, X2, X3, 0), subs_imm(X1, X1, 1),
                               b_cond(COND_NE, -3), mov(X0, X2), RET };
    memcpy(code, scode, sizeof scode);
    sync_icache(code, sizeof scode);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);
    char *data = fenced(2 * PAGE);
    mmap(data, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap(data + PAGE, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    long *vals = (long *)data;
    for (int i = 0; i < 512; i++) vals[i] = i * 3 + 1;
    long s = 0;
    for (int i = 0; i < 2000; i++) s += ((fn2)code)((long)vals, 512);
    printf("sum of 512 longs, 2000 times: %ld\n", s);
    long *start = vals + 500;
    got_sig = 0;
    if (sigsetjmp(jmp, 1) == 0) {
        long r = ((fn2)code)((long)start, 20);
        printf("sum running into a PROT_NONE page: returned %ld\n", r);
    } else {
        printf("sum running into a PROT_NONE page: %s %s at data+0x%lx, pc code+0x%lx\n", signame(got_sig),
               sicode(got_sig, got_code), (unsigned long)(got_addr - (uintptr_t)data),
               (unsigned long)(got_pc - (uintptr_t)code));
        printf("registers at the fault: x0 data+0x%lx, x1 (left) %lu, x2 (sum) %lu, x3 (last loaded) %lu\n",
               (unsigned long)(got_x[0] - (uintptr_t)data), (unsigned long)got_x[1], (unsigned long)got_x[2],
               (unsigned long)got_x[3]);
    }
}

/* Code in a private mapping rewritten by a forked child: the child's copy
 * changes, the parent's does not. In a shared mapping the parent sees it. */
static void across_fork(void)
{
    uint32_t *priv = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_add(priv, 10);
    sync_icache(priv, 8);
    long s = 0;
    for (int i = 0; i < 50000; i++) s = ((fn1)priv)(s);
    printf("private code before fork, 50000 calls: %ld\n", s);
    pid_t pid = xfork();
    if (pid == 0) {
        priv[0] = add_imm(X0, X0, 20);
        sync_icache(priv, 4);
        s = 0;
        for (int i = 0; i < 50000; i++) s = ((fn1)priv)(s);
        printf("child after rewriting its copy: %ld\n", s);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    s = 0;
    for (int i = 0; i < 50000; i++) s = ((fn1)priv)(s);
    printf("parent after the child's rewrite (private): %ld\n", s);

    uint32_t *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    emit_add(shared, 10);
    sync_icache(shared, 8);
    s = 0;
    for (int i = 0; i < 50000; i++) s = ((fn1)shared)(s);
    printf("shared code before fork, 50000 calls: %ld\n", s);
    pid = xfork();
    if (pid == 0) {
        shared[0] = add_imm(X0, X0, 30);
        sync_icache(shared, 4);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    /* Linux needs nothing more here: the child's IC IVAU reached every CPU.
     * qemu-aarch64 does: one qemu process cannot see another's store, and it
     * drops its translations of a page only when the page becomes writable. */
    mprotect(shared, PAGE, PROT_READ | PROT_EXEC);
    mprotect(shared, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
    s = 0;
    for (int i = 0; i < 50000; i++) s = ((fn1)shared)(s);
    printf("parent after the child's rewrite (shared): %ld\n", s);
    munmap(priv, PAGE);
    munmap(shared, PAGE);
}

/* Cross-modifying code: a worker thread runs g hot in three phases; between
 * them the main thread rewrites g. The barrier's futex call is the worker's
 * context synchronization (an exception return), as arm64 Linux needs after
 * another CPU's IC IVAU. */
#define PHASES 3
static uint32_t *shared_g;
static pthread_barrier_t phase_barrier;
static long phase_sum[PHASES];

static void *run_g(void *arg)
{
    (void)arg;
    for (int phase = 0; phase < PHASES; phase++) {
        pthread_barrier_wait(&phase_barrier);   /* the code of this phase is in place */
        long s = phase + 1;
        for (int i = 0; i < 100000; i++) s = ((fn1)shared_g)(s);
        phase_sum[phase] = s;
        pthread_barrier_wait(&phase_barrier);   /* done with it */
    }
    return NULL;
}

static void across_threads(void)
{
    shared_g = (uint32_t *)map_code(PROT_READ | PROT_WRITE | PROT_EXEC);
    emit_add(shared_g, 1);
    sync_icache(shared_g, 8);
    pthread_barrier_init(&phase_barrier, NULL, 2);
    pthread_t worker;
    pthread_create(&worker, NULL, run_g, NULL);
    const uint32_t versions[PHASES] = { add_imm(X0, X0, 1), add_imm(X0, X0, 4), eor_lsl(X0, X0, X0, 1) };
    for (int phase = 0; phase < PHASES; phase++) {
        shared_g[0] = versions[phase];
        sync_icache(shared_g, 4);
        pthread_barrier_wait(&phase_barrier);
        pthread_barrier_wait(&phase_barrier);
    }
    pthread_join(worker, NULL);
    printf("another thread's code rewritten between its hot phases: %ld, %ld, %ld\n", phase_sum[0], phase_sum[1],
           phase_sum[2]);
}

int main(void)
{
    vt_init();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);

    write_xor_execute();
    read_write_execute();
    remap_same_address();
    hot_then_rewritten();
    self_modifying();
    precise_fault();
    across_fork();
    across_threads();
    return 0;
}
