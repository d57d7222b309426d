/*
 * glibc's libm over many inputs, printed exactly (%a): the elementary
 * functions are long chains of FMADD, FCVT, FRINT, integer/FP moves and
 * table loads, so a single wrong rounding or flag anywhere shows up as a
 * changed last bit. For each function a few named inputs (zeros, infinities,
 * NaN, huge, tiny, near singularities) are printed one a line, then a hash of
 * the results over 2,000 spread inputs.
 */
#define _GNU_SOURCE /* sincos */
#include <math.h>
#include <stdlib.h>
#include "compute.h"

#define SPREAD 2000

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef float (*fn1f)(float);

static const double probes[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.141592653589793, 1e-300, 5e-324, 1e300,
                                -710.5, 709.78, 1e22, 0x1.921fb54442d18p+0, INFINITY, -INFINITY, NAN};

static double spread(int i)
{
    /* Values from 1e-6 to 1e6 with both signs and a fixed fraction pattern. */
    double m = 1.0 + (double)((i * 2654435761u) % 100000u) / 100000.0;
    double x = ldexp(m, (i % 41) - 20);
    return (i & 1) ? -x : x;
}

static void one(const char *name, fn1 f, int positive_only)
{
    printf("%s:", name);
    for (unsigned k = 0; k < sizeof probes / sizeof probes[0]; k++) printf(" %a", f(probes[k]));
    printf("\n");
    uint64_t h = 0;
    double last = 0;
    for (int i = 0; i < SPREAD; i++) {
        double x = spread(i);
        if (positive_only) x = fabs(x);
        last = f(x);
        h = h * 31 + hash_bytes(&last, sizeof last);
    }
    printf("%s: hash=%016llx last=%a\n", name, (unsigned long long)h, last);
}

static void one_f(const char *name, fn1f f)
{
    printf("%s:", name);
    for (unsigned k = 0; k < sizeof probes / sizeof probes[0]; k++) printf(" %a", (double)f((float)probes[k]));
    printf("\n");
    uint64_t h = 0;
    float last = 0;
    for (int i = 0; i < SPREAD; i++) {
        last = f((float)spread(i));
        h = h * 31 + hash_bytes(&last, sizeof last);
    }
    printf("%s: hash=%016llx last=%a\n", name, (unsigned long long)h, (double)last);
}

static void two(const char *name, fn2 f)
{
    static const double pairs[][2] = {{2, 10}, {2, 0.5}, {-8, 1.0 / 3}, {0, -1}, {-0.0, -3}, {1, NAN}, {NAN, 0},
                                      {10, 308}, {10, 309}, {0.5, 1075}, {-1, INFINITY}, {3, -2}, {1e-300, 1e-300}};
    printf("%s:", name);
    for (unsigned k = 0; k < sizeof pairs / sizeof pairs[0]; k++) printf(" %a", f(pairs[k][0], pairs[k][1]));
    printf("\n");
    uint64_t h = 0;
    double last = 0;
    for (int i = 0; i < SPREAD; i++) {
        last = f(fabs(spread(i)) * 0.01, spread(i * 7 + 3) * 0.001);
        h = h * 31 + hash_bytes(&last, sizeof last);
    }
    printf("%s: hash=%016llx last=%a\n", name, (unsigned long long)h, last);
}

/*
 * long double is IEEE binary128 on AArch64, computed in software (libgcc's
 * soft-fp and glibc's ldbl-128): long integer arithmetic, shifts and CLZ.
 */
static void quad(void)
{
    static const long double xs[] = {0.5L, 1.0L, 2.0L, 3.0L, 10.0L, 0.1L, 1e-4000L, 1e4000L, -7.25L};
    typedef long double (*fnl)(long double);
    static const struct { const char *name; fnl f; } fs[] = {
        {"sqrtl", sqrtl}, {"expl", expl}, {"logl", logl}, {"sinl", sinl}, {"cbrtl", cbrtl}, {"tanhl", tanhl},
    };
    for (unsigned k = 0; k < sizeof fs / sizeof fs[0]; k++) {
        printf("%s:", fs[k].name);
        for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) printf(" %La", fs[k].f(xs[i]));
        printf("\n");
    }
    long double acc = 1.0L;
    for (int i = 1; i < 200; i++) acc = acc * (long double)i / (long double)(i + 1) + 1.0L / (long double)i;
    printf("quad arithmetic: %La %.30Lg\n", acc, acc);
    printf("quad powl: %La strtold: %La\n", powl(3.0L, 0.5L), strtold("0.3333333333333333333333333333333333", NULL));
    printf("quad conversions: %lld %a %La\n", (long long)(acc * 1e15L), (double)acc, (long double)0x1p-1074);
}

static double fma_fixed(double x) { return fma(x, 1.0 / 3.0, -x * 0.3333333333333333); }
static double lrint_d(double x) { return (double)lrint(fmin(fmax(x, -1e15), 1e15)); }
static double lround_d(double x) { return (double)llround(fmin(fmax(x, -1e15), 1e15)); }
static double frexp_d(double x) { int e; double m = frexp(x, &e); return m + e; }
static double ldexp_d(double x) { return ldexp(x, 700) + ldexp(x, -1070); }
static double modf_d(double x) { double ip; double f = modf(x, &ip); return f * 4 + ip; }
static double ilogb_d(double x) { return (double)ilogb(x); }

int main(void)
{
    one("sin", sin, 0);
    one("cos", cos, 0);
    one("tan", tan, 0);
    one("asin", asin, 0);
    one("acos", acos, 0);
    one("atan", atan, 0);
    one("sinh", sinh, 0);
    one("cosh", cosh, 0);
    one("tanh", tanh, 0);
    one("asinh", asinh, 0);
    one("exp", exp, 0);
    one("exp2", exp2, 0);
    one("expm1", expm1, 0);
    one("log", log, 1);
    one("log2", log2, 1);
    one("log10", log10, 1);
    one("log1p", log1p, 1);
    one("sqrt", sqrt, 1);
    one("cbrt", cbrt, 0);
    one("erf", erf, 0);
    one("erfc", erfc, 0);
    one("lgamma", lgamma, 0);
    one("tgamma", tgamma, 0);
    one("floor", floor, 0);
    one("ceil", ceil, 0);
    one("round", round, 0);
    one("trunc", trunc, 0);
    one("rint", rint, 0);
    one("fma", fma_fixed, 0);
    one("lrint", lrint_d, 0);
    one("llround", lround_d, 0);
    one("frexp", frexp_d, 0);
    one("ldexp", ldexp_d, 0);
    one("modf", modf_d, 0);
    one("ilogb", ilogb_d, 0);
    one_f("sinf", sinf);
    one_f("cosf", cosf);
    one_f("expf", expf);
    one_f("logf", logf);
    one_f("sqrtf", sqrtf);
    one_f("tanhf", tanhf);
    two("pow", pow);
    two("atan2", atan2);
    two("hypot", hypot);
    two("fmod", fmod);
    two("remainder", remainder);
    two("fdim", fdim);
    two("copysign", copysign);
    two("nextafter", nextafter);
    double s, c;
    sincos(1e6, &s, &c);
    printf("sincos(1e6): %a %a\n", s, c);
    int q;
    double r = remquo(10.3, 3.1, &q);
    printf("remquo(10.3,3.1): %a %d\n", r, q);
    quad();
    return 0;
}
