package a64emu.guest.proc;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.SwapSpace;
import a64emu.guest.zram.Zram;
import a64emu.guest.zram.ZsFrames;
import a64emu.memory.PhysicalMemory;

/**
 * zram0 set up as a test machine's swap area the way the kernel's swapon_all does it: the
 * pool takes frames of the machine (as reclaim does, below the watermarks), the swap area
 * writes to and reads from the device and tells it of freed slots.
 */
public final class TestZram {
    private TestZram() {}

    public static Zram attach(TestMachine m, long bytes) {
        FrameAllocator frames = m.frames;
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
            public PhysicalMemory ram() {
                return frames.ram();
            }
        });
        frames.setSwap(new SwapSpace(new SwapSpace.Device() {
            @Override
            public int write(long offset, byte[] page) {
                return zram.write(offset, page);
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
                return "/dev/block/zram0";
            }
        }, bytes));
        return zram;
    }
}
