/* mlock, munlock, mlock2, mlockall, munlockall with RLIMIT_MEMLOCK, and
 * msync. Reference: the real kernel, run without capabilities (vt_init drops
 * CAP_IPC_LOCK, so the limit applies as to an ordinary user). */
#include "vmtest.h"

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

static int sys_mlock2(const void *addr, size_t len, unsigned flags)
{
    return (int)syscall(SYS_mlock2, addr, len, flags);
}

static const char *locked(const void *p)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "%ld kB", smaps_kb(p, "Locked"));
    return buf;
}

int main(void)
{
    vt_init();
    struct rlimit rl = { 64 << 10, 64 << 10 };
    printf("setrlimit MEMLOCK 64 KiB: %s\n", rc(setrlimit(RLIMIT_MEMLOCK, &rl)));

    char *a = anon(4 * PAGE, PROT_READ | PROT_WRITE);
    printf("mlock 2 untouched pages: %s\n", rc(mlock(a, 2 * PAGE)));
    printf("after mlock: resident %s\n", resident(a, 4));
    printf("after mlock: smaps Locked %s\n", locked(a));
    printf("after mlock: %d VMAs in the mapping\n", vmas_in(a, 4 * PAGE));
    printf("after mlock: status VmLck %ld kB\n", proc_kv("/proc/self/status", "VmLck"));
    printf("VmFlags of the locked part has lo: %s\n",
           yesno(strstr(smaps_text("/proc/self/smaps", a, "VmFlags"), "lo ") != NULL));
    printf("munlock: %s\n", rc(munlock(a, 2 * PAGE)));
    printf("after munlock: smaps Locked %s, %d VMA, VmLck %ld kB\n", locked(a), vmas_in(a, 4 * PAGE),
           proc_kv("/proc/self/status", "VmLck"));
    printf("mlock unaligned address (rounded down): %s\n", rc(mlock(a + 100, PAGE)));
    printf("after unaligned mlock: Locked %s\n", locked(a));
    munlock(a, 4 * PAGE);

    char *big = anon(32 * PAGE, PROT_READ | PROT_WRITE);
    printf("mlock 128 KiB over RLIMIT_MEMLOCK: %s\n", rc(mlock(big, 32 * PAGE)));
    printf("mlock 64 KiB, exactly the limit: %s\n", rc(mlock(big, 16 * PAGE)));
    printf("mlock 1 page more: %s\n", rc(mlock(big + 16 * PAGE, PAGE)));
    munlock(big, 32 * PAGE);
    char *hole = fenced(PAGE);
    printf("mlock unmapped range: %s\n", rc(mlock(hole, PAGE)));
    printf("munlock unmapped range: %s\n", rc(munlock(hole, PAGE)));

    char *o = anon(4 * PAGE, PROT_READ | PROT_WRITE);
    printf("mlock2 ONFAULT: %s\n", rc(sys_mlock2(o, 4 * PAGE, MLOCK_ONFAULT)));
    printf("after mlock2 ONFAULT: resident %s\n", resident(o, 4));
    o[PAGE] = 1;
    printf("after touching page 1: resident %s, Locked %s\n", resident(o, 4), locked(o));
    printf("mlock2 unknown flag: %s\n", rc(sys_mlock2(o, PAGE, 2)));
    printf("mlock2 no flags: %s\n", rc(sys_mlock2(o, 4 * PAGE, 0)));
    printf("after mlock2 no flags: resident %s\n", resident(o, 4));
    munlock(o, 4 * PAGE);

    char *ml = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("mmap LOCKED: %s, resident %s, Locked %s\n", mrc(ml), resident(ml, 4), locked(ml));
    printf("mmap LOCKED over RLIMIT_MEMLOCK: %s\n",
           mrc(mmap(NULL, 32 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0)));
    munmap(ml, 4 * PAGE);

    printf("mlockall no flags: %s\n", rc(mlockall(0)));
    printf("mlockall ONFAULT alone: %s\n", rc(mlockall(MCL_ONFAULT)));
    printf("mlockall CURRENT over RLIMIT_MEMLOCK: %s\n", rc(mlockall(MCL_CURRENT)));
    printf("mlockall FUTURE: %s\n", rc(mlockall(MCL_FUTURE)));
    char *f = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    printf("mapping after MCL_FUTURE: resident %s, Locked %s\n", resident(f, 2), locked(f));
    printf("mmap after MCL_FUTURE over RLIMIT_MEMLOCK: %s\n",
           mrc(mmap(NULL, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    printf("munlockall: %s\n", rc(munlockall()));
    char *g = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    printf("mapping after munlockall: resident %s, Locked %s\n", resident(g, 2), locked(g));
    printf("mapping made under MCL_FUTURE after munlockall: Locked %s\n", locked(f));

    /* msync */
    char path[32];
    int fd = temp_file(2 * PAGE, path);
    unlink(path);
    char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    s[10] = 'S';
    printf("msync MS_SYNC: %s\n", rc(msync(s, 2 * PAGE, MS_SYNC)));
    char c = 0;
    pread(fd, &c, 1, 10);
    printf("file after msync: %c\n", c);
    printf("msync MS_ASYNC: %s\n", rc(msync(s, PAGE, MS_ASYNC)));
    printf("msync MS_INVALIDATE: %s\n", rc(msync(s, PAGE, MS_INVALIDATE)));
    printf("msync MS_SYNC|MS_ASYNC: %s\n", rc(msync(s, PAGE, MS_SYNC | MS_ASYNC)));
    printf("msync unknown flag: %s\n", rc(msync(s, PAGE, 0x100)));
    printf("msync unaligned: %s\n", rc(msync(s + 1, PAGE, MS_SYNC)));
    printf("msync anonymous memory: %s\n", rc(msync(g, PAGE, MS_SYNC)));
    hole = fenced(PAGE);
    printf("msync unmapped range: %s\n", rc(msync(hole, PAGE, MS_SYNC)));
    printf("msync length 0: %s\n", rc(msync(s, 0, MS_SYNC)));
    mlock(s, PAGE);
    printf("msync MS_INVALIDATE on locked pages: %s\n", rc(msync(s, PAGE, MS_INVALIDATE)));
    return 0;
}
