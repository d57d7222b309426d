/*
 * The ARMv8.1-8.2 additions and crypto extensions that a64emu advertises in
 * AT_HWCAP, as gcc -O3 -march=armv8.2-a+dotprod+fp16+crc+crypto emits
 * them: int8 dot products auto-vectorised to SDOT/UDOT, _Float16 loops
 * vectorised to half-precision FADD/FMLA/FDIV/FCVTZS (8H lanes), scalar
 * half-precision arithmetic (also under each FPCR mode, FZ16 and DN),
 * SQRDMLAH/SQRDMLSH (RDM), CRC32B/H/W/X and
 * CRC32C*, AESE/AESMC/AESD/AESIMC, and SHA256H/H2/SU0/SU1. A program built
 * this way only runs where these features exist, so it doubles as a check
 * that a64emu implements what it announces.
 */
#include <arm_acle.h>
#include <arm_neon.h>
#include "compute.h"

#define N 2048

static int8_t sa[N], sb[N];
static uint8_t ua[N], ub[N];
static _Float16 ha[N], hb[N], hc[N], hr[N];
static int16_t hi16[N];

static void fill(void)
{
    rng_seed(8202);
    for (int i = 0; i < N; i++) {
        uint64_t r = rng64();
        sa[i] = (int8_t)r;
        sb[i] = (int8_t)(r >> 8);
        ua[i] = (uint8_t)(r >> 16);
        ub[i] = (uint8_t)(r >> 24);
        ha[i] = (_Float16)((float)(int16_t)(r >> 32) / 256.0f);
        hb[i] = (_Float16)((float)(int16_t)(r >> 48) / 4096.0f);
        hc[i] = (_Float16)((float)(r % 1000) / 7.0f);
    }
    ha[0] = (_Float16)65504.0f; hb[0] = (_Float16)2.0f; /* overflows to infinity */
    ha[1] = (_Float16)6e-8f;                            /* subnormal */
}

NOINLINE static int32_t sdot(const int8_t *a, const int8_t *b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

NOINLINE static uint32_t udot(const uint8_t *a, const uint8_t *b, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += (uint32_t)a[i] * b[i];
    return s;
}

NOINLINE static void fp16_fma(_Float16 *r, const _Float16 *a, const _Float16 *b, const _Float16 *c, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] * b[i] + c[i];
}

NOINLINE static void fp16_div(_Float16 *r, const _Float16 *a, const _Float16 *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = (a[i] - b[i]) / (b[i] + (_Float16)1.0f);
}

NOINLINE static void fp16_to_int(int16_t *r, const _Float16 *a, int n)
{
    for (int i = 0; i < n; i++) r[i] = (int16_t)(a[i] * (_Float16)0.5f);
}

NOINLINE static void fp16_minmax(_Float16 *r, const _Float16 *a, const _Float16 *b, int n)
{
    for (int i = 0; i < n; i++) r[i] = a[i] > b[i] ? a[i] : b[i] * (_Float16)3.0f;
}

/* The fp16 loops under FPCR's rounding modes, FZ16 (bit 19, half-precision flush) and DN. */
static void fp16_fpcr_modes(int n)
{
    static const struct { const char *name; uint64_t fpcr; } modes[] = {
        {"RN", 0}, {"RP", 1u << 22}, {"RM", 2u << 22}, {"RZ", 3u << 22}, {"FZ16", 1u << 19},
        {"DN", 1u << 25}, {"RM+FZ16+DN", 2u << 22 | 1u << 19 | 1u << 25},
    };
    for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        uint64_t fpsr;
        __asm__ volatile("msr fpcr, %0\n\tmsr fpsr, xzr" : : "r"(modes[m].fpcr) : "memory");
        fp16_fma(hr, ha, hb, hc, n);
        uint64_t h = hash_bytes(hr, sizeof hr);
        fp16_div(hr, ha, hb, n);
        h = h * 31 + hash_bytes(hr, sizeof hr);
        fp16_to_int(hi16, ha, n);
        h = h * 31 + hash_bytes(hi16, sizeof hi16);
        __asm__ volatile("mrs %0, fpsr\n\tmsr fpcr, xzr" : "=r"(fpsr) : : "memory");
        printf("fp16 fpcr %-10s hash=%016llx fpsr=%02llx\n", modes[m].name, (unsigned long long)h,
               (unsigned long long)fpsr);
    }
}

static void show(const char *name, const void *v)
{
    uint64_t half[2];
    memcpy(half, v, 16);
    printf("%-10s %016llx %016llx\n", name, (unsigned long long)half[1], (unsigned long long)half[0]);
}

int main(void)
{
    fill();
    int n = N;
    OPAQUE(n);

    int32_t sd = 0;
    uint32_t ud = 0;
    for (int rep = 0; rep < 8; rep++) {
        sd += sdot(sa, sb, n);
        ud += udot(ua, ub, n);
    }
    printf("sdot       %d\n", sd);
    printf("udot       %u\n", ud);
    fp16_fma(hr, ha, hb, hc, n);
    printf("fp16_fma   hash=%016llx first=%a last=%a\n", (unsigned long long)hash_bytes(hr, sizeof hr),
           (double)hr[0], (double)hr[N - 1]);
    fp16_div(hr, ha, hb, n);
    printf("fp16_div   hash=%016llx first=%a last=%a\n", (unsigned long long)hash_bytes(hr, sizeof hr),
           (double)hr[0], (double)hr[N - 1]);
    fp16_to_int(hi16, hc, n);
    printf("fp16_int   hash=%016llx first=%d last=%d\n", (unsigned long long)hash_bytes(hi16, sizeof hi16),
           hi16[0], hi16[N - 1]);
    fp16_minmax(hr, ha, hb, n);
    printf("fp16_max   hash=%016llx first=%a last=%a\n", (unsigned long long)hash_bytes(hr, sizeof hr),
           (double)hr[0], (double)hr[N - 1]);

    fp16_fpcr_modes(n);

    volatile _Float16 x = (_Float16)1.0f, y = (_Float16)3.0f;
    _Float16 q = x / y;
    printf("fp16 scalar %a %a %a\n", (double)q, (double)(q * y), (double)(_Float16)((float)x / 3.0f + 2048.0f));

    int16x8_t h0 = vld1q_s16(hi16), h1 = vld1q_s16(hi16 + 8), h2 = vld1q_s16((const int16_t *)ha);
    int16x8_t mla = vqrdmlahq_s16(h2, h0, vshlq_n_s16(h1, 6));
    int16x8_t mls = vqrdmlshq_s16(h2, vshlq_n_s16(h0, 7), vshlq_n_s16(h1, 7));
    int32x4_t w0 = vld1q_s32((const int32_t *)ua), w1 = vld1q_s32((const int32_t *)ub);
    int32x4_t mlal = vqrdmlahq_laneq_s32(w0, w1, w0, 1);
    show("sqrdmlah", &mla);
    show("sqrdmlsh", &mls);
    show("sqrdmlah.s", &mlal);
    int32x4_t dl = vdotq_laneq_s32(w0, vld1q_s8(sa), vld1q_s8(sb), 2);
    show("sdot.lane", &dl);

    uint32_t crc = 0xffffffff, crcc = 0xffffffff;
    for (int i = 0; i < N; i += 8) {
        uint64_t chunk;
        memcpy(&chunk, ua + i, 8);
        crc = __crc32d(crc, chunk);
        crc = __crc32b(crc, ub[i]);
        crc = __crc32h(crc, (uint16_t)hi16[i]);
        crcc = __crc32cw(crcc, (uint32_t)chunk);
        crcc = __crc32cb(crcc, ua[i + 5]);
        crcc = __crc32cd(crcc, chunk ^ 0x0123456789abcdefull);
    }
    printf("crc32      %08x crc32c %08x\n", crc, crcc);

    uint8x16_t state = vld1q_u8(ua), key = vld1q_u8(ub);
    for (int round = 0; round < 10; round++) {
        state = vaesmcq_u8(vaeseq_u8(state, key));
        key = veorq_u8(vextq_u8(key, key, 3), vdupq_n_u8((uint8_t)round));
    }
    show("aes enc", &state);
    for (int round = 0; round < 10; round++) state = vaesimcq_u8(vaesdq_u8(state, key));
    show("aes dec", &state);

    uint32x4_t abcd = vld1q_u32((const uint32_t *)ua + 8), efgh = vld1q_u32((const uint32_t *)ub + 8);
    uint32x4_t m0 = vld1q_u32((const uint32_t *)ua + 16), m1 = vld1q_u32((const uint32_t *)ua + 20),
               m2 = vld1q_u32((const uint32_t *)ua + 24), m3 = vld1q_u32((const uint32_t *)ua + 28);
    for (int round = 0; round < 16; round++) {
        uint32x4_t wk = vaddq_u32(m0, vdupq_n_u32(0x428a2f98u + (uint32_t)round));
        uint32x4_t abcd_saved = abcd;
        abcd = vsha256hq_u32(abcd, efgh, wk);
        efgh = vsha256h2q_u32(efgh, abcd_saved, wk);
        uint32x4_t next = vsha256su1q_u32(vsha256su0q_u32(m0, m1), m2, m3);
        m0 = m1; m1 = m2; m2 = m3; m3 = next;
    }
    show("sha256 abcd", &abcd);
    show("sha256 efgh", &efgh);
    return 0;
}
