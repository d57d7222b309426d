/* What zram does with each kind of page it is given: zero pages and pages of
 * one repeated 64-bit word are stored as "same-filled" (no memory, only the
 * word), incompressible pages are stored raw ("huge"), the rest compressed.
 * The pages are forced out with MADV_PAGEOUT and /sys/block/zram0/mm_stat is
 * read before and after. Linux 6.1 has no swap zeromap (6.12 does), so zero
 * pages reach zram as same-filled pages.
 * Options: expected/mp_same_filled.options (plenty of RAM: no other reclaim).
 * Expected output reasoned from Linux 6.1. */
#include "mptest.h"

#define ZERO 24     /* all zero */
#define SAME 16     /* one repeated word, a different one per page */
#define RANDOM 8    /* xorshift output: LZ4 cannot compress it */
#define TEXT 8      /* text-like: compresses well */
#define ALMOST 4    /* one word repeated but the last word differs */
#define ALL (ZERO + SAME + RANDOM + TEXT + ALMOST)

static uint64_t same_word(size_t i) { return 0xfeedface00000000ULL | (i * 0x01010101ULL); }

static const char *const words[] = { "memory", "pressure", "reclaim", "kswapd", "zram", "swap", "page", "lru" };

/* What page i of the region holds. */
static void page_content(size_t i, uint64_t *w)
{
    if (i < ZERO) {
        memset(w, 0, PAGE);
    } else if (i < ZERO + SAME) {
        for (size_t k = 0; k < PAGE / 8; k++) w[k] = same_word(i);
    } else if (i < ZERO + SAME + RANDOM) {
        uint64_t s = 0x9e3779b97f4a7c15ULL * (i + 1);
        for (size_t k = 0; k < PAGE / 8; k++) w[k] = rng_next(&s);
    } else if (i < ZERO + SAME + RANDOM + TEXT) {
        char *c = (char *)w;
        size_t n = 0;
        for (unsigned k = 0; n < PAGE; k++) {
            const char *word = words[(k * 5 + i) % 8];
            while (*word && n < PAGE) c[n++] = *word++;
            if (n < PAGE) c[n++] = k % 9 == 8 ? '\n' : ' ';
        }
    } else {
        for (size_t k = 0; k < PAGE / 8; k++) w[k] = same_word(i);
        w[PAGE / 8 - 1] = 1;
    }
}

static uint64_t expect_buf[PAGE / 8];

int main(void)
{
    mp_init();
    char *g = anon((ALL + 2) * PAGE, PROT_NONE);
    char *p = g + PAGE;
    mprotect(p, ALL * PAGE, PROT_READ | PROT_WRITE);
    /* Every page is written, so each is a private anonymous page of its own
     * (a zero page written with zeros too: do_anonymous_page on a write). */
    for (size_t i = 0; i < ALL; i++) page_content(i, (uint64_t *)(p + i * PAGE));

    struct mm_stat a = mm_stat();
    printf("mm_stat has 9 fields: %s\n", yesno(a.fields == 9));
    long out0 = vmstat("pswpout");
    printf("madvise PAGEOUT of %d pages: %s\n", ALL, rc(madvise(p, ALL * PAGE, MADV_PAGEOUT)));
    struct mm_stat b = mm_stat();
    /* mm/madvise.c:madvise_cold_or_pageout_pte_range + mm/vmscan.c:reclaim_pages:
     * each page mapped once goes through pageout -> swap_writepage -> zram,
     * and mm/page_io.c:__swap_writepage counts PSWPOUT for it. 6.1 has no
     * swap zeromap (6.12 added it to mm/swapfile.c), so nothing skips the
     * zero pages: swap_writepage only drops a page no entry refers to any
     * more (folio_free_swap). */
    printf("pswpout +%ld\n", vmstat("pswpout") - out0);
    printf("smaps Swap: %ld kB\n", smaps_kb(p, "Swap"));
    /* drivers/block/zram/zram_drv.c:__zram_bvec_write ("out:" label):
     * pages_stored++ for every page written, same-filled ones included;
     * mm_stat_show prints it as orig_data_size = pages_stored << PAGE_SHIFT. */
    printf("orig_data_size +%lld bytes (%d pages)\n", b.orig_data_size - a.orig_data_size, ALL);
    /* __zram_bvec_write: page_same_filled() (all 512 words equal; zero is one
     * such word) -> ZRAM_SAME, atomic64_inc(&zram->stats.same_pages), nothing
     * compressed or allocated. The ALMOST pages differ in their last word. */
    printf("same_pages +%lld\n", b.same_pages - a.same_pages);
    /* __zram_bvec_write: comp_len >= huge_class_size (3257 with zsmalloc's 6.1
     * classes, mm/zsmalloc.c:zs_huge_class_size) -> comp_len = PAGE_SIZE, ZRAM_HUGE, huge_pages++ and
     * huge_pages_since++. LZ4 output of 4096 random bytes is over 4096. */
    printf("huge_pages +%lld, huge_pages_since +%lld\n", b.huge_pages - a.huge_pages,
           b.huge_pages_since - a.huge_pages_since);
    /* compr_data_size adds comp_len per compressed page (PAGE_SIZE for a huge
     * one), nothing for a same-filled one; the TEXT and ALMOST pages compress
     * below huge_class_size each. */
    long long compr = b.compr_data_size - a.compr_data_size;
    printf("compr_data_size grew by at least the huge pages: %s\n", yesno(compr >= RANDOM * (long long)PAGE));
    printf("compr_data_size grew by less than huge pages plus 3257 bytes per other compressed page: %s\n",
           yesno(compr < RANDOM * (long long)PAGE + (TEXT + ALMOST) * 3257LL));
    /* A huge object is a whole zspage page of its own (the 4096 class, one
     * object in a one-page zspage: mm/zsmalloc.c:zs_create_pool), so the pool
     * grows by at least those. */
    printf("mem_used_total grew by at least the huge pages: %s\n",
           yesno(b.mem_used_total - a.mem_used_total >= RANDOM * (long long)PAGE));

    /* Reading back: __zram_bvec_read fills a ZRAM_SAME page with its word
     * (zram_fill_page), copies a huge one, decompresses the rest. */
    int ok[5] = { 1, 1, 1, 1, 1 };
    for (size_t i = 0; i < ALL; i++) {
        page_content(i, expect_buf);
        int kind = i < ZERO ? 0 : i < ZERO + SAME ? 1 : i < ZERO + SAME + RANDOM ? 2 : i < ALL - ALMOST ? 3 : 4;
        if (memcmp(p + i * PAGE, expect_buf, PAGE)) ok[kind] = 0;
    }
    printf("read back: zero pages %s, same-filled %s, random %s, text %s, almost-same %s\n",
           yesno(ok[0]), yesno(ok[1]), yesno(ok[2]), yesno(ok[3]), yesno(ok[4]));
    printf("after reading back: smaps Swap %ld kB, resident pages %ld\n", smaps_kb(p, "Swap"),
           resident_pages(p, ALL));
    return 0;
}
