/* The workload of an ordinary C program: heap allocation through brk and
 * mmap (a 4 MiB block is above glibc's mmap threshold), qsort, the string
 * functions (glibc picks SIMD versions of them at start-up), and printf of
 * doubles, which needs the floating-point unit and long division of
 * multi-precision numbers. Every value is derived from a fixed seed, so the
 * output is the same on every machine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 5000

static uint32_t lcg_state = 12345;

/* Numerical Recipes' 32-bit linear congruential generator. */
static uint32_t lcg_next(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *) a, y = *(const int *) b;
    return (x > y) - (x < y);
}

/* FNV-1a over a byte range: a checksum that reads every byte. */
static uint32_t fnv1a(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static void heap(void)
{
    /* A 4 MiB block (mmap), filled and checked end to end. */
    size_t big_len = 4u << 20;
    unsigned char *big = malloc(big_len);
    if (big == NULL) {
        printf("malloc(4 MiB) failed\n");
        exit(1);
    }
    for (size_t i = 0; i < big_len; i++)
        big[i] = (unsigned char) (i * 7 + (i >> 12));
    printf("4 MiB block: checksum %08x\n", fnv1a(big, big_len));

    /* Many smaller blocks from the brk heap, over 2 MiB in all, freed in an
     * interleaved order so that free lists and coalescing are exercised. */
    enum { BLOCKS = 96 };
    unsigned char *blocks[BLOCKS];
    size_t total = 0;
    for (int i = 0; i < BLOCKS; i++) {
        size_t len = 16384 + (size_t) (i % 8) * 2048;
        blocks[i] = malloc(len);
        memset(blocks[i], i, len);
        total += len;
    }
    uint32_t sum = 0;
    for (int i = 0; i < BLOCKS; i++)
        sum += blocks[i][i * 13 % 16384] + blocks[i][0];
    printf("%d blocks, %zu bytes, byte sum %u\n", BLOCKS, total, sum);
    for (int i = 0; i < BLOCKS; i += 2)
        free(blocks[i]);
    for (int i = 1; i < BLOCKS; i += 2)
        free(blocks[i]);

    unsigned char *again = calloc(1u << 20, 1);
    size_t nonzero = 0;
    for (size_t i = 0; i < (1u << 20); i++)
        nonzero += again[i] != 0;
    printf("calloc(1 MiB) after free: %zu non-zero bytes\n", nonzero);
    free(again);

    big = realloc(big, 6u << 20);
    printf("realloc to 6 MiB keeps the data: checksum %08x\n", fnv1a(big, big_len));
    free(big);
}

static void sorting(void)
{
    int *values = malloc(COUNT * sizeof *values);
    for (int i = 0; i < COUNT; i++)
        values[i] = (int) (lcg_next() % 2000001u) - 1000000;
    qsort(values, COUNT, sizeof *values, compare_ints);

    int sorted = 1;
    for (int i = 1; i < COUNT; i++)
        sorted &= values[i - 1] <= values[i];
    long long total = 0;
    for (int i = 0; i < COUNT; i++)
        total += values[i];
    printf("qsort of %d ints: %s, min %d, median %d, max %d, sum %lld\n",
           COUNT, sorted ? "sorted" : "NOT SORTED", values[0], values[COUNT / 2],
           values[COUNT - 1], total);
    printf("first five:");
    for (int i = 0; i < 5; i++)
        printf(" %d", values[i]);
    printf("\n");
    free(values);
}

static void strings(void)
{
    char buf[128];
    strcpy(buf, "walking");
    strcat(buf, " skeleton");
    strcat(buf, " of an emulator");
    printf("strcpy/strcat: \"%s\" (strlen %zu)\n", buf, strlen(buf));
    printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("abc", "abc") == 0,
           strcmp("b", "abc") > 0);
    printf("strchr: \"%s\"\n", strchr(buf, 's'));
    printf("strrchr: \"%s\"\n", strrchr(buf, 'e'));
    printf("strstr: \"%s\"\n", strstr(buf, "of an"));
    printf("strstr missing: %s\n", strstr(buf, "kernel") == NULL ? "NULL" : "found");

    char moved[64] = "0123456789abcdefghijklmnopqrstuvwxyz";
    memmove(moved + 4, moved, 20);
    printf("memmove overlapping: \"%s\"\n", moved);
    memcpy(moved, "COPIED", 6);
    printf("memcpy: \"%s\"\n", moved);
    memset(moved + 10, '.', 5);
    printf("memset: \"%s\"\n", moved);
    printf("memcmp: %d %d\n", memcmp("abcdef", "abcdeg", 6) < 0, memcmp("same", "same", 4) == 0);

    /* Long strings, so that the vectorised paths run over many chunks and
     * unaligned tails. */
    size_t long_len = 10000 + 13;
    char *a = malloc(long_len + 1), *b = malloc(long_len + 1);
    for (size_t i = 0; i < long_len; i++)
        a[i] = (char) ('a' + i % 26);
    a[long_len] = '\0';
    strcpy(b, a);
    printf("long strlen %zu, strcmp equal %d, ", strlen(b), strcmp(a, b) == 0);
    b[long_len - 1] = 'A';
    printf("after change %d, memchr offset %td\n", strcmp(a, b) > 0,
           (char *) memchr(b, 'A', long_len) - b);
    free(a);
    free(b);
}

static void doubles(void)
{
    double third = 1.0 / 3.0;
    printf("%%f:    %f %f %f\n", third, -2.5, 1234567.891);
    printf("%%e:    %e %e %e\n", third, -6.02214076e23, 1.602176634e-19);
    printf("%%g:    %g %g %g %g\n", third, 100000.0, 1000000.0, 0.0001234);
    printf("%%.10f: %.10f %.10f\n", third, -3.14159265358979);
    printf("huge:  %g %e %f\n", 1.7976931348623157e308, 1e300, 1e22);
    printf("tiny:  %g %e %.3e\n", 4.9406564584124654e-324, 2.2250738585072014e-308, 1e-310);
    printf("signs: %+f %+g % e %f\n", 0.0, -0.0, 42.0, -1e-7);

    double accum = 0.0;
    for (int i = 1; i <= 1000; i++)
        accum += 1.0 / ((double) i * i);
    printf("sum 1/n^2 (n<=1000) = %.12f\n", accum);
    long long as_int = (long long) (accum * 1e9);
    printf("as integer: %lld, back: %.3f\n", as_int, (double) as_int / 1e6);

    char formatted[96];
    int n = snprintf(formatted, sizeof formatted, "[%8.3f|%-8d|%08x|%s]", -third, 42, 0xbeefu, "str");
    printf("snprintf: %s (%d chars)\n", formatted, n);
    /* volatile: the compiler must not work out the result at build time. */
    const char *volatile long_text = "truncated output";
    char small[8];
    n = snprintf(small, sizeof small, "%s", long_text);
    printf("snprintf truncated: \"%s\" (wanted %d)\n", small, n);
}

int main(void)
{
    heap();
    sorting();
    strings();
    doubles();
    printf("malloc_qsort: done\n");
    return 0;
}
