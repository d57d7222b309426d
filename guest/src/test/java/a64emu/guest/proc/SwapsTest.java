package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.SwapSpace;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** /proc/swaps: mm/swapfile.c swap_show's header and columns, from the swap area's slots. */
class SwapsTest {
    private static final String HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
    private final TestMachine m = new TestMachine(39, 64L << 20);

    private String swaps() {
        return new String(Swaps.show(m.frames.swap()), StandardCharsets.UTF_8);
    }

    @Test
    void withoutSwapOnlyTheHeaderIsShown() {
        assertEquals(HEADER, swaps());
    }

    @Test
    void zram0IsAPartitionPaddedTo40ColumnsWithItsSizeUsedAndPriority() {
        TestZram.attach(m, 1 << 20);
        // 256 pages less the header slot: 1020 kB.
        assertEquals(HEADER + "/dev/block/zram0" + " ".repeat(24) + "partition\t1020\t\t0\t\t-2\n", swaps());
    }

    @Test
    void usedGrowsAsPagesAreSwappedOut() {
        TestZram.attach(m, 1 << 20);
        long va = m.memoryMap.mmap(0, 0x3000, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(m.faults.pageFault(va + i * 0x1000L, a64emu.mmu.AccessType.WRITE).resolved());
        }
        assertEquals(0, m.memoryMap.madvise(va, 0x3000, Mman.MADV_PAGEOUT));
        assertEquals(3, m.frames.swap().usedPages());
        assertTrue(swaps().endsWith("partition\t1020\t\t12\t\t-2\n"), swaps());
    }

    @Test
    void sizesOfEightDigitsGetOneTab() {
        // 10000000 kB and more: swap_show drops the second tab.
        long pages = 10_000_000 / 4 + 2;
        SwapSpace big = new SwapSpace(new SwapSpace.Device() {
            @Override public int write(long offset, byte[] page) { return 0; }
            @Override public int read(long offset, byte[] page) { return 0; }
            @Override public void free(long offset) { }
            @Override public String path() { return "/dev/block/zram0"; }
        }, pages * 4096);
        String text = new String(Swaps.show(big), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("partition\t10000004\t0\t\t-2\n"), text);
    }

    @Test
    void aPathOf40CharactersOrMoreIsFollowedByOneSpaceAndBlanksAreEscaped() {
        assertEquals("/a\\040b", Swaps.escape("/a b"));
        String longPath = "/" + "x".repeat(45);
        SwapSpace s = new SwapSpace(new SwapSpace.Device() {
            @Override public int write(long offset, byte[] page) { return 0; }
            @Override public int read(long offset, byte[] page) { return 0; }
            @Override public void free(long offset) { }
            @Override public String path() { return longPath; }
        }, 2 * 4096);
        assertEquals(HEADER + longPath + " partition\t4\t\t0\t\t-2\n", new String(Swaps.show(s), StandardCharsets.UTF_8));
    }
}
