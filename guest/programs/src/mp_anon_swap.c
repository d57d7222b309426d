/* An anonymous working set three times the size of RAM, written once with
 * per-page checksummed data that compresses the way a program's heap does
 * (half of each page holds records, the rest is still zero), then read back
 * in several passes with every checksum verified. Only swap to zram makes
 * this possible: the program prints that swap was used, never how much.
 * Options: expected/mp_anon_swap.options (--ram 16M, zram large enough for
 * the working set). Expected output reasoned from Linux 6.1. */
#include "mptest.h"

#define WORKING_SET (48 * MIB)
#define NPAGES (WORKING_SET / PAGE)
#define PASSES 3
#define RECORDS 64

struct record {            /* 32 bytes, the kind of thing a heap is full of */
    uint32_t id;
    uint32_t kind;
    uint64_t value;
    char tag[16];
};

static const char *const tags[] = { "inode", "dentry", "request", "buffer", "socket", "timer", "task", "vma" };

/* Page i of the fresh (zero) mapping: a header, the records, the checksum. */
static void write_page(uint64_t *w, size_t i)
{
    w[0] = 0xa5a5000000000000ULL | i;
    struct record *r = (struct record *)(w + 1);
    for (unsigned k = 0; k < RECORDS; k++) {
        r[k].id = (uint32_t)(i * RECORDS + k);
        r[k].kind = k % 5;
        r[k].value = (i * 131 + k * 7) & 0xffff;
        strcpy(r[k].tag, tags[(i + k) % 8]);
    }
    w[PAGE / 8 - 1] = fnv64(w, PAGE / 8 - 1);
}

static int page_ok(const uint64_t *w, size_t i)
{
    return w[0] == (0xa5a5000000000000ULL | i) && ((const struct record *)(w + 1))->id == i * RECORDS
           && w[PAGE / 8 - 1] == fnv64(w, PAGE / 8 - 1);
}

int main(void)
{
    mp_init();
    long out0 = vmstat("pswpout");
    char *p = anon(WORKING_SET, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < NPAGES; i++) write_page((uint64_t *)(p + i * PAGE), i);

    /* At most the RAM can be resident, so most of the 48 MiB is in swap:
     * mm/rmap.c:try_to_unmap_one counts each page it turns into a swap entry
     * in MM_SWAPENTS (inc_mm_counter, the mm's own counter), which
     * fs/proc/task_mmu.c:task_mem prints as VmSwap. */
    printf("written %lu MiB: VmSwap above 0: %s\n", WORKING_SET / MIB, yesno(status_kb("VmSwap") > 0));
    /* Nothing of the working set can be in RAM but what fits: well over half
     * of it is swapped out (smaps Swap counts the swap entries exactly). */
    printf("written: more than half of the working set swapped out: %s\n",
           yesno(smaps_kb(p, "Swap") > (long)(WORKING_SET / 1024 / 2)));
    /* mm/page_io.c:__swap_writepage -> count_swpout_vm_event (PSWPOUT). */
    printf("written: pswpout moved: %s\n", yesno(vmstat("pswpout") > out0));

    long in0 = vmstat("pswpin"), maj0 = majflt(), refault0 = vmstat("workingset_refault_anon");
    long bad = 0;
    for (int pass = 1; pass <= PASSES; pass++) {
        long pass_bad = 0;
        for (size_t i = 0; i < NPAGES; i++) pass_bad += !page_ok((const uint64_t *)(p + i * PAGE), i);
        printf("pass %d: all %lu page checksums verified: %s\n", pass, (unsigned long)NPAGES, yesno(pass_bad == 0));
        bad += pass_bad;
    }
    /* mm/memory.c:do_swap_page: a page read back from zram is VM_FAULT_MAJOR
     * (mm_account_fault -> maj_flt) and mm/page_io.c:swap_readpage counts
     * PSWPIN. A pass over three times the RAM always finds pages swapped out. */
    printf("read passes: pswpin moved: %s\n", yesno(vmstat("pswpin") > in0));
    printf("read passes: ru_majflt grew: %s\n", yesno(majflt() > maj0));
    printf("errors in %d passes: %ld\n", PASSES, bad);
    /* mm/workingset.c:workingset_refault, called by do_swap_page with the
     * shadow that mm/vmscan.c:__remove_mapping -> workingset_eviction left in
     * the swap cache when it evicted the page: WORKINGSET_REFAULT_ANON. */
    printf("read passes: workingset_refault_anon moved: %s\n", yesno(vmstat("workingset_refault_anon") > refault0));
    return bad != 0;
}
