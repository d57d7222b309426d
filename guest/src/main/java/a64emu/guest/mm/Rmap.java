package a64emu.guest.mm;

import java.util.HashMap;
import java.util.Map;

/**
 * The reverse map: for each frame, the page entries that map it, so that reclaim can test
 * and clear every mapping's access flag ({@code folio_referenced}) and unmap a page from
 * every address space that holds it ({@code try_to_unmap}), as Linux's {@code mm/rmap.c}
 * does through anon_vma and the file's i_mmap tree.
 *
 * <p>Linux finds the candidate areas and then checks each one's entry; here each mapping is
 * recorded exactly, by {@link PageTables} as it writes entries, so the list always equals
 * the entries in RAM (the same rule that keeps {@code page_mapcount} exact). A mapping is
 * one long: the address space's ASID (unique among live address spaces) above the virtual
 * page number. Most frames have one mapping, kept in an array; frames shared by fork or
 * by several mappings of a file keep the rest in a side table.
 */
final class Rmap {
    /** A visitor of one frame's mappings. */
    @FunctionalInterface
    interface MappingVisitor {
        /** Returns false to stop the walk. */
        boolean visit(PageTables tables, long va);
    }

    private static final int VPN_BITS = 36;
    private static final long VPN_MASK = (1L << VPN_BITS) - 1;

    /** The first mapping of each frame, or 0 (ASID 0 is never used, so no mapping is 0). */
    private final long[] first;
    /** The further mappings of frames mapped more than once. */
    private final Map<Integer, long[]> more = new HashMap<>();
    /** Live page tables by ASID. */
    private final PageTables[] byAsid;

    Rmap(int frames, int asids) {
        first = new long[frames];
        byAsid = new PageTables[asids];
    }

    void register(PageTables pt) {
        if (byAsid[pt.asid()] != null && byAsid[pt.asid()] != pt) {
            throw new IllegalStateException("ASID " + pt.asid() + " belongs to two live address spaces");
        }
        byAsid[pt.asid()] = pt;
    }

    void unregister(PageTables pt) {
        if (byAsid[pt.asid()] == pt) {
            byAsid[pt.asid()] = null;
        }
    }

    private static long key(PageTables pt, long va) {
        return ((long) pt.asid() << VPN_BITS) | (va >>> VmLayout.PAGE_SHIFT);
    }

    /** {@code page_add_*_rmap}: the entry for {@code va} in {@code pt} now maps frame {@code pfn}. */
    void add(int pfn, PageTables pt, long va) {
        long k = key(pt, va);
        if (first[pfn] == 0) {
            first[pfn] = k;
            return;
        }
        long[] rest = more.get(pfn);
        if (rest == null) {
            rest = new long[] {1, k, 0, 0};
            more.put(pfn, rest);
            return;
        }
        int n = (int) rest[0];
        if (n + 1 == rest.length) {
            rest = java.util.Arrays.copyOf(rest, rest.length * 2);
            more.put(pfn, rest);
        }
        rest[n + 1] = k;
        rest[0] = n + 1;
    }

    /** {@code page_remove_rmap}. */
    void remove(int pfn, PageTables pt, long va) {
        long k = key(pt, va);
        // Most frames are mapped once: no side table to box a key for.
        long[] rest = more.isEmpty() ? null : more.get(pfn);
        if (first[pfn] == k) {
            if (rest == null) {
                first[pfn] = 0;
            } else {
                first[pfn] = takeLast(pfn, rest);
            }
            return;
        }
        if (rest != null) {
            int n = (int) rest[0];
            for (int i = 1; i <= n; i++) {
                if (rest[i] == k) {
                    rest[i] = rest[n];
                    rest[0] = n - 1;
                    if (n == 1) {
                        more.remove(pfn);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException(String.format(
                "reverse map of frame 0x%x has no entry for 0x%x in ASID %d", (long) pfn << VmLayout.PAGE_SHIFT,
                va, pt.asid()));
    }

    private long takeLast(int pfn, long[] rest) {
        int n = (int) rest[0];
        long last = rest[n];
        rest[0] = n - 1;
        if (n == 1) {
            more.remove(pfn);
        }
        return last;
    }

    /**
     * Calls {@code visitor} for each mapping of {@code pfn} ({@code rmap_walk}). The mappings
     * are copied first, so the visitor may change entries of this frame.
     */
    void forEach(int pfn, MappingVisitor visitor) {
        long f = first[pfn];
        if (f == 0) {
            return;
        }
        long[] rest = more.get(pfn);
        if (rest == null) {
            visit(f, visitor);
            return;
        }
        int n = (int) rest[0];
        long[] all = new long[n + 1];
        all[0] = f;
        System.arraycopy(rest, 1, all, 1, n);
        for (long k : all) {
            if (!visit(k, visitor)) {
                return;
            }
        }
    }

    private boolean visit(long k, MappingVisitor visitor) {
        PageTables pt = byAsid[(int) (k >>> VPN_BITS)];
        if (pt == null) {
            throw new IllegalStateException("reverse map names a dead address space: ASID " + (k >>> VPN_BITS));
        }
        return visitor.visit(pt, (k & VPN_MASK) << VmLayout.PAGE_SHIFT);
    }

    /** Whether {@code pfn} is mapped anywhere. */
    boolean isMapped(int pfn) {
        return first[pfn] != 0;
    }
}
