/* brk(2): grow, shrink, unaligned breaks, failures returning the current
 * break, and that pages above a shrunk break are gone. Reference: the real
 * kernel (qemu-aarch64 keeps them readable). All breaks are printed relative
 * to the break the program found at start. */
#include "vmtest.h"

static char *sys_brk(void *addr) { return (char *)syscall(SYS_brk, addr); }

int main(void)
{
    vt_init();
    vt_catch_faults();
    char *cur = sys_brk(0);
    char *base = (char *)(((uintptr_t)cur + PAGE - 1) & ~(PAGE - 1));
#define REL(p) ((long)((char *)(p) - base))
    printf("brk(0) twice gives the same break: %s\n", yesno(sys_brk(0) == cur));
    sys_brk(base);
    printf("brk to the page-aligned break: %ld\n", REL(sys_brk(0)));

    char *r = sys_brk(base + 4 * PAGE);
    printf("brk grow 4 pages: returns %ld\n", REL(r));
    printf("grown heap reads zero: %s\n", yesno(base[0] == 0 && base[4 * PAGE - 1] == 0));
    printf("write to grown heap: %s\n", wr(base + 3 * PAGE, 'h', base));
    slurp("/proc/self/maps", vt_proc, sizeof vt_proc);
    int heap_named = 0;
    for (char *l = vt_proc; *l; ) {
        unsigned long s, e;
        char *nl = strchr(l, '\n');
        if (sscanf(l, "%lx-%lx", &s, &e) == 2 && s <= (uintptr_t)base && (uintptr_t)base < e)
            heap_named = nl && nl - l > 6 && !strncmp(nl - 6, "[heap]", 6);
        if (!nl) break;
        l = nl + 1;
    }
    printf("the heap VMA is named [heap] in maps: %s\n", yesno(heap_named));
    printf("heap VMA perms: ");
    char perms[5] = "";
    vma_of(base + 3 * PAGE, NULL, NULL, perms);
    printf("%s\n", perms);

    r = sys_brk(base + 4 * PAGE + 100);
    printf("brk unaligned: returns %ld\n", REL(r));
    printf("byte past the unaligned break, same page: %s\n", wr(base + 4 * PAGE + 200, 1, base));
    printf("page after the unaligned break's page: %s\n", rd(base + 5 * PAGE, base));
    memset(base, 'h', 4 * PAGE);

    r = sys_brk(base + PAGE);
    printf("brk shrink to 1 page: returns %ld\n", REL(r));
    printf("page below the new break: %s\n", rd(base + PAGE - 1, base));
    printf("page above the new break: %s\n", rd(base + 2 * PAGE, base));
    printf("mincore above the new break: %s\n", resident(base + PAGE, 1));
    r = sys_brk(base + 4 * PAGE);
    printf("brk grow again: returns %ld, old data gone %s, kept below %s\n", REL(r),
           yesno(base[2 * PAGE] == 0), yesno(base[PAGE - 1] == 'h'));

    r = sys_brk((void *)PAGE);
    printf("brk below the start of the heap: returns %ld\n", REL(r));
    r = sys_brk(base + (1UL << 42));
    printf("brk 4 TiB up: returns %ld\n", REL(r));

    /* A mapping just above the break: brk may grow up to it but needs a page of gap... */
    char *m = mmap(base + 64 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("mapping 64 pages above the heap start: %s\n", mrc(m));
    r = sys_brk(base + 70 * PAGE);
    printf("brk over the mapping: returns %ld\n", REL(r));
    r = sys_brk(base + 64 * PAGE);
    printf("brk up to the mapping: returns %ld\n", REL(r));
    r = sys_brk(base + 63 * PAGE);
    printf("brk to one page below the mapping: returns %ld\n", REL(r));
    printf("mapping still there: %s\n", rd(m, base));
    sys_brk(base + 4 * PAGE);
    munmap(m, PAGE);

    /* RLIMIT_DATA caps the heap: failure returns the current break. */
    struct rlimit rl;
    getrlimit(RLIMIT_DATA, &rl);
    long vmdata = proc_kv("/proc/self/status", "VmData");
    rl.rlim_cur = (vmdata + 64) << 10;
    printf("setrlimit DATA to VmData + 64 kB: %s\n", rc(setrlimit(RLIMIT_DATA, &rl)));
    r = sys_brk(base + (1 << 20));
    printf("brk 1 MiB up over RLIMIT_DATA: returns %ld\n", REL(r));
    r = sys_brk(base + 8 * PAGE);
    printf("brk 4 pages more within RLIMIT_DATA: returns %ld\n", REL(r));

    /* glibc's sbrk on top of brk. */
    char *old = sbrk(0);
    char *s = sbrk(3 * PAGE);
    printf("sbrk(3 pages) returns the old break: %s, new break +3 pages: %s\n", yesno(s == old),
           yesno((char *)sbrk(0) == old + 3 * PAGE));
    printf("sbrk(-1 page): %s\n", yesno(sbrk(-(long)PAGE) == old + 3 * PAGE));
    return 0;
}
