package a64emu.guest.zram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZsPoolTest {
    private final FreeListFrames frames = new FreeListFrames();
    private final ZsPool pool = new ZsPool(frames);
    private final Random random = new Random(61);

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private long store(byte[] data) {
        long handle = pool.malloc(data.length);
        pool.write(handle, data, data.length);
        return handle;
    }

    private byte[] load(long handle, int len) {
        byte[] out = new byte[len];
        pool.read(handle, out, len);
        return out;
    }

    @Test
    void createPoolMergesTheTwoHundredFiftyFiveSizesIntoSixtyNineClasses() {
        assertEquals(255, ZsPool.ZS_SIZE_CLASSES);
        assertEquals(69, pool.classCount());
    }

    @Test
    void hugeClassSizeIsThreeThousandTwoHundredFiftySevenWithFourPageZspages() {
        assertEquals(3257, pool.hugeClassSize());
        SizeClass below = pool.classFor(3256);
        assertFalse(below.huge);
        assertEquals(3264, below.size, "3256 + the 8-byte handle is the largest multi-object class");
        assertTrue(pool.classFor(3257).huge);
        assertEquals(4096, pool.classFor(3257).size, "3280..4096 merge into the one-object 4096 class");
    }

    @Test
    void zspagePageCountIsTheOneThatWastesLeast() {
        assertEquals(1, SizeClass.pagesPerZspage(32));
        assertEquals(1, SizeClass.pagesPerZspage(2048));
        assertEquals(2, SizeClass.pagesPerZspage(2720));
        assertEquals(3, SizeClass.pagesPerZspage(3072));
        assertEquals(4, SizeClass.pagesPerZspage(3264));
        SizeClass c = pool.classFor(3256);
        assertEquals(4, c.pagesPerZspage);
        assertEquals(5, c.objsPerZspage);
    }

    @Test
    void objectsOfEverySizeRoundTripThroughEmulatedRam() {
        List<Long> handles = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        for (int size = 1; size <= 4096; size += 37) {
            byte[] d = randomBytes(size);
            data.add(d);
            handles.add(store(d));
        }
        for (int i = 0; i < data.size(); i++) {
            assertArrayEquals(data.get(i), load(handles.get(i), data.get(i).length), "object " + i);
        }
    }

    @Test
    void objectsStraddlingTwoFramesOfTheirZspageKeepTheirBytes() {
        long[] handles = new long[5];
        byte[][] data = new byte[5][];
        for (int i = 0; i < 5; i++) {
            data[i] = randomBytes(3256);
            handles[i] = store(data[i]);
        }
        assertEquals(4, pool.totalPages(), "five 3264-byte objects share one four-frame zspage");
        long second = pool.dataAddress(handles[1]);
        assertNotEquals(second >>> 12, (second + 3255) >>> 12, "object 1 starts in frame 0 and ends in frame 1");
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(data[i], load(handles[i], 3256));
        }
    }

    @Test
    void compressedBytesLiveInTheFramesOfEmulatedRam() {
        byte[] d = randomBytes(24); // the 32-byte class: one-frame zspages
        long handle = store(d);
        byte[] inRam = new byte[24];
        frames.ram().read(pool.dataAddress(handle), inRam, 0, 24);
        assertArrayEquals(d, inRam);
        assertEquals(1, frames.allocated());
        assertEquals(pool.totalPages(), frames.allocated());
    }

    @Test
    void nonHugeObjectsLeaveRoomForTheirHandleAtTheirStart() {
        long first = store(randomBytes(100));
        long frame = pool.dataAddress(first) & ~(long) (PhysicalMemory.FRAME_SIZE - 1);
        assertEquals(frame + ZsPool.ZS_HANDLE_SIZE, pool.dataAddress(first));
        long huge = store(randomBytes(4096));
        assertEquals(0, pool.dataAddress(huge) & (PhysicalMemory.FRAME_SIZE - 1), "a huge object fills its page");
    }

    @Test
    void mallocFillsTheFullestZspageOfTheClassFirst() {
        // 248 + 8 = 256-byte class: 16 objects in a one-page zspage.
        long[] h = new long[32];
        for (int i = 0; i < 32; i++) {
            h[i] = store(randomBytes(248));
        }
        long frameA = pool.dataAddress(h[0]) >>> 12;
        long frameB = pool.dataAddress(h[16]) >>> 12;
        assertNotEquals(frameA, frameB);
        pool.free(h[0]);
        pool.free(h[1]); // A: 14 of 16 in use, ZS_ALMOST_FULL
        for (int i = 16; i < 26; i++) {
            pool.free(h[i]); // B: 6 of 16 in use, ZS_ALMOST_EMPTY
        }
        long next = pool.malloc(248);
        assertEquals(frameA, pool.dataAddress(next) >>> 12);
        assertEquals(2, pool.totalPages());
    }

    @Test
    void aFreedObjectIsTheFirstReusedInItsZspage() {
        long[] h = new long[4];
        for (int i = 0; i < 4; i++) {
            h[i] = store(randomBytes(248));
        }
        long where = pool.dataAddress(h[2]);
        pool.free(h[2]);
        assertEquals(where, pool.dataAddress(pool.malloc(248)));
    }

    @Test
    void mallocReturnsMinusOneAndKeepsNoFrameWhenAZspageCannotBeCompleted() {
        FreeListFrames three = new FreeListFrames(3);
        ZsPool small = new ZsPool(three);
        assertEquals(-1, small.malloc(3256), "the 3264 class needs a four-frame zspage");
        assertEquals(0, three.allocated());
        assertEquals(0, small.totalPages());
        long h = small.malloc(24);
        assertTrue(h > 0, "a one-frame class still fits");
        assertEquals(1, small.totalPages());
    }

    @Test
    void freeingTheLastObjectOfAZspageGivesAllItsFramesBack() {
        long h = store(randomBytes(3256));
        assertEquals(4, frames.allocated());
        pool.free(h);
        assertEquals(0, frames.allocated());
        assertEquals(0, pool.totalPages());
    }

    @Test
    void compactionEmptiesSparseZspagesIntoFullerOnesAndKeepsEveryHandle() {
        int n = 160; // ten one-page zspages of the 256-byte class
        long[] h = new long[n];
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            data[i] = randomBytes(248);
            h[i] = store(data[i]);
        }
        for (int i = 0; i < n; i++) {
            if (i % 4 != 0) {
                pool.free(h[i]);
            }
        }
        assertEquals(10, pool.totalPages());
        assertEquals(7, pool.compactablePages(), "120 unused slots are 7 whole 16-slot zspages");
        assertEquals(7, pool.compact());
        assertEquals(3, pool.totalPages());
        assertEquals(3, frames.allocated());
        assertEquals(7, pool.pagesCompacted());
        assertEquals(0, pool.compactablePages());
        for (int i = 0; i < n; i += 4) {
            assertArrayEquals(data[i], load(h[i], 248), "object " + i + " after compaction");
        }
        for (int i = 0; i < n; i += 4) {
            pool.free(h[i]);
        }
        assertEquals(0, frames.allocated());
    }

    @Test
    void compactionWithLessThanAZspageOfUnusedSlotsFreesNothing() {
        long[] h = new long[20];
        for (int i = 0; i < 20; i++) {
            h[i] = store(randomBytes(248));
        }
        pool.free(h[3]);
        assertEquals(0, pool.compactablePages());
        assertEquals(0, pool.compact());
        assertEquals(2, pool.totalPages());
        assertEquals(0, pool.pagesCompacted());
    }

    @Test
    void sizesOutsideOneToFourThousandNinetySixAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> pool.malloc(0));
        assertThrows(IllegalArgumentException.class, () -> pool.malloc(4097));
    }

    @Test
    void dataLongerThanTheObjectIsRefused() {
        long h = pool.malloc(100); // class 112: room for 104
        assertThrows(IllegalArgumentException.class, () -> pool.write(h, new byte[105], 105));
        pool.write(h, new byte[104], 104);
    }

    @Test
    void aFreedHandleIsNoLongerLive() {
        long h = pool.malloc(100);
        pool.free(h);
        assertThrows(IllegalArgumentException.class, () -> pool.free(h));
    }

    @Test
    void readingAWholeObjectCopiesTheClassRoom() {
        long h = store(randomBytes(100));
        byte[] all = new byte[4096];
        assertEquals(104, pool.read(h, all));
        assertTrue(Arrays.equals(load(h, 100), 0, 100, all, 0, 100));
    }
}
