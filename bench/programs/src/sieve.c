/* Speed benchmark: the sieve of Eratosthenes over a byte array of 4 million
 * entries (4 MiB of .bss), several rounds: byte stores in strided loops and
 * a counting pass. Prints "sieve checksum=... ns=..." (bench/run --only speed). */
#include "nolibc.h"

#define LIMIT (4 * 1024 * 1024)
#define ROUNDS 6

static u8 composite[LIMIT];

static u64 sieve(void) {
    for (u64 i = 0; i < LIMIT; i++) composite[i] = 0;
    for (u64 p = 2; p * p < LIMIT; p++) {
        if (!composite[p]) {
            for (u64 m = p * p; m < LIMIT; m += p) composite[m] = 1;
        }
    }
    u64 count = 0, sum = 0;
    for (u64 i = 2; i < LIMIT; i++) {
        if (!composite[i]) {
            count++;
            sum += i;
        }
    }
    return count * 0x9E3779B97F4A7C15UL ^ sum;
}

void cmain(u64 *sp) {
    (void) sp;
    s64 t0 = now_ns();
    u64 check = 0;
    for (int r = 0; r < ROUNDS; r++) check = check * 31 + sieve();
    s64 t1 = now_ns();
    report("sieve", check, t1 - t0);
    bench_exit(0);
}
