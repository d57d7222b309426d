/* Swapped-out pages across fork: the child inherits the swap entries (each
 * slot's count becomes 2, so SwapPss shows each process half of it), both
 * processes read their data back from zram, and a write in the child after
 * the swap-in copies the page instead of changing the parent's.
 * Options: expected/mp_fork_swap.options (plenty of RAM: nothing is reclaimed
 * but what MADV_PAGEOUT asks for). Expected output reasoned from Linux 6.1. */
#include "mptest.h"
#include <sys/wait.h>

#define N 32

static uint64_t word(size_t page, size_t k) { return ((uint64_t)page << 40) | (k * 3 + 1); }

static int intact(const char *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k < PAGE / 8; k++)
            if (((const uint64_t *)(p + i * PAGE))[k] != word(i, k)) return 0;
    return 1;
}

static void swap_line(const char *who, const char *when, const char *p)
{
    printf("%s %s: smaps Swap %ld kB, SwapPss %ld kB\n", who, when, smaps_kb(p, "Swap"), smaps_kb(p, "SwapPss"));
}

static void send(int fd) { char c = 1; if (write(fd, &c, 1) != 1) exit(98); }
static void await(int fd) { char c; if (read(fd, &c, 1) != 1) exit(97); }

int main(void)
{
    mp_init();
    char *g = anon((N + 2) * PAGE, PROT_NONE);
    char *p = g + PAGE;
    mprotect(p, N * PAGE, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < PAGE / 8; k++) ((uint64_t *)(p + i * PAGE))[k] = word(i, k);

    /* mm/madvise.c:madvise_pageout -> mm/vmscan.c:reclaim_pages: all N pages
     * swapped out, each slot referenced once (swap_map count 1). */
    printf("madvise PAGEOUT: %s\n", rc(madvise(p, N * PAGE, MADV_PAGEOUT)));
    /* fs/proc/task_mmu.c:smaps_pte_entry: swp_swapcount 1 -> a whole page of SwapPss. */
    swap_line("parent", "before fork", p);
    printf("parent before fork: VmSwap %ld kB\n", status_kb("VmSwap"));

    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent)) return 99;
    pid_t pid = xfork();
    if (pid == 0) {
        /* mm/memory.c:copy_nonpresent_pte: swap_duplicate (count 2), the
         * child's rss[MM_SWAPENTS]++ (added to its mm by add_mm_rss_vec), and
         * the parent's entry loses its exclusive bit. smaps_pte_entry then
         * gives each process PAGE_SIZE/2 of SwapPss per entry. */
        swap_line("child", "after fork", p);
        printf("child after fork: VmSwap %ld kB\n", status_kb("VmSwap"));
        /* do_swap_page: count 2, so not the swap-cache bypass; the page is
         * read into the swap cache (swapin_readahead) and swap_free drops the
         * count to 1. The child maps it read-only (not exclusive). */
        printf("child reads the first half: intact %s\n", yesno(intact(p, 0, N / 2)));
        /* Only the second half are swap entries now, each still counted twice. */
        swap_line("child", "after reading the first half", p);
        send(to_parent[1]);
        await(to_child[0]);
        /* Page 0: mapped from the swap cache, shared with the parent (which
         * read it too) -> do_wp_page copies it. Page N-1: a swap entry whose
         * page the parent has in the swap cache and maps -> do_swap_page maps
         * it, then do_wp_page copies (page_count > 1, not exclusive). */
        ((uint64_t *)p)[0] = 0xc0ffee;
        ((uint64_t *)(p + (N - 1) * PAGE))[0] = 0xc0ffee;
        printf("child wrote pages 0 and %d: sees its writes %s\n", N - 1,
               yesno(((uint64_t *)p)[0] == 0xc0ffee && ((uint64_t *)(p + (N - 1) * PAGE))[0] == 0xc0ffee));
        printf("child: the rest of its pages intact %s\n", yesno(intact(p, 1, N - 1)));
        fflush(stdout);
        _exit(0);
    }
    await(to_parent[0]);
    /* The first half: slot count 1 now (the child's swap_free), page in the
     * swap cache -> a whole page each; the second half still count 2 -> half. */
    swap_line("parent", "after the child read the first half", p);
    printf("parent reads everything: intact %s\n", yesno(intact(p, 0, N)));
    swap_line("parent", "after reading everything", p);
    send(to_child[1]);
    int status;
    waitpid(pid, &status, 0);
    printf("child exit status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    printf("parent after the child's writes: all pages intact %s\n", yesno(intact(p, 0, N)));
    return 0;
}
