package a64emu.guest.zram;

/**
 * The flags word of a zram slot ({@code zram_table_entry.flags}, Linux 6.1
 * {@code drivers/block/zram/zram_drv.h}): the stored object's size in the low
 * {@link #ZRAM_FLAG_SHIFT} bits and the page flags above them. The slot's other word is a
 * zsmalloc handle, or, for a {@link #ZRAM_SAME} page, the repeated 64-bit value (the
 * {@code handle}/{@code element} union). This class is the one place the layout is written.
 */
final class ZramSlot {
    private ZramSlot() {}

    /** {@code ZRAM_FLAG_SHIFT = PAGE_SHIFT + 1}: room for a size of up to PAGE_SIZE. */
    static final int ZRAM_FLAG_SHIFT = 12 + 1;
    private static final int SIZE_MASK = (1 << ZRAM_FLAG_SHIFT) - 1;

    // enum zram_pageflags, from ZRAM_FLAG_SHIFT: ZRAM_LOCK, ZRAM_SAME, ZRAM_WB, ZRAM_UNDER_WB,
    // ZRAM_HUGE, ZRAM_IDLE. The lock, writeback and idle bits have no use here: one thread,
    // no backing device (GKI builds zram without CONFIG_ZRAM_WRITEBACK), no idle marking.

    /** ZRAM_SAME: every 64-bit word of the page is the same value, kept instead of data. */
    static final int ZRAM_SAME = 1 << (ZRAM_FLAG_SHIFT + 1);
    /** ZRAM_HUGE: the page did not compress below huge_class_size and is stored as is. */
    static final int ZRAM_HUGE = 1 << (ZRAM_FLAG_SHIFT + 4);

    /** {@code zram_get_obj_size}. */
    static int objSize(int flags) {
        return flags & SIZE_MASK;
    }

    /** {@code zram_set_obj_size}. */
    static int withObjSize(int flags, int size) {
        return (flags & ~SIZE_MASK) | size;
    }

    static boolean same(int flags) {
        return (flags & ZRAM_SAME) != 0;
    }

    static boolean huge(int flags) {
        return (flags & ZRAM_HUGE) != 0;
    }

    /** The flags as debugfs {@code block_state} prints them ({@code s}ame, {@code w}b, {@code h}uge, {@code i}dle), and the size. */
    static String describe(int flags) {
        return (same(flags) ? "s" : ".") + "." + (huge(flags) ? "h" : ".") + ". size " + objSize(flags);
    }
}
