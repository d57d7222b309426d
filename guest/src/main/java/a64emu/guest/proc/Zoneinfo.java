package a64emu.guest.proc;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Vmscan;
import a64emu.guest.mm.Zone;
import a64emu.guest.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/zoneinfo (Linux 6.1 mm/vmstat.c, zoneinfo_show): every zone of node 0 in zone index
 * order, populated or not, as {@link Zone} prints them. The zone holding the RAM is the node's
 * first populated zone, so it carries the node's counters ("per-node stats"), then its
 * watermarks and page counts, its zone counters and its per-CPU pagesets; the empty zones
 * stop after their protection line.
 *
 * <p>The counters are those of /proc/vmstat ({@link Vmstat#nodeStats}, {@link Vmstat#zoneStats}),
 * the same lines left out. The pageset of the one CPU shows what this kernel's allocator
 * does: it keeps no per-CPU lists and frees straight to the buddy lists, which is the pageset
 * 6.1 gives a zone before its lists are set up (count 0, high 0 = BOOT_PAGESET_HIGH, batch
 * 1 = BOOT_PAGESET_BATCH); and its counters are exact at every moment, with no per-CPU deltas
 * to fold, a stat threshold of 0.
 */
final class Zoneinfo {
    private Zoneinfo() {}

    /** BOOT_PAGESET_HIGH and BOOT_PAGESET_BATCH (mm/page_alloc.c): a pageset that caches nothing. */
    static final int BOOT_PAGESET_HIGH = 0;
    static final int BOOT_PAGESET_BATCH = 1;

    static byte[] show(FrameAllocator frames) {
        Zone ram = frames.zone();
        Meminfo.Counters n = Meminfo.Counters.of(frames);
        List<Zone.Pageset> pagesets = new ArrayList<>();
        for (int cpu = 0; cpu < Scheduler.NR_CPUS; cpu++) {
            pagesets.add(new Zone.Pageset(0, BOOT_PAGESET_HIGH, BOOT_PAGESET_BATCH, 0));
        }
        Vmscan vmscan = frames.vmscan();
        boolean unreclaimable = vmscan != null && vmscan.kswapdHopeless();
        StringBuilder out = new StringBuilder();
        for (Zone.Type type : Zone.Type.values()) {
            if (type == ram.type()) {
                out.append(ram.zoneinfo(Buddyinfo.NODE, n.free(), Vmstat.nodeStats(n, frames.events()),
                        Vmstat.zoneStats(n), pagesets, unreclaimable));
            } else {
                out.append(Zone.zoneinfoUnpopulated(Buddyinfo.NODE, type));
            }
        }
        return SeqFile.ascii(out.toString());
    }
}
