/* MADV_COLD: the pages lose their access flags (smaps Referenced drops to 0
 * and rises again as they are used), pages another process maps too are left
 * alone, and under memory pressure the advised pages are reclaimed before
 * pages that are merely older.
 * Options: expected/mp_cold.options (--ram 16M). Expected output reasoned
 * from Linux 6.1 (classic LRU). */
#include "mptest.h"
#include <sys/wait.h>

#define N 16
#define SET 1024             /* pages in each of the two sets of the pressure part */
#define STOP_AFTER 128       /* swapped-out pages after which the pressure stops */

static char *region(size_t npages)
{
    char *g = anon((npages + 2) * PAGE, PROT_NONE);
    mprotect(g + PAGE, npages * PAGE, PROT_READ | PROT_WRITE);
    return g + PAGE;
}

int main(void)
{
    mp_init();
    char *p = region(N);
    dirty_pages(p, N, 1);
    /* fs/proc/task_mmu.c:smaps_account: Referenced counts a page whose entry
     * is young (or PG_referenced / page idle young). A page just written has
     * a young entry (mm/memory.c:do_anonymous_page). */
    printf("written: smaps Referenced %ld kB\n", smaps_kb(p, "Referenced"));

    long deact0 = vmstat("pgdeactivate");
    /* mm/madvise.c:madvise_cold_or_pageout_pte_range: for each page mapped
     * once, the young entry is made old, PG_referenced and PG_young cleared,
     * and deactivate_page() moves an active page to the inactive list. */
    printf("madvise COLD: %s\n", rc(madvise(p, N * PAGE, MADV_COLD)));
    printf("after COLD: smaps Referenced %ld kB, Rss %ld kB, Swap %ld kB\n", smaps_kb(p, "Referenced"),
           smaps_kb(p, "Rss"), smaps_kb(p, "Swap"));
    /* mm/swap.c:deactivate_page does nothing for a page that is not active,
     * and new anonymous pages start on the inactive list
     * (lru_cache_add_inactive_or_unevictable): no PGDEACTIVATE. */
    printf("after COLD: pgdeactivate +%ld\n", vmstat("pgdeactivate") - deact0);
    /* The next access sets the access flag again (the MMU with FEAT_HAFDBS,
     * or the access flag fault: arch/arm64/mm/fault.c -> handle_pte_fault ->
     * pte_mkyoung). */
    touch_pages(p, 4);
    printf("after reading 4 pages: smaps Referenced %ld kB\n", smaps_kb(p, "Referenced"));
    dirty_pages(p + 4 * PAGE, 2, 1);
    printf("after writing 2 more: smaps Referenced %ld kB\n", smaps_kb(p, "Referenced"));

    /* "Do not interfere with other mappings of this page": madvise skips a
     * page whose mapcount is not 1. After fork the child maps every page. */
    char *q = region(N);
    dirty_pages(q, N, 2);
    int go[2];
    if (pipe(go)) return 99;
    pid_t pid = xfork();
    if (pid == 0) {
        char c;
        if (read(go[0], &c, 1) != 1) _exit(1);
        _exit(0);
    }
    /* The parent's entries stay young through fork (copy_present_pte makes
     * only the child's old). */
    printf("shared with a child: madvise COLD: %s\n", rc(madvise(q, N * PAGE, MADV_COLD)));
    printf("shared with a child: after COLD: smaps Referenced %ld kB\n", smaps_kb(q, "Referenced"));
    if (write(go[1], "x", 1) != 1) return 99;
    int status;
    waitpid(pid, &status, 0);
    printf("after the child exited: madvise COLD: %s\n", rc(madvise(q, N * PAGE, MADV_COLD)));
    printf("after the child exited: after COLD: smaps Referenced %ld kB\n", smaps_kb(q, "Referenced"));

    /* Under pressure: an older set that is merely idle, and a newer set
     * advised cold. Reclaim takes the inactive list from its tail
     * (mm/vmscan.c:shrink_inactive_list); folio_check_references keeps a
     * page whose entry is young for another trip (PAGEREF_KEEP: it goes
     * back to the head) and reclaims a page whose entry is old and that has
     * no PG_referenced (PAGEREF_RECLAIM). The older set, still young, is
     * rotated behind everything written since; the cold set, old, is
     * swapped out. The pressure stops once 128 pages went to swap: far less
     * than a trip round the list, so the older set is not reached again. */
    char *older = region(SET);
    char *advised = region(SET);
    dirty_pages(older, SET, 3);
    dirty_pages(advised, SET, 4);
    printf("madvise COLD on the newer set: %s\n", rc(madvise(advised, SET * PAGE, MADV_COLD)));
    long out0 = vmstat("pswpout");
    char *filler = anon(32 * MIB, PROT_READ | PROT_WRITE);
    size_t used = 0;
    while (used < 32 * MIB / PAGE && vmstat("pswpout") - out0 < STOP_AFTER) {
        dirty_pages(filler + used * PAGE, 32, 5);
        used += 32;
    }
    long older_swap = smaps_kb(older, "Swap") / 4, advised_swap = smaps_kb(advised, "Swap") / 4;
    printf("pressure reached %d swapped-out pages: %s\n", STOP_AFTER, yesno(vmstat("pswpout") - out0 >= STOP_AFTER));
    printf("advised set: some pages swapped out: %s\n", yesno(advised_swap > 0));
    printf("older set: swapped out less than the advised set: %s\n", yesno(older_swap < advised_swap));
    printf("older set: at most 10%% swapped out: %s\n", yesno(older_swap * 10 <= SET));
    return 0;
}
