/* mmap(2): flags, hints, MAP_FIXED / MAP_FIXED_NOREPLACE and the argument
 * checks with their errno values. Reference: the real kernel (native build). */
#include "vmtest.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

int main(void)
{
    vt_init();
    vt_catch_faults();
    const int PA = MAP_PRIVATE | MAP_ANONYMOUS;
    void *p;

    /* Top-down placement: the next mapping goes directly below the last one,
     * and two untouched anonymous mappings with the same flags merge. */
    char *t1 = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, PA, -1, 0);
    char *t2 = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, PA, -1, 0);
    printf("second anon mmap placed directly below the first: %s\n", yesno(t2 + 2 * PAGE == t1));
    printf("the two are one VMA: %s\n", yesno(vmas_in(t2, 4 * PAGE) == 1));

    char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, PA, -1, 0);
    printf("mmap anon private 4 pages: %s\n", mrc(a));
    printf("mmap result page aligned: %s\n", yesno(((uintptr_t)a & (PAGE - 1)) == 0));
    printf("fresh anon page reads zero: %s\n", yesno(a[0] == 0 && a[3 * PAGE + 100] == 0));
    a[PAGE] = 7;
    printf("anon write then read: %d\n", a[PAGE]);

    errno = 0;
    printf("mmap len 0: %s\n", mrc(mmap(NULL, 0, PROT_READ, PA, -1, 0)));
    printf("mmap neither SHARED nor PRIVATE: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0)));
    printf("mmap len near SIZE_MAX: %s\n", mrc(mmap(NULL, (size_t)-PAGE + 1, PROT_READ, PA, -1, 0)));
    printf("mmap bad fd: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0)));
    printf("mmap closed fd: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 998, 0)));

    char path[32];
    int fd = temp_file(3 * PAGE, path);
    int rofd = open(path, O_RDONLY);
    int wofd = open(path, O_WRONLY);
    unlink(path);
    printf("mmap file unaligned offset: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100)));
    printf("mmap O_WRONLY fd: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wofd, 0)));
    printf("mmap SHARED+WRITE on O_RDONLY fd: %s\n",
           mrc(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0)));
    p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rofd, 0);
    printf("mmap PRIVATE+WRITE on O_RDONLY fd: %s\n", mrc(p));
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rofd, PAGE);
    printf("mmap file offset 1 page reads second page: %c\n", p == MAP_FAILED ? '?' : *(char *)p);
    printf("mmap SHARED_VALIDATE|MAP_SYNC on regular file: %s\n",
           mrc(mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0)));
    printf("mmap SHARED_VALIDATE plain: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0)));

    /* The old way to get anonymous memory: a private mapping of /dev/zero. */
    int zfd = open("/dev/zero", O_RDWR);
    char *z = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, zfd, 0);
    printf("mmap /dev/zero private: %s\n", mrc(z));
    if (z == MAP_FAILED) z = anon(2 * PAGE, PROT_NONE);   /* the next two cases then fail visibly */
    const char *zr = rd(z + PAGE + 5, z);
    printf("/dev/zero mapping read: %s, value %d\n", zr, strcmp(zr, "ok") ? -1 : z[PAGE + 5]);
    const char *zw = wr(z + PAGE + 5, 9, z);
    printf("/dev/zero mapping write: %s, reads back %d\n", zw, strcmp(zw, "ok") ? -1 : z[PAGE + 5]);
    close(zfd);

    /* Hints: a free hint is taken as is, an unaligned one is rounded up, an
     * occupied one is only a hint. */
    char *hole = fenced(8 * PAGE);
    p = mmap(hole + 2 * PAGE, PAGE, PROT_READ, PA, -1, 0);
    printf("mmap free hint: placed at hint %s\n", yesno(p == hole + 2 * PAGE));
    p = mmap(hole + 4 * PAGE + 100, PAGE, PROT_READ, PA, -1, 0);
    printf("mmap unaligned free hint: offset from hole %ld pages\n", ((char *)p - hole) / (long)PAGE);
    char *q = mmap(hole + 2 * PAGE, PAGE, PROT_READ, PA, -1, 0);
    printf("mmap occupied hint: placed elsewhere %s\n", yesno(q != MAP_FAILED && q != hole + 2 * PAGE));

    /* MAP_FIXED replaces whatever was there; MAP_FIXED_NOREPLACE refuses. */
    char *f = fenced(4 * PAGE);
    p = mmap(f, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    memset(f, 'x', 4 * PAGE);
    p = mmap(f + PAGE, PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    printf("mmap FIXED over existing: at addr %s, old data gone %s, neighbours kept %s\n", yesno(p == f + PAGE),
           yesno(f[PAGE] == 0), yesno(f[0] == 'x' && f[2 * PAGE] == 'x'));
    printf("mmap FIXED at address 0 (below mmap_min_addr): %s\n",
           mrc(mmap(NULL, PAGE, PROT_READ, PA | MAP_FIXED, -1, 0)));
    printf("mmap FIXED above the top of the address space: %s\n",
           mrc(mmap((void *)(1UL << 52), PAGE, PROT_READ, PA | MAP_FIXED, -1, 0)));
    printf("mmap FIXED unaligned: %s\n", mrc(mmap(f + 10, PAGE, PROT_READ, PA | MAP_FIXED, -1, 0)));
    printf("mmap FIXED_NOREPLACE over existing: %s\n",
           mrc(mmap(f, PAGE, PROT_READ, PA | MAP_FIXED_NOREPLACE, -1, 0)));
    printf("mmap FIXED_NOREPLACE partly over existing: %s\n",
           mrc(mmap(f + 3 * PAGE, 2 * PAGE, PROT_READ, PA | MAP_FIXED_NOREPLACE, -1, 0)));
    printf("mmap FIXED_NOREPLACE data kept: %s\n", yesno(f[0] == 'x' && f[3 * PAGE] == 'x'));
    munmap(f + 2 * PAGE, PAGE);
    p = mmap(f + 2 * PAGE, PAGE, PROT_READ, PA | MAP_FIXED_NOREPLACE, -1, 0);
    printf("mmap FIXED_NOREPLACE into a free page: %s, at addr %s\n", mrc(p), yesno(p == f + 2 * PAGE));

    /* Adjacent compatible anonymous mappings merge into one VMA. */
    char *m = fenced(4 * PAGE);
    mmap(m, 2 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    mmap(m + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    printf("two adjacent anon RW mappings: %d VMA(s)\n", vmas_in(m, 4 * PAGE));
    mmap(m + 2 * PAGE, 2 * PAGE, PROT_READ, PA | MAP_FIXED, -1, 0);
    printf("adjacent anon RW + R mappings: %d VMA(s)\n", vmas_in(m, 4 * PAGE));

    /* Flags. */
    char *pop = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_POPULATE, -1, 0);
    printf("mmap POPULATE: %s, resident %s\n", mrc(pop), resident(pop, 8));
    char *lazy = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, PA, -1, 0);
    printf("mmap without POPULATE: resident %s\n", resident(lazy, 8));
    lazy[0] = 1; lazy[5 * PAGE] = 1;
    printf("after writing pages 0 and 5: resident %s\n", resident(lazy, 8));
    char *big = mmap(NULL, 256UL << 30, PROT_READ | PROT_WRITE, PA | MAP_NORESERVE, -1, 0);
    printf("mmap NORESERVE 256 GiB: %s\n", mrc(big));
    if (big == MAP_FAILED) big = anon(PAGE, PROT_NONE);
    printf("NORESERVE first byte writable: %s\n", wr(big, 1, big));
    printf("NORESERVE last byte writable: %s\n", wr(big + (256UL << 30) - 1, 2, big));
    munmap(big, 256UL << 30);
    printf("mmap private writable 256 GiB (overcommit heuristic): %s\n",
           mrc(mmap(NULL, 256UL << 30, PROT_READ | PROT_WRITE, PA, -1, 0)));
    printf("mmap read-only 256 GiB (not charged): %s\n", mrc(p = mmap(NULL, 256UL << 30, PROT_READ, PA, -1, 0)));
    if (p != MAP_FAILED) munmap(p, 256UL << 30);
    printf("mmap STACK: %s\n", mrc(mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_STACK, -1, 0)));

    /* A readable page, then 596 free pages (more than the 256-page stack
     * guard gap), then the GROWSDOWN mapping. */
    char *gd = fenced(600 * PAGE);
    mprotect(gd - PAGE, PAGE, PROT_READ);
    p = mmap(gd + 596 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
    printf("mmap GROWSDOWN: %s, VmFlags has gd %s\n", mrc(p),
           yesno(strstr(smaps_text("/proc/self/smaps", p, "VmFlags"), " gd") != NULL ||
              !strncmp(smaps_text("/proc/self/smaps", p, "VmFlags"), "gd", 2)));
    printf("write 1 page below GROWSDOWN mapping: %s\n", wr((char *)p - PAGE + 8, 1, p));
    long s = 0, e = 0;
    vma_of(p, &s, &e, NULL);
    printf("GROWSDOWN VMA now starts at %ld pages, ends at %ld pages from the mapping\n", s / (long)PAGE, e / (long)PAGE);
    printf("write 400 pages below GROWSDOWN mapping (guard gap to a readable VMA): %s\n",
           wr((char *)p - 400 * PAGE, 1, p));

    char *ro = mmap(NULL, PAGE, PROT_READ, PA, -1, 0);
    printf("read of PROT_READ page: %s\n", rd(ro, ro));
    printf("write to PROT_READ page: %s\n", wr(ro + 8, 1, ro));
    char *none = mmap(NULL, 2 * PAGE, PROT_NONE, PA, -1, 0);
    printf("read of PROT_NONE page: %s\n", rd(none + PAGE + 16, none));
    return 0;
}
