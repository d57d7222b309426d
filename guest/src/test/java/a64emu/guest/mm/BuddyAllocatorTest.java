package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BuddyAllocatorTest {
    /** One free 4 MiB block, [1024, 2048): frames below 1024 are reserved. */
    private static BuddyAllocator oneMaxOrderBlock() {
        return new BuddyAllocator(2048, 1024);
    }

    @Test
    void bootFreesTheLargestNaturallyAlignedBlocksThatFitFromFirstUsableToTheEnd() {
        // __free_pages_memory over [1, 3000): the order is capped by the start's alignment,
        // then shrunk until the block ends inside RAM.
        //   1:o0  2:o1  4:o2  8:o3  16:o4  32:o5  64:o6  128:o7  256:o8  512:o9  1024:o10
        //   2048:o9 (o10 would end at 3072)  2560:o8  2816:o7  2944:o5  2976:o4  2992:o3
        BuddyAllocator buddy = new BuddyAllocator(3000, 1);
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 1, 2, 2, 2, 1}, buddy.freeBlocksPerOrder());
        assertEquals(2999, buddy.freePages());
        assertFalse(buddy.isFree(0), "frame 0 stays reserved");
        assertTrue(buddy.isFree(1));
        assertTrue(buddy.isFree(2999));
        assertEquals(BuddyAllocator.MAX_ORDER - 1, buddy.largestFreeOrder());
    }

    @Test
    void framesBelowFirstUsableAreNeverHandedOut() {
        BuddyAllocator buddy = new BuddyAllocator(64, 8);
        assertEquals(56, buddy.freePages());
        for (int i = 0; i < 56; i++) {
            assertTrue(buddy.allocate(0) >= 8);
        }
        assertEquals(-1, buddy.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> new BuddyAllocator(64, 0));
    }

    @Test
    void allocationSplitsTheSmallestFreeBlockAndKeepsItsLowerHalf() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        assertEquals(1024, buddy.allocate(0));
        // expand: the upper halves 1536 (o9), 1280 (o8), ... 1025 (o0) went on the free lists.
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, buddy.freeBlocksPerOrder());
        assertEquals(1023, buddy.freePages());
        assertEquals(1025, buddy.allocate(0));
        assertEquals(1026, buddy.allocate(0), "order 0 runs out, so the order-1 block at 1026 splits");
        assertEquals(1028, buddy.allocate(2));
        assertEquals(1032, buddy.allocate(3));
    }

    @Test
    void freeingEveryFrameMergesBuddiesBackIntoTheOriginalBlock() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        int a = buddy.allocate(0);
        int b = buddy.allocate(1);
        int c = buddy.allocate(0);
        buddy.free(a, 0);
        buddy.free(c, 0);
        buddy.free(b, 1);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, buddy.freeBlocksPerOrder());
        assertEquals(1024, buddy.freePages());
    }

    @Test
    void theMostRecentlyFreedPageIsTheNextOneHandedOut() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        buddy.allocate(0); // 1024
        int second = buddy.allocate(0); // 1025
        buddy.allocate(0); // 1026, leaving 1027 on the order-0 list
        buddy.free(second, 0); // its buddy 1024 is in use: no merge, onto the head
        assertEquals(second, buddy.allocate(0), "LIFO");
        assertEquals(1027, buddy.allocate(0));
    }

    @Test
    void aFreedPageWhoseMergedBlockWouldFindItsBuddyFreeGoesToTheTail() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        for (int i = 0; i < 5; i++) {
            buddy.allocate(0); // 1024..1028; the split of 1028 (o2) left 1029 (o0), 1030 (o1)
        }
        buddy.free(1026, 0);
        buddy.free(1027, 0); // merges with 1026 into an order-1 block at 1026
        // 1025's buddy 1024 is in use, but once 1024 comes back the pair [1024, 1026) would
        // merge with the free order-1 block at 1026: buddy_merge_likely, so the tail.
        buddy.free(1025, 0);
        assertEquals(1029, buddy.allocate(0), "1025 waits behind 1029");
        buddy.free(1024, 0);
        assertTrue(buddy.isFree(1024));
        assertEquals(1, buddy.freeBlocks(2), "1024..1027 merged into one order-2 block");
    }

    @Test
    void aDoubleFreeIsRejectedEvenAfterTheBlockMerged() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        int a = buddy.allocate(0);
        int b = buddy.allocate(0);
        buddy.free(a, 0);
        assertThrows(IllegalStateException.class, () -> buddy.free(a, 0));
        buddy.free(b, 0); // merges all the way back to order 10
        assertThrows(IllegalStateException.class, () -> buddy.free(b, 0));
        assertEquals(1024, buddy.freePages());
    }

    @Test
    void freeingAtAMisalignedFrameOrAnotherOrderIsRejected() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        int block = buddy.allocate(2);
        assertThrows(IllegalStateException.class, () -> buddy.free(block + 1, 2), "misaligned");
        assertThrows(IllegalStateException.class, () -> buddy.free(block, 1), "allocated at order 2");
        assertThrows(IllegalStateException.class, () -> buddy.free(block + 2, 1), "inside the block");
        buddy.free(block, 2);
    }

    @Test
    void freeingAReservedFrameIsRejected() {
        BuddyAllocator buddy = new BuddyAllocator(64, 8);
        assertThrows(IllegalStateException.class, () -> buddy.free(3, 0));
        assertThrows(IllegalArgumentException.class, () -> buddy.free(64, 0));
        assertThrows(IllegalArgumentException.class, () -> buddy.allocate(BuddyAllocator.MAX_ORDER));
    }

    @Test
    void allocationFailsWhenNoBlockIsLargeEnough() {
        BuddyAllocator buddy = new BuddyAllocator(3000, 1);
        assertEquals(1024, buddy.allocate(10));
        assertEquals(-1, buddy.allocate(10));
        assertEquals(512, buddy.allocate(9), "boot queued the order-9 blocks in ascending order");
        assertEquals(9, buddy.largestFreeOrder());
        assertEquals(2048, buddy.allocate(9));
        assertEquals(8, buddy.largestFreeOrder());
    }

    @Test
    void isFreeSeesFramesInsideLargeFreeBlocks() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        assertTrue(buddy.isFree(1500));
        assertFalse(buddy.isFree(1023));
        int block = buddy.allocate(10);
        assertFalse(buddy.isFree(1500));
        buddy.free(block, 10);
        assertTrue(buddy.isFree(2047));
    }

    @Test
    void aSplitPageIsFreedOneFrameAtATime() {
        BuddyAllocator buddy = oneMaxOrderBlock();
        int block = buddy.allocate(2);
        buddy.splitPage(block, 2);
        assertThrows(IllegalStateException.class, () -> buddy.free(block, 2));
        for (int i = 0; i < 4; i++) {
            buddy.free(block + i, 0);
        }
        assertEquals(1024, buddy.freePages());
        assertEquals(1, buddy.freeBlocks(10));
    }

    @Test
    void anyInterleavingOfAllocationsAndFreesAgreesWithAFrameBitmapAndEndsWhereBootStarted() {
        int frames = 5000;
        BuddyAllocator buddy = new BuddyAllocator(frames, 3);
        int[] bootCounts = buddy.freeBlocksPerOrder();
        BitSet used = new BitSet(frames);
        used.set(0, 3);
        List<int[]> live = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(61);
        for (int step = 0; step < 20000; step++) {
            if (live.isEmpty() || random.nextInt(100) < 55) {
                int order = random.nextInt(100) < 80 ? 0 : random.nextInt(BuddyAllocator.MAX_ORDER);
                int pfn = buddy.allocate(order);
                if (pfn < 0) {
                    continue;
                }
                assertEquals(0, pfn & ((1 << order) - 1), "naturally aligned");
                assertTrue(used.nextSetBit(pfn) < 0 || used.nextSetBit(pfn) >= pfn + (1 << order),
                        "block " + pfn + " order " + order + " overlaps a used frame");
                used.set(pfn, pfn + (1 << order));
                live.add(new int[] {pfn, order});
            } else {
                int[] block = live.remove(random.nextInt(live.size()));
                buddy.free(block[0], block[1]);
                used.clear(block[0], block[0] + (1 << block[1]));
            }
            assertEquals(frames - used.cardinality(), buddy.freePages());
        }
        for (int pfn = 0; pfn < frames; pfn++) {
            assertEquals(!used.get(pfn), buddy.isFree(pfn), "pfn " + pfn);
        }
        for (int[] block : live) {
            buddy.free(block[0], block[1]);
        }
        assertArrayEquals(bootCounts, buddy.freeBlocksPerOrder(), "every buddy merged back");
    }

    @Test
    void buddyinfoLineIsPrintedAsFragShowPrintDoes() {
        BuddyAllocator buddy = new BuddyAllocator(3000, 1);
        assertEquals("Node 0, zone    DMA32      1      1      1      2      2      2"
                + "      1      2      2      2      1 \n",
                buddy.buddyinfoLine(0, Zone.RAM_ZONE.procName()));
        int[] wide = {1234567, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals("Node 0, zone   Normal 1234567      0      0      0      0      0      0      0      0      0      0 \n",
                BuddyAllocator.buddyinfoLine(0, "Normal", wide), "%6lu widens, never truncates");
    }
}
