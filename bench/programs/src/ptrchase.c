/* Speed benchmark: pointer chasing. A 32 MiB array (8,192 pages of 4 KiB, far
 * more than any TLB reaches) holds one random cycle through all of its 4 Mi
 * slots (Sattolo's shuffle); the kernel follows it, one dependent load a step,
 * each step most likely on another page: the cost of a TLB miss (and under an
 * emulator, of its soft TLB) dominates. Prints "ptrchase checksum=... ns=..."
 * (bench/run --only speed). */
#include "nolibc.h"

#define SLOTS (4UL * 1024 * 1024)
#define STEPS (3UL * 1024 * 1024)

void cmain(u64 *sp) {
    (void) sp;
    u64 *next = map(SLOTS * sizeof(u64));
    for (u64 i = 0; i < SLOTS; i++) next[i] = i;
    u64 seed = 99;
    for (u64 i = SLOTS - 1; i > 0; i--) {
        u64 j = rng_next(&seed) % i;
        u64 t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    s64 t0 = now_ns();
    u64 at = 0, sum = 0;
    for (u64 s = 0; s < STEPS; s++) {
        at = next[at];
        sum += at;
    }
    s64 t1 = now_ns();
    report("ptrchase", sum ^ (at << 32), t1 - t0);
    unmap(next, SLOTS * sizeof(u64));
    bench_exit(0);
}
