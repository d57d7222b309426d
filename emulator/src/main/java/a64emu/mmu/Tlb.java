package a64emu.mmu;

import java.util.Arrays;

/**
 * The stage-1 EL1&0 TLB: set-associative, tagged by ASID, holding complete translations
 * (no walk cache) for 4 KiB pages, 2 MiB blocks and 1 GiB blocks.
 *
 * <p>Each entry keeps the permissions accumulated over the whole walk (leaf AP/UXN/PXN
 * merged with APTable/UXNTable/PXNTable, WXN and the EL0-writable-implies-PXN rule), so a
 * hit checks permission with one mask test and never touches the tables. Like hardware
 * (ARM ARM D8, TLB maintenance requirements), an entry stays in use after the descriptor in memory changes until a
 * TLBI removes it; the only ways to remove entries are the TLBI-shaped methods below.
 *
 * <p>The storage is parallel primitive arrays indexed by {@code set * ways + way}: a lookup
 * allocates nothing and reads a few array slots. A block entry is filed under its block
 * number, so it serves every page inside the block; lookups probe the 2 MiB and 1 GiB sets
 * only once such an entry has been inserted.
 */
public final class Tlb {
    public static final int DEFAULT_ENTRIES = 1024;
    public static final int DEFAULT_WAYS = 4;

    /** Size codes, kept in the low bits of the tag (which a page-aligned VA leaves free). */
    private static final int SIZE_PAGE = 0;
    private static final int SIZE_2M = 1;
    private static final int SIZE_1G = 2;
    private static final int[] SIZE_SHIFT = {
            Descriptor.levelShift(3), Descriptor.levelShift(2), Descriptor.levelShift(1)};
    /** No valid tag has size code 3 in its low bits, so this never matches a lookup. */
    private static final long INVALID_TAG = -1L;

    /** Entry flags beside the permission bits (see {@link #permissionBit}). */
    /** The page is EL0-accessible for data (AP[1]=1 after APTable): what PAN checks. */
    public static final int FLAG_EL0_DATA = 1 << 16;
    /** Write is denied only by AP[2] on a DBM page under TCR.HD: a write re-walks and dirties it. */
    public static final int FLAG_DBM_WRITABLE = 1 << 17;
    private static final int LEVEL_SHIFT = 20;

    private static final int ASID_MASK = 0xFFFF;
    private static final int GLOBAL = 1 << 16;

    private final int ways;
    private final int sets;
    private final int setMask;

    private final long[] tag;
    private final long[] outputBase;
    private final long[] offsetMask;
    private final int[] asidTag;
    private final int[] info;
    private final int[] nextVictim;

    private boolean mayHold2M;
    private boolean mayHold1G;

    private long hits;
    private long misses;
    private long walks;
    private long walkReads;
    private long evictions;
    private long invalidations;

    public Tlb() {
        this(DEFAULT_ENTRIES, DEFAULT_WAYS);
    }

    /**
     * @param entries total entries, a power of two
     * @param ways    associativity, a power of two dividing {@code entries}
     */
    public Tlb(int entries, int ways) {
        if (entries <= 0 || Integer.bitCount(entries) != 1 || ways <= 0 || Integer.bitCount(ways) != 1
                || ways > entries) {
            throw new IllegalArgumentException(
                    "TLB geometry must be powers of two with ways <= entries: " + entries + "/" + ways);
        }
        this.ways = ways;
        this.sets = entries / ways;
        this.setMask = sets - 1;
        this.tag = new long[entries];
        this.outputBase = new long[entries];
        this.offsetMask = new long[entries];
        this.asidTag = new int[entries];
        this.info = new int[entries];
        this.nextVictim = new int[sets];
        Arrays.fill(tag, INVALID_TAG);
    }

    public int entries() {
        return tag.length;
    }

    public int ways() {
        return ways;
    }

    public int sets() {
        return sets;
    }

    /**
     * The bit of an entry's permission mask that allows {@code access} from {@code el}
     * (0 or 1): bits 0-2 are EL0 read/write/execute, bits 3-5 EL1.
     */
    public static int permissionBit(AccessType access, int el) {
        return 1 << (el * 3 + access.ordinal());
    }

    // ---- Lookup ----

    /**
     * Finds the entry translating {@code va} (already stripped of a TBI tag) for the given
     * ASID: a non-global entry of that ASID or a global entry. Returns its index, or -1.
     * Counts a hit or a miss.
     */
    public int lookup(long va, int asid) {
        int e = probe(va, SIZE_PAGE, asid);
        if (e < 0 && mayHold2M) {
            e = probe(va, SIZE_2M, asid);
        }
        if (e < 0 && mayHold1G) {
            e = probe(va, SIZE_1G, asid);
        }
        if (e < 0) {
            misses++;
        } else {
            hits++;
        }
        return e;
    }

    private int probe(long va, int size, int asid) {
        int shift = SIZE_SHIFT[size];
        long t = (va & (-1L << shift)) | size;
        int base = ((int) (va >>> shift) & setMask) * ways;
        for (int e = base, end = base + ways; e < end; e++) {
            if (tag[e] == t) {
                int a = asidTag[e];
                if ((a & GLOBAL) != 0 || (a & ASID_MASK) == asid) {
                    return e;
                }
            }
        }
        return -1;
    }

    /** Permission mask and flags of entry {@code e}. */
    public int info(int e) {
        return info[e];
    }

    public boolean allows(int e, AccessType access, int el) {
        return (info[e] & permissionBit(access, el)) != 0;
    }

    /** Translation level of the leaf the entry came from (for Permission fault reporting). */
    public int level(int e) {
        return (info[e] >>> LEVEL_SHIFT) & 3;
    }

    /** The PA for {@code va} through entry {@code e}. */
    public long physicalAddress(int e, long va) {
        return outputBase[e] | (va & offsetMask[e]);
    }

    public boolean isGlobal(int e) {
        return (asidTag[e] & GLOBAL) != 0;
    }

    public int asid(int e) {
        return asidTag[e] & ASID_MASK;
    }

    /** Entries currently valid. */
    public int validEntries() {
        int n = 0;
        for (long t : tag) {
            if (t != INVALID_TAG) {
                n++;
            }
        }
        return n;
    }

    // ---- Fill (used by the walker) ----

    /**
     * Caches a completed walk. {@code level} is the leaf level (3 page, 2 or 1 block);
     * {@code permissions} the mask from {@link #permissionBit} plus flags. An entry for the
     * same block and the same ASID (or both global) is replaced rather than duplicated.
     */
    void insert(long va, int level, long outputAddress, int asid, boolean global, int permissions) {
        int size = switch (level) {
            case 3 -> SIZE_PAGE;
            case 2 -> SIZE_2M;
            case 1 -> SIZE_1G;
            default -> throw new IllegalArgumentException("no leaf at level " + level);
        };
        int shift = SIZE_SHIFT[size];
        long mask = (1L << shift) - 1;
        long t = (va & ~mask) | size;
        int asidWord = global ? GLOBAL : (asid & ASID_MASK);
        int set = (int) (va >>> shift) & setMask;
        int base = set * ways;
        int slot = -1;
        for (int e = base, end = base + ways; e < end; e++) {
            if (tag[e] == t && asidTag[e] == asidWord) {
                slot = e;
                break;
            }
            if (slot < 0 && tag[e] == INVALID_TAG) {
                slot = e;
            }
        }
        if (slot < 0) {
            slot = base + nextVictim[set];
            nextVictim[set] = (nextVictim[set] + 1) & (ways - 1);
            evictions++;
        }
        tag[slot] = t;
        outputBase[slot] = outputAddress & ~mask;
        offsetMask[slot] = mask;
        asidTag[slot] = asidWord;
        info[slot] = permissions | (level << LEVEL_SHIFT);
        if (size == SIZE_2M) {
            mayHold2M = true;
        } else if (size == SIZE_1G) {
            mayHold1G = true;
        }
    }

    // ---- Invalidation: the TLBI operations (ARM ARM C5.5) ----

    /** Performs a TLBI with Linux's operand format (see {@link TlbiOp}). */
    public void invalidate(TlbiOp op, long operand) {
        switch (op.scope) {
            case ALL -> invalidateAll();
            case ASID -> invalidateAsid(TlbiOp.asidOf(operand));
            case VA_ASID -> invalidateVa(TlbiOp.vaOf(operand), TlbiOp.asidOf(operand));
            case VA_ALL_ASIDS -> invalidateVaAllAsids(TlbiOp.vaOf(operand));
        }
    }

    /** TLBI VMALLE1: every entry, global or not. */
    public void invalidateAll() {
        for (int e = 0; e < tag.length; e++) {
            if (tag[e] != INVALID_TAG) {
                drop(e);
            }
        }
        mayHold2M = false;
        mayHold1G = false;
    }

    /** TLBI ASIDE1: the non-global entries of one ASID; global entries survive. */
    public void invalidateAsid(int asid) {
        int want = asid & ASID_MASK;
        for (int e = 0; e < tag.length; e++) {
            if (tag[e] != INVALID_TAG && asidTag[e] == want) {
                drop(e);
            }
        }
    }

    /** TLBI VAE1/VALE1: entries containing {@code va} for {@code asid}, and global ones. */
    public void invalidateVa(long va, int asid) {
        invalidateVa(va, asid & ASID_MASK, false);
    }

    /** TLBI VAAE1/VAALE1: entries containing {@code va} under every ASID. */
    public void invalidateVaAllAsids(long va) {
        invalidateVa(va, 0, true);
    }

    private void invalidateVa(long va, int asid, boolean allAsids) {
        for (int size = SIZE_PAGE; size <= SIZE_1G; size++) {
            int shift = SIZE_SHIFT[size];
            long t = (va & (-1L << shift)) | size;
            int base = ((int) (va >>> shift) & setMask) * ways;
            for (int e = base, end = base + ways; e < end; e++) {
                if (tag[e] == t && (allAsids || (asidTag[e] & GLOBAL) != 0 || asidTag[e] == asid)) {
                    drop(e);
                }
            }
        }
    }

    private void drop(int e) {
        tag[e] = INVALID_TAG;
        invalidations++;
    }

    // ---- Counters ----

    void countWalk() {
        walks++;
    }

    void countWalkRead() {
        walkReads++;
    }

    public long hits() { return hits; }
    public long misses() { return misses; }
    /** Table walks started (misses, plus re-walks for a hardware dirty-bit update). */
    public long walks() { return walks; }
    /** Descriptor reads from physical memory made by walks. */
    public long walkReads() { return walkReads; }
    /** Valid entries pushed out by a fill into a full set. */
    public long evictions() { return evictions; }
    /** Valid entries removed by TLBI operations. */
    public long invalidations() { return invalidations; }

    public void resetCounters() {
        hits = 0;
        misses = 0;
        walks = 0;
        walkReads = 0;
        evictions = 0;
        invalidations = 0;
    }

    @Override
    public String toString() {
        return String.format("TLB %d entries (%d sets x %d ways): hits %d, misses %d, walks %d, "
                        + "walk reads %d, evictions %d, invalidations %d",
                entries(), sets, ways, hits, misses, walks, walkReads, evictions, invalidations);
    }
}
