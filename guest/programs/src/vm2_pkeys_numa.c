/*
 * Protection keys and NUMA memory policies as an unprivileged arm64 Linux 6.1
 * process on a one-node machine sees them (issue 15).
 *
 * Oracle: reasoned (expected/vm2_pkeys_numa.stdout written from the kernel
 * source). No oracle runs it as it is: the host is x86-64, which has
 * protection keys (pkey_alloc succeeds there), and qemu-aarch64 answers the
 * pkey calls itself. The NUMA lines were checked against this machine's
 * one-node kernel (a native run) except these: the lines marked "arm64"
 * (Debian's arm64 kernel has MAX_NUMNODES 16, NODES_SHIFT 4; the x86 host
 * 1024), mode 6 (MPOL_WEIGHTED_INTERLEAVE came in 6.9: EINVAL in 6.1), and
 * move_pages' status
 * of the zero page and of never-touched anonymous memory (-EFAULT in 6.1 from
 * follow_page(FOLL_DUMP): the special page and no_page_table(); 6.12 moved
 * to folio_walk, which reports the zero page's node and -ENOENT).
 *
 *   pkeys: mm/mprotect.c with include/linux/pkeys.h for an architecture
 *     without ARCH_HAS_PKEYS: mm_pkey_alloc() is -1 (ENOSPC), mm_pkey_free()
 *     -EINVAL, mm_pkey_is_allocated() true for key 0 only, so pkey_mprotect
 *     takes -1 and 0 and is mprotect; another key is EINVAL after the argument
 *     checks (a zero length still returns 0 first).
 *   Cited: mm/mprotect.c:do_mprotect_pkey, mm/mprotect.c:pkey_alloc,
 *     mm/mempolicy.c:get_nodes, mm/mempolicy.c:mpol_new,
 *     mm/mempolicy.c:do_get_mempolicy, mm/mempolicy.c:queue_pages_test_walk,
 *     mm/mempolicy.c:kernel_migrate_pages, mm/migrate.c:do_pages_stat_array,
 *     mm/gup.c:no_page_table.
 *   NUMA: mm/mempolicy.c (sanitize_mpol_flags, get_nodes, mpol_new,
 *     mpol_set_nodemask, do_get_mempolicy, do_mbind, queue_pages_*,
 *     set_mempolicy_home_node, kernel_migrate_pages) and mm/migrate.c
 *     (do_pages_stat_array with follow_page(FOLL_GET | FOLL_DUMP)).
 */
#include "vmtest.h"
#include <linux/mempolicy.h>
#include <pthread.h>
#include <sys/wait.h>


static long get_mempolicy_(int *mode, unsigned long *mask, unsigned long maxnode, void *addr, unsigned long flags)
{
    return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long set_mempolicy_(int mode, const unsigned long *mask, unsigned long maxnode)
{
    return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static long mbind_(void *a, unsigned long len, int mode, const unsigned long *mask, unsigned long maxnode, unsigned flags)
{
    return syscall(SYS_mbind, a, len, mode, mask, maxnode, flags);
}

static void show_policy(const char *what, void *addr, unsigned long flags)
{
    int mode = -1;
    unsigned long mask = 0xdead;
    long r = get_mempolicy_(&mode, &mask, 64, addr, flags);
    if (r) printf("%s: %s\n", what, rc(r));
    else printf("%s: mode %d (0x%x) mask 0x%lx\n", what, mode & 0xff, mode & ~0xff, mask);
}

static void *thread_policy(void *arg)
{
    (void)arg;
    show_policy("thread inherits", NULL, 0);
    unsigned long one = 1;
    printf("thread set_mempolicy(INTERLEAVE): %s\n", rc(set_mempolicy_(MPOL_INTERLEAVE, &one, 64)));
    show_policy("thread's own", NULL, 0);
    return NULL;
}

int main(void)
{
    vt_init();
    vt_catch_faults();

    /* Protection keys. */
    printf("pkey_alloc(0, 0): %s\n", rc(syscall(SYS_pkey_alloc, 0, 0)));
    printf("pkey_alloc(0, PKEY_DISABLE_WRITE): %s\n", rc(syscall(SYS_pkey_alloc, 0, 2)));
    printf("pkey_alloc(flags 1, 0): %s\n", rc(syscall(SYS_pkey_alloc, 1, 0)));
    printf("pkey_alloc(0, init 4): %s\n", rc(syscall(SYS_pkey_alloc, 0, 4)));
    printf("pkey_free(0): %s\n", rc(syscall(SYS_pkey_free, 0)));
    printf("pkey_free(1): %s\n", rc(syscall(SYS_pkey_free, 1)));
    char *p = fenced(4 * PAGE);
    p = mmap(p, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("pkey_mprotect(READ, key -1): %s\n", rc(syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ, -1)));
    printf("write after it: %s\n", wr(p, 1, p));
    printf("pkey_mprotect(READ|WRITE, key 0): %s\n", rc(syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ | PROT_WRITE, 0)));
    printf("write after it: %s\n", wr(p, 1, p));
    printf("pkey_mprotect(READ, key 1): %s\n", rc(syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ, 1)));
    printf("write after it: %s\n", wr(p, 2, p));
    printf("pkey_mprotect(length 0, key 5): %s\n", rc(syscall(SYS_pkey_mprotect, p, 0, PROT_READ, 5)));
    printf("pkey_mprotect(unaligned, key 5): %s\n", rc(syscall(SYS_pkey_mprotect, p + 1, PAGE, PROT_READ, 5)));
    printf("areas: %d\n", vmas_in(p, 4 * PAGE));

    /* The task policy. */
    show_policy("initial", NULL, 0);
    show_policy("MPOL_F_MEMS_ALLOWED", NULL, MPOL_F_MEMS_ALLOWED);
    int mode;
    unsigned long mask = 0;
    printf("get_mempolicy(maxnode 0): %s\n", rc(get_mempolicy_(&mode, &mask, 0, NULL, 0)));
    printf("get_mempolicy(NULL mask, maxnode 0): %s\n", rc(get_mempolicy_(&mode, NULL, 0, NULL, 0)));
    printf("get_mempolicy(flags 8): %s\n", rc(get_mempolicy_(&mode, &mask, 64, NULL, 8)));
    printf("get_mempolicy(MEMS_ALLOWED|NODE): %s\n", rc(get_mempolicy_(&mode, &mask, 64, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE)));
    printf("get_mempolicy(MPOL_F_NODE, default policy): %s\n", rc(get_mempolicy_(&mode, &mask, 64, NULL, MPOL_F_NODE)));
    printf("get_mempolicy(address without MPOL_F_ADDR): %s\n", rc(get_mempolicy_(&mode, &mask, 64, p, 0)));
    unsigned long n0 = 1, n1 = 2, n01 = 3, none = 0;
    printf("set_mempolicy(BIND, {0}): %s\n", rc(set_mempolicy_(MPOL_BIND, &n0, 64)));
    show_policy("now", NULL, 0);
    printf("set_mempolicy(BIND, {1}): %s\n", rc(set_mempolicy_(MPOL_BIND, &n1, 64)));
    show_policy("unchanged", NULL, 0);
    printf("set_mempolicy(BIND, {0,1}): %s\n", rc(set_mempolicy_(MPOL_BIND, &n01, 64)));
    show_policy("now", NULL, 0);
    printf("set_mempolicy(BIND|STATIC_NODES, {0,1}): %s\n", rc(set_mempolicy_(MPOL_BIND | MPOL_F_STATIC_NODES, &n01, 64)));
    show_policy("now", NULL, 0);
    printf("set_mempolicy(BIND|RELATIVE_NODES, {1}): %s\n", rc(set_mempolicy_(MPOL_BIND | MPOL_F_RELATIVE_NODES, &n1, 64)));
    show_policy("now", NULL, 0);
    printf("set_mempolicy(BIND|STATIC|RELATIVE): %s\n", rc(set_mempolicy_(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, &n0, 64)));
    printf("set_mempolicy(PREFERRED|NUMA_BALANCING): %s\n", rc(set_mempolicy_(MPOL_PREFERRED | MPOL_F_NUMA_BALANCING, &n0, 64)));
    printf("set_mempolicy(mode 6): %s\n", rc(set_mempolicy_(6, &n0, 64)));
    printf("set_mempolicy(BIND, empty): %s\n", rc(set_mempolicy_(MPOL_BIND, &none, 64)));
    printf("set_mempolicy(BIND, maxnode 1): %s\n", rc(set_mempolicy_(MPOL_BIND, &n0, 1)));
    printf("set_mempolicy(BIND, maxnode past a page of bits): %s\n", rc(set_mempolicy_(MPOL_BIND, &n0, PAGE * 8 + 2)));
    unsigned long high[2] = { 1, 1 };
    printf("arm64: set_mempolicy(BIND, {0,64}, maxnode 128): %s\n", rc(set_mempolicy_(MPOL_BIND, high, 128)));
    unsigned long n0_40 = 1 | (1UL << 40);
    printf("arm64: set_mempolicy(BIND, {0,40}) (node 40 >= MAX_NUMNODES): %s\n", rc(set_mempolicy_(MPOL_BIND, &n0_40, 64)));
    printf("set_mempolicy(BIND, bad mask address): %s\n", rc(set_mempolicy_(MPOL_BIND, (unsigned long *)8, 64)));
    printf("set_mempolicy(INTERLEAVE, {0}): %s\n", rc(set_mempolicy_(MPOL_INTERLEAVE, &n0, 64)));
    show_policy("MPOL_F_NODE (next interleave node)", NULL, MPOL_F_NODE);
    printf("set_mempolicy(PREFERRED, empty): %s\n", rc(set_mempolicy_(MPOL_PREFERRED, &none, 64)));
    show_policy("now (local)", NULL, 0);
    printf("set_mempolicy(PREFERRED|STATIC, empty): %s\n", rc(set_mempolicy_(MPOL_PREFERRED | MPOL_F_STATIC_NODES, &none, 64)));
    printf("set_mempolicy(LOCAL, {0}): %s\n", rc(set_mempolicy_(MPOL_LOCAL, &n0, 64)));
    printf("set_mempolicy(DEFAULT, {0}): %s\n", rc(set_mempolicy_(MPOL_DEFAULT, &n0, 64)));
    printf("set_mempolicy(PREFERRED_MANY, {0,1}): %s\n", rc(set_mempolicy_(MPOL_PREFERRED_MANY, &n01, 64)));
    show_policy("now", NULL, 0);
    printf("set_mempolicy(PREFERRED, {0,1}): %s\n", rc(set_mempolicy_(MPOL_PREFERRED, &n01, 64)));
    show_policy("now", NULL, 0);
    unsigned long big[3] = { 7, 7, 7 };
    mode = -1;
    printf("get_mempolicy(maxnode 192): %s", rc(get_mempolicy_(&mode, big, 192, NULL, 0)));
    printf(" mask words 0x%lx 0x%lx 0x%lx\n", big[0], big[1], big[2]);
    printf("set_mempolicy(BIND, {0}): %s\n", rc(set_mempolicy_(MPOL_BIND, &n0, 64)));
    pthread_t th;
    pthread_create(&th, NULL, thread_policy, NULL);
    pthread_join(th, NULL);
    show_policy("main's after the thread's change", NULL, 0);
    pid_t pid = xfork();
    if (pid == 0) {
        show_policy("fork child", NULL, 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("set_mempolicy(DEFAULT, NULL): %s\n", rc(set_mempolicy_(MPOL_DEFAULT, NULL, 0)));
    show_policy("now", NULL, 0);

    /* Area policies. */
    char *a = fenced(8 * PAGE);
    a = mmap(a, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("mbind(BIND, pages 0-1): %s\n", rc(mbind_(a, 2 * PAGE, MPOL_BIND, &n0, 64, 0)));
    show_policy("page 0", a, MPOL_F_ADDR);
    show_policy("page 5", a + 5 * PAGE, MPOL_F_ADDR);
    printf("areas: %d\n", vmas_in(a, 8 * PAGE));
    printf("mbind(PREFERRED, pages 4-5, length 1 byte past page 4): %s\n", rc(mbind_(a + 4 * PAGE, PAGE + 1, MPOL_PREFERRED, &n0, 64, 0)));
    show_policy("page 5", a + 5 * PAGE, MPOL_F_ADDR);
    printf("areas: %d\n", vmas_in(a, 8 * PAGE));
    printf("mbind(unaligned): %s\n", rc(mbind_(a + 1, PAGE, MPOL_BIND, &n0, 64, 0)));
    printf("mbind(flags 8): %s\n", rc(mbind_(a, PAGE, MPOL_BIND, &n0, 64, 8)));
    printf("mbind(MPOL_MF_MOVE_ALL): %s\n", rc(mbind_(a, PAGE, MPOL_BIND, &n0, 64, MPOL_MF_MOVE_ALL)));
    printf("mbind(length 0): %s\n", rc(mbind_(a, 0, MPOL_BIND, &n0, 64, 0)));
    printf("mbind(BIND, {1}): %s\n", rc(mbind_(a, PAGE, MPOL_BIND, &n1, 64, 0)));
    char *hole = fenced(2 * PAGE); /* PROT_NONE guard pages on each side */
    printf("mbind(BIND over guard page and hole): %s\n", rc(mbind_(hole - PAGE, 2 * PAGE, MPOL_BIND, &n0, 64, 0)));
    printf("mbind(DEFAULT over guard page and hole): %s\n", rc(mbind_(hole - PAGE, 2 * PAGE, MPOL_DEFAULT, NULL, 0, 0)));
    printf("mbind(DEFAULT wholly in a hole): %s\n", rc(mbind_(hole, PAGE, MPOL_DEFAULT, NULL, 0, 0)));
    a[6 * PAGE] = 1;
    printf("mbind(LOCAL, STRICT) on a resident page: %s\n", rc(mbind_(a + 6 * PAGE, PAGE, MPOL_LOCAL, NULL, 0, MPOL_MF_STRICT)));
    show_policy("page 6", a + 6 * PAGE, MPOL_F_ADDR);
    printf("mbind(LOCAL, STRICT|MOVE): %s\n", rc(mbind_(a + 6 * PAGE, PAGE, MPOL_LOCAL, NULL, 0, MPOL_MF_STRICT | MPOL_MF_MOVE)));
    show_policy("page 6", a + 6 * PAGE, MPOL_F_ADDR);
    printf("mbind(LOCAL, STRICT) on an untouched page: %s\n", rc(mbind_(a + 7 * PAGE, PAGE, MPOL_LOCAL, NULL, 0, MPOL_MF_STRICT)));
    printf("mbind(BIND {0}, STRICT) on a resident page: %s\n", rc(mbind_(a + 6 * PAGE, PAGE, MPOL_BIND, &n0, 64, MPOL_MF_STRICT)));
    mode = -1;
    printf("get_mempolicy(NODE|ADDR, page 3): %s", rc(get_mempolicy_(&mode, NULL, 0, a + 3 * PAGE, MPOL_F_NODE | MPOL_F_ADDR)));
    printf(" node %d, resident now %s\n", mode, resident(a + 3 * PAGE, 1));
    printf("get_mempolicy(ADDR, unmapped): %s\n", rc(get_mempolicy_(&mode, NULL, 0, hole, MPOL_F_ADDR)));
    printf("set_mempolicy_home_node(pages 0-1, 0): %s\n", rc(syscall(SYS_set_mempolicy_home_node, a, 2 * PAGE, 0, 0)));
    printf("set_mempolicy_home_node(pages 2-3, no policy): %s\n", rc(syscall(SYS_set_mempolicy_home_node, a + 2 * PAGE, 2 * PAGE, 0, 0)));
    printf("set_mempolicy_home_node(pages 4-5, PREFERRED): %s\n", rc(syscall(SYS_set_mempolicy_home_node, a + 4 * PAGE, 2 * PAGE, 0, 0)));
    printf("set_mempolicy_home_node(node 1): %s\n", rc(syscall(SYS_set_mempolicy_home_node, a, PAGE, 1, 0)));
    printf("set_mempolicy_home_node(flags 1): %s\n", rc(syscall(SYS_set_mempolicy_home_node, a, PAGE, 0, 1)));
    show_policy("page 1 after the home node", a + PAGE, MPOL_F_ADDR);

    /* move_pages: each page's node, or why it has none. */
    /* Page 32 is outside the fault-around window (16 pages) of the read of page 0. */
    int fd = temp_file(40 * PAGE, NULL);
    char *f = mmap(NULL, 40 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    volatile char sink = f[0];
    (void)sink;
    a[0] = 1;
    char *z = a + 7 * PAGE;
    sink = *z; /* the zero page */
    void *pages[7] = { a, a + 2 * PAGE, z, hole, f + 32 * PAGE, f, a + 6 * PAGE + 100 };
    const char *names[7] = { "written", "untouched", "zero page", "unmapped", "file, not mapped", "file, mapped", "inside a page" };
    int status[7];
    long r = syscall(SYS_move_pages, 0, 7, pages, NULL, status, 0);
    printf("move_pages(stat): %s\n", rc(r));
    for (int i = 0; i < 7; i++) printf("  %-16s %s\n", names[i], status[i] < 0 ? ename(-status[i]) : status[i] == 0 ? "node 0" : "node ?");
    int nodes[7] = { 0, 0, 0, 0, 0, 0, 0 };
    for (int i = 0; i < 7; i++) status[i] = 99;
    r = syscall(SYS_move_pages, 0, 7, pages, nodes, status, MPOL_MF_MOVE);
    printf("move_pages(to node 0): %s\n", rc(r));
    for (int i = 0; i < 7; i++) printf("  %-16s %s\n", names[i], status[i] < 0 ? ename(-status[i]) : status[i] == 0 ? "node 0" : "node ?");
    nodes[1] = 1;
    for (int i = 0; i < 7; i++) status[i] = 99;
    r = syscall(SYS_move_pages, 0, 7, pages, nodes, status, MPOL_MF_MOVE);
    printf("move_pages(page 1 to node 1): %s, status of page 0 %d, page 1 %d\n", rc(r), status[0], status[1]);
    printf("move_pages(flags 8): %s\n", rc(syscall(SYS_move_pages, 0, 1, pages, NULL, status, 8)));
    printf("move_pages(MOVE_ALL): %s\n", rc(syscall(SYS_move_pages, 0, 1, pages, NULL, status, MPOL_MF_MOVE_ALL)));
    printf("move_pages(no such pid): %s\n", rc(syscall(SYS_move_pages, 0x3fffffff, 1, pages, NULL, status, 0)));
    printf("move_pages(bad pages array): %s\n", rc(syscall(SYS_move_pages, 0, 1, (void *)8, NULL, status, 0)));
    printf("move_pages(count 0): %s\n", rc(syscall(SYS_move_pages, 0, 0, pages, NULL, status, 0)));

    /* migrate_pages. */
    printf("migrate_pages({0} -> {0}): %s\n", rc(syscall(SYS_migrate_pages, 0, 64, &n0, &n0)));
    printf("migrate_pages({0} -> {1}): %s\n", rc(syscall(SYS_migrate_pages, 0, 64, &n0, &n1)));
    printf("migrate_pages({0} -> {}): %s\n", rc(syscall(SYS_migrate_pages, 0, 64, &n0, &none)));
    printf("migrate_pages(no such pid): %s\n", rc(syscall(SYS_migrate_pages, 0x3fffffff, 64, &n0, &n0)));
    printf("migrate_pages(maxnode past a page): %s\n", rc(syscall(SYS_migrate_pages, 0, PAGE * 8 + 2, &n0, &n0)));
    return 0;
}
