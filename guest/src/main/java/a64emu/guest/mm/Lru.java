package a64emu.guest.mm;

/**
 * The node's LRU lists (Linux {@code struct lruvec} with {@code enum lru_list}, the list
 * operations of {@code include/linux/mm_inline.h}): every evictable page of a process or
 * of the page cache is on exactly one list, and reclaim scans the lists from their tails.
 *
 * <p>As in Linux, a page is added at the head ({@code lruvec_add_folio}: {@code list_add})
 * and reclaim takes from the tail ({@code lru_to_folio}), so the tail holds the pages that
 * went longest without being put back. New anonymous and page-cache pages go to the
 * inactive lists ({@code folio_add_lru}); mlocked pages to the unevictable one.
 *
 * <p>The lists are intrusive and indexed by page frame number (two int arrays of links),
 * so adding, moving and removing a page costs no allocation, as {@code page->lru} does not.
 */
public final class Lru {
    /** Linux {@code enum lru_list}, in its order. */
    public enum ListId {
        INACTIVE_ANON, ACTIVE_ANON, INACTIVE_FILE, ACTIVE_FILE, UNEVICTABLE;

        private static final ListId[] VALUES = values();

        /** The list for a page: anon or file, active or not ({@code folio_lru_list}). */
        public static ListId of(boolean file, boolean active) {
            return VALUES[(file ? 2 : 0) + (active ? 1 : 0)];
        }

        public boolean isFile() {
            return this == INACTIVE_FILE || this == ACTIVE_FILE;
        }

        public boolean isActive() {
            return this == ACTIVE_ANON || this == ACTIVE_FILE;
        }

        /** The inactive list of the same type. */
        public ListId inactive() {
            return isFile() ? INACTIVE_FILE : INACTIVE_ANON;
        }

        /** The active list of the same type. */
        public ListId active() {
            return isFile() ? ACTIVE_FILE : ACTIVE_ANON;
        }
    }

    private static final int NIL = -1;
    private static final byte OFF = -1;

    private final int[] next;
    private final int[] prev;
    /** Which list each page is on (its ordinal), or OFF. */
    private final byte[] on;
    private final int[] head = new int[ListId.VALUES.length];
    private final int[] tail = new int[ListId.VALUES.length];
    private final long[] size = new long[ListId.VALUES.length];

    public Lru(int frames) {
        next = new int[frames];
        prev = new int[frames];
        on = new byte[frames];
        java.util.Arrays.fill(on, OFF);
        java.util.Arrays.fill(head, NIL);
        java.util.Arrays.fill(tail, NIL);
    }

    /** Whether page {@code pfn} is on some list (PG_lru). */
    public boolean contains(int pfn) {
        return on[pfn] != OFF;
    }

    /** The list {@code pfn} is on, or null. */
    public ListId listOf(int pfn) {
        return on[pfn] == OFF ? null : ListId.VALUES[on[pfn]];
    }

    /** Pages on {@code list} ({@code lruvec_page_state}: NR_INACTIVE_ANON and so on). */
    public long size(ListId list) {
        return size[list.ordinal()];
    }

    /** {@code lruvec_add_folio}: {@code pfn}, on no list, goes to the head of {@code list}. */
    public void addHead(int pfn, ListId list) {
        if (on[pfn] != OFF) {
            throw new IllegalStateException("page " + pfn + " is already on " + listOf(pfn));
        }
        int l = list.ordinal();
        int h = head[l];
        next[pfn] = h;
        prev[pfn] = NIL;
        if (h != NIL) {
            prev[h] = pfn;
        } else {
            tail[l] = pfn;
        }
        head[l] = pfn;
        on[pfn] = (byte) l;
        size[l]++;
    }

    /** {@code lruvec_add_folio_tail}: at the tail, first in line for reclaim. */
    public void addTail(int pfn, ListId list) {
        if (on[pfn] != OFF) {
            throw new IllegalStateException("page " + pfn + " is already on " + listOf(pfn));
        }
        int l = list.ordinal();
        int t = tail[l];
        prev[pfn] = t;
        next[pfn] = NIL;
        if (t != NIL) {
            next[t] = pfn;
        } else {
            head[l] = pfn;
        }
        tail[l] = pfn;
        on[pfn] = (byte) l;
        size[l]++;
    }

    /** {@code lruvec_del_folio}: off its list (no-op if on none). */
    public void remove(int pfn) {
        int l = on[pfn];
        if (l == OFF) {
            return;
        }
        int n = next[pfn];
        int p = prev[pfn];
        if (p != NIL) {
            next[p] = n;
        } else {
            head[l] = n;
        }
        if (n != NIL) {
            prev[n] = p;
        } else {
            tail[l] = p;
        }
        on[pfn] = OFF;
        size[l]--;
    }

    /** Moves {@code pfn} to the head of {@code list}. */
    public void moveHead(int pfn, ListId list) {
        remove(pfn);
        addHead(pfn, list);
    }

    /** The page at the tail of {@code list} (the next one reclaim looks at), or -1. */
    public int tail(ListId list) {
        return tail[list.ordinal()];
    }

    /** The page after {@code pfn} towards the head, or -1. */
    public int towardsHead(int pfn) {
        return prev[pfn];
    }
}
