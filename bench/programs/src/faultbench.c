/* The page-fault service benchmark's guest program: a static AArch64 Linux
 * program with no C library (its own _start, raw system calls), so that the
 * instructions it runs besides the faults are a handful per page.
 *
 *   faultbench zero   PAGES ROUNDS   each round: mmap PAGES fresh anonymous
 *                                    pages, store one word into each (one
 *                                    zero-fill write fault per page), munmap
 *   faultbench swapin PAGES ROUNDS   once: mmap PAGES pages and give each a
 *                                    different, compressible content; each
 *                                    round: madvise(MADV_PAGEOUT) the whole
 *                                    area, then load one word from each page
 *                                    (one swap-in read fault per page where
 *                                    the kernel swapped it out)
 *
 * It times the touch loop alone with clock_gettime(CLOCK_MONOTONIC) and
 * prints, per round, one line the bench harness reads:
 *
 *   round N pages P touch_ns T total_ns U
 *
 * (total_ns: the whole round, mmap/madvise and munmap included). Built with
 * bench/programs/build.sh; the committed binary is bin/faultbench. */

typedef unsigned long u64;
typedef long s64;

#define SYS_madvise       233
#define SYS_mmap          222
#define SYS_munmap        215
#define SYS_clock_gettime 113
#define SYS_write          64
#define SYS_exit_group     94

#define PROT_READ  1
#define PROT_WRITE 2
#define MAP_PRIVATE   0x02
#define MAP_ANONYMOUS 0x20
#define MADV_PAGEOUT  21
#define CLOCK_MONOTONIC 1
#define PAGE 4096UL

static s64 sys6(s64 nr, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f) {
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

struct timespec { s64 sec; s64 nsec; };

static s64 now_ns(void) {
    struct timespec ts;
    sys6(SYS_clock_gettime, CLOCK_MONOTONIC, (s64) &ts, 0, 0, 0, 0);
    return ts.sec * 1000000000L + ts.nsec;
}

static void out(const char *s, u64 n) {
    sys6(SYS_write, 1, (s64) s, (s64) n, 0, 0, 0);
}

static u64 len(const char *s) {
    u64 n = 0;
    while (s[n]) n++;
    return n;
}

static void puts_(const char *s) {
    out(s, len(s));
}

static void putnum(u64 v) {
    char buf[24];
    int i = sizeof buf;
    do {
        buf[--i] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    out(buf + i, sizeof buf - i);
}

static u64 parse(const char *s) {
    u64 v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (u64) (*s++ - '0');
    return v;
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

static __attribute__((noreturn)) void die(const char *why) {
    puts_("faultbench: ");
    puts_(why);
    puts_("\n");
    sys6(SYS_exit_group, 2, 0, 0, 0, 0, 0);
    __builtin_unreachable();
}

static char *map(u64 bytes) {
    s64 p = sys6(SYS_mmap, 0, (s64) bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p < 0 && p > -4096) die("mmap failed");
    return (char *) p;
}

static void report(u64 round, u64 pages, s64 touch, s64 total) {
    puts_("round ");
    putnum(round);
    puts_(" pages ");
    putnum(pages);
    puts_(" touch_ns ");
    putnum((u64) touch);
    puts_(" total_ns ");
    putnum((u64) total);
    puts_("\n");
}

/* One store per page; volatile so that the compiler keeps every store. */
static void touch_write(volatile char *p, u64 pages) {
    for (u64 i = 0; i < pages; i++) {
        *(volatile u64 *) (p + i * PAGE) = i + 1;
    }
}

static u64 touch_read(volatile char *p, u64 pages) {
    u64 sum = 0;
    for (u64 i = 0; i < pages; i++) {
        sum += *(volatile u64 *) (p + i * PAGE);
    }
    return sum;
}

static void zero_fill(u64 pages, u64 rounds) {
    for (u64 r = 0; r < rounds; r++) {
        s64 t0 = now_ns();
        char *p = map(pages * PAGE);
        s64 t1 = now_ns();
        touch_write(p, pages);
        s64 t2 = now_ns();
        sys6(SYS_munmap, (s64) p, (s64) (pages * PAGE), 0, 0, 0, 0);
        s64 t3 = now_ns();
        report(r, pages, t2 - t1, t3 - t0);
    }
}

/* Each page: 64 words of a per-page pattern, the rest zero, so that it is
 * neither same-filled nor incompressible (LZ4 makes it a few hundred bytes). */
static void fill(volatile char *p, u64 pages) {
    for (u64 i = 0; i < pages; i++) {
        volatile u64 *w = (volatile u64 *) (p + i * PAGE);
        for (u64 j = 0; j < 64; j++) {
            w[j * 8] = (i + 1) * 0x9E3779B97F4A7C15UL + j;
        }
    }
}

static void swap_in(u64 pages, u64 rounds) {
    char *p = map(pages * PAGE);
    fill(p, pages);
    u64 check = 0;
    for (u64 r = 0; r < rounds; r++) {
        s64 t0 = now_ns();
        if (sys6(SYS_madvise, (s64) p, (s64) (pages * PAGE), MADV_PAGEOUT, 0, 0, 0) != 0) die("madvise failed");
        s64 t1 = now_ns();
        check += touch_read(p, pages);
        s64 t2 = now_ns();
        report(r, pages, t2 - t1, t2 - t0);
    }
    /* The sum proves the pages came back with their contents. */
    u64 want = 0;
    for (u64 i = 0; i < pages; i++) want += (i + 1) * 0x9E3779B97F4A7C15UL;
    if (check != want * rounds) die("swapped-in pages lost their contents");
}

void cmain(u64 *sp) {
    u64 argc = sp[0];
    char **argv = (char **) (sp + 1);
    if (argc != 4) die("usage: faultbench zero|swapin PAGES ROUNDS");
    u64 pages = parse(argv[2]);
    u64 rounds = parse(argv[3]);
    if (pages == 0 || rounds == 0) die("PAGES and ROUNDS must be positive");
    if (same(argv[1], "zero")) {
        zero_fill(pages, rounds);
    } else if (same(argv[1], "swapin")) {
        swap_in(pages, rounds);
    } else {
        die("mode must be zero or swapin");
    }
    sys6(SYS_exit_group, 0, 0, 0, 0, 0, 0);
}

__asm__(".text\n"
        ".globl _start\n"
        ".type _start, %function\n"
        "_start:\n"
        "  mov x0, sp\n"
        "  bl cmain\n"
        "  brk #0\n");
