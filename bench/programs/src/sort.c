/* Speed benchmark: sorting. Quicksort (median of three, insertion sort for
 * short runs) and heap sort of 256 Ki pseudo-random 32-bit keys: compares,
 * data-dependent branches, loads and stores. Prints "sort checksum=... ns=..."
 * (bench/run --only speed). */
#include "nolibc.h"

#define N (256 * 1024)

static u32 keys[N];
static u32 work[N];

static void fill(u64 seed) {
    for (u64 i = 0; i < N; i++) keys[i] = (u32) (rng_next(&seed) >> 32);
}

static void insertion(u32 *a, s64 n) {
    for (s64 i = 1; i < n; i++) {
        u32 v = a[i];
        s64 j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quicksort(u32 *a, s64 n) {
    while (n > 16) {
        u32 x = a[0], y = a[n / 2], z = a[n - 1];
        u32 pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        s64 i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            u32 t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger: bounded stack. */
        if (j + 1 < n - j - 1) {
            quicksort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quicksort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion(a, n);
}

static void sift(u32 *a, u64 root, u64 n) {
    u32 v = a[root];
    for (;;) {
        u64 child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(u32 *a, u64 n) {
    for (u64 i = n / 2; i-- > 0;) sift(a, i, n);
    for (u64 end = n - 1; end > 0; end--) {
        u32 t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
}

static u64 digest(const u32 *a) {
    u64 h = 0;
    for (u64 i = 0; i < N; i++) {
        if (i > 0 && a[i - 1] > a[i]) die("sort: not sorted");
        h = (h ^ a[i]) * 0x100000001B3UL;
    }
    return h;
}

void cmain(u64 *sp) {
    (void) sp;
    fill(42);
    s64 t0 = now_ns();
    u64 check = 0;
    for (int r = 0; r < 2; r++) {
        for (u64 i = 0; i < N; i++) work[i] = keys[i] ^ (u32) r;
        quicksort(work, N);
        check = check * 31 + digest(work);
        for (u64 i = 0; i < N; i++) work[i] = keys[i] + (u32) r;
        heapsort(work, N);
        check = check * 31 + digest(work);
    }
    s64 t1 = now_ns();
    report("sort", check, t1 - t0);
    bench_exit(0);
}
