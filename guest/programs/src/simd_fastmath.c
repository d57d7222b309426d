/*
 * What -O3 -ffast-math adds to vectorised floating point: reductions in lane
 * order (FADD then FADDP), max/min reductions (FMAXNMV/FMINNMV/FMAXNMP),
 * reciprocal and square-root code, and integer loops that only vectorise
 * with it off the critical path: byte swaps (REV32), division by constants
 * (UMULL2/USHR), 64-bit compares and absolute values (CMGT .2D, ABS .2D).
 * The association order is fixed by the binary, so the results are exact and
 * the same on every run.
 */
#include <math.h>
#include "compute.h"

#define N 4096

static float fa[N], fb[N];
static double da[N], db[N];
static uint32_t ua[N], ur[N];
static int64_t la[N], lb[N], lr[N];

static void fill(void)
{
    rng_seed(31337);
    for (int i = 0; i < N; i++) {
        uint64_t r = rng64();
        fa[i] = (float)(int32_t)r / 1048576.0f;
        fb[i] = (float)(r >> 40) / 65536.0f + 0.125f;
        da[i] = (double)(int64_t)rng64() / 1e15;
        db[i] = (double)(rng64() >> 20) / 1e9 + 0.5;
        ua[i] = (uint32_t)(r >> 11);
        la[i] = (int64_t)rng64();
        lb[i] = (int64_t)rng64() >> (i % 50);
    }
}

NOINLINE static float sum_f32(const float *a, int n)
{
    float s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}

NOINLINE static double dot_f64(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

NOINLINE static float max_f32(const float *a, int n)
{
    float m = -INFINITY;
    for (int i = 0; i < n; i++) m = fmaxf(m, a[i]);
    return m;
}

NOINLINE static double min_f64(const double *a, int n)
{
    double m = INFINITY;
    for (int i = 0; i < n; i++) m = a[i] < m ? a[i] : m;
    return m;
}

NOINLINE static float norm_f32(const float *a, const float *b, int n)
{
    float s = 0;
    for (int i = 0; i < n; i++) s += a[i] * a[i] / b[i];
    return sqrtf(s);
}

NOINLINE static void recip_sqrt_f32(float *r, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] / sqrtf(b[i]) + 1.0f / b[i];
}

NOINLINE static void bswap_u32(uint32_t *r, const uint32_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = __builtin_bswap32(a[i]) ^ (a[i] >> 3);
}

NOINLINE static void div_const_u32(uint32_t *r, const uint32_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] / 7u + a[i] % 10u;
}

NOINLINE static void abs_max_s64(int64_t *r, const int64_t *a, const int64_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t x = a[i] < 0 ? -(a[i] >> 1) : a[i] >> 1;
        r[i] = x > b[i] ? x : b[i];
    }
}

int main(void)
{
    static float fr[N];
    fill();
    int n = N;
    OPAQUE(n);
    printf("sum_f32        %a\n", (double)sum_f32(fa, n));
    printf("dot_f64        %a\n", dot_f64(da, db, n));
    printf("max_f32        %a\n", (double)max_f32(fa, n));
    printf("min_f64        %a\n", min_f64(da, n));
    printf("norm_f32       %a\n", (double)norm_f32(fa, fb, n));
    recip_sqrt_f32(fr, fa, fb, n);
    printf("recip_sqrt     hash=%016llx first=%a\n", (unsigned long long)hash_bytes(fr, sizeof fr), (double)fr[0]);
    bswap_u32(ur, ua, n);
    printf("bswap_u32      hash=%016llx first=%u\n", (unsigned long long)hash_bytes(ur, sizeof ur), ur[0]);
    div_const_u32(ur, ua, n);
    printf("div_const_u32  hash=%016llx first=%u\n", (unsigned long long)hash_bytes(ur, sizeof ur), ur[0]);
    abs_max_s64(lr, la, lb, n);
    printf("abs_max_s64    hash=%016llx first=%lld\n", (unsigned long long)hash_bytes(lr, sizeof lr),
           (long long)lr[0]);
    for (int len = 1; len <= 37; len += 4)
        printf("sum_f32[%2d]    %a  dot_f64 %a\n", len, (double)sum_f32(fa + len, len), dot_f64(da + 3, db, len));
    return 0;
}
