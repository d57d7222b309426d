package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Argument checks and errno values of mmap, mremap, madvise, mlock, msync and mincore, as
 * the real kernel of this machine gives them (checked with a native C program, see the
 * comments), for an unprivileged process unless a test says otherwise.
 */
class MemoryCallsErrnoTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;
    private static final long HOLE = 0x1000_0000L;

    private final TestMachine m = new TestMachine(48);
    private final MemoryMap mem = m.memoryMap;

    private long anon(int pages) {
        return mem.mmap(0, pages * PAGE, RW, ANON, null, 0);
    }

    // ---- mmap -------------------------------------------------------------------------

    @Test
    void mmapChecksTypeLengthAndPlacement() {
        assertEquals(-Errno.EINVAL, mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_ANONYMOUS, null, 0), "type 0");
        assertEquals(-Errno.EINVAL, mem.mmap(0, PAGE, Mman.PROT_READ, 4 | Mman.MAP_ANONYMOUS, null, 0), "type 4");
        assertEquals(-Errno.EINVAL, mem.mmap(0, 0, Mman.PROT_READ, ANON, null, 0), "length 0");
        assertEquals(-Errno.ENOMEM, mem.mmap(0, -4000L, Mman.PROT_READ, ANON, null, 0), "length overflows");
        assertEquals(-Errno.EINVAL, mem.mmap(HOLE + 1, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED, null, 0));
        assertEquals(-Errno.EINVAL, mem.mmap(HOLE + 1, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED_NOREPLACE, null, 0));
        assertEquals(-Errno.EINVAL, mem.mmap(0, PAGE, Mman.PROT_READ,
                Mman.MAP_SHARED_VALIDATE | Mman.MAP_ANONYMOUS, null, 0), "anonymous memory has no SHARED_VALIDATE");
    }

    @Test
    void fixedNoReplaceOverAMappingIsEexist() {
        long a = anon(2);
        assertEquals(-Errno.EEXIST, mem.mmap(a + PAGE, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED_NOREPLACE, null, 0));
        assertEquals(a + PAGE, mem.mmap(a + PAGE, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED, null, 0));
    }

    @Test
    void belowMmapMinAddrNeedsPrivilege() {
        assertEquals(-Errno.EPERM, mem.mmap(0x1000, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED, null, 0));
        mem.setPrivileged(true);
        assertEquals(0x1000, mem.mmap(0x1000, PAGE, Mman.PROT_READ, ANON | Mman.MAP_FIXED, null, 0));
    }

    @Test
    void overcommitHeuristicRefusesOneRequestLargerThanRamUnlessNoreserveOrReadOnly() {
        long ram = m.frames.totalFrames() * PAGE;
        assertEquals(-Errno.ENOMEM, mem.mmap(0, 2 * ram, RW, ANON, null, 0));
        assertTrue(mem.mmap(0, 2 * ram, RW, ANON | Mman.MAP_NORESERVE, null, 0) > 0);
        assertTrue(mem.mmap(0, 2 * ram, Mman.PROT_READ, ANON, null, 0) > 0);
        assertTrue(mem.mmap(0, ram / 2, RW, ANON, null, 0) > 0, "half of RAM is fine, even twice");
        assertTrue(mem.mmap(0, ram / 2, RW, ANON, null, 0) > 0);
    }

    @Test
    void hugetlbWithoutReservedHugePagesIsEnomem() {
        assertEquals(-Errno.ENOMEM, mem.mmap(0, 2 << 20, RW, ANON | Mman.MAP_HUGETLB, null, 0));
    }

    @Test
    void sharedValidateRejectsUnknownFlagsOfAFileMapping() {
        var f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[4096]), "/f", true, true);
        assertEquals(-Errno.ENOTSUP, mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED_VALIDATE | 0x40, f, 0));
        assertTrue(mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | 0x40, f, 0) > 0, "MAP_PRIVATE ignores them");
    }

    @Test
    void mprotectCannotAddWriteToASharedMappingOfAReadOnlyFile() {
        var f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[4096]), "/f", true, false);
        long a = mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
        assertEquals(-Errno.EACCES, mem.mprotect(a, PAGE, RW));
        long p = mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
        assertEquals(0, mem.mprotect(p, PAGE, RW), "a private copy may be written");
    }

    @Test
    void mprotectChecksItsArguments() {
        long a = anon(1);
        assertEquals(-Errno.EINVAL, mem.mprotect(a, PAGE, 0x40));
        assertEquals(-Errno.EINVAL, mem.mprotect(a + 1, PAGE, Mman.PROT_READ));
        assertEquals(-Errno.ENOMEM, mem.mprotect(HOLE, PAGE, Mman.PROT_READ));
        assertEquals(0, mem.mprotect(a, 0, Mman.PROT_READ));
        assertEquals(0, mem.mprotect(a, PAGE, Mman.PROT_READ | Mman.PROT_SEM));
    }

    @Test
    void munmapChecksItsArgumentsAndAllowsHoles() {
        long a = anon(1);
        assertEquals(-Errno.EINVAL, mem.munmap(a, 0));
        assertEquals(-Errno.EINVAL, mem.munmap(a + 1, PAGE));
        assertEquals(0, mem.munmap(HOLE, PAGE));
    }

    // ---- mremap -----------------------------------------------------------------------

    @Test
    void mremapChecksItsArguments() {
        long a = anon(4);
        assertEquals(-Errno.EINVAL, mem.mremap(a, 0, PAGE, Mman.MREMAP_MAYMOVE, 0), "old_len 0 of private memory");
        assertEquals(-Errno.EINVAL, mem.mremap(a, PAGE, 0, Mman.MREMAP_MAYMOVE, 0));
        assertEquals(-Errno.EINVAL, mem.mremap(a + 1, PAGE, 2 * PAGE, Mman.MREMAP_MAYMOVE, 0));
        assertEquals(-Errno.EFAULT, mem.mremap(HOLE, PAGE, 2 * PAGE, Mman.MREMAP_MAYMOVE, 0));
        assertEquals(-Errno.EINVAL, mem.mremap(a, PAGE, PAGE, Mman.MREMAP_FIXED, a + 8 * PAGE), "FIXED needs MAYMOVE");
        assertEquals(-Errno.EINVAL, mem.mremap(a, PAGE, PAGE, 8, 0));
        assertEquals(-Errno.EINVAL, mem.mremap(a, PAGE, 2 * PAGE, Mman.MREMAP_MAYMOVE | Mman.MREMAP_DONTUNMAP, 0));
        assertEquals(-Errno.EINVAL, mem.mremap(a, PAGE, PAGE, Mman.MREMAP_DONTUNMAP, 0));
        assertEquals(-Errno.EFAULT, mem.mremap(a, 8 * PAGE, 9 * PAGE, Mman.MREMAP_MAYMOVE, 0), "beyond the area");
    }

    @Test
    void mremapDontUnmapMovesThePagesAndLeavesTheOldAreaEmpty() throws Exception {
        long a = anon(2);
        m.user.write64(a, 77);
        long b = mem.mremap(a, 2 * PAGE, 2 * PAGE, Mman.MREMAP_MAYMOVE | Mman.MREMAP_DONTUNMAP, 0);
        assertTrue(b > 0 && b != a);
        assertEquals(77, m.user.read64(b));
        assertTrue(m.mm.find(a) != null, "the old area stays");
        assertEquals(0, m.user.read64(a), "and reads as new anonymous memory");
    }

    @Test
    void mremapFixedMovesOverWhatWasThere() throws Exception {
        long a = anon(1);
        long target = anon(1);
        m.user.write64(a, 5);
        m.user.write64(target, 6);
        assertEquals(target, mem.mremap(a, PAGE, PAGE, Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED, target));
        assertEquals(5, m.user.read64(target));
        assertNull(m.mm.find(a));
    }

    @Test
    void mremapWithOldLengthZeroDuplicatesASharedMapping() throws Exception {
        long a = mem.mmap(0, PAGE, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        long b = mem.mremap(a, 0, PAGE, Mman.MREMAP_MAYMOVE, 0);
        assertTrue(b > 0 && b != a);
        m.user.write64(a, 31);
        assertEquals(31, m.user.read64(b));
    }

    // ---- madvise ----------------------------------------------------------------------

    @Test
    void madviseChecksAdviceAlignmentAndUnmappedParts() {
        long a = anon(4);
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, 99));
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, 100), "MADV_HWPOISON");
        assertEquals(-Errno.EINVAL, mem.madvise(a + 1, PAGE, Mman.MADV_DONTNEED));
        assertEquals(0, mem.madvise(a, 0, Mman.MADV_DONTNEED));
        assertEquals(-Errno.ENOMEM, mem.madvise(HOLE, PAGE, Mman.MADV_DONTNEED));
        assertEquals(-Errno.ENOMEM, mem.madvise(HOLE, PAGE, Mman.MADV_WILLNEED));
        assertEquals(-Errno.ENOMEM, mem.madvise(HOLE, PAGE, Mman.MADV_NORMAL));
        assertEquals(0, mem.madvise(a, PAGE, Mman.MADV_WILLNEED));
        mem.munmap(a + 3 * PAGE, PAGE);
        assertEquals(-Errno.ENOMEM, mem.madvise(a + 2 * PAGE, 2 * PAGE, Mman.MADV_DONTNEED), "partly unmapped");
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, Mman.MADV_REMOVE), "private anonymous");
    }

    @Test
    void lockedAreasRefuseDontneedFreeAndPageout() {
        long a = anon(1);
        assertEquals(0, mem.mlock(a, PAGE, 0));
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, Mman.MADV_DONTNEED));
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, Mman.MADV_FREE));
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, Mman.MADV_PAGEOUT));
        assertEquals(0, mem.madvise(a, PAGE, Mman.MADV_DONTNEED_LOCKED));
    }

    @Test
    void populateNeedsTheAccessItAsksFor() {
        long none = mem.mmap(0, PAGE, Mman.PROT_NONE, ANON, null, 0);
        long ro = mem.mmap(0, PAGE, Mman.PROT_READ, ANON, null, 0);
        assertEquals(-Errno.EINVAL, mem.madvise(none, PAGE, Mman.MADV_POPULATE_READ));
        assertEquals(-Errno.EINVAL, mem.madvise(ro, PAGE, Mman.MADV_POPULATE_WRITE));
        assertEquals(0, mem.madvise(ro, PAGE, Mman.MADV_POPULATE_READ));
    }

    @Test
    void madvFreeIsForPrivateAnonymousMemoryOnly() {
        var f = new MemoryMap.MappableFile(TestMachine.bytes(new byte[4096]), "/f", true, false);
        long a = mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
        assertEquals(-Errno.EINVAL, mem.madvise(a, PAGE, Mman.MADV_FREE));
        assertEquals(0, mem.madvise(a, PAGE, Mman.MADV_DONTNEED));
    }

    @Test
    void dontneedRefaultsAnonymousMemoryAsZeros() throws Exception {
        long a = anon(1);
        m.user.write64(a, 9);
        assertEquals(0, mem.madvise(a, PAGE, Mman.MADV_DONTNEED));
        assertEquals(0, m.user.read64(a));
    }

    @Test
    void madvColdClearsTheAccessFlagSoTheNextAccessFaults() throws Exception {
        long a = anon(1);
        m.user.write64(a, 4);
        assertEquals(0, mem.madvise(a, PAGE, Mman.MADV_COLD));
        assertFalse(ProtectionMap.isYoung(m.pt.pte(a)));
        assertEquals(4, m.user.read64(a));
        assertEquals(1, m.faults.accessFlagFaults());
        assertTrue(ProtectionMap.isYoung(m.pt.pte(a)));
    }

    @Test
    void madviseFlagAdviceSplitsTheArea() {
        long a = anon(3);
        assertEquals(0, mem.madvise(a + PAGE, PAGE, Mman.MADV_RANDOM));
        assertEquals(3, m.mm.overlapping(a, a + 3 * PAGE).size());
        assertEquals(0, mem.madvise(a + PAGE, PAGE, Mman.MADV_NORMAL));
        assertEquals(1, m.mm.overlapping(a, a + 3 * PAGE).size(), "merged back");
    }

    // ---- mlock ------------------------------------------------------------------------

    @Test
    void mlockChecksHolesFlagsAndTheLimit() {
        long a = anon(4);
        assertEquals(-Errno.ENOMEM, mem.mlock(HOLE, PAGE, 0));
        assertEquals(0, mem.mlock(a + 1, PAGE, 0), "the start is rounded down");
        assertEquals(0, mem.mlock(a, 0, 0));
        assertEquals(-Errno.EINVAL, mem.mlock(a, PAGE, 2), "mlock2 flags");
        assertEquals(0, mem.mlock(a, PAGE, Mman.MLOCK_ONFAULT));
        assertTrue((m.mm.find(a).flags() & Vma.VM_LOCKONFAULT) != 0);
        assertEquals(-Errno.ENOMEM, mem.munlock(HOLE, PAGE));
        long big = mem.mmap(0, 16L << 20, RW, ANON, null, 0);
        assertEquals(-Errno.ENOMEM, mem.mlock(big, 16L << 20, 0), "over RLIMIT_MEMLOCK (8 MiB)");
        mem.setPrivileged(true);
        assertEquals(0, mem.mlock(big, 16L << 20, 0), "CAP_IPC_LOCK has no limit");
    }

    /** Found by SyscallFuzzTest: a length that takes start + length past 2^63 threw in the limit check. */
    @Test
    void mlockOfALengthThatWrapsIsAnErrnoNotAnException() {
        long a = anon(1);
        assertEquals(-Errno.ENOMEM, mem.mlock(a, Long.MAX_VALUE, 0), "over RLIMIT_MEMLOCK");
        assertEquals(-Errno.ENOMEM, mem.mlock(a, -a - 2 * PAGE, 0), "unsigned, past 2^63");
        mem.setPrivileged(true);
        assertEquals(-Errno.EINVAL, mem.mlock(a, -a + PAGE, 0), "apply_vma_lock_flags: the range wraps");
        assertEquals(List.of(), m.mm.overlapping(a + PAGE, a), "a wrapped range overlaps nothing");
        assertEquals(List.of(), m.mm.overlapping(-4 * PAGE, -PAGE), "nothing is at 2^63 or above");
    }

    @Test
    void mlockedBytesCountOnceAndMunlockSplits() {
        long a = anon(4);
        assertEquals(0, mem.mlock(a, 2 * PAGE, 0));
        assertEquals(0, mem.mlock(a, 4 * PAGE, 0));
        assertEquals(4 * PAGE, mem.lockedBytes());
        assertEquals(0, mem.munlock(a + PAGE, PAGE));
        assertEquals(3 * PAGE, mem.lockedBytes());
        assertEquals(3, m.mm.overlapping(a, a + 4 * PAGE).size());
    }

    @Test
    void aZeroMemlockLimitForbidsLocking() {
        long a = anon(1);
        mem.setMemlockLimit(0);
        assertEquals(-Errno.EPERM, mem.mlock(a, PAGE, 0));
        assertEquals(-Errno.EPERM, mem.mlockall(Mman.MCL_CURRENT));
    }

    @Test
    void mlockallChecksFlagsAndLocksFutureMappings() {
        assertEquals(-Errno.EINVAL, mem.mlockall(0));
        assertEquals(-Errno.EINVAL, mem.mlockall(Mman.MCL_ONFAULT));
        assertEquals(-Errno.EINVAL, mem.mlockall(8));
        assertEquals(0, mem.mlockall(Mman.MCL_FUTURE));
        long a = anon(1);
        assertTrue(m.mm.find(a).isLocked());
        assertEquals(0, mem.munlockall());
        assertFalse(m.mm.find(a).isLocked());
        assertFalse(m.mm.find(anon(1)).isLocked());
    }

    @Test
    void lockedMappingsOverTheLimitAreEagain() {
        assertEquals(-Errno.EAGAIN, mem.mmap(0, 16L << 20, RW, ANON | Mman.MAP_LOCKED, null, 0));
    }

    // ---- msync ------------------------------------------------------------------------

    @Test
    void msyncChecksFlagsAlignmentAndHoles() {
        long a = anon(1);
        assertEquals(-Errno.EINVAL, mem.msync(a, PAGE, Mman.MS_ASYNC | Mman.MS_SYNC));
        assertEquals(-Errno.EINVAL, mem.msync(a, PAGE, 8));
        assertEquals(-Errno.EINVAL, mem.msync(a + 1, PAGE, Mman.MS_SYNC));
        assertEquals(-Errno.ENOMEM, mem.msync(HOLE, PAGE, Mman.MS_SYNC));
        assertEquals(0, mem.msync(a, 0, Mman.MS_SYNC));
        assertEquals(0, mem.msync(a, PAGE, Mman.MS_SYNC));
        assertEquals(0, mem.msync(a, PAGE, Mman.MS_INVALIDATE));
        assertEquals(0, mem.mlock(a, PAGE, 0));
        assertEquals(-Errno.EBUSY, mem.msync(a, PAGE, Mman.MS_INVALIDATE));
    }

    // ---- mincore ----------------------------------------------------------------------

    @Test
    void mincoreReportsResidentPagesAndChecksItsArguments() throws Exception {
        long a = anon(3);
        m.user.write64(a, 1);
        m.user.read64(a + 2 * PAGE);
        int[] err = new int[1];
        assertArrayEquals(new byte[] {1, 0, 1}, mem.mincore(a, 3 * PAGE, err), "the zero page counts");
        assertArrayEquals(new byte[] {1}, mem.mincore(a, 1, err), "a partial page counts whole");
        assertEquals(0, mem.mincore(a, 0, err).length);
        assertNull(mem.mincore(a + 1, PAGE, err));
        assertEquals(Errno.EINVAL, err[0]);
        assertNull(mem.mincore(HOLE, PAGE, err));
        assertEquals(Errno.ENOMEM, err[0]);
    }

    @Test
    void mincoreSeesFilePagesInThePageCacheWithoutAnEntry() throws Exception {
        byte[] data = new byte[(int) (2 * PAGE)];
        var f = new MemoryMap.MappableFile(TestMachine.bytes(data), "/f", true, false);
        long a = mem.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
        long b = mem.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
        m.user.read64(a + PAGE);
        assertArrayEquals(new byte[] {0, 1}, mem.mincore(b, 2 * PAGE, new int[1]));
    }
}
