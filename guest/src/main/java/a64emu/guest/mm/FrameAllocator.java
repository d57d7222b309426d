package a64emu.guest.mm;

import a64emu.memory.PhysicalMemory;
import java.util.BitSet;

/**
 * Hands out 4 KiB physical frames of the emulated RAM (the role of Linux
 * {@code mm/page_alloc.c}; a bitmap for now, the buddy allocator with watermarks comes
 * later) and keeps what Linux keeps in each frame's {@code struct page}: what the frame is
 * used for ({@link PageKind}), its reference count ({@code page_count}), how many page
 * entries map it ({@code page_mapcount}), and the flags PG_dirty and PG_mlocked. This is
 * the one place frame metadata lives; {@link PageTables} keeps the map counts exact as it
 * writes entries, and the owners of references take and drop them.
 *
 * <p>Reference rules, as in Linux: a frame comes out of {@link #allocate} with one
 * reference, owned by the caller; installing it in a page entry hands that reference to
 * the entry; removing the entry drops it ({@link #put}); the page cache holds one
 * reference of its own per cached page. A frame is freed when its count reaches zero.
 * A frame is zero when it is handed out: freeing gives its host memory back to
 * {@link PhysicalMemory}, which reads as zero afterwards.
 *
 * <p>Frame 0 is never handed out, so that physical address 0 cannot be mistaken for a
 * mapping of "nothing". The machine-wide page cache and the set of live address spaces hang off the
 * allocator because, like them, it is one per machine and shared by every process.
 */
public final class FrameAllocator {
    /** What a frame holds (Linux: PageAnon, page->mapping, PageTable, the zero page). */
    public enum PageKind {
        FREE,
        /** Anonymous memory of processes (PageAnon). */
        ANON,
        /** A page of a file in the page cache. */
        FILE,
        /** A page of shared anonymous memory (shmem; in the page cache, never written back). */
        SHMEM,
        /** A translation table frame (NR_PAGETABLE). */
        PAGE_TABLE,
        /** The shared zero page. */
        ZERO
    }

    private static final byte FLAG_DIRTY = 1;
    private static final byte FLAG_MLOCKED = 2;
    /** PG_swapbacked cleared: an MADV_FREE page that may be discarded while clean. */
    private static final byte FLAG_LAZYFREE = 4;
    /** PG_referenced: the page was accessed through a path that does not set a PTE AF. */
    private static final byte FLAG_REFERENCED = 8;

    private final PhysicalMemory ram;
    private final BitSet used;
    private final int totalFrames;
    private final int[] refcount;
    private final int[] mapcount;
    private final byte[] kind;
    private final byte[] flags;
    private final PageCache pageCache;
    private int usedFrames;
    private int nextHint = 1;
    private long zeroFrame = -1;
    private final java.util.Set<AddressSpace> spaces =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    public FrameAllocator(PhysicalMemory ram) {
        this.ram = ram;
        this.totalFrames = ram.frameCount();
        this.used = new BitSet(totalFrames);
        this.refcount = new int[totalFrames];
        this.mapcount = new int[totalFrames];
        this.kind = new byte[totalFrames];
        this.flags = new byte[totalFrames];
        used.set(0);
        usedFrames = 1;
        this.pageCache = new PageCache(this);
    }

    public PhysicalMemory ram() {
        return ram;
    }

    /** The machine's page cache, shared by every address space using these frames. */
    public PageCache pageCache() {
        return pageCache;
    }

    /** Allocates one zeroed frame for anonymous memory and returns its physical address. */
    public long allocate() throws OutOfFramesException {
        return allocate(PageKind.ANON);
    }

    /** Allocates one zeroed frame of {@code what} with a reference count of one. */
    public long allocate(PageKind what) throws OutOfFramesException {
        if (what == PageKind.FREE) {
            throw new IllegalArgumentException("allocating a frame as FREE");
        }
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
        refcount[index] = 1;
        mapcount[index] = 0;
        kind[index] = (byte) what.ordinal();
        flags[index] = 0;
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
            zeroFrame = allocate(PageKind.ZERO);
        }
        return zeroFrame;
    }

    /** Returns a frame that has exactly one reference (a table frame); its contents are discarded. */
    public void free(long pa) {
        int index = checkedIndex(pa);
        if (refcount[index] != 1) {
            throw new IllegalStateException(String.format(
                    "freeing frame 0x%x with %d references", pa, refcount[index]));
        }
        release(index, pa);
    }

    /** Linux {@code get_page}: one more reference to an allocated frame. */
    public void get(long pa) {
        refcount[checkedIndex(pa)]++;
    }

    /** Linux {@code put_page}: drops a reference; the frame is freed with the last one. */
    public void put(long pa) {
        int index = checkedIndex(pa);
        if (--refcount[index] == 0) {
            release(index, pa);
        }
    }

    private void release(int index, long pa) {
        if (mapcount[index] != 0) {
            throw new IllegalStateException(String.format(
                    "freeing frame 0x%x still mapped by %d entries", pa, mapcount[index]));
        }
        used.clear(index);
        usedFrames--;
        refcount[index] = 0;
        kind[index] = (byte) PageKind.FREE.ordinal();
        flags[index] = 0;
        ram.releaseFrame(pa);
        if (index < nextHint) {
            nextHint = index;
        }
    }

    private int checkedIndex(long pa) {
        if ((pa & PhysicalMemory.FRAME_MASK) != 0) {
            throw new IllegalArgumentException(String.format("frame address 0x%x is not 4 KiB aligned", pa));
        }
        if (pa == zeroFrame) {
            throw new IllegalStateException("reference counting the shared zero page");
        }
        int index = (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
        if (index <= 0 || index >= totalFrames || !used.get(index)) {
            throw new IllegalStateException(String.format("frame 0x%x is not allocated", pa));
        }
        return index;
    }

    private int index(long pa) {
        return (int) (pa >>> PhysicalMemory.FRAME_SHIFT);
    }

    public boolean isAllocated(long pa) {
        int index = index(pa);
        return index >= 0 && index < totalFrames && used.get(index);
    }

    // ---- struct page fields ----------------------------------------------------------

    public PageKind kind(long pa) {
        return PageKind.values()[kind[index(pa)]];
    }

    void setKind(long pa, PageKind what) {
        kind[checkedIndex(pa)] = (byte) what.ordinal();
    }

    /** {@code page_count}. */
    public int refcount(long pa) {
        return refcount[index(pa)];
    }

    /** {@code page_mapcount}: page entries, in every address space, that map the frame. */
    public int mapcount(long pa) {
        return mapcount[index(pa)];
    }

    /** Called by {@link PageTables} when an entry starts mapping {@code pa}. */
    void mapped(long pa) {
        if (pa != zeroFrame) {
            mapcount[checkedIndex(pa)]++;
        }
    }

    /** Called by {@link PageTables} when an entry stops mapping {@code pa}. */
    void unmapped(long pa) {
        if (pa != zeroFrame) {
            int index = checkedIndex(pa);
            if (--mapcount[index] < 0) {
                throw new IllegalStateException(String.format("frame 0x%x unmapped more often than mapped", pa));
            }
        }
    }

    /** PG_dirty: the page's contents differ from its file (page cache pages). */
    public boolean isDirty(long pa) {
        return (flags[index(pa)] & FLAG_DIRTY) != 0;
    }

    /** Linux {@code set_page_dirty} / {@code ClearPageDirty}. */
    public void setDirty(long pa, boolean dirty) {
        setFlag(pa, FLAG_DIRTY, dirty);
    }

    /** PG_mlocked: the page is in a VM_LOCKED area and must not be reclaimed. */
    public boolean isMlocked(long pa) {
        return (flags[index(pa)] & FLAG_MLOCKED) != 0;
    }

    public void setMlocked(long pa, boolean locked) {
        setFlag(pa, FLAG_MLOCKED, locked);
    }

    /** An MADV_FREE page (PG_swapbacked cleared): discardable while clean. */
    public boolean isLazyFree(long pa) {
        return (flags[index(pa)] & FLAG_LAZYFREE) != 0;
    }

    public void setLazyFree(long pa, boolean lazy) {
        setFlag(pa, FLAG_LAZYFREE, lazy);
    }

    /** PG_referenced. */
    public boolean isReferenced(long pa) {
        return (flags[index(pa)] & FLAG_REFERENCED) != 0;
    }

    public void setReferenced(long pa, boolean referenced) {
        setFlag(pa, FLAG_REFERENCED, referenced);
    }

    private void setFlag(long pa, byte flag, boolean on) {
        int index = checkedIndex(pa);
        flags[index] = (byte) (on ? flags[index] | flag : flags[index] & ~flag);
    }

    // ---- machine-wide counts ---------------------------------------------------------

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

    /** Frames currently of {@code what}. */
    public long count(PageKind what) {
        long n = 0;
        byte k = (byte) what.ordinal();
        for (int i = 1; i < totalFrames; i++) {
            if (kind[i] == k) {
                n++;
            }
        }
        return n;
    }

    /** Frames of {@code what} mapped by at least one page entry (AnonPages, Mapped). */
    public long countMapped(PageKind what) {
        long n = 0;
        byte k = (byte) what.ordinal();
        for (int i = 1; i < totalFrames; i++) {
            if (kind[i] == k && mapcount[i] > 0) {
                n++;
            }
        }
        return n;
    }

    /** Frames with PG_mlocked (meminfo Mlocked). */
    public long countMlocked() {
        long n = 0;
        for (int i = 1; i < totalFrames; i++) {
            if ((flags[i] & FLAG_MLOCKED) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Frames with PG_dirty (meminfo Dirty). */
    public long countDirty() {
        long n = 0;
        for (int i = 1; i < totalFrames; i++) {
            if ((flags[i] & FLAG_DIRTY) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Address spaces alive on this machine (for Committed_AS and the page cache's users). */
    public java.util.Collection<AddressSpace> addressSpaces() {
        return java.util.Collections.unmodifiableSet(spaces);
    }

    void register(AddressSpace mm) {
        spaces.add(mm);
    }

    void unregister(AddressSpace mm) {
        spaces.remove(mm);
    }
}
