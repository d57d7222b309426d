package a64emu.guest.zram;

import a64emu.memory.PhysicalMemory;

/**
 * One zspage ({@code struct zspage}, Linux 6.1 {@code mm/zsmalloc.c}): 1 to 4 frames of
 * emulated RAM, not necessarily contiguous, seen as one run of bytes that holds
 * {@code objsPerZspage} objects of the class size end to end. Object {@code i} starts at
 * byte {@code i * size} of that run, so an object may begin in one frame and end in the
 * next, as in zsmalloc (which maps such an object through a per-CPU buffer).
 *
 * <p>The object bytes live in the frames; the bookkeeping that zsmalloc keeps in
 * {@code struct page} fields and in object headers (the free-object chain, the handle of
 * each allocated object) is kept here. In a non-huge zspage the first
 * {@link ZsPool#ZS_HANDLE_SIZE} bytes of each object are still reserved for the handle, so
 * objects take exactly the room they take on a device.
 */
final class Zspage {
    private static final int NO_OBJECT = -1;

    final SizeClass sizeClass;
    /** Physical addresses of the zspage's frames, in order. */
    final long[] frames;
    /** {@code get_zspage_inuse}: objects allocated. */
    int inuse;
    /** {@code zspage->freeobj}: the first free object, or -1. */
    private int freeObject;
    /** {@code link_free.next}: the free object after each free object, or -1. */
    private final int[] nextFree;
    /** The handle of each allocated object, 0 for a free one ({@code obj_allocated}). */
    private final long[] handles;

    SizeClass.Fullness fullness;
    Zspage prev;
    Zspage next;

    Zspage(SizeClass sizeClass) {
        this.sizeClass = sizeClass;
        this.frames = new long[sizeClass.pagesPerZspage];
        this.nextFree = new int[sizeClass.objsPerZspage];
        this.handles = new long[sizeClass.objsPerZspage];
    }

    /** {@code init_zspage}: every object free, chained in address order. */
    void init() {
        int objs = nextFree.length;
        for (int i = 0; i < objs - 1; i++) {
            nextFree[i] = i + 1;
        }
        nextFree[objs - 1] = NO_OBJECT;
        java.util.Arrays.fill(handles, 0);
        freeObject = 0;
        inuse = 0;
    }

    boolean isFull() {
        return inuse == nextFree.length;
    }

    /** {@code obj_malloc}: takes the first free object for {@code handle}; returns its index. */
    int allocate(long handle) {
        int obj = freeObject;
        freeObject = nextFree[obj];
        handles[obj] = handle;
        inuse++;
        return obj;
    }

    /** {@code obj_free}: the object becomes the first free one. */
    void free(int obj) {
        handles[obj] = 0;
        nextFree[obj] = freeObject;
        freeObject = obj;
        inuse--;
    }

    /** {@code find_alloced_obj}: the first allocated object at or after {@code from}, or -1. */
    int findAllocated(int from) {
        for (int obj = from; obj < handles.length; obj++) {
            if (handles[obj] != 0) {
                return obj;
            }
        }
        return NO_OBJECT;
    }

    long handleOf(int obj) {
        return handles[obj];
    }

    /** Copies {@code len} bytes into the data of object {@code obj}, frame by frame. */
    void write(PhysicalMemory ram, int obj, byte[] src, int srcOff, int len) {
        int at = dataOffset(obj);
        while (len > 0) {
            int inFrame = Math.min(len, SizeClass.PAGE_SIZE - (at & (SizeClass.PAGE_SIZE - 1)));
            ram.write(frameAddress(at), src, srcOff, inFrame);
            at += inFrame;
            srcOff += inFrame;
            len -= inFrame;
        }
    }

    /** Copies {@code len} bytes of the data of object {@code obj} out, frame by frame. */
    void read(PhysicalMemory ram, int obj, byte[] dst, int dstOff, int len) {
        int at = dataOffset(obj);
        while (len > 0) {
            int inFrame = Math.min(len, SizeClass.PAGE_SIZE - (at & (SizeClass.PAGE_SIZE - 1)));
            ram.read(frameAddress(at), dst, dstOff, inFrame);
            at += inFrame;
            dstOff += inFrame;
            len -= inFrame;
        }
    }

    /** The physical address of the first byte of the object's data. */
    long dataAddress(int obj) {
        return frameAddress(dataOffset(obj));
    }

    /** Where the object's data begins in the zspage's run of bytes: after the handle, if any. */
    private int dataOffset(int obj) {
        return obj * sizeClass.size + sizeClass.headerSize;
    }

    private long frameAddress(int offsetInZspage) {
        return frames[offsetInZspage / SizeClass.PAGE_SIZE] + (offsetInZspage & (SizeClass.PAGE_SIZE - 1));
    }
}
