package a64emu.mmu;

import a64emu.memory.PhysicalMemory;
import java.util.Arrays;

/**
 * The JIT's memory fast path, shaped like QEMU's softmmu TLB: a direct-mapped cache of EL0
 * translations the architectural {@link Tlb} holds, indexed by page number, with one
 * comparator per access kind (read, write, execute) and, on a hit, the frame's host array.
 * Translated code compares {@code (va & ~0xFFF) | key} with the comparator of the kind it
 * needs; equal means the architectural TLB holds an entry for that page, under the current
 * ASID, that allows the access, and the bytes are in the array.
 *
 * <p>It never answers differently from the architectural TLB, only faster: an entry is made
 * only after {@link Mmu#translate} succeeded for that access at EL0 (so the TLB holds the
 * translation, or the MMU is off), and removed whenever the TLB entry behind it could be:
 * on every TLB invalidation and on every replacement of a TLB entry (of that page, or of
 * any page for a block), on every write of SCTLR or TCR, and when a frame's host array is
 * released. The ASID sits in the comparator's low 12 bits ({@link #key}): ASID + 1, so
 * that 0 never matches; ASIDs from 0xFFE up are not cached (the comparators then hold
 * keys that can never equal the lookup's).
 *
 * <p>Write entries are never made for a frame the JIT watches (one it translated code
 * from, see {@link PhysicalMemory#watchFrame}): stores there take the slow path, where
 * {@link PhysicalMemory} reports them and the stale translations are dropped.
 */
public final class HostTlb {
    public static final int BITS = 10;
    public static final int SIZE = 1 << BITS;
    public static final int MASK = SIZE - 1;
    public static final long PAGE = ~0xFFFL;
    /** The comparator's ASID field: the key for ASIDs that are not cached. */
    private static final int UNCACHED = 0xFFF;

    public final long[] readTag = new long[SIZE];
    public final long[] writeTag = new long[SIZE];
    public final long[] execTag = new long[SIZE];
    public final byte[][] readFrame = new byte[SIZE][];
    public final byte[][] writeFrame = new byte[SIZE][];
    /** The physical address of the page an execute entry maps. */
    public final long[] execPa = new long[SIZE];
    /** ASID + 1 in the comparators' low 12 bits, or {@link #UNCACHED}. */
    public int key = 1;

    private final PhysicalMemory ram;
    private boolean enabled = true;

    HostTlb(PhysicalMemory ram) {
        this.ram = ram;
        ram.addObserver(new PhysicalMemory.FrameObserver() {
            @Override
            public void watchedFrameWritten(int frame) {
                // A watched frame never has write entries; nothing cached changes.
            }

            @Override
            public void frameReleased(int frame, byte[] array) {
                flushArray(array);
            }
        });
    }

    /** The index of {@code va}'s page. */
    public static int index(long va) {
        return (int) (va >>> 12) & MASK;
    }

    /** The comparator a lookup of {@code va} must find. */
    public long tag(long va) {
        return (va & PAGE) | key;
    }

    void setAsid(int asid) {
        key = asid < UNCACHED - 1 ? asid + 1 : UNCACHED;
    }

    /** Turns caching off (--tlb-check: every access must reach the TLB) or on again. */
    void setEnabled(boolean on) {
        enabled = on;
        flush();
    }

    boolean caching() {
        return enabled && key != UNCACHED;
    }

    void fillRead(long va, long pa) {
        byte[] frame = ram.frameArray(pa);
        if (frame != null) {
            int i = index(va);
            readTag[i] = tag(va);
            readFrame[i] = frame;
        }
    }

    void fillWrite(long va, long pa) {
        byte[] frame = ram.frameArrayForDirectWrite(pa);
        if (frame != null) {
            int i = index(va);
            writeTag[i] = tag(va);
            writeFrame[i] = frame;
        }
    }

    void fillExec(long va, long pa) {
        int i = index(va);
        execTag[i] = tag(va);
        execPa[i] = pa & PAGE;
    }

    /** Everything. */
    public void flush() {
        Arrays.fill(readTag, 0);
        Arrays.fill(writeTag, 0);
        Arrays.fill(execTag, 0);
        Arrays.fill(readFrame, null);
        Arrays.fill(writeFrame, null);
    }

    /**
     * A TLB entry mapping {@code tag} ({@code mask} selecting its size) was removed: the
     * entries at that page's index go (whatever ASID or top byte they carry); for a block,
     * every entry.
     */
    void removed(long tag, long mask) {
        if (mask != PAGE) {
            flush();
            return;
        }
        int i = index(tag);
        readTag[i] = 0;
        writeTag[i] = 0;
        execTag[i] = 0;
        readFrame[i] = null;
        writeFrame[i] = null;
    }

    /** Entries holding {@code array}, a frame's host memory that is going away. */
    void flushArray(byte[] array) {
        for (int i = 0; i < SIZE; i++) {
            if (readFrame[i] == array) {
                readTag[i] = 0;
                readFrame[i] = null;
            }
        }
        flushWrites(array);
    }

    /** Write entries into frame {@code frame}, which the JIT starts to watch. */
    public void flushWritesTo(int frame) {
        byte[] array = ram.frameArray((long) frame << PhysicalMemory.FRAME_SHIFT);
        if (array != null) {
            flushWrites(array);
        }
    }

    private void flushWrites(byte[] array) {
        for (int i = 0; i < SIZE; i++) {
            if (writeFrame[i] == array) {
                writeTag[i] = 0;
                writeFrame[i] = null;
            }
        }
    }
}
