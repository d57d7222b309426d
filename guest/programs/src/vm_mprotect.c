/* munmap(2) and mprotect(2): splitting and merging VMAs (counted in
 * /proc/self/maps), holes, argument checks, and that a permission downgrade
 * takes effect at once (the TLB is invalidated). Reference: the real kernel. */
#include "vmtest.h"

int main(void)
{
    vt_init();
    vt_catch_faults();
    const int PA = MAP_PRIVATE | MAP_ANONYMOUS;

    /* munmap */
    char *u = fenced(8 * PAGE);
    mmap(u, 8 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    memset(u, 'u', 8 * PAGE);
    printf("munmap middle 2 pages: %s\n", rc(munmap(u + 3 * PAGE, 2 * PAGE)));
    printf("after munmap middle: %d VMAs in the range\n", vmas_in(u, 8 * PAGE));
    printf("unmapped page: %s\n", rd(u + 3 * PAGE, u));
    printf("pages beside the hole kept: %s\n", yesno(u[2 * PAGE] == 'u' && u[5 * PAGE] == 'u'));
    printf("munmap over the hole and one page each side: %s\n", rc(munmap(u + 2 * PAGE, 4 * PAGE)));
    printf("after munmap over hole: %d VMAs in the range\n", vmas_in(u, 8 * PAGE));
    printf("munmap a range that is entirely unmapped: %s\n", rc(munmap(u + 3 * PAGE, PAGE)));
    printf("munmap unaligned address: %s\n", rc(munmap(u + 1, PAGE)));
    printf("munmap length 0: %s\n", rc(munmap(u, 0)));
    printf("munmap unaligned length (rounded up): %s\n", rc(munmap(u + 6 * PAGE, PAGE + 1)));
    printf("after unaligned-length munmap: %d VMA in the range, last page: %s\n", vmas_in(u, 8 * PAGE),
           rd(u + 7 * PAGE, u));

    /* mprotect split and merge */
    char *m = fenced(4 * PAGE);
    mmap(m, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    memset(m, 'm', 4 * PAGE);
    printf("mprotect 4-page RW mapping: %d VMA\n", vmas_in(m, 4 * PAGE));
    printf("mprotect middle 2 pages read-only: %s\n", rc(mprotect(m + PAGE, 2 * PAGE, PROT_READ)));
    printf("after mprotect middle: %d VMAs\n", vmas_in(m, 4 * PAGE));
    char perms[5] = "";
    vma_of(m + PAGE, NULL, NULL, perms);
    printf("middle VMA perms: %s\n", perms);
    printf("write to now read-only page: %s\n", wr(m + 2 * PAGE + 5, 1, m));
    printf("write to still writable page: %s\n", wr(m + 3 * PAGE, 1, m));
    printf("mprotect middle back to RW: %s\n", rc(mprotect(m + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE)));
    printf("after restoring: %d VMA (merged)\n", vmas_in(m, 4 * PAGE));
    printf("write after restoring: %s\n", wr(m + 2 * PAGE + 5, 1, m));
    printf("mprotect first page PROT_NONE: %s\n", rc(mprotect(m, PAGE, PROT_NONE)));
    printf("after PROT_NONE on the first page: %d VMAs\n", vmas_in(m, 4 * PAGE));
    printf("read of the PROT_NONE page: %s\n", rd(m, m));
    mprotect(m, PAGE, PROT_READ | PROT_WRITE);
    printf("data survives PROT_NONE and back: %s\n", yesno(m[0] == 'm'));

    /* Downgrade after the page was written through a writable, cached translation. */
    char *t = anon(PAGE, PROT_READ | PROT_WRITE);
    for (int i = 0; i < 100; i++) t[i] = (char)i;
    mprotect(t, PAGE, PROT_READ);
    printf("write right after downgrade to read-only: %s\n", wr(t + 1, 9, t));
    mprotect(t, PAGE, PROT_NONE);
    printf("read right after downgrade to PROT_NONE: %s\n", rd(t, t));

    /* errors */
    char *h = fenced(3 * PAGE);
    mmap(h, PAGE, PROT_READ, PA | MAP_FIXED, -1, 0);
    mmap(h + 2 * PAGE, PAGE, PROT_READ, PA | MAP_FIXED, -1, 0);
    printf("mprotect over a hole: %s\n", rc(mprotect(h, 3 * PAGE, PROT_READ | PROT_WRITE)));
    printf("mprotect unaligned: %s\n", rc(mprotect(h + 8, PAGE, PROT_READ)));
    printf("mprotect length 0: %s\n", rc(mprotect(h, 0, PROT_READ)));
    printf("mprotect unknown prot bit: %s\n", rc(mprotect(h, PAGE, PROT_READ | 0x80)));
    printf("mprotect PROT_GROWSDOWN on a normal mapping: %s\n", rc(mprotect(h, PAGE, PROT_READ | PROT_GROWSDOWN)));
    printf("mprotect entirely unmapped range: %s\n", rc(mprotect(h + PAGE, PAGE, PROT_READ)));

    /* Splitting a file mapping keeps each part's file offset. */
    int sfd = temp_file(8 * PAGE, NULL);
    char *sp = mmap(NULL, 6 * PAGE, PROT_READ, MAP_PRIVATE, sfd, 2 * PAGE);
    mprotect(sp + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE);
    munmap(sp + 4 * PAGE, PAGE);
    printf("file mapping at offset 2 pages split by mprotect and munmap: %d VMAs\n", vmas_in(sp, 6 * PAGE));
    for (int i = 0; i < 6; i++) {
        if (i == 4) continue;
        char perms[5] = "";
        long s = 0;
        vma_of(sp + i * PAGE, &s, NULL, perms);
        slurp("/proc/self/maps", vt_proc, sizeof vt_proc);
        char *hit = NULL;
        for (char *l = vt_proc; *l; ) {
            unsigned long a, b;
            if (sscanf(l, "%lx-%lx", &a, &b) == 2 && a <= (uintptr_t)(sp + i * PAGE) && (uintptr_t)(sp + i * PAGE) < b) hit = l;
            char *nl = strchr(l, '\n');
            if (!nl) break;
            l = nl + 1;
        }
        char off[32] = "?";
        if (hit) sscanf(hit, "%*s %*s %31s", off);
        printf("  page %d: %s, VMA offset %s, reads %c\n", i, perms, off, sp[i * PAGE]);
    }

    char path[32];
    int fd = temp_file(2 * PAGE, path);
    int rofd = open(path, O_RDONLY);
    unlink(path);
    char *fs = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, rofd, 0);
    printf("mprotect WRITE on SHARED mapping of O_RDONLY fd: %s\n", rc(mprotect(fs, 2 * PAGE, PROT_READ | PROT_WRITE)));
    char *fp = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, rofd, 0);
    printf("mprotect WRITE on PRIVATE mapping of O_RDONLY fd: %s\n", rc(mprotect(fp, 2 * PAGE, PROT_READ | PROT_WRITE)));
    fp[0] = 'z';
    char c;
    pread(fd, &c, 1, 0);
    printf("private write leaves the file: %c, mapping shows %c\n", c, fp[0]);
    return 0;
}
