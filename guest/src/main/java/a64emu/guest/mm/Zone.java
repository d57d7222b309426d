package a64emu.guest.mm;

import java.util.Formatter;
import java.util.List;
import java.util.Locale;

/**
 * One memory zone's watermarks, as Linux 6.1 {@code mm/page_alloc.c} computes them when a
 * single zone holds all of the node's RAM: {@code min_free_kbytes}
 * ({@code calculate_min_free_kbytes}), the MIN/LOW/HIGH marks
 * ({@code __setup_per_zone_wmarks}), the sysctls that recompute them, the check
 * allocations make against them ({@code __zone_watermark_ok}), and the zone's part of
 * /proc/zoneinfo ({@code mm/vmstat.c zoneinfo_show_print}).
 *
 * <p><b>Which zone.</b> The android14-6.1 GKI arm64 config
 * ({@code arch/arm64/configs/gki_defconfig}) has {@code # CONFIG_ZONE_DMA is not set},
 * leaves {@code CONFIG_ZONE_DMA32} at its arm64 default (y), sets
 * {@code CONFIG_ZONE_DEVICE=y} and has no HIGHMEM; so a node's zones are
 * {@link Type#DMA32}, {@link Type#NORMAL}, {@link Type#MOVABLE}, {@link Type#DEVICE}
 * (MAX_NR_ZONES 4, hence the four entries of "protection: (0, 0, 0, 0)"). 6.1
 * {@code arch/arm64/mm/init.c zone_sizes_init} ends ZONE_DMA32 at
 * {@code max_zone_phys(32)}: everything below 4 GiB. The Android emulators put RAM at
 * 0x4000_0000 (goldfish/ranchu, on QEMU virt) or 0x8000_0000 (cuttlefish, on crosvm), so
 * with the RAM sizes a64emu runs (64 MiB to 2 GiB) all of it ends below 4 GiB and is
 * ZONE_DMA32, and Normal, Movable and Device are empty. That is {@link #RAM_ZONE}. The
 * watermark arithmetic does not depend on the choice: every zone at or below Normal counts
 * as lowmem on arm64.
 *
 * <p><b>The 6.1 specifics</b> (the reference notes 6.12): 6.1 already computes a fourth
 * mark, WMARK_PROMO = HIGH + delta, for NUMA memory tiering ({@link #promo()}), but does
 * not print it in /proc/zoneinfo; the "promo" line came with 6.12. 6.1 names the
 * watermark reductions ALLOC_HIGH and ALLOC_HARDER (6.3 renamed them ALLOC_MIN_RESERVE and
 * ALLOC_NON_BLOCK and changed how they combine; later 6.1.y stable releases took that
 * rework too); this class follows v6.1.
 *
 * <p>Pages are 4 KiB ({@link VmLayout#PAGE_SHIFT}); every count here is in pages except
 * the {@code *Kbytes} values.
 */
public final class Zone {
    /** The zones of an android14-6.1 GKI arm64 node, in zone index order. */
    public enum Type {
        DMA32("DMA32"),
        NORMAL("Normal"),
        MOVABLE("Movable"),
        DEVICE("Device");

        private final String procName;

        Type(String procName) {
            this.procName = procName;
        }

        /** The name /proc/zoneinfo and /proc/buddyinfo print ({@code zone_names[]}). */
        public String procName() {
            return procName;
        }

        /** Whether GFP_USER allocations may use this zone ({@code zone_idx <= gfp_zone(GFP_USER)}). */
        boolean isLowmem() {
            return ordinal() <= NORMAL.ordinal();
        }
    }

    /** The zone the emulated RAM is (see the class comment for why). */
    public static final Type RAM_ZONE = Type.DMA32;

    /** MAX_NR_ZONES: the length of {@code lowmem_reserve[]}. */
    public static final int MAX_NR_ZONES = Type.values().length;

    /** calculate_min_free_kbytes clamps its result to [128 KiB, 256 MiB]. */
    public static final int MIN_FREE_KBYTES_FLOOR = 128;
    public static final int MIN_FREE_KBYTES_CEILING = 262144;

    /** vm.watermark_scale_factor, in 1/10000 of managed pages: default 10, sysctl range 1..3000. */
    public static final int WATERMARK_SCALE_FACTOR_DEFAULT = 10;
    public static final int WATERMARK_SCALE_FACTOR_MIN = 1;
    public static final int WATERMARK_SCALE_FACTOR_MAX = 3000;
    private static final int WATERMARK_SCALE_DENOMINATOR = 10000;

    /*
     * alloc_flags bits that lower the min mark in __zone_watermark_ok (6.1 mm/internal.h).
     * ALLOC_HIGH comes from __GFP_HIGH; ALLOC_HARDER from GFP_ATOMIC and realtime tasks;
     * ALLOC_OOM is given to the OOM victim.
     */
    public static final int ALLOC_OOM = 0x08;
    public static final int ALLOC_HARDER = 0x10;
    public static final int ALLOC_HIGH = 0x20;

    /** pageblock_nr_pages: pageblock_order 9 (= the PMD order with 4 KiB pages on arm64). */
    private static final int PAGEBLOCK_NR_PAGES = 512;
    /** MIGRATE_PCPTYPES: unmovable, movable, reclaimable. */
    private static final int MIGRATE_PCPTYPES = 3;

    private static final int KBYTES_SHIFT = VmLayout.PAGE_SHIFT - 10;

    /**
     * {@code lowmem_reserve[]} of every zone of this node: the RAM zone has only empty zones
     * above it, and an empty zone reserves nothing ({@code setup_per_zone_lowmem_reserve}
     * clears the entries of a zone without managed pages).
     */
    private static final long[] LOWMEM_RESERVE = new long[MAX_NR_ZONES];

    private static final int WMARK_MIN = 0;
    private static final int WMARK_LOW = 1;
    private static final int WMARK_HIGH = 2;
    private static final int WMARK_PROMO = 3;

    /** A name/value line of /proc/zoneinfo: a node_stat_item or a zone_stat_item. */
    public record Stat(String name, long value) {}

    /** One CPU's per-cpu pageset: pcp count/high/batch and the vmstat threshold. */
    public record Pageset(int count, int high, int batch, int statThreshold) {}

    private final Type type;
    private final long startPfn;
    private final long spannedPages;
    private final long presentPages;
    private final long managedPages;

    /** Set by the constructor; the kernel's static 1024 never survives boot. */
    private int minFreeKbytes;
    /**
     * {@code user_min_free_kbytes}: -1 until vm.min_free_kbytes is written; after that,
     * recalculation keeps the written value unless it computes a larger one.
     */
    private int userMinFreeKbytes = -1;
    private int watermarkScaleFactor = WATERMARK_SCALE_FACTOR_DEFAULT;
    /** {@code _watermark[NR_WMARK]}, indexed by WMARK_MIN .. WMARK_PROMO. */
    private final long[] watermark = new long[WMARK_PROMO + 1];

    /**
     * A populated zone, with its watermarks as they stand after boot
     * ({@code init_per_zone_wmark_min}, a postcore initcall).
     *
     * @param startPfn {@code zone_start_pfn}
     * @param spannedPages {@code spanned_pages}: the zone's frame range, holes included
     * @param presentPages {@code present_pages}: frames of RAM in that range
     * @param managedPages {@code managed_pages}: the frames the buddy allocator got, the
     *     present ones less what boot kept (kernel image, memmap, reservations)
     */
    public Zone(Type type, long startPfn, long spannedPages, long presentPages, long managedPages) {
        if (managedPages < 1 || managedPages > presentPages || presentPages > spannedPages) {
            throw new IllegalArgumentException("need 0 < managed " + managedPages
                    + " <= present " + presentPages + " <= spanned " + spannedPages);
        }
        this.type = type;
        this.startPfn = startPfn;
        this.spannedPages = spannedPages;
        this.presentPages = presentPages;
        this.managedPages = managedPages;
        // Every watermark is still 0 here, so nr_free_buffer_pages() is all managed pages.
        calculateMinFreeKbytes();
        setupPerZoneWmarks();
    }

    /** {@link #RAM_ZONE} holding {@code presentPages} frames of RAM without holes from {@code startPfn}. */
    public static Zone ram(long startPfn, long presentPages, long managedPages) {
        return new Zone(RAM_ZONE, startPfn, presentPages, presentPages, managedPages);
    }

    public Type type() {
        return type;
    }

    public long startPfn() {
        return startPfn;
    }

    public long spannedPages() {
        return spannedPages;
    }

    public long presentPages() {
        return presentPages;
    }

    public long managedPages() {
        return managedPages;
    }

    /**
     * {@code zone_cma_pages}: 0. GKI sets CONFIG_CMA, but the emulated board declares no CMA
     * area (no {@code cma=} and no reusable shared-dma-pool), so no pageblock is MIGRATE_CMA.
     */
    public long cmaPages() {
        return 0;
    }

    /** vm.min_free_kbytes. */
    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    /** vm.watermark_scale_factor. */
    public int watermarkScaleFactor() {
        return watermarkScaleFactor;
    }

    /**
     * {@code watermark_boost}: 0. Boosting only happens when vm.watermark_boost_factor is
     * non-zero and AOSP {@code system/core/rootdir/init.rc} writes 0 to it; the
     * {@code *_wmark_pages} values below would otherwise include it.
     */
    public long watermarkBoost() {
        return 0;
    }

    /** {@code min_wmark_pages}. */
    public long min() {
        return watermark[WMARK_MIN] + watermarkBoost();
    }

    /** {@code low_wmark_pages}: kswapd is woken below this. */
    public long low() {
        return watermark[WMARK_LOW] + watermarkBoost();
    }

    /** {@code high_wmark_pages}: kswapd reclaims until this. */
    public long high() {
        return watermark[WMARK_HIGH] + watermarkBoost();
    }

    /** {@code _watermark[WMARK_PROMO]}: computed by 6.1, used only by NUMA memory tiering, not printed. */
    public long promo() {
        return watermark[WMARK_PROMO] + watermarkBoost();
    }

    /**
     * {@code lowmem_reserve[]}, one entry per zone index, the "protection:" line: a zone
     * keeps back a share of the managed pages of the zones above it, and those are empty.
     */
    public long[] lowmemReserve() {
        return LOWMEM_RESERVE.clone();
    }

    /**
     * A write to vm.min_free_kbytes ({@code min_free_kbytes_sysctl_handler}): the value
     * becomes the user's, preferred over later recalculations, and the watermarks follow.
     *
     * @return false, changing nothing, for a negative value (the sysctl's
     *     {@code proc_dointvec_minmax} with minimum 0 fails with EINVAL)
     */
    public boolean setMinFreeKbytes(int kbytes) {
        if (kbytes < 0) {
            return false;
        }
        minFreeKbytes = kbytes;
        userMinFreeKbytes = kbytes;
        setupPerZoneWmarks();
        return true;
    }

    /**
     * A write to vm.watermark_scale_factor ({@code watermark_scale_factor_sysctl_handler}).
     * Pixel zuma ({@code device/google/zuma/conf/init.zuma.rc}) writes 200.
     *
     * @return false, changing nothing, outside 1..3000 (EINVAL from {@code proc_dointvec_minmax})
     */
    public boolean setWatermarkScaleFactor(int factor) {
        if (factor < WATERMARK_SCALE_FACTOR_MIN || factor > WATERMARK_SCALE_FACTOR_MAX) {
            return false;
        }
        watermarkScaleFactor = factor;
        setupPerZoneWmarks();
        return true;
    }

    /**
     * {@code init_per_zone_wmark_min} run again, as memory hotplug does: min_free_kbytes
     * recalculated from the pages now above the HIGH mark, unless the user's value is at
     * least as large.
     */
    public void recalculateMinFreeKbytes() {
        calculateMinFreeKbytes();
        setupPerZoneWmarks();
    }

    /**
     * {@code mm/khugepaged.c set_recommended_min_free_kbytes}, which runs when khugepaged
     * starts (THP "always" or "madvise"; GKI 6.1 builds THP with the madvise default, so a
     * device runs it at boot): min_free_kbytes is raised, even over a user value, to
     * 2 + MIGRATE_PCPTYPES^2 = 11 pageblocks per lowmem zone (two free ones against
     * fragmentation, and room for each migrate type to fall back to each other), capped at
     * 5% of the pages above HIGH. Whether the emulated kernel runs khugepaged is its
     * caller's decision; nothing here calls this.
     */
    public void setRecommendedMinFreeKbytes() {
        long nrZones = type.isLowmem() ? 1 : 0;
        long recommended = PAGEBLOCK_NR_PAGES * nrZones * 2
                + PAGEBLOCK_NR_PAGES * nrZones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
        recommended = Math.min(recommended, nrFreeBufferPages() / 20) << KBYTES_SHIFT;
        if (recommended > minFreeKbytes) {
            minFreeKbytes = (int) recommended;
        }
        setupPerZoneWmarks();
    }

    /**
     * {@code __zone_watermark_ok} with no alloc_flags, as {@code zone_watermark_ok_safe}
     * calls it (kswapd's balance check).
     */
    public boolean watermarkOk(long freePages, long mark, int order, int[] freeBlocksPerOrder) {
        return watermarkOk(freePages, mark, order, 0, freeBlocksPerOrder);
    }

    /**
     * {@code __zone_watermark_ok}: are there more than {@code mark} free pages, less the
     * reserves the caller may dip into, and for {@code order > 0} a free block of at least
     * that order?
     *
     * <p>The pages an order-{@code order} allocation cannot use
     * ({@code __zone_watermark_unusable_free}) are {@code 2^order - 1}: this zone has no
     * high-atomic reserve and no free CMA pages. {@link #ALLOC_HIGH} halves the min;
     * {@link #ALLOC_HARDER} then takes a further quarter, or {@link #ALLOC_OOM} a further
     * half.
     *
     * @param allocFlags a combination of {@link #ALLOC_HIGH}, {@link #ALLOC_HARDER},
     *     {@link #ALLOC_OOM}; other bits are ignored
     * @param freeBlocksPerOrder {@code free_area[o].nr_free} per order (as
     *     {@link BuddyAllocator#freeBlocksPerOrder()}); only read when {@code order > 0}
     */
    public boolean watermarkOk(long freePages, long mark, int order, int allocFlags, int[] freeBlocksPerOrder) {
        if (order < 0 || order >= BuddyAllocator.MAX_ORDER) {
            throw new IllegalArgumentException("order " + order);
        }
        long min = mark;
        long usable = freePages - ((1L << order) - 1);
        if ((allocFlags & ALLOC_HIGH) != 0) {
            min -= min / 2;
        }
        if ((allocFlags & (ALLOC_HARDER | ALLOC_OOM)) != 0) {
            // OOM victims are on their way out and free memory soon: they go deeper.
            min -= (allocFlags & ALLOC_OOM) != 0 ? min / 2 : min / 4;
        }
        // + lowmem_reserve[highest_zoneidx], which is 0 whatever the caller's highest zone.
        if (usable <= min) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        for (int o = order; o < BuddyAllocator.MAX_ORDER; o++) {
            if (freeBlocksPerOrder[o] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * This zone's part of /proc/zoneinfo exactly as 6.1 {@code zoneinfo_show_print} prints
     * a populated zone, ending with a newline. The counters are the caller's:
     *
     * @param freePages NR_FREE_PAGES ("pages free")
     * @param nodeStats the node_stat_item lines, in {@code enum node_stat_item} order; printed
     *     under "per-node stats" because this is the node's first populated zone
     * @param zoneStats the zone_stat_item lines, in {@code enum zone_stat_item} order
     *     (nr_free_pages first); GKI has no CONFIG_NUMA, so no numa_* lines follow
     * @param pagesets one per online CPU, in CPU order; every CPU also prints its
     *     "vm stats threshold" line (CONFIG_SMP)
     * @param nodeUnreclaimable {@code kswapd_failures >= MAX_RECLAIM_RETRIES}
     */
    public String zoneinfo(int nodeId, long freePages, List<Stat> nodeStats, List<Stat> zoneStats,
            List<Pageset> pagesets, boolean nodeUnreclaimable) {
        StringBuilder out = new StringBuilder(4096);
        Formatter f = new Formatter(out, Locale.ROOT);
        f.format("Node %d, zone %8s", nodeId, type.procName());
        out.append("\n  per-node stats");
        appendStats(f, nodeStats);
        appendWatermarks(f, freePages, watermarkBoost(), min(), low(), high(),
                spannedPages, presentPages, managedPages, cmaPages());
        appendStats(f, zoneStats);
        out.append("\n  pagesets");
        for (int cpu = 0; cpu < pagesets.size(); cpu++) {
            Pageset p = pagesets.get(cpu);
            f.format("\n    cpu: %d"
                    + "\n              count: %d"
                    + "\n              high:  %d"
                    + "\n              batch: %d", cpu, p.count(), p.high(), p.batch());
            f.format("\n  vm stats threshold: %d", p.statThreshold());
        }
        f.format("\n  node_unreclaimable:  %d"
                + "\n  start_pfn:           %s", nodeUnreclaimable ? 1 : 0, lu(startPfn));
        return out.append('\n').toString();
    }

    /**
     * The /proc/zoneinfo part of an empty zone of the node (Normal, Movable, Device next
     * to {@link #RAM_ZONE}): every count and watermark 0 ({@code __setup_per_zone_wmarks}
     * scales by managed pages, here 0), then only the protection line
     * ("If unpopulated, no other information is useful").
     */
    public static String zoneinfoUnpopulated(int nodeId, Type type) {
        StringBuilder out = new StringBuilder(512);
        Formatter f = new Formatter(out, Locale.ROOT);
        f.format("Node %d, zone %8s", nodeId, type.procName());
        appendWatermarks(f, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return out.append('\n').toString();
    }

    /** From "pages free" to the end of the protection line, common to every zone. */
    private static void appendWatermarks(Formatter f, long free, long boost, long min, long low, long high,
            long spanned, long present, long managed, long cma) {
        f.format("\n  pages free     %s"
                + "\n        boost    %s"
                + "\n        min      %s"
                + "\n        low      %s"
                + "\n        high     %s"
                + "\n        spanned  %s"
                + "\n        present  %s"
                + "\n        managed  %s"
                + "\n        cma      %s",
                lu(free), lu(boost), lu(min), lu(low), lu(high), lu(spanned), lu(present), lu(managed), lu(cma));
        long[] reserve = LOWMEM_RESERVE;
        f.format("\n        protection: (%d", reserve[0]);
        for (int i = 1; i < reserve.length; i++) {
            f.format(", %d", reserve[i]);
        }
        f.format(")");
    }

    /** {@code "\n      %-12s %lu"} per stat. */
    private static void appendStats(Formatter f, List<Stat> stats) {
        for (Stat s : stats) {
            f.format("\n      %-12s %s", s.name(), lu(s.value()));
        }
    }

    /** {@code %lu}: the counters are unsigned long. */
    private static String lu(long value) {
        return Long.toUnsignedString(value);
    }

    // ---- mm/page_alloc.c ----

    /**
     * {@code nr_free_buffer_pages}: over the zones GFP_USER may use, the managed pages above
     * each zone's HIGH mark.
     */
    private long nrFreeBufferPages() {
        if (!type.isLowmem()) {
            return 0;
        }
        return Math.max(0, managedPages - high());
    }

    /**
     * {@code calculate_min_free_kbytes}: min_free_kbytes = sqrt(lowmem_kbytes * 16), i.e.
     * 4 * sqrt(lowmem_kbytes), clamped to [128, 262144]; left alone when the user's value
     * is at least as large ("min_free_kbytes is not updated to %d because user defined
     * value %d is preferred").
     */
    private void calculateMinFreeKbytes() {
        long lowmemKbytes = nrFreeBufferPages() << KBYTES_SHIFT;
        long computed = intSqrt(lowmemKbytes * 16);
        if (computed > userMinFreeKbytes) {
            minFreeKbytes = (int) Math.max(MIN_FREE_KBYTES_FLOOR, Math.min(MIN_FREE_KBYTES_CEILING, computed));
        }
    }

    /**
     * {@code __setup_per_zone_wmarks}: MIN is this zone's share of min_free_kbytes (all of
     * it, as the only zone with pages; arm64 has no highmem zone to cap); LOW and HIGH are
     * one and two steps above it, a step being the larger of MIN/4 and
     * watermark_scale_factor/10000 of the managed pages. The boost is reset.
     */
    private void setupPerZoneWmarks() {
        long pagesMin = minFreeKbytes >> KBYTES_SHIFT;
        long lowmemPages = managedPages;
        long tmp = pagesMin * managedPages / lowmemPages;
        watermark[WMARK_MIN] = tmp;
        long step = Math.max(tmp >> 2, multFrac(managedPages, watermarkScaleFactor, WATERMARK_SCALE_DENOMINATOR));
        watermark[WMARK_LOW] = watermark[WMARK_MIN] + step;
        watermark[WMARK_HIGH] = watermark[WMARK_LOW] + step;
        watermark[WMARK_PROMO] = watermark[WMARK_HIGH] + step;
    }

    /**
     * {@code mult_frac(x, numer, denom)} (include/linux/math.h): x * numer / denom computed
     * as (x / denom) * numer + (x % denom) * numer / denom, so x * numer never overflows.
     */
    static long multFrac(long x, long numer, long denom) {
        long quot = x / denom;
        long rem = x % denom;
        return quot * numer + rem * numer / denom;
    }

    /** {@code int_sqrt} (lib/math/int_sqrt.c): the floor of the square root. */
    static long intSqrt(long x) {
        if (x < 0) {
            throw new IllegalArgumentException("int_sqrt of " + x);
        }
        long r = (long) Math.sqrt((double) x);
        // The double may be off by one either way for large x; r <= x / r is r * r <= x
        // without overflow.
        while (r > 0 && r > x / r) {
            r--;
        }
        while (r + 1 <= x / (r + 1)) {
            r++;
        }
        return r;
    }
}
