/*
 * Floating-point text in and out through glibc, and the rounding modes and
 * exception flags underneath it: printf in %e/%f/%g/%a and %.17g for
 * ordinary, extreme, subnormal and special values; strtod/strtof of decimal
 * and hexadecimal strings, halfway cases, overflow and underflow (with
 * errno); arithmetic, conversions and printf under each of fesetround's four
 * modes (FPCR.RMode); and which fetestexcept flags (FPSR) each operation
 * raises. Every line is one case.
 */
#include <errno.h>
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double values[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456.789, -9876543.21e-7,
    1e21, 1e22, 1e23, 5e-324, 2.2250738585072009e-308, 2.2250738585072014e-308,
    DBL_MAX, -DBL_MIN, 0.5, 1.5, 2.5, 1e-5, 123.456e100, 4.35, 0.015, 1.005,
    9007199254740993.0, INFINITY, -INFINITY, NAN, -NAN,
};

static const char *const inputs[] = {
    "0", "-0", "1e-400", "-1e-400", "4.9406564584124654e-324", "2.4703282292062328e-324",
    "2.4703282292062327e-324", "1.7976931348623157e308", "1.7976931348623159e308", "1e309",
    "0x1.fffffffffffffp1023", "0x1p-1074", "0x1.8p-1075", "0x1p-1075", "0X1.ABCDEFp+10",
    "inf", "-Infinity", "nan", "NAN(123)", "  +3.25xyz", "9007199254740993", "9007199254740995",
    "0.1e1", ".5", "5.", "1e+", "-.e1", "123456789012345678901234567890e-30",
    "2.2250738585072011e-308", "0.30000000000000004", "3.4028235677973366e38", "1.4e-45", "7e-46",
};

static const char *flags(void)
{
    static char text[64];
    int f = fetestexcept(FE_ALL_EXCEPT);
    snprintf(text, sizeof text, "%s%s%s%s%s%s", f ? "" : "none",
             f & FE_INVALID ? " invalid" : "", f & FE_DIVBYZERO ? " divbyzero" : "",
             f & FE_OVERFLOW ? " overflow" : "", f & FE_UNDERFLOW ? " underflow" : "",
             f & FE_INEXACT ? " inexact" : "");
    return text;
}

static void print_values(void)
{
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        double v = values[i];
        printf("printf[%2u] %.17g | %e | %.3f | %g | %a | %.0f | %+.1e | %10.4g|\n", i, v, v, v, v, v, v, v,
               v);
        float f = (float)v;
        printf("  float    %.9g | %a | %.2f\n", f, f, f);
    }
    printf("long double %.21Lg %La\n", 1.0L / 3.0L, 1.0L / 3.0L);
    printf("precision  %.40f\n", 0.1);
    printf("precision  %.60e\n", 5e-324);
    printf("big        %f\n", 1e300);
}

static void parse_inputs(void)
{
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        errno = 0;
        feclearexcept(FE_ALL_EXCEPT);
        double d = strtod(inputs[i], &end);
        int derr = errno;
        errno = 0;
        float f = strtof(inputs[i], NULL);
        int ferr = errno;
        printf("strtod %-32s -> %-24a used %2d errno %-6s | strtof %a errno %s\n", inputs[i], d,
               (int)(end - inputs[i]), derr == ERANGE ? "ERANGE" : derr ? "other" : "0", f,
               ferr == ERANGE ? "ERANGE" : ferr ? "other" : "0");
    }
}

static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
static const char *const mode_names[] = {"nearest", "upward", "downward", "towardzero"};

static void rounding_modes(void)
{
    volatile double one = 1.0, three = 3.0, big = 1e308, tiny = 1e-308, m = -2.5, h = 0.5;
    volatile float fone = 1.0f, fthree = 3.0f;
    volatile double conv = 1.0 + 0x1p-30;
    volatile long long i53 = (1LL << 53) + 1;
    for (int k = 0; k < 4; k++) {
        if (fesetround(modes[k]) != 0) printf("fesetround %s failed\n", mode_names[k]);
        printf("mode %-10s getround ok=%d\n", mode_names[k], fegetround() == modes[k]);
        printf("  1/3        %a  -1/3 %a\n", one / three, -one / three);
        printf("  1f/3f      %a\n", (double)(fone / fthree));
        printf("  sqrt(2)    %a  sqrt(3) %a\n", sqrt(2.0 * one), sqrt(three));
        printf("  fma        %a\n", fma(one / three, three, -one));
        printf("  big*10     %a  tiny/1e10 %a\n", big * 10.0, tiny / 1e10);
        printf("  (float)    %a  %a\n", (double)(float)conv, (double)(float)-conv);
        printf("  i64->dbl   %a  u64->flt %a\n", (double)i53, (double)(float)(unsigned long long)i53);
        printf("  rint       %g %g %g %g  nearbyint %g\n", rint(m), rint(h), rint(-h), rint(1.5 * one),
               nearbyint(m));
        printf("  lrint      %ld %ld %ld  llrint %lld  lround %ld\n", lrint(m), lrint(h), lrint(3.5 * one),
               llrint(-1e15 - 0.5), lround(m));
        printf("  printf     %.2f %.2f %.0f %.3e %.1f\n", 1.005, -1.005, 2.5, 1.0 / 3.0, 0.25);
        printf("  strtod     %a %a\n", strtod("0.1", NULL), strtod("-1e-400", NULL));
        printf("  (int)      %d %d\n", (int)(m * one), (int)(-m * one));
    }
    fesetround(FE_TONEAREST);
}

static void exception_flags(void)
{
    volatile double zero = 0.0, one = 1.0, big = DBL_MAX, tiny = DBL_MIN, inf = INFINITY, nan = NAN;
    volatile float fbig = 3e38f;
    volatile double r;
    volatile long long ll;
    volatile int iv;

#define CASE(text, expr) \
    do { \
        feclearexcept(FE_ALL_EXCEPT); \
        expr; \
        printf("flags %-22s %s\n", text, flags()); \
    } while (0)

    CASE("1+1", r = one + one);
    CASE("1/3", r = one / 3.0);
    CASE("1/0", r = one / zero);
    CASE("0/0", r = zero / zero);
    CASE("inf-inf", r = inf - inf);
    CASE("max*2", r = big * 2.0);
    CASE("min/3", r = tiny / 3.0);
    CASE("min/2", r = tiny / 2.0);
    CASE("min*0.5 exact", r = tiny * 0.25 * 4.0);
    CASE("sqrt(-1)", r = sqrt(-one));
    CASE("nan<1", iv = nan < one);
    CASE("nan==1", iv = nan == one);
    CASE("(int)1e10", iv = (int)(1e10 * one));
    CASE("(int)nan", iv = (int)nan);
    CASE("(int)2.5", iv = (int)(2.5 * one));
    CASE("(long long)inf", ll = (long long)inf);
    CASE("(float)max", r = (float)big);
    CASE("(float)1e-40", r = (float)(1e-40 * one));
    CASE("(float)3e38*10", r = fbig * 10.0f);
    CASE("fma(max,2,-max)", r = fma(big, 2.0, -big));
    CASE("rint(2.5)", r = rint(2.5 * one));
    CASE("nearbyint(2.5)", r = nearbyint(2.5 * one));
    CASE("log(0)", r = log(zero));
    CASE("exp(1000)", r = exp(1000.0 * one));
    CASE("exp(-1000)", r = exp(-1000.0 * one));
    (void)r;
    (void)ll;
    (void)iv;
#undef CASE
}

static void environment(void)
{
    fenv_t env;
    feclearexcept(FE_ALL_EXCEPT);
    volatile double one = 1.0;
    volatile double r = one / 3.0;
    fegetenv(&env);
    fesetround(FE_UPWARD);
    feraiseexcept(FE_OVERFLOW);
    printf("env: before fesetenv round=%s flags=%s\n", fegetround() == FE_UPWARD ? "upward" : "other", flags());
    fesetenv(&env);
    printf("env: after fesetenv round=%s flags=%s\n", fegetround() == FE_TONEAREST ? "nearest" : "other", flags());
    fexcept_t saved;
    fegetexceptflag(&saved, FE_INEXACT);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_INEXACT);
    printf("env: restored flag %s\n", flags());
    (void)r;
}

int main(void)
{
    print_values();
    parse_inputs();
    rounding_modes();
    exception_flags();
    environment();
    return 0;
}
