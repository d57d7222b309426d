package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsidAllocatorTest {
    private final Mmu mmu = new Mmu(new PhysicalMemory(16L << 20));

    @Test
    void asidsAreHandedOutFromOneAndNotReusedWithinAGeneration() {
        AsidAllocator a = new AsidAllocator(4);
        assertEquals(1, a.allocate(mmu));
        assertEquals(2, a.allocate(mmu));
        a.free(1);
        assertEquals(3, a.allocate(mmu), "a freed ASID waits for the next generation");
        assertEquals(1, a.generation());
    }

    @Test
    void runningOutRollsTheGenerationOverKeepingLiveAsids() {
        AsidAllocator a = new AsidAllocator(3); // ASIDs 1..7
        Set<Integer> live = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            live.add(a.allocate(mmu));
        }
        a.free(2);
        a.free(5);
        int reused = a.allocate(mmu);
        assertEquals(2, a.generation());
        assertEquals(1, a.rollovers());
        assertEquals(2, reused, "the lowest number no live address space holds");
        assertEquals(5, a.allocate(mmu));
        assertNotEquals(0, reused);
    }

    @Test
    void everyAsidLiveIsAKernelBugNotAWrongAnswer() {
        AsidAllocator a = new AsidAllocator(2); // ASIDs 1..3
        a.allocate(mmu);
        a.allocate(mmu);
        a.allocate(mmu);
        assertThrows(IllegalStateException.class, () -> a.allocate(mmu));
    }
}
