package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import org.junit.jupiter.api.Test;

class DupMmapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc parent = Proc.first(m);

    @Test
    void childAndParentWritesAfterForkStayPrivateToEachSide() throws Exception {
        long a = parent.run().map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 111);
        Proc child = parent.fork(2);
        assertEquals(111, child.run().user.read64(a), "the child sees what the parent wrote before fork");
        child.user.write64(a, 222);
        assertEquals(111, parent.run().user.read64(a), "the child's write is its own");
        parent.user.write64(a, 333);
        assertEquals(222, child.run().user.read64(a), "the parent's write is its own");
        assertEquals(1, child.faults.cowFaults());
    }

    @Test
    void forkMakesBothEntriesReadOnlyAndSharesTheFrame() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 1);
        long frame = PageTables.frameOf(m.pt.pte(a));
        Proc child = parent.fork(2);
        long p = m.pt.pte(a);
        long c = child.mm.pageTables().pte(a);
        assertEquals(frame, PageTables.frameOf(c));
        assertTrue(Descriptor.rdonly(p) && Descriptor.rdonly(c));
        assertEquals(2, m.frames.mapcount(frame));
        assertEquals(2, m.frames.refcount(frame));
        assertFalse(Descriptor.af(c), "the child's entries start old");
    }

    @Test
    void theParentsCachedWritableTranslationIsInvalidatedAtFork() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 1);
        m.mmu.translate(a, AccessType.WRITE, 0);
        parent.fork(2);
        parent.run();
        GuestException e = assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.WRITE, 0));
        assertEquals(Fault.Kind.PERMISSION, e.fault.kind());
    }

    @Test
    void aCopyOnWritePageIsReusedOnceTheOtherSideHasGone() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 5);
        long frame = PageTables.frameOf(m.pt.pte(a));
        Proc child = parent.fork(2);
        child.mm.release();
        assertEquals(1, m.frames.mapcount(frame));
        parent.run().user.write64(a, 6);
        assertEquals(frame, PageTables.frameOf(m.pt.pte(a)), "no copy when the page is the parent's alone");
        assertEquals(1, parent.faults.cowFaults());
        assertEquals(6, parent.user.read64(a));
    }

    @Test
    void sharedAnonymousMemoryStaysSharedIncludingPagesFirstTouchedAfterFork() throws Exception {
        long a = parent.run().map.mmap(0, 2 * PAGE, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        parent.user.write64(a, 7);
        Proc child = parent.fork(2);
        child.run().user.write64(a, 8);
        child.user.write64(a + PAGE, 9);
        parent.run();
        assertEquals(8, parent.user.read64(a));
        assertEquals(9, parent.user.read64(a + PAGE));
    }

    @Test
    void releasingTheChildGivesBackEveryFrameItTook() throws Exception {
        long a = parent.run().map.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        int before = m.frames.usedFrames();
        Proc child = parent.fork(2);
        child.run().user.write64(a, 42);
        child.mm.release();
        assertEquals(before, m.frames.usedFrames());
    }

    @Test
    void dontForkAreasAreLeftOutAndWipeOnForkAreasStartEmpty() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        long b = parent.map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 1);
        parent.user.write64(b, 2);
        assertEquals(0, parent.map.madvise(a, PAGE, Mman.MADV_DONTFORK));
        assertEquals(0, parent.map.madvise(b, PAGE, Mman.MADV_WIPEONFORK));
        Proc child = parent.fork(2);
        assertNull(child.mm.find(a));
        assertEquals(0, child.run().user.read64(b));
        assertEquals(2, parent.run().user.read64(b));
    }

    @Test
    void mlockIsNotInherited() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        assertEquals(0, parent.map.mlock(a, PAGE, 0));
        Proc child = parent.fork(2);
        assertTrue(parent.mm.find(a).isLocked());
        assertFalse(child.mm.find(a).isLocked());
    }

    @Test
    void theChildsFirstAccessTakesAnAccessFlagFault() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 3);
        Proc child = parent.fork(2);
        assertEquals(3, child.run().user.read64(a));
        assertEquals(1, child.faults.accessFlagFaults());
        assertTrue(Descriptor.af(child.mm.pageTables().pte(a)));
        assertNotEquals(0, child.faults.counts().resolved());
    }

    @Test
    void readingInTheParentAfterForkDoesNotCopy() throws BadUserAddressException, OutOfFramesException {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 3);
        long frame = PageTables.frameOf(m.pt.pte(a));
        parent.fork(2);
        assertEquals(3, parent.run().user.read64(a));
        assertEquals(frame, PageTables.frameOf(m.pt.pte(a)));
    }
}
