package a64emu.guest.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The arm64 struct stat that fstat(2)/newfstatat(2) fill: arm64 uses the asm-generic layout
 * (include/uapi/asm-generic/stat.h), 128 bytes, little-endian:
 * <pre>
 *   0 st_dev u64      8 st_ino u64      16 st_mode u32   20 st_nlink u32
 *  24 st_uid u32     28 st_gid u32      32 st_rdev u64   40 __pad1 u64
 *  48 st_size i64    56 st_blksize i32  60 __pad2 i32    64 st_blocks i64
 *  72 st_atime i64   80 st_atime_nsec   88 st_mtime      96 st_mtime_nsec
 * 104 st_ctime      112 st_ctime_nsec  120 __unused4/5 u32 x2
 * </pre>
 */
public record KernelStat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev,
                         long size, int blksize, long blocks,
                         long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                         long ctimeSec, long ctimeNsec) {

    public static final int SIZE = 128;
    /** st_blksize: the page size; ext4 and tmpfs report 4096 too. */
    public static final int BLOCK_SIZE = 4096;

    /** lstat(2) of a host path: the path's own attributes, a symbolic link is not followed. */
    public static KernelStat ofHostPath(Path host) throws IOException {
        return ofUnixAttributes(Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS));
    }

    /** From the JDK's "unix:*" attribute view, which carries the host's struct stat fields. */
    public static KernelStat ofUnixAttributes(Map<String, Object> a) {
        long size = (Long) a.get("size");
        FileTime atime = (FileTime) a.get("lastAccessTime");
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        FileTime ctime = (FileTime) a.get("ctime");
        return new KernelStat((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("rdev"), size, BLOCK_SIZE,
                FileMode.type((Integer) a.get("mode")) == FileMode.S_IFLNK ? linkBlocksFor(size) : blocksFor(size),
                seconds(atime), nanos(atime), seconds(mtime), nanos(mtime), seconds(ctime), nanos(ctime));
    }

    /**
     * st_blocks counts 512-byte units allocated. The JDK does not expose the host's st_blocks, so
     * this assumes a non-sparse file in 4 KiB blocks, which is what ext4 reports for such a file.
     */
    public static long blocksFor(long size) {
        return (size + BLOCK_SIZE - 1) / BLOCK_SIZE * (BLOCK_SIZE / 512);
    }

    /**
     * A symbolic link's own st_blocks (what lstat reports): ext4 keeps a target shorter than
     * the 60 bytes of i_block inside the inode ("fast symlink", no block at all; tmpfs and
     * btrfs also inline short targets); a longer one takes a data block.
     */
    static long linkBlocksFor(long targetLength) {
        return targetLength < FAST_SYMLINK_MAX ? 0 : blocksFor(targetLength);
    }

    /** sizeof(ext4_inode.i_block): EXT4_N_BLOCKS (15) 32-bit words. */
    private static final int FAST_SYMLINK_MAX = 60;

    private static long seconds(FileTime t) {
        return t.to(TimeUnit.SECONDS);
    }

    private static long nanos(FileTime t) {
        return t.toInstant().getNano();
    }

    /** The same stat with another size (a file that grew since the stat was taken). */
    public KernelStat withSize(long newSize) {
        return new KernelStat(dev, ino, mode, nlink, uid, gid, rdev, newSize, blksize, blocksFor(newSize),
                atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec);
    }

    /** Writes the 128-byte guest struct stat into {@code out[0..128)}. */
    public void encode(byte[] out) {
        if (out.length < SIZE) throw new IllegalArgumentException("struct stat needs " + SIZE + " bytes");
        ByteBuffer b = ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, dev).putLong(8, ino).putInt(16, mode).putInt(20, nlink)
                .putInt(24, uid).putInt(28, gid).putLong(32, rdev).putLong(40, 0)
                .putLong(48, size).putInt(56, blksize).putInt(60, 0).putLong(64, blocks)
                .putLong(72, atimeSec).putLong(80, atimeNsec).putLong(88, mtimeSec).putLong(96, mtimeNsec)
                .putLong(104, ctimeSec).putLong(112, ctimeNsec).putInt(120, 0).putInt(124, 0);
    }
}
