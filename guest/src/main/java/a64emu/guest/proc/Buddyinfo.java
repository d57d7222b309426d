package a64emu.guest.proc;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Zone;

/**
 * /proc/buddyinfo (Linux 6.1 mm/vmstat.c, frag_show): for each populated zone of node 0, the
 * number of free blocks of each order in its buddy allocator. Zones without pages get no line
 * (walk_zones_in_node with assert_populated), so of the node's four zones (see {@link Zone})
 * only the one holding the RAM is listed.
 */
final class Buddyinfo {
    private Buddyinfo() {}

    /** The node the RAM belongs to: GKI has no CONFIG_NUMA, so there is node 0 alone. */
    static final int NODE = 0;

    static byte[] show(FrameAllocator frames) {
        Zone zone = frames.zone();
        return SeqFile.ascii(frames.buddy().buddyinfoLine(NODE, zone.type().procName()));
    }
}
