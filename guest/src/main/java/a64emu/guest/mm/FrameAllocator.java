package a64emu.guest.mm;

import a64emu.memory.PhysicalMemory;
import java.util.BitSet;

/**
 * Hands out 4 KiB physical frames of the emulated RAM (the role of Linux
 * {@code mm/page_alloc.c}; a bitmap for now, the buddy allocator with watermarks comes
 * later). A frame is zero when it is handed out: freeing gives its host memory back to
 * {@link PhysicalMemory}, which reads as zero afterwards.
 *
 * <p>Frame 0 is never handed out, so that physical address 0 cannot be mistaken for a
 * mapping of "nothing".
 */
public final class FrameAllocator {
    private final PhysicalMemory ram;
    private final BitSet used;
    private final int totalFrames;
    private int usedFrames;
    private int nextHint = 1;
    private long zeroFrame = -1;

    public FrameAllocator(PhysicalMemory ram) {
        this.ram = ram;
        this.totalFrames = ram.frameCount();
        this.used = new BitSet(totalFrames);
        used.set(0);
        usedFrames = 1;
    }

    /** Allocates one zeroed frame and returns its physical address. */
    public long allocate() throws OutOfFramesException {
        int index = used.nextClearBit(nextHint);
        if (index >= totalFrames) {
            index = used.nextClearBit(1);
            if (index >= totalFrames) {
                throw new OutOfFramesException(totalFrames);
            }
        }
        used.set(index);
        usedFrames++;
        nextHint = index + 1;
        long pa = (long) index << PhysicalMemory.FRAME_SHIFT;
        ram.releaseFrame(pa);
        return pa;
    }

    /**
     * Linux's {@code ZERO_PAGE}: one frame of zeros, mapped read-only wherever an anonymous
     * page is read before it is written. Allocated on first use and never freed.
     */
    public long zeroFrame() throws OutOfFramesException {
        if (zeroFrame < 0) {
            zeroFrame = allocate();
        }
        return zeroFrame;
    }

    /** Returns a frame; its contents are discarded. */
    public void free(long pa) {
        if ((pa & PhysicalMemory.FRAME_MASK) != 0) {
            throw new IllegalArgumentException(String.format("frame address 0x%x is not 4 KiB aligned", pa));
        }
        int index = (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
        if (pa == zeroFrame) {
            throw new IllegalStateException("freeing the shared zero page");
        }
        if (index == 0 || index >= totalFrames || !used.get(index)) {
            throw new IllegalStateException(String.format("freeing frame 0x%x that is not allocated", pa));
        }
        used.clear(index);
        usedFrames--;
        ram.releaseFrame(pa);
        if (index < nextHint) {
            nextHint = index;
        }
    }

    public boolean isAllocated(long pa) {
        int index = (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
        return index >= 0 && index < totalFrames && used.get(index);
    }

    public int totalFrames() {
        return totalFrames;
    }

    /** Frames in use, including the reserved frame 0. */
    public int usedFrames() {
        return usedFrames;
    }

    public int freeFrames() {
        return totalFrames - usedFrames;
    }
}
