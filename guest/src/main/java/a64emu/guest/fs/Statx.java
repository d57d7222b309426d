package a64emu.guest.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * statx(2)'s struct statx (include/uapi/linux/stat.h, Linux 6.1), 256 bytes, little-endian:
 * <pre>
 *   0 stx_mask u32       4 stx_blksize u32     8 stx_attributes u64
 *  16 stx_nlink u32     20 stx_uid u32        24 stx_gid u32       28 stx_mode u16  30 spare
 *  32 stx_ino u64       40 stx_size u64       48 stx_blocks u64    56 stx_attributes_mask u64
 *  64 stx_atime  80 stx_btime  96 stx_ctime  112 stx_mtime  (struct statx_timestamp: i64 sec, u32 nsec, pad)
 * 128 stx_rdev_major   132 stx_rdev_minor    136 stx_dev_major    140 stx_dev_minor
 * 144 stx_mnt_id u64   152 stx_dio_mem_align 156 stx_dio_offset_align   160 spare[12] u64
 * </pre>
 *
 * <p>What is filled: the basic stats (STATX_BASIC_STATS), which is what the JDK gives of the
 * host's stat. Not filled, so their bits stay clear in stx_mask (which is how Linux says a file
 * system lacks a field): STATX_BTIME (the JDK 17 on Linux does not read the birth time),
 * STATX_MNT_ID (no mount ids are kept) and STATX_DIOALIGN. A program must look at stx_mask,
 * as statx(2) tells it to.
 */
public final class Statx {
    private Statx() {}

    public static final int SIZE = 256;

    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_NLINK = 0x4;
    public static final int STATX_UID = 0x8;
    public static final int STATX_GID = 0x10;
    public static final int STATX_ATIME = 0x20;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BLOCKS = 0x400;
    public static final int STATX_BASIC_STATS = 0x7FF;
    /** Reserved for a future struct statx expansion: asking for it is EINVAL (fs/stat.c). */
    public static final int STATX_RESERVED = 0x8000_0000;

    /** The flags statx(2) accepts (fs/stat.c statx: AT_STATX_SYNC_TYPE, the lookup flags). */
    public static final int AT_STATX_SYNC_AS_STAT = 0x0000;
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    public static final int AT_STATX_DONT_SYNC = 0x4000;
    public static final int AT_STATX_SYNC_TYPE = 0x6000;

    /** stx_attributes bit: the file is the root of a mount (the guest's "/" here). */
    public static final long STATX_ATTR_MOUNT_ROOT = 0x2000;

    /**
     * Writes the struct statx of {@code st} into {@code out[0..256)}. The mask the caller asked
     * for is a hint only: Linux fills every field it has whatever was asked (fs/stat.c
     * cp_statx), so the basic stats are always there.
     */
    public static void encode(KernelStat st, boolean mountRoot, byte[] out) {
        if (out.length < SIZE) throw new IllegalArgumentException("struct statx needs " + SIZE + " bytes");
        ByteBuffer b = ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SIZE; i += 8) b.putLong(i, 0);
        b.putInt(0, STATX_BASIC_STATS).putInt(4, st.blksize())
                .putLong(8, mountRoot ? STATX_ATTR_MOUNT_ROOT : 0)
                .putInt(16, st.nlink()).putInt(20, st.uid()).putInt(24, st.gid()).putShort(28, (short) st.mode())
                .putLong(32, st.ino()).putLong(40, st.size()).putLong(48, st.blocks())
                .putLong(56, STATX_ATTR_MOUNT_ROOT);
        timestamp(b, 64, st.atimeSec(), st.atimeNsec());
        timestamp(b, 96, st.ctimeSec(), st.ctimeNsec());
        timestamp(b, 112, st.mtimeSec(), st.mtimeNsec());
        b.putInt(128, major(st.rdev())).putInt(132, minor(st.rdev()))
                .putInt(136, major(st.dev())).putInt(140, minor(st.dev()));
    }

    private static void timestamp(ByteBuffer b, int at, long sec, long nsec) {
        b.putLong(at, sec).putInt(at + 8, (int) nsec).putInt(at + 12, 0);
    }

    /** The major number of a dev_t as glibc and Linux's new_encode_dev lay it out. */
    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0xFFF) | ((dev >>> 32) & ~0xFFFL));
    }

    public static int minor(long dev) {
        return (int) ((dev & 0xFF) | ((dev >>> 12) & ~0xFFL));
    }
}
