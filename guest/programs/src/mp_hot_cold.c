/* LRU aging by the access flag: a hot set read again and again and a cold set
 * written once, then three times the RAM of new memory. Reclaim learns which
 * pages are used from the access flags of their entries (cleared when it looks,
 * set again by the next access) and evicts the cold set, keeping the hot one.
 * Options: expected/mp_hot_cold.options (--ram 16M, default swappiness).
 * Expected output reasoned from Linux 6.1 (classic LRU). */
#include "mptest.h"

#define HOT 256              /* pages: 1 MiB */
#define COLD 1024            /* pages: 4 MiB */
#define FILLER (48 * MIB)    /* three times the RAM */
#define CHUNK 128            /* filler pages written between two reads of the hot set */

static char *region(size_t npages)
{
    char *g = anon((npages + 2) * PAGE, PROT_NONE);
    mprotect(g + PAGE, npages * PAGE, PROT_READ | PROT_WRITE);
    return g + PAGE; /* its own VMA: swap readahead never crosses into another */
}

static int intact(const char *p, size_t n, uint64_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (*(const uint64_t *)(p + i * PAGE) != tag + i) return 0;
    return 1;
}

int main(void)
{
    mp_init();
    char *hot = region(HOT);
    char *cold = region(COLD);
    char *filler = anon(FILLER, PROT_READ | PROT_WRITE);
    dirty_pages(hot, HOT, 1000000);
    dirty_pages(cold, COLD, 2000000);

    long out0 = vmstat("pswpout");
    for (size_t done = 0; done < FILLER / PAGE; done += CHUNK) {
        touch_pages(hot, HOT);
        dirty_pages(filler + done * PAGE, CHUNK, 3000000 + done);
    }
    printf("pressure: pswpout moved: %s\n", yesno(vmstat("pswpout") > out0));

    /* mm/vmscan.c:folio_check_references: a page whose entry is young when
     * reclaim looks (folio_referenced -> ptep_clear_flush_young clears it)
     * is kept, and activated the second time (PG_referenced set); a page
     * found old again is reclaimed. The cold set is found old on its second
     * trip down the inactive list and swapped out; a hot page is young at
     * every look, since it is read every 128 new pages while a trip down the
     * list takes thousands (one it lost anyway refaults as active,
     * mm/workingset.c:workingset_refault). shrink_active_list ages the active
     * list only while it outgrows the inactive one (inactive_is_low), and the
     * hot set is read again long before a deactivated page comes round. */
    long hot_resident = resident_pages(hot, HOT), cold_resident = resident_pages(cold, COLD);
    printf("hot set: at least 90%% resident: %s\n", yesno(hot_resident * 10 >= HOT * 9));
    printf("cold set: at most 10%% resident: %s\n", yesno(cold_resident * 10 <= COLD));
    /* smaps Swap counts swap entries (fs/proc/task_mmu.c:smaps_pte_entry). */
    printf("cold set: at least 90%% in swap: %s\n", yesno(smaps_kb(cold, "Swap") * 10 >= COLD * 4 * 9));
    printf("hot set: at most 10%% in swap: %s\n", yesno(smaps_kb(hot, "Swap") * 10 <= HOT * 4));
    printf("hot set intact: %s\n", yesno(intact(hot, HOT, 1000000)));
    printf("cold set intact: %s\n", yesno(intact(cold, COLD, 2000000)));
    return 0;
}
