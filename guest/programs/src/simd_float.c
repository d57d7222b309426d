/*
 * Single and double precision loops that gcc -O3 auto-vectorises: fused
 * multiply-add (FMLA), division and square root (FDIV/FSQRT), min/max by
 * compare and select (FCMGT/BSL, FMINNM), rounding (FRINTM/P/A/X/Z),
 * conversions between widths and to integers (FCVTL/FCVTN/FCVTZS/SCVTF/
 * UCVTF), lane-parallel reductions (FADD/FADDP), complex multiply over
 * interleaved pairs (LD2/ST2), a 4x4 matrix product and polynomial
 * evaluation. The inputs include zeros of both signs, infinities, NaNs and
 * subnormals, and each kernel's results are hashed bit for bit, so NaN
 * payloads and signs of zero count. The kernels then run again under each
 * FPCR rounding mode and with flush-to-zero and default-NaN, and the FPSR
 * cumulative flags they leave are printed.
 *
 * Built -O3 -fno-math-errno (see the file "cflags"): without it gcc keeps
 * sqrt scalar for errno's sake.
 */
#include <math.h>
#include "compute.h"

#define N 2048

static float fa[N], fb[N], fc[N], fr[N];
static double da[N], db[N], dc[N], dr[N];
static int32_t ir[N];
static int64_t lr[N];
static uint32_t ur[N];
static float cpx[2 * N], cpx_out[2 * N];
static double dcpx[2 * N], dcpx_out[2 * N];

static float special_f[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, 1e-45f, -1e-40f,
                            3.4028235e38f, -3.4028235e38f, 1.17549435e-38f, 0.5f, -1.5f, 2.5f,
                            1e10f, -3e9f};
static double special_d[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 5e-324, -1e-310,
                             1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308,
                             0.5, -1.5, 2.5, 1e19, -9.3e18};

static float rand_float(int scale)
{
    uint64_t r = rng64();
    float m = (float)(int32_t)(r >> 32) / 2147483648.0f;
    return ldexpf(m, (int)(r % (unsigned)scale) - scale / 2);
}

static void fill(void)
{
    rng_seed(777);
    for (int i = 0; i < N; i++) {
        fa[i] = rand_float(40);
        fb[i] = rand_float(40);
        fc[i] = rand_float(8);
        da[i] = (double)rand_float(200) * (1.0 + 1.0 / 3.0);
        db[i] = (double)rand_float(200) - 0.1;
        dc[i] = (double)rand_float(8) * 0.7;
    }
    for (unsigned i = 0; i < sizeof special_f / sizeof special_f[0]; i++) {
        fa[3 * i] = special_f[i];
        fb[5 * i + 1] = special_f[i];
        da[3 * i] = special_d[i];
        db[5 * i + 1] = special_d[i];
    }
    for (int i = 0; i < 2 * N; i++) {
        cpx[i] = rand_float(10);
        dcpx[i] = (double)rand_float(10) / 3.0;
    }
}

#define REPORT_F(name, arr) \
    printf("%-14s hash=%016llx first=%a last=%a\n", name, \
           (unsigned long long)hash_bytes(arr, sizeof(arr)), (double)(arr)[0], \
           (double)(arr)[sizeof(arr) / sizeof((arr)[0]) - 1])
#define REPORT_I(name, arr) \
    printf("%-14s hash=%016llx first=%lld last=%lld\n", name, \
           (unsigned long long)hash_bytes(arr, sizeof(arr)), (long long)(arr)[0], \
           (long long)(arr)[sizeof(arr) / sizeof((arr)[0]) - 1])

NOINLINE static void fma_f32(float *r, const float *a, const float *b, const float *c, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] * b[i] + c[i];
}

NOINLINE static void fma_f64(double *r, const double *a, const double *b, const double *c, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] * b[i] - c[i];
}

NOINLINE static void arith_f32(float *r, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] - b[i]) / (b[i] + 0.25f);
}

NOINLINE static void arith_f64(double *r, const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] + b[i]) * 0.125 / (a[i] - 3.0);
}

NOINLINE static void sqrt_f32(float *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = sqrtf(fabsf(a[i])) - sqrtf(a[i]);
}

NOINLINE static void sqrt_f64(double *r, const double *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = sqrt(a[i]);
}

NOINLINE static void minmax_f32(float *r, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] < b[i] ? a[i] : b[i]) + (a[i] > 1.0f ? a[i] : 1.0f);
}

NOINLINE static void fminmax_f64(double *r, const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = fmin(a[i], b[i]) * 2.0 + fmax(a[i], -b[i]);
}

NOINLINE static void abs_neg_f32(float *r, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = -fabsf(a[i]) + copysignf(1.0f, b[i]);
}

NOINLINE static void round_f32(float *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) {
        float x = a[i] * 1000.0f;
        r[i] = floorf(x) + ceilf(x) * 2.0f + roundf(x) * 4.0f + truncf(x) * 8.0f + rintf(x) * 16.0f;
    }
}

NOINLINE static void round_f64(double *r, const double *a, int n)
{
    for (int i = 0; i < n; i++) {
        double x = a[i] * 1e-3;
        r[i] = floor(x) - ceil(x) * 3.0 + round(x) + trunc(x) * 5.0 + nearbyint(x) * 7.0;
    }
}

NOINLINE static void f32_to_f64(double *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (double)a[i] * 3.0;
}

NOINLINE static void f64_to_f32(float *r, const double *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (float)a[i];
}

NOINLINE static void f32_to_i32(int32_t *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int32_t)(a[i] * 65536.0f);
}

NOINLINE static void f32_to_u32(uint32_t *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint32_t)(fabsf(a[i]) * 4096.0f);
}

NOINLINE static void f64_to_i64(int64_t *r, const double *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int64_t)(a[i] * 1e6);
}

NOINLINE static void i32_to_f32(float *r, const int32_t *a, const uint32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (float)a[i] - (float)b[i];
}

NOINLINE static void i64_to_f64(double *r, const int64_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (double)a[i] + (double)(uint64_t)a[i];
}

NOINLINE static float sum4_f32(const float *a, int n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < n; i += 4) {
        s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
}

NOINLINE static double dot2_f64(const double *a, const double *b, int n)
{
    double s0 = 0, s1 = 0;
    for (int i = 0; i < n; i += 2) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
    }
    return s0 + s1;
}

NOINLINE static void cmul_f32(float *restrict r, const float *restrict p, const float *restrict q, int n)
{
    for (int i = 0; i < n; i++) {
        float ar = p[2 * i], ai = p[2 * i + 1], br = q[2 * i], bi = q[2 * i + 1];
        r[2 * i] = ar * br - ai * bi;
        r[2 * i + 1] = ar * bi + ai * br;
    }
}

NOINLINE static void cscale_f64(double *restrict r, const double *restrict p, int n)
{
    for (int i = 0; i < n; i++) {
        r[2 * i] = p[2 * i] * 0.5 - p[2 * i + 1];
        r[2 * i + 1] = p[2 * i + 1] * 1.5 + p[2 * i];
    }
}

NOINLINE static void matmul4(float *restrict r, const float *restrict a, const float *restrict b, int count)
{
    for (int m = 0; m < count; m++, a += 16, r += 16)
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                r[4 * i + j] = a[4 * i] * b[j] + a[4 * i + 1] * b[4 + j] + a[4 * i + 2] * b[8 + j]
                             + a[4 * i + 3] * b[12 + j];
}

NOINLINE static void horner_f64(double *r, const double *a, int n)
{
    for (int i = 0; i < n; i++) {
        double x = a[i] * 1e-2;
        r[i] = ((((x * 0.008333 - 0.0) * x - 0.16666) * x + 0.0) * x + 1.0) * x;
    }
}

NOINLINE static int count_cmp_f32(const float *a, const float *b, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += (a[i] <= b[i]) + 2 * (a[i] != a[i]);
    return c;
}

NOINLINE static void clamp_f32(float *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) {
        float x = a[i];
        x = x < -1.0f ? -1.0f : x;
        x = x > 1.0f ? 1.0f : x;
        r[i] = x;
    }
}

/* FPCR and FPSR (ARM ARM C5.2.8, C5.2.9): the vector kernels again under each rounding mode, FZ and DN. */
static uint64_t read_fpsr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpsr" : "=r"(v) : : "memory");
    return v;
}

static void write_fpcr(uint64_t v)
{
    __asm__ volatile("msr fpcr, %0" : : "r"(v) : "memory");
}

static void write_fpsr(uint64_t v)
{
    __asm__ volatile("msr fpsr, %0" : : "r"(v) : "memory");
}

#define FPCR_RP (1u << 22)
#define FPCR_RM (2u << 22)
#define FPCR_RZ (3u << 22)
#define FPCR_FZ (1u << 24)
#define FPCR_DN (1u << 25)

static void fpcr_modes(int n)
{
    static const struct { const char *name; uint32_t fpcr; } modes[] = {
        {"RN", 0}, {"RP", FPCR_RP}, {"RM", FPCR_RM}, {"RZ", FPCR_RZ}, {"FZ", FPCR_FZ}, {"DN", FPCR_DN},
        {"RP+FZ+DN", FPCR_RP | FPCR_FZ | FPCR_DN}, {"RZ+FZ", FPCR_RZ | FPCR_FZ},
    };
    for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        uint64_t h = 0;
        uint64_t fpsr[6];
        write_fpcr(modes[m].fpcr);
        write_fpsr(0);
        fma_f32(fr, fa, fb, fc, n);
        arith_f64(dr, da, db, n);
        h = h * 31 + hash_bytes(fr, sizeof fr) + hash_bytes(dr, sizeof dr);
        fpsr[0] = read_fpsr();
        write_fpsr(0);
        arith_f32(fr, fa, fb, n);
        sqrt_f32(fr + 16, fr, n - 16);
        h = h * 31 + hash_bytes(fr, sizeof fr);
        fpsr[1] = read_fpsr();
        write_fpsr(0);
        f64_to_f32(fr, da, n);
        i32_to_f32(fr + 8, ir, ur, n - 8);
        i64_to_f64(dr, lr, n);
        h = h * 31 + hash_bytes(fr, sizeof fr) + hash_bytes(dr, sizeof dr);
        fpsr[2] = read_fpsr();
        write_fpsr(0);
        round_f32(fr, fa, n);
        f32_to_i32(ir, fb, n);
        h = h * 31 + hash_bytes(fr, sizeof fr) + hash_bytes(ir, sizeof ir);
        fpsr[3] = read_fpsr();
        write_fpsr(0);
        cmul_f32(cpx_out, cpx, cpx + 64, n - 32);
        horner_f64(dr, da, n);
        h = h * 31 + hash_bytes(cpx_out, sizeof cpx_out) + hash_bytes(dr, sizeof dr);
        fpsr[4] = read_fpsr();
        write_fpsr(0);
        float s = sum4_f32(fa + 16, n - 16);
        double d = dot2_f64(da + 80, db + 80, n - 80); /* past the NaNs */
        fpsr[5] = read_fpsr();
        write_fpcr(0);
        write_fpsr(0);
        printf("fpcr %-9s hash=%016llx fpsr=%02llx,%02llx,%02llx,%02llx,%02llx,%02llx sum=%a dot=%a\n",
               modes[m].name, (unsigned long long)h, (unsigned long long)fpsr[0], (unsigned long long)fpsr[1],
               (unsigned long long)fpsr[2], (unsigned long long)fpsr[3], (unsigned long long)fpsr[4],
               (unsigned long long)fpsr[5], (double)s, d);
        fill(); /* the kernels wrote into their own inputs' neighbours: start every mode alike */
    }
}

int main(void)
{
    static float mat_out[N];

    fill();
    int n = N;
    OPAQUE(n);

    double acc = 0;
    for (int rep = 0; rep < 8; rep++) {
        fma_f32(fr, fa, fb, fc, n);
        acc += sum4_f32(fr + 64, n - 128) + dot2_f64(da + 64, db + 64, n - 128);
    }
    printf("%-14s %a\n", "repeat_acc", acc);

    fma_f32(fr, fa, fb, fc, n); REPORT_F("fma_f32", fr);
    fma_f64(dr, da, db, dc, n); REPORT_F("fma_f64", dr);
    arith_f32(fr, fa, fb, n); REPORT_F("arith_f32", fr);
    arith_f64(dr, da, db, n); REPORT_F("arith_f64", dr);
    sqrt_f32(fr, fa, n); REPORT_F("sqrt_f32", fr);
    sqrt_f64(dr, da, n); REPORT_F("sqrt_f64", dr);
    minmax_f32(fr, fa, fb, n); REPORT_F("minmax_f32", fr);
    fminmax_f64(dr, da, db, n); REPORT_F("fminmax_f64", dr);
    abs_neg_f32(fr, fa, fb, n); REPORT_F("abs_neg_f32", fr);
    round_f32(fr, fc, n); REPORT_F("round_f32", fr);
    round_f64(dr, da, n); REPORT_F("round_f64", dr);
    f32_to_f64(dr, fa, n); REPORT_F("f32_to_f64", dr);
    f64_to_f32(fr, da, n); REPORT_F("f64_to_f32", fr);
    f32_to_i32(ir, fc, n); REPORT_I("f32_to_i32", ir);
    f32_to_u32(ur, fc, n); REPORT_I("f32_to_u32", ur);
    f64_to_i64(lr, dc, n); REPORT_I("f64_to_i64", lr);
    i32_to_f32(fr, ir, ur, n); REPORT_F("i32_to_f32", fr);
    i64_to_f64(dr, lr, n); REPORT_F("i64_to_f64", dr);
    printf("%-14s %a\n", "sum4_f32", sum4_f32(fc, n));
    printf("%-14s %a\n", "dot2_f64", dot2_f64(dc, db + 32, n - 32));
    printf("%-14s %a\n", "sum4_special", sum4_f32(fa, 16));
    cmul_f32(cpx_out, cpx, cpx + 64, n - 32); REPORT_F("cmul_f32", cpx_out);
    cscale_f64(dcpx_out, dcpx, n); REPORT_F("cscale_f64", dcpx_out);
    matmul4(mat_out, fc, fc + 16 * 7, N / 16); REPORT_F("matmul4", mat_out);
    horner_f64(dr, dc, n); REPORT_F("horner_f64", dr);
    printf("%-14s %d\n", "count_cmp_f32", count_cmp_f32(fa, fb, n));
    clamp_f32(fr, fa, n); REPORT_F("clamp_f32", fr);
    fpcr_modes(n);
    return 0;
}
