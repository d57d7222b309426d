package a64emu.guest.zram;

import a64emu.memory.PhysicalMemory;
import java.util.Arrays;

/**
 * The zsmalloc allocator of Linux 6.1 ({@code mm/zsmalloc.c}), storing zram's compressed
 * pages in zspages made of frames of emulated RAM ({@link ZsFrames}).
 *
 * <p>Objects are grouped by size into classes of {@code 32 + 16*i} bytes up to 4096, each
 * request growing by the 8-byte handle before its class is looked up. A class's zspage is
 * the 1..4 page run that wastes least ({@link SizeClass#pagesPerZspage}); neighbouring
 * classes with the same pages and objects per zspage are one class, as
 * {@code zs_create_pool} merges them. Zspages are kept in fullness groups, and
 * {@link #malloc} fills the fullest first, so allocation is deterministic.
 *
 * <p>A handle is an index into a handle table ({@code cache_alloc_handle}'s slab object in
 * Linux), which says which zspage and object hold the data. {@link #compact} moves objects
 * and rewrites the table, so handles stay valid across compaction.
 *
 * <p>Not thread-safe: the guest kernel runs on one host thread.
 */
public final class ZsPool {
    /** ZS_MIN_ALLOC_SIZE: the smallest class (the OBJ_INDEX_BITS bound is below it on arm64). */
    public static final int ZS_MIN_ALLOC_SIZE = 32;
    /** ZS_MAX_ALLOC_SIZE: PAGE_SIZE. */
    public static final int ZS_MAX_ALLOC_SIZE = SizeClass.PAGE_SIZE;
    /** ZS_SIZE_CLASS_DELTA: {@code PAGE_SIZE >> CLASS_BITS}, CLASS_BITS = 8. */
    public static final int ZS_SIZE_CLASS_DELTA = 16;
    /** ZS_SIZE_CLASSES: {@code DIV_ROUND_UP(MAX - MIN, DELTA) + 1} = 255. */
    public static final int ZS_SIZE_CLASSES =
            (ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE + ZS_SIZE_CLASS_DELTA - 1) / ZS_SIZE_CLASS_DELTA + 1;
    /** ZS_HANDLE_SIZE: {@code sizeof(unsigned long)}, kept at the head of each non-huge object. */
    public static final int ZS_HANDLE_SIZE = 8;

    private static final int NO_FRAME = -1;
    private static final long NO_HANDLE = -1;

    private final ZsFrames frames;
    private final PhysicalMemory ram;
    /** {@code pool->size_class[]}: merged classes appear at every index they serve. */
    private final SizeClass[] sizeClass = new SizeClass[ZS_SIZE_CLASSES];
    private final int distinctClasses;
    /** {@code huge_class_size}: compressed sizes at or above it end up in a one-object zspage. */
    private final int hugeClassSize;

    /** {@code pool->pages_allocated}. */
    private long pagesAllocated;
    /** {@code pool->stats.pages_compacted}. */
    private long pagesCompacted;

    /** Handle table: handle h is entry h (0 is never a handle, as a NULL handle is none in Linux). */
    private Zspage[] handleZspage = new Zspage[1024];
    private int[] handleObject = new int[1024];
    private int[] freeHandles = new int[1024];
    private int freeHandleCount;
    private int handlesUsed = 1;

    /** Bounce buffer for moving one object during compaction ({@code zs_object_copy}). */
    private final byte[] moveBuffer = new byte[ZS_MAX_ALLOC_SIZE];

    /** {@code zs_create_pool}. */
    public ZsPool(ZsFrames frames) {
        this.frames = frames;
        this.ram = frames.ram();
        SizeClass prev = null;
        int distinct = 0;
        int huge = 0;
        // From the biggest class down, so that the first multi-object class met is the
        // largest one and a class merges into the bigger neighbour already made.
        for (int i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
            int size = Math.min(ZS_MIN_ALLOC_SIZE + i * ZS_SIZE_CLASS_DELTA, ZS_MAX_ALLOC_SIZE);
            int pages = SizeClass.pagesPerZspage(size);
            int objs = pages * SizeClass.PAGE_SIZE / size;
            if (pages != 1 && objs != 1 && huge == 0) {
                // zs_malloc adds the handle before the class lookup, so a request of
                // size - (ZS_HANDLE_SIZE - 1) already lands above this class.
                huge = size - (ZS_HANDLE_SIZE - 1);
            }
            if (prev != null && prev.pagesPerZspage == pages && prev.objsPerZspage == objs) {
                sizeClass[i] = prev; // can_merge
                continue;
            }
            prev = new SizeClass(size, i, pages, objs);
            sizeClass[i] = prev;
            distinct++;
        }
        this.distinctClasses = distinct;
        this.hugeClassSize = huge;
    }

    /**
     * {@code zs_huge_class_size}: the smallest object size that is stored in a huge class,
     * one object to a page; zram stores pages that compress to this or more uncompressed.
     */
    public int hugeClassSize() {
        return hugeClassSize;
    }

    /** Size classes after merging (the distinct {@code struct size_class}es of the pool). */
    public int classCount() {
        return distinctClasses;
    }

    /** {@code zs_get_total_pages}: frames the pool holds. */
    public long totalPages() {
        return pagesAllocated;
    }

    /** {@code zs_pool_stats}: pages freed by compaction since the pool was made. */
    public long pagesCompacted() {
        return pagesCompacted;
    }

    /**
     * {@code zs_shrinker_count}: pages {@link #compact} could free now, summed over classes.
     * Reclaim asks this before it calls compact, as the zsmalloc shrinker does.
     */
    public long compactablePages() {
        long pages = 0;
        for (int i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
            SizeClass c = sizeClass[i];
            if (c.index == i) {
                pages += c.canCompact();
            }
        }
        return pages;
    }

    /** The class that stores an object of {@code size} bytes (a request before its handle is added). */
    SizeClass classFor(int size) {
        return sizeClass[classIndex(size + ZS_HANDLE_SIZE)];
    }

    /** {@code get_size_class_index}, for a size that includes the handle. */
    private static int classIndex(int size) {
        int index = 0;
        if (size > ZS_MIN_ALLOC_SIZE) {
            index = (size - ZS_MIN_ALLOC_SIZE + ZS_SIZE_CLASS_DELTA - 1) / ZS_SIZE_CLASS_DELTA;
        }
        return Math.min(ZS_SIZE_CLASSES - 1, index);
    }

    /**
     * {@code zs_malloc}: room for an object of {@code size} bytes (1..4096). Returns its
     * handle, or -1 when a new zspage was needed and {@link ZsFrames} had too few frames.
     */
    public long malloc(int size) {
        if (size <= 0 || size > ZS_MAX_ALLOC_SIZE) {
            throw new IllegalArgumentException("zs_malloc of " + size + " bytes");
        }
        SizeClass c = classFor(size);
        Zspage zspage = c.findForMalloc();
        boolean fresh = zspage == null;
        if (fresh) {
            zspage = allocZspage(c);
            if (zspage == null) {
                return NO_HANDLE;
            }
        }
        int handle = takeHandle();
        record(handle, zspage, zspage.allocate(handle));
        if (fresh) {
            c.insert(zspage, c.fullnessOf(zspage));
            pagesAllocated += c.pagesPerZspage;
            c.objAllocated += c.objsPerZspage;
        } else {
            c.fixFullness(zspage);
        }
        c.objUsed++;
        return handle;
    }

    /** {@code zs_free}: frees the object; a zspage left empty gives its frames back. */
    public void free(long handle) {
        int h = checkHandle(handle);
        Zspage zspage = handleZspage[h];
        SizeClass c = zspage.sizeClass;
        zspage.free(handleObject[h]);
        c.objUsed--;
        if (c.fixFullness(zspage) == SizeClass.Fullness.EMPTY) {
            freeZspage(zspage);
        }
        handleZspage[h] = null;
        putHandle(h);
    }

    /** Stores {@code len} bytes of {@code src} in the object (zs_map_object ZS_MM_WO and a copy). */
    public void write(long handle, byte[] src, int len) {
        int h = checkHandle(handle);
        Zspage zspage = handleZspage[h];
        checkLength(zspage, len);
        zspage.write(ram, handleObject[h], src, 0, len);
    }

    /** Copies the first {@code len} bytes of the object into {@code dst} (zs_map_object ZS_MM_RO). */
    public void read(long handle, byte[] dst, int len) {
        int h = checkHandle(handle);
        Zspage zspage = handleZspage[h];
        checkLength(zspage, len);
        zspage.read(ram, handleObject[h], dst, 0, len);
    }

    /**
     * Copies the whole object, as much of the class's object size as {@code dst} holds, and
     * returns the number of bytes copied. The object size is the class's, not the size asked
     * of {@link #malloc}: zsmalloc does not record that, its users do.
     */
    public int read(long handle, byte[] dst) {
        int h = checkHandle(handle);
        int len = Math.min(dst.length, handleZspage[h].sizeClass.capacity());
        read(handle, dst, len);
        return len;
    }

    /** The physical address where the object's data begins (it may run on into another frame of its zspage). */
    long dataAddress(long handle) {
        int h = checkHandle(handle);
        return handleZspage[h].dataAddress(handleObject[h]);
    }

    /**
     * {@code zs_compact}: in each class, moves objects out of the sparsest zspages into the
     * fullest ones and frees the zspages that empties. Returns the pages freed.
     */
    public long compact() {
        long freed = 0;
        for (int i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
            SizeClass c = sizeClass[i];
            if (c.index == i) {
                freed += compactClass(c);
            }
        }
        pagesCompacted += freed;
        return freed;
    }

    /**
     * {@code __zs_compact}: takes source zspages from the sparse end while the class has at
     * least one zspage's worth of unused slots, and pours each into destinations from the
     * full end until it is empty or no destination is left. (6.1 also stops early when the
     * pool's migrate_lock is contended; nothing contends for it here.)
     */
    private long compactClass(SizeClass c) {
        long freed = 0;
        Zspage src;
        while ((src = c.isolate(true)) != null) {
            if (c.canCompact() == 0) {
                c.putBack(src);
                return freed;
            }
            int scanFrom = 0;
            Zspage dst;
            while ((dst = c.isolate(false)) != null) {
                scanFrom = migrate(src, dst, scanFrom);
                if (scanFrom < 0) {
                    break; // the source is empty; dst stays isolated for the putback below
                }
                c.putBack(dst);
            }
            if (dst == null) {
                c.putBack(src); // no room left in the class
                return freed;
            }
            c.putBack(dst);
            if (c.putBack(src) == SizeClass.Fullness.EMPTY) {
                freeZspage(src);
                freed += c.pagesPerZspage;
            }
        }
        return freed;
    }

    /**
     * {@code migrate_zspage}: moves allocated objects of {@code src}, in address order from
     * object {@code from}, into free objects of {@code dst}, updating each handle. Returns
     * -1 when {@code src} has no allocated object left, or the object to resume from when
     * {@code dst} filled up first.
     */
    private int migrate(Zspage src, Zspage dst, int from) {
        int len = src.sizeClass.capacity();
        int obj;
        while ((obj = src.findAllocated(from)) >= 0) {
            if (dst.isFull()) {
                return obj;
            }
            long handle = src.handleOf(obj);
            int to = dst.allocate(handle);
            src.read(ram, obj, moveBuffer, 0, len);
            dst.write(ram, to, moveBuffer, 0, len);
            record((int) handle, dst, to);
            src.free(obj);
            from = obj + 1;
        }
        return -1;
    }

    /** {@code alloc_zspage}: frames for a new zspage, or null (with none kept) if there are too few. */
    private Zspage allocZspage(SizeClass c) {
        Zspage zspage = c.takeZspage();
        for (int i = 0; i < c.pagesPerZspage; i++) {
            long pa = frames.allocateFrame();
            if (pa == NO_FRAME) {
                for (int j = 0; j < i; j++) {
                    frames.freeFrame(zspage.frames[j]);
                }
                c.giveBackZspage(zspage);
                return null;
            }
            zspage.frames[i] = pa;
        }
        zspage.init();
        return zspage;
    }

    /** {@code free_zspage}: takes the empty zspage off the ZS_EMPTY list and gives its frames back. */
    private void freeZspage(Zspage zspage) {
        SizeClass c = zspage.sizeClass;
        c.remove(zspage);
        for (long pa : zspage.frames) {
            frames.freeFrame(pa);
        }
        pagesAllocated -= c.pagesPerZspage;
        c.objAllocated -= c.objsPerZspage;
        c.giveBackZspage(zspage);
    }

    private void checkLength(Zspage zspage, int len) {
        if (len < 0 || len > zspage.sizeClass.capacity()) {
            throw new IllegalArgumentException(len + " bytes do not fit an object of class "
                    + zspage.sizeClass.size + " (room for " + zspage.sizeClass.capacity() + ")");
        }
    }

    private int checkHandle(long handle) {
        if (handle <= 0 || handle >= handlesUsed || handleZspage[(int) handle] == null) {
            throw new IllegalArgumentException("not a live zsmalloc handle: " + handle);
        }
        return (int) handle;
    }

    /** {@code record_obj}: the handle now names object {@code obj} of {@code zspage}. */
    private void record(int handle, Zspage zspage, int obj) {
        handleZspage[handle] = zspage;
        handleObject[handle] = obj;
    }

    /** {@code cache_alloc_handle}: the most recently freed handle, else a new one. */
    private int takeHandle() {
        if (freeHandleCount > 0) {
            return freeHandles[--freeHandleCount];
        }
        if (handlesUsed == handleZspage.length) {
            int n = handleZspage.length * 2;
            handleZspage = Arrays.copyOf(handleZspage, n);
            handleObject = Arrays.copyOf(handleObject, n);
        }
        return handlesUsed++;
    }

    private void putHandle(int handle) {
        if (freeHandleCount == freeHandles.length) {
            freeHandles = Arrays.copyOf(freeHandles, freeHandles.length * 2);
        }
        freeHandles[freeHandleCount++] = handle;
    }
}
