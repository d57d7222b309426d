package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VmLayoutTest {
    private static final long PAGE = 4096;

    @Test
    void theSameSeedGivesTheSameLayout() {
        assertEquals(VmLayout.create(48, new SplittableRandom(7)), VmLayout.create(48, new SplittableRandom(7)));
    }

    @Test
    void differentSeedsGiveDifferentLayouts() {
        VmLayout a = VmLayout.create(48, new SplittableRandom(1));
        VmLayout b = VmLayout.create(48, new SplittableRandom(2));
        assertNotEquals(a.stackTop(), b.stackTop());
        assertNotEquals(a.mmapBase(), b.mmapBase());
        assertNotEquals(a.brkOffset(), b.brkOffset());
    }

    @Test
    void withoutRandomisationTheLayoutIsLinuxsFixedOne() {
        VmLayout l = VmLayout.forVaBits(48);
        assertFalse(l.randomized());
        assertEquals(1L << 48, l.stackTop());
        // mmap_base = STACK_TOP - max(128 MiB, RLIMIT_STACK + stack_guard_gap).
        assertEquals((1L << 48) - (128L << 20), l.mmapBase());
        assertEquals(0, l.brkOffset());
        assertEquals(((1L << 48) / 3 * 2) & ~(PAGE - 1), l.elfEtDynBase());
    }

    @Test
    void randomDrawsStayInsideLinuxsRanges() {
        for (int vaBits : new int[] {39, 48}) {
            long task = 1L << vaBits;
            for (long seed = 0; seed < 200; seed++) {
                VmLayout l = VmLayout.create(vaBits, new SplittableRandom(seed));
                assertTrue(l.randomized());
                // randomize_stack_top: up to STACK_RND_MASK pages (1 GiB) below TASK_SIZE.
                assertTrue(l.stackTop() <= task && l.stackTop() >= task - (0x3FFFFL << 12), "stack " + seed);
                assertEquals(0, l.stackTop() % PAGE);
                // mmap_base: below the gap (RLIMIT_STACK + guard gap + stack randomisation), then rnd.
                long gap = Math.max(128L << 20, (8L << 20) + (1L << 20) + (0x3FFFFL << 12));
                long maxRnd = ((1L << VmLayout.mmapRndBits(vaBits)) - 1) << 12;
                assertTrue(l.mmapBase() <= task - gap && l.mmapBase() >= task - gap - maxRnd, "mmap " + seed);
                assertEquals(0, l.mmapBase() % PAGE);
                assertTrue(l.brkOffset() >= 0 && l.brkOffset() < (1L << 30) && l.brkOffset() % PAGE == 0);
            }
        }
    }

    @Test
    void mmapRandomBitsAreTheArm64Maximum() {
        assertEquals(24, VmLayout.mmapRndBits(39));
        assertEquals(33, VmLayout.mmapRndBits(48));
    }

    @Test
    void theHeapStartsAfterTheImagePlusTheRandomBrkOffset() throws Exception {
        VmLayout l = VmLayout.create(48, new SplittableRandom(3));
        a64emu.guest.TestMachine m = new a64emu.guest.TestMachine(48);
        AddressSpace mm = new AddressSpace(new PageTables(m.frames, m.mmu, 48, 2), l);
        mm.setStartBrk(0x4a_0000L);
        assertEquals(0x4a_0000L + l.brkOffset(), mm.startBrk());
        assertEquals(mm.startBrk(), mm.brk());
    }

    @Test
    void theGapAboveMmapBaseFollowsRlimitStackClampedTo128MibAndFiveSixths() {
        long task = 1L << 48;
        long guard = 256 * PAGE;
        assertEquals(task - (1L << 30) - guard, VmLayout.create(48, null, 1L << 30, false).mmapBase());
        assertEquals(task - (128L << 20), VmLayout.create(48, null, 64L << 10, false).mmapBase());
        // A limit so large that adding the guard gap overflows is clamped to 5/6 of STACK_TOP.
        assertEquals(VmLayout.pageAlign(task - task / 6 * 5), VmLayout.create(48, null, -2, false).mmapBase());
        assertFalse(VmLayout.create(48, null, 1L << 30, false).legacy());
    }

    @Test
    void anUnlimitedStackOrAddrCompatLayoutChoosesTheLegacyBottomUpLayout() {
        long unmappedBase = (1L << 48) / 4;
        VmLayout unlimited = VmLayout.create(48, null, VmLayout.RLIM_INFINITY, false);
        assertTrue(unlimited.legacy());
        assertEquals(unmappedBase, unlimited.mmapBase());
        VmLayout compat = VmLayout.create(48, null, 8L << 20, true);
        assertTrue(compat.legacy());
        assertEquals(unmappedBase, compat.mmapBase());
        // With randomisation, mmap_base is TASK_UNMAPPED_BASE plus arch_mmap_rnd.
        VmLayout random = VmLayout.create(39, new SplittableRandom(5), VmLayout.RLIM_INFINITY, false);
        long maxRnd = ((1L << VmLayout.mmapRndBits(39)) - 1) << 12;
        assertTrue(random.mmapBase() >= (1L << 39) / 4 && random.mmapBase() <= (1L << 39) / 4 + maxRnd);
    }

    @Test
    void theLegacyLayoutPlacesMappingsBottomUpFromMmapBaseAndTheDefaultTopDownBelowIt() throws Exception {
        a64emu.guest.TestMachine m = new a64emu.guest.TestMachine(48);
        AddressSpace legacy = new AddressSpace(new PageTables(m.frames, m.mmu, 48, 2),
                VmLayout.create(48, null, VmLayout.RLIM_INFINITY, false));
        long first = legacy.unmappedArea(3 * PAGE);
        assertEquals(legacy.layout().mmapBase(), first);
        legacy.insert(Vma.anonymous(first, first + 3 * PAGE, Mman.PROT_READ, 0, null));
        assertEquals(first + 3 * PAGE, legacy.unmappedArea(PAGE));

        AddressSpace topDown = new AddressSpace(new PageTables(m.frames, m.mmu, 48, 3), VmLayout.forVaBits(48));
        long top = topDown.unmappedArea(3 * PAGE);
        assertEquals(topDown.layout().mmapBase() - 3 * PAGE, top);
        topDown.insert(Vma.anonymous(top, top + 3 * PAGE, Mman.PROT_READ, 0, null));
        assertEquals(top - PAGE, topDown.unmappedArea(PAGE));
    }
}
