package a64emu.guest.zram;

import a64emu.guest.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The zram0 block device of Linux 6.1 ({@code drivers/block/zram/zram_drv.c}) with the lz4
 * backend: a swap device whose pages are compressed into a {@link ZsPool} in emulated RAM.
 *
 * <p>A slot per page of the disk, indexed by page (the swap offset). {@link #write} and
 * {@link #read} are the {@code rw_page} entry the 6.1 swap code uses
 * ({@code zram_rw_page}): block-layer accounting around {@code zram_bvec_rw}. Note that when
 * {@code rw_page} fails, 6.1's {@code __swap_writepage} and {@code swap_readpage} resubmit
 * the page as a bio, which comes back through the same path; that retry is the caller's.
 *
 * <p>The device is set up (disksize written, {@code init_done}) when constructed, so
 * attributes that refuse changes after set-up ({@code disksize}, {@code comp_algorithm})
 * answer as 6.1 does then.
 *
 * <p>Not thread-safe: the guest kernel runs on one host thread.
 */
public final class Zram {
    public static final int PAGE_SIZE = SizeClass.PAGE_SIZE;
    private static final int PAGE_SHIFT = 12;
    private static final int SECTOR_SHIFT = 9;
    private static final int SECTORS_PER_PAGE = PAGE_SIZE >> SECTOR_SHIFT;
    private static final int WORDS_PER_PAGE = PAGE_SIZE / Long.BYTES;
    /** CRYPTO_MAX_ALG_NAME: comp_algorithm_store copies the name into a buffer this long. */
    private static final int CRYPTO_MAX_ALG_NAME = 128;

    /**
     * What {@code comp_algorithm} lists: 6.1's {@code backends[]} ({@code zcomp.c}: lzo,
     * lzo-rle, lz4, lz4hc, 842, zstd, each behind its CONFIG_CRYPTO_*) as an Android GKI 6.1
     * kernel builds them: {@code gki_defconfig} of android14-6.1 sets CRYPTO_LZ4 and
     * CRYPTO_ZSTD and neither LZ4HC nor 842; lzo and lzo-rle appear when CRYPTO_LZO is built
     * in, which the defconfig does not set itself (unverified for GKI; the list
     * {@code lzo lzo-rle [lz4] zstd} is the usual one on devices with lz4 selected).
     */
    private static final List<String> BACKENDS = List.of("lzo", "lzo-rle", "lz4", "zstd");
    /** The backend this device compresses with: the only one implemented. */
    private static final String COMPRESSOR = "lz4";

    /**
     * The lz4 backend: LZ4_compress_default (acceleration 1) and LZ4_decompress_safe, as crypto/lz4.c.
     * Made on the first page stored or read, not with the device: lz4-java's fastest instance
     * writes its native library to a temporary file and loads it, a cost every run's start paid
     * (through SecureRandom's seeding for the file's name) though most runs never swap. The factory
     * hands every caller the same two instances in any case.
     */
    private static final class Lz4 {
        private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
        static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
        static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
    }

    private static final VarHandle LE64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long disksize;
    private final ZsPool pool;
    private final int hugeClassSize;
    /** {@code zstrm->buffer}: two pages, room for lz4's worst case of an incompressible page. */
    private final byte[] compressed = new byte[2 * PAGE_SIZE];
    private final DiskStats diskStats;

    /** {@code zram->table}: per slot, the flags word ({@link ZramSlot}) and the handle or same value. */
    private final int[] slotFlags;
    private final long[] slotHandle;

    /** {@code zram->limit_pages}: 0 is no limit. */
    private long limitPages;

    // struct zram_stats
    private long comprDataSize;
    private long numReads;
    private long numWrites;
    private long failedReads;
    private long failedWrites;
    private long invalidIo;
    private long notifyFree;
    private long samePages;
    private long hugePages;
    private long hugePagesSince;
    private long pagesStored;
    private long maxUsedPages;
    private long writestall;

    /** A device of {@code disksize} bytes (a positive multiple of the page size) whose clock never advances. */
    public Zram(long disksize, ZsFrames frames) {
        this(disksize, frames, () -> 0L);
    }

    /**
     * A device of {@code disksize} bytes storing into frames from {@code frames};
     * {@code jiffies} is the kernel's tick counter, for the block layer's I/O times.
     */
    public Zram(long disksize, ZsFrames frames, LongSupplier jiffies) {
        if (disksize <= 0 || (disksize & (PAGE_SIZE - 1)) != 0 || (disksize >> PAGE_SHIFT) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("zram disksize must be a positive multiple of 4 KiB: " + disksize);
        }
        this.disksize = disksize;
        int slots = (int) (disksize >> PAGE_SHIFT);
        this.slotFlags = new int[slots];
        this.slotHandle = new long[slots];
        this.pool = new ZsPool(frames);
        this.hugeClassSize = pool.hugeClassSize();
        this.diskStats = new DiskStats(jiffies);
    }

    // ---- I/O ----

    /**
     * Stores one page at slot {@code index} ({@code zram_rw_page} with REQ_OP_WRITE).
     * Returns 0, -EINVAL for an index outside the disk, or -ENOMEM when the pool has no frame
     * or would go past {@code mem_limit}; a failed write leaves the slot as it was.
     */
    public int write(long index, byte[] page) {
        checkPage(page);
        if (!validIndex(index)) {
            invalidIo++;
            return -Errno.EINVAL;
        }
        long start = diskStats.start(DiskStats.STAT_WRITE, SECTORS_PER_PAGE);
        numWrites++;
        int ret = writePage((int) index, page);
        diskStats.end(DiskStats.STAT_WRITE, start);
        if (ret < 0) {
            failedWrites++;
        }
        return ret;
    }

    /**
     * Reads slot {@code index} into {@code page} ({@code zram_rw_page} with REQ_OP_READ); a
     * slot never written or freed reads as zeros. Returns 0 or -EINVAL for an index outside
     * the disk.
     */
    public int read(long index, byte[] page) {
        checkPage(page);
        if (!validIndex(index)) {
            invalidIo++;
            return -Errno.EINVAL;
        }
        long start = diskStats.start(DiskStats.STAT_READ, SECTORS_PER_PAGE);
        numReads++;
        readPage((int) index, page);
        diskStats.end(DiskStats.STAT_READ, start);
        return 0;
    }

    /** {@code zram_slot_free_notify}: swap no longer needs slot {@code index}; its memory is freed. */
    public void slotFreeNotify(long index) {
        notifyFree++;
        freeSlot(Math.toIntExact(index));
    }

    /** Writing {@code compact}: {@code zs_compact} on the pool. Returns the pages freed. */
    public long compact() {
        return pool.compact();
    }

    /** {@code zs_shrinker_count}: pages {@link #compact} would free now. */
    public long compactablePages() {
        return pool.compactablePages();
    }

    /**
     * {@code __zram_bvec_write}: a same-filled page is kept as its value; anything else is
     * compressed, or kept whole if it compressed to huge_class_size or more.
     */
    private int writePage(int index, byte[] page) {
        long element = 0;
        boolean same = false;
        int compLen = 0;
        long handle = 0;
        if (sameFilled(page)) {
            element = (long) LE64.get(page, 0);
            same = true;
            samePages++;
        } else {
            compLen = Lz4.COMPRESSOR.compress(page, 0, PAGE_SIZE, compressed, 0, compressed.length);
            if (compLen >= hugeClassSize) {
                compLen = PAGE_SIZE;
            }
            handle = pool.malloc(compLen);
            if (handle < 0) {
                // The fast path (no direct reclaim) failed; 6.1 counts a write stall and
                // tries again with GFP_NOIO, which may reclaim.
                writestall++;
                handle = pool.malloc(compLen);
                if (handle < 0) {
                    return -Errno.ENOMEM;
                }
            }
            long allocated = pool.totalPages();
            updateUsedMax(allocated);
            if (limitPages != 0 && allocated > limitPages) {
                pool.free(handle);
                return -Errno.ENOMEM;
            }
            pool.write(handle, compLen == PAGE_SIZE ? page : compressed, compLen);
            comprDataSize += compLen;
        }
        // The old contents go only now that the new ones are stored, as in 6.1.
        freeSlot(index);
        int flags = 0;
        if (compLen == PAGE_SIZE) {
            flags |= ZramSlot.ZRAM_HUGE;
            hugePages++;
            hugePagesSince++;
        }
        if (same) {
            slotFlags[index] = flags | ZramSlot.ZRAM_SAME;
            slotHandle[index] = element;
        } else {
            slotFlags[index] = ZramSlot.withObjSize(flags, compLen);
            slotHandle[index] = handle;
        }
        pagesStored++;
        return 0;
    }

    /** {@code __zram_bvec_read}. */
    private void readPage(int index, byte[] page) {
        int flags = slotFlags[index];
        long handle = slotHandle[index];
        if (ZramSlot.same(flags) || handle == 0) {
            fill(page, ZramSlot.same(flags) ? handle : 0);
            return;
        }
        int size = ZramSlot.objSize(flags);
        if (size == PAGE_SIZE) {
            pool.read(handle, page, PAGE_SIZE);
            return;
        }
        pool.read(handle, compressed, size);
        int out;
        try {
            out = Lz4.DECOMPRESSOR.decompress(compressed, 0, size, page, 0, PAGE_SIZE);
        } catch (LZ4Exception e) {
            throw new IllegalStateException("zram slot " + index + " (" + ZramSlot.describe(flags)
                    + ") does not decompress: " + e.getMessage(), e);
        }
        if (out != PAGE_SIZE) {
            throw new IllegalStateException("zram slot " + index + " (" + ZramSlot.describe(flags)
                    + ") decompressed to " + out + " bytes");
        }
    }

    /** {@code zram_free_page}. */
    private void freeSlot(int index) {
        int flags = slotFlags[index];
        if (ZramSlot.huge(flags)) {
            hugePages--;
        }
        if (ZramSlot.same(flags)) {
            samePages--;
        } else {
            long handle = slotHandle[index];
            if (handle == 0) {
                return; // never written, or already freed
            }
            pool.free(handle);
            comprDataSize -= ZramSlot.objSize(flags);
        }
        pagesStored--;
        slotFlags[index] = 0;
        slotHandle[index] = 0;
    }

    /** {@code page_same_filled}: all 512 words equal; the last word is compared first. */
    private static boolean sameFilled(byte[] page) {
        long first = (long) LE64.get(page, 0);
        if (first != (long) LE64.get(page, PAGE_SIZE - Long.BYTES)) {
            return false;
        }
        for (int at = Long.BYTES; at < PAGE_SIZE - Long.BYTES; at += Long.BYTES) {
            if ((long) LE64.get(page, at) != first) {
                return false;
            }
        }
        return true;
    }

    /** {@code zram_fill_page}: the page as 512 copies of {@code value}. */
    private static void fill(byte[] page, long value) {
        if (value == 0) {
            Arrays.fill(page, (byte) 0);
            return;
        }
        for (int w = 0; w < WORDS_PER_PAGE; w++) {
            LE64.set(page, w * Long.BYTES, value);
        }
    }

    /** {@code update_used_max}. */
    private void updateUsedMax(long pages) {
        if (pages > maxUsedPages) {
            maxUsedPages = pages;
        }
    }

    /** {@code valid_io_request} for a one-page request: inside the disk. */
    private boolean validIndex(long index) {
        return index >= 0 && index < slotFlags.length;
    }

    private static void checkPage(byte[] page) {
        if (page.length != PAGE_SIZE) {
            throw new IllegalArgumentException("zram I/O is one 4 KiB page, not " + page.length + " bytes");
        }
    }

    // ---- sysfs attributes of /sys/block/zram0 ----

    /** {@code disksize} ({@code "%llu\n"}, bytes). */
    public String disksizeText() {
        return Long.toUnsignedString(disksize) + "\n";
    }

    /** Writing {@code disksize}: -EINVAL for a size of 0, else -EBUSY (the device is set up). */
    public int writeDisksize(String text) {
        return Memparse.parse(text).value() == 0 ? -Errno.EINVAL : -Errno.EBUSY;
    }

    /**
     * Writing {@code mem_limit} ({@code mem_limit_store}): a size in memparse syntax
     * (decimal, 0x hex or 0 octal, then an optional K, M, G, T, P or E), page-aligned up;
     * 0 removes the limit. The attribute is write-only (DEVICE_ATTR_WO, mode 0200), so
     * there is no text to read; {@link #memLimit()} is the value.
     */
    public int writeMemLimit(String text) {
        Memparse.Result parsed = Memparse.parse(text);
        if (parsed.end() == 0) {
            return -Errno.EINVAL; // no characters parsed
        }
        long limit = parsed.value();
        limitPages = ((limit + PAGE_SIZE - 1) & -PAGE_SIZE) >>> PAGE_SHIFT;
        return 0;
    }

    /**
     * Writing {@code mem_used_max} ({@code mem_used_max_store}): only 0 (kstrtoul base 10),
     * which restarts the maximum from the pool's current size; anything else is -EINVAL.
     * Write-only, like mem_limit.
     */
    public int writeMemUsedMax(String text) {
        if (!isKstrtoulZero(text)) {
            return -Errno.EINVAL;
        }
        maxUsedPages = pool.totalPages();
        return 0;
    }

    /** kstrtoul(s, 10) yielding 0: an optional '+', decimal digits all zero, an optional newline. */
    private static boolean isKstrtoulZero(String s) {
        int end = s.endsWith("\n") ? s.length() - 1 : s.length();
        int at = s.startsWith("+") ? 1 : 0;
        if (at >= end) {
            return false;
        }
        for (; at < end; at++) {
            if (s.charAt(at) != '0') {
                return false;
            }
        }
        return true;
    }

    /** {@code comp_algorithm} ({@code zcomp_available_show}): each backend and a space, the selected one bracketed. */
    public String compAlgorithmText() {
        StringBuilder text = new StringBuilder();
        for (String name : BACKENDS) {
            text.append(name.equals(COMPRESSOR) ? "[" + name + "]" : name).append(' ');
        }
        return text.append('\n').toString();
    }

    /**
     * Writing {@code comp_algorithm} ({@code comp_algorithm_store}): an unknown name is
     * -EINVAL; a known one is -EBUSY, since the algorithm cannot change once the device is
     * set up.
     */
    public int writeCompAlgorithm(String text) {
        String name = text.length() >= CRYPTO_MAX_ALG_NAME ? text.substring(0, CRYPTO_MAX_ALG_NAME - 1) : text;
        if (name.endsWith("\n")) {
            name = name.substring(0, name.length() - 1);
        }
        return BACKENDS.contains(name) ? -Errno.EBUSY : -Errno.EINVAL;
    }

    /**
     * {@code mm_stat} ({@code mm_stat_show}): orig_data_size compr_data_size mem_used_total
     * mem_limit mem_used_max (bytes), same_pages pages_compacted huge_pages huge_pages_since.
     */
    public String mmStatText() {
        return new SysfsLine()
                .u64(origDataSize()).u64(comprDataSize).u64(memUsedTotal())
                .u64(memLimit()).s64(memUsedMax())
                .u64(samePages).u64(pool.pagesCompacted()).u64(hugePages).u64(hugePagesSince)
                .end();
    }

    /** {@code io_stat} ({@code io_stat_show}): failed_reads failed_writes invalid_io notify_free. */
    public String ioStatText() {
        return new SysfsLine().u64(failedReads).u64(failedWrites).u64(invalidIo).u64(notifyFree).end();
    }

    /**
     * {@code bd_stat}: absent. 6.1 creates the attribute only with CONFIG_ZRAM_WRITEBACK,
     * which the GKI defconfig does not set, so {@code /sys/block/zram0/bd_stat} does not exist.
     */
    public Optional<String> bdStatText() {
        return Optional.empty();
    }

    /**
     * {@code debug_stat} ({@code debug_stat_show}): version 1, then writestall and miss_free.
     * miss_free counts slot-free notifications that found the slot locked; with one thread
     * that never happens, so it stays 0.
     */
    public String debugStatText() {
        return "version: 1\n" + new SysfsLine().u64(writestall).u64(0).end();
    }

    /** {@code stat}: the block layer's 17 fields ({@code part_stat_show}). */
    public String statText() {
        return diskStats.statText();
    }

    // ---- values, for reports ----

    public long disksize() {
        return disksize;
    }

    public String compAlgorithm() {
        return COMPRESSOR;
    }

    /** Pages stored, same-filled ones included. */
    public long pagesStored() {
        return pagesStored;
    }

    /** mm_stat orig_data_size: pages stored, in bytes. */
    public long origDataSize() {
        return pagesStored << PAGE_SHIFT;
    }

    /** mm_stat compr_data_size: bytes of compressed data (4096 for each huge page). */
    public long comprDataSize() {
        return comprDataSize;
    }

    /** mm_stat mem_used_total: the pool's frames, in bytes. */
    public long memUsedTotal() {
        return pool.totalPages() << PAGE_SHIFT;
    }

    /** mm_stat mem_limit, bytes; 0 is none. */
    public long memLimit() {
        return limitPages << PAGE_SHIFT;
    }

    /** mm_stat mem_used_max, bytes. */
    public long memUsedMax() {
        return maxUsedPages << PAGE_SHIFT;
    }

    public long samePages() {
        return samePages;
    }

    public long pagesCompacted() {
        return pool.pagesCompacted();
    }

    public long hugePages() {
        return hugePages;
    }

    public long hugePagesSince() {
        return hugePagesSince;
    }

    /** {@code zs_huge_class_size}: compressed sizes from which a page is stored uncompressed. */
    public int hugeClassSize() {
        return hugeClassSize;
    }

    public long failedReads() {
        return failedReads;
    }

    public long failedWrites() {
        return failedWrites;
    }

    public long invalidIo() {
        return invalidIo;
    }

    public long notifyFree() {
        return notifyFree;
    }

    /** Reads attempted (num_reads, shown in no 6.1 attribute). */
    public long numReads() {
        return numReads;
    }

    /** Writes attempted (num_writes, shown in no 6.1 attribute). */
    public long numWrites() {
        return numWrites;
    }

    /** Writes whose first pool allocation failed (debug_stat writestall). */
    public long writestall() {
        return writestall;
    }

    /** Reads completed, as the block layer counts them (stat field 1). */
    public long readsCompleted() {
        return diskStats.ios(DiskStats.STAT_READ);
    }

    /** Writes completed, as the block layer counts them (stat field 5). */
    public long writesCompleted() {
        return diskStats.ios(DiskStats.STAT_WRITE);
    }

    /** 512-byte sectors read (stat field 3). */
    public long sectorsRead() {
        return diskStats.sectors(DiskStats.STAT_READ);
    }

    /** 512-byte sectors written (stat field 7). */
    public long sectorsWritten() {
        return diskStats.sectors(DiskStats.STAT_WRITE);
    }
}
