/* MADV_FREE under memory pressure: lazily freed pages that stay clean are
 * discarded by reclaim instead of being swapped, and read back as zeros; a
 * page written again after MADV_FREE is not discarded and keeps what was
 * written.
 * Options: expected/mp_lazyfree.options (--ram 16M). Expected output
 * reasoned from Linux 6.1. */
#include "mptest.h"

#define PAGES 512            /* 2 MiB, lazily freed */
#define REWRITTEN 64         /* the first pages, written again after MADV_FREE */
#define FILLER (32 * MIB)    /* twice the RAM */

static uint64_t word(size_t page, size_t k) { return ((uint64_t)(page + 1) << 32) | (k + 1); }

int main(void)
{
    mp_init();
    char *g = anon((PAGES + 2) * PAGE, PROT_NONE);
    char *p = g + PAGE;
    mprotect(p, PAGES * PAGE, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < PAGES; i++)
        for (size_t k = 0; k < PAGE / 8; k++) ((uint64_t *)(p + i * PAGE))[k] = word(i, k);

    long lazyfree0 = vmstat("pglazyfree"), lazyfreed0 = vmstat("pglazyfreed");
    /* mm/madvise.c:madvise_free_pte_range: each page mapped once is made
     * clean and old and handed to mm/swap.c:mark_page_lazyfree, whose
     * per-CPU batch (lru_lazyfree_fn) clears PG_swapbacked, moves it to the
     * inactive file list and counts PGLAZYFREE. */
    printf("madvise FREE: %s\n", rc(madvise(p, PAGES * PAGE, MADV_FREE)));
    /* madvise_cold runs lru_add_drain(), which empties this CPU's batches,
     * the lazy-free one too (mm/swap.c:lru_add_drain_cpu). */
    char *other = anon(PAGE, PROT_READ | PROT_WRITE);
    other[0] = 1;
    printf("madvise COLD elsewhere (drains this CPU's pagevecs): %s\n", rc(madvise(other, PAGE, MADV_COLD)));
    printf("pglazyfree +%ld\n", vmstat("pglazyfree") - lazyfree0);
    /* fs/proc/task_mmu.c:smaps_account: LazyFree counts anonymous pages
     * without PG_swapbacked whose entry and page are clean. */
    printf("after MADV_FREE: smaps LazyFree %ld kB\n", smaps_kb(p, "LazyFree"));
    /* Until reclaim comes, the pages are still there. */
    printf("after MADV_FREE: resident %ld of %d, data still readable: %s\n", resident_pages(p, PAGES), PAGES,
           yesno(((uint64_t *)(p + 100 * PAGE))[7] == word(100, 7)));

    /* Writing makes the entry dirty: that page is no longer lazily free. */
    for (size_t i = 0; i < REWRITTEN; i++) ((uint64_t *)(p + i * PAGE))[0] = 0xabcdef00 + i;
    printf("after writing %d of them again: smaps LazyFree %ld kB\n", REWRITTEN, smaps_kb(p, "LazyFree"));

    long out0 = vmstat("pswpout");
    char *filler = anon(FILLER, PROT_READ | PROT_WRITE);
    dirty_pages(filler, FILLER / PAGE, 11);
    printf("pressure: pswpout moved: %s\n", yesno(vmstat("pswpout") > out0));

    /* mm/rmap.c:try_to_unmap_one: a clean page without PG_swapbacked whose
     * only references are the isolation and its mappings is discarded (the
     * entry cleared, no swap slot), and mm/vmscan.c:shrink_page_list counts
     * PGLAZYFREED; the next read maps a zero page (do_anonymous_page). A
     * page written again is dirty: try_to_unmap_one restores the entry and
     * sets PG_swapbacked again, so it is kept or swapped like any page.
     * Twice the RAM of new memory reclaims the whole inactive file list,
     * where lazily freed pages are. */
    long zero = 0, old = 0, other_content = 0;
    for (size_t i = REWRITTEN; i < PAGES; i++) {
        const uint64_t *w = (const uint64_t *)(p + i * PAGE);
        int z = 1, o = 1;
        for (size_t k = 0; k < PAGE / 8; k++) {
            z &= w[k] == 0;
            o &= w[k] == word(i, k);
        }
        zero += z;
        old += o;
        other_content += !z && !o;
    }
    long lazy = PAGES - REWRITTEN;
    printf("lazily freed pages read back as zeros: at least 90%%: %s\n", yesno(zero * 10 >= lazy * 9));
    printf("lazily freed pages read back as zeros or as they were: all: %s\n", yesno(zero + old == lazy));
    printf("lazily freed pages with other contents: %ld\n", other_content);
    printf("pglazyfreed grew by at least 90%% of them: %s\n",
           yesno((vmstat("pglazyfreed") - lazyfreed0) * 10 >= lazy * 9));
    int rewritten_ok = 1;
    for (size_t i = 0; i < REWRITTEN; i++) {
        const uint64_t *w = (const uint64_t *)(p + i * PAGE);
        rewritten_ok &= w[0] == 0xabcdef00 + i;
        for (size_t k = 1; k < PAGE / 8; k++) rewritten_ok &= w[k] == word(i, k);
    }
    printf("pages written again after MADV_FREE kept all their data: %s\n", yesno(rewritten_ok));
    return 0;
}
