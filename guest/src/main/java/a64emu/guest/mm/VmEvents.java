package a64emu.guest.mm;

/**
 * The memory-management event counters of {@code /proc/vmstat} (Linux
 * {@code enum vm_event_item}, {@code count_vm_event}) and the workingset counters of the
 * node ({@code WORKINGSET_*} of {@code enum node_stat_item}), counted since boot for the
 * whole machine. Reclaim, the page allocator, swap and the fault handler count into one
 * object, and /proc and {@code --stats} read it.
 */
public final class VmEvents {
    /** The events, named as /proc/vmstat names them. */
    public enum Event {
        PGFAULT("pgfault"),
        PGMAJFAULT("pgmajfault"),
        PSWPIN("pswpin"),
        PSWPOUT("pswpout"),
        PGACTIVATE("pgactivate"),
        PGDEACTIVATE("pgdeactivate"),
        PGLAZYFREE("pglazyfree"),
        PGLAZYFREED("pglazyfreed"),
        PGREFILL("pgrefill"),
        PGSTEAL_KSWAPD("pgsteal_kswapd"),
        PGSTEAL_DIRECT("pgsteal_direct"),
        PGSCAN_KSWAPD("pgscan_kswapd"),
        PGSCAN_DIRECT("pgscan_direct"),
        PGSCAN_ANON("pgscan_anon"),
        PGSCAN_FILE("pgscan_file"),
        PGSTEAL_ANON("pgsteal_anon"),
        PGSTEAL_FILE("pgsteal_file"),
        PGINODESTEAL("pginodesteal"),
        KSWAPD_LOW_WMARK_HIT_QUICKLY("kswapd_low_wmark_hit_quickly"),
        KSWAPD_HIGH_WMARK_HIT_QUICKLY("kswapd_high_wmark_hit_quickly"),
        PAGEOUTRUN("pageoutrun"),
        PGROTATED("pgrotated"),
        /**
         * ALLOCSTALL_MOVABLE: direct reclaim by allocations of user pages (GFP_HIGHUSER_MOVABLE,
         * counted under gfp_zone's ZONE_MOVABLE, the zone index reclaim may reach).
         */
        ALLOCSTALL_MOVABLE("allocstall_movable"),
        /** ALLOCSTALL_NORMAL: direct reclaim by kernel allocations (page tables: GFP_KERNEL, ZONE_NORMAL). */
        ALLOCSTALL_NORMAL("allocstall_normal"),
        OOM_KILL("oom_kill"),
        SWAP_RA("swap_ra"),
        SWAP_RA_HIT("swap_ra_hit"),
        WORKINGSET_REFAULT_ANON("workingset_refault_anon"),
        WORKINGSET_REFAULT_FILE("workingset_refault_file"),
        WORKINGSET_ACTIVATE_ANON("workingset_activate_anon"),
        WORKINGSET_ACTIVATE_FILE("workingset_activate_file"),
        WORKINGSET_RESTORE_ANON("workingset_restore_anon"),
        WORKINGSET_RESTORE_FILE("workingset_restore_file"),
        /** Not /proc: kswapd wake-ups (wakeup_kswapd that found it asleep), for --stats. */
        KSWAPD_WAKEUPS("kswapd_wakeups"),
        /** Not /proc: reclaim passes of direct reclaim, for --stats. */
        DIRECT_RECLAIM_STALLS("direct_reclaim_stalls");

        public final String procName;

        Event(String procName) {
            this.procName = procName;
        }
    }

    private final long[] counts = new long[Event.values().length];

    public void count(Event e) {
        counts[e.ordinal()]++;
    }

    public void count(Event e, long n) {
        counts[e.ordinal()] += n;
    }

    public long get(Event e) {
        return counts[e.ordinal()];
    }
}
