/* vm.swappiness deciding what reclaim takes when a page cache and anonymous
 * memory compete and do not fit in RAM together: a 10 MiB file and 7 MiB of
 * anonymous memory, both read in full, one after the other, round after
 * round. The anonymous memory alone fits, and so does the file. The program
 * reports which kind /proc/vmstat's pgsteal_anon and pgsteal_file say
 * reclaim took more of, and whether anything was swapped out.
 * Run twice: expected/mp_swappiness.options (--swappiness 0) and
 * expected/mp_swappiness.swappiness200.options (--swappiness 200), both
 * --ram 16M. Expected output reasoned from Linux 6.1 (classic LRU). */
#include "mptest.h"

#define FILE_PAGES 2560      /* 10 MiB */
#define ANON_PAGES 1792      /* 7 MiB */
#define ROUNDS 8

static uint64_t file_word(size_t page) { return 0xf11e000000000000ULL | page; }

int main(void)
{
    mp_init();
    char swappiness[16] = "";
    slurp("/proc/sys/vm/swappiness", swappiness, sizeof swappiness);
    printf("vm.swappiness: %s", swappiness[0] ? swappiness : "(none)\n");

    /* The file: one word per page says which page it is. Written with
     * write() and synced, so its page-cache pages are clean. */
    char name[] = "/tmp/a64emu-mp-swappiness-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) { perror("mkstemp"); return 99; }
    unlink(name);
    static uint64_t page[PAGE / 8];
    for (size_t i = 0; i < FILE_PAGES; i++) {
        page[0] = file_word(i);
        if (pwrite(fd, page, PAGE, i * PAGE) != (ssize_t)PAGE) { perror("pwrite"); return 99; }
    }
    fsync(fd);
    char *file = mmap(NULL, FILE_PAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    if (file == MAP_FAILED) { perror("mmap"); return 99; }
    touch_pages(file, FILE_PAGES);

    char *mem = anon(ANON_PAGES * PAGE, PROT_READ | PROT_WRITE);
    dirty_pages(mem, ANON_PAGES, 1 << 20);
    long file_kb = FILE_PAGES * 4, anon_kb = ANON_PAGES * 4, total = meminfo_kb("MemTotal");
    printf("file and anonymous memory together exceed RAM: %s\n", yesno(file_kb + anon_kb > total));
    printf("each alone fits in RAM: %s\n", yesno(file_kb < total && anon_kb < total));

    long anon0 = vmstat("pgsteal_anon"), file0 = vmstat("pgsteal_file"), out0 = vmstat("pswpout");
    for (int round = 0; round < ROUNDS; round++) {
        touch_pages(file, FILE_PAGES);
        touch_pages(mem, ANON_PAGES);
    }
    long anon = vmstat("pgsteal_anon") - anon0, filed = vmstat("pgsteal_file") - file0;
    long out = vmstat("pswpout") - out0;

    /* Swappiness 0 (mm/vmscan.c:get_scan_count): ap = 0, so SCAN_FRACT
     * scans no anonymous page, and priority 0 gives SCAN_EQUAL only "if
     * swappiness". Only file_is_tiny (prepare_scan_count: file + free at or
     * below the high watermark, 192 pages with 16 MiB) would scan anon, and
     * 7 MiB of anonymous memory in 16 MiB leaves far more file + free than
     * that. So no anonymous page is reclaimed and nothing is swapped: the
     * file pages are, round after round, as they are read again (refaults).
     *
     * Swappiness 200: fp = 0, so SCAN_FRACT scans no file page; the file is
     * reclaimed only in cache_trim_mode, which prepare_scan_count allows
     * only without DEACTIVATE_FILE: no file refault activated since the last
     * reclaim and inactive file not low (inactive_is_low: inactive < active
     * below 1 GiB). A file page that trim mode finds young twice is
     * activated (folio_check_references), one that it evicts refaults
     * active (mm/workingset.c:workingset_refault: its distance is far below
     * the LRU sizes that count when there is swap), and at 200 the active
     * file list is never aged (shrink_list deactivates only with
     * DEACTIVATE_FILE, which rules out trim mode, and SCAN_FRACT gives the
     * file lists no pages). So each file page is reclaimed at most once, and
     * soon active file outgrows inactive for good: from then on reclaim is
     * SCAN_FRACT of anonymous pages only, and the anonymous memory, read
     * every round, is swapped out and in again round after round. */
    printf("rounds: pswpout moved: %s\n", yesno(out > 0));
    printf("rounds: pgsteal_anon moved: %s\n", yesno(anon > 0));
    printf("rounds: reclaimed more: %s\n", anon > filed ? "anonymous pages" : filed > anon ? "file pages" : "neither");

    int file_ok = 1, anon_ok = 1;
    for (size_t i = 0; i < FILE_PAGES; i++) file_ok &= *(uint64_t *)(file + i * PAGE) == file_word(i);
    for (size_t i = 0; i < ANON_PAGES; i++) anon_ok &= *(uint64_t *)(mem + i * PAGE) == (1 << 20) + i;
    printf("data intact: file %s, anonymous %s\n", yesno(file_ok), yesno(anon_ok));
    return 0;
}
