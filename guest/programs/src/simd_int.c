/*
 * Integer loops that gcc -O3 auto-vectorises into Advanced SIMD code:
 * widening sums and dot products (SADDW/UADALP/SMLAL/UMLAL), saturating
 * adds and narrowing by clamps (UMIN/SMIN/SMAX with XTN), min/max and their
 * reductions (SMINV/UMAXV/ADDV/ADDP), shifts (SSHR/USHL/SSHL/SSRA/SHRN),
 * widening multiplies (SMULL/UMULL), int<->float conversions (SCVTF/UCVTF/
 * FCVTZS), structure loads and stores (LD2/LD3/LD4/ST2/ST4), reversal
 * (REV64/EXT/TBL), bit counting (CNT/CLZ), absolute differences
 * (UABDL/UABAL), rounding averages (URHADD), compares and selects
 * (CMGT/CMHI/BSL), permutes (UZP1/TRN1); unaligned vector copies across
 * page boundaries; and glibc's own SIMD string functions.
 *
 * Built -O3 (see the file "cflags"). Prints one line per kernel: a hash of
 * its whole output and a few values.
 */
#include "compute.h"

#define N 4096

static int8_t s8a[N], s8b[N];
static uint8_t u8a[N], u8b[N], u8r[N];
static int16_t s16a[N], s16b[N], s16r[N];
static uint16_t u16a[N], u16r[N];
static int32_t s32a[N], s32b[N], s32r[N];
static uint32_t u32a[N], u32r[N];
static int64_t s64a[N], s64r[N];
static uint64_t u64a[N];
static float f32r[N];
static uint8_t rgb[3 * N], gray[N], rgba[4 * N], rgba_out[4 * N];
static int16_t pairs[2 * N], pair_out[2 * N];

static void fill(void)
{
    rng_seed(12345);
    for (int i = 0; i < N; i++) {
        uint64_t r = rng64();
        s8a[i] = (int8_t)r;
        s8b[i] = (int8_t)(r >> 8);
        u8a[i] = (uint8_t)(r >> 16);
        u8b[i] = (uint8_t)(r >> 24);
        s16a[i] = (int16_t)(r >> 32);
        s16b[i] = (int16_t)(r >> 48);
        u16a[i] = (uint16_t)(r >> 20);
        r = rng64();
        s32a[i] = (int32_t)r;
        s32b[i] = (int32_t)(r >> 32);
        u32a[i] = (uint32_t)(r >> 16);
        s64a[i] = (int64_t)rng64();
        u64a[i] = rng64();
    }
    /* Extremes, so saturation and sign handling are reached. */
    s8a[0] = -128; s8b[0] = -128; s8a[1] = 127; s8b[1] = 127;
    s16a[0] = -32768; s16b[0] = -32768; s16a[1] = 32767; s16b[1] = 32767;
    s32a[0] = INT32_MIN; s32a[1] = INT32_MAX; u8a[0] = 255; u8b[0] = 255;
    for (int i = 0; i < 3 * N; i++) rgb[i] = (uint8_t)rng64();
    for (int i = 0; i < 4 * N; i++) rgba[i] = (uint8_t)rng64();
    for (int i = 0; i < 2 * N; i++) pairs[i] = (int16_t)rng64();
}

#define REPORT(name, arr) \
    printf("%-14s hash=%016llx first=%lld last=%lld\n", name, \
           (unsigned long long)hash_bytes(arr, sizeof(arr)), (long long)(arr)[0], \
           (long long)(arr)[sizeof(arr) / sizeof((arr)[0]) - 1])
#define SCALAR(name, v) printf("%-14s %lld\n", name, (long long)(v))

NOINLINE static uint32_t sum_u8(const uint8_t *a, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}

NOINLINE static int32_t sum_s16(const int16_t *a, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}

NOINLINE static int64_t dot_s16(const int16_t *a, const int16_t *b, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

NOINLINE static int32_t dot_s8(const int8_t *a, const int8_t *b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

NOINLINE static int64_t sum_s32_wide(const int32_t *a, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}

NOINLINE static uint64_t xor_u64(const uint64_t *a, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++) s ^= a[i];
    return s;
}

NOINLINE static void satadd_u8(uint8_t *r, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned s = a[i] + b[i];
        r[i] = s > 255 ? 255 : s;
    }
}

NOINLINE static void satsub_u8(uint8_t *r, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] > b[i] ? a[i] - b[i] : 0;
}

NOINLINE static void satadd_s16(int16_t *r, const int16_t *a, const int16_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        int s = a[i] + b[i];
        r[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
    }
}

NOINLINE static void minmax_s8(int8_t *mn, int8_t *mx, const int8_t *a, const int8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        mn[i] = a[i] < b[i] ? a[i] : b[i];
        mx[i] = a[i] > b[i] ? a[i] : b[i];
    }
}

NOINLINE static uint16_t max_u16(const uint16_t *a, int n)
{
    uint16_t m = 0;
    for (int i = 0; i < n; i++) m = a[i] > m ? a[i] : m;
    return m;
}

NOINLINE static int32_t min_s32(const int32_t *a, int n)
{
    int32_t m = INT32_MAX;
    for (int i = 0; i < n; i++) m = a[i] < m ? a[i] : m;
    return m;
}

NOINLINE static uint8_t max_u8(const uint8_t *a, int n)
{
    uint8_t m = 0;
    for (int i = 1; i < n; i++) m = a[i] > m ? a[i] : m;
    return m;
}

NOINLINE static void shifts_s32(int32_t *r, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] >> 7) + (int32_t)((uint32_t)b[i] << (a[i] & 15)) + ((uint32_t)a[i] >> (b[i] & 31));
}

NOINLINE static void shifts_s16(int16_t *r, const int16_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int16_t)((a[i] >> 3) ^ (int16_t)(a[i] << 5));
}

NOINLINE static void rshift_round_u16(uint16_t *r, const uint16_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint16_t)((a[i] + 8u) >> 4);
}

NOINLINE static void wmul_s16(int32_t *r, const int16_t *a, const int16_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int32_t)a[i] * b[i];
}

NOINLINE static void wmul_u8(uint16_t *r, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint16_t)(a[i] * b[i]);
}

NOINLINE static void wmul_s32(int64_t *r, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int64_t)a[i] * b[i];
}

NOINLINE static void mul_s32(int32_t *r, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int32_t)((uint32_t)a[i] * (uint32_t)b[i] + 7u);
}

NOINLINE static void narrow_s32(int16_t *r, const int32_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int16_t)a[i];
}

NOINLINE static void satnarrow_s32(int16_t *r, const int32_t *a, int n)
{
    for (int i = 0; i < n; i++) {
        int32_t v = a[i] >> 12;
        r[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
}

NOINLINE static void widen_s8(int32_t *r, const int8_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] * 3 + 1;
}

NOINLINE static void int_to_float(float *r, const int32_t *a, const uint32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (float)a[i] * 0.5f + (float)b[i];
}

NOINLINE static void float_to_int(int32_t *r, const float *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int32_t)(a[i] * 1.0e-3f);
}

NOINLINE static void int64_to_double_and_back(int64_t *r, const int64_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int64_t)((double)(a[i] >> 11) * 0.25);
}

NOINLINE static void copy_u8(uint8_t *restrict r, const uint8_t *restrict a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i];
}

NOINLINE static void reverse_u16(uint16_t *restrict r, const uint16_t *restrict a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[n - 1 - i];
}

NOINLINE static void reverse_s32(int32_t *restrict r, const int32_t *restrict a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[n - 1 - i];
}

NOINLINE static void rgb_to_gray(uint8_t *restrict g, const uint8_t *restrict p, int n)
{
    for (int i = 0; i < n; i++)
        g[i] = (uint8_t)((p[3 * i] * 77 + p[3 * i + 1] * 150 + p[3 * i + 2] * 29) >> 8);
}

NOINLINE static void rgba_swizzle(uint8_t *restrict r, const uint8_t *restrict p, int n)
{
    for (int i = 0; i < n; i++) {
        r[4 * i] = p[4 * i + 2];
        r[4 * i + 1] = p[4 * i + 1];
        r[4 * i + 2] = p[4 * i];
        r[4 * i + 3] = (uint8_t)(p[4 * i + 3] ^ 0xff);
    }
}

NOINLINE static void complex_mul_s16(int16_t *restrict r, const int16_t *restrict p, int n)
{
    for (int i = 0; i < n; i++) {
        int re = p[2 * i], im = p[2 * i + 1];
        r[2 * i] = (int16_t)((re * 3 - im * 5) >> 2);
        r[2 * i + 1] = (int16_t)((re * 5 + im * 3) >> 2);
    }
}

NOINLINE static uint32_t popcount_u64(const uint64_t *a, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += __builtin_popcountll(a[i]);
    return s;
}

NOINLINE static void popcount_u8(uint8_t *r, const uint8_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint8_t)__builtin_popcount(a[i]);
}

NOINLINE static void clz_u32(uint32_t *r, const uint32_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] ? (uint32_t)__builtin_clz(a[i]) : 32u;
}

NOINLINE static uint32_t sad_u8(const uint8_t *a, const uint8_t *b, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += (uint32_t)__builtin_abs(a[i] - b[i]);
    return s;
}

NOINLINE static void avg_u8(uint8_t *r, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint8_t)((a[i] + b[i] + 1) >> 1);
}

NOINLINE static void abs_s16(int16_t *r, const int16_t *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int16_t)(a[i] < 0 ? -a[i] : a[i]);
}

NOINLINE static void select_s32(int32_t *r, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] > b[i] ? a[i] - b[i] : (b[i] & 0xffff) * 3;
}

NOINLINE static int count_eq_u8(const uint8_t *a, const uint8_t *b, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += (a[i] & 7) == (b[i] & 7);
    return c;
}

NOINLINE static void bitops_u32(uint32_t *r, const uint32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] & ~(uint32_t)b[i]) | ((a[i] ^ 0x5a5a5a5au) & (uint32_t)b[i] >> 3);
}

NOINLINE static void add_s64(int64_t *r, const int64_t *a, const int64_t *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] + (b[i] >> 3) - (a[i] > b[i]);
}

NOINLINE static uint32_t fletcher32(const uint16_t *a, int n)
{
    uint32_t s1 = 0xffff, s2 = 0xffff;
    for (int i = 0; i < n; i++) {
        s1 += a[i];
        s2 += s1;
        if ((i & 255) == 255) {
            s1 = (s1 & 0xffff) + (s1 >> 16);
            s2 = (s2 & 0xffff) + (s2 >> 16);
        }
    }
    s1 = (s1 & 0xffff) + (s1 >> 16);
    s2 = (s2 & 0xffff) + (s2 >> 16);
    return s2 << 16 | s1;
}

NOINLINE static void lut_u8(uint8_t *restrict r, const uint8_t *restrict a, int n)
{
    static const uint8_t table[16] = {0, 7, 3, 9, 200, 31, 64, 5, 99, 1, 250, 17, 8, 128, 42, 255};
    for (int i = 0; i < n; i++) r[i] = table[a[i] & 15] + table[a[i] >> 4];
}

/* Unaligned vector loads and stores that cross page boundaries. */
static uint8_t pages[3 * 4096 + 64] __attribute__((aligned(4096)));

NOINLINE static void copy_add_unaligned(uint8_t *restrict r, const uint8_t *restrict a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (uint8_t)(a[i] + 1);
}

/*
 * glibc's string functions are Advanced SIMD code of their own (CMEQ, UMAXP,
 * SHRN, ADDP over 16-byte blocks), chosen at start-up: every alignment of
 * the start and of the terminator is tried, with the match on either side of
 * a page boundary.
 */
static void string_functions(void)
{
    uint64_t h = 0;
    for (int i = 0; i < (int)sizeof pages; i++) pages[i] = (uint8_t)(1 + (i * 7) % 250);
    for (int start = 4096 - 40; start < 4096 + 8; start += 3) {
        for (int len = 0; len < 70; len += 5) {
            uint8_t *s = pages + start;
            uint8_t saved = s[len];
            s[len] = 0;
            h = h * 31 + strlen((char *)s);
            h = h * 31 + (uint64_t)((uint8_t *)memchr(s, 0, (size_t)len + 1) - s);
            h = h * 31 + (uint64_t)(strchr((char *)s, s[len / 2] ? s[len / 2] : 1) ? 1 : 0);
            h = h * 31 + (uint64_t)(memcmp(s, s + 1, (size_t)len) > 0);
            h = h * 31 + (uint64_t)(strcmp((char *)s, (char *)pages + 100) < 0);
            h = h * 31 + strnlen((char *)s, (size_t)len / 2);
            s[len] = saved;
        }
    }
    memmove(pages + 4090, pages + 4000, 200);
    memset(pages + 8190, 0xab, 37);
    memcpy(pages + 33, pages + 8000, 999);
    printf("%-14s %016llx mem=%016llx\n", "string_funcs", (unsigned long long)h,
           (unsigned long long)hash_bytes(pages, sizeof pages));
}

int main(void)
{
    static int8_t mn[N], mx[N];
    static int32_t w32[N];
    static int64_t w64[N];
    static uint16_t w16[N];

    fill();
    int n = N;
    OPAQUE(n);

    /* Repeated so the vector loops dominate the run, as in real programs. */
    uint64_t acc = 0;
    for (int rep = 0; rep < 16; rep++) {
        acc += sum_u8(u8a, n) + (uint64_t)sum_s16(s16a, n) + (uint64_t)dot_s16(s16a, s16b, n)
             + (uint64_t)dot_s8(s8a, s8b, n);
        satadd_u8(u8r, u8a, u8b, n);
        acc += hash_bytes(u8r, 64);
    }
    SCALAR("repeat_acc", acc);

    SCALAR("sum_u8", sum_u8(u8a, n));
    SCALAR("sum_s16", sum_s16(s16a, n));
    SCALAR("dot_s16", dot_s16(s16a, s16b, n));
    SCALAR("dot_s8", dot_s8(s8a, s8b, n));
    SCALAR("sum_s32_wide", sum_s32_wide(s32a, n));
    SCALAR("xor_u64", xor_u64(u64a, n));
    satadd_u8(u8r, u8a, u8b, n); REPORT("satadd_u8", u8r);
    satsub_u8(u8r, u8a, u8b, n); REPORT("satsub_u8", u8r);
    satadd_s16(s16r, s16a, s16b, n); REPORT("satadd_s16", s16r);
    minmax_s8(mn, mx, s8a, s8b, n); REPORT("min_s8", mn); REPORT("max_s8", mx);
    SCALAR("max_u16", max_u16(u16a, n));
    SCALAR("min_s32", min_s32(s32a, n));
    SCALAR("max_u8", max_u8(u8b, n));
    shifts_s32(s32r, s32a, s32b, n); REPORT("shifts_s32", s32r);
    shifts_s16(s16r, s16a, n); REPORT("shifts_s16", s16r);
    rshift_round_u16(u16r, u16a, n); REPORT("rshift_u16", u16r);
    wmul_s16(w32, s16a, s16b, n); REPORT("wmul_s16", w32);
    wmul_u8(w16, u8a, u8b, n); REPORT("wmul_u8", w16);
    wmul_s32(w64, s32a, s32b, n); REPORT("wmul_s32", w64);
    mul_s32(s32r, s32a, s32b, n); REPORT("mul_s32", s32r);
    narrow_s32(s16r, s32a, n); REPORT("narrow_s32", s16r);
    satnarrow_s32(s16r, s32a, n); REPORT("satnarrow_s32", s16r);
    widen_s8(w32, s8a, n); REPORT("widen_s8", w32);
    int_to_float(f32r, s32a, u32a, n);
    printf("%-14s hash=%016llx first=%a last=%a\n", "int_to_float",
           (unsigned long long)hash_bytes(f32r, sizeof f32r), f32r[0], f32r[N - 1]);
    float_to_int(s32r, f32r, n); REPORT("float_to_int", s32r);
    int64_to_double_and_back(s64r, s64a, n); REPORT("i64_f64_i64", s64r);
    copy_u8(u8r, rgb, n); REPORT("copy_u8", u8r);
    reverse_u16(u16r, u16a, n); REPORT("reverse_u16", u16r);
    reverse_s32(s32r, s32a, n); REPORT("reverse_s32", s32r);
    rgb_to_gray(gray, rgb, n); REPORT("rgb_to_gray", gray);
    rgba_swizzle(rgba_out, rgba, n); REPORT("rgba_swizzle", rgba_out);
    complex_mul_s16(pair_out, pairs, n); REPORT("cmul_s16", pair_out);
    SCALAR("popcount_u64", popcount_u64(u64a, n));
    popcount_u8(u8r, u8a, n); REPORT("popcount_u8", u8r);
    clz_u32(u32r, u32a, n); REPORT("clz_u32", u32r);
    SCALAR("sad_u8", sad_u8(u8a, u8b, n));
    avg_u8(u8r, u8a, u8b, n); REPORT("avg_u8", u8r);
    abs_s16(s16r, s16a, n); REPORT("abs_s16", s16r);
    select_s32(s32r, s32a, s32b, n); REPORT("select_s32", s32r);
    SCALAR("count_eq_u8", count_eq_u8(u8a, u8b, n));
    bitops_u32(u32r, u32a, s32b, n); REPORT("bitops_u32", u32r);
    add_s64(s64r, s64a, (const int64_t *)u64a, n); REPORT("add_s64", s64r);
    SCALAR("fletcher32", fletcher32(u16a, n));
    lut_u8(u8r, u8a, n); REPORT("lut_u8", u8r);
    string_functions();
    for (int off = 1; off < 16; off += 5) {
        copy_add_unaligned(pages + 4096 - 37 + off, pages + 8192 - 1000 + 2 * off, 4096 + 100);
        printf("%-14s off=%d hash=%016llx\n", "copy_cross", off,
               (unsigned long long)hash_bytes(pages, sizeof pages));
    }
    return 0;
}
