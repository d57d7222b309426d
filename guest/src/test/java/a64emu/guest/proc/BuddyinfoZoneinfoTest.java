package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.BuddyAllocator;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.Zone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/buddyinfo and /proc/zoneinfo: 6.1's layouts, node 0's four zones, the real free lists and watermarks. */
class BuddyinfoZoneinfoTest {
    private final TestMachine m = new TestMachine(39, 64L << 20);

    private String buddyinfo() {
        return new String(Buddyinfo.show(m.frames), StandardCharsets.UTF_8);
    }

    private String zoneinfo() {
        return new String(Zoneinfo.show(m.frames), StandardCharsets.UTF_8);
    }

    @Test
    void buddyinfoHasOneLineForThePopulatedZoneWithElevenOrders() {
        String text = buddyinfo();
        assertTrue(text.startsWith("Node 0, zone    DMA32 "), text);
        assertEquals(1, text.split("\n").length, "the empty Normal, Movable and Device zones get no line");
        StringBuilder expected = new StringBuilder("Node 0, zone    DMA32 ");
        for (int o = 0; o < BuddyAllocator.MAX_ORDER; o++) expected.append(String.format("%6d ", m.frames.buddy().freeBlocks(o)));
        assertEquals(expected + "\n", text);
    }

    @Test
    void buddyinfoFollowsTheFreeLists() throws Exception {
        String before = buddyinfo();
        long pa = m.frames.allocate(FrameAllocator.PageKind.ANON);
        String after = buddyinfo();
        assertTrue(!before.equals(after), "an allocation splits a block");
        m.frames.put(pa);
        assertEquals(before, buddyinfo(), "and the free merges it back");
    }

    @Test
    void zoneinfoListsTheFourZonesOfAGkiNodeInZoneIndexOrder() {
        List<String> headers = new ArrayList<>();
        for (String line : zoneinfo().split("\n")) {
            if (line.startsWith("Node ")) headers.add(line);
        }
        assertEquals(List.of("Node 0, zone    DMA32", "Node 0, zone   Normal", "Node 0, zone  Movable",
                "Node 0, zone   Device"), headers);
    }

    @Test
    void theEmptyZonesStopAtTheirProtectionLine() {
        String text = zoneinfo();
        String normal = text.substring(text.indexOf("Node 0, zone   Normal"), text.indexOf("Node 0, zone  Movable"));
        assertEquals("Node 0, zone   Normal\n  pages free     0\n        boost    0\n        min      0\n"
                + "        low      0\n        high     0\n        spanned  0\n        present  0\n"
                + "        managed  0\n        cma      0\n        protection: (0, 0, 0, 0)\n", normal);
    }

    @Test
    void thePopulatedZoneShowsTheNodesStatsItsWatermarksItsStatsAndItsPageset() {
        Zone zone = m.frames.zone();
        String text = zoneinfo();
        String dma32 = text.substring(0, text.indexOf("Node 0, zone   Normal"));
        assertTrue(dma32.startsWith("Node 0, zone    DMA32\n  per-node stats\n      nr_inactive_anon "), dma32);
        assertTrue(dma32.contains("\n  pages free     " + m.frames.freeFrames() + "\n        boost    0\n"
                + "        min      " + zone.min() + "\n        low      " + zone.low() + "\n        high     "
                + zone.high() + "\n        spanned  16384\n        present  16384\n        managed  16383\n"
                + "        cma      0\n        protection: (0, 0, 0, 0)\n      nr_free_pages " + m.frames.freeFrames()
                + "\n"), dma32);
        assertTrue(dma32.contains("\n      nr_mapped    0\n"), "%-12s pads short names");
        assertTrue(dma32.endsWith("\n  pagesets\n    cpu: 0\n              count: 0\n              high:  0\n"
                + "              batch: 1\n  vm stats threshold: 0\n  node_unreclaimable:  0\n"
                + "  start_pfn:           0\n"), dma32);
    }

    @Test
    void zoneinfoWatermarksFollowMinFreeKbytes() {
        Zone zone = m.frames.zone();
        zone.setMinFreeKbytes(4096);
        assertTrue(zoneinfo().contains("\n        min      1024\n        low      " + zone.low() + "\n"), zoneinfo());
    }

    @Test
    void zoneinfoNodeStatsAreVmstatsNodeCounters() {
        String vmstat = new String(Vmstat.show(m.frames, a64emu.guest.mm.FaultCounts.ZERO), StandardCharsets.UTF_8);
        String text = zoneinfo();
        String nodeStats = text.substring(text.indexOf("  per-node stats\n") + 17, text.indexOf("  pages free"));
        for (String line : nodeStats.split("\n")) {
            String[] kv = line.trim().split(" +");
            assertTrue(vmstat.contains("\n" + kv[0] + " " + kv[1] + "\n"), line);
        }
    }
}
