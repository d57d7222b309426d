/* madvise(2) and mincore(2): what each advice does to anonymous and file
 * pages, and the argument checks. Reference: the real kernel (qemu-aarch64
 * returns 0 for madvise on an unmapped range). */
#include "vmtest.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

int main(void)
{
    vt_init();
    vt_catch_faults();
    const int PA = MAP_PRIVATE | MAP_ANONYMOUS;

    /* mincore */
    char *a = anon(4 * PAGE, PROT_READ | PROT_WRITE);
    printf("mincore untouched anon: %s\n", resident(a, 4));
    a[0] = 1;
    a[2 * PAGE] = 1;
    printf("mincore after writing pages 0 and 2: %s\n", resident(a, 4));
    (void)*(volatile char *)(a + 3 * PAGE);
    printf("mincore after reading page 3 (zero page): %s\n", resident(a, 4));
    unsigned char vec[4];
    printf("mincore unaligned address: %s\n", rc(mincore(a + 1, PAGE, vec)));
    char *hole = fenced(2 * PAGE);
    printf("mincore unmapped range: %s\n", rc(mincore(hole, PAGE, vec)));
    printf("mincore range running into a hole: %s\n", rc(mincore(hole - PAGE, 2 * PAGE, vec)));
    printf("mincore bad vector pointer: %s\n", rc(mincore(a, PAGE, (unsigned char *)8)));

    /* DONTNEED on private anonymous memory: the next touch sees zeroes. */
    memset(a, 'a', 4 * PAGE);
    printf("madvise DONTNEED anon: %s\n", rc(madvise(a + PAGE, 2 * PAGE, MADV_DONTNEED)));
    printf("after DONTNEED: resident %s\n", resident(a, 4));
    printf("after DONTNEED: page 1 reads %d, page 0 reads %c, page 3 reads %c\n", a[PAGE], a[0], a[3 * PAGE]);

    /* DONTNEED on a private file mapping drops the private copy: the file is read again. */
    char path[32];
    int fd = temp_file(2 * PAGE, path);
    unlink(path);
    char *fp = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    fp[0] = 'z';
    printf("private file page after write: %c\n", fp[0]);
    printf("madvise DONTNEED private file: %s\n", rc(madvise(fp, 2 * PAGE, MADV_DONTNEED)));
    printf("private file page after DONTNEED rereads the file: %c\n", fp[0]);
    char *fs = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fs[PAGE] = 'y';
    printf("madvise DONTNEED shared file: %s\n", rc(madvise(fs, 2 * PAGE, MADV_DONTNEED)));
    printf("shared file page after DONTNEED keeps the write: %c\n", fs[PAGE]);
    char *sa = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sa[0] = 's';
    printf("madvise DONTNEED shared anon: %s\n", rc(madvise(sa, PAGE, MADV_DONTNEED)));
    printf("shared anon page after DONTNEED keeps the write: %c\n", sa[0]);

    /* FREE: only private anonymous memory; a write after it cancels the free. */
    char *f = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    memset(f, 'f', 2 * PAGE);
    printf("madvise FREE private anon: %s\n", rc(madvise(f, 2 * PAGE, MADV_FREE)));
    f[0] = 'g';
    printf("write after FREE kept: %c\n", f[0]);
    printf("madvise FREE private file: %s\n", rc(madvise(fp, PAGE, MADV_FREE)));
    printf("madvise FREE shared anon: %s\n", rc(madvise(sa, PAGE, MADV_FREE)));

    /* Advice that changes no contents. */
    char *w = fenced(4 * PAGE);   /* its own VMA, so smaps counts only these pages */
    mmap(w, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    memset(w, 'w', 4 * PAGE);
    printf("madvise WILLNEED anon: %s\n", rc(madvise(w, 4 * PAGE, MADV_WILLNEED)));
    printf("madvise WILLNEED file: %s\n", rc(madvise(fs, 2 * PAGE, MADV_WILLNEED)));
    printf("smaps Referenced of 4 written pages: %ld kB\n", smaps_kb(w, "Referenced"));
    printf("madvise COLD: %s\n", rc(madvise(w, 4 * PAGE, MADV_COLD)));
    printf("smaps Referenced after COLD: %ld kB\n", smaps_kb(w, "Referenced"));
    (void)*(volatile char *)(w + PAGE);
    printf("smaps Referenced after reading one page again: %ld kB\n", smaps_kb(w, "Referenced"));
    printf("madvise PAGEOUT: %s\n", rc(madvise(w, 4 * PAGE, MADV_PAGEOUT)));
    int same = 1;
    for (size_t i = 0; i < 4 * PAGE; i++) same &= w[i] == 'w';
    printf("data after WILLNEED, COLD, PAGEOUT unchanged: %s\n", yesno(same));
    printf("madvise NORMAL: %s\n", rc(madvise(w, 4 * PAGE, MADV_NORMAL)));
    printf("madvise RANDOM: %s\n", rc(madvise(w, 4 * PAGE, MADV_RANDOM)));
    printf("madvise SEQUENTIAL: %s\n", rc(madvise(w, 4 * PAGE, MADV_SEQUENTIAL)));

    /* errors; a fresh hole, as new mappings may have filled the first one */
    hole = fenced(2 * PAGE);
    printf("madvise unmapped range: %s\n", rc(madvise(hole, PAGE, MADV_DONTNEED)));
    printf("madvise range with a hole (WILLNEED): %s\n", rc(madvise(hole - PAGE, 2 * PAGE, MADV_WILLNEED)));
    mmap(hole, PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    hole[0] = 'h';
    printf("madvise DONTNEED range partly unmapped: %s\n", rc(madvise(hole, 2 * PAGE, MADV_DONTNEED)));
    printf("mapped part zapped anyway: %s\n", yesno(hole[0] == 0));
    printf("madvise unaligned: %s\n", rc(madvise(w + 1, PAGE, MADV_DONTNEED)));
    printf("madvise unknown advice: %s\n", rc(madvise(w, PAGE, 12345)));
    printf("madvise length 0: %s\n", rc(madvise(w, 0, MADV_DONTNEED)));
    char *l = anon(PAGE, PROT_READ | PROT_WRITE);
    mlock(l, PAGE);
    printf("madvise DONTNEED on locked memory: %s\n", rc(madvise(l, PAGE, MADV_DONTNEED)));
    return 0;
}
