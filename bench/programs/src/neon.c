/* Speed benchmark (glibc, built -O3 so that gcc vectorises the loops with
 * Advanced SIMD): an int8 dot product (widening multiplies, pairwise adds),
 * a float multiply-add over arrays (FMLA) and a 16-bit saturating-free
 * blend with min/max. Prints "neon checksum=... ns=..." (bench/run --only
 * speed). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N 4096
#define ROUNDS 4000

static int8_t qa[N], qb[N];
static float fa[N], fb[N], fc[N];
static int16_t ha[N], hb[N], hc[N];

static int32_t dot8(const int8_t *a, const int8_t *b) {
    int32_t s = 0;
    for (int i = 0; i < N; i++) s += a[i] * b[i];
    return s;
}

static void fmadd(float *c, const float *a, const float *b, float k) {
    for (int i = 0; i < N; i++) c[i] = c[i] * k + a[i] * b[i];
}

static void clamp16(int16_t *c, const int16_t *a, const int16_t *b) {
    for (int i = 0; i < N; i++) {
        int16_t lo = a[i] < b[i] ? a[i] : b[i];
        int16_t hi = a[i] < b[i] ? b[i] : a[i];
        c[i] = (int16_t) (hi - lo + (c[i] >> 1));
    }
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        qa[i] = (int8_t) (x >> 16);
        qb[i] = (int8_t) (x >> 24);
        fa[i] = (float) (int16_t) (x >> 8) / 4096.0f;
        fb[i] = (float) (int16_t) (x >> 12) / 8192.0f;
        fc[i] = 0;
        ha[i] = (int16_t) (x >> 3);
        hb[i] = (int16_t) (x >> 11);
        hc[i] = 0;
    }
    int64_t t0 = now_ns();
    uint64_t check = 0;
    for (int r = 0; r < ROUNDS; r++) {
        qa[r] ^= (int8_t) r;
        check = check * 31 + (uint32_t) dot8(qa, qb);
        fmadd(fc, fa, fb, 0.5f);
        clamp16(hc, ha, hb);
    }
    for (int i = 0; i < N; i++) {
        uint32_t bits;
        memcpy(&bits, &fc[i], sizeof bits);
        check = (check ^ bits ^ ((uint64_t) (uint16_t) hc[i] << 32)) * 0x100000001B3ull;
    }
    int64_t t1 = now_ns();
    printf("neon checksum=%016llx ns=%lld\n", (unsigned long long) check, (long long) (t1 - t0));
    return 0;
}
