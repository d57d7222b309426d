package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.MemoryAccounting.ProcessMemoryStatus;
import a64emu.guest.mm.MemoryAccounting.SystemMemory;
import a64emu.guest.mm.MemoryAccounting.VmaUsage;
import org.junit.jupiter.api.Test;

class MemoryAccountingTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final Proc parent = Proc.first(m);

    private static VmaUsage at(AddressSpace mm, long va) {
        return MemoryAccounting.usage(mm).stream().filter(u -> u.vma().contains(va)).findFirst().orElseThrow();
    }

    @Test
    void pssIsHalvedForPagesAForkedPairShares() throws Exception {
        long a = parent.run().map.mmap(0, 4 * PAGE, RW, ANON, null, 0);
        for (int i = 0; i < 4; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        Proc child = parent.fork(2);
        VmaUsage p = at(parent.mm, a);
        VmaUsage c = at(child.mm, a);
        assertEquals(4 * PAGE, p.rss());
        assertEquals(2 * PAGE, VmaUsage.pssKb(p.pss()) * 1024, "4 pages each counted half");
        assertEquals(p.pss(), c.pss());
        assertEquals(4 * PAGE, p.sharedDirty(), "dirty before fork, mapped twice");
        assertEquals(0, p.privateDirty());
        // The child writes one page: it gets a copy, and both sides own one page outright.
        child.run().user.write64(a, 99);
        VmaUsage p2 = at(parent.mm, a);
        assertEquals((PAGE << MemoryAccounting.PSS_SHIFT) + 3 * (PAGE << MemoryAccounting.PSS_SHIFT) / 2, p2.pss());
        assertEquals(PAGE, p2.privateDirty());
        assertEquals(3 * PAGE, p2.sharedDirty());
        assertEquals(PAGE, at(child.mm, a).privateDirty());
    }

    @Test
    void theZeroPageIsNobodysMemory() throws Exception {
        long a = parent.run().map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        parent.user.read64(a);
        parent.user.write64(a + PAGE, 1);
        VmaUsage u = at(parent.mm, a);
        assertEquals(PAGE, u.rss());
        assertEquals(PAGE, u.anonymous());
        assertEquals(PAGE, u.privateDirty());
        assertEquals(PAGE, u.referenced());
        assertEquals(PAGE, u.uss());
    }

    @Test
    void lockedAndLazyFreeAreReported() throws Exception {
        long a = parent.run().map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        long b = parent.map.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        parent.user.write64(a, 1);
        parent.user.write64(b, 1);
        parent.user.write64(b + PAGE, 1);
        assertEquals(0, parent.map.mlock(a, 2 * PAGE, 0));
        assertEquals(0, parent.map.madvise(b, 2 * PAGE, Mman.MADV_FREE));
        assertEquals(PAGE, VmaUsage.pssKb(at(parent.mm, a).locked()) * 1024);
        assertEquals(2 * PAGE, at(parent.mm, b).lazyFree());
        assertEquals(PAGE, m.frames.countMlocked() * PAGE);
        parent.user.write64(b, 2);
        assertEquals(PAGE, at(parent.mm, b).lazyFree(), "a write cancels MADV_FREE for its page");
        assertEquals(2, parent.user.read64(b));
    }

    @Test
    void statusCountsRssDataStackAndPageTables() throws Exception {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, RW, Vma.VM_GROWSDOWN, "[stack]"));
        long a = parent.run().map.mmap(0, 8 * PAGE, RW, ANON, null, 0);
        long s = parent.map.mmap(0, PAGE, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        for (int i = 0; i < 3; i++) {
            parent.user.write64(a + i * PAGE, i);
        }
        parent.user.write64(s, 5);
        parent.user.write64(top - 8, 1);
        ProcessMemoryStatus st = MemoryAccounting.status(m.mm);
        assertEquals(32 * PAGE + 8 * PAGE + PAGE, st.vmSize());
        assertEquals(st.vmSize(), st.vmPeak());
        assertEquals(4 * PAGE, st.rssAnon());
        assertEquals(PAGE, st.rssShmem());
        assertEquals(5 * PAGE, st.vmRss());
        assertEquals(8 * PAGE, st.vmData());
        assertEquals(32 * PAGE, st.vmStk());
        assertEquals((m.pt.tableFrames() - 1) * PAGE, st.vmPte());
        assertEquals(5 * PAGE, st.vmHwm());
        assertEquals(0, parent.map.munmap(a, 8 * PAGE));
        ProcessMemoryStatus after = MemoryAccounting.status(m.mm);
        assertEquals(st.vmPeak(), after.vmPeak(), "VmPeak remembers");
        assertEquals(5 * PAGE, after.vmHwm(), "VmHWM remembers");
        assertEquals(2 * PAGE, after.vmRss());
        long[] statm = after.statm();
        assertEquals(33, statm[0]);
        assertEquals(2, statm[1]);
        assertEquals(1, statm[2], "shared: file and shmem pages");
    }

    @Test
    void meminfoCountsAnonymousMappedCachedAndPageTablePages() throws Exception {
        byte[] data = new byte[(int) (2 * PAGE)];
        var f = new MemoryMap.MappableFile(TestMachine.bytes(data), "/f", true, false);
        long file = parent.run().map.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        long a = parent.map.mmap(0, 3 * PAGE, RW, ANON, null, 0);
        parent.user.read64(file);
        parent.user.read64(file + PAGE);
        parent.user.write64(a, 1);
        SystemMemory mi = MemoryAccounting.meminfo(m.frames);
        assertEquals((m.frames.totalFrames() - 1) * PAGE, mi.memTotal());
        assertEquals(PAGE, mi.anonPages());
        assertEquals(2 * PAGE, mi.mapped());
        assertEquals(2 * PAGE, mi.cached());
        assertEquals(m.pt.tableFrames() * PAGE, mi.pageTables());
        assertEquals(3 * PAGE, mi.committedAs(), "private writable memory is charged, read-only is not");
        assertEquals(m.frames.freeFrames() * PAGE, mi.memFree());
        assertEquals((m.frames.totalFrames() - 1) * 50L / 100 * PAGE, mi.commitLimit(), "in whole pages, as Linux");
    }

    @Test
    void rollupIsTheSumOfTheAreas() throws Exception {
        long a = parent.run().map.mmap(0, PAGE, RW, ANON, null, 0);
        long b = parent.map.mmap(0, PAGE, Mman.PROT_READ, ANON, null, 0);
        parent.user.write64(a, 1);
        parent.user.read64(b);
        VmaUsage r = MemoryAccounting.rollup(m.mm);
        assertNull(r.vma());
        assertEquals(PAGE, r.rss());
        assertEquals(PAGE << MemoryAccounting.PSS_SHIFT, r.pss());
        assertEquals(PAGE << MemoryAccounting.PSS_SHIFT, r.pssAnon());
    }
}
