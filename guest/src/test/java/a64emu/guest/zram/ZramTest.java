package a64emu.guest.zram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class ZramTest {
    private static final int PAGE = 4096;
    private static final long DISKSIZE = 64L << 20;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

    private final FreeListFrames frames = new FreeListFrames();
    private final Zram zram = new Zram(DISKSIZE, frames);
    private final Random random = new Random(2023);

    private static int lz4Length(byte[] page) {
        return LZ4.compress(page, 0, PAGE, new byte[2 * PAGE], 0, 2 * PAGE);
    }

    /** Text-like data: compresses well, not same-filled. */
    private static byte[] compressiblePage(int seed) {
        byte[] page = new byte[PAGE];
        byte[] line = ("page " + seed + ": the quick brown fox jumps over the lazy dog\n").getBytes();
        for (int i = 0; i < PAGE; i++) {
            page[i] = line[i % line.length];
        }
        return page;
    }

    private byte[] randomPage() {
        byte[] page = new byte[PAGE];
        random.nextBytes(page);
        return page;
    }

    /** {@code randomBytes} random bytes, then zeros. */
    private byte[] partlyRandomPage(int randomBytes) {
        byte[] page = new byte[PAGE];
        byte[] head = new byte[randomBytes];
        random.nextBytes(head);
        System.arraycopy(head, 0, page, 0, randomBytes);
        page[0] |= 1; // the first word is never the zero of the tail
        return page;
    }

    private static byte[] sameFilledPage(long value) {
        ByteBuffer b = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            b.putLong(value);
        }
        return b.array();
    }

    private byte[] readBack(long index) {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) 0x55);
        assertEquals(0, zram.read(index, page));
        return page;
    }

    private static String fields(long... values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%8d", v));
        }
        return s.append('\n').toString();
    }

    // ---- round trips ----

    @Test
    void compressiblePageRoundTripsCompressed() {
        byte[] page = compressiblePage(1);
        assertEquals(0, zram.write(7, page));
        assertArrayEquals(page, readBack(7));
        assertEquals(lz4Length(page), zram.comprDataSize());
        assertTrue(zram.comprDataSize() < 200);
        assertEquals(1, zram.pagesStored());
        assertEquals(0, zram.hugePages());
        assertEquals(0, zram.samePages());
    }

    @Test
    void incompressiblePageIsStoredWholeAsAHugePage() {
        byte[] page = randomPage();
        assertEquals(0, zram.write(0, page));
        assertArrayEquals(page, readBack(0));
        assertEquals(PAGE, zram.comprDataSize(), "a huge page counts 4096 compressed bytes");
        assertEquals(1, zram.hugePages());
        assertEquals(1, zram.hugePagesSince());
        assertEquals(PAGE, zram.memUsedTotal(), "one object in a one-frame zspage");
    }

    @Test
    void sameFilledPageIsKeptAsItsValueWithoutPoolMemory() {
        byte[] page = sameFilledPage(0x0123_4567_89ab_cdefL);
        assertEquals(0, zram.write(3, page));
        assertArrayEquals(page, readBack(3));
        assertEquals(1, zram.samePages());
        assertEquals(1, zram.pagesStored());
        assertEquals(PAGE, zram.origDataSize(), "orig_data_size counts same-filled pages");
        assertEquals(0, zram.comprDataSize());
        assertEquals(0, zram.memUsedTotal());
        assertEquals(0, frames.allocated());
    }

    @Test
    void zeroFilledPageIsASameFilledPageOfValueZero() {
        assertEquals(0, zram.write(4, new byte[PAGE]));
        assertArrayEquals(new byte[PAGE], readBack(4));
        assertEquals(1, zram.samePages());
        assertEquals(0, zram.memUsedTotal());
    }

    @Test
    void pageDifferingOnlyInItsLastWordIsNotSameFilled() {
        byte[] page = sameFilledPage(7);
        page[PAGE - 1] = 1;
        assertEquals(0, zram.write(4, page));
        assertEquals(0, zram.samePages());
        assertArrayEquals(page, readBack(4));
    }

    @Test
    void slotNeverWrittenReadsAsZeros() {
        assertArrayEquals(new byte[PAGE], readBack(100));
        assertEquals(1, zram.readsCompleted());
    }

    // ---- huge threshold ----

    @Test
    void pagesCompressingToHugeClassSizeOrMoreAreStoredUncompressed() {
        assertEquals(3257, zram.hugeClassSize());
        byte[] below = null;
        byte[] atOrAbove = null;
        for (int n = 2800; n < PAGE && (below == null || atOrAbove == null); n++) {
            byte[] page = partlyRandomPage(n);
            int len = lz4Length(page);
            if (len >= 3240 && len < 3257 && below == null) {
                below = page;
            } else if (len >= 3257 && len < 3280 && atOrAbove == null) {
                atOrAbove = page;
            }
        }
        assertEquals(0, zram.write(0, below));
        assertEquals(0, zram.hugePages());
        assertEquals(lz4Length(below), zram.comprDataSize());
        assertEquals(0, zram.write(1, atOrAbove));
        assertEquals(1, zram.hugePages());
        assertEquals(lz4Length(below) + PAGE, zram.comprDataSize());
        assertArrayEquals(below, readBack(0));
        assertArrayEquals(atOrAbove, readBack(1));
    }

    // ---- freeing ----

    @Test
    void slotFreeNotifyFreesThePoolPagesAndCountsTheNotification() {
        assertEquals(0, zram.write(9, compressiblePage(9)));
        assertTrue(zram.memUsedTotal() > 0);
        zram.slotFreeNotify(9);
        assertEquals(0, zram.memUsedTotal());
        assertEquals(0, frames.allocated());
        assertEquals(0, zram.pagesStored());
        assertEquals(0, zram.comprDataSize());
        assertEquals(1, zram.notifyFree());
        assertArrayEquals(new byte[PAGE], readBack(9));
    }

    @Test
    void slotFreeNotifyOfAnEmptySlotStillCountsNotifyFree() {
        zram.slotFreeNotify(12);
        assertEquals(1, zram.notifyFree());
        assertEquals(0, zram.pagesStored());
    }

    @Test
    void freeingAHugePageUndoesHugePagesButNotHugePagesSince() {
        assertEquals(0, zram.write(0, randomPage()));
        zram.slotFreeNotify(0);
        assertEquals(0, zram.hugePages());
        assertEquals(1, zram.hugePagesSince());
    }

    @Test
    void overwritingASlotFreesWhatItHeld() {
        assertEquals(0, zram.write(5, randomPage()));
        assertEquals(0, zram.write(5, sameFilledPage(0)));
        assertEquals(0, zram.memUsedTotal());
        assertEquals(1, zram.pagesStored());
        assertEquals(1, zram.samePages());
        assertEquals(0, zram.hugePages());
        assertEquals(0, zram.comprDataSize());
    }

    // ---- mem_limit and running out of frames ----

    @Test
    void storePushingThePoolPastMemLimitFailsWithEnomemAndLeavesNothingAllocated() {
        assertEquals(0, zram.writeMemLimit("8K"));
        assertEquals(0, zram.write(0, randomPage()));
        assertEquals(0, zram.write(1, randomPage()));
        assertEquals(-Errno.ENOMEM, zram.write(2, randomPage()));
        assertEquals(2 * PAGE, zram.memUsedTotal());
        assertEquals(2, zram.pagesStored());
        assertEquals(1, zram.failedWrites());
        assertEquals(3 * PAGE, zram.memUsedMax(), "the maximum is taken before the limit check");
        assertArrayEquals(new byte[PAGE], readBack(2));
        assertEquals(0, zram.writeMemUsedMax("0"));
        assertEquals(2 * PAGE, zram.memUsedMax());
    }

    @Test
    void overwriteUnderMemLimitNeedsRoomForTheNewCopyBeforeTheOldIsFreed() {
        assertEquals(0, zram.writeMemLimit("4096"));
        byte[] old = randomPage();
        assertEquals(0, zram.write(0, old));
        assertEquals(-Errno.ENOMEM, zram.write(0, randomPage()));
        assertArrayEquals(old, readBack(0), "a failed write keeps the slot's contents");
    }

    @Test
    void memLimitAcceptsMemparseSyntax() {
        assertEquals(0, zram.writeMemLimit("1M\n"));
        assertEquals(1 << 20, zram.memLimit());
        assertEquals(0, zram.writeMemLimit("0x1000"));
        assertEquals(4096, zram.memLimit());
        assertEquals(0, zram.writeMemLimit("5000"));
        assertEquals(8192, zram.memLimit(), "page-aligned up");
        assertEquals(0, zram.writeMemLimit("010"));
        assertEquals(4096, zram.memLimit(), "a leading 0 is octal: 8 bytes, one page");
        assertEquals(0, zram.writeMemLimit("2g"));
        assertEquals(2L << 30, zram.memLimit());
        assertEquals(0, zram.writeMemLimit("0"));
        assertEquals(0, zram.memLimit());
        assertEquals(-Errno.EINVAL, zram.writeMemLimit("lots"));
        assertEquals(-Errno.EINVAL, zram.writeMemLimit(""));
    }

    @Test
    void memUsedMaxAcceptsOnlyZero() {
        assertEquals(0, zram.writeMemUsedMax("0"));
        assertEquals(0, zram.writeMemUsedMax("0\n"));
        assertEquals(0, zram.writeMemUsedMax("+00"));
        assertEquals(-Errno.EINVAL, zram.writeMemUsedMax("1"));
        assertEquals(-Errno.EINVAL, zram.writeMemUsedMax(""));
        assertEquals(-Errno.EINVAL, zram.writeMemUsedMax("0 "));
    }

    @Test
    void writeWhenNoFrameIsLeftReturnsEnomemAndCountsAWriteStall() {
        FreeListFrames two = new FreeListFrames(2);
        Zram small = new Zram(DISKSIZE, two);
        assertEquals(0, small.write(0, randomPage()));
        assertEquals(0, small.write(1, randomPage()));
        assertEquals(-Errno.ENOMEM, small.write(2, randomPage()));
        assertEquals(1, small.failedWrites());
        assertEquals(1, small.writestall());
        assertEquals(2, small.pagesStored());
        small.slotFreeNotify(0);
        assertEquals(0, small.write(2, randomPage()));
    }

    // ---- compaction ----

    @Test
    void compactionFreesPoolPagesAndKeepsEveryPageReadable() {
        int n = 400;
        byte[][] pages = new byte[n][];
        for (int i = 0; i < n; i++) {
            pages[i] = partlyRandomPage(200);
            assertEquals(0, zram.write(i, pages[i]));
        }
        for (int i = 0; i < n; i++) {
            if (i % 5 != 0) {
                zram.slotFreeNotify(i);
            }
        }
        long before = zram.memUsedTotal();
        long compactable = zram.compactablePages();
        assertTrue(compactable > 0);
        long freed = zram.compact();
        assertTrue(freed > 0);
        assertEquals(before - freed * PAGE, zram.memUsedTotal());
        assertEquals(freed, zram.pagesCompacted());
        for (int i = 0; i < n; i += 5) {
            assertArrayEquals(pages[i], readBack(i), "page " + i);
        }
    }

    // ---- invalid I/O ----

    @Test
    void ioBeyondTheDiskIsInvalidAndNotAccounted() {
        long slots = DISKSIZE / PAGE;
        assertEquals(-Errno.EINVAL, zram.write(slots, compressiblePage(0)));
        assertEquals(-Errno.EINVAL, zram.read(-1, new byte[PAGE]));
        assertEquals(2, zram.invalidIo());
        assertEquals(0, zram.writesCompleted());
        assertEquals(0, zram.failedWrites());
    }

    // ---- sysfs text ----

    @Test
    void mmStatOfAFreshDeviceIsNineZeroFieldsEightWide() {
        assertEquals("       0        0        0        0        0        0        0        0        0\n",
                zram.mmStatText());
    }

    @Test
    void mmStatFieldsAreInSixOneOrderAndWiderNumbersAreNotCut() {
        assertEquals(0, zram.writeMemLimit("1G"));
        byte[] compressible = compressiblePage(2);
        assertEquals(0, zram.write(0, sameFilledPage(0)));
        assertEquals(0, zram.write(1, randomPage()));
        assertEquals(0, zram.write(2, compressible));
        int len = lz4Length(compressible);
        long pages = 1 + new ZsPool(new FreeListFrames()).classFor(len).pagesPerZspage; // huge + compressed
        assertEquals(fields(3 * PAGE, PAGE + len, pages * PAGE, 1L << 30, pages * PAGE, 1, 0, 1, 1),
                zram.mmStatText());
        assertTrue(zram.mmStatText().contains(" 1073741824 "));
    }

    @Test
    void ioStatIsFailedReadsFailedWritesInvalidIoNotifyFree() {
        assertEquals(0, zram.writeMemLimit("4K"));
        zram.write(DISKSIZE / PAGE, new byte[PAGE]);
        zram.write(0, randomPage());
        zram.write(1, randomPage());
        zram.slotFreeNotify(0);
        zram.slotFreeNotify(5);
        assertEquals("       0        1        1        2\n", zram.ioStatText());
    }

    @Test
    void statPrintsTheBlockLayersSeventeenFields() {
        zram.write(0, compressiblePage(0));
        zram.read(0, new byte[PAGE]);
        String stat = zram.statText();
        assertEquals("       1        0        8        0        1        0        8        0"
                + "        0        0        0        0        0        0        0        0        0\n", stat);
        assertEquals(17, stat.trim().split(" +").length);
    }

    @Test
    void statTimesAreJiffiesShownInMilliseconds() {
        AtomicLong jiffies = new AtomicLong();
        Zram timed = new Zram(DISKSIZE, new FreeListFrames(), jiffies::incrementAndGet); // one jiffy per look
        timed.write(0, compressiblePage(0));
        timed.read(0, new byte[PAGE]);
        // Each request lasts one jiffy (4 ms at HZ=250); io_ticks counts 4 jiffies.
        assertEquals(fields(1, 0, 8, 4, 1, 0, 8, 4, 0, 16, 8, 0, 0, 0, 0, 0, 0), timed.statText());
    }

    @Test
    void failedWritesAreStillCountedAsCompletedRequests() {
        assertEquals(0, zram.writeMemLimit("4K"));
        zram.write(0, randomPage());
        zram.write(1, randomPage());
        assertEquals(2, zram.writesCompleted());
        assertEquals(16, zram.sectorsWritten());
    }

    @Test
    void compAlgorithmListsTheGkiBackendsWithLz4Selected() {
        assertEquals("lzo lzo-rle [lz4] zstd \n", zram.compAlgorithmText());
    }

    @Test
    void compAlgorithmCannotChangeOnceTheDeviceIsSetUp() {
        assertEquals(-Errno.EBUSY, zram.writeCompAlgorithm("zstd\n"));
        assertEquals(-Errno.EBUSY, zram.writeCompAlgorithm("lz4"));
        assertEquals(-Errno.EINVAL, zram.writeCompAlgorithm("lz4hc"));
        assertEquals(-Errno.EINVAL, zram.writeCompAlgorithm("brotli"));
    }

    @Test
    void disksizeIsBytesAndCannotChangeOnceSetUp() {
        assertEquals("67108864\n", zram.disksizeText());
        assertEquals(-Errno.EBUSY, zram.writeDisksize("128M"));
        assertEquals(-Errno.EINVAL, zram.writeDisksize("0"));
    }

    @Test
    void bdStatDoesNotExistWithoutZramWriteback() {
        assertTrue(zram.bdStatText().isEmpty());
    }

    @Test
    void debugStatIsVersionOneThenWritestallAndMissFree() {
        assertEquals("version: 1\n       0        0\n", zram.debugStatText());
    }
}
