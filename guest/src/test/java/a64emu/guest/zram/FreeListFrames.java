package a64emu.guest.zram;

import a64emu.memory.PhysicalMemory;

/** Frames for a pool from a simple stack over 16 MiB of RAM, optionally capped. */
final class FreeListFrames implements ZsFrames {
    private final PhysicalMemory ram = new PhysicalMemory(16 << 20);
    private final long[] free;
    private int freeCount;
    private int allocated;

    /** Every frame of the 16 MiB. */
    FreeListFrames() {
        this(Integer.MAX_VALUE);
    }

    /** At most {@code limit} frames handed out at once. */
    FreeListFrames(int limit) {
        int frames = Math.min(limit, ram.frameCount());
        free = new long[frames];
        for (int i = 0; i < frames; i++) {
            free[i] = (long) (frames - 1 - i) * PhysicalMemory.FRAME_SIZE; // frame 0 is handed out first
        }
        freeCount = frames;
    }

    @Override
    public long allocateFrame() {
        if (freeCount == 0) {
            return -1;
        }
        allocated++;
        return free[--freeCount];
    }

    @Override
    public void freeFrame(long pa) {
        ram.releaseFrame(pa);
        allocated--;
        free[freeCount++] = pa;
    }

    @Override
    public PhysicalMemory ram() {
        return ram;
    }

    /** Frames the pool holds now. */
    int allocated() {
        return allocated;
    }
}
