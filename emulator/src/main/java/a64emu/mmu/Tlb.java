package a64emu.mmu;

/**
 * The stage-1 EL1&0 TLB, shaped like a Cortex-A core's: a small fully associative
 * micro-TLB in front of a larger set-associative main TLB (default 48 entries and
 * 1024 entries 4-way, see {@link Geometry}). Both hold complete translations (no walk
 * cache), tagged by ASID, with global (nG=0) entries matching every ASID; 4 KiB pages,
 * 2 MiB blocks and 1 GiB blocks are each stored as one entry of their own size.
 *
 * <p>A lookup tries the micro-TLB, then the main TLB; a main hit is copied into the
 * micro-TLB, a walk fills both. Replacement is round-robin within a set (the micro-TLB
 * is one set). Like hardware (ARM ARM D8.13, TLB maintenance requirements), an entry
 * stays in use after the descriptor in memory changes until a TLBI removes it or a fill
 * evicts it; the only way software removes entries is the TLBI-shaped methods below.
 *
 * <p>Each entry keeps the permissions accumulated over the whole walk (leaf AP/UXN/PXN
 * merged with APTable/UXNTable/PXNTable, WXN and the EL0-writable-implies-PXN rule), so a
 * hit checks permission with one mask test and never touches the tables.
 *
 * <p>The Contiguous hint (descriptor bit 52) is ignored: each page or block of a
 * contiguous run gets an entry of its own. The ARM ARM permits this (the bit only allows
 * an implementation to cache the run as one entry), and it keeps TLBI by VA exact.
 *
 * <p>Storage is parallel primitive arrays, the micro-TLB in slots {@code [0, micro)} and
 * the main TLB after it, {@code set * ways + way}: a lookup allocates nothing. An entry
 * matches when {@code (va & vaMask) == vaTag}, whatever its size, so the fully
 * associative micro-TLB needs one compare per slot. Standing in for the CAM, a small
 * table indexed by VA[17:12] remembers which micro slot last served that page number
 * and is tried before the scan; it is only a hint (the match is always checked), so it
 * changes no result, only the host time of a hit. A miss need not compare every micro slot
 * either: the micro-TLB counts its valid page entries per bucket of VA[19:12] and its valid
 * block entries, and a lookup scans only when one of them could match; a fill finds its
 * free slot in a bitmap. Both are exact summaries of the slots, so the slot chosen, the
 * counters and every result are what the full scans give. The main
 * TLB is indexed by page number for pages and by block number for blocks, and probes the
 * 2 MiB and 1 GiB sets only once such an entry has been inserted.
 */
public final class Tlb {
    /**
     * TLB sizes.
     *
     * @param microEntries fully associative micro-TLB entries; 0 for none
     * @param mainEntries  main TLB entries, a power of two
     * @param mainWays     main TLB associativity, a power of two dividing {@code mainEntries}
     */
    public record Geometry(int microEntries, int mainEntries, int mainWays) {
        /** A Cortex-A-like default: 48-entry micro-TLB, 1024-entry 4-way main TLB. */
        public static final Geometry DEFAULT = new Geometry(48, 1024, 4);

        public Geometry {
            if (microEntries < 0 || mainEntries <= 0 || Integer.bitCount(mainEntries) != 1 || mainWays <= 0
                    || Integer.bitCount(mainWays) != 1 || mainWays > mainEntries) {
                throw new IllegalArgumentException(String.format(
                        "TLB geometry %d micro + %d main entries, %d ways: the main TLB's entries and ways "
                                + "must be powers of two with ways <= entries", microEntries, mainEntries, mainWays));
            }
        }

        @Override
        public String toString() {
            return String.format("%d-entry micro-TLB, %d-entry %d-way main TLB", microEntries, mainEntries, mainWays);
        }
    }

    public static final int DEFAULT_ENTRIES = Geometry.DEFAULT.mainEntries();
    public static final int DEFAULT_WAYS = Geometry.DEFAULT.mainWays();

    private static final int[] SIZE_SHIFT = {
            Descriptor.levelShift(3), Descriptor.levelShift(2), Descriptor.levelShift(1)};

    /** Entry flags beside the permission bits (see {@link #permissionBit}). */
    /** The page is EL0-accessible for data (AP[1]=1 after APTable): what PAN checks. */
    public static final int FLAG_EL0_DATA = 1 << 16;
    /** Write is denied only by AP[2] on a DBM page under TCR.HD: a write re-walks and dirties it. */
    public static final int FLAG_DBM_WRITABLE = 1 << 17;
    /** The six EL0/EL1 read/write/execute bits of an entry's permission mask. */
    public static final int PERMISSION_MASK = 0x3F;
    private static final int LEVEL_SHIFT = 20;

    // The ASID word of an entry: VALID, plus GLOBAL or the 16-bit ASID. An invalid slot
    // holds 0, which no lookup word equals.
    private static final int ASID_MASK = 0xFFFF;
    private static final int GLOBAL = 1 << 16;
    private static final int VALID = 1 << 17;
    private static final int GLOBAL_WORD = VALID | GLOBAL;

    private final Geometry geometry;
    private final int micro;
    private final int ways;
    private final int sets;
    private final int setMask;

    private final long[] vaTag;
    private final long[] vaMask;
    private final long[] outputBase;
    private final int[] asidWord;
    private final int[] info;
    /** Round-robin victim per main set; {@code microVictim} for the micro-TLB. */
    private final int[] nextVictim;
    private int microVictim;
    /** Micro slot that last served a page number (VA[17:12]): where a lookup looks first. */
    private final int[] microHint = new int[HINT_SIZE];
    private static final int HINT_SIZE = 64;
    /** Valid micro page entries per bucket of VA[19:12]: no entry in the bucket, no page match. */
    private final int[] microPages = new int[BUCKETS];
    private static final int BUCKETS = 256;
    /** Valid micro entries for 2 MiB or 1 GiB blocks. */
    private int microBlocks;
    /** Free micro slots, bit e for slot e, kept when the micro-TLB has at most 64 slots. */
    private long microFree;
    private final boolean microFreeKept;
    private static final long PAGE_MASK = -1L << Descriptor.PAGE_SHIFT;

    /** The JIT's cache of this TLB's entries, told of every entry that goes; null without one. */
    HostTlb host;

    private boolean mayHold2M;
    private boolean mayHold1G;

    private long microHits;
    private long mainHits;
    private long misses;
    private long walks;
    private long walkReads;
    private long evictions;
    private long microEvictions;
    private long invalidations;

    public Tlb() {
        this(Geometry.DEFAULT);
    }

    /** A main TLB only, without a micro-TLB (tests of set behaviour). */
    public Tlb(int entries, int ways) {
        this(new Geometry(0, entries, ways));
    }

    public Tlb(Geometry geometry) {
        this.geometry = geometry;
        this.micro = geometry.microEntries();
        this.ways = geometry.mainWays();
        this.sets = geometry.mainEntries() / ways;
        this.setMask = sets - 1;
        int slots = micro + geometry.mainEntries();
        this.vaTag = new long[slots];
        this.vaMask = new long[slots];
        this.outputBase = new long[slots];
        this.asidWord = new int[slots];
        this.info = new int[slots];
        this.nextVictim = new int[sets];
        this.microFreeKept = micro <= Long.SIZE;
        this.microFree = micro == Long.SIZE ? -1L : (1L << micro) - 1;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Main TLB entries. */
    public int entries() {
        return geometry.mainEntries();
    }

    public int microEntries() {
        return micro;
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

    /**
     * A permission mask in words, {@code ls -l} style: {@code EL0 r-x EL1 r--}. Execute at
     * EL0 is shown even without read (execute-only pages: {@code EL0 --x}).
     */
    public static String describePermissions(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int el = 0; el <= 1; el++) {
            sb.append(el == 0 ? "EL0 " : " EL1 ");
            sb.append((mask & permissionBit(AccessType.READ, el)) != 0 ? 'r' : '-');
            sb.append((mask & permissionBit(AccessType.WRITE, el)) != 0 ? 'w' : '-');
            sb.append((mask & permissionBit(AccessType.EXECUTE, el)) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    // ---- Lookup ----

    private boolean matches(int e, long va, int want) {
        int a = asidWord[e];
        return (va & vaMask[e]) == vaTag[e] && (a == want || a == GLOBAL_WORD);
    }

    /**
     * Finds the entry translating {@code va} (already stripped of a TBI tag) for the given
     * ASID: a non-global entry of that ASID or a global entry. Returns its slot, or -1.
     * Counts a micro-TLB hit, a main TLB hit or a miss.
     */
    public int lookup(long va, int asid) {
        int want = VALID | (asid & ASID_MASK);
        if (micro > 0) {
            int hinted = microHint[(int) (va >>> Descriptor.PAGE_SHIFT) & (HINT_SIZE - 1)];
            if (matches(hinted, va, want)) {
                microHits++;
                return hinted;
            }
        }
        return lookupBeyondHint(va, want);
    }

    /**
     * {@link #lookup} once the hinted micro slot did not match: the rest of the micro-TLB,
     * then the main TLB. Out of line, so that the hinted hit stays small enough to inline.
     */
    private int lookupBeyondHint(long va, int want) {
        if (micro > 0) {
            int h = (int) (va >>> Descriptor.PAGE_SHIFT) & (HINT_SIZE - 1);
            if (mayHoldMicro(va)) {
                for (int e = 0; e < micro; e++) {
                    if (matches(e, va, want)) {
                        microHint[h] = e;
                        microHits++;
                        return e;
                    }
                }
            }
        }
        int e = probeMain(va, 0, want);
        if (e < 0 && mayHold2M) {
            e = probeMain(va, 1, want);
        }
        if (e < 0 && mayHold1G) {
            e = probeMain(va, 2, want);
        }
        if (e < 0) {
            misses++;
            return -1;
        }
        mainHits++;
        return micro > 0 ? fillMicro(e, va) : e;
    }

    private static int bucket(long va) {
        return (int) (va >>> Descriptor.PAGE_SHIFT) & (BUCKETS - 1);
    }

    /** Whether some valid micro entry, of any size, could contain {@code va}. */
    private boolean mayHoldMicro(long va) {
        return microBlocks != 0 || microPages[bucket(va)] != 0;
    }

    private int setBase(long va, int size) {
        return micro + ((int) (va >>> SIZE_SHIFT[size]) & setMask) * ways;
    }

    private int probeMain(long va, int size, int want) {
        int base = setBase(va, size);
        for (int e = base, end = base + ways; e < end; e++) {
            if (matches(e, va, want)) {
                return e;
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
        return outputBase[e] | (va & ~vaMask[e]);
    }

    public boolean isGlobal(int e) {
        return asidWord[e] == GLOBAL_WORD;
    }

    public int asid(int e) {
        return asidWord[e] & ASID_MASK;
    }

    /** Valid entries in the main TLB. */
    public int validEntries() {
        return countValid(micro, asidWord.length);
    }

    /** Valid entries in the micro-TLB. */
    public int validMicroEntries() {
        return countValid(0, micro);
    }

    private int countValid(int from, int to) {
        int n = 0;
        for (int e = from; e < to; e++) {
            if (asidWord[e] != 0) {
                n++;
            }
        }
        return n;
    }

    // ---- Inspection (debuggers) ----

    /**
     * One valid entry as a debugger shows it.
     *
     * @param micro       whether it is in the micro-TLB (else the main TLB)
     * @param slot        its slot: micro index, or {@code set * ways + way} in the main TLB
     * @param va          the first VA of the page or block it translates
     * @param pa          the PA that VA translates to
     * @param size        the page or block size in bytes (4 KiB, 2 MiB, 1 GiB)
     * @param asid        the ASID it is tagged with (meaningless when {@code global})
     * @param global      an nG=0 entry, matching every ASID
     * @param permissions the permission mask ({@link #permissionBit}, {@link #describePermissions})
     * @param level       the translation level of the leaf descriptor
     */
    public record EntryView(boolean micro, int slot, long va, long pa, long size, int asid, boolean global,
                            int permissions, int level) {
        public boolean contains(long address) {
            return Long.compareUnsigned(address - va, size) < 0;
        }
    }

    /**
     * Every valid entry, micro-TLB first, then the main TLB in slot order. Reads only: no
     * counter, hint or replacement state changes.
     */
    public java.util.List<EntryView> snapshot() {
        java.util.List<EntryView> out = new java.util.ArrayList<>();
        for (int e = 0; e < asidWord.length; e++) {
            if (asidWord[e] != 0) {
                out.add(new EntryView(e < micro, e < micro ? e : e - micro, vaTag[e], outputBase[e], ~vaMask[e] + 1,
                        asidWord[e] & ASID_MASK, asidWord[e] == GLOBAL_WORD, info[e] & PERMISSION_MASK, level(e)));
            }
        }
        return out;
    }

    // ---- Fill (used by the walker) ----

    /**
     * Caches a completed walk in the main TLB and the micro-TLB. {@code level} is the leaf
     * level (3 page, 2 or 1 block); {@code permissions} the mask from
     * {@link #permissionBit} plus flags. An entry for the same page or block and the same
     * ASID (or both global) is replaced rather than duplicated.
     */
    void insert(long va, int level, long outputAddress, int asid, boolean global, int permissions) {
        int size = switch (level) {
            case 3 -> 0;
            case 2 -> 1;
            case 1 -> 2;
            default -> throw new IllegalArgumentException("no leaf at level " + level);
        };
        long mask = -1L << SIZE_SHIFT[size];
        long t = va & mask;
        int word = global ? GLOBAL_WORD : VALID | (asid & ASID_MASK);
        int entryInfo = permissions | (level << LEVEL_SHIFT);

        int set = (int) (va >>> SIZE_SHIFT[size]) & setMask;
        int base = micro + set * ways;
        int slot = findSlot(base, ways, t, mask, word);
        if (slot < 0) {
            slot = base + nextVictim[set];
            nextVictim[set] = (nextVictim[set] + 1) & (ways - 1);
            evictions++;
        }
        write(slot, t, mask, outputAddress & mask, word, entryInfo);
        if (size == 1) {
            mayHold2M = true;
        } else if (size == 2) {
            mayHold1G = true;
        }
        if (micro > 0) {
            fillMicro(slot, va);
        }
    }

    /** The slot holding the same tag and ASID word, else a free one, else -1. */
    private int findSlot(int base, int n, long t, long mask, int word) {
        int free = -1;
        for (int e = base, end = base + n; e < end; e++) {
            if (vaTag[e] == t && vaMask[e] == mask && asidWord[e] == word) {
                return e;
            }
            if (free < 0 && asidWord[e] == 0) {
                free = e;
            }
        }
        return free;
    }

    /** Copies main TLB entry {@code e} into the micro-TLB for {@code va}; returns its micro slot. */
    private int fillMicro(int e, long va) {
        int slot = findMicroSlot(vaTag[e], vaMask[e], asidWord[e]);
        if (slot < 0) {
            slot = microVictim;
            microVictim = microVictim + 1 == micro ? 0 : microVictim + 1;
            microEvictions++;
        }
        write(slot, vaTag[e], vaMask[e], outputBase[e], asidWord[e], info[e]);
        microHint[(int) (va >>> Descriptor.PAGE_SHIFT) & (HINT_SIZE - 1)] = slot;
        return slot;
    }

    /**
     * {@link #findSlot} over the micro-TLB, without comparing the slots when the counts say
     * that none can hold the tag and the bitmap knows the first free one.
     */
    private int findMicroSlot(long t, long mask, int word) {
        boolean mayMatch = mask == PAGE_MASK ? microPages[bucket(t)] != 0 : microBlocks != 0;
        if (mayMatch || !microFreeKept) {
            return findSlot(0, micro, t, mask, word);
        }
        return microFree == 0 ? -1 : Long.numberOfTrailingZeros(microFree);
    }

    private void write(int e, long tag, long mask, long base, int word, int entryInfo) {
        // A main TLB entry leaves the TLB here; a micro entry replaced by a fill usually still
        // has its main copy (and when not, the host TLB was told when the main copy went).
        if (e >= micro && asidWord[e] != 0 && host != null) {
            host.removed(vaTag[e], vaMask[e]);
        }
        if (e < micro && asidWord[e] != 0) {
            countMicro(e, -1);
        }
        vaTag[e] = tag;
        vaMask[e] = mask;
        outputBase[e] = base;
        asidWord[e] = word;
        info[e] = entryInfo;
        if (e < micro) {
            countMicro(e, 1);
        }
    }

    /** Keeps the micro-TLB's summaries as valid micro entry {@code e} comes (+1) or goes (-1). */
    private void countMicro(int e, int delta) {
        if (vaMask[e] == PAGE_MASK) {
            microPages[bucket(vaTag[e])] += delta;
        } else {
            microBlocks += delta;
        }
        if (microFreeKept) {
            microFree = delta > 0 ? microFree & ~(1L << e) : microFree | (1L << e);
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
        for (int e = 0; e < asidWord.length; e++) {
            if (asidWord[e] != 0) {
                drop(e);
            }
        }
        mayHold2M = false;
        mayHold1G = false;
    }

    /** TLBI ASIDE1: the non-global entries of one ASID; global entries survive. */
    public void invalidateAsid(int asid) {
        int want = VALID | (asid & ASID_MASK);
        for (int e = 0; e < asidWord.length; e++) {
            if (asidWord[e] == want) {
                drop(e);
            }
        }
    }

    /** TLBI VAE1/VALE1: entries containing {@code va} for {@code asid}, and global ones. */
    public void invalidateVa(long va, int asid) {
        invalidateVa(va, VALID | (asid & ASID_MASK), false);
    }

    /** TLBI VAAE1/VAALE1: entries containing {@code va} under every ASID. */
    public void invalidateVaAllAsids(long va) {
        invalidateVa(va, 0, true);
    }

    private void invalidateVa(long va, int want, boolean allAsids) {
        if (mayHoldMicro(va)) {
            for (int e = 0; e < micro; e++) {
                dropIfSelected(e, va, want, allAsids);
            }
        }
        for (int size = 0; size < SIZE_SHIFT.length; size++) {
            int base = setBase(va, size);
            for (int e = base, end = base + ways; e < end; e++) {
                dropIfSelected(e, va, want, allAsids);
            }
        }
    }

    private void dropIfSelected(int e, long va, int want, boolean allAsids) {
        int a = asidWord[e];
        if (a != 0 && (va & vaMask[e]) == vaTag[e] && (allAsids || a == want || a == GLOBAL_WORD)) {
            drop(e);
        }
    }

    private void drop(int e) {
        if (host != null) {
            host.removed(vaTag[e], vaMask[e]);
        }
        if (e < micro) {
            countMicro(e, -1);
        }
        asidWord[e] = 0;
        if (e >= micro) {
            invalidations++;
        }
    }

    // ---- Counters ----

    void countWalk() {
        walks++;
    }

    void countWalkRead() {
        walkReads++;
    }

    /** A snapshot of every counter. */
    public TlbCounts counts() {
        return new TlbCounts(microHits, mainHits, misses, walks, walkReads, microEvictions, evictions, invalidations);
    }

    /** Lookups that hit, in either TLB. */
    public long hits() { return microHits + mainHits; }
    /** Lookups the micro-TLB answered. */
    public long microHits() { return microHits; }
    /** Lookups the micro-TLB missed and the main TLB answered. */
    public long mainHits() { return mainHits; }
    /** Lookups neither TLB answered. */
    public long misses() { return misses; }
    /** Table walks started (misses, plus re-walks for a hardware dirty-bit update). */
    public long walks() { return walks; }
    /** Descriptor reads from physical memory made by walks. */
    public long walkReads() { return walkReads; }
    /** Valid main TLB entries pushed out by a fill into a full set. */
    public long evictions() { return evictions; }
    /** Valid micro-TLB entries pushed out by a fill. */
    public long microEvictions() { return microEvictions; }
    /** Valid main TLB entries removed by TLBI operations. */
    public long invalidations() { return invalidations; }

    /** Hits over lookups, 0 with no lookups. */
    public double hitRate() {
        long lookups = hits() + misses;
        return lookups == 0 ? 0 : (double) hits() / lookups;
    }

    public void resetCounters() {
        microHits = 0;
        mainHits = 0;
        misses = 0;
        walks = 0;
        walkReads = 0;
        evictions = 0;
        microEvictions = 0;
        invalidations = 0;
    }

    @Override
    public String toString() {
        return String.format("TLB (%s): hits %d (micro %d, main %d), misses %d, walks %d, walk reads %d, "
                        + "evictions %d (micro %d), invalidations %d",
                geometry, hits(), microHits, mainHits, misses, walks, walkReads, evictions, microEvictions,
                invalidations);
    }
}
