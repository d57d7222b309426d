package a64emu.guest;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.SwapSpace;
import a64emu.guest.mm.Vmscan;
import a64emu.guest.zram.Zram;
import a64emu.guest.zram.ZsFrames;

/**
 * What Android's init does with {@code swapon_all} at boot: zram0 is created with its
 * disksize (the fstab's {@code zramsize=75%}), its LZ4 compressor, and becomes the swap
 * area at the default priority. zsmalloc takes its frames from the machine's page
 * allocator, from below the watermarks as reclaim may (zram writes happen while reclaim
 * runs), so compressed pages cost RAM; its compaction is one of reclaim's shrinkers, as
 * zsmalloc registers one.
 */
final class Swapon {
    /** The swap device's path, as Android names the block device. */
    static final String ZRAM0 = "/dev/block/zram0";
    /**
     * zram's block major: zram_init registers it dynamically (register_blkdev(0, "zram")),
     * which hands out the highest free major from 254 down; with zram loaded first, 254.
     */
    static final int ZRAM_MAJOR = 254;

    private Swapon() {}

    /**
     * zram0 set up as the swap area of {@code frames}, or null when {@code bytes} gives no
     * swap; {@code afterStore} runs after each page it stores.
     */
    static Zram zram0(long bytes, FrameAllocator frames, Vmscan vmscan, java.util.function.LongSupplier jiffies,
                      Runnable afterStore) {
        if (bytes < 2 * a64emu.guest.mm.VmLayout.PAGE_SIZE) {
            return null;
        }
        Zram zram = new Zram(bytes, new ZsFrames() {
            @Override
            public long allocateFrame() {
                return frames.allocateNoReclaim(FrameAllocator.PageKind.ZSMALLOC);
            }

            @Override
            public void freeFrame(long pa) {
                frames.put(pa);
            }

            @Override
            public a64emu.memory.PhysicalMemory ram() {
                return frames.ram();
            }
        }, jiffies);
        frames.setSwap(new SwapSpace(new SwapSpace.Device() {
            @Override
            public int write(long offset, byte[] page) {
                int result = zram.write(offset, page);
                afterStore.run();
                return result;
            }

            @Override
            public int read(long offset, byte[] page) {
                return zram.read(offset, page);
            }

            @Override
            public void free(long offset) {
                zram.slotFreeNotify(offset);
            }

            @Override
            public String path() {
                return ZRAM0;
            }

            @Override
            public int major() {
                return ZRAM_MAJOR;
            }

            @Override
            public int minor() {
                return 0;
            }
        }, zram.disksize()));
        vmscan.addShrinker(new Vmscan.Shrinker() {
            @Override
            public long count() {
                return zram.compactablePages();
            }

            @Override
            public long scan() {
                return zram.compact();
            }
        });
        return zram;
    }
}
