/* Locked memory under memory pressure: an mlocked range refuses MADV_PAGEOUT
 * and MADV_COLD, is counted in /proc/meminfo's Mlocked and Unevictable, and
 * stays resident while twice the RAM of other memory is pushed to swap.
 * After munlock it can be paged out like any other memory.
 * Options: expected/mp_mlock.options (--ram 16M). Expected output reasoned
 * from Linux 6.1. */
#include "mptest.h"

#define LOCKED 256            /* pages: 1 MiB */
#define FILLER (32 * MIB)     /* twice the RAM */

static uint64_t word(size_t page, size_t k) { return ((uint64_t)page << 32) ^ (k * 0x1000193ULL); }

static int intact(const char *p)
{
    for (size_t i = 0; i < LOCKED; i++)
        for (size_t k = 0; k < PAGE / 8; k++)
            if (((const uint64_t *)(p + i * PAGE))[k] != word(i, k)) return 0;
    return 1;
}

int main(void)
{
    mp_init();
    /* Well above the range, below 6.1's default of 8 MiB (MLOCK_LIMIT), so
     * the run does not depend on the limit it was started with. */
    struct rlimit rl = { 2 * MIB, 2 * MIB };
    printf("setrlimit MEMLOCK 2 MiB: %s\n", rc(setrlimit(RLIMIT_MEMLOCK, &rl)));

    char *g = anon((LOCKED + 2) * PAGE, PROT_NONE);
    char *p = g + PAGE;
    mprotect(p, LOCKED * PAGE, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < LOCKED; i++)
        for (size_t k = 0; k < PAGE / 8; k++) ((uint64_t *)(p + i * PAGE))[k] = word(i, k);

    long mlocked0 = meminfo_kb("Mlocked"), unevictable0 = meminfo_kb("Unevictable");
    printf("mlock 1 MiB: %s\n", rc(mlock(p, LOCKED * PAGE)));
    /* mm/mlock.c:mlock_folio counts NR_MLOCK at once and queues the page on
     * this CPU's mlock pagevec, which moves it to the unevictable LRU
     * (__mlock_page) when 15 pages are queued or lru_add_drain() runs.
     * MADV_COLD on some other page runs lru_add_drain() on this CPU
     * (mm/madvise.c:madvise_cold; mm/swap.c:lru_add_drain ->
     * mlock_page_drain_local), so no locked page is left on an evictable
     * list for reclaim to find. The /proc/meminfo figures are the global
     * counters, without the per-CPU deltas not yet folded (mm/vmstat.c, a
     * few pages per CPU on a machine this small): each grows by at least
     * three quarters of the range. */
    char *other = anon(PAGE, PROT_READ | PROT_WRITE);
    other[0] = 1;
    printf("madvise COLD elsewhere (drains this CPU's pagevecs): %s\n", rc(madvise(other, PAGE, MADV_COLD)));
    long kb = LOCKED * PAGE / 1024;
    printf("meminfo Mlocked grew by at least 3/4 of the range: %s\n",
           yesno(meminfo_kb("Mlocked") - mlocked0 >= kb * 3 / 4));
    printf("meminfo Unevictable grew by at least 3/4 of the range: %s\n",
           yesno(meminfo_kb("Unevictable") - unevictable0 >= kb * 3 / 4));
    /* fs/proc/task_mmu.c: Locked counts the pages of a VM_LOCKED area;
     * task_mem's VmLck is mm->locked_vm. */
    printf("smaps Locked: %ld kB, status VmLck: %ld kB\n", smaps_kb(p, "Locked"), status_kb("VmLck"));
    /* mm/madvise.c:madvise_pageout and madvise_cold: can_madv_lru_vma() is
     * false for VM_LOCKED, so -EINVAL. */
    printf("madvise PAGEOUT on the locked range: %s\n", rc(madvise(p, LOCKED * PAGE, MADV_PAGEOUT)));
    printf("madvise COLD on the locked range: %s\n", rc(madvise(p, LOCKED * PAGE, MADV_COLD)));
    printf("after the refused PAGEOUT: resident %ld of %d, smaps Swap %ld kB\n", resident_pages(p, LOCKED),
           LOCKED, smaps_kb(p, "Swap"));

    /* Twice the RAM, one word per page: most of it must go to swap. */
    long out0 = vmstat("pswpout");
    char *filler = anon(FILLER, PROT_READ | PROT_WRITE);
    dirty_pages(filler, FILLER / PAGE, 7);
    printf("pressure: pswpout moved: %s\n", yesno(vmstat("pswpout") > out0));
    printf("pressure: the other memory is partly swapped out: %s\n", yesno(smaps_kb(filler, "Swap") > 0));
    /* mm/vmscan.c:shrink_page_list: a page of a VM_LOCKED area is never
     * unmapped (folio_check_references sees VM_LOCKED -> PAGEREF_ACTIVATE,
     * try_to_unmap_one stops at VM_LOCKED and mlocks it); unevictable pages
     * are not even scanned. */
    printf("after pressure: locked range resident %ld of %d, smaps Swap %ld kB\n", resident_pages(p, LOCKED),
           LOCKED, smaps_kb(p, "Swap"));
    printf("after pressure: locked range intact: %s\n", yesno(intact(p)));
    munmap(filler, FILLER);

    /* munlock queues each page on the mlock pagevec to be made evictable
     * (mm/mlock.c:munlock_page); madvise_pageout's lru_add_drain() drains
     * it (mlock_page_drain_local), so every page is on an evictable LRU and
     * reclaim_pages swaps all of them out. */
    printf("munlock: %s\n", rc(munlock(p, LOCKED * PAGE)));
    printf("after munlock: smaps Locked %ld kB, status VmLck %ld kB\n", smaps_kb(p, "Locked"), status_kb("VmLck"));
    printf("madvise PAGEOUT after munlock: %s\n", rc(madvise(p, LOCKED * PAGE, MADV_PAGEOUT)));
    printf("after PAGEOUT of the unlocked range: resident %ld of %d, smaps Swap %ld kB\n",
           resident_pages(p, LOCKED), LOCKED, smaps_kb(p, "Swap"));
    printf("read back from swap: intact %s\n", yesno(intact(p)));
    return 0;
}
