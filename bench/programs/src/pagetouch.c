/* Speed benchmark: touching fresh memory. Each round maps 16 MiB of anonymous
 * memory, writes one word into each of its 4,096 pages (a zero-fill fault
 * each), sums one word of each page back, and unmaps it. Prints "pagetouch
 * checksum=... ns=..." (bench/run --only speed). */
#include "nolibc.h"

#define PAGE 4096UL
#define PAGES 4096UL
#define ROUNDS 24

void cmain(u64 *sp) {
    (void) sp;
    s64 t0 = now_ns();
    u64 sum = 0;
    for (u64 r = 0; r < ROUNDS; r++) {
        volatile u8 *p = map(PAGES * PAGE);
        for (u64 i = 0; i < PAGES; i++) *(volatile u64 *) (p + i * PAGE + (i % 512) * 8) = i * r + 1;
        for (u64 i = 0; i < PAGES; i++) sum = sum * 3 + *(volatile u64 *) (p + i * PAGE + (i % 512) * 8);
        unmap((void *) p, PAGES * PAGE);
    }
    s64 t1 = now_ns();
    report("pagetouch", sum, t1 - t0);
    bench_exit(0);
}
