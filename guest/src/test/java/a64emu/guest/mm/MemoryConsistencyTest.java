package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker the system-call fuzzer runs after each call: silent when all agrees, specific when not. */
class MemoryConsistencyTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private final TestMachine m = new TestMachine(48);
    private final long area = m.memoryMap.mmap(0, 4 * 4096, RW, ANON, null, 0);

    MemoryConsistencyTest() throws BadUserAddressException {
        m.user.write(area, new byte[] {1, 2, 3});
        m.user.read(area + 4096, 1); // the zero page, read-only
    }

    @Test
    void touchedAndZeroPagesOfAMappingAgreeWithTheirCounts() {
        assertEquals(List.of(), MemoryConsistency.problems(m.frames));
    }

    @Test
    void anEntryOutsideEveryVmaIsReported() throws OutOfFramesException {
        long frame = PageTables.frameOf(m.pt.pte(area));
        long stray = area + 64 * 4096;
        m.frames.get(frame);
        m.pt.set(stray, ProtectionMap.pte(frame, RW, true));
        List<String> problems = MemoryConsistency.problems(m.frames);
        assertTrue(problems.stream().anyMatch(p -> p.contains(String.format("0x%x outside every VMA", stray))),
                problems.toString());
    }

    @Test
    void aMapCountThatDisagreesWithTheTablesIsReported() {
        long frame = PageTables.frameOf(m.pt.pte(area));
        m.frames.unmapped(frame, m.pt, area);
        List<String> problems = MemoryConsistency.problems(m.frames);
        assertTrue(problems.stream().anyMatch(p -> p.contains("mapcount 0, but 1 entries map it")),
                problems.toString());
    }

    @Test
    void aWritableEntryInAReadOnlyVmaIsReported() throws OutOfFramesException {
        long frame = PageTables.frameOf(m.pt.pte(area));
        m.memoryMap.mprotect(area, 4096, Mman.PROT_READ);
        m.pt.set(area, ProtectionMap.pte(frame, RW, true));
        List<String> problems = MemoryConsistency.problems(m.frames);
        assertTrue(problems.stream().anyMatch(p -> p.contains("grants more than")), problems.toString());
    }
}
