/*
 * userfaultfd(2) as an unprivileged process sees it (issue 15): a handler thread
 * serves the missing-page faults of another thread with UFFDIO_COPY,
 * UFFDIO_ZEROPAGE and UFFDIO_WAKE; the lines show the order in which faults
 * reach it and what the faulting thread then reads. Then the errors of the
 * ioctls, the kernel's own access to a missing page (EFAULT for a
 * UFFD_USER_MODE_ONLY context), UFFD_FEATURE_SIGBUS, fork (the child's areas
 * lose the registration), unregister and close. (What the host's newer kernel
 * answers differently from 6.1 is left out: write(2) on the descriptor, EINVAL
 * in 6.1 where 6.6 made the file O_RDONLY, and UNREGISTER of a hole.)
 *
 * Oracle: native. Every case is architecture-neutral and the same in the host's
 * kernel as in Linux 6.1: the features and ioctl bits printed are masked to the
 * ones 6.1 arm64 reports too (the host's x86 kernel adds write-protect, MOVE and
 * POISON), and write-protect mode, which arm64 6.1 lacks, is not tried here
 * (vm2_misc covers it).
 */
#include "vmtest.h"
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#define NPAGES 8

static char *area;
static char src[PAGE] __attribute__((aligned(4096)));
static long copy_results[16];
static long copy_fields[16];
static pid_t main_tid;

static int new_uffd(int flags, unsigned long long features)
{
    int fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | flags);
    if (fd < 0) { printf("userfaultfd: %s\n", rc(fd)); exit(1); }
    struct uffdio_api api = { .api = UFFD_API, .features = features };
    if (ioctl(fd, UFFDIO_API, &api)) { printf("UFFDIO_API: %s\n", rc(-1)); exit(1); }
    return fd;
}

static long reg(int fd, void *start, size_t len, unsigned long long mode, unsigned long long *ioctls)
{
    struct uffdio_register r = { .range = { (uintptr_t)start, len }, .mode = mode };
    long x = ioctl(fd, UFFDIO_REGISTER, &r);
    if (ioctls) *ioctls = r.ioctls;
    return x;
}

static long page_of(unsigned long long addr, const char *base)
{
    return (long)((addr - (uintptr_t)base) / PAGE);
}

/* Serves n faults of uffd (non-blocking: poll first) with UFFDIO_COPY of a page of the page's letter. */
static int uffd1;

static void *copy_handler(void *arg)
{
    int n = (int)(long)arg;
    for (int i = 0; i < n; i++) {
        struct pollfd p = { uffd1, POLLIN, 0 };
        int pr = poll(&p, 1, 10000);
        struct uffd_msg m;
        long got = read(uffd1, &m, sizeof m);
        if (pr != 1 || got != sizeof m) { printf("handler: poll %d read %ld\n", pr, got); return NULL; }
        long page = page_of(m.arg.pagefault.address, area);
        printf("handler: fault %d: event 0x%x page %ld offset 0x%llx %s\n", i, m.event, page,
               m.arg.pagefault.address % PAGE, (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) ? "write" : "read");
        memset(src, 'A' + page, PAGE);
        struct uffdio_copy c = { .dst = m.arg.pagefault.address & ~(PAGE - 1), .src = (uintptr_t)src, .len = PAGE };
        copy_results[i] = ioctl(uffd1, UFFDIO_COPY, &c) ? -errno : 0;
        copy_fields[i] = c.copy;
    }
    return NULL;
}

/* Blocking descriptor: read() sleeps (the answers are printed by main after the join:
 * once woken, the faulting thread may print first). Serves page 1 with ZEROPAGE, the first fault of
 * page 2 with a bare WAKE (so it faults again), the second with COPY. */
static int uffd2;
static char *area2;
static pid_t reported_tid;
static char handler2_log[3][96];

static void *blocking_handler(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        struct uffd_msg m;
        long got = read(uffd2, &m, sizeof m);
        if (got != sizeof m) { printf("handler2: read %s\n", rc(got)); return NULL; }
        long page = page_of(m.arg.pagefault.address, area2);
        reported_tid = m.arg.pagefault.feat.ptid;
        printf("handler2: fault %d: page %ld %s\n", i, page,
               (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) ? "write" : "read");
        unsigned long long at = m.arg.pagefault.address & ~(PAGE - 1);
        if (i == 0) {
            struct uffdio_zeropage z = { .range = { at, PAGE } };
            long r = ioctl(uffd2, UFFDIO_ZEROPAGE, &z);
            snprintf(handler2_log[0], sizeof handler2_log[0], "UFFDIO_ZEROPAGE %s zeropage %lld", rc(r), z.zeropage);
        } else if (i == 1) {
            struct uffdio_range w = { at, PAGE };
            long r = ioctl(uffd2, UFFDIO_WAKE, &w);
            snprintf(handler2_log[1], sizeof handler2_log[1], "UFFDIO_WAKE %s (page still missing)", rc(r));
        } else {
            memset(src, 'z', PAGE);
            struct uffdio_copy c = { .dst = at, .src = (uintptr_t)src, .len = PAGE };
            long r = ioctl(uffd2, UFFDIO_COPY, &c);
            snprintf(handler2_log[2], sizeof handler2_log[2], "UFFDIO_COPY %s copy %lld", rc(r), c.copy);
        }
    }
    return NULL;
}

/* A signal for the faulting thread while it waits: its handler runs, then the access
 * faults again and completes once the page is filled. */
static int uffd4;
static char *area4;
static volatile sig_atomic_t usr1_seen;
static int signal_case_ok;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_seen = 1;
}

static void *signalling_handler(void *arg)
{
    (void)arg;
    struct pollfd p = { uffd4, POLLIN, 0 };
    struct uffd_msg m;
    if (poll(&p, 1, 10000) != 1 || read(uffd4, &m, sizeof m) != sizeof m) return NULL;
    syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    for (int i = 0; i < 1000000 && !usr1_seen; i++) sched_yield();
    memset(src, 's', PAGE);
    struct uffdio_copy c = { .dst = (uintptr_t)area4, .src = (uintptr_t)src, .len = PAGE };
    signal_case_ok = usr1_seen && ioctl(uffd4, UFFDIO_COPY, &c) == 0;
    return NULL;
}

int main(void)
{
    vt_init();
    vt_catch_faults();
    main_tid = gettid();

    printf("userfaultfd(0): %s\n", rc(syscall(SYS_userfaultfd, O_CLOEXEC)));
    printf("userfaultfd(bad flags): %s\n", rc(syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | 0x10)));
    int fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK);
    printf("userfaultfd(UFFD_USER_MODE_ONLY): %s\n", fd >= 0 ? "fd" : rc(fd));

    /* Before UFFDIO_API: reads, polls and other ioctls are refused. */
    struct uffd_msg m;
    printf("read before API: %s\n", rc(read(fd, &m, sizeof m)));
    struct pollfd p = { fd, POLLIN, 0 };
    int pr = poll(&p, 1, 0);
    printf("poll before API: %d revents 0x%x\n", pr, p.revents);
    area = fenced(NPAGES * PAGE);
    area = mmap(area, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("REGISTER before API: %s\n", rc(reg(fd, area, PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));

    struct uffdio_api api = { .api = 0xAB };
    printf("UFFDIO_API api 0xab: %s\n", rc(ioctl(fd, UFFDIO_API, &api)));
    api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << 40 };
    printf("UFFDIO_API unknown feature: %s\n", rc(ioctl(fd, UFFDIO_API, &api)));
    api = (struct uffdio_api){ .api = UFFD_API, .features = UFFD_FEATURE_EXACT_ADDRESS };
    long r = ioctl(fd, UFFDIO_API, &api);
    printf("UFFDIO_API: %s features&(SIGBUS|THREAD_ID|EXACT_ADDRESS) 0x%llx ioctls&API_IOCTLS 0x%llx\n", rc(r),
           api.features & (UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS),
           api.ioctls & UFFD_API_IOCTLS);
    api = (struct uffdio_api){ .api = UFFD_API };
    r = ioctl(fd, UFFDIO_API, &api);
    printf("UFFDIO_API again: %s features 0x%llx ioctls 0x%llx\n", rc(r), api.features, api.ioctls);
    printf("read (nothing pending): %s\n", rc(read(fd, &m, sizeof m)));
    printf("read of 16 bytes: %s\n", rc(read(fd, &m, 16)));
    p.revents = 0;
    printf("poll (nothing pending): %d\n", poll(&p, 1, 0));
    printf("unknown ioctl: %s\n", rc(ioctl(fd, _IOR(UFFDIO, 0x30, __u64), &m)));

    /* Registration. */
    unsigned long long ioctls = 0;
    printf("REGISTER mode 0: %s\n", rc(reg(fd, area, PAGE, 0, NULL)));
    printf("REGISTER mode 8: %s\n", rc(reg(fd, area, PAGE, 8, NULL)));
    printf("REGISTER MINOR on anonymous memory: %s\n", rc(reg(fd, area, PAGE, UFFDIO_REGISTER_MODE_MINOR, NULL)));
    printf("REGISTER unaligned start: %s\n", rc(reg(fd, area + 1, PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    printf("REGISTER length 0: %s\n", rc(reg(fd, area, 0, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    char *hole = fenced(4 * PAGE);
    printf("REGISTER a hole: %s\n", rc(reg(fd, hole, 4 * PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    r = reg(fd, area, NPAGES * PAGE, UFFDIO_REGISTER_MODE_MISSING, &ioctls);
    printf("REGISTER MISSING: %s ioctls&(WAKE|COPY|ZEROPAGE|WRITEPROTECT|CONTINUE) 0x%llx\n", rc(r),
           ioctls & ((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE)
                     | (1ULL << _UFFDIO_WRITEPROTECT) | (1ULL << _UFFDIO_CONTINUE)));
    printf("areas in the range: %d\n", vmas_in(area, NPAGES * PAGE));
    int other = new_uffd(O_NONBLOCK, 0);
    printf("REGISTER by a second userfaultfd: %s\n", rc(reg(other, area, PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    close(other);

    /* Faults served by a handler thread: read page 3, write page 0, read page 5 at +0x123. */
    uffd1 = fd;
    pthread_t th;
    pthread_create(&th, NULL, copy_handler, (void *)3L);
    volatile char *va = area; /* the accesses in program order: aarch64 gcc would hoist a load above the store */
    char c3 = va[3 * PAGE];
    printf("main: page 3 reads '%c'\n", c3);
    va[0] = 'x';
    char c0 = va[0], c1 = va[1];
    printf("main: page 0 written, reads '%c%c'\n", c0, c1);
    char c5 = va[5 * PAGE + 0x123];
    printf("main: page 5 reads '%c'\n", c5);
    pthread_join(th, NULL);
    for (int i = 0; i < 3; i++) printf("copy %d: result %s copy %ld\n", i, copy_results[i] ? ename(-copy_results[i]) : "0", copy_fields[i]);
    printf("resident: %s\n", resident(area, NPAGES));

    /* The ioctls' errors. */
    struct uffdio_copy cp = { .dst = (uintptr_t)area, .src = (uintptr_t)src, .len = PAGE };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY over a present page: %s copy %s\n", rc(r), ename((int)-cp.copy));
    char *plain = fenced(2 * PAGE);
    plain = mmap(plain, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    cp = (struct uffdio_copy){ .dst = (uintptr_t)plain, .src = (uintptr_t)src, .len = PAGE };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY to an unregistered area: %s copy %s\n", rc(r), ename((int)-cp.copy));
    cp = (struct uffdio_copy){ .dst = (uintptr_t)area + 7 * PAGE, .src = (uintptr_t)src, .len = 2 * PAGE };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY past the area's end: %s copy %s\n", rc(r), ename((int)-cp.copy));
    cp = (struct uffdio_copy){ .dst = (uintptr_t)area + 7 * PAGE + 8, .src = (uintptr_t)src, .len = PAGE, .copy = 77 };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY unaligned: %s copy %lld\n", rc(r), cp.copy);
    cp = (struct uffdio_copy){ .dst = (uintptr_t)area + 7 * PAGE, .src = (uintptr_t)src, .len = PAGE, .mode = 4, .copy = 77 };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY mode 4: %s copy %lld\n", rc(r), cp.copy);
    cp = (struct uffdio_copy){ .dst = (uintptr_t)area + 7 * PAGE, .src = (uintptr_t)hole, .len = PAGE };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY from unmapped memory: %s copy %s\n", rc(r), ename((int)-cp.copy));
    struct uffdio_zeropage zp = { .range = { (uintptr_t)area + 6 * PAGE, PAGE } };
    r = ioctl(fd, UFFDIO_ZEROPAGE, &zp);
    printf("ZEROPAGE page 6: %s zeropage %lld\n", rc(r), zp.zeropage);
    r = ioctl(fd, UFFDIO_ZEROPAGE, &zp);
    printf("ZEROPAGE page 6 again: %s zeropage %s\n", rc(r), ename((int)-zp.zeropage));
    zp = (struct uffdio_zeropage){ .range = { (uintptr_t)area + 6 * PAGE, PAGE }, .mode = 2 };
    printf("ZEROPAGE mode 2: %s\n", rc(ioctl(fd, UFFDIO_ZEROPAGE, &zp)));
    memset(src, 'q', PAGE);
    cp = (struct uffdio_copy){ .dst = (uintptr_t)area + 4 * PAGE, .src = (uintptr_t)src, .len = 3 * PAGE };
    r = ioctl(fd, UFFDIO_COPY, &cp);
    printf("COPY pages 4-6 (5 and 6 present): %s copy %lld pages\n", rc(r), cp.copy / (long long)PAGE);
    printf("page 4 reads '%c', page 6 reads %d\n", area[4 * PAGE], area[6 * PAGE]);
    struct uffdio_continue co = { .range = { (uintptr_t)area + 7 * PAGE, PAGE } };
    r = ioctl(fd, UFFDIO_CONTINUE, &co);
    printf("CONTINUE on anonymous memory: %s mapped %s\n", rc(r), ename((int)-co.mapped));
    co = (struct uffdio_continue){ .range = { (uintptr_t)plain, PAGE } };
    r = ioctl(fd, UFFDIO_CONTINUE, &co);
    printf("CONTINUE on an unregistered area: %s mapped %s\n", rc(r), ename((int)-co.mapped));
    struct uffdio_range wr_ = { (uintptr_t)area, PAGE + 1 };
    printf("WAKE unaligned length: %s\n", rc(ioctl(fd, UFFDIO_WAKE, &wr_)));
    wr_ = (struct uffdio_range){ (uintptr_t)area, PAGE };
    printf("WAKE with nobody waiting: %s\n", rc(ioctl(fd, UFFDIO_WAKE, &wr_)));

    /* The kernel's own access to a missing page of a user-mode-only context. */
    int pfd[2];
    pipe(pfd);
    printf("write(pipe) from a missing page: %s\n", rc(write(pfd[1], area + 7 * PAGE, 16)));
    printf("read(pipe) into a missing page: ");
    write(pfd[1], "hello", 5);
    printf("%s\n", rc(read(pfd[0], area + 7 * PAGE, 5)));

    /* fork: the child's areas are not registered (no UFFD_FEATURE_EVENT_FORK). */
    pid_t pid = xfork();
    if (pid == 0) {
        printf("child: page 7 reads %d\n", area[7 * PAGE]);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);

    /* A blocking descriptor: poll says POLLERR; the handler sleeps in read. */
    uffd2 = new_uffd(0, UFFD_FEATURE_THREAD_ID);
    area2 = fenced(4 * PAGE);
    area2 = mmap(area2, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("REGISTER area2: %s\n", rc(reg(uffd2, area2, 4 * PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    p = (struct pollfd){ uffd2, POLLIN, 0 };
    pr = poll(&p, 1, 0);
    printf("poll blocking descriptor: %d revents 0x%x\n", pr, p.revents);
    pthread_create(&th, NULL, blocking_handler, NULL);
    printf("main: area2 page 1 reads %d\n", area2[PAGE]);
    printf("main: ptid is the faulting thread: %s\n", yesno(reported_tid == main_tid));
    area2[2 * PAGE] = 'w';
    printf("main: area2 page 2 reads '%c'\n", area2[2 * PAGE]);
    pthread_join(th, NULL);
    for (int i = 0; i < 3; i++) printf("handler2 answer %d: %s\n", i, handler2_log[i]);

    /* Unregister: the range faults as ordinary memory again. */
    struct uffdio_range ur = { (uintptr_t)area2, 4 * PAGE };
    printf("UNREGISTER area2: %s\n", rc(ioctl(uffd2, UFFDIO_UNREGISTER, &ur)));
    printf("area2 page 3 reads %d\n", area2[3 * PAGE]);

    /* UFFD_FEATURE_SIGBUS: no message, the access raises SIGBUS. */
    int uffd3 = new_uffd(O_NONBLOCK, UFFD_FEATURE_SIGBUS);
    char *area3 = fenced(2 * PAGE);
    area3 = mmap(area3, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("REGISTER area3: %s\n", rc(reg(uffd3, area3, 2 * PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    printf("SIGBUS feature, read: %s\n", rd(area3 + 8, area3));
    printf("SIGBUS feature, write: %s\n", wr(area3 + PAGE, 1, area3));
    printf("read after SIGBUS faults: %s\n", rc(read(uffd3, &m, sizeof m)));

    signal(SIGUSR1, on_usr1);
    uffd4 = new_uffd(O_NONBLOCK, 0);
    area4 = fenced(PAGE);
    area4 = mmap(area4, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("REGISTER area4: %s\n", rc(reg(uffd4, area4, PAGE, UFFDIO_REGISTER_MODE_MISSING, NULL)));
    pthread_create(&th, NULL, signalling_handler, NULL);
    char c4 = *(volatile char *)area4;
    pthread_join(th, NULL);
    printf("signal during the fault: handler ran %s, copy after it %s, the access read '%c'\n",
           yesno(usr1_seen), yesno(signal_case_ok), c4);
    printf("read after: %s\n", rc(read(uffd4, &m, sizeof m)));
    close(uffd4);

    /* Shared anonymous memory (shmem): a fault waits only while the object lacks the page. */
    int uffd5 = new_uffd(O_NONBLOCK, 0);
    char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("REGISTER shared anonymous: %s\n", rc(reg(uffd5, sh, 2 * PAGE, UFFDIO_REGISTER_MODE_MISSING, &ioctls)));
    char *first_area = area;
    area = sh;
    uffd1 = uffd5;
    pthread_create(&th, NULL, copy_handler, (void *)1L);
    char s0 = *(volatile char *)sh;
    pthread_join(th, NULL);
    printf("main: shared page 0 reads '%c', copy result %s\n", s0, copy_results[0] ? ename(-copy_results[0]) : "0");
    madvise(sh, PAGE, MADV_DONTNEED);
    printf("after MADV_DONTNEED the object still has it: reads '%c', messages %s\n", *(volatile char *)sh,
           rc(read(uffd5, &m, sizeof m)));
    cp = (struct uffdio_copy){ .dst = (uintptr_t)sh, .src = (uintptr_t)src, .len = PAGE };
    madvise(sh, PAGE, MADV_DONTNEED);
    r = ioctl(uffd5, UFFDIO_COPY, &cp);
    printf("COPY over a page the object has, not mapped: %s\n", rc(r));
    zp = (struct uffdio_zeropage){ .range = { (uintptr_t)sh + PAGE, PAGE } };
    r = ioctl(uffd5, UFFDIO_ZEROPAGE, &zp);
    printf("ZEROPAGE shared page 1: %s, reads %d\n", rc(r), sh[PAGE]);
    close(uffd5);
    area = first_area;

    /* Close: the areas leave the context. */
    close(uffd3);
    printf("after close, area3 reads %d\n", area3[0]);
    close(fd);
    printf("after close, page 7 reads %d\n", area[7 * PAGE]);
    return 0;
}
