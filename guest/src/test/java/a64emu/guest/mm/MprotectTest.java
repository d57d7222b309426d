package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.guest.TestMachine;
import a64emu.guest.signal.Signal;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import java.util.List;
import org.junit.jupiter.api.Test;

class MprotectTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final long PAGE = 4096;

    private final TestMachine m = new TestMachine(48);
    private final MemoryMap mem = m.memoryMap;

    @Test
    void aStaleWritableTlbEntryDoesNotSurviveADowngrade() throws Exception {
        long a = mem.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 1);
        long pa = m.mmu.translate(a, AccessType.WRITE, 0);
        assertTrue(m.mmu.tlb().lookup(a, m.pt.asid()) >= 0, "the writable translation is cached");
        assertEquals(0, mem.mprotect(a, PAGE, Mman.PROT_READ));
        GuestException e = assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.WRITE, 0));
        assertEquals(Fault.Kind.PERMISSION, e.fault.kind());
        assertEquals(pa, m.mmu.translate(a, AccessType.READ, 0), "same frame, still readable");
        assertEquals(Signal.SEGV_ACCERR, m.faults.pageFault(a, AccessType.WRITE).signal().code());
    }

    @Test
    void protNoneKeepsTheFrameAndAnUpgradeBringsTheDataBack() throws Exception {
        long a = mem.mmap(0, PAGE, RW, ANON, null, 0);
        m.user.write64(a, 0x55);
        m.mmu.translate(a, AccessType.READ, 0);
        assertEquals(0, mem.mprotect(a, PAGE, Mman.PROT_NONE));
        long pte = m.pt.pte(a);
        assertTrue(!Descriptor.isValid(pte) && PageTables.isPresent(pte), "PROT_NONE: invalid but present");
        assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.READ, 0));
        assertEquals(0, mem.mprotect(a, PAGE, RW));
        assertEquals(0x55, m.user.read64(a));
        m.user.write64(a, 0x66);
        assertEquals(0x66, m.user.read64(a));
    }

    @Test
    void anUpgradeAfterAPermissionFaultIsSeenAtOnce() throws Exception {
        long a = mem.mmap(0, PAGE, Mman.PROT_READ, ANON, null, 0);
        m.user.read64(a);
        assertThrows(GuestException.class, () -> m.mmu.translate(a, AccessType.WRITE, 0));
        assertEquals(0, mem.mprotect(a, PAGE, RW));
        m.user.write64(a, 12);
        assertEquals(12, m.user.read64(a));
    }

    @Test
    void changingTheMiddleSplitsInThreeAndChangingItBackMerges() {
        long a = mem.mmap(0x5000_0000L, 3 * PAGE, RW, ANON, null, 0);
        assertEquals(0, mem.mprotect(a + PAGE, PAGE, Mman.PROT_READ));
        assertEquals(List.of("0x50000000-0x50001000 rw-p", "0x50001000-0x50002000 r--p",
                "0x50002000-0x50003000 rw-p"), m.maps());
        assertEquals(0, mem.mprotect(a + PAGE, PAGE, RW));
        assertEquals(List.of("0x50000000-0x50003000 rw-p"), m.maps());
    }

    @Test
    void aHoleIsEnomemAfterTheAreasBeforeItChanged() {
        long a = mem.mmap(0x5000_0000L, 3 * PAGE, RW, ANON, null, 0);
        mem.munmap(a + PAGE, PAGE);
        assertEquals(-12, mem.mprotect(a, 3 * PAGE, Mman.PROT_READ));
        assertEquals(List.of("0x50000000-0x50001000 r--p", "0x50002000-0x50003000 rw-p"), m.maps());
    }

    @Test
    void aWritableSharedAreaGetsWritableCleanEntries() throws Exception {
        long a = mem.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        m.user.read64(a);
        assertEquals(0, mem.mprotect(a, PAGE, RW));
        long pte = m.pt.pte(a);
        assertTrue((pte & Descriptor.SW_WRITE) != 0 && Descriptor.rdonly(pte));
    }
}
