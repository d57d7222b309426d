package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import org.junit.jupiter.api.Test;

class FaultHandlerTest {
    private static final long PAGE = 4096;
    private final TestMachine m = new TestMachine(48);

    private SignalInfo signalFor(long va, AccessType access) {
        FaultHandler.Result r = m.faults.pageFault(va, access);
        assertFalse(r.resolved());
        return r.signal();
    }

    @Test
    void addressOutsideEveryAreaIsSegvMaperr() {
        SignalInfo s = signalFor(0x1234, AccessType.READ);
        assertEquals(Signal.SIGSEGV, s.signo());
        assertEquals(Signal.SEGV_MAPERR, s.code());
        assertEquals("SIGSEGV (SEGV_MAPERR) at 0x1234 pc=0x400a3c: read, no mapping", s.diagnosis(0x400a3c));
    }

    @Test
    void writeToAReadOnlyAreaIsSegvAccerrNamingTheArea() {
        m.mm.insert(Vma.file(0x4a0000, 0x4b2000, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[0x20000]), 0, Long.MAX_VALUE, "/path/prog")));
        SignalInfo s = signalFor(0x4a1000, AccessType.WRITE);
        assertEquals("SIGSEGV (SEGV_ACCERR) at 0x4a1000 pc=0x400b10: write, VMA 0x4a0000-0x4b2000 r--p /path/prog",
                s.diagnosis(0x400b10));
    }

    @Test
    void executingANonExecutableAreaIsSegvAccerr() {
        m.mm.insert(Vma.anonymous(0x5000_0000L, 0x5000_1000L, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertEquals(Signal.SEGV_ACCERR, signalFor(0x5000_0000L, AccessType.EXECUTE).code());
    }

    @Test
    void firstReadOfAnAnonymousPageMapsTheSharedZeroPageReadOnly() throws OutOfFramesException {
        m.mm.insert(Vma.anonymous(0x5000_0000L, 0x5000_2000L, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertTrue(m.faults.pageFault(0x5000_0010L, AccessType.READ).resolved());
        assertTrue(m.faults.pageFault(0x5000_1010L, AccessType.READ).resolved());
        long pte = m.pt.pte(0x5000_0000L);
        assertTrue(Descriptor.isValid(pte));
        assertTrue(Descriptor.rdonly(pte));
        assertTrue(PageTables.isSpecial(pte));
        assertEquals(m.frames.zeroFrame(), PageTables.frameOf(pte));
        assertEquals(m.frames.zeroFrame(), PageTables.frameOf(m.pt.pte(0x5000_1000L)), "one zero page for all");
        assertEquals(0, m.pt.residentPages(), "the zero page is not the process's own");
        assertEquals(2, m.faults.anonZeroFillFaults());
    }

    @Test
    void writeAfterReadGivesThePageAFrameOfItsOwn() throws BadUserAddressException, OutOfFramesException {
        m.mm.insert(Vma.anonymous(0x5000_0000L, 0x5000_2000L, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertEquals(0, m.user.read64(0x5000_0000L));
        m.user.write64(0x5000_0000L, 5);
        long pte = m.pt.pte(0x5000_0000L);
        assertTrue(PageTables.frameOf(pte) != m.frames.zeroFrame());
        assertFalse(PageTables.isSpecial(pte));
        assertFalse(Descriptor.rdonly(pte));
        assertTrue(ProtectionMap.isDirty(pte));
        assertEquals(5, m.user.read64(0x5000_0000L));
        assertEquals(0, m.ram.read64(m.frames.zeroFrame()), "the zero page stays zero");
        assertEquals(1, m.pt.residentPages());
    }

    @Test
    void unmappingTheZeroPageDoesNotFreeIt() throws BadUserAddressException, OutOfFramesException {
        m.mm.insert(Vma.anonymous(0x5000_0000L, 0x5000_1000L, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        m.user.read64(0x5000_0000L);
        m.mm.unmap(0x5000_0000L, 0x5000_1000L);
        assertTrue(m.frames.isAllocated(m.frames.zeroFrame()));
    }

    @Test
    void writeAfterReadOfAPrivateFilePageCopiesThePageCachePage() throws BadUserAddressException {
        byte[] data = new byte[4096];
        data[0] = 7;
        m.mm.insert(Vma.file(0x5000_0000L, 0x5000_1000L, Mman.PROT_READ | Mman.PROT_WRITE, 0,
                new FileBacking(TestMachine.bytes(data), 0, Long.MAX_VALUE, "/f")));
        assertEquals(7, m.user.read64(0x5000_0000L));
        long cached = PageTables.frameOf(m.pt.pte(0x5000_0000L));
        assertEquals(FrameAllocator.PageKind.FILE, m.frames.kind(cached));
        m.user.write64(0x5000_0000L, 5);
        long pte = m.pt.pte(0x5000_0000L);
        assertTrue(PageTables.frameOf(pte) != cached, "a private write copies the cached page");
        assertEquals(FrameAllocator.PageKind.ANON, m.frames.kind(PageTables.frameOf(pte)));
        assertTrue(ProtectionMap.isDirty(pte));
        assertEquals(1, m.frames.pageCache().size(), "the file's page stays cached, unmapped, until reclaim");
        assertEquals(0, m.frames.mapcount(cached));
        assertEquals(Lru.ListId.INACTIVE_FILE, m.frames.lru().listOf(FrameAllocator.pfn(cached)));
        assertEquals(1, m.faults.cowFaults());
    }

    @Test
    void accessFlagFaultSetsTheAccessFlag() throws OutOfFramesException, BadUserAddressException {
        m.mm.insert(Vma.anonymous(0x5000_0000L, 0x5000_1000L, Mman.PROT_READ, 0, null));
        long frame = m.frames.allocate();
        m.pt.set(0x5000_0000L, ProtectionMap.pte(frame, Mman.PROT_READ, false) & ~Descriptor.AF);
        m.user.read64(0x5000_0000L);
        assertTrue(Descriptor.af(m.pt.pte(0x5000_0000L)));
        assertEquals(frame, PageTables.frameOf(m.pt.pte(0x5000_0000L)));
    }

    @Test
    void filePageBeyondTheEndOfTheFileIsSigbus() {
        m.mm.insert(Vma.file(0x5000_0000L, 0x5000_2000L, Mman.PROT_READ, 0,
                new FileBacking(TestMachine.bytes(new byte[100]), 0, Long.MAX_VALUE, "/short")));
        assertTrue(m.faults.pageFault(0x5000_0000L, AccessType.READ).resolved());
        SignalInfo s = signalFor(0x5000_1000L, AccessType.READ);
        assertEquals(Signal.SIGBUS, s.signo());
        assertEquals(Signal.BUS_ADRERR, s.code());
    }

    @Test
    void stackGrowsDownOnAFaultJustBelowIt() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, Mman.PROT_READ | Mman.PROT_WRITE, Vma.VM_GROWSDOWN, "[stack]"));
        assertTrue(m.faults.pageFault(top - 1000 * PAGE + 8, AccessType.WRITE).resolved());
        assertEquals(top - 1000 * PAGE, m.mm.find(top - 1).start());
    }

    @Test
    void stackDoesNotGrowBeyondRlimitStack() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, Mman.PROT_READ | Mman.PROT_WRITE, Vma.VM_GROWSDOWN, "[stack]"));
        assertEquals(Signal.SEGV_MAPERR, signalFor(top - (8L << 20) - PAGE, AccessType.WRITE).code());
        assertEquals(top - 32 * PAGE, m.mm.find(top - 1).start());
    }

    @Test
    void stackGrowthFollowsTheProcesssCurrentRlimitStack() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, Mman.PROT_READ | Mman.PROT_WRITE, Vma.VM_GROWSDOWN, "[stack]"));
        long[] limit = {64 * PAGE};
        m.mm.setStackLimit(() -> limit[0]);
        assertEquals(Signal.SEGV_MAPERR, signalFor(top - 65 * PAGE, AccessType.WRITE).code());
        limit[0] = -1;
        assertTrue(m.faults.pageFault(top - 65 * PAGE, AccessType.WRITE).resolved(), "RLIM_INFINITY");
        assertEquals(1, m.faults.stackGrowthFaults());
    }

    @Test
    void stackDoesNotGrowWhenTheAddressSpaceWouldPassRlimitAs() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, Mman.PROT_READ | Mman.PROT_WRITE, Vma.VM_GROWSDOWN, "[stack]"));
        long[] limit = {m.mm.totalVm() + 16 * PAGE};
        m.mm.setAddressSpaceLimit(() -> limit[0]);
        assertTrue(m.faults.pageFault(top - 48 * PAGE, AccessType.WRITE).resolved(), "16 pages more fit");
        assertEquals(Signal.SEGV_MAPERR, signalFor(top - 49 * PAGE, AccessType.WRITE).code());
        limit[0] = -1;
        assertTrue(m.faults.pageFault(top - 49 * PAGE, AccessType.WRITE).resolved(), "RLIM_INFINITY");
    }

    @Test
    void stackDoesNotGrowIntoTheGuardGapAboveAnotherMapping() {
        long top = m.mm.layout().stackTop();
        m.mm.insert(Vma.anonymous(top - 32 * PAGE, top, Mman.PROT_READ | Mman.PROT_WRITE, Vma.VM_GROWSDOWN, "[stack]"));
        long below = top - 1024 * PAGE;
        m.mm.insert(Vma.anonymous(below - PAGE, below, Mman.PROT_READ, 0, null));
        // 256 pages must stay free above the other mapping.
        assertEquals(Signal.SEGV_MAPERR, signalFor(below + 100 * PAGE, AccessType.WRITE).code());
        assertTrue(m.faults.pageFault(below + 256 * PAGE, AccessType.WRITE).resolved());
    }

    @Test
    void kernelCopyToAnUnmappedAddressFailsWithBadAddress() {
        org.junit.jupiter.api.Assertions.assertThrows(BadUserAddressException.class,
                () -> m.user.write64(0x7000_0000L, 1));
    }

    @Test
    void runningOutOfFramesIsSigkillNotAJavaError() {
        TestMachine small = new TestMachine(48, 16L << 20);
        small.mm.insert(Vma.anonymous(0x5000_0000L, 0x6000_0000L, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        SignalInfo kill = null;
        for (long va = 0x5000_0000L; kill == null; va += PAGE) {
            FaultHandler.Result r = small.faults.pageFault(va, AccessType.WRITE);
            kill = r.signal();
        }
        assertEquals(Signal.SIGKILL, kill.signo());
        assertTrue(kill.detail().contains("out of memory"), kill.detail());
    }
}
