package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.mmu.AccessType;
import org.junit.jupiter.api.Test;

/** NUMA policies on the one-node machine, and the other area calls of issue 15 (pkeys, remap, reap). */
class MemPolicyTest {
    private static final long PAGE = 4096;
    private static final long BASE = 0x5000_0000L;
    private final TestMachine m = new TestMachine(48);

    private MemPolicy create(int mode, int flags, long nodes, int expectedErrno) {
        int[] error = new int[1];
        MemPolicy p = MemPolicy.create(mode, flags, nodes, error);
        assertEquals(expectedErrno, error[0]);
        return p;
    }

    @Test
    void nodesOtherThanZeroAreDroppedAndAMaskOfOnlyThemIsEinval() {
        assertEquals(1, create(MemPolicy.MPOL_BIND, 0, 0b11, 0).nodes());
        create(MemPolicy.MPOL_BIND, 0, 0b10, Errno.EINVAL);
        MemPolicy stat = create(MemPolicy.MPOL_BIND, MemPolicy.MPOL_F_STATIC_NODES, 0b11, 0);
        assertEquals(0b11, stat.reportedNodes(), "MPOL_F_STATIC_NODES reports the mask as asked");
        assertEquals(MemPolicy.MPOL_BIND | MemPolicy.MPOL_F_STATIC_NODES, stat.reportedMode());
        assertEquals(1, create(MemPolicy.MPOL_BIND, MemPolicy.MPOL_F_RELATIVE_NODES, 0b10, 0).nodes(),
                "relative node 1 folds onto the one allowed node");
    }

    @Test
    void preferredWithoutNodesIsLocalAndDefaultTakesNone() {
        assertEquals(MemPolicy.MPOL_LOCAL, create(MemPolicy.MPOL_PREFERRED, 0, 0, 0).mode());
        create(MemPolicy.MPOL_PREFERRED, MemPolicy.MPOL_F_STATIC_NODES, 0, Errno.EINVAL);
        create(MemPolicy.MPOL_LOCAL, 0, 1, Errno.EINVAL);
        assertNull(create(MemPolicy.MPOL_DEFAULT, 0, 0, 0));
        create(MemPolicy.MPOL_DEFAULT, 0, 1, Errno.EINVAL);
        assertNull(MemPolicy.sanitize(6), "MPOL_MAX is 6 in 6.1");
        assertNull(MemPolicy.sanitize(MemPolicy.MPOL_PREFERRED | MemPolicy.MPOL_F_NUMA_BALANCING));
    }

    @Test
    void mbindSplitsTheAreaAndHolesAreEfaultUnlessTheDefaultIsSet() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        MemPolicy bind = create(MemPolicy.MPOL_BIND, 0, 1, 0);
        assertEquals(0, MemPolicy.mbind(m.mm, BASE + PAGE, BASE + 2 * PAGE, bind, 1, 0));
        assertEquals(3, m.mm.vmaCount());
        assertEquals(bind, m.mm.find(BASE + PAGE).policy());
        assertNull(m.mm.find(BASE).policy());
        assertEquals(-Errno.EFAULT, MemPolicy.mbind(m.mm, BASE + 3 * PAGE, BASE + 5 * PAGE, bind, 1, 0));
        assertEquals(0, MemPolicy.mbind(m.mm, BASE, BASE + 5 * PAGE, null, 0, 0), "MPOL_DEFAULT: holes are fine");
        assertEquals(1, m.mm.vmaCount(), "back to one area without a policy");
        assertEquals(-Errno.EFAULT, MemPolicy.mbind(m.mm, BASE + 8 * PAGE, BASE + 9 * PAGE, null, 0, 0));
    }

    @Test
    void strictLocalOverAResidentPageIsEioAndChangesNothing() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        m.faults.pageFault(BASE, AccessType.WRITE);
        m.faults.pageFault(BASE + PAGE, AccessType.READ);
        MemPolicy local = create(MemPolicy.MPOL_LOCAL, 0, 0, 0);
        assertEquals(-Errno.EIO, MemPolicy.mbind(m.mm, BASE, BASE + PAGE, local, 0, MemPolicy.MPOL_MF_STRICT));
        assertNull(m.mm.find(BASE).policy());
        assertEquals(0, MemPolicy.mbind(m.mm, BASE + PAGE, BASE + 2 * PAGE, local, 0, MemPolicy.MPOL_MF_STRICT),
                "the zero page is nobody's page");
        assertEquals(0, MemPolicy.mbind(m.mm, BASE, BASE + PAGE, local, 0,
                MemPolicy.MPOL_MF_STRICT | MemPolicy.MPOL_MF_MOVE));
    }

    @Test
    void pageStatusFollowsFollowPageWithFollDump() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 3 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        m.faults.pageFault(BASE, AccessType.WRITE);
        m.faults.pageFault(BASE + PAGE, AccessType.READ);
        assertEquals(0, MemPolicy.pageStatus(m.mm, BASE + 5));
        assertEquals(-Errno.EFAULT, MemPolicy.pageStatus(m.mm, BASE + PAGE), "the zero page");
        assertEquals(-Errno.EFAULT, MemPolicy.pageStatus(m.mm, BASE + 2 * PAGE), "never touched");
        assertEquals(-Errno.EFAULT, MemPolicy.pageStatus(m.mm, BASE + 9 * PAGE), "no area");
        m.mm.insert(Vma.file(BASE + 4 * PAGE, BASE + 5 * PAGE, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[(int) PAGE]), 0, Long.MAX_VALUE, "/f")));
        assertEquals(-Errno.ENOENT, MemPolicy.pageStatus(m.mm, BASE + 4 * PAGE), "a file page not mapped yet");
    }

    @Test
    void homeNodeNeedsABindOrPreferredManyPolicy() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertEquals(-Errno.ENOENT, MemPolicy.setHomeNode(m.mm, BASE, BASE + 4 * PAGE, 0));
        MemPolicy.mbind(m.mm, BASE, BASE + PAGE, create(MemPolicy.MPOL_BIND, 0, 1, 0), 1, 0);
        MemPolicy.mbind(m.mm, BASE + 2 * PAGE, BASE + 3 * PAGE, create(MemPolicy.MPOL_PREFERRED, 0, 1, 0), 1, 0);
        assertEquals(-Errno.ENOTSUP, MemPolicy.setHomeNode(m.mm, BASE, BASE + 4 * PAGE, 0));
        assertEquals(0, m.mm.find(BASE).policy().homeNode(), "the area before the refusal was changed");
    }

    @Test
    void pkeyMprotectTakesKeyZeroAndMinusOneOnly() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertEquals(0, m.memoryMap.mprotect(BASE, PAGE, Mman.PROT_READ, 0));
        assertEquals(Mman.PROT_READ, m.mm.find(BASE).prot());
        assertEquals(-Errno.EINVAL, m.memoryMap.mprotect(BASE, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 1));
        assertEquals(Mman.PROT_READ, m.mm.find(BASE).prot());
        assertEquals(0, m.memoryMap.mprotect(BASE, 0, Mman.PROT_READ, 7), "a zero length returns before the key");
    }

    @Test
    void remapFilePagesMapsAnotherPageOfTheSharedObject() throws BadUserAddressException {
        long a = m.memoryMap.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS,
                null, 0);
        m.user.write(a + PAGE, new byte[] {42});
        assertEquals(a, m.memoryMap.remapFilePages(a, PAGE, 0, 1, 0));
        assertEquals(42, m.user.read(a, 1)[0], "page 0 shows the object's page 1, which the remap kept");
        assertEquals(-Errno.EINVAL, m.memoryMap.remapFilePages(a, PAGE, Mman.PROT_READ, 1, 0));
        long p = m.memoryMap.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
        assertEquals(-Errno.EINVAL, m.memoryMap.remapFilePages(p, PAGE, 0, 0, 0), "only shared mappings");
    }

    @Test
    void theOomReaperFreesPrivatePagesAndLeavesTheAreas() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 3 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        for (int i = 0; i < 3; i++) {
            m.faults.pageFault(BASE + i * PAGE, AccessType.WRITE);
        }
        long freeBefore = m.frames.freeFrames();
        assertEquals(3, OomReaper.reap(m.mm));
        assertEquals(0, m.pt.residentPages());
        assertTrue(m.frames.freeFrames() >= freeBefore + 3, "the three frames are free now");
        assertEquals(1, m.mm.vmaCount(), "the exit tears the areas down");
        m.mm.release(); // a frame put twice would throw here
        assertTrue(m.frames.freeFrames() > freeBefore + 3, "the exit freed the page tables, no data page again");
    }
}
