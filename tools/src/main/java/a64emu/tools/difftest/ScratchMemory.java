package a64emu.tools.difftest;

import java.util.SplittableRandom;

/**
 * The flat physical memory both engines see (MMU off, VA = PA): {@link #SIZE} bytes from
 * address 0, filled with random bytes from the run's seed. Everything outside
 * {@code [0, SIZE)} is unmapped in both engines, so an access there faults in both.
 *
 * <p>Instructions under test run in one of {@link #SLOTS} 32-byte slots of the code page,
 * at slot+4, so consecutive cases run at different PCs. Nothing starts at PC+4 of
 * another case: Unicorn ends a run there by translating an empty block, which it caches
 * and does not invalidate when the word is rewritten (seen as a case that did not
 * execute at all after an MSR, which ends its block). The qemu-aarch64 oracle uses the
 * rest of the slot as its trampoline (slot+0 loads X30, slot+8 branches back). The page
 * after the code page holds the Unicorn oracle's fixed helper instructions.
 */
final class ScratchMemory {
    static final int SIZE = 128 * 1024;
    static final long CODE_PAGE = 0x10000;
    static final int SLOT_BYTES = 32;
    static final int SLOTS = 4096 / SLOT_BYTES;
    /** Where the oracle keeps its own helper instructions (FPCR/FPSR/monitor set-up). */
    static final long HELPER_PAGE = 0x11000;

    /** What every byte of memory holds before a case, the slot word included. */
    final byte[] reference = new byte[SIZE];

    ScratchMemory(long seed) {
        new SplittableRandom(seed ^ 0x5CA7C4L).nextBytes(reference);
    }

    static long slotAddress(long caseIndex) {
        return CODE_PAGE + (long) SLOT_BYTES * Math.floorMod(caseIndex, SLOTS) + 4;
    }

    /**
     * The lowest address data pointers are drawn from (page 0 is reached only through
     * negative offsets; all three engines map it).
     */
    static final int FIRST_DATA = 4096;

    /** The code page and the helper page. */
    static boolean isOraclePage(long address) {
        return address >= CODE_PAGE && address < HELPER_PAGE + 4096;
    }

    static boolean contains(long address) {
        return address >= 0 && address < SIZE;
    }

    int wordAt(long address) {
        int a = (int) address;
        return (reference[a] & 0xFF) | (reference[a + 1] & 0xFF) << 8 | (reference[a + 2] & 0xFF) << 16
                | (reference[a + 3] & 0xFF) << 24;
    }

    void putWord(long address, int word) {
        int a = (int) address;
        reference[a] = (byte) word;
        reference[a + 1] = (byte) (word >>> 8);
        reference[a + 2] = (byte) (word >>> 16);
        reference[a + 3] = (byte) (word >>> 24);
    }
}
