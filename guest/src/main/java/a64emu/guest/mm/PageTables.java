package a64emu.guest.mm;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Mmu;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import a64emu.mmu.TlbiOp;

/**
 * The page-table editor of one address space: the translation tables that TTBR0_EL1
 * points at, kept in emulated RAM and written only through {@link Descriptor}. This is
 * the part of Linux's {@code mm/memory.c} and {@code arch/arm64/mm/} that sets, changes
 * and clears PTEs, allocating and freeing table frames on the way.
 *
 * <p>There is no shadow: {@link #pte} walks the same tables the MMU walks. Every change
 * to an entry that was valid is followed by a TLBI by VA and ASID (Linux
 * {@code flush_tlb_page}: {@code TLBI VALE1IS}); an entry that was invalid is never in
 * the TLB (ARM ARM: translations that fault are not cached), so installing it needs none.
 * A changed output address follows break-before-make: invalidate, TLBI, then write.
 *
 * <p>Every entry is one of the states of {@link PteState} (none, present, PROT_NONE, or a
 * swap entry), and every reader classifies it through that type. Every entry written here
 * keeps the frames' map counts ({@link FrameAllocator#mapcount}) and reverse map exact, and
 * this address space's resident and swap counts (MM_ANONPAGES+MM_FILEPAGES, MM_SWAPENTS);
 * removing entries with {@link #zap} also drops their frame references (passing a dirty
 * entry's state to its page-cache page) and their swap slots' references.
 *
 * <p>Only level 3 pages are used for user memory; the walk starts at level 0 for a
 * 48-bit VA (T0SZ=16) and at level 1 for a 39-bit VA (T0SZ=25).
 */
public final class PageTables {
    /** Receives each entry of a range; returns the entry to keep there (0 to clear). */
    @FunctionalInterface
    public interface PteVisitor {
        long visit(long va, long pte);
    }

    /** What a visit of entries covers. */
    private enum Visit {
        /** Entries that map a frame: valid or PROT_NONE ({@code pte_present}). */
        PRESENT,
        /** Every entry that is not none: present ones and swap entries. */
        NOT_NONE
    }

    private final PhysicalMemory ram;
    private final FrameAllocator frames;
    private final Mmu mmu;
    private final int asid;
    private final int vaBits;
    private final int t0sz;
    private final int startLevel;
    private final long root;
    private int tableFrames;
    private long residentPages;
    private long peakResidentPages;
    /** MM_SWAPENTS: swap entries in these tables. */
    private long swapEntries;
    /** The address space these tables translate (for the reverse map's VMA lookups). */
    private AddressSpace owner;

    public PageTables(FrameAllocator frames, Mmu mmu, int vaBits, int asid) throws OutOfFramesException {
        this.ram = mmu.ram();
        this.frames = frames;
        this.mmu = mmu;
        this.asid = asid;
        this.vaBits = vaBits;
        this.t0sz = 64 - vaBits;
        this.startLevel = Descriptor.startLevel(t0sz);
        this.root = frames.allocate(FrameAllocator.PageKind.PAGE_TABLE);
        this.tableFrames = 1;
        frames.rmap().register(this);
    }

    /** The address space these tables belong to. */
    public AddressSpace owner() {
        return owner;
    }

    void setOwner(AddressSpace mm) {
        owner = mm;
    }

    public long root() {
        return root;
    }

    public int asid() {
        return asid;
    }

    public FrameAllocator frames() {
        return frames;
    }

    public Mmu mmu() {
        return mmu;
    }

    public int vaBits() {
        return vaBits;
    }

    public int t0sz() {
        return t0sz;
    }

    /**
     * The TTBR0_EL1 value that selects these tables: BADDR only. With TCR.A1=1 the ASID
     * lives in TTBR1_EL1 ({@link TranslationRegime#ttbr1}), as Linux's {@code cpu_do_switch_mm} does.
     */
    public long ttbr0() {
        return root;
    }

    /** Table frames in use, the root included (Linux's VmPTE in pages). */
    public int tableFrames() {
        return tableFrames;
    }

    /** User pages with a present entry now, the shared zero page not counted (RSS). */
    public long residentPages() {
        return residentPages;
    }

    public long peakResidentPages() {
        return peakResidentPages;
    }

    /** MM_SWAPENTS: pages of this address space that are swapped out (VmSwap). */
    public long swapEntries() {
        return swapEntries;
    }

    /**
     * A page is present if its entry is valid, or invalid but marked PTE_PROT_NONE:
     * Linux keeps the frame of a PROT_NONE page behind an entry the MMU rejects.
     */
    public static boolean isPresent(long pte) {
        return PteState.isPresent(pte);
    }

    /** The entry holds a swap entry ({@link SwapPte}): the page is on the swap device or in the swap cache. */
    public static boolean isSwap(long pte) {
        return PteState.of(pte) == PteState.SWAP;
    }

    /**
     * Linux {@code pte_special}: the entry maps a page no process owns, the shared zero
     * page. It is neither freed on unmap nor counted as resident (RSS).
     */
    public static boolean isSpecial(long pte) {
        return (pte & Descriptor.SW_SPECIAL) != 0;
    }

    /** A present entry that maps a page of the process's own (counted in RSS). */
    private static boolean isResident(long pte) {
        return isPresent(pte) && !isSpecial(pte);
    }

    /** The physical frame of a present entry. */
    public static long frameOf(long pte) {
        return pte & Descriptor.OA_MASK_PAGE;
    }

    /** The level 3 entry for {@code va}, or 0 when no table leads there. */
    public long pte(long va) {
        long slot = slot(va);
        return slot < 0 ? 0 : ram.read64(slot);
    }

    /**
     * Installs {@code pte} as the level 3 entry for {@code va}, allocating the tables on
     * the way down as needed.
     */
    public void set(long va, long pte) throws OutOfFramesException {
        long slot = allocatingSlot(va);
        write(slot, va, ram.read64(slot), pte);
    }

    /**
     * Replaces the existing entry for {@code va} without allocating tables (reclaim's test
     * of the access flag and its unmap, which must never allocate): the table must exist.
     */
    void update(long va, long pte) {
        long slot = slot(va);
        if (slot < 0) {
            throw new IllegalStateException(String.format("no page table for 0x%x in ASID %d", va, asid));
        }
        write(slot, va, ram.read64(slot), pte);
    }

    /** {@code pte_alloc}: makes sure the tables down to {@code va}'s level 3 entry exist. */
    public void prepare(long va) throws OutOfFramesException {
        allocatingSlot(va);
    }

    /** Clears the entry for {@code va} and returns what it held; the frame or slot is the caller's. */
    public long clear(long va) {
        long slot = slot(va);
        if (slot < 0) {
            return 0;
        }
        long old = ram.read64(slot);
        write(slot, va, old, 0);
        return old;
    }

    private void write(long slot, long va, long old, long pte) {
        boolean oaChanges = Descriptor.isValid(old) && Descriptor.isValid(pte) && frameOf(old) != frameOf(pte);
        if (oaChanges) {
            // Break-before-make (ARM ARM D8.14): never let two translations for one VA coexist.
            ram.write64(slot, 0);
            flush(va);
        }
        ram.write64(slot, pte);
        if (Descriptor.isValid(old) && !oaChanges) {
            flush(va);
        }
        boolean wasResident = isResident(old);
        boolean isResident = isResident(pte);
        // page_mapcount and the reverse map follow the entries exactly: each entry that maps a frame counts once.
        if (wasResident && (!isResident || frameOf(old) != frameOf(pte))) {
            frames.unmapped(frameOf(old), this, va);
        }
        if (isResident && (!wasResident || frameOf(old) != frameOf(pte))) {
            frames.mapped(frameOf(pte), this, va);
        }
        if (isResident && !wasResident) {
            residentPages++;
            peakResidentPages = Math.max(peakResidentPages, residentPages);
        } else if (wasResident && !isResident) {
            residentPages--;
        }
        boolean wasSwap = isSwap(old);
        boolean nowSwap = isSwap(pte);
        if (nowSwap && !wasSwap) {
            swapEntries++;
        } else if (wasSwap && !nowSwap) {
            swapEntries--;
        }
    }

    private void flush(long va) {
        mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(va, asid));
    }

    /** Physical address of the level 3 entry for {@code va}, or -1 when a table is missing. */
    private long slot(long va) {
        checkVa(va);
        long table = root;
        for (int level = startLevel; level < Descriptor.LAST_LEVEL; level++) {
            long desc = ram.read64(entryAddress(table, va, level));
            if (!Descriptor.isValid(desc)) {
                return -1;
            }
            table = nextLevel(desc, level, va);
        }
        return entryAddress(table, va, Descriptor.LAST_LEVEL);
    }

    /** Physical address of the level 3 entry for {@code va}, creating missing tables. */
    private long allocatingSlot(long va) throws OutOfFramesException {
        checkVa(va);
        long table = root;
        for (int level = startLevel; level < Descriptor.LAST_LEVEL; level++) {
            long entryPa = entryAddress(table, va, level);
            long desc = ram.read64(entryPa);
            if (!Descriptor.isValid(desc)) {
                long next = frames.allocate(FrameAllocator.PageKind.PAGE_TABLE);
                tableFrames++;
                ram.write64(entryPa, Descriptor.table(next));
                table = next;
            } else {
                table = nextLevel(desc, level, va);
            }
        }
        return entryAddress(table, va, Descriptor.LAST_LEVEL);
    }

    private long entryAddress(long table, long va, int level) {
        return table + (long) Descriptor.index(va, level, t0sz) * Descriptor.DESCRIPTOR_BYTES;
    }

    private static long nextLevel(long desc, int level, long va) {
        if (!Descriptor.isTable(desc, level)) {
            throw new IllegalStateException(String.format(
                    "user page tables hold a non-table entry at level %d for 0x%x: %s",
                    level, va, Descriptor.describe(desc, level)));
        }
        return Descriptor.nextTable(desc);
    }

    private void checkVa(long va) {
        if (va < 0 || (vaBits < 64 && (va >>> vaBits) != 0)) {
            throw new IllegalArgumentException(String.format("0x%x is not a %d-bit user address", va, vaBits));
        }
    }

    /**
     * Calls {@code visitor} for every present page in [start, end) (valid or PROT_NONE) and
     * stores what it returns, with the TLB maintenance {@link #set} does. Table frames left
     * empty by cleared entries are freed. Swap entries are not visited.
     */
    public void forEachPresent(long start, long end, PteVisitor visitor) {
        if (start >= end) {
            return;
        }
        visit(root, startLevel, 0, start, end, visitor, Visit.PRESENT);
    }

    /**
     * Calls {@code visitor} for every entry in [start, end) that is not none: present pages
     * and swap entries alike, each told apart by {@link PteState#of}.
     */
    public void forEachEntry(long start, long end, PteVisitor visitor) {
        if (start >= end) {
            return;
        }
        visit(root, startLevel, 0, start, end, visitor, Visit.NOT_NONE);
    }

    /** Returns true if the table at {@code table} became empty. */
    private boolean visit(long table, int level, long tableVa, long start, long end, PteVisitor visitor,
                          Visit which) {
        long span = Descriptor.bytesMappedAt(level);
        int entries = level == startLevel ? Descriptor.startLevelEntries(t0sz) : Descriptor.ENTRIES_PER_TABLE;
        int first = (int) Math.max(0, (start - tableVa) / span);
        long last = Math.min(entries - 1, (end - 1 - tableVa) / span);
        for (int i = first; i <= last; i++) {
            long entryPa = table + (long) i * Descriptor.DESCRIPTOR_BYTES;
            long entryVa = tableVa + i * span;
            long desc = ram.read64(entryPa);
            if (level == Descriptor.LAST_LEVEL) {
                if (which == Visit.PRESENT ? isPresent(desc) : desc != 0) {
                    long replacement = visitor.visit(entryVa, desc);
                    if (replacement != desc) {
                        write(entryPa, entryVa, desc, replacement);
                    }
                }
            } else if (Descriptor.isTable(desc, level)) {
                long next = Descriptor.nextTable(desc);
                if (visit(next, level + 1, entryVa, start, end, visitor, which)) {
                    // The TLB caches complete translations only, and every leaf below was
                    // flushed as it was cleared, so the table can go without another TLBI.
                    ram.write64(entryPa, 0);
                    frames.free(next);
                    tableFrames--;
                }
            }
        }
        if (table == root) {
            return false;
        }
        for (int i = 0; i < Descriptor.ENTRIES_PER_TABLE; i++) {
            if (ram.read64(table + (long) i * Descriptor.DESCRIPTOR_BYTES) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unmaps every page in [start, end) and drops the entries' frame references, and the
     * swap references of swap entries (Linux {@code zap_pte_range} with
     * {@code free_swap_and_cache}). A dirty entry of a page-cache page passes its dirtiness
     * to the page ({@code set_page_dirty}), so that write-back still finds it.
     */
    public void zap(long start, long end) {
        PteList removed = new PteList();
        forEachEntry(start, end, (va, pte) -> {
            removed.add(pte);
            return 0;
        });
        // After the entries are gone, so that the map counts are already down.
        for (int i = 0; i < removed.size; i++) {
            release(removed.ptes[i]);
        }
    }

    /** A growing list of entries, unboxed (munmap of a large area removes many). */
    private static final class PteList {
        long[] ptes = new long[64];
        int size;

        void add(long pte) {
            if (size == ptes.length) {
                ptes = java.util.Arrays.copyOf(ptes, size * 2);
            }
            ptes[size++] = pte;
        }
    }

    /** Clears one entry and drops its frame or swap reference, as {@link #zap} does for a range. */
    public void zapPage(long va) {
        long old = clear(va);
        if (old != 0) {
            release(old);
        }
    }

    /**
     * Drops what a removed entry held: its frame reference, after saving the dirty state in
     * the page (a page-cache page stays in the cache, unmapped, until reclaim takes it); or
     * its swap slot reference ({@code free_swap_and_cache}).
     */
    void release(long pte) {
        switch (PteState.of(pte)) {
            case NONE -> { }
            case SWAP -> frames.freeSwapEntry(SwapPte.offset(pte));
            case PRESENT, PROT_NONE -> {
                if (isSpecial(pte)) {
                    return;
                }
                long frame = frameOf(pte);
                FrameAllocator.PageKind kind = frames.kind(frame);
                if (kind == FrameAllocator.PageKind.FILE || kind == FrameAllocator.PageKind.SHMEM) {
                    if (ProtectionMap.isDirty(pte)) {
                        frames.setDirty(frame, true);
                    }
                    // zap_pte_range: a page-cache page used through this entry counts as accessed.
                    if (ProtectionMap.isYoung(pte) && frames.vmscan() != null) {
                        frames.vmscan().markAccessed(frame);
                    }
                }
                if (frames.mapcount(frame) == 0) {
                    if (frames.isMlocked(frame)) {
                        frames.setMlocked(frame, false);
                    }
                    if (frames.kind(frame) == FrameAllocator.PageKind.FILE) {
                        frames.pageCache().lastUnmapped(frame);
                    }
                    frames.freeSwapCacheIfUnmapped(frame);
                }
                frames.put(frame);
            }
        }
    }

    /** Frees every frame, table frames and the root included; the tables are gone after. */
    public void destroy() {
        zap(0, 1L << vaBits);
        frames.free(root);
        tableFrames--;
        frames.rmap().unregister(this);
    }
}
