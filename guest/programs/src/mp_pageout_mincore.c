/* MADV_PAGEOUT on private anonymous memory: the pages go to zram at once,
 * mincore and /proc/self/smaps show them swapped out, VmSwap counts them, and
 * touching them brings them back with one major fault each.
 * Options: expected/mp_pageout_mincore.options (plenty of RAM: no reclaim but
 * the one this program asks for). Expected output reasoned from Linux 6.1. */
#include "mptest.h"

#define N 16

static char sums_buf[64];

/* Reads every word of n pages: the measured code, run once on resident
 * memory first so that its own text pages are mapped before any count. */
static __attribute__((noinline)) uint64_t read_pages(const char *p, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t w = 0; w < PAGE / 8; w++) s += ((const volatile uint64_t *)(p + i * PAGE))[w];
    return s;
}

static void fill(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t w = 0; w < PAGE / 8; w++) ((uint64_t *)(p + i * PAGE))[w] = (i << 32) | (w * 7);
}

static int intact(const char *p, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++)
        for (size_t w = 0; w < PAGE / 8; w++)
            if (((const uint64_t *)(p + i * PAGE))[w] != ((i << 32) | (w * 7))) return 0;
    return 1;
}

/* A private anonymous range with a PROT_NONE page on each side: its own VMA. */
static char *region(size_t len)
{
    char *g = anon(len + 2 * PAGE, PROT_NONE);
    mprotect(g + PAGE, len, PROT_READ | PROT_WRITE);
    return g + PAGE;
}

int main(void)
{
    mp_init();
    char *p = region(N * PAGE);
    char *warm = region(N * PAGE);
    fill(p, N);
    fill(warm, N);
    snprintf(sums_buf, sizeof sums_buf, "%lu", (unsigned long)read_pages(warm, N));

    printf("written: resident %s, smaps Swap %ld kB\n", resident(p, N), smaps_kb(p, "Swap"));

    long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
    /* mm/madvise.c:madvise_pageout: lru_add_drain() puts the new pages on the
     * LRU, madvise_cold_or_pageout_pte_range isolates each page mapped once
     * (clearing its young bit and PG_referenced) and reclaim_pages() runs
     * shrink_page_list on them, which swaps them out: add_to_swap,
     * try_to_unmap (swap entries), pageout -> swap_writepage (zram: the write
     * has completed when it returns) and __remove_mapping frees the page. */
    printf("madvise PAGEOUT: %s\n", rc(madvise(p, N * PAGE, MADV_PAGEOUT)));
    /* mm/mincore.c:mincore_pte_range: a swap entry is resident only if the
     * page is still in the swap cache, and __remove_mapping took it out. */
    printf("after PAGEOUT: resident %s\n", resident(p, N));
    /* fs/proc/task_mmu.c:smaps_pte_entry: each swap entry adds a page to Swap,
     * and PAGE_SIZE/swp_swapcount to SwapPss (count 1 here). */
    printf("after PAGEOUT: smaps Rss %ld kB, Swap %ld kB, SwapPss %ld kB\n", smaps_kb(p, "Rss"),
           smaps_kb(p, "Swap"), smaps_kb(p, "SwapPss"));
    /* mm/rmap.c:try_to_unmap_one: inc_mm_counter(mm, MM_SWAPENTS) per page;
     * fs/proc/task_mmu.c:task_mem prints it as VmSwap. Nothing else of this
     * process was ever swapped out. */
    printf("after PAGEOUT: status VmSwap %ld kB\n", status_kb("VmSwap"));
    /* mm/page_io.c:__swap_writepage: count_swpout_vm_event, one per page. */
    printf("after PAGEOUT: pswpout +%ld, pswpin +%ld\n", vmstat("pswpout") - out0, vmstat("pswpin") - in0);

    /* Entries that are already swap entries are skipped (!pte_present). */
    printf("madvise PAGEOUT again: %s\n", rc(madvise(p, N * PAGE, MADV_PAGEOUT)));
    printf("after PAGEOUT again: smaps Swap %ld kB, pswpout +%ld\n", smaps_kb(p, "Swap"),
           vmstat("pswpout") - out0);

    /* mm/memory.c:do_swap_page: not in the swap cache, zram is
     * SWP_SYNCHRONOUS_IO and the count is 1, so the page is read directly
     * (no readahead): VM_FAULT_MAJOR, counted once per page by
     * mm_account_fault; swap_readpage counts PSWPIN. */
    in0 = vmstat("pswpin");
    long maj0 = majflt();
    read_pages(p, N / 2);
    long maj1 = majflt();
    printf("reading the first half: majflt +%ld, pswpin +%ld\n", maj1 - maj0, vmstat("pswpin") - in0);
    printf("after reading the first half: resident %s\n", resident(p, N));
    /* The pages read in are present entries again; only the others are swap entries. */
    printf("after reading the first half: smaps Swap %ld kB, Rss %ld kB\n", smaps_kb(p, "Swap"),
           smaps_kb(p, "Rss"));
    printf("first half intact: %s\n", yesno(intact(p, 0, N / 2)));

    /* A write fault on a swap entry swaps the page in as well (do_swap_page
     * with FAULT_FLAG_WRITE), and the written byte lands in the old data. */
    p[(N - 1) * PAGE + 5] = 0x55;
    printf("after writing into the last page: resident %s\n", resident(p, N));
    printf("last page: the write landed %s\n", yesno(p[(N - 1) * PAGE + 5] == 0x55));
    p[(N - 1) * PAGE + 5] = 0; /* byte 5 of word 0: bits 47:40 of (15 << 32) */
    printf("last page: the rest intact %s\n", yesno(intact(p, N - 1, 1)));

    read_pages(p, N);
    printf("after reading everything: resident %s, smaps Swap %ld kB, Rss %ld kB\n", resident(p, N),
           smaps_kb(p, "Swap"), smaps_kb(p, "Rss"));
    printf("all pages intact: %s\n", yesno(intact(p, 0, N)));

    /* Pages never touched have no entry to page out; pages only read map the
     * shared zero page, which vm_normal_page() does not return, so madvise
     * skips them (mm/madvise.c:madvise_cold_or_pageout_pte_range). */
    char *untouched = region(4 * PAGE);
    printf("PAGEOUT of untouched pages: %s, resident %s, Swap %ld kB\n",
           rc(madvise(untouched, 4 * PAGE, MADV_PAGEOUT)), resident(untouched, 4), smaps_kb(untouched, "Swap"));
    char *zero = region(4 * PAGE);
    read_pages(zero, 4);
    printf("PAGEOUT of zero-page mappings: %s, resident %s, Swap %ld kB\n",
           rc(madvise(zero, 4 * PAGE, MADV_PAGEOUT)), resident(zero, 4), smaps_kb(zero, "Swap"));
    return 0;
}
