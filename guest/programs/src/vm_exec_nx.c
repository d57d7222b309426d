/* Instruction fetch permissions, an aarch64-specific case: code runs from an
 * executable mapping, and fetching from a page without PROT_EXEC gives
 * SIGSEGV SEGV_ACCERR at the fetched address; code rewritten in place runs
 * the new instructions; a misaligned PC, an undefined instruction and BRK
 * give their own signals. Reference: qemu-aarch64 (the machine code is
 * AArch64, so there is no native build of this one). */
#include "vmtest.h"

#ifndef __aarch64__
#error "vm_exec_nx is AArch64 code: build it with aarch64-linux-gnu-gcc"
#endif

static const uint32_t RET42[] = { 0x52800540, 0xd65f03c0 };   /* mov w0, #42; ret */
static const uint32_t RET7[] = { 0x528000e0, 0xd65f03c0 };    /* mov w0, #7; ret */
static const uint32_t UDF[] = { 0x00000000, 0xd65f03c0 };     /* udf #0 */
static const uint32_t BRK[] = { 0xd4200000, 0xd65f03c0 };     /* brk #0 */

typedef int (*fn)(void);

/* No si_code for SIGILL: qemu-aarch64 reports ILL_ILLOPN where arm64 Linux
 * (force_signal_inject from do_el0_undef) reports ILL_ILLOPC, so the oracle
 * cannot decide it. */
static const char *code_name(int sig, int code)
{
    if (sig == SIGILL) return "(code not compared)";
    if (sig == SIGTRAP && code == TRAP_BRKPT) return "TRAP_BRKPT";
    return sicode(sig, code);
}

static const char *call(void *entry, const void *base)
{
    static char buf[96];
    vt_sig = 0;
    if (sigsetjmp(vt_jmp, 1) == 0) {
        int r = ((fn)entry)();
        snprintf(buf, sizeof buf, "returned %d", r);
        return buf;
    }
    long off = (long)(vt_addr - (uintptr_t)base);
    snprintf(buf, sizeof buf, "%s %s at base%s0x%lx", signame(vt_sig), code_name(vt_sig, vt_code),
             off < 0 ? "-" : "+", off < 0 ? -off : off);
    return buf;
}

static void load(char *page, const uint32_t *code, size_t n)
{
    memcpy(page, code, n);
    __builtin___clear_cache(page, page + n);
}

int main(void)
{
    vt_init();
    vt_catch_faults();
    struct sigaction sa;
    sigaction(SIGSEGV, NULL, &sa);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);

    char *p = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    load(p, RET42, sizeof RET42);
    load(p + PAGE, RET42, sizeof RET42);
    printf("call into a RW page (no PROT_EXEC): %s\n", call(p, p));
    printf("mprotect R|X: %s\n", rc(mprotect(p, PAGE, PROT_READ | PROT_EXEC)));
    printf("call into the R|X page: %s\n", call(p, p));
    printf("call into the RW page after it: %s\n", call(p + PAGE, p));
    mprotect(p, PAGE, PROT_READ | PROT_WRITE);
    load(p, RET7, sizeof RET7);
    mprotect(p, PAGE, PROT_READ | PROT_EXEC);
    printf("code rewritten in place, R|X again: %s\n", call(p, p));
    mprotect(p, PAGE, PROT_EXEC);
    printf("call into an execute-only page: %s\n", call(p, p));
    mprotect(p, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
    load(p, RET42, sizeof RET42);
    printf("RWX page written and called: %s\n", call(p, p));
    mprotect(p, PAGE, PROT_NONE);
    printf("call into a PROT_NONE page: %s\n", call(p, p));
    char *hole = fenced(PAGE);
    printf("call into an unmapped page: %s\n", call(hole + 0x40, hole));
    uint32_t on_stack[2] = { RET42[0], RET42[1] };
    printf("call into the stack: %s\n", call(on_stack, on_stack));

    char *x = anon(PAGE, PROT_READ | PROT_WRITE);
    load(x, UDF, sizeof UDF);
    load(x + 16, BRK, sizeof BRK);
    load(x + 32, RET42, sizeof RET42);
    mprotect(x, PAGE, PROT_READ | PROT_EXEC);
    printf("undefined instruction: %s\n", call(x, x));
    printf("brk #0: %s\n", call(x + 16, x));
    printf("misaligned branch target: %s\n", call(x + 34, x));
    return 0;
}
