package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import a64emu.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The JIT's host TLB holds only what the architectural TLB holds: made by a successful
 * translation, gone with the TLB entry (TLBI, eviction), with a SCTLR or TCR write, with the
 * frame's host array, and never a write entry into a frame the JIT watches.
 */
class HostTlbTest {
    private static final long VA = 0x0000_0000_0040_0000L;
    private static final long PA = 0x0011_1000L;
    private static final long OTHER_PA = 0x0022_2000L;
    private static final long USER_RW = Descriptor.PAGE_READWRITE_DIRTY;

    private final PhysicalMemory ram = new PhysicalMemory(64L << 20);
    private final TestTables tables = new TestTables(ram, 0x10_0000, 48);

    private static boolean hits(HostTlb h, long[] tags, long va) {
        return tags[HostTlb.index(va)] == h.tag(va);
    }

    private Mmu mmu() {
        ram.write64(PA, 0x1234);       // resident frames: a read entry needs the host array
        ram.write64(OTHER_PA, 0x5678);
        tables.mapPage(VA, PA, USER_RW);
        return tables.mmu(1, 0);
    }

    @Test
    void aTranslationFillsTheEntryOfItsAccessKindOnly() {
        Mmu mmu = mmu();
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA + 8, AccessType.READ);
        assertEquals(true, hits(h, h.readTag, VA));
        assertEquals(false, hits(h, h.writeTag, VA));
        assertSame(ram.frameArray(PA), h.readFrame[HostTlb.index(VA)]);
        mmu.translateForHost(VA, AccessType.WRITE);
        assertEquals(true, hits(h, h.writeTag, VA));
    }

    @Test
    void aFrameNeverWrittenGetsNoReadEntry() {
        tables.mapPage(VA, 0x0033_3000L, USER_RW);
        Mmu mmu = tables.mmu(1, 0);
        HostTlb h = mmu.hostTlb();
        assertEquals(0x0033_3000L, mmu.translateForHost(VA, AccessType.READ));
        assertEquals(false, hits(h, h.readTag, VA), "it reads as zero through the slow path");
    }

    @Test
    void aStaleTranslationStaysUntilTheTlbiAsInTheTlb() {
        Mmu mmu = mmu();
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA, AccessType.READ);
        tables.mapPage(VA, OTHER_PA, USER_RW); // no TLBI yet: hardware may keep using the old entry
        assertEquals(true, hits(h, h.readTag, VA));
        assertSame(ram.frameArray(PA), h.readFrame[HostTlb.index(VA)]);
        mmu.tlbi(TlbiOp.VAE1, TlbiOp.operand(VA, 1));
        assertEquals(false, hits(h, h.readTag, VA));
        assertEquals(OTHER_PA, mmu.translateForHost(VA, AccessType.READ));
        assertSame(ram.frameArray(OTHER_PA), h.readFrame[HostTlb.index(VA)]);
    }

    @Test
    void anEvictionFromTheTlbDropsTheEntry() {
        ram.write64(PA, 1);
        Mmu mmu = new Mmu(ram, new Tlb(new Tlb.Geometry(0, 1, 1)));
        TestTables t = tables;
        t.mapPage(VA, PA, USER_RW);
        t.mapPage(VA + 0x1000, OTHER_PA, USER_RW);
        ram.write64(OTHER_PA, 2);
        mmu.setTcr(tables.mmu(1, 0).tcr());
        mmu.setTtbr0(t.root | (1L << Mmu.TTBR_ASID_SHIFT));
        mmu.setSctlr(Mmu.SCTLR_M);
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA, AccessType.READ);
        assertEquals(true, hits(h, h.readTag, VA));
        mmu.translateForHost(VA + 0x1000, AccessType.READ); // the one-entry TLB evicts VA's entry
        assertEquals(false, hits(h, h.readTag, VA));
        assertEquals(true, hits(h, h.readTag, VA + 0x1000));
    }

    @Test
    void releasingTheFrameDropsEntriesHoldingItsArray() {
        Mmu mmu = mmu();
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA, AccessType.WRITE);
        mmu.translateForHost(VA, AccessType.READ);
        ram.releaseFrame(PA);
        assertEquals(false, hits(h, h.readTag, VA));
        assertEquals(false, hits(h, h.writeTag, VA));
    }

    @Test
    void aWatchedFrameGetsNoWriteEntryAndWatchingDropsTheOldOne() {
        Mmu mmu = mmu();
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA, AccessType.WRITE);
        assertEquals(true, hits(h, h.writeTag, VA));
        int frame = (int) (PA >>> PhysicalMemory.FRAME_SHIFT);
        ram.watchFrame(frame);
        h.flushWritesTo(frame);
        assertEquals(false, hits(h, h.writeTag, VA));
        mmu.translateForHost(VA, AccessType.WRITE);
        assertEquals(false, hits(h, h.writeTag, VA), "stores there must reach PhysicalMemory, which reports them");
    }

    @Test
    void anotherAsidMissesAndSctlrOrTcrWritesFlush() {
        Mmu mmu = mmu();
        HostTlb h = mmu.hostTlb();
        mmu.translateForHost(VA, AccessType.READ);
        long asid1Tag = h.tag(VA);
        mmu.setTtbr0(tables.root | (2L << Mmu.TTBR_ASID_SHIFT));
        assertNotEquals(asid1Tag, h.tag(VA));
        assertEquals(false, hits(h, h.readTag, VA));
        mmu.setTtbr0(tables.root | (1L << Mmu.TTBR_ASID_SHIFT));
        assertEquals(true, hits(h, h.readTag, VA), "the entry was tagged, not flushed");
        mmu.setSctlr(mmu.sctlr());
        assertEquals(false, hits(h, h.readTag, VA));
        mmu.translateForHost(VA, AccessType.READ);
        mmu.setTcr(mmu.tcr());
        assertEquals(false, hits(h, h.readTag, VA));
    }
}
