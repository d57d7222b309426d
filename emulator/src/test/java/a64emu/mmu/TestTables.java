package a64emu.mmu;

import a64emu.memory.PhysicalMemory;

/**
 * Builds stage-1 translation tables in emulated RAM for the tests, with {@link Descriptor}
 * doing every encoding. Tables come from a bump allocator; RAM never written reads as
 * zero, so fresh tables are all-invalid.
 */
final class TestTables {
    final PhysicalMemory ram;
    final int txsz;
    final long root;
    private long nextFree;

    TestTables(PhysicalMemory ram, long firstFreePa, int vaBits) {
        this.ram = ram;
        this.txsz = 64 - vaBits;
        this.nextFree = firstFreePa;
        this.root = allocateTable();
    }

    /**
     * An MMU translating TTBR0 through these tables with the given ASID: T0SZ from the
     * tables' VA size, 16-bit ASIDs from TTBR0, 48-bit IPS, SCTLR.M=1, plus {@code extraTcr}.
     */
    Mmu mmu(int asid, long extraTcr) {
        Mmu mmu = new Mmu(ram);
        mmu.setTcr(Tcr.t0sz(64 - txsz) | Tcr.t1sz(48) | Tcr.TG1_4K_FIELD | Tcr.ips(48) | Tcr.AS | extraTcr);
        mmu.setTtbr0(root | ((long) asid << Mmu.TTBR_ASID_SHIFT));
        mmu.setSctlr(Mmu.SCTLR_M);
        return mmu;
    }

    long allocateTable() {
        long pa = nextFree;
        nextFree += Descriptor.TABLE_BYTES;
        return pa;
    }

    int startLevel() {
        return Descriptor.startLevel(txsz);
    }

    /** Maps one 4 KiB page; returns the PA of its level 3 descriptor. */
    long mapPage(long va, long pa, long attrs) {
        long slot = slot(va, Descriptor.LAST_LEVEL, true);
        ram.write64(slot, Descriptor.page(pa, attrs));
        return slot;
    }

    /** Maps a 1 GiB (level 1) or 2 MiB (level 2) block; returns its descriptor's PA. */
    /** Writes {@code pte} as it is into the level 3 entry of {@code va} (an invalid one, say). */
    long setPte(long va, long pte) {
        long slot = slot(va, Descriptor.LAST_LEVEL, true);
        ram.write64(slot, pte);
        return slot;
    }

    long mapBlock(long va, long pa, int level, long attrs) {
        long slot = slot(va, level, true);
        ram.write64(slot, Descriptor.block(pa, level, attrs));
        return slot;
    }

    /** PA of the descriptor for {@code va} at {@code level}, creating tables above it. */
    long slot(long va, int level, boolean create) {
        long table = root;
        for (int l = startLevel(); ; l++) {
            long entry = table + 8L * Descriptor.index(va, l, txsz);
            if (l == level) {
                return entry;
            }
            long desc = ram.read64(entry);
            if (!Descriptor.isTable(desc, l)) {
                if (!create) {
                    throw new IllegalStateException("no table at level " + l + " for 0x" + Long.toHexString(va));
                }
                long next = allocateTable();
                desc = Descriptor.table(next);
                ram.write64(entry, desc);
            }
            table = Descriptor.nextTable(desc);
        }
    }

    long read(long va, int level) {
        return ram.read64(slot(va, level, false));
    }

    /** Writes the descriptor for {@code va} at {@code level}, creating tables above it. */
    void write(long va, int level, long desc) {
        ram.write64(slot(va, level, true), desc);
    }

    /** Adds hierarchical attributes to the table descriptor at {@code level} on the path to {@code va}. */
    void addTableAttrs(long va, int level, long attrs) {
        long slot = slot(va, level, false);
        ram.write64(slot, ram.read64(slot) | attrs);
    }
}
