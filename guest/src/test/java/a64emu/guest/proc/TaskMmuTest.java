package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.DupMmap;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.OutOfFramesException;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * maps, smaps and smaps_rollup against lines captured from Linux's /proc (the field set, widths
 * and padding), with the numbers of a hand-made address space whose pages were faulted in for real.
 */
class TaskMmuTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long ANON = 0x7fe4a617a000L;
    private final TestMachine m = new TestMachine(48);
    private final TestProcess p = new TestProcess(4242, m.mm);

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void touch(FaultHandler faults, long va, AccessType access) {
        assertTrue(faults.pageFault(va, access).resolved(), "fault at 0x" + Long.toHexString(va));
    }

    /** Four anonymous pages: two written, one only read (the zero page), one untouched. */
    private void anonAreaWithTwoWrittenPages() {
        m.mm.insert(Vma.anonymous(ANON, ANON + 0x4000, RW, 0, null));
        touch(m.faults, ANON, AccessType.WRITE);
        touch(m.faults, ANON + 0x1000, AccessType.WRITE);
        touch(m.faults, ANON + 0x2000, AccessType.READ);
    }

    @Test
    void fileMappingLinePadsTheNameToColumn74AsLinuxDoes() {
        long start = 0x555b4185a000L;
        m.mm.insert(Vma.file(start, start + 0x2000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[8192]), 0, Long.MAX_VALUE, "/usr/bin/cat")));
        p.everyFile = new ProcessView.FileId(0xfe00, 260131);
        // Captured from Linux 6.x /proc/self/maps for cat.
        assertEquals("555b4185a000-555b4185c000 r--p 00000000 fe:00 260131                     /usr/bin/cat\n",
                text(TaskMmu.maps(p)));
    }

    @Test
    void anonymousLineWithoutNameEndsWithTheSpaceAfterTheInode() {
        m.mm.insert(Vma.anonymous(0x7fe4a617a000L, 0x7fe4a619c000L, RW, 0, null));
        assertEquals("7fe4a617a000-7fe4a619c000 rw-p 00000000 00:00 0 \n", text(TaskMmu.maps(p)));
    }

    @Test
    void brkAreaIsNamedHeapAndTheAreaHoldingStartStackIsNamedStack() {
        m.mm.setStartBrk(0x5575108de000L);
        m.mm.setBrk(0x5575108ff000L);
        m.mm.insert(Vma.anonymous(0x5575108de000L, 0x5575108ff000L, RW, 0, null));
        m.mm.insert(Vma.anonymous(0x7ffece304000L, 0x7ffece325000L, RW, Vma.VM_GROWSDOWN, null));
        m.mm.setStartStack(0x7ffece323f40L);
        assertEquals("5575108de000-5575108ff000 rw-p 00000000 00:00 0                          [heap]\n"
                        + "7ffece304000-7ffece325000 rw-p 00000000 00:00 0                          [stack]\n",
                text(TaskMmu.maps(p)));
    }

    @Test
    void anAreaNamedByPrctlShowsAnonNameButTheHeapStaysHeap() {
        m.mm.setStartBrk(0x5575108de000L);
        m.mm.setBrk(0x5575108ff000L);
        m.mm.insert(Vma.anonymous(0x5575108de000L, 0x5575108ff000L, RW, 0, null));
        m.mm.insert(Vma.anonymous(0x7fe4a617a000L, 0x7fe4a619c000L, RW, 0, null));
        assertEquals(0, a64emu.guest.mm.AnonVmaName.set(m.mm, 0x5575108de000L, 0x1000, "on heap"));
        assertEquals(0, a64emu.guest.mm.AnonVmaName.set(m.mm, 0x7fe4a617a000L, 0x22000, "buffers"));
        assertEquals("5575108de000-5575108df000 rw-p 00000000 00:00 0                          [heap]\n"
                        + "5575108df000-5575108ff000 rw-p 00000000 00:00 0                          [heap]\n"
                        + "7fe4a617a000-7fe4a619c000 rw-p 00000000 00:00 0                          [anon:buffers]\n",
                text(TaskMmu.maps(p)));
    }

    @Test
    void shortAddressesArePaddedToEightHexDigitsAndFileOffsetIsShown() {
        m.mm.insert(Vma.file(0x400000, 0x401000, Mman.PROT_READ | Mman.PROT_EXEC, 0,
                new FileBacking(TestMachine.bytes(new byte[0x3000]), 0x2000, Long.MAX_VALUE, "/bin/prog")));
        p.everyFile = new ProcessView.FileId(0x803, 42);
        String line = text(TaskMmu.maps(p));
        assertEquals("00400000-00401000 r-xp 00002000 08:03 42", line.substring(0, 40));
        assertEquals(TaskMmu.MAPS_NAME_COLUMN + 1, line.indexOf("/bin/prog"));
    }

    @Test
    void smapsCountsWrittenPagesAsPrivateDirtyAndLeavesTheZeroPageOut() {
        anonAreaWithTwoWrittenPages();
        String expected = "7fe4a617a000-7fe4a617e000 rw-p 00000000 00:00 0 \n"
                + "Size:                 16 kB\n"
                + "KernelPageSize:        4 kB\n"
                + "MMUPageSize:           4 kB\n"
                + "Rss:                   8 kB\n"
                + "Pss:                   8 kB\n"
                + "Pss_Dirty:             8 kB\n"
                + "Shared_Clean:          0 kB\n"
                + "Shared_Dirty:          0 kB\n"
                + "Private_Clean:         0 kB\n"
                + "Private_Dirty:         8 kB\n"
                + "Referenced:            8 kB\n"
                + "Anonymous:             8 kB\n"
                + "KSM:                   0 kB\n"
                + "LazyFree:              0 kB\n"
                + "AnonHugePages:         0 kB\n"
                + "ShmemPmdMapped:        0 kB\n"
                + "FilePmdMapped:         0 kB\n"
                + "Shared_Hugetlb:        0 kB\n"
                + "Private_Hugetlb:       0 kB\n"
                + "Swap:                  0 kB\n"
                + "SwapPss:               0 kB\n"
                + "Locked:                0 kB\n"
                + "THPeligible:           0\n"
                + "VmFlags: rd wr mr mw me ac \n";
        assertEquals(expected, text(TaskMmu.smaps(p)));
    }

    @Test
    void fileMappingReadIsPrivateCleanFromThePageCacheAndNotAnonymous() {
        long start = 0x400000;
        m.mm.insert(Vma.file(start, start + 0x2000, Mman.PROT_READ | Mman.PROT_EXEC, 0,
                new FileBacking(TestMachine.bytes(new byte[0x2000]), 0, Long.MAX_VALUE, "/bin/prog")));
        touch(m.faults, start, AccessType.EXECUTE);
        MemSizeStats mss = TaskMmu.gatherAll(m.mm);
        assertEquals(4096, mss.resident);
        assertEquals(4096, mss.privateClean);
        assertEquals(0, mss.anonymous);
        assertEquals(1, mss.rssFilePages);
        assertEquals(4096L << MemSizeStats.PSS_SHIFT, mss.pssFile);
        String smaps = text(TaskMmu.smaps(p));
        assertTrue(smaps.contains("VmFlags: rd ex mr mw me \n"), smaps);
    }

    @Test
    void forkedPairSharesPagesSoEachHasHalfTheirPss() throws OutOfFramesException {
        anonAreaWithTwoWrittenPages();
        TestProcess child = new TestProcess(4243, DupMmap.fork(m.mm, 2));
        for (TestProcess q : new TestProcess[] {p, child}) {
            MemSizeStats mss = TaskMmu.gatherAll(q.mm);
            assertEquals(8 << 10, mss.resident);
            assertEquals(4 << 10, mss.pss >> MemSizeStats.PSS_SHIFT, "two shared pages, half each");
            assertEquals(8 << 10, mss.sharedDirty);
            assertEquals(0, mss.uss());
        }
        String smaps = text(TaskMmu.smaps(child));
        assertTrue(smaps.contains("Pss:                   4 kB\n"), smaps);
        assertTrue(smaps.contains("Shared_Dirty:          8 kB\n"), smaps);

        // The child writes one page: copy-on-write gives it its own, and that page becomes
        // private on both sides while the other stays shared.
        touch(new FaultHandler(child.mm, m.frames, m.mmu), ANON, AccessType.WRITE);
        for (TestProcess q : new TestProcess[] {p, child}) {
            MemSizeStats mss = TaskMmu.gatherAll(q.mm);
            assertEquals(6 << 10, mss.pss >> MemSizeStats.PSS_SHIFT);
            assertEquals(4 << 10, mss.privateDirty);
            assertEquals(4 << 10, mss.sharedDirty);
            assertEquals(4 << 10, mss.uss());
        }
    }

    @Test
    void pssOfAPageSharedByThreeKeepsItsFractionUntilPrinted() throws OutOfFramesException {
        anonAreaWithTwoWrittenPages();
        DupMmap.fork(m.mm, 2);
        DupMmap.fork(m.mm, 3);
        MemSizeStats mss = TaskMmu.gatherAll(m.mm);
        // Two pages / 3 = 2730.67 bytes: Linux's fixed point keeps the fraction.
        assertEquals((2 * (4096L << MemSizeStats.PSS_SHIFT) / 3) / 1, mss.pss, 1);
        String rollup = text(TaskMmu.smapsRollup(p));
        assertTrue(rollup.contains("Pss:                   2 kB\n"), rollup);
    }

    @Test
    void smapsRollupSpansFirstToLastAreaAndSumsThem() {
        anonAreaWithTwoWrittenPages();
        long file = 0x400000;
        m.mm.insert(Vma.file(file, file + 0x1000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[0x1000]), 0, Long.MAX_VALUE, "/bin/prog")));
        touch(m.faults, file, AccessType.READ);
        // The header is padded so that the name starts in the same column as in maps.
        String expected = String.format("%-73s[rollup]\n", "00400000-7fe4a617e000 ---p 00000000 00:00 0")
                + "Rss:                  12 kB\n"
                + "Pss:                  12 kB\n"
                + "Pss_Dirty:             8 kB\n"
                + "Pss_Anon:              8 kB\n"
                + "Pss_File:              4 kB\n"
                + "Pss_Shmem:             0 kB\n"
                + "Shared_Clean:          0 kB\n"
                + "Shared_Dirty:          0 kB\n"
                + "Private_Clean:         4 kB\n"
                + "Private_Dirty:         8 kB\n"
                + "Referenced:           12 kB\n"
                + "Anonymous:             8 kB\n"
                + "KSM:                   0 kB\n"
                + "LazyFree:              0 kB\n"
                + "AnonHugePages:         0 kB\n"
                + "ShmemPmdMapped:        0 kB\n"
                + "FilePmdMapped:         0 kB\n"
                + "Shared_Hugetlb:        0 kB\n"
                + "Private_Hugetlb:       0 kB\n"
                + "Swap:                  0 kB\n"
                + "SwapPss:               0 kB\n"
                + "Locked:                0 kB\n";
        assertEquals(expected, text(TaskMmu.smapsRollup(p)));
    }

    @Test
    void lockedAreaCountsItsResidentPagesAsLocked() {
        m.mm.insert(Vma.anonymous(ANON, ANON + 0x2000, RW, Vma.VM_LOCKED, null));
        touch(m.faults, ANON, AccessType.WRITE);
        String smaps = text(TaskMmu.smaps(p));
        assertTrue(smaps.contains("Locked:                4 kB\n"), smaps);
        assertTrue(smaps.contains("VmFlags: rd wr mr mw me lo ac \n"), smaps);
    }

    @Test
    void statmCountsSizeResidentSharedTextAndData() {
        anonAreaWithTwoWrittenPages();
        long file = 0x400000;
        m.mm.insert(Vma.file(file, file + 0x3000, Mman.PROT_READ | Mman.PROT_EXEC, 0,
                new FileBacking(TestMachine.bytes(new byte[0x3000]), 0, Long.MAX_VALUE, "/bin/prog")));
        m.mm.setCode(file, file + 0x2800);
        touch(m.faults, file, AccessType.EXECUTE);
        // size 7 pages, resident 3, shared (file) 1, text 3 pages, lib 0, data 4 (the rw area), dt 0.
        assertEquals("7 3 1 3 0 4 0\n", text(TaskMmu.statm(p)));
    }
}
