/* mremap(2): shrink, grow in place, MAYMOVE, FIXED, DONTUNMAP and the
 * argument checks. Reference: the real kernel (qemu-aarch64 gives ENOMEM
 * where Linux gives EINVAL for new_len 0). */
#include "vmtest.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* glibc's mremap reads new_address only for MREMAP_FIXED and passes whatever
 * is in the register otherwise, which DONTUNMAP then rejects: call the kernel
 * directly, always with an explicit new_address. */
static void *remap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
    long r = syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
    return r == -1 ? MAP_FAILED : (void *)r;
}

static int filled(const char *p, size_t len, char c)
{
    for (size_t i = 0; i < len; i += 512)
        if (p[i] != c) return 0;
    return 1;
}

int main(void)
{
    vt_init();
    vt_catch_faults();
    const int PA = MAP_PRIVATE | MAP_ANONYMOUS;
    void *r;

    char *a = fenced(8 * PAGE);
    mmap(a, 4 * PAGE, PROT_READ | PROT_WRITE, PA | MAP_FIXED, -1, 0);
    memset(a, 'a', 4 * PAGE);
    r = remap(a, 4 * PAGE, 2 * PAGE, 0, NULL);
    printf("mremap shrink 4 -> 2 pages: %s, same address %s\n", mrc(r), yesno(r == a));
    printf("shrunk tail: %s\n", rd(a + 2 * PAGE, a));
    printf("shrunk head kept: %s\n", yesno(filled(a, 2 * PAGE, 'a')));
    r = remap(a, 2 * PAGE, 6 * PAGE, 0, NULL);
    printf("mremap grow in place 2 -> 6 pages into free space: %s, same address %s\n", mrc(r), yesno(r == a));
    printf("grown part reads zero: %s, old part kept %s\n", yesno(filled(a + 2 * PAGE, 4 * PAGE, 0)),
           yesno(filled(a, 2 * PAGE, 'a')));
    printf("after grow: %d VMA\n", vmas_in(a, 6 * PAGE));

    /* The page after the mapping is taken: no room to grow in place. */
    mmap(a + 6 * PAGE, PAGE, PROT_READ, PA | MAP_FIXED, -1, 0);
    r = remap(a, 6 * PAGE, 8 * PAGE, 0, NULL);
    printf("mremap grow blocked, no MAYMOVE: %s\n", mrc(r));
    r = remap(a, 6 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, NULL);
    printf("mremap grow blocked, MAYMOVE: %s, moved %s\n", mrc(r), yesno(r != a && r != MAP_FAILED));
    char *b = r;
    printf("moved data kept: %s, old address now: %s\n", yesno(filled(b, 2 * PAGE, 'a')), rd(a, a));

    /* MREMAP_FIXED to a chosen address, replacing what was there. */
    char *dst = fenced(8 * PAGE);
    mmap(dst, 8 * PAGE, PROT_READ, PA | MAP_FIXED, -1, 0);
    r = remap(b, 8 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 2 * PAGE);
    printf("mremap FIXED: %s, at the new address %s\n", mrc(r), yesno(r == dst + 2 * PAGE));
    printf("FIXED data kept: %s, source gone: %s\n", yesno(filled(dst + 2 * PAGE, 2 * PAGE, 'a')), rd(b, b));
    char perms[5] = "";
    vma_of(dst + 2 * PAGE, NULL, NULL, perms);
    printf("FIXED target perms (from the source): %s, %d VMAs in target range\n", perms, vmas_in(dst, 8 * PAGE));

    printf("mremap FIXED without MAYMOVE: %s\n", mrc(remap(dst + 2 * PAGE, PAGE, PAGE, MREMAP_FIXED, dst + 6 * PAGE)));
    printf("mremap new_len 0: %s\n", mrc(remap(dst + 2 * PAGE, PAGE, 0, 0, NULL)));
    printf("mremap unaligned old address: %s\n", mrc(remap(dst + 2 * PAGE + 1, PAGE, 2 * PAGE, 0, NULL)));
    printf("mremap unknown flag: %s\n", mrc(remap(dst + 2 * PAGE, PAGE, PAGE, 0x40, NULL)));
    printf("mremap unmapped old range: %s\n", mrc(remap(b, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL)));
    printf("mremap FIXED overlapping source: %s\n",
           mrc(remap(dst + 2 * PAGE, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 3 * PAGE)));

    /* DONTUNMAP: the old range stays mapped and refaults as zero. */
    char *d = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    memset(d, 'd', 2 * PAGE);
    r = remap(d, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    printf("mremap DONTUNMAP: %s, data moved %s, old range reads zero %s\n", mrc(r),
           yesno(r != MAP_FAILED && filled(r, 2 * PAGE, 'd')), yesno(filled(d, 2 * PAGE, 0)));
    printf("mremap DONTUNMAP with a size change: %s\n",
           mrc(remap(d, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL)));

    /* A file mapping moves with its offset; the page cache stays behind it. */
    int fd = temp_file(5 * PAGE, NULL);
    char *fm = fenced(2 * PAGE);   /* the fence above blocks growing in place */
    mmap(fm, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 2 * PAGE);
    r = remap(fm, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE, NULL);
    printf("mremap file mapping at offset 2 pages, 2 -> 3 pages: %s, moved %s, reads %c%c%c\n", mrc(r), yesno(r != fm),
           r == MAP_FAILED ? '?' : ((char *)r)[0], r == MAP_FAILED ? '?' : ((char *)r)[PAGE],
           r == MAP_FAILED ? '?' : ((char *)r)[2 * PAGE]);
    char line[5] = "";
    vma_of(r, NULL, NULL, line);
    printf("moved file mapping perms: %s\n", line);

    /* old_len 0 duplicates a shared mapping; a private one refuses. */
    char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 's';
    r = remap(s, 0, PAGE, MREMAP_MAYMOVE, NULL);
    printf("mremap old_len 0 of a shared mapping: %s, same pages %s\n", mrc(r),
           yesno(r != MAP_FAILED && (((char *)r)[0] = 'S', s[0] == 'S')));
    printf("mremap old_len 0 of a private mapping: %s\n", mrc(remap(d, 0, PAGE, MREMAP_MAYMOVE, NULL)));
    return 0;
}
