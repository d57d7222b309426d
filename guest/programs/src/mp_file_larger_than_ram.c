/* A file larger than RAM, written through a shared mapping, synced, and then
 * mapped read-only and read in full twice. The page cache cannot hold it, so
 * reclaim drops clean file pages and the second pass reads them again: major
 * faults and workingset refaults (the shadow entries that eviction leaves).
 * Options: expected/mp_file_larger_than_ram.options (--ram 16M).
 * Expected output reasoned from Linux 6.1, for a temporary directory on a disk
 * file system (as /data on Android, or a64emu's host files), not tmpfs. */
#include "mptest.h"

#define FILE_SIZE (24 * MIB)
#define NPAGES (FILE_SIZE / PAGE)

static uint64_t word_at(size_t index) { return (index * 0x9e3779b97f4a7c15ULL) ^ 0x5eed5eed5eed5eedULL; }

/* Reads and checks every word; returns the number of wrong pages. */
static __attribute__((noinline)) long check_pass(const char *m)
{
    long bad = 0;
    for (size_t i = 0; i < NPAGES; i++) {
        const uint64_t *w = (const uint64_t *)(m + i * PAGE);
        int ok = 1;
        for (size_t k = 0; k < PAGE / 8; k++) ok &= w[k] == word_at(i * (PAGE / 8) + k);
        bad += !ok;
    }
    return bad;
}

int main(void)
{
    mp_init();
    char name[] = "/tmp/a64emu-mp-file-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) { perror("mkstemp"); return 99; }
    printf("the file is larger than MemTotal: %s\n", yesno((long)(FILE_SIZE / 1024) > meminfo_kb("MemTotal")));
    printf("ftruncate %lu MiB: %s\n", FILE_SIZE / MIB, rc(ftruncate(fd, FILE_SIZE)));
    char *w = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap shared for writing: %s\n", mrc(w));
    if (w == MAP_FAILED) return 1;
    for (size_t i = 0; i < FILE_SIZE / 8; i++) ((uint64_t *)w)[i] = word_at(i);
    /* Dirty file pages are written back before reclaim can drop them
     * (mm/vmscan.c:shrink_page_list: pageout for kswapd, the flusher
     * otherwise); msync(MS_SYNC) writes back whatever is still dirty. */
    printf("msync: %s\n", rc(msync(w, FILE_SIZE, MS_SYNC)));
    printf("munmap: %s\n", rc(munmap(w, FILE_SIZE)));
    printf("close: %s\n", rc(close(fd)));

    fd = open(name, O_RDONLY);
    unlink(name);
    char *m = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    printf("mmap read-only: %s\n", mrc(m));
    if (m == MAP_FAILED) return 1;

    long maj0 = majflt();
    long bad1 = check_pass(m);
    long maj1 = majflt(), refault1 = vmstat("workingset_refault_file");
    long bad2 = check_pass(m);
    long maj2 = majflt(), refault2 = vmstat("workingset_refault_file");
    printf("pass 1: all %lu pages hold what was written: %s\n", (unsigned long)NPAGES, yesno(bad1 == 0));
    printf("pass 2: all %lu pages hold what was written: %s\n", (unsigned long)NPAGES, yesno(bad2 == 0));
    /* mm/filemap.c:filemap_fault: a page not in the page cache is read from
     * the file (readahead around it) and the fault returns VM_FAULT_MAJOR;
     * mm/memory.c:mm_account_fault adds it to maj_flt. The page cache cannot
     * hold a file larger than RAM, so each pass finds pages that the
     * previous one (or the writing) had to drop. */
    printf("pass 1: ru_majflt grew: %s\n", yesno(maj1 > maj0));
    printf("pass 2: ru_majflt grew: %s\n", yesno(maj2 > maj1));
    /* mm/workingset.c:workingset_refault, called by filemap_add_folio for a
     * page whose slot holds the shadow that __remove_mapping ->
     * workingset_eviction left: WORKINGSET_REFAULT_FILE. Pages evicted
     * during pass 1 come back in pass 2. */
    printf("pass 2: workingset_refault_file moved: %s\n", yesno(refault2 > refault1));
    /* mm/mincore.c:mincore_page: whether each page is in the page cache.
     * It cannot be all of them. */
    long cached = resident_pages(m, NPAGES);
    printf("after pass 2: some of the file is cached: %s, not all of it: %s\n", yesno(cached > 0),
           yesno(cached >= 0 && cached < (long)NPAGES));
    printf("munmap read-only mapping: %s\n", rc(munmap(m, FILE_SIZE)));
    close(fd);
    return 0;
}
