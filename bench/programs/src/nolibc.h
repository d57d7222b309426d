/* What the freestanding speed benchmarks (hash, sieve, sort, matmul,
 * ptrchase, pagetouch, startup) need instead of a C library: raw system
 * calls, a monotonic clock, output of numbers, anonymous mmap, and _start.
 *
 * The same source builds for AArch64 (the committed guest binaries) and for
 * x86_64 with the host's gcc (the native peer the harness compiles at bench
 * time): only the system-call instruction, the call numbers and _start differ
 * between the two, and they are all in this file.
 *
 * A program defines  void cmain(u64 *sp)  (sp: the initial stack, argc then
 * argv) and ends with bench_exit; its output is the one line of report(). */
#ifndef NOLIBC_H
#define NOLIBC_H

typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#if defined(__aarch64__)

/* Linux's generic system-call table (include/uapi/asm-generic/unistd.h). */
#define SYS_write          64
#define SYS_exit_group     94
#define SYS_clock_gettime 113
#define SYS_munmap        215
#define SYS_mmap          222

/* AArch64 Linux system-call convention: number in x8, arguments in x0-x5. */
static inline s64 sys6(s64 nr, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f) {
    register s64 x8 __asm__("x8") = nr;
    register s64 x0 __asm__("x0") = a;
    register s64 x1 __asm__("x1") = b;
    register s64 x2 __asm__("x2") = c;
    register s64 x3 __asm__("x3") = d;
    register s64 x4 __asm__("x4") = e;
    register s64 x5 __asm__("x5") = f;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
}

__asm__(".text\n"
        ".globl _start\n"
        ".type _start, %function\n"
        "_start:\n"
        "  mov x0, sp\n"
        "  bl cmain\n"
        "  brk #0\n");

#elif defined(__x86_64__)

/* arch/x86/entry/syscalls/syscall_64.tbl */
#define SYS_write           1
#define SYS_mmap            9
#define SYS_munmap         11
#define SYS_clock_gettime 228
#define SYS_exit_group    231

/* x86-64 Linux system-call convention: number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9; the kernel clobbers rcx and r11. */
static inline s64 sys6(s64 nr, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f) {
    register s64 r10 __asm__("r10") = d;
    register s64 r8 __asm__("r8") = e;
    register s64 r9 __asm__("r9") = f;
    s64 ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* The kernel enters with rsp 16-byte aligned at argc; the call leaves it at 8
 * mod 16 in cmain, which is what the ABI promises a function. */
__asm__(".text\n"
        ".globl _start\n"
        ".type _start, @function\n"
        "_start:\n"
        "  mov %rsp, %rdi\n"
        "  call cmain\n"
        "  hlt\n");

#else
#error "nolibc.h: only aarch64 and x86_64"
#endif

#define PROT_READ  1
#define PROT_WRITE 2
#define MAP_PRIVATE   0x02
#define MAP_ANONYMOUS 0x20
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct timespec { s64 sec; s64 nsec; };

static inline s64 clock_ns(s64 clock) {
    struct timespec ts;
    sys6(SYS_clock_gettime, clock, (s64) &ts, 0, 0, 0, 0);
    return ts.sec * 1000000000L + ts.nsec;
}

static inline s64 now_ns(void) {
    return clock_ns(CLOCK_MONOTONIC);
}

static inline __attribute__((noreturn)) void bench_exit(int status) {
    sys6(SYS_exit_group, status, 0, 0, 0, 0, 0);
    __builtin_unreachable();
}

static inline void out(const char *s, u64 n) {
    sys6(SYS_write, 1, (s64) s, (s64) n, 0, 0, 0);
}

static inline void puts_(const char *s) {
    u64 n = 0;
    while (s[n]) n++;
    out(s, n);
}

static inline void putnum(u64 v) {
    char buf[24];
    int i = sizeof buf;
    do {
        buf[--i] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    out(buf + i, sizeof buf - i);
}

static inline void puthex(u64 v) {
    char buf[16];
    for (int i = 15; i >= 0; i--) {
        buf[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    out(buf, sizeof buf);
}

static inline __attribute__((noreturn)) void die(const char *why) {
    puts_(why);
    puts_("\n");
    bench_exit(2);
}

static inline void *map(u64 bytes) {
    s64 p = sys6(SYS_mmap, 0, (s64) bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p < 0 && p > -4096) die("mmap failed");
    return (void *) p;
}

static inline void unmap(void *p, u64 bytes) {
    sys6(SYS_munmap, (s64) p, (s64) bytes, 0, 0, 0, 0);
}

/* The one line every speed benchmark prints, which bench/run reads:
 *   NAME checksum=HEX ns=KERNEL_NANOSECONDS */
static inline void report(const char *name, u64 checksum, s64 ns) {
    puts_(name);
    puts_(" checksum=");
    puthex(checksum);
    puts_(" ns=");
    putnum((u64) ns);
    puts_("\n");
}

/* xorshift64*: the benchmarks' deterministic input. */
static inline u64 rng_next(u64 *state) {
    u64 x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DUL;
}

#endif
