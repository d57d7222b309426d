package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Lru.ListId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LRU lists against Linux 6.1 {@code include/linux/mm_inline.h} ({@code lruvec_add_folio}
 * adds at the head, {@code lruvec_add_folio_tail} at the tail, {@code lru_to_folio} takes the
 * tail) and {@code mm/swap.c} ({@code folio_add_lru}: new pages start inactive; mlocked pages
 * are unevictable; {@code lru_lazyfree_fn}: MADV_FREE pages go to the inactive file list).
 */
class LruTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    /** The list from tail (next for reclaim) to head. */
    private static List<Integer> tailToHead(Lru lru, ListId list) {
        List<Integer> out = new ArrayList<>();
        for (int p = lru.tail(list); p != -1; p = lru.towardsHead(p)) {
            out.add(p);
        }
        return out;
    }

    @Test
    void enumOrderIsLinuxEnumLruList() {
        // enum lru_list: LRU_INACTIVE_ANON 0, LRU_ACTIVE_ANON 1, LRU_INACTIVE_FILE 2, LRU_ACTIVE_FILE 3, LRU_UNEVICTABLE 4.
        assertEquals(0, ListId.INACTIVE_ANON.ordinal());
        assertEquals(1, ListId.ACTIVE_ANON.ordinal());
        assertEquals(2, ListId.INACTIVE_FILE.ordinal());
        assertEquals(3, ListId.ACTIVE_FILE.ordinal());
        assertEquals(4, ListId.UNEVICTABLE.ordinal());
        assertEquals(ListId.ACTIVE_FILE, ListId.of(true, true));
        assertEquals(ListId.INACTIVE_ANON, ListId.of(false, false));
        assertEquals(ListId.INACTIVE_FILE, ListId.ACTIVE_FILE.inactive());
        assertEquals(ListId.ACTIVE_ANON, ListId.INACTIVE_ANON.active());
    }

    @Test
    void pagesAddedAtTheHeadLeaveFromTheTailInTheOrderTheyCame() {
        Lru lru = new Lru(16);
        lru.addHead(3, ListId.INACTIVE_ANON);
        lru.addHead(5, ListId.INACTIVE_ANON);
        lru.addHead(7, ListId.INACTIVE_ANON);
        // lru_to_folio is the tail: the page added first is the first reclaim looks at.
        assertEquals(List.of(3, 5, 7), tailToHead(lru, ListId.INACTIVE_ANON));
        assertEquals(3, lru.size(ListId.INACTIVE_ANON));
        assertEquals(ListId.INACTIVE_ANON, lru.listOf(5));
    }

    @Test
    void addTailPutsAPageFirstInLineForReclaim() {
        Lru lru = new Lru(16);
        lru.addHead(3, ListId.INACTIVE_FILE);
        lru.addHead(5, ListId.INACTIVE_FILE);
        lru.addTail(9, ListId.INACTIVE_FILE);
        assertEquals(9, lru.tail(ListId.INACTIVE_FILE));
        assertEquals(List.of(9, 3, 5), tailToHead(lru, ListId.INACTIVE_FILE));
    }

    @Test
    void removingFromTheMiddleHeadAndTailKeepsTheLinksAndSizes() {
        Lru lru = new Lru(16);
        for (int p = 1; p <= 5; p++) {
            lru.addHead(p, ListId.ACTIVE_ANON);
        }
        lru.remove(3);
        assertEquals(List.of(1, 2, 4, 5), tailToHead(lru, ListId.ACTIVE_ANON));
        lru.remove(1);
        lru.remove(5);
        assertEquals(List.of(2, 4), tailToHead(lru, ListId.ACTIVE_ANON));
        assertEquals(2, lru.size(ListId.ACTIVE_ANON));
        assertFalse(lru.contains(3));
        assertNull(lru.listOf(3));
        lru.remove(3); // not on a list: nothing happens
        assertEquals(2, lru.size(ListId.ACTIVE_ANON));
        lru.remove(2);
        lru.remove(4);
        assertEquals(-1, lru.tail(ListId.ACTIVE_ANON));
        assertEquals(0, lru.size(ListId.ACTIVE_ANON));
    }

    @Test
    void moveHeadTakesAPageToTheHeadOfAnotherList() {
        Lru lru = new Lru(16);
        lru.addHead(1, ListId.INACTIVE_ANON);
        lru.addHead(2, ListId.INACTIVE_ANON);
        lru.addHead(3, ListId.ACTIVE_ANON);
        lru.moveHead(1, ListId.ACTIVE_ANON);
        assertEquals(List.of(2), tailToHead(lru, ListId.INACTIVE_ANON));
        assertEquals(List.of(3, 1), tailToHead(lru, ListId.ACTIVE_ANON));
        assertEquals(1, lru.size(ListId.INACTIVE_ANON));
        assertEquals(2, lru.size(ListId.ACTIVE_ANON));
    }

    @Test
    void aPageIsOnOneListAtATime() {
        Lru lru = new Lru(16);
        lru.addHead(4, ListId.INACTIVE_FILE);
        assertThrows(IllegalStateException.class, () -> lru.addHead(4, ListId.ACTIVE_FILE));
        assertThrows(IllegalStateException.class, () -> lru.addTail(4, ListId.INACTIVE_FILE));
    }

    // ---- which list a page joins (folio_add_lru, folio_lru_list) ----------------------

    @Test
    void aNewAnonymousPageGoesToTheHeadOfTheInactiveAnonList() throws Exception {
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        m.user.write64(a + PAGE, 2);
        int first = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a)));
        int second = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a + PAGE)));
        Lru lru = m.frames.lru();
        assertEquals(ListId.INACTIVE_ANON, lru.listOf(first));
        assertEquals(List.of(first, second), tailToHead(lru, ListId.INACTIVE_ANON));
        assertFalse(m.frames.isActive(FrameAllocator.address(first)));
    }

    @Test
    void aPageCachePageGoesToTheInactiveFileList() throws Exception {
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE,
                new MemoryMap.MappableFile(TestMachine.bytes(new byte[(int) PAGE]), "/data", true, false), 0);
        m.user.read64(a);
        int pfn = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a)));
        assertEquals(ListId.INACTIVE_FILE, m.frames.lru().listOf(pfn));
    }

    @Test
    void pageTablesAndTheZeroPageAreOnNoList() throws Exception {
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        assertEquals(0, m.user.read64(a)); // maps the zero page
        Lru lru = m.frames.lru();
        long onLists = 0;
        for (ListId l : ListId.values()) {
            onLists += lru.size(l);
        }
        assertEquals(0, onLists);
        assertFalse(lru.contains(FrameAllocator.pfn(m.pt.root())));
    }

    @Test
    void anMlockedPageIsOnTheUnevictableListAndReturnsOnMunlock() throws Exception {
        TestMachine m = new TestMachine(48);
        m.memoryMap.setPrivileged(true);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        int pfn = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a)));
        assertEquals(0, m.memoryMap.mlock(a, PAGE, 0));
        assertEquals(ListId.UNEVICTABLE, m.frames.lru().listOf(pfn));
        assertEquals(0, m.memoryMap.munlock(a, PAGE));
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(pfn));
    }

    @Test
    void anActivePageThatIsMlockedAndMunlockedComesBackInactive() throws Exception {
        // 6.1 mm/mlock.c __mlock_folio: lruvec_del_folio, folio_clear_active, folio_set_unevictable;
        // __munlock_folio then adds it back with PG_active clear, so it returns to the inactive list.
        TestMachine m = new TestMachine(48);
        m.memoryMap.setPrivileged(true);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        long pa = PageTables.frameOf(m.pt.pte(a));
        int pfn = FrameAllocator.pfn(pa);
        m.frames.setActive(pa, true);
        m.frames.lruPutback(pfn);
        assertEquals(ListId.ACTIVE_ANON, m.frames.lru().listOf(pfn));
        assertEquals(0, m.memoryMap.mlock(a, PAGE, 0));
        assertFalse(m.frames.isActive(pa), "PG_active is cleared when the folio becomes unevictable");
        assertEquals(0, m.memoryMap.munlock(a, PAGE));
        assertEquals(ListId.INACTIVE_ANON, m.frames.lru().listOf(pfn));
    }

    @Test
    void anMadvFreePageMovesToTheInactiveFileListWithActiveAndReferencedCleared() throws Exception {
        // lru_lazyfree_fn: del, clear active and referenced, clear swapbacked, add (head of inactive file).
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        long pa = PageTables.frameOf(m.pt.pte(a));
        m.frames.setReferenced(pa, true);
        assertEquals(0, m.memoryMap.madvise(a, PAGE, Mman.MADV_FREE));
        assertEquals(ListId.INACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(pa)));
        assertFalse(m.frames.isReferenced(pa));
        assertTrue(m.frames.isLazyFree(pa));
        assertEquals(1, m.frames.events().get(VmEvents.Event.PGLAZYFREE));
    }

    @Test
    void aFreedPageLeavesItsList() throws Exception {
        TestMachine m = new TestMachine(48);
        long a = m.memoryMap.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        int pfn = FrameAllocator.pfn(PageTables.frameOf(m.pt.pte(a)));
        assertEquals(0, m.memoryMap.munmap(a, PAGE));
        assertFalse(m.frames.lru().contains(pfn));
        assertEquals(0, m.frames.lru().size(ListId.INACTIVE_ANON));
    }
}
