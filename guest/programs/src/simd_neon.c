/*
 * Advanced SIMD through arm_neon.h intrinsics, for the instructions that
 * auto-vectorised loops rarely reach: table lookups (TBL/TBX with one to
 * four registers), permutes (ZIP/UZP/TRN/EXT/REV), structure loads with
 * replicate and lane forms (LD1R/LD2R/LD3 lane/LD4), saturating and rounding
 * arithmetic (SQRDMULH, SQDMULL, SQRSHRUN, UQRSHL, SQSHLU, SRSRA), narrowing
 * high halves (ADDHN/RADDHN), shift-insert (SLI/SRI), polynomial multiply
 * (PMUL/PMULL), bit ops (RBIT/CLS/CNT/BIT), reciprocal estimates and steps
 * (FRECPE/FRECPS/FRSQRTE/URECPE), conversions with rounding and fixed point
 * (FCVTNS/FCVTMU/FCVTAS, SCVTF #fbits, FCVTXN), pairwise and across-lane
 * reductions (FMAXNMV/ADDP/UADDLV/SADALP), and scalar saturating forms.
 *
 * Each line is one instruction family: the result's 128 bits for fixed
 * random inputs (two 64-bit halves, high first), then a hash of its results
 * over 400 more rounds of inputs in which a quarter of the lanes are
 * extremes: zeros, infinities, quiet and signalling NaNs, subnormals,
 * INT_MIN/INT_MAX and values at the edge of each conversion.
 */
#include <arm_neon.h>
#include "compute.h"

static uint8_t bytes[256];
static int16_t halves[64];
static int32_t words[32];
static float floats[32];
static double doubles[16];

#define ROUNDS 400

static const float special_f[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 2.5f, -3.5f, 1e-40f, -1e-45f, 1.17549435e-38f,
                                  3.4028235e38f, -3.4028235e38f, 8388608.5f, 2147483648.0f, -2147483904.0f,
                                  __builtin_inff(), -__builtin_inff(), __builtin_nanf(""), -__builtin_nanf("7"),
                                  __builtin_nansf("1")};
static const double special_d[] = {0.0, -0.0, 1.0, -1.5, 0x1p-1030, -5e-324, 2.2250738585072014e-308,
                                   1.7976931348623157e308, 9.2233720368547758e18, -9.2233720368547758e18,
                                   1.8446744073709552e19, 4503599627370496.5, __builtin_inf(), -__builtin_inf(),
                                   __builtin_nan(""), __builtin_nans("3"), 3.4028235677973366e38, 1e-320};
static const int64_t special_i[] = {0, 1, -1, INT8_MIN, INT8_MAX, INT16_MIN, INT16_MAX, INT32_MIN, INT32_MAX,
                                    INT64_MIN, INT64_MAX, 0x8000, 0xff, 0x7fff8000, 0x10000};

/* Round 0: plain random inputs with a few extremes; later rounds: a quarter of the lanes special. */
static void fill(int round)
{
    if (round == 0) rng_seed(4242);
    for (int i = 0; i < 256; i++) bytes[i] = (uint8_t)rng64();
    for (int i = 0; i < 64; i++) halves[i] = (int16_t)rng64();
    for (int i = 0; i < 32; i++) words[i] = (int32_t)rng64();
    for (int i = 0; i < 32; i++) floats[i] = (float)(int32_t)rng64() / 65536.0f;
    for (int i = 0; i < 16; i++) doubles[i] = (double)(int64_t)rng64() / 4294967296.0;
    if (round == 0) {
        halves[0] = INT16_MIN; halves[1] = INT16_MAX; words[0] = INT32_MIN; words[1] = INT32_MAX;
        floats[0] = -0.0f; floats[1] = 1e-40f; floats[2] = 2.5f; floats[3] = -3.5f;
        doubles[0] = 0x1p-1030; doubles[1] = -1.5;
        return;
    }
#define PICK(array) array[rng64() % (sizeof array / sizeof array[0])]
    for (int i = 0; i < 64; i++) if (rng64() % 4 == 0) halves[i] = (int16_t)PICK(special_i);
    for (int i = 0; i < 32; i++) if (rng64() % 4 == 0) words[i] = (int32_t)PICK(special_i);
    for (int i = 0; i < 32; i++) if (rng64() % 4 == 0) floats[i] = PICK(special_f);
    for (int i = 0; i < 16; i++) if (rng64() % 4 == 0) doubles[i] = PICK(special_d);
    for (int i = 0; i < 32; i++) if (rng64() % 4 == 0) bytes[i] = (uint8_t)PICK(special_i);
#undef PICK
}

/*
 * One family's results: its name, its value in round 0 (a 64- or 128-bit
 * vector or a scalar) and a hash over all rounds.
 */
static struct { const char *name; uint64_t first[2]; uint64_t hash; } results[160];
static int slot;

static void show_bytes(const char *name, const void *v, size_t size)
{
    uint64_t half[2] = {0, 0};
    memcpy(half, v, size);
    if (results[slot].name == NULL) {
        results[slot].name = name;
        memcpy(results[slot].first, half, sizeof half);
    }
    results[slot].hash = results[slot].hash * 0x100000001b3ull ^ hash_bytes(half, sizeof half);
    slot++;
}

#define SHOW(name, v) \
    do { \
        __typeof__(v) value_ = (v); \
        show_bytes(name, &value_, sizeof value_); \
    } while (0)

static void families(void)
{
    uint8x16_t b0 = vld1q_u8(bytes), b1 = vld1q_u8(bytes + 16), b2 = vld1q_u8(bytes + 32),
               b3 = vld1q_u8(bytes + 48);
    uint8x16_t idx = vandq_u8(vld1q_u8(bytes + 64), vdupq_n_u8(0x3f)); /* 0..63: out of range for TBL1-3 */
    int16x8_t h0 = vld1q_s16(halves), h1 = vld1q_s16(halves + 8);
    int32x4_t w0 = vld1q_s32(words), w1 = vld1q_s32(words + 4);
    float32x4_t f0 = vld1q_f32(floats), f1 = vld1q_f32(floats + 4);
    float64x2_t d0 = vld1q_f64(doubles), d1 = vld1q_f64(doubles + 2);

    /* Table lookups: TBL zeroes out-of-range lanes, TBX keeps the destination. */
    uint8x16x2_t t2 = {{b0, b1}};
    uint8x16x3_t t3 = {{b0, b1, b2}};
    uint8x16x4_t t4 = {{b0, b1, b2, b3}};
    SHOW("tbl1", vqtbl1q_u8(b0, idx));
    SHOW("tbl2", vqtbl2q_u8(t2, idx));
    SHOW("tbl3", vqtbl3q_u8(t3, idx));
    SHOW("tbl4", vqtbl4q_u8(t4, idx));
    SHOW("tbx1", vqtbx1q_u8(b3, b0, idx));
    SHOW("tbx4", vqtbx4q_u8(b2, t4, idx));
    SHOW("tbl1_8b", (vqtbl1_u8(b1, vget_low_u8(idx))));

    /* Permutes. */
    SHOW("zip1", vzip1q_u8(b0, b1));
    SHOW("zip2", vzip2q_u8(b0, b1));
    SHOW("uzp1.8h", (vuzp1q_s16(h0, h1)));
    SHOW("uzp2.4s", (vuzp2q_s32(w0, w1)));
    SHOW("trn1.16b", (vtrn1q_u8(b0, b1)));
    SHOW("trn2.2d", (vtrn2q_f64(d0, d1)));
    SHOW("ext#5", vextq_u8(b0, b1, 5));
    SHOW("rev64.16b", vrev64q_u8(b0));
    SHOW("rev32.8h", (vrev32q_s16(h0)));
    SHOW("rev16", vrev16q_u8(b1));

    /* Structure loads: replicate and lane forms. */
    SHOW("ld1r", vld1q_dup_u8(bytes + 7));
    int16x8x2_t l2 = vld2q_dup_s16(halves + 3);
    SHOW("ld2r.0", (l2.val[0]));
    SHOW("ld2r.1", (l2.val[1]));
    int32x4x3_t l3 = {{w0, w1, w0}};
    l3 = vld3q_lane_s32(words + 20, l3, 2);
    SHOW("ld3lane.0", (l3.val[0]));
    SHOW("ld3lane.2", (l3.val[2]));
    uint8x16x4_t l4 = vld4q_u8(bytes + 100);
    SHOW("ld4.3", l4.val[3]);
    uint8_t stored[64];
    vst3q_u8(stored, t3);
    SHOW("st3", vld1q_u8(stored + 16));
    vst4q_lane_u8(stored, l4, 9);
    SHOW("st4lane", (vld1_u8(stored)));

    /* Saturating and rounding arithmetic. */
    SHOW("sqrdmulh", (vqrdmulhq_s16(h0, h1)));
    SHOW("sqdmulh.s", (vqdmulhq_laneq_s32(w0, w1, 3)));
    SHOW("sqdmull", (vqdmull_s16(vget_low_s16(h0), vget_low_s16(h1))));
    SHOW("sqdmlal2", (vqdmlal_high_s32(vreinterpretq_s64_s32(w1), w0, w1)));
    SHOW("sqadd", (vqaddq_s16(h0, h1)));
    SHOW("uqsub", (vqsubq_u8(b0, b1)));
    SHOW("sqabs", (vqabsq_s16(h0)));
    SHOW("sqneg", (vqnegq_s32(w0)));
    SHOW("suqadd", (vuqaddq_s8(vreinterpretq_s8_u8(b0), b1)));
    SHOW("usqadd", (vsqaddq_u8(b0, vreinterpretq_s8_u8(b1))));
    SHOW("sqrshrun", (vqrshrun_n_s16(h0, 5)));
    SHOW("uqrshrn", (vqrshrn_n_u32(vreinterpretq_u32_s32(w1), 9)));
    SHOW("sqxtun", (vqmovun_s32(w0)));
    SHOW("uqrshl", (vqrshlq_u16(vreinterpretq_u16_s16(h0), vshrq_n_s16(h1, 12))));
    SHOW("sqshlu", (vqshluq_n_s8(vreinterpretq_s8_u8(b2), 3)));
    SHOW("srshl", (vrshlq_s32(w0, vshrq_n_s32(w1, 27))));
    SHOW("srsra", (vrsraq_n_s16(h0, h1, 3)));
    SHOW("ursra.2d", (vrsraq_n_u64(vreinterpretq_u64_s32(w0), vreinterpretq_u64_s32(w1), 17)));
    SHOW("rshrn", (vrshrn_n_u16(vreinterpretq_u16_s16(h1), 7)));
    SHOW("addhn", (vaddhn_s32(w0, w1)));
    SHOW("raddhn", (vraddhn_s32(w0, w1)));
    SHOW("shadd", (vhaddq_u8(b0, b1)));
    SHOW("uhsub", (vhsubq_u16(vreinterpretq_u16_s16(h0), vreinterpretq_u16_s16(h1))));
    SHOW("saba", (vabaq_s16(h0, h1, vrev64q_s16(h1))));
    SHOW("sabdl2", (vabdl_high_s16(h0, h1)));
    SHOW("sli#3", (vsliq_n_u8(b0, b1, 3)));
    SHOW("sri#5", (vsriq_n_u32(vreinterpretq_u32_s32(w0), vreinterpretq_u32_s32(w1), 5)));
    SHOW("cmtst", (vtstq_s16(h0, h1)));
    SHOW("bit", (vbslq_u8(b2, b0, b1)));

    /* Polynomial multiply and bit counting. */
    SHOW("pmul", (vmulq_p8(vreinterpretq_p8_u8(b0), vreinterpretq_p8_u8(b1))));
    SHOW("pmull", (vmull_p8(vreinterpret_p8_u8(vget_low_u8(b0)), vreinterpret_p8_u8(vget_low_u8(b1)))));
    SHOW("pmull2", (vmull_high_p8(vreinterpretq_p8_u8(b0), vreinterpretq_p8_u8(b1))));
    SHOW("rbit", vrbitq_u8(b0));
    SHOW("cls", (vclsq_s16(h0)));
    SHOW("clz.4s", (vclzq_u32(vreinterpretq_u32_s32(w1))));
    SHOW("cnt", vcntq_u8(b1));

    /* Reductions. */
    SHOW("addv.16b", vaddvq_u8(b0));
    SHOW("addv.8h", vaddvq_s16(h0));
    SHOW("uaddlv", vaddlvq_u8(b1));
    SHOW("smaxv", vmaxvq_s32(w0));
    SHOW("uaddlv.4s", vaddlvq_u32(vreinterpretq_u32_s32(w1)));
    SHOW("sadalp", (vpadalq_s16(w0, h1)));
    SHOW("addp", (vpaddq_s16(h0, h1)));
    SHOW("uminp", (vpminq_u8(b0, b1)));
    SHOW("fmaxnmv", vmaxnmvq_f32(f0));
    SHOW("fminv", vminvq_f32(f1));
    SHOW("faddp.d", vpaddd_f64(d0));
    SHOW("faddv", vaddvq_f32(f1));

    /* Floating point: estimates, steps, rounding conversions, fixed point. */
    SHOW("frecpe", (vrecpeq_f32(f1)));
    SHOW("frecps", (vrecpsq_f32(f0, f1)));
    SHOW("frsqrte", (vrsqrteq_f32(vabsq_f32(f1))));
    SHOW("frsqrts", (vrsqrtsq_f64(d0, d1)));
    SHOW("urecpe", (vrecpeq_u32(vreinterpretq_u32_s32(w1))));
    SHOW("ursqrte", (vrsqrteq_u32(vreinterpretq_u32_s32(w0))));
    SHOW("frecpx", (vcombine_f64(vdup_n_f64(vrecpxd_f64(vgetq_lane_f64(d1, 0))), vdup_n_f64(0))));
    SHOW("fcvtns", (vcvtnq_s32_f32(f0)));
    SHOW("fcvtmu", (vcvtmq_u32_f32(f1)));
    SHOW("fcvtas", (vcvtaq_s64_f64(d1)));
    SHOW("fcvtps", (vcvtpq_s32_f32(f1)));
    SHOW("scvtf#16", (vcvtq_n_f32_s32(w1, 16)));
    SHOW("fcvtzs#8", (vcvtq_n_s32_f32(f1, 8)));
    SHOW("ucvtf#40", (vcvtq_n_f64_u64(vreinterpretq_u64_s32(w0), 40)));
    SHOW("fcvtxn", (vcvtx_f32_f64(d1)));
    SHOW("fcvtn", (vcvt_high_f32_f64(vget_low_f32(f0), d0)));
    SHOW("fmulx", (vmulxq_f32(f0, f1)));
    SHOW("fmla.lane", (vfmaq_laneq_f32(f0, f1, f0, 2)));
    SHOW("fmls.2d", (vfmsq_f64(d0, d1, d1)));
    SHOW("fabd", (vabdq_f32(f0, f1)));
    SHOW("facgt", (vcagtq_f32(f0, f1)));
    SHOW("fcmle0", (vclezq_f64(d1)));
    SHOW("frintn", (vrndnq_f32(f1)));
    SHOW("frinti", (vrndiq_f64(d1)));
    SHOW("fmaxnmp", (vpmaxnmq_f32(f0, f1)));
    SHOW("fminp.2d", (vpminq_f64(d0, d1)));

    /* Scalar (one lane) saturating forms. */
    SHOW("sqadd.h", vqaddh_s16(halves[4], halves[9]));
    SHOW("sqrdmulh.s", vqrdmulhs_s32(words[0], words[2]));
    SHOW("sqxtn.s", vqmovns_s32(words[5]));
    SHOW("sqdmull.s", vqdmulls_s32(words[0], words[3]));
    SHOW("sqshl.b", vqshlb_s8((int8_t)bytes[3], 4));
    SHOW("uqsub.b", vqsubb_u8(bytes[1], bytes[2]));
    SHOW("srshr.d", vrshrd_n_s64(words[7], 9));
    SHOW("uqrshrn.d", vqrshrnd_n_u64((uint64_t)words[8] << 20, 12));
    SHOW("fcvtzs.s", vcvts_n_s32_f32(floats[5], 3));
    SHOW("fcvtau.d", vcvtad_u64_f64(doubles[3]));
    SHOW("fcmp.d", (uint64_t)(doubles[4] < doubles[5]) | (uint64_t)(doubles[4] == doubles[5]) << 1);
}

int main(void)
{
    for (int round = 0; round <= ROUNDS; round++) {
        fill(round);
        slot = 0;
        families();
    }
    for (int i = 0; i < slot; i++)
        printf("%-10s %016llx %016llx rounds=%016llx\n", results[i].name, (unsigned long long)results[i].first[1],
               (unsigned long long)results[i].first[0], (unsigned long long)results[i].hash);
    return 0;
}
