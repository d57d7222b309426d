package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.mmu.Descriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryMapTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final MemoryMap mem = m.memoryMap;

    // ---- mmap -------------------------------------------------------------------------

    @Test
    void anonymousMappingsGoTopDownBelowMmapBase() {
        long a = mem.mmap(0, 3 * PAGE, RW, ANON, null, 0);
        long b = mem.mmap(0, PAGE, RW, ANON, null, 0);
        assertEquals(m.mm.layout().mmapBase() - 3 * PAGE, a);
        assertEquals(a - PAGE, b);
    }

    @Test
    void freeHintIsHonouredPageAligned() {
        assertEquals(0x5000_0000L, mem.mmap(0x5000_0123L, PAGE, RW, ANON, null, 0));
    }

    @Test
    void occupiedHintFallsBackToTopDown() {
        mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        long r = mem.mmap(0x5000_0000L, PAGE, Mman.PROT_READ, ANON, null, 0);
        assertEquals(m.mm.layout().mmapBase() - PAGE, r);
    }

    @Test
    void zeroLengthIsInvalid() {
        assertEquals(-Errno.EINVAL, mem.mmap(0, 0, RW, ANON, null, 0));
    }

    @Test
    void mappingTypeMustBeSharedOrPrivate() {
        assertEquals(-Errno.EINVAL, mem.mmap(0, PAGE, RW, Mman.MAP_ANONYMOUS, null, 0));
    }

    @Test
    void lengthThatOverflowsWhenPageAlignedIsOutOfMemory() {
        assertEquals(-Errno.ENOMEM, mem.mmap(0, -100L, RW, ANON, null, 0));
    }

    @Test
    void fixedMappingMustBePageAligned() {
        assertEquals(-Errno.EINVAL, mem.mmap(0x5000_0010L, PAGE, RW, ANON | Mman.MAP_FIXED, null, 0));
    }

    @Test
    void fixedMappingBelowMmapMinAddrIsNotPermitted() {
        assertEquals(-Errno.EPERM, mem.mmap(0x1000, PAGE, RW, ANON | Mman.MAP_FIXED, null, 0));
    }

    @Test
    void fixedMappingReplacesWhatWasThere() throws BadUserAddressException {
        long a = mem.mmap(0x5000_0000L, 4 * PAGE, RW, ANON, null, 0);
        m.user.write64(a + PAGE, 0x1234);
        assertEquals(a + PAGE, mem.mmap(a + PAGE, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED, null, 0));
        assertEquals(0, m.user.read64(a + PAGE), "the new mapping is fresh zero memory");
        assertEquals(List.of("0x50000000-0x50001000 rw-p", "0x50001000-0x50002000 r--p",
                "0x50002000-0x50004000 rw-p"), m.maps().subList(0, 3));
    }

    @Test
    void fixedNoReplaceOverAMappingIsEexist() {
        mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        assertEquals(-Errno.EEXIST, mem.mmap(0x5000_0000L, PAGE, RW, ANON | Mman.MAP_FIXED_NOREPLACE, null, 0));
    }

    @Test
    void unreadableFileCannotBeMapped() {
        var f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[4096]), "/f", false, true);
        assertEquals(-Errno.EACCES, mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0));
    }

    @Test
    void sharedWritableMappingNeedsAWritableFile() {
        var f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[4096]), "/f", true, false);
        assertEquals(-Errno.EACCES, mem.mmap(0, PAGE, RW, Mman.MAP_SHARED, f, 0));
        assertTrue(mem.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, f, 0) > 0);
    }

    @Test
    void adjacentCompatibleAnonymousMappingsMerge() {
        mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        mem.mmap(0x5000_1000L, PAGE, RW, ANON, null, 0);
        assertEquals(List.of("0x50000000-0x50002000 rw-p"), m.maps());
    }

    @Test
    void mappingsKeepTheStackGuardGapFree() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, RW, Vma.VM_GROWSDOWN, "[stack]"));
        long hint = top - 40 * PAGE;
        long r = mem.mmap(hint, PAGE, RW, ANON, null, 0);
        assertTrue(r != hint, "a hint inside the stack guard gap is not taken");
        assertTrue(m.memoryMap.mmap(top - 32 * PAGE - VmLayout.STACK_GUARD_GAP - PAGE, PAGE, RW, ANON, null, 0)
                == top - 32 * PAGE - VmLayout.STACK_GUARD_GAP - PAGE, "just below the gap is fine");
    }

    // ---- munmap -----------------------------------------------------------------------

    @Test
    void splittingAFileMappingKeepsEachPieceAtItsFileOffset() throws BadUserAddressException {
        byte[] data = new byte[3 * 4096];
        data[0] = 1;
        data[4096] = 2;
        data[8192] = 3;
        var f = new MemoryMap.MappableFile(TestMachine.bytes(data), "/f", true, false);
        long a = mem.mmap(0x5000_0000L, 3 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        mem.munmap(a + PAGE, PAGE);
        assertEquals(1, m.user.read(a, 1)[0]);
        assertEquals(3, m.user.read(a + 2 * PAGE, 1)[0]);
        assertEquals(2 * PAGE, m.mm.find(a + 2 * PAGE).backing().offset());
    }

    @Test
    void writesToAPrivateFileMappingStayPrivate() throws BadUserAddressException {
        byte[] data = new byte[4096];
        data[10] = 10;
        var f = new MemoryMap.MappableFile(TestMachine.bytes(data), "/f", true, false);
        long a = mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        assertEquals(10, m.user.read(a + 10, 1)[0]);
        assertEquals(0, mem.mprotect(a, PAGE, RW));
        m.user.write(a + 10, new byte[] {99});
        assertEquals(99, m.user.read(a + 10, 1)[0]);
        assertEquals(10, data[10], "the file is untouched");
    }

    @Test
    void unmappingTheMiddleSplitsTheArea() {
        long a = mem.mmap(0x5000_0000L, 3 * PAGE, RW, ANON, null, 0);
        assertEquals(0, mem.munmap(a + PAGE, PAGE));
        assertEquals(List.of("0x50000000-0x50001000 rw-p", "0x50002000-0x50003000 rw-p"), m.maps());
    }

    @Test
    void unmappingFreesTheFramesOfTouchedPages() throws BadUserAddressException {
        long a = mem.mmap(0, 8 * PAGE, RW, ANON, null, 0);
        int before = m.frames.usedFrames();
        for (int i = 0; i < 8; i++) {
            m.user.write64(a + i * PAGE, i);
        }
        assertEquals(before + 8 + 3, m.frames.usedFrames(), "8 pages and the new L1, L2, L3 tables");
        mem.munmap(a, 8 * PAGE);
        assertEquals(before, m.frames.usedFrames());
        assertEquals(0, m.pt.residentPages());
    }

    @Test
    void unmappingAHoleSucceeds() {
        assertEquals(0, mem.munmap(0x6000_0000L, 16 * PAGE));
    }

    @Test
    void munmapNeedsAnAlignedAddressAndALength() {
        assertEquals(-Errno.EINVAL, mem.munmap(0x6000_0001L, PAGE));
        assertEquals(-Errno.EINVAL, mem.munmap(0x6000_0000L, 0));
    }

    // ---- mprotect ---------------------------------------------------------------------

    @Test
    void mprotectRewritesPresentEntriesKeepingTheirData() throws BadUserAddressException {
        long a = mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 0xCAFE);
        long frame = PageTables.frameOf(m.pt.pte(a));
        mem.mprotect(a, PAGE, Mman.PROT_READ);
        long pte = m.pt.pte(a);
        assertTrue(Descriptor.rdonly(pte));
        assertEquals(frame, PageTables.frameOf(pte));
        assertFalse(m.faults.pageFault(a, a64emu.mmu.AccessType.WRITE).resolved(), "writes now refused");
        mem.mprotect(a, PAGE, Mman.PROT_NONE);
        assertFalse(Descriptor.isValid(m.pt.pte(a)));
        mem.mprotect(a, PAGE, RW);
        assertEquals(0xCAFE, m.user.read64(a), "the page survived PROT_NONE");
    }

    @Test
    void zeroPageStaysReadOnlyAcrossMprotect() throws BadUserAddressException, OutOfFramesException {
        long a = mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        assertEquals(0, m.user.read64(a));
        mem.mprotect(a, PAGE, Mman.PROT_NONE);
        mem.mprotect(a, PAGE, RW);
        assertTrue(PageTables.isSpecial(m.pt.pte(a)));
        assertTrue(Descriptor.rdonly(m.pt.pte(a)));
        m.user.write64(a, 3);
        assertEquals(3, m.user.read64(a));
        assertEquals(0, m.ram.read64(m.frames.zeroFrame()));
    }

    @Test
    void mprotectOverAHoleIsOutOfMemory() {
        mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        mem.mmap(0x5000_2000L, PAGE, RW, ANON, null, 0);
        assertEquals(-Errno.ENOMEM, mem.mprotect(0x5000_0000L, 3 * PAGE, Mman.PROT_READ));
        assertEquals(-Errno.ENOMEM, mem.mprotect(0x7000_0000L, PAGE, Mman.PROT_READ));
    }

    @Test
    void mprotectRejectsUnalignedStartsAndUnknownBits() {
        mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        assertEquals(-Errno.EINVAL, mem.mprotect(0x5000_0008L, PAGE, Mman.PROT_READ));
        assertEquals(-Errno.EINVAL, mem.mprotect(0x5000_0000L, PAGE, 0x40));
        assertEquals(0, mem.mprotect(0x5000_0000L, 0, Mman.PROT_READ));
    }

    // ---- mremap -----------------------------------------------------------------------

    @Test
    void mremapShrinksInPlace() {
        long a = mem.mmap(0x5000_0000L, 4 * PAGE, RW, ANON, null, 0);
        assertEquals(a, mem.mremap(a, 4 * PAGE, PAGE, 0, 0));
        assertEquals(List.of("0x50000000-0x50001000 rw-p"), m.maps());
    }

    @Test
    void mremapGrowsInPlaceWhenTheNextPagesAreFree() throws BadUserAddressException {
        long a = mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 77);
        assertEquals(a, mem.mremap(a, PAGE, 3 * PAGE, 0, 0));
        assertEquals(List.of("0x50000000-0x50003000 rw-p"), m.maps());
        assertEquals(77, m.user.read64(a));
    }

    @Test
    void mremapThatCannotGrowInPlaceNeedsMayMove() throws BadUserAddressException {
        long a = mem.mmap(0x5000_0000L, 2 * PAGE, RW, ANON, null, 0);
        mem.mmap(0x5000_2000L, PAGE, Mman.PROT_READ, ANON, null, 0);
        m.user.write64(a + PAGE, 88);
        long framesBefore = m.pt.residentPages();
        assertEquals(-Errno.ENOMEM, mem.mremap(a, 2 * PAGE, 4 * PAGE, 0, 0));
        long moved = mem.mremap(a, 2 * PAGE, 4 * PAGE, MemoryMap.MREMAP_MAYMOVE, 0);
        assertTrue(moved > 0 && moved != a, Long.toHexString(moved));
        assertEquals(88, m.user.read64(moved + PAGE), "the page moved with its data");
        assertEquals(framesBefore, m.pt.residentPages(), "moved, not copied");
        assertNull(m.mm.find(a));
        assertEquals(4 * PAGE, m.mm.find(moved).size());
    }

    @Test
    void mremapOfAnUnmappedRangeIsEfault() {
        assertEquals(-Errno.EFAULT, mem.mremap(0x5000_0000L, PAGE, 2 * PAGE, MemoryMap.MREMAP_MAYMOVE, 0));
        assertEquals(-Errno.EINVAL, mem.mremap(0x5000_0000L, PAGE, 0, MemoryMap.MREMAP_MAYMOVE, 0));
    }

    // ---- brk --------------------------------------------------------------------------

    private void startHeapAt(long start) {
        m.mm.setStartBrk(start);
    }

    @Test
    void brkOfZeroReportsTheCurrentBreak() {
        startHeapAt(0x498000);
        assertEquals(0x498000, mem.brk(0));
    }

    @Test
    void brkGrowsAHeapAreaAndKeepsTheUnalignedBreak() throws BadUserAddressException {
        startHeapAt(0x498000);
        assertEquals(0x498af0, mem.brk(0x498af0));
        assertEquals("0x498000-0x499000 rw-p", m.mm.find(0x498000).describe(), "unnamed: /proc names the heap");
        assertEquals(0x4b9af0, mem.brk(0x4b9af0));
        assertEquals("0x498000-0x4ba000 rw-p", m.mm.find(0x498000).describe());
        m.user.write64(0x4b9000, 1);
    }

    @Test
    void aHeapRightAfterBssMergesWithItAsInLinux() {
        m.mm.insert(Vma.anonymous(0x493000, 0x498000, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        startHeapAt(0x498000);
        assertEquals(0x49a000, mem.brk(0x49a000));
        assertEquals("0x493000-0x49a000 rw-p", m.mm.find(0x498000).describe());
    }

    @Test
    void brkBelowTheStartIsRefusedByReturningTheCurrentBreak() {
        startHeapAt(0x498000);
        mem.brk(0x499000);
        assertEquals(0x499000, mem.brk(0x400000));
    }

    @Test
    void shrinkingBrkUnmapsTheFreedPages() throws BadUserAddressException {
        startHeapAt(0x498000);
        mem.brk(0x49c000);
        m.user.write64(0x49b000, 7);
        assertEquals(0x499000, mem.brk(0x499000));
        assertNull(m.mm.find(0x49b000));
        assertEquals(0, m.pt.pte(0x49b000));
        assertEquals(0x49c000, mem.brk(0x49c000));
        assertEquals(0, m.user.read64(0x49b000), "regrown heap is zero again");
    }

    @Test
    void brkIntoAnotherMappingIsRefused() {
        startHeapAt(0x498000);
        mem.mmap(0x4a0000, PAGE, RW, ANON | Mman.MAP_FIXED, null, 0);
        assertEquals(0x498000, mem.brk(0x4a0000));
        assertEquals(0x49f000, mem.brk(0x49f000), "leaving one page below the mapping is fine");
    }

    // ---- madvise ----------------------------------------------------------------------

    @Test
    void dontneedDropsAnonymousPagesWhichRefaultAsZero() throws BadUserAddressException {
        long a = mem.mmap(0, 2 * PAGE, RW, ANON, null, 0);
        m.user.write64(a, 42);
        assertEquals(0, mem.madvise(a, 2 * PAGE, Mman.MADV_DONTNEED));
        assertEquals(0, m.pt.residentPages());
        assertEquals(0, m.user.read64(a));
    }

    @Test
    void dontneedOnAFileMappingRereadsTheFile() throws BadUserAddressException {
        byte[] data = new byte[4096];
        data[0] = 9;
        var f = new MemoryMap.MappableFile(TestMachine.bytes(data), "/f", true, false);
        long a = mem.mmap(0, PAGE, RW, Mman.MAP_PRIVATE, f, 0);
        m.user.write(a, new byte[] {1});
        mem.madvise(a, PAGE, Mman.MADV_DONTNEED);
        assertEquals(9, m.user.read(a, 1)[0]);
    }

    @Test
    void madviseOverAnUnmappedPartIsOutOfMemory() {
        long a = mem.mmap(0x5000_0000L, PAGE, RW, ANON, null, 0);
        assertEquals(-Errno.ENOMEM, mem.madvise(a, 2 * PAGE, Mman.MADV_WILLNEED));
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, 999));
    }
}
