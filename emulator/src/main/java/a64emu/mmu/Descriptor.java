package a64emu.mmu;

/**
 * The VMSAv8-64 stage-1 translation table descriptor format for the 4 KiB granule
 * (ARM ARM D8.3, Linux {@code arch/arm64/include/asm/pgtable-hwdef.h}). This is the one
 * place the format is written down: the walker in {@link Mmu} decodes with it and the
 * guest kernel's page-table editor encodes with it.
 *
 * <p>Bit names follow pgtable-hwdef.h ({@code PTE_USER}, {@code PTE_RDONLY}, ...) so a
 * reader who knows Linux recognises them. Attribute sets that Linux builds user pages
 * from ({@code pgtable-prot.h}) are given as {@code PAGE_*} constants.
 */
public final class Descriptor {
    private Descriptor() {}

    // ---- Granule and level geometry (4 KiB granule, ARM ARM D8.2) ----

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** Each level resolves 9 bits of VA: a table is one 4 KiB page of 512 8-byte entries. */
    public static final int BITS_PER_LEVEL = 9;
    public static final int ENTRIES_PER_TABLE = 1 << BITS_PER_LEVEL;
    public static final int DESCRIPTOR_BYTES = 8;
    public static final int TABLE_BYTES = ENTRIES_PER_TABLE * DESCRIPTOR_BYTES;
    /** Level 3 holds pages; levels 0-2 hold tables (and 1-2 blocks). */
    public static final int LAST_LEVEL = 3;
    /** TxSZ range with the 4 KiB granule and no FEAT_TTST/FEAT_LPA2: 48- to 25-bit VA. */
    public static final int MIN_TXSZ = 16;
    public static final int MAX_TXSZ = 39;

    // ---- Descriptor type, bits [1:0] ----

    /** Bit 0: valid. An entry with bit 0 clear is ignored by the walker (Translation fault). */
    public static final long VALID = 1L << 0;
    /** Bit 1: at levels 0-2 selects table (1) or block (0); at level 3 must be 1 (page). */
    public static final long TABLE_BIT = 1L << 1;
    public static final long TYPE_MASK = VALID | TABLE_BIT;
    /** [1:0]=11 at levels 0-2: next-level table (PMD_TYPE_TABLE). */
    public static final long TYPE_TABLE = VALID | TABLE_BIT;
    /** [1:0]=01 at levels 1-2: block (PMD_TYPE_SECT). Reserved at levels 0 and 3. */
    public static final long TYPE_BLOCK = VALID;
    /** [1:0]=11 at level 3: page (PTE_TYPE_PAGE). */
    public static final long TYPE_PAGE = VALID | TABLE_BIT;

    // ---- Lower attributes of block and page descriptors ----

    public static final int ATTRINDX_SHIFT = 2;
    /** AttrIndx [4:2]: index into MAIR_EL1. */
    public static final long ATTRINDX_MASK = 7L << ATTRINDX_SHIFT;
    /** NS, bit 5: ignored in Non-secure state. */
    public static final long NS = 1L << 5;
    /** AP[1], bit 6: EL0 may access ("PTE_USER"). */
    public static final long USER = 1L << 6;
    /** AP[2], bit 7: read-only at every EL ("PTE_RDONLY"). */
    public static final long RDONLY = 1L << 7;
    public static final int AP_SHIFT = 6;
    public static final long AP_MASK = USER | RDONLY;
    public static final int SH_SHIFT = 8;
    /** SH [9:8]: shareability. */
    public static final long SH_MASK = 3L << SH_SHIFT;
    public static final long SH_NON = 0L << SH_SHIFT;
    public static final long SH_OUTER = 2L << SH_SHIFT;
    public static final long SH_INNER = 3L << SH_SHIFT;
    /** AF, bit 10: access flag; 0 makes the first access take an Access flag fault unless TCR.HA. */
    public static final long AF = 1L << 10;
    /** nG, bit 11: not global; the TLB entry is tagged with the current ASID. */
    public static final long NG = 1L << 11;

    // ---- Upper attributes of block and page descriptors ----

    /** GP, bit 50: guarded page (BTI). */
    public static final long GP = 1L << 50;
    /** DBM, bit 51: dirty bit modifier; with TCR.HD a write clears AP[2] instead of faulting. */
    public static final long DBM = 1L << 51;
    /** Contiguous hint, bit 52: 16 adjacent entries map one aligned range (a TLB hint only). */
    public static final long CONT = 1L << 52;
    /** PXN, bit 53: no execution at EL1. */
    public static final long PXN = 1L << 53;
    /** UXN, bit 54: no execution at EL0 (named XN when the regime has one EL). */
    public static final long UXN = 1L << 54;

    /** Software bits [58:55]: the walker ignores them; Linux keeps page state there. */
    public static final long SOFTWARE_MASK = 0xFL << 55;
    /** Linux PTE_WRITE is the DBM bit: "writable, possibly clean" (pgtable-hwdef.h). */
    public static final long SW_WRITE = DBM;
    /** Linux PTE_DIRTY, bit 55: software dirty. */
    public static final long SW_DIRTY = 1L << 55;
    /** Linux PTE_SPECIAL, bit 56. */
    public static final long SW_SPECIAL = 1L << 56;
    /** Linux PTE_DEVMAP, bit 57. */
    public static final long SW_DEVMAP = 1L << 57;
    /** Linux PTE_PROT_NONE, bit 58: only meaningful in an invalid (VALID=0) entry. */
    public static final long SW_PROT_NONE = 1L << 58;

    // ---- Table descriptor attributes (ARM ARM D8.3, "Table descriptor"), ignored when TCR.HPDn=1 ----

    /** PXNTable, bit 59: nothing below is executable at EL1. */
    public static final long PXN_TABLE = 1L << 59;
    /** UXNTable, bit 60: nothing below is executable at EL0. */
    public static final long UXN_TABLE = 1L << 60;
    /** APTable[0], bit 61: nothing below is accessible from EL0 (forces AP[1]=0). */
    public static final long AP_TABLE_NO_EL0 = 1L << 61;
    /** APTable[1], bit 62: nothing below is writable (forces AP[2]=1). */
    public static final long AP_TABLE_RDONLY = 1L << 62;
    public static final long AP_TABLE_MASK = AP_TABLE_NO_EL0 | AP_TABLE_RDONLY;
    /** NSTable, bit 63. */
    public static final long NS_TABLE = 1L << 63;
    public static final long TABLE_ATTR_MASK = PXN_TABLE | UXN_TABLE | AP_TABLE_MASK | NS_TABLE;

    // ---- Output address fields (48-bit OA, no FEAT_LPA) ----

    /** Next-level table address and page OA: bits [47:12]. */
    public static final long OA_MASK_PAGE = 0x0000_FFFF_FFFF_F000L;
    /** Level 2 block OA: bits [47:21] (2 MiB). */
    public static final long OA_MASK_L2_BLOCK = 0x0000_FFFF_FFE0_0000L;
    /** Level 1 block OA: bits [47:30] (1 GiB). */
    public static final long OA_MASK_L1_BLOCK = 0x0000_FFFF_C000_0000L;

    // ---- Linux user page attribute sets (arch/arm64/include/asm/pgtable-prot.h) ----

    /** AttrIndx of MT_NORMAL in Linux's MAIR layout (reference §1: Attr0 = Normal WB). */
    public static final int MT_NORMAL = 0;
    /** _PROT_DEFAULT without the type: AF | inner shareable. */
    public static final long PROT_DEFAULT = AF | SH_INNER;
    /** _PAGE_DEFAULT: a valid normal-memory page, AF set, inner shareable, AttrIndx 0. */
    public static final long PAGE_DEFAULT = TYPE_PAGE | PROT_DEFAULT | attrIndx(MT_NORMAL);
    /** PAGE_READONLY: EL0 RO, never executable, per-ASID. Also used for private writable (COW). */
    public static final long PAGE_READONLY = PAGE_DEFAULT | USER | RDONLY | NG | PXN | UXN;
    /** PAGE_READONLY_EXEC: EL0 RO + execute. */
    public static final long PAGE_READONLY_EXEC = PAGE_DEFAULT | USER | RDONLY | NG | PXN;
    /** PAGE_EXECONLY: no EL0 data access, EL0 may execute (AP[1]=0, UXN=0). */
    public static final long PAGE_EXECONLY = PAGE_DEFAULT | RDONLY | NG | PXN;
    /** PAGE_SHARED: writable-clean (PTE_WRITE with RDONLY); a write makes it dirty. */
    public static final long PAGE_SHARED = PAGE_DEFAULT | USER | RDONLY | NG | PXN | UXN | SW_WRITE;
    /** PAGE_SHARED_EXEC. */
    public static final long PAGE_SHARED_EXEC = PAGE_DEFAULT | USER | RDONLY | NG | PXN | SW_WRITE;
    /** PAGE_NONE: an invalid entry that Linux still recognises as present (PROT_NONE). */
    public static final long PAGE_NONE = (PAGE_DEFAULT & ~VALID) | SW_PROT_NONE | RDONLY | NG | PXN | UXN;
    /**
     * A writable, dirty user page as Linux leaves it after pte_mkdirty(pte_mkwrite()):
     * RDONLY cleared, PTE_WRITE and PTE_DIRTY set (reference §2: PA|0x00E8000000000F43).
     */
    public static final long PAGE_READWRITE_DIRTY = (PAGE_SHARED & ~RDONLY) | SW_DIRTY;
    /** The same with execute permission at EL0. */
    public static final long PAGE_READWRITE_EXEC_DIRTY = (PAGE_SHARED_EXEC & ~RDONLY) | SW_DIRTY;

    // ---- Encoding ----

    /** AttrIndx field value for a MAIR index 0-7. */
    public static long attrIndx(int mairIndex) {
        if (mairIndex < 0 || mairIndex > 7) {
            throw new IllegalArgumentException("AttrIndx is 3 bits: " + mairIndex);
        }
        return (long) mairIndex << ATTRINDX_SHIFT;
    }

    /** A table descriptor pointing at the next-level table (4 KiB aligned). */
    public static long table(long nextTablePa) {
        return table(nextTablePa, 0);
    }

    /** A table descriptor with hierarchical attributes (PXN_TABLE, UXN_TABLE, AP_TABLE_*, NS_TABLE). */
    public static long table(long nextTablePa, long tableAttrs) {
        requireAligned(nextTablePa, PAGE_SIZE, "next-level table");
        if ((tableAttrs & ~TABLE_ATTR_MASK) != 0) {
            throw new IllegalArgumentException(String.format("not table attributes: 0x%x", tableAttrs));
        }
        return nextTablePa | tableAttrs | TYPE_TABLE;
    }

    /**
     * A level 3 page descriptor: bits [1:0] are forced to 11; {@code attrs} are the other
     * attribute bits (for example {@link #PAGE_READONLY}).
     */
    public static long page(long pa, long attrs) {
        requireAligned(pa, PAGE_SIZE, "page");
        return pa | (attrs & ~(OA_MASK_PAGE | TYPE_MASK)) | TYPE_PAGE;
    }

    /**
     * Linux {@code pfn_pte}: the OA and the protection bits exactly as given, so that
     * {@link #PAGE_NONE} produces an invalid entry.
     */
    public static long pte(long pa, long prot) {
        requireAligned(pa, PAGE_SIZE, "page");
        return pa | (prot & ~OA_MASK_PAGE);
    }

    /** A level 1 (1 GiB) or level 2 (2 MiB) block descriptor; bits [1:0] are forced to 01. */
    public static long block(long pa, int level, long attrs) {
        if (level != 1 && level != 2) {
            throw new IllegalArgumentException("4 KiB granule blocks exist at levels 1 and 2 only: " + level);
        }
        requireAligned(pa, bytesMappedAt(level), "level " + level + " block");
        return pa | (attrs & ~(OA_MASK_PAGE | TYPE_MASK)) | TYPE_BLOCK;
    }

    private static void requireAligned(long pa, long alignment, String what) {
        if ((pa & (alignment - 1)) != 0 || (pa & ~OA_MASK_PAGE & ~(alignment - 1)) != 0) {
            throw new IllegalArgumentException(String.format(
                    "%s address 0x%x is not a %d-aligned 48-bit physical address", what, pa, alignment));
        }
    }

    // ---- Decoding ----

    public static boolean isValid(long desc) {
        return (desc & VALID) != 0;
    }

    /** [1:0]=11 at levels 0-2. */
    public static boolean isTable(long desc, int level) {
        return level < LAST_LEVEL && (desc & TYPE_MASK) == TYPE_TABLE;
    }

    /** [1:0]=01 at levels 1-2 (at level 0 and 3 that encoding is reserved). */
    public static boolean isBlock(long desc, int level) {
        return (level == 1 || level == 2) && (desc & TYPE_MASK) == TYPE_BLOCK;
    }

    /** [1:0]=11 at level 3. */
    public static boolean isPage(long desc, int level) {
        return level == LAST_LEVEL && (desc & TYPE_MASK) == TYPE_PAGE;
    }

    /** A block or page: the walk ends here with an output address. */
    public static boolean isLeaf(long desc, int level) {
        return isBlock(desc, level) || isPage(desc, level);
    }

    /** Next-level table address of a table descriptor. */
    public static long nextTable(long desc) {
        return desc & OA_MASK_PAGE;
    }

    /** Output address field of a leaf at {@code level}: page [47:12], L2 block [47:21], L1 block [47:30]. */
    public static long outputAddress(long desc, int level) {
        return desc & oaMask(level);
    }

    /** The OA mask for a leaf at {@code level}. */
    public static long oaMask(int level) {
        return switch (level) {
            case 1 -> OA_MASK_L1_BLOCK;
            case 2 -> OA_MASK_L2_BLOCK;
            case 3 -> OA_MASK_PAGE;
            default -> throw new IllegalArgumentException("no leaf at level " + level);
        };
    }

    /** Replaces the output address of a leaf, keeping every attribute. */
    public static long withOutputAddress(long desc, int level, long pa) {
        requireAligned(pa, bytesMappedAt(level), "level " + level + " output");
        return (desc & ~oaMask(level)) | pa;
    }

    /** AP[2:1] as a 2-bit number (see {@link #describeAp}). */
    public static int ap(long desc) {
        return (int) ((desc & AP_MASK) >>> AP_SHIFT);
    }

    public static int attrIndxOf(long desc) {
        return (int) ((desc & ATTRINDX_MASK) >>> ATTRINDX_SHIFT);
    }

    public static int sh(long desc) {
        return (int) ((desc & SH_MASK) >>> SH_SHIFT);
    }

    public static boolean user(long desc) { return (desc & USER) != 0; }
    public static boolean rdonly(long desc) { return (desc & RDONLY) != 0; }
    public static boolean af(long desc) { return (desc & AF) != 0; }
    public static boolean ng(long desc) { return (desc & NG) != 0; }
    public static boolean dbm(long desc) { return (desc & DBM) != 0; }
    public static boolean cont(long desc) { return (desc & CONT) != 0; }
    public static boolean pxn(long desc) { return (desc & PXN) != 0; }
    public static boolean uxn(long desc) { return (desc & UXN) != 0; }
    public static boolean pxnTable(long desc) { return (desc & PXN_TABLE) != 0; }
    public static boolean uxnTable(long desc) { return (desc & UXN_TABLE) != 0; }
    /** APTable [62:61] as a 2-bit number. */
    public static int apTable(long desc) { return (int) ((desc & AP_TABLE_MASK) >>> 61); }

    // ---- Level geometry ----

    /** log2 of the bytes one entry at {@code level} maps: 39, 30, 21, 12 for levels 0-3. */
    public static int levelShift(int level) {
        if (level < 0 || level > LAST_LEVEL) {
            throw new IllegalArgumentException("4 KiB granule levels are 0-3: " + level);
        }
        return PAGE_SHIFT + BITS_PER_LEVEL * (LAST_LEVEL - level);
    }

    /** Bytes mapped by one entry at {@code level}: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
    public static long bytesMappedAt(int level) {
        return 1L << levelShift(level);
    }

    /** Index of {@code va} in a full 512-entry table at {@code level}. */
    public static int index(long va, int level) {
        return (int) (va >>> levelShift(level)) & (ENTRIES_PER_TABLE - 1);
    }

    /** Input address size in bits for a TxSZ value: 64 - TxSZ. */
    public static int inputSize(int txsz) {
        return 64 - txsz;
    }

    /**
     * First lookup level for a TxSZ (ARM ARM D8.2; QEMU ptw.c derives the same): 4 - (inputsize - 4) / 9.
     * TxSZ 16-24 start at level 0, 25-33 at level 1, 34-39 at level 2.
     */
    public static int startLevel(int txsz) {
        return 4 - (inputSize(txsz) - 4) / BITS_PER_LEVEL;
    }

    /**
     * Entries in the start-level table: fewer than 512 when the input size does not use all
     * of that level's 9 bits (T0SZ=20 gives a 32-entry level 0 table).
     */
    public static int startLevelEntries(int txsz) {
        return 1 << (inputSize(txsz) - levelShift(startLevel(txsz)));
    }

    /** Index of {@code va} at {@code level} in a walk with the given TxSZ (start table may be short). */
    public static int index(long va, int level, int txsz) {
        int bits = level == startLevel(txsz)
                ? inputSize(txsz) - levelShift(level)
                : BITS_PER_LEVEL;
        return (int) (va >>> levelShift(level)) & ((1 << bits) - 1);
    }

    // ---- Printing ----

    /** AP[2:1] in words, ARM ARM D8.4 table: 00 EL1-RW, 01 EL0-RW, 10 EL1-RO, 11 EL0-RO. */
    public static String describeAp(int ap) {
        return switch (ap & 3) {
            case 0 -> "EL1-RW";
            case 1 -> "EL0-RW";
            case 2 -> "EL1-RO";
            default -> "EL0-RO";
        };
    }

    private static String describeSh(int sh) {
        return switch (sh) {
            case 0 -> "non";
            case 2 -> "outer";
            case 3 -> "inner";
            default -> "reserved";
        };
    }

    /**
     * The descriptor's fields in words, e.g.
     * {@code page PA=0x40123000 AttrIndx=0 SH=inner AP=EL0-RW AF nG UXN PXN}.
     */
    public static String describe(long desc, int level) {
        StringBuilder sb = new StringBuilder();
        if (!isValid(desc)) {
            sb.append("invalid");
            if ((desc & SW_PROT_NONE) != 0) {
                sb.append(" PROT_NONE");
            } else if (level == LAST_LEVEL && PteState.of(desc) == PteState.SWAP) {
                // Linux keeps swapped-out pages' slots in invalid level 3 entries.
                sb.append(' ').append(SwapPte.describe(desc));
            } else if (desc != 0) {
                sb.append(String.format(" 0x%x", desc));
            }
            return sb.toString();
        }
        if (isTable(desc, level)) {
            sb.append(String.format("table next=0x%x", nextTable(desc)));
            if (pxnTable(desc)) sb.append(" PXNTable");
            if (uxnTable(desc)) sb.append(" UXNTable");
            if ((desc & AP_TABLE_NO_EL0) != 0) sb.append(" APTable-noEL0");
            if ((desc & AP_TABLE_RDONLY) != 0) sb.append(" APTable-RO");
            if ((desc & NS_TABLE) != 0) sb.append(" NSTable");
            return sb.toString();
        }
        if (!isLeaf(desc, level)) {
            return String.format("reserved level %d encoding 0x%x", level, desc);
        }
        sb.append(isPage(desc, level) ? "page" : (level == 1 ? "block-1G" : "block-2M"));
        sb.append(String.format(" PA=0x%x AttrIndx=%d SH=%s AP=%s",
                outputAddress(desc, level), attrIndxOf(desc), describeSh(sh(desc)), describeAp(ap(desc))));
        if (af(desc)) sb.append(" AF");
        if (ng(desc)) sb.append(" nG");
        if (uxn(desc)) sb.append(" UXN");
        if (pxn(desc)) sb.append(" PXN");
        if (dbm(desc)) sb.append(" DBM");
        if (cont(desc)) sb.append(" CONT");
        if ((desc & GP) != 0) sb.append(" GP");
        if ((desc & NS) != 0) sb.append(" NS");
        if ((desc & SW_DIRTY) != 0) sb.append(" sw-DIRTY");
        if ((desc & SW_SPECIAL) != 0) sb.append(" sw-SPECIAL");
        if ((desc & SW_DEVMAP) != 0) sb.append(" sw-DEVMAP");
        return sb.toString();
    }
}
