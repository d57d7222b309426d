package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.memory.PhysicalMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTableDumpTest {
    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 39);

    @Test
    void adjacentPagesWithTheSameAttributesMergeIntoOneRangeWhateverTheirPhysicalAddresses() {
        tables.mapPage(0x40_0000L, 0x0080_0000L, Descriptor.PAGE_READONLY_EXEC);
        tables.mapPage(0x40_1000L, 0x0080_1000L, Descriptor.PAGE_READONLY_EXEC);
        tables.mapPage(0x40_2000L, 0x0090_0000L, Descriptor.PAGE_READONLY_EXEC);   // PA not contiguous: merged
        tables.mapPage(0x40_3000L, 0x0090_1000L, Descriptor.PAGE_READWRITE_DIRTY); // other attributes
        tables.mapBlock(0x4000_0000L, 0x0200_0000L, 2, Descriptor.PAGE_READWRITE_DIRTY);
        Mmu mmu = tables.mmu(1, 0);
        mmu.setMair(0x0000_0004_0044_FFFFL);
        List<PageTableDump.Mapping> maps = PageTableDump.mappings(mmu, false);
        assertEquals(3, maps.size());
        assertEquals(0x40_0000L, maps.get(0).va());
        assertEquals(0x3000, maps.get(0).size());
        assertEquals(0x0090_1000L, maps.get(1).pa());
        assertEquals(2, maps.get(2).level());
        assertEquals("0x0000000000400000-0x0000000000403000          12K PTE   USR ro NX SHD AF NG"
                        + "                 MEM/NORMAL",
                PageTableDump.format(maps.get(0), mmu.mair()));
        assertEquals("0x0000000040000000-0x0000000040200000           2M PMD   USR RW NX SHD AF NG     BLK UXN DBM"
                        + " MEM/NORMAL",
                PageTableDump.format(maps.get(2), mmu.mair()));
    }

    @Test
    void swapEntriesAreListedDecodedAndMergedWhileTheirOffsetsFollowEachOther() {
        tables.mapPage(0x40_0000L, 0x0080_0000L, Descriptor.PAGE_READWRITE_DIRTY);
        tables.setPte(0x40_1000L, SwapPte.encode(0, 0x10, true));
        tables.setPte(0x40_2000L, SwapPte.encode(0, 0x11, true));
        tables.setPte(0x40_3000L, SwapPte.encode(0, 0x20, true)); // not the next offset: a new run
        tables.setPte(0x40_4000L, Descriptor.pte(0x0090_0000L, Descriptor.PAGE_NONE));
        Mmu mmu = tables.mmu(1, 0);
        mmu.setMair(0x0000_0004_0044_FFFFL);
        List<PageTableDump.Mapping> maps = PageTableDump.mappings(mmu, false);
        assertEquals(4, maps.size());
        assertEquals("0x0000000000401000-0x0000000000403000           8K PTE F   swap type=0 offsets=0x10-0x11 exclusive",
                PageTableDump.format(maps.get(1), mmu.mair()));
        assertEquals("0x0000000000403000-0x0000000000404000           4K PTE F   swap type=0 offset=0x20 exclusive",
                PageTableDump.format(maps.get(2), mmu.mair()));
        assertEquals("0x0000000000404000-0x0000000000405000           4K PTE F   PROT_NONE",
                PageTableDump.format(maps.get(3), mmu.mair()));
        assertEquals("0x0000000000402000-0x0000000000403000           4K PTE F   swap type=0 offset=0x11 exclusive",
                PageTableDump.format(maps.get(1).slice(0x40_2000L, 0x40_3000L), mmu.mair()));
    }
}
