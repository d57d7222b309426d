package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.VmEvents.Event;
import a64emu.guest.zram.Zram;
import a64emu.guest.zram.ZsFrames;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.SwapPte;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Swap on a real zram0, wired as the kernel's swapon glue wires it (zsmalloc frames from
 * the same RAM, taken below the watermarks while reclaim runs; {@code swap_slot_free_notify}
 * as {@code zram_slot_free_notify}; zsmalloc compaction as a reclaim shrinker): the Android
 * configuration, where a swapped page still costs RAM, only less of it.
 */
class ZramSwapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48, 8L << 20);
    private final Zram zram = zram0(m, 16L << 20);

    /** What {@code Swapon.zram0} does for the kernel. */
    private static Zram zram0(TestMachine m, long bytes) {
        FrameAllocator frames = m.frames;
        Zram z = new Zram(bytes, new ZsFrames() {
            @Override
            public long allocateFrame() {
                return frames.allocateNoReclaim(FrameAllocator.PageKind.ZSMALLOC);
            }

            @Override
            public void freeFrame(long pa) {
                frames.put(pa);
            }

            @Override
            public PhysicalMemory ram() {
                return frames.ram();
            }
        });
        frames.setSwap(new SwapSpace(new SwapSpace.Device() {
            @Override
            public int write(long offset, byte[] page) {
                return z.write(offset, page);
            }

            @Override
            public int read(long offset, byte[] page) {
                return z.read(offset, page);
            }

            @Override
            public void free(long offset) {
                z.slotFreeNotify(offset);
            }

            @Override
            public String path() {
                return "/dev/block/zram0";
            }
        }, z.disksize()));
        m.vmscan.addShrinker(new Vmscan.Shrinker() {
            @Override
            public long count() {
                return z.compactablePages();
            }

            @Override
            public long scan() {
                return z.compact();
            }
        });
        return z;
    }

    /** A compressible page: its number in a few words, a little noise, zeros. */
    private static byte[] content(int page) {
        byte[] b = new byte[(int) PAGE];
        Random r = new Random(page);
        for (int i = 0; i < 64; i++) {
            b[i] = (byte) r.nextInt();
        }
        for (int i = 0; i < 8; i++) {
            b[1024 * (i % 4) + 512 + i] = (byte) (page >> (i % 4 * 8));
        }
        return b;
    }

    @Test
    void everyPageSwappedToZramUnderPressureReadsBackTheSame() throws Exception {
        int pages = 3000; // 12 MiB in 8 MiB of RAM
        long a = m.memoryMap.mmap(0, pages * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < pages; i++) {
            m.user.write(a + i * PAGE, content(i));
        }
        assertTrue(zram.pagesStored() > 0);
        assertTrue(m.frames.count(FrameAllocator.PageKind.ZSMALLOC) > 0, "compressed pages cost frames of RAM");
        VmscanTest.assertSwapCountsMatchEntries(m.frames);
        for (int i = 0; i < pages; i++) {
            assertArrayEquals(content(i), m.user.read(a + i * PAGE, (int) PAGE), "page " + i);
        }
        VmscanTest.assertSwapCountsMatchEntries(m.frames);
        RmapTest.assertRmapMatchesPageTables(m.frames);
    }

    @Test
    void zapOfASwapEntryFreesTheZramSlot() throws Exception {
        long a = m.memoryMap.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            m.user.write(a + i * PAGE, content(i));
        }
        assertEquals(0, m.memoryMap.madvise(a, 4 * PAGE, Mman.MADV_PAGEOUT));
        assertEquals(4, zram.pagesStored());
        assertEquals(4, m.frames.events().get(Event.PSWPOUT));
        long offset = SwapPte.offset(m.pt.pte(a));
        assertTrue(offset > 0);
        assertEquals(0, m.memoryMap.munmap(a, 4 * PAGE));
        assertEquals(0, zram.pagesStored());
        assertEquals(4, zram.notifyFree());
        assertEquals(0, m.frames.swap().usedPages());
    }

    @Test
    void aSwapInFromZramFreesItsSlotThere() throws Exception {
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write(a, content(7));
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(1, zram.pagesStored());
        assertArrayEquals(content(7), m.user.read(a, (int) PAGE));
        assertEquals(0, zram.pagesStored(), "swap_free of the last reference: zram_slot_free_notify");
        assertEquals(1, m.faults.majorFaults());
    }
}
