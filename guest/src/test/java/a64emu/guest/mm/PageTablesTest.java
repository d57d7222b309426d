package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.guest.TestMachine;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTablesTest {
    private static final long VA = 0x7f12_3456_7000L & ((1L << 39) - 1);

    private static Fault faultOf(TestMachine m, long va, AccessType access) {
        return assertThrows(GuestException.class, () -> m.mmu.translate(va, access, 0)).fault;
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void installedPageIsWhatTheMmuWalkFinds(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        long frame = m.frames.allocate();
        m.pt.set(VA, ProtectionMap.pte(frame, Mman.PROT_READ | Mman.PROT_WRITE, true));
        assertEquals(frame + 0x123, m.mmu.translate(VA + 0x123, AccessType.WRITE, 0));
        assertEquals(1, m.pt.residentPages());
        // 48-bit: L0, L1, L2, L3 tables (root included); 39-bit: L1 (root), L2, L3.
        assertEquals(vaBits == 48 ? 4 : 3, m.pt.tableFrames());
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void userEntriesCarryLinuxAttributes(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        long frame = m.frames.allocate();
        m.pt.set(VA, ProtectionMap.pte(frame, Mman.PROT_READ | Mman.PROT_WRITE, true));
        // Reference §2: anonymous RW dirty = PA | 0x00E8000000000F43.
        assertEquals(frame | 0x00E8_0000_0000_0F43L, m.pt.pte(VA));
        m.pt.set(VA, ProtectionMap.pte(frame, Mman.PROT_READ, false));
        // private read-only = PA | 0x0060000000000FC3.
        assertEquals(frame | 0x0060_0000_0000_0FC3L, m.pt.pte(VA));
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void readOnlyPageRefusesWritesWithAPermissionFaultAtLevel3(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        m.pt.set(VA, ProtectionMap.pte(m.frames.allocate(), Mman.PROT_READ, false));
        Fault f = faultOf(m, VA, AccessType.WRITE);
        assertEquals(Fault.Kind.PERMISSION, f.kind());
        assertEquals(3, f.level());
        assertEquals(Fault.Kind.PERMISSION, faultOf(m, VA, AccessType.EXECUTE).kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void changingAMappedEntryInvalidatesTheTlbCopy(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        long first = m.frames.allocate();
        long second = m.frames.allocate();
        m.pt.set(VA, ProtectionMap.pte(first, Mman.PROT_READ, false));
        assertEquals(first, m.mmu.translate(VA, AccessType.READ, 0));
        m.pt.set(VA, ProtectionMap.pte(second, Mman.PROT_READ, false));
        assertEquals(second, m.mmu.translate(VA, AccessType.READ, 0));
        m.pt.clear(VA);
        assertEquals(Fault.Kind.TRANSLATION, faultOf(m, VA, AccessType.READ).kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void protNoneEntryKeepsItsFrameButFaults(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        long frame = m.frames.allocate();
        m.pt.set(VA, ProtectionMap.pte(frame, Mman.PROT_NONE, false));
        assertEquals(Fault.Kind.TRANSLATION, faultOf(m, VA, AccessType.READ).kind());
        assertTrue(PageTables.isPresent(m.pt.pte(VA)));
        assertEquals(frame, PageTables.frameOf(m.pt.pte(VA)));
        assertEquals(1, m.pt.residentPages());
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void zappingARangeFreesItsFramesAndEmptyTables(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        int before = m.frames.usedFrames();
        for (int i = 0; i < 600; i++) {
            m.pt.set(VA + i * 4096L, ProtectionMap.pte(m.frames.allocate(), Mman.PROT_READ, false));
        }
        assertEquals(600, m.pt.residentPages());
        m.pt.zap(VA, VA + 600 * 4096L);
        assertEquals(0, m.pt.residentPages());
        assertEquals(600, m.pt.peakResidentPages());
        assertEquals(before, m.frames.usedFrames(), "page frames and table frames all returned");
        assertEquals(1, m.pt.tableFrames());
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void zapLeavesPagesOutsideTheRange(int vaBits) throws OutOfFramesException {
        TestMachine m = new TestMachine(vaBits);
        for (int i = 0; i < 3; i++) {
            m.pt.set(VA + i * 4096L, ProtectionMap.pte(m.frames.allocate(), Mman.PROT_READ, false));
        }
        m.pt.zap(VA + 4096, VA + 8192);
        assertTrue(Descriptor.isValid(m.pt.pte(VA)));
        assertEquals(0, m.pt.pte(VA + 4096));
        assertTrue(Descriptor.isValid(m.pt.pte(VA + 8192)));
    }

    @ParameterizedTest
    @ValueSource(ints = {39, 48})
    void addressesBeyondTheVaSizeAreRefused(int vaBits) {
        TestMachine m = new TestMachine(vaBits);
        assertThrows(IllegalArgumentException.class, () -> m.pt.set(1L << vaBits, 0));
    }

    @org.junit.jupiter.api.Test
    void exhaustedRamIsReportedAsOutOfFramesKeepingTheMinWatermarkForReclaim() {
        TestMachine m = new TestMachine(48, 16L << 20);
        assertThrows(OutOfFramesException.class, () -> {
            while (true) {
                m.frames.allocate();
            }
        });
        // Nothing reclaimable (the frames are no one's pages): allocation stops at the min
        // watermark, the reserve that reclaim itself allocates from (PF_MEMALLOC).
        assertEquals(m.frames.zone().min(), m.frames.freeFrames());
        assertTrue(m.frames.allocateNoReclaim(FrameAllocator.PageKind.ZSMALLOC) >= 0);
    }
}
