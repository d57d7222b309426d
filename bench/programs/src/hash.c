/* Speed benchmark: hashing. FNV-1a (one byte a step: a load, an XOR and a
 * multiply) and a 64-bit word hash in the style of xxHash (loads, multiplies,
 * rotates) over a 256 KiB buffer of pseudo-random bytes, several rounds.
 * Prints "hash checksum=... ns=..." (bench/run --only speed). */
#include "nolibc.h"

#define BYTES (256 * 1024)
#define FNV_ROUNDS 384
#define XX_ROUNDS 1536

static u64 buffer[BYTES / 8];

static u64 fnv1a(const u8 *p, u64 n, u64 h) {
    for (u64 i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001B3UL;
    }
    return h;
}

static inline u64 rotl(u64 x, int r) {
    return (x << r) | (x >> (64 - r));
}

#define P1 0x9E3779B185EBCA87UL
#define P2 0xC2B2AE3D27D4EB4FUL
#define P3 0x165667B19E3779F9UL

/* Four lanes as xxHash64 has them, one 32-byte stripe a step. */
static u64 xxlike(const u64 *w, u64 words, u64 seed) {
    u64 a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
    for (u64 i = 0; i + 4 <= words; i += 4) {
        a = rotl(a + w[i] * P2, 31) * P1;
        b = rotl(b + w[i + 1] * P2, 31) * P1;
        c = rotl(c + w[i + 2] * P2, 31) * P1;
        d = rotl(d + w[i + 3] * P2, 31) * P1;
    }
    u64 h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18);
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ (h >> 32);
}

void cmain(u64 *sp) {
    (void) sp;
    u64 state = 0x0123456789ABCDEFUL;
    for (u64 i = 0; i < BYTES / 8; i++) buffer[i] = rng_next(&state);
    s64 t0 = now_ns();
    u64 h = 0xCBF29CE484222325UL;
    for (int r = 0; r < FNV_ROUNDS; r++) h = fnv1a((const u8 *) buffer, BYTES, h);
    u64 x = 0;
    for (int r = 0; r < XX_ROUNDS; r++) x ^= xxlike(buffer, BYTES / 8, x + (u64) r);
    s64 t1 = now_ns();
    report("hash", h ^ rotl(x, 17), t1 - t0);
    bench_exit(0);
}
