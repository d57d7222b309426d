/*
 * Shared helpers for the memory-pressure programs (mp_*.c), on top of vmtest.h.
 * Header only: build.sh compiles each NAME.c on its own.
 *
 * These programs need a machine with little RAM and a zram0 swap device, so
 * their expected output cannot be recorded on this machine's kernel or under
 * qemu-aarch64 (the file "oracles" names them "reasoned"): every expected line
 * was written by hand from the Linux 6.1 source (classic two-list LRU, i.e.
 * lru_gen off; zram0 with lz4 as Android's swapon_all sets it up), and the
 * check that prints it cites the kernel function that makes it so. The a64emu
 * options of each run (--ram, --zram, --swappiness) are in
 * expected/NAME.options.
 *
 * The machine is the one a64emu models: --ram of memory, all of it managed
 * by the page allocator (the kernel's own code and data are not in it), one
 * zone, zram0 of --zram as the only swap device, vm.swappiness of
 * --swappiness (default 60).
 *
 * Every printed line is a yes/no, or a count that Linux makes exact: never a
 * figure that depends on timing, on kswapd's batches or on addresses. Where
 * the kernel keeps per-CPU batches (pagevecs of 15 pages, lru_add_drain() in
 * mm/swap.c) or per-CPU counter deltas (vm_stat_diff, mm/vmstat.c), a check
 * either makes them drain first or leaves room for them in its threshold;
 * mp_init() pins the program to CPU 0 so the batches it fills are the ones
 * lru_add_drain() on its own CPU empties. 6.1 still caches a task's own RSS
 * counter changes (SPLIT_RSS_COUNTING: mm/memory.c:add_mm_counter_fast,
 * synced every 64 faults by check_sync_rss_stat), so VmSwap and VmRSS are
 * read only where no fault of the task changed them since: the counts that
 * reclaim changes (mm/rmap.c:try_to_unmap_one) are the mm's own. smaps
 * counts entries in the page tables and is always exact. The slots that
 * swapping in frees go back to zram in batches (mm/swap_slots.c:
 * free_swap_slot), so zram's counters are read only before pages come back.
 */
#ifndef MPTEST_H
#define MPTEST_H

#include "vmtest.h"
#include <sched.h>

#define MIB (1024UL * 1024UL)

/* vt_init, plus: pinned to CPU 0 (sched_setaffinity; an emulator with one CPU
 * may refuse it, which changes nothing there). */
static void mp_init(void)
{
    vt_init();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
}

/* A counter of /proc/vmstat ("name value" lines); -1 when absent. */
static long vmstat(const char *name)
{
    slurp("/proc/vmstat", vt_proc, sizeof vt_proc);
    size_t n = strlen(name);
    for (char *l = vt_proc; *l; ) {
        if (!strncmp(l, name, n) && l[n] == ' ') return atol(l + n + 1);
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return -1;
}

/* /sys/block/zram0/mm_stat, drivers/block/zram/zram_drv.c:mm_stat_show. */
struct mm_stat {
    long long orig_data_size, compr_data_size, mem_used_total, mem_limit, mem_used_max;
    long long same_pages, pages_compacted, huge_pages, huge_pages_since;
    int fields; /* how many of the nine the file had */
};

static struct mm_stat mm_stat(void)
{
    struct mm_stat s;
    memset(&s, 0, sizeof s);
    if (!slurp("/sys/block/zram0/mm_stat", vt_proc, sizeof vt_proc)) return s;
    s.fields = sscanf(vt_proc, "%lld %lld %lld %lld %lld %lld %lld %lld %lld",
                      &s.orig_data_size, &s.compr_data_size, &s.mem_used_total, &s.mem_limit,
                      &s.mem_used_max, &s.same_pages, &s.pages_compacted, &s.huge_pages,
                      &s.huge_pages_since);
    return s;
}

/* The calling process's major faults so far (getrusage ru_majflt: the task's
 * maj_flt, counted by mm/memory.c:mm_account_fault). */
static long majflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_majflt;
}

/* How many of the npages pages at addr mincore reports resident. A swapped-out
 * page counts as resident only while its data is still in the swap cache
 * (mm/mincore.c:mincore_pte_range, mincore_page). */
static long resident_pages(const void *addr, size_t npages)
{
    static unsigned char vec[4096];
    long n = 0;
    for (size_t done = 0; done < npages; ) {
        size_t chunk = npages - done < sizeof vec ? npages - done : sizeof vec;
        if (mincore((char *)addr + done * PAGE, chunk * PAGE, vec) != 0) return -1;
        for (size_t i = 0; i < chunk; i++) n += vec[i] & 1;
        done += chunk;
    }
    return n;
}

/* A kB field of /proc/self/status such as VmSwap. */
static long status_kb(const char *key)
{
    return proc_kv("/proc/self/status", key);
}

/* A kB field of /proc/meminfo such as Mlocked. */
static long meminfo_kb(const char *key)
{
    return proc_kv("/proc/meminfo", key);
}

/* 64-bit FNV-1a over n words. */
static uint64_t fnv64(const uint64_t *w, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
#pragma GCC unroll 8
    for (size_t i = 0; i < n; i++) {
        h ^= w[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* xorshift64*: the same numbers on every run, for "random" (incompressible) data. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Writes one word into each of n pages from p: each page becomes a private
 * anonymous page of its own (not the shared zero page), compressing to a few
 * bytes. Used to make memory pressure quickly. */
static void dirty_pages(char *p, size_t npages, uint64_t tag)
{
    for (size_t i = 0; i < npages; i++) *(volatile uint64_t *)(p + i * PAGE) = tag + i;
}

/* Reads one word of each of n pages from p (marks them young again). */
static uint64_t touch_pages(const char *p, size_t npages)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < npages; i++) sum += *(const volatile uint64_t *)(p + i * PAGE);
    return sum;
}

#endif
