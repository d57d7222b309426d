package a64emu.guest.mm;

import java.util.HashMap;
import java.util.Map;

/**
 * The page cache (Linux {@code mm/filemap.c}): one frame per (file, page index), shared
 * by every address space that maps the file, so that two processes mapping the same file
 * see one copy and a MAP_SHARED store by one is a load by the other. The key is the file's
 * identity ({@link PageSource#identity()}: device and inode for a host file), not the open
 * file description, so separate opens share pages as they do in Linux.
 *
 * <p>The cache holds one reference per page; each page entry that maps it holds another.
 * Pages stay cached when nothing maps them, on the file LRU lists, until reclaim takes them
 * ({@link #evict}, which leaves a workingset shadow so that a page read again soon after is
 * recognised as a refault). Dirty pages (PG_dirty, set when a dirty shared entry is removed
 * or cleaned) are written back to the file up to its current size.
 *
 * <p>read(2) and write(2) go to the host file directly here; coherence with the cache is
 * kept by writing dirty pages back before such a call ({@link #syncToFile}) and reading the
 * cached pages again after a write ({@link #refresh}). Since a64emu has no flusher threads,
 * a dirty page is written back when the last entry mapping it goes (Linux would do it within
 * dirty_expire_centisecs), by msync and fsync, and by reclaim.
 *
 * <p>Shared anonymous memory (shmem) has no file to write to: its pages stay dirty, and
 * reclaim moves a dirty one to swap ({@link #shmemWritepage}, Linux {@code shmem_writepage}),
 * leaving its swap slot in the cache's place; the next fault reads it back
 * ({@code shmem_swapin_folio}). A shmem page never written holds zeros and is simply dropped.
 */
public final class PageCache {
    private record Key(Object file, long index) {
        // Written out, as the record's generated ones compute them (so that maps iterate in the
        // same order): the generated ones are linked at their first call, a cost of every start.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && index == k.index && java.util.Objects.equals(file, k.file);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Objects.hashCode(file) + Long.hashCode(index);
        }
    }

    private static final class Entry {
        final Key key;
        /** What write-back writes through: the last description that mapped the page writable. */
        PageSource source;
        final long frame;

        Entry(Key key, PageSource source, long frame) {
            this.key = key;
            this.source = source;
            this.frame = frame;
        }
    }

    private final FrameAllocator frames;
    private final Map<Key, Entry> byKey = new HashMap<>();
    private final Map<Long, Entry> byFrame = new HashMap<>();
    /**
     * Workingset shadows of evicted pages ({@code workingset_eviction}'s value in the xarray
     * slot), oldest first. Linux's shadow shrinker ({@code count_shadow_nodes}) keeps them to
     * about what the LRU could hold; here they are capped at twice the RAM's pages, oldest
     * dropped first: a page evicted longer ago than that could never be a workingset refault.
     */
    private final Map<Key, Long> shadows;
    /** Swapped-out shmem pages: their swap slot, where the page was (a swap entry in the xarray). */
    private final Map<Key, Long> swapped = new HashMap<>();
    /** Pages read in from files on a miss (what makes a page fault major). */
    private long reads;

    PageCache(FrameAllocator frames) {
        this.frames = frames;
        long cap = 2L * frames.totalFrames();
        this.shadows = new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                return size() > cap;
            }
        };
    }

    /** Pages read from files on a cache miss since boot (Linux counts the faults behind them in pgmajfault). */
    public long reads() {
        return reads;
    }

    /** Pages in the cache (meminfo Cached). */
    public int size() {
        return byKey.size();
    }

    /** The cached frame for the page at file position {@code pos} of {@code source}, or -1. */
    public long find(PageSource source, long pos) {
        Entry e = byKey.get(new Key(source.identity(), pos / VmLayout.PAGE_SIZE));
        return e == null ? -1 : e.frame;
    }

    /**
     * Linux {@code filemap_fault}: the page at {@code pos} (page aligned) of {@code source},
     * read from the file on a miss. The returned frame's reference belongs to the cache; a
     * caller that maps it takes its own with {@link FrameAllocator#get}. The part of the
     * page past the end of the file reads as zeros.
     */
    public long findOrRead(PageSource source, long pos) throws OutOfFramesException {
        Key key = new Key(source.identity(), pos / VmLayout.PAGE_SIZE);
        Entry e = byKey.get(key);
        if (e != null) {
            return e.frame;
        }
        boolean file = source.evictWhenUnmapped();
        long frame = frames.allocate(file ? FrameAllocator.PageKind.FILE : FrameAllocator.PageKind.SHMEM);
        // The allocation may have reclaimed: look again before reading.
        e = byKey.get(key);
        if (e != null) {
            frames.put(frame);
            return e.frame;
        }
        Long slot = swapped.remove(key);
        if (slot != null) {
            return shmemSwapin(key, source, slot, frame);
        }
        long readStart = System.nanoTime();
        readInto(source, pos, frame, Long.MAX_VALUE);
        if (file) {
            // A new page of shared anonymous memory is zero-filled, not read: Linux's
            // shmem_fault makes a fault major only when it reads a page back from swap.
            reads++;
        }
        e = new Entry(key, source, frame);
        byKey.put(key, e);
        byFrame.put(frame, e);
        Long shadow = shadows.remove(key);
        if (shadow != null && frames.vmscan() != null) {
            frames.vmscan().refault(frame, shadow, true);
            if (frames.isWorkingset(frame)) {
                // folio_wait_bit on a workingset page being read back: a memory stall.
                frames.stalled(System.nanoTime() - readStart);
            }
        }
        frames.lruAdd(frame);
        return frame;
    }

    /**
     * {@code shmem_swapin_folio}: a swapped-out shmem page comes back into the cache, from the
     * swap cache if it is still there, else read from the swap device into {@code fresh} (a
     * major fault); the slot is freed and the page, now the only copy, is dirty.
     */
    private long shmemSwapin(Key key, PageSource source, long slot, long fresh) {
        SwapCache cache = frames.swapCache();
        long frame = cache.find(slot);
        if (frame >= 0) {
            frames.put(fresh);
            frames.get(frame);
            cache.delete(frame, -1);
        } else {
            byte[] data = new byte[(int) VmLayout.PAGE_SIZE];
            if (cache.swap().device().read(slot, data) != 0) {
                throw new IllegalStateException("read error on swap slot " + slot + " of a shmem page");
            }
            frame = fresh;
            frames.ram().write(frame, data, 0, data.length);
            frames.events().count(VmEvents.Event.PSWPIN);
            reads++;
            long shadow = cache.takeShadow(slot);
            if (shadow >= 0 && frames.vmscan() != null) {
                frames.vmscan().refault(frame, shadow, false);
            }
        }
        cache.swap().free(slot);
        frames.setDirty(frame, true);
        Entry e = new Entry(key, source, frame);
        byKey.put(key, e);
        byFrame.put(frame, e);
        frames.lruAdd(frame);
        return frame;
    }

    /**
     * {@code shmem_writepage}: a dirty shmem page that nothing maps any more moves from this
     * cache to the swap cache under a new slot, which the shmem object refers to in its place
     * (the slot's reference, {@code swap_shmem_alloc}). The caller then writes it to the swap
     * device. False when there is no free slot.
     */
    boolean shmemWritepage(long frame) {
        Entry e = byFrame.get(frame);
        SwapCache cache = frames.swapCache();
        if (e == null || e.source.evictWhenUnmapped() || cache == null || frames.mapcount(frame) != 0) {
            return false;
        }
        long slot = cache.swap().allocate();
        if (slot == 0) {
            return false;
        }
        cache.swap().duplicate(slot);
        cache.add(frame, slot);
        byKey.remove(e.key);
        byFrame.remove(frame);
        frames.put(frame);
        swapped.put(e.key, slot);
        return true;
    }

    /** Whether {@code frame} is a cached page of an object reclaim must not take ({@link PageSource#unevictable}). */
    public boolean unevictable(long frame) {
        Entry e = byFrame.get(frame);
        return e != null && e.source.unevictable();
    }

    /** Pages of {@code identity} in the cache now (a System V segment's shm_rss). */
    public long cachedPages(Object identity) {
        long n = 0;
        for (Key k : byKey.keySet()) {
            if (k.file() == identity) {
                n++;
            }
        }
        return n;
    }

    /** Swapped-out pages of the shmem object {@code identity} at page indexes [from, to) (smaps Swap of shmem). */
    public long swappedPages(Object identity, long fromIndex, long toIndex) {
        long n = 0;
        for (Key k : swapped.keySet()) {
            if (k.file() == identity && k.index() >= fromIndex && k.index() < toIndex) {
                n++;
            }
        }
        return n;
    }

    /** The slots of swapped-out shmem pages the keys matching {@code gone} leave: they are freed. */
    private void freeSwapped(java.util.function.Predicate<Key> gone) {
        swapped.entrySet().removeIf(s -> {
            if (!gone.test(s.getKey())) {
                return false;
            }
            frames.freeSwapEntry(s.getValue());
            return true;
        });
    }

    /**
     * Copies the file's bytes at [pos, pos + 4 KiB), stopping at the end of the file and at
     * {@code zeroFrom}, into {@code frame}, which must be zero.
     */
    void readInto(PageSource source, long pos, long frame, long zeroFrom) {
        long limit = Math.min(source.size(), zeroFrom);
        long valid = Math.max(0, Math.min(limit - pos, VmLayout.PAGE_SIZE));
        if (valid == 0) {
            return;
        }
        byte[] data = new byte[(int) valid];
        int got = 0;
        while (got < valid) {
            int n = source.readAt(pos + got, data, got, (int) valid - got);
            if (n <= 0) {
                break;
            }
            got += n;
        }
        frames.ram().write(frame, data, 0, got);
    }

    /**
     * Notes that {@code source} maps the cached {@code frame} shared and writable, so that
     * write-back goes through a description opened for writing.
     */
    public void noteWriter(long frame, PageSource source) {
        Entry e = byFrame.get(frame);
        if (e != null) {
            e.source = source;
        }
    }

    /** Whether {@code frame} is a page of this cache. */
    public boolean contains(long frame) {
        return byFrame.containsKey(frame);
    }

    /**
     * Writes {@code frame} back to its file if it is dirty (Linux {@code writepage}), up to
     * the file's current size, and clears PG_dirty. Returns false if the file refused the write.
     */
    public boolean writeback(long frame) {
        Entry e = byFrame.get(frame);
        if (e == null || !frames.isDirty(frame)) {
            return true;
        }
        if (!e.source.evictWhenUnmapped()) {
            return true; // shmem: the page is the data; it stays dirty until it goes to swap
        }
        long pos = e.key.index() * VmLayout.PAGE_SIZE;
        long len = Math.min(VmLayout.PAGE_SIZE, e.source.size() - pos);
        frames.setDirty(frame, false);
        if (len <= 0) {
            return true;
        }
        byte[] data = new byte[(int) len];
        frames.ram().read(frame, data, 0, (int) len);
        return e.source.writeAt(pos, data, 0, (int) len) == len;
    }

    /**
     * Writes back the dirty cached pages of {@code source} in file positions [from, to)
     * (Linux {@code filemap_write_and_wait_range}); false if a write failed.
     */
    public boolean writebackRange(PageSource source, long from, long to) {
        Object id = source.identity();
        boolean ok = true;
        for (Entry e : new java.util.ArrayList<>(byKey.values())) {
            long pos = e.key.index() * VmLayout.PAGE_SIZE;
            if (e.key.file().equals(id) && pos >= VmLayout.pageDown(from) && pos < to) {
                ok &= writeback(e.frame);
            }
        }
        return ok;
    }

    /**
     * Called when the last page entry mapping {@code frame} has gone: a dirty page is written
     * back now (see the class comment); the page stays cached.
     */
    void lastUnmapped(long frame) {
        Entry e = byFrame.get(frame);
        if (e != null && e.source.evictWhenUnmapped()) {
            writeback(frame);
        }
    }

    /**
     * {@code __filemap_remove_folio} for reclaim: a clean page nothing maps leaves the cache,
     * {@code shadow} stays in its place for {@code workingset_refault}. False if it is not a
     * page of this cache or not evictable (shared anonymous memory).
     */
    boolean evict(long frame, long shadow) {
        Entry e = byFrame.get(frame);
        if (e == null || frames.isDirty(frame) || frames.mapcount(frame) != 0) {
            return false;
        }
        shadows.put(e.key, shadow);
        remove(e);
        return true;
    }

    private void remove(Entry e) {
        byKey.remove(e.key);
        byFrame.remove(e.frame);
        frames.put(e.frame);
    }

    // ---- coherence with read(2), write(2) and ftruncate(2) ------------------------------

    /** Whether any page of the file {@code identity} names is cached. */
    public boolean holds(Object identity) {
        for (Key k : byKey.keySet()) {
            if (k.file().equals(identity)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Before the file is read or written through a descriptor: every shared mapping's dirty
     * entries of it are cleaned and their pages written back (msync of every mapping).
     */
    public void syncToFile(Object identity) {
        if (!holds(identity)) {
            return;
        }
        for (AddressSpace mm : frames.addressSpaces()) {
            for (Vma v : mm.vmas()) {
                if (v.isShared() && v.backing() != null && v.backing().source().identity().equals(identity)) {
                    Msync.writeback(mm, v, v.start(), v.end());
                }
            }
        }
    }

    /**
     * After the file was written through a descriptor: its cached pages are read again,
     * through {@code written} (that description is open, while the one that first read a
     * page may have been closed since).
     */
    public void refresh(PageSource written) {
        Object identity = written.identity();
        byte[] zeros = new byte[(int) VmLayout.PAGE_SIZE];
        for (Entry e : byKey.values()) {
            if (e.key.file().equals(identity)) {
                frames.ram().write(e.frame, zeros, 0, zeros.length);
                readInto(written, e.key.index() * VmLayout.PAGE_SIZE, e.frame, Long.MAX_VALUE);
            }
        }
    }

    /**
     * Linux {@code truncate_pagecache} after the file became {@code newSize} bytes long:
     * every mapping's pages wholly past the end are unmapped, private copies included
     * ({@code unmap_mapping_range} with even_cows), and leave the cache; the cached last
     * page reads as zeros past the end. A later access there is SIGBUS.
     */
    public void truncate(Object identity, long newSize) {
        long firstGone = VmLayout.pageAlign(newSize);
        for (AddressSpace mm : frames.addressSpaces()) {
            for (Vma v : new java.util.ArrayList<>(mm.vmas())) {
                if (v.backing() == null || !v.backing().source().identity().equals(identity)) {
                    continue;
                }
                long from = v.start() + Math.max(0, firstGone - v.backing().offset());
                if (from < v.end()) {
                    mm.pageTables().zap(from, v.end());
                }
            }
        }
        shadows.keySet().removeIf(k -> k.file().equals(identity) && k.index() * VmLayout.PAGE_SIZE >= firstGone);
        freeSwapped(k -> k.file().equals(identity) && k.index() * VmLayout.PAGE_SIZE >= firstGone);
        byKey.values().removeIf(e -> {
            if (!e.key.file().equals(identity) || e.key.index() * VmLayout.PAGE_SIZE < firstGone) {
                return false;
            }
            byFrame.remove(e.frame);
            frames.put(e.frame);
            return true;
        });
        long tail = newSize % VmLayout.PAGE_SIZE;
        if (tail != 0) {
            Entry last = byKey.get(new Key(identity, newSize / VmLayout.PAGE_SIZE));
            if (last != null) {
                frames.ram().write(last.frame + tail, new byte[(int) (VmLayout.PAGE_SIZE - tail)], 0,
                        (int) (VmLayout.PAGE_SIZE - tail));
            }
        }
    }

    /** Drops the cached pages of {@code source} at file positions [from, to) (their entries already gone). */
    void dropRange(PageSource source, long from, long to) {
        Object id = source.identity();
        freeSwapped(k -> k.file().equals(id) && k.index() * VmLayout.PAGE_SIZE >= from
                && k.index() * VmLayout.PAGE_SIZE < to);
        byKey.values().removeIf(e -> {
            long pos = e.key.index() * VmLayout.PAGE_SIZE;
            if (!e.key.file().equals(id) || pos < from || pos >= to) {
                return false;
            }
            byFrame.remove(e.frame);
            frames.put(e.frame);
            return true;
        });
    }

    /** Drops every page of a shared anonymous object whose last mapping has gone (or a removed shm segment). */
    public void dropObject(Object identity) {
        shadows.keySet().removeIf(k -> k.file() == identity);
        freeSwapped(k -> k.file() == identity);
        byKey.values().removeIf(e -> {
            if (e.key.file() != identity) {
                return false;
            }
            byFrame.remove(e.frame);
            frames.put(e.frame);
            return true;
        });
    }
}
