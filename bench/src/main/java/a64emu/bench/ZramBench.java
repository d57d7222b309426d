package a64emu.bench;

import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.zram.Zram;
import a64emu.guest.zram.ZsFrames;
import a64emu.memory.PhysicalMemory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * zRAM's write and read of one page ({@link Zram#write}, {@link Zram#read}: same-filled
 * check, lz4, zsmalloc, slot table, and the frames of emulated RAM the pool stores into)
 * next to raw lz4-java compressing and decompressing the same page with the same
 * compressor zRAM uses ({@code LZ4Factory.fastestInstance()}, fast compressor, safe
 * decompressor). One operation is one 4 KiB page; the page cycles through the
 * {@link PageCorpus}.
 *
 * <p>The pool takes its frames from a {@link FrameAllocator} as the guest kernel's zram0
 * does (frames handed out without reclaim, returned with {@code put}), so that what a
 * frame costs the host when it is allocated and first written is measured too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZramBench {
    /** The system property naming the ELF file of the {@code elf} pages. */
    public static final String ELF_PROPERTY = "a64emu.bench.elf";

    private static final int MASK = PageCorpus.PAGES - 1;
    /** Emulated RAM for the pool: the corpus compressed never needs more than its own 4 MiB. */
    private static final long RAM_BYTES = 64L << 20;

    @Param({"mix"})
    public String corpus;

    private byte[][] pages;
    private byte[][] compressed;
    private int[] compressedLength;
    private Zram zram;
    private LZ4Compressor compressor;
    private LZ4SafeDecompressor decompressor;
    private final byte[] out = new byte[2 * PageCorpus.PAGE_SIZE];
    private final byte[] page = new byte[PageCorpus.PAGE_SIZE];
    private int next;

    @Setup
    public void setUp() {
        pages = PageCorpus.load(corpus, Path.of(System.getProperty(ELF_PROPERTY, "guest/programs/bin/hello")));
        LZ4Factory lz4 = LZ4Factory.fastestInstance();
        compressor = lz4.fastCompressor();
        decompressor = lz4.safeDecompressor();
        compressed = new byte[pages.length][];
        compressedLength = new int[pages.length];
        for (int i = 0; i < pages.length; i++) {
            compressed[i] = new byte[compressor.maxCompressedLength(PageCorpus.PAGE_SIZE)];
            compressedLength[i] = compressor.compress(pages[i], 0, PageCorpus.PAGE_SIZE, compressed[i], 0,
                    compressed[i].length);
        }
        zram = newZram();
        for (int i = 0; i < pages.length; i++) {
            if (zram.write(i, pages[i]) != 0) {
                throw new IllegalStateException("zram write of page " + i + " failed");
            }
        }
    }

    /** zram0 as the guest kernel's Swapon sets it up, over its own emulated RAM. */
    static Zram newZram() {
        FrameAllocator frames = new FrameAllocator(new PhysicalMemory(RAM_BYTES));
        return new Zram(RAM_BYTES, new ZsFrames() {
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
    }

    /** Stores the next page over its slot's previous contents (steady state: one store, one free). */
    @Benchmark
    public int zramWrite() {
        int i = next++ & MASK;
        return zram.write(i, pages[i]);
    }

    @Benchmark
    public byte zramRead() {
        int i = next++ & MASK;
        zram.read(i, page);
        return page[i & (PageCorpus.PAGE_SIZE - 1)];
    }

    @Benchmark
    public int lz4Compress() {
        int i = next++ & MASK;
        return compressor.compress(pages[i], 0, PageCorpus.PAGE_SIZE, out, 0, out.length);
    }

    @Benchmark
    public int lz4Decompress() {
        int i = next++ & MASK;
        return decompressor.decompress(compressed[i], 0, compressedLength[i], page, 0, PageCorpus.PAGE_SIZE);
    }
}
