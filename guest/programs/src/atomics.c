/*
 * C11 atomics and __atomic builtins, first on one thread (the values each
 * operation returns, at every width), then from several pthreads at once:
 * counters, fetch_or/xor/and, min/max by compare-and-swap loops, exchange,
 * a spinlock and a ticket lock guarding plain variables, a pthread mutex
 * (futex), and a 128-bit compare-and-swap. The threads' interleaving varies;
 * what is printed is only what every interleaving must end with.
 *
 * The same source is built three ways (see the file "cflags"):
 *   atomics          -mno-outline-atomics: load/store-exclusive loops
 *                    (LDAXR/STLXR, ARMv8.0)
 *   atomics_outline  gcc's default -moutline-atomics: libgcc helpers that
 *                    pick LSE or exclusives at run time from AT_HWCAP
 *   atomics_lse      -march=armv8.1-a: LSE instructions inline
 *                    (LDADDAL, CASAL, SWPAL, LDSETAL, LDEORAL, LDCLRAL)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 20000

static _Atomic uint64_t counter64;
static _Atomic uint32_t down32 = 4000000000u;
static _Atomic uint8_t wrap8;
static _Atomic int16_t wrap16;
static _Atomic uint64_t or_bits, xor_bits, and_bits = ~0ull;
static _Atomic int64_t max_seen = INT64_MIN, min_seen = INT64_MAX;
static _Atomic uint64_t slot = 1;
static _Atomic uint64_t exchanged_total;
static atomic_flag spin = ATOMIC_FLAG_INIT;
static uint64_t spin_guarded;
static _Atomic uint32_t ticket_next, ticket_serving;
static uint64_t ticket_guarded;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static uint64_t mutex_guarded;
static unsigned __int128 pair128;
static pthread_barrier_t start;

static uint64_t mix(unsigned t, unsigned i)
{
    uint64_t x = (uint64_t)t * 0x9E3779B97F4A7C15ull + i * 0xBF58476D1CE4E5B9ull + 1;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 29);
}

static void single_thread(void)
{
    _Atomic int8_t b = -100;
    _Atomic uint16_t h = 65530;
    _Atomic int32_t w = -5;
    _Atomic uint64_t d = 0xF0F0F0F0F0F0F0F0ull;
    int8_t rb1 = atomic_fetch_add(&b, -50);
    printf("fetch_add s8:  returned %d now %d\n", rb1, (int)atomic_load(&b));
    uint16_t rh1 = atomic_fetch_add(&h, 10);
    uint16_t rh2 = atomic_fetch_sub(&h, 7);
    printf("fetch_add u16: returned %u, %u now %u\n", rh1, rh2, (unsigned)atomic_load(&h));
    int32_t rw1 = atomic_fetch_or(&w, 0x100);
    int32_t rw2 = atomic_fetch_and(&w, 0x0ff0);
    int32_t rw3 = atomic_fetch_xor(&w, -1);
    printf("bitops s32:    returned %d %d %d now %d\n", rw1, rw2, rw3, (int)atomic_load(&w));
    uint64_t rd1 = atomic_exchange(&d, 42);
    uint64_t expected = 41;
    int ok1 = atomic_compare_exchange_strong(&d, &expected, 7);
    printf("cas u64 fail:  ok=%d expected now %llu\n", ok1, (unsigned long long)expected);
    int ok2 = atomic_compare_exchange_strong(&d, &expected, 7);
    printf("cas u64 ok:    ok=%d value %llu exchange returned %llx\n", ok2,
           (unsigned long long)atomic_load(&d), (unsigned long long)rd1);
    uint8_t small = 200;
    uint8_t old = __atomic_fetch_add(&small, 100, __ATOMIC_ACQ_REL);
    uint8_t now = __atomic_nand_fetch(&small, 0x3c, __ATOMIC_SEQ_CST);
    printf("builtin u8:    old %u nand %u\n", old, now);
    uint32_t word = 5;
    uint32_t want = 5;
    int ok3 = __atomic_compare_exchange_n(&word, &want, 9, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
    printf("builtin cas:   ok=%d word %u\n", ok3, word);
    unsigned __int128 wide = ((unsigned __int128)1 << 100) | 3, wide_expected = wide;
    int ok4 = __atomic_compare_exchange_n(&wide, &wide_expected, wide + ((unsigned __int128)1 << 64), 0,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas u128:      ok=%d hi %llx lo %llx\n", ok4, (unsigned long long)(wide >> 64),
           (unsigned long long)wide);
    printf("lock free:     8:%d 16:%d 32:%d 64:%d\n", (int)__atomic_always_lock_free(1, 0),
           (int)__atomic_always_lock_free(2, 0), (int)__atomic_always_lock_free(4, 0),
           (int)__atomic_always_lock_free(8, 0));
}

static void *worker(void *arg)
{
    unsigned t = (unsigned)(uintptr_t)arg;
    uint64_t got = 0;
    pthread_barrier_wait(&start);
    for (unsigned i = 0; i < ITERS; i++) {
        uint64_t v = mix(t, i);
        atomic_fetch_add_explicit(&counter64, 1, memory_order_relaxed);
        atomic_fetch_sub(&down32, 3);
        atomic_fetch_add_explicit(&wrap8, 1, memory_order_acq_rel);
        atomic_fetch_sub_explicit(&wrap16, 7, memory_order_release);
        atomic_fetch_or(&or_bits, 1ull << ((t * 16 + i) & 63));
        atomic_fetch_xor(&xor_bits, v);
        if ((i & 63) == t) atomic_fetch_and(&and_bits, ~(1ull << (t * 8 + (i >> 6) % 8)));

        int64_t sv = (int64_t)v;
        int64_t cur = atomic_load_explicit(&max_seen, memory_order_relaxed);
        while (sv > cur && !atomic_compare_exchange_weak(&max_seen, &cur, sv)) {}
        cur = atomic_load_explicit(&min_seen, memory_order_relaxed);
        while (sv < cur && !atomic_compare_exchange_weak_explicit(&min_seen, &cur, sv, memory_order_acq_rel,
                                                                  memory_order_relaxed)) {}

        got += atomic_exchange(&slot, v & 0xffffffff);

        while (atomic_flag_test_and_set_explicit(&spin, memory_order_acquire)) {}
        spin_guarded += v >> 40;
        atomic_flag_clear_explicit(&spin, memory_order_release);

        if ((i & 7) == 0) {
            uint32_t my = atomic_fetch_add(&ticket_next, 1);
            while (atomic_load_explicit(&ticket_serving, memory_order_acquire) != my) {}
            ticket_guarded = ticket_guarded * 3 + 1; /* order-independent: same steps, same result */
            atomic_store_explicit(&ticket_serving, my + 1, memory_order_release);
        }
        if ((i & 15) == 0) {
            pthread_mutex_lock(&mutex);
            mutex_guarded += i + t;
            pthread_mutex_unlock(&mutex);
            unsigned __int128 old = __atomic_load_n(&pair128, __ATOMIC_RELAXED);
            while (!__atomic_compare_exchange_n(&pair128, &old, old + (((unsigned __int128)1 << 64) | 1), 1,
                                                __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
        }
    }
    atomic_fetch_add(&exchanged_total, got);
    return NULL;
}

int main(void)
{
    single_thread();

    pthread_t threads[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (unsigned t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, worker, (void *)(uintptr_t)t);
    for (unsigned t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);

    /* What every interleaving ends with. */
    uint64_t xor_expected = 0, max_expected = 0, sum_expected = 1, spin_expected = 0;
    int64_t max_v = INT64_MIN, min_v = INT64_MAX;
    for (unsigned t = 0; t < THREADS; t++)
        for (unsigned i = 0; i < ITERS; i++) {
            uint64_t v = mix(t, i);
            xor_expected ^= v;
            max_v = (int64_t)v > max_v ? (int64_t)v : max_v;
            min_v = (int64_t)v < min_v ? (int64_t)v : min_v;
            sum_expected += v & 0xffffffff;
            spin_expected += v >> 40;
        }
    (void)max_expected;
    printf("threads %d x %d iterations\n", THREADS, ITERS);
    printf("counter64      %llu\n", (unsigned long long)atomic_load(&counter64));
    printf("down32         %u\n", (unsigned)atomic_load(&down32));
    printf("wrap8          %u\n", (unsigned)atomic_load(&wrap8));
    printf("wrap16         %d\n", (int)atomic_load(&wrap16));
    printf("or_bits        %016llx\n", (unsigned long long)atomic_load(&or_bits));
    printf("xor_bits       %016llx (%s)\n", (unsigned long long)atomic_load(&xor_bits),
           atomic_load(&xor_bits) == xor_expected ? "as computed" : "WRONG");
    printf("and_bits       %016llx\n", (unsigned long long)atomic_load(&and_bits));
    printf("max_seen       %lld (%s)\n", (long long)atomic_load(&max_seen),
           atomic_load(&max_seen) == max_v ? "as computed" : "WRONG");
    printf("min_seen       %lld (%s)\n", (long long)atomic_load(&min_seen),
           atomic_load(&min_seen) == min_v ? "as computed" : "WRONG");
    uint64_t conserved = atomic_load(&exchanged_total) + atomic_load(&slot);
    printf("exchange       %llu (%s)\n", (unsigned long long)conserved,
           conserved == sum_expected ? "conserved" : "LOST");
    printf("spinlock       %llu (%s)\n", (unsigned long long)spin_guarded,
           spin_guarded == spin_expected ? "no lost update" : "LOST");
    printf("ticket lock    %llu after %u tickets\n", (unsigned long long)ticket_guarded,
           (unsigned)atomic_load(&ticket_next));
    printf("mutex          %llu\n", (unsigned long long)mutex_guarded);
    printf("cas128         hi %llu lo %llu\n", (unsigned long long)(pair128 >> 64),
           (unsigned long long)pair128);
    return 0;
}
