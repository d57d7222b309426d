package a64emu.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Emulated physical RAM: 4 KiB frames, little-endian, backed lazily.
 *
 * <p>A frame that was never written reads as zero and costs no host memory, so a
 * 1 GiB machine that touches 10 MiB uses about 10 MiB of heap. Accesses never
 * cross a frame boundary: the CPU splits unaligned accesses at page boundaries
 * before translation, and the page-table walker reads aligned descriptors.
 *
 * <p>A released frame's host array is kept in a pool (up to {@link #POOL_LIMIT} arrays)
 * and zeroed when a frame is next written, instead of being dropped for a new one: a
 * fresh 4 KiB array costs the host a page fault on memory the JVM has not touched yet
 * and, held until the guest frees the frame, survives young collections into the old
 * generation. With the pool, a guest that keeps mapping and unmapping memory (a page
 * fault per new page, zRAM storing into frames it frees again) reuses the same arrays.
 */
public final class PhysicalMemory {
    public static final int FRAME_SHIFT = 12;
    public static final int FRAME_SIZE = 1 << FRAME_SHIFT;
    public static final long FRAME_MASK = FRAME_SIZE - 1;

    private static final VarHandle LE64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Released frame arrays kept for reuse, at most: 16384 (64 MiB), or every frame of a
     * smaller RAM. A guest that frees more than that gives the rest back to the JVM.
     */
    public static final int POOL_LIMIT = 16384;

    private final long size;
    private final byte[][] frames;
    private int residentFrames;
    /** Arrays of released frames, not zeroed yet: {@code pool[0, pooled)}. */
    private final byte[][] pool;
    private int pooled;
    /** Who is told of watched frames being written and of frames being released (the JIT). */
    private FrameObserver[] observers = new FrameObserver[0];
    /** Frames marked by {@link #watchFrame}: nonzero while translated code depends on them; null until used. */
    private byte[] watched;

    public PhysicalMemory(long sizeBytes) {
        if (sizeBytes <= 0 || (sizeBytes & FRAME_MASK) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + sizeBytes);
        }
        long count = sizeBytes >>> FRAME_SHIFT;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RAM size too large: " + sizeBytes);
        }
        this.size = sizeBytes;
        this.frames = new byte[(int) count][];
        this.pool = new byte[(int) Math.min(count, POOL_LIMIT)][];
    }

    public long size() {
        return size;
    }

    public int frameCount() {
        return frames.length;
    }

    /** Frames that hold host memory (written at least once and not released). */
    public int residentFrames() {
        return residentFrames;
    }

    /** Host arrays of released frames kept for reuse (host memory that no frame holds). */
    public int pooledFrames() {
        return pooled;
    }

    public boolean contains(long pa, int length) {
        return pa >= 0 && length >= 0 && pa <= size - length;
    }

    private byte[] frameForRead(long pa) {
        return frames[frameIndex(pa)];
    }

    private byte[] frameForWrite(long pa) {
        int index = frameIndex(pa);
        if (watched != null && watched[index] != 0) {
            watchedFrameWritten(index);
        }
        byte[] frame = frames[index];
        if (frame == null) {
            frame = newFrame();
            frames[index] = frame;
            residentFrames++;
        }
        return frame;
    }

    /** A zeroed array for a frame written for the first time since it was released. */
    private byte[] newFrame() {
        if (pooled == 0) {
            return new byte[FRAME_SIZE];
        }
        byte[] frame = pool[--pooled];
        pool[pooled] = null;
        java.util.Arrays.fill(frame, (byte) 0);
        return frame;
    }

    private int frameIndex(long pa) {
        if (pa < 0 || pa >= size) {
            throw new PhysicalAddressException(pa, size);
        }
        return (int) (pa >>> FRAME_SHIFT);
    }

    public long read64(long pa) {
        byte[] f = frameForRead(pa);
        return f == null ? 0 : (long) LE64.get(f, (int) (pa & FRAME_MASK));
    }

    public int read32(long pa) {
        byte[] f = frameForRead(pa);
        return f == null ? 0 : (int) LE32.get(f, (int) (pa & FRAME_MASK));
    }

    public int read16(long pa) {
        byte[] f = frameForRead(pa);
        return f == null ? 0 : ((short) LE16.get(f, (int) (pa & FRAME_MASK))) & 0xFFFF;
    }

    public int read8(long pa) {
        byte[] f = frameForRead(pa);
        return f == null ? 0 : f[(int) (pa & FRAME_MASK)] & 0xFF;
    }

    public void write64(long pa, long value) {
        LE64.set(frameForWrite(pa), (int) (pa & FRAME_MASK), value);
    }

    public void write32(long pa, int value) {
        LE32.set(frameForWrite(pa), (int) (pa & FRAME_MASK), value);
    }

    public void write16(long pa, int value) {
        LE16.set(frameForWrite(pa), (int) (pa & FRAME_MASK), (short) value);
    }

    public void write8(long pa, int value) {
        frameForWrite(pa)[(int) (pa & FRAME_MASK)] = (byte) value;
    }

    /** Copies bytes out of RAM; the range may span frames. */
    public void read(long pa, byte[] dst, int off, int len) {
        while (len > 0) {
            int inFrame = (int) Math.min(len, FRAME_SIZE - (pa & FRAME_MASK));
            byte[] f = frameForRead(pa);
            if (f == null) {
                java.util.Arrays.fill(dst, off, off + inFrame, (byte) 0);
            } else {
                System.arraycopy(f, (int) (pa & FRAME_MASK), dst, off, inFrame);
            }
            pa += inFrame;
            off += inFrame;
            len -= inFrame;
        }
    }

    /** Copies bytes into RAM; the range may span frames. */
    public void write(long pa, byte[] src, int off, int len) {
        while (len > 0) {
            int inFrame = (int) Math.min(len, FRAME_SIZE - (pa & FRAME_MASK));
            System.arraycopy(src, off, frameForWrite(pa), (int) (pa & FRAME_MASK), inFrame);
            pa += inFrame;
            off += inFrame;
            len -= inFrame;
        }
    }

    /** Zeroes a whole frame and gives its host memory back; it reads as zero afterwards. */
    public void releaseFrame(long framePa) {
        int index = frameIndex(framePa);
        if (watched != null && watched[index] != 0) {
            watchedFrameWritten(index);
        }
        byte[] frame = frames[index];
        if (frame != null) {
            frames[index] = null;
            residentFrames--;
            for (FrameObserver o : observers) {
                o.frameReleased(index, frame);
            }
            if (pooled < pool.length) {
                pool[pooled++] = frame;
            }
        }
    }

    /** Copies one whole frame to another. */
    public void copyFrame(long fromPa, long toPa) {
        byte[] src = frameForRead(fromPa & ~FRAME_MASK);
        if (src == null) {
            releaseFrame(toPa & ~FRAME_MASK);
        } else {
            System.arraycopy(src, 0, frameForWrite(toPa & ~FRAME_MASK), 0, FRAME_SIZE);
        }
    }

    // ---- What the JIT needs: host arrays, watched frames, observers ----------------------------

    /**
     * Told what happens to frames that a cache outside this class depends on: the JIT's
     * translations (built from a frame's bytes) and its host-TLB entries (which hold a
     * frame's host array).
     */
    public interface FrameObserver {
        /**
         * A frame marked by {@link #watchFrame} is about to be written or released; the mark
         * is already cleared. Called before the bytes change.
         */
        void watchedFrameWritten(int frame);

        /** Frame {@code frame} gave back its host array {@code array}, which may serve another frame next. */
        void frameReleased(int frame, byte[] array);
    }

    public void addObserver(FrameObserver o) {
        FrameObserver[] a = java.util.Arrays.copyOf(observers, observers.length + 1);
        a[a.length - 1] = o;
        observers = a;
    }

    /**
     * Marks frame {@code frame} (an index, {@code pa >>> FRAME_SHIFT}) as holding bytes that
     * translated code was built from: its next write or release is reported to the observers.
     */
    public void watchFrame(int frame) {
        if (watched == null) {
            watched = new byte[frames.length];
        }
        watched[frame] = 1;
    }

    public boolean isWatched(int frame) {
        return watched != null && watched[frame] != 0;
    }

    private void watchedFrameWritten(int index) {
        watched[index] = 0;
        for (FrameObserver o : observers) {
            o.watchedFrameWritten(index);
        }
    }

    /** The host array holding the frame of {@code pa}, or null while the frame reads as zero. */
    public byte[] frameArray(long pa) {
        return frames[frameIndex(pa)];
    }

    /**
     * The host array of the frame of {@code pa}, made resident if it was not, for a writer that
     * will store into it directly; null when the frame is watched (such writes must come
     * through this class, so that they are reported).
     */
    public byte[] frameArrayForDirectWrite(long pa) {
        int index = frameIndex(pa);
        if (watched != null && watched[index] != 0) {
            return null;
        }
        return frameForWrite(pa);
    }
}
