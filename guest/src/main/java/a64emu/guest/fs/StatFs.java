package a64emu.guest.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arm64 struct statfs that statfs(2) and fstatfs(2) fill (include/uapi/asm-generic/statfs.h,
 * 64-bit longs, 120 bytes, little-endian):
 * <pre>
 *   0 f_type      8 f_bsize    16 f_blocks   24 f_bfree    32 f_bavail
 *  40 f_files    48 f_ffree    56 f_fsid (two s32)         64 f_namelen
 *  72 f_frsize   80 f_flags    88 f_spare[4]
 * </pre>
 * A host file's figures come from its host file system, through {@link FileStore} (sizes and
 * the type's name, turned into Linux's magic number); Java cannot read the host's inode
 * counts, so f_files and f_ffree are 0, as Linux reports them for file systems without an
 * inode table (btrfs). The synthetic trees answer as Linux's proc and sysfs do, pipes as
 * pipefs, a terminal as devpts, every other kernel object as the anonymous-inode file system.
 */
public record StatFs(long type, long blockSize, long blocks, long freeBlocks, long availableBlocks,
                     long files, long freeFiles, long fsid, long nameMax, long flags) {
    public static final int SIZE = 120;

    public static final long EXT4_SUPER_MAGIC = 0xEF53;
    public static final long PROC_SUPER_MAGIC = 0x9fa0;
    public static final long SYSFS_MAGIC = 0x62656572;
    public static final long TMPFS_MAGIC = 0x01021994;
    public static final long PIPEFS_MAGIC = 0x50495045;
    public static final long DEVPTS_SUPER_MAGIC = 0x1cd1;
    public static final long ANON_INODE_FS_MAGIC = 0x09041934;

    /** f_flags bits (include/linux/statfs.h): ST_VALID says f_flags is filled at all. */
    static final long ST_RDONLY = 0x1;
    static final long ST_NOSUID = 0x2;
    static final long ST_NODEV = 0x4;
    static final long ST_NOEXEC = 0x8;
    static final long ST_VALID = 0x20;
    static final long ST_RELATIME = 0x1000;

    private static final long NAME_MAX = 255;

    /** Linux's magic numbers (include/uapi/linux/magic.h) by the names /proc/mounts gives types. */
    private static final Map<String, Long> MAGIC_BY_TYPE = Map.ofEntries(
            Map.entry("ext2", EXT4_SUPER_MAGIC), Map.entry("ext3", EXT4_SUPER_MAGIC),
            Map.entry("ext4", EXT4_SUPER_MAGIC), Map.entry("xfs", 0x58465342L),
            Map.entry("btrfs", 0x9123683EL), Map.entry("tmpfs", TMPFS_MAGIC),
            Map.entry("devtmpfs", TMPFS_MAGIC), Map.entry("overlay", 0x794c7630L),
            Map.entry("nfs", 0x6969L), Map.entry("nfs4", 0x6969L), Map.entry("zfs", 0x2FC12FC1L),
            Map.entry("vfat", 0x4d44L), Map.entry("fuse", 0x65735546L), Map.entry("fuseblk", 0x65735546L),
            Map.entry("9p", 0x01021997L), Map.entry("ramfs", 0x858458f6L),
            Map.entry("squashfs", 0x73717368L), Map.entry("f2fs", 0xF2F52010L),
            Map.entry("proc", PROC_SUPER_MAGIC), Map.entry("sysfs", SYSFS_MAGIC));

    /**
     * The file system of a host path (resolved inside the guest's root already); with
     * {@code readOnlyMount} ({@code run --read-only}) it is mounted read-only: ST_RDONLY.
     */
    static StatFs ofHost(Path host, boolean readOnlyMount) throws ErrnoException {
        try {
            FileStore store = Files.getFileStore(host);
            long bsize = store.getBlockSize();
            // f_fsid: the device number, as the kernel's huge_encode_dev(s_dev) gives it for
            // most file systems, split into its two words.
            Object dev = Files.getAttribute(host, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            long device = dev instanceof Long d ? d : 0;
            Long magic = MAGIC_BY_TYPE.get(store.type().toLowerCase(Locale.ROOT));
            return new StatFs(magic == null ? 0 : magic, bsize, store.getTotalSpace() / bsize,
                    store.getUnallocatedSpace() / bsize, store.getUsableSpace() / bsize, 0, 0,
                    device, NAME_MAX, ST_VALID | (store.isReadOnly() || readOnlyMount ? ST_RDONLY : 0));
        } catch (IOException e) {
            throw ErrnoException.from(e);
        } catch (UnsupportedOperationException e) {
            return pseudo(0, 0);
        }
    }

    /** The file system of an open file, for fstatfs(2). */
    static StatFs of(OpenFile f, boolean readOnlyMount) throws ErrnoException {
        Path host = HostName.currentHostOf(f);
        if (host != null) return ofHost(host, readOnlyMount);
        if (f instanceof Pipe.ReadEnd || f instanceof Pipe.WriteEnd) return pseudo(PIPEFS_MAGIC, 0);
        if (f.isTerminal()) return pseudo(DEVPTS_SUPER_MAGIC, ST_NOSUID | ST_NOEXEC | ST_RELATIME);
        String path = f.guestPath();
        if (path != null && path.startsWith("/") && !(f instanceof StdStream)) {
            List<String> parts = GuestPaths.split(path);
            return ofSynthetic(parts.isEmpty() ? "" : parts.get(0));
        }
        // The host's standard streams when they are not a terminal (a pipe, most often), and
        // the kernel's other objects.
        return pseudo(f instanceof StdStream ? PIPEFS_MAGIC : ANON_INODE_FS_MAGIC, 0);
    }

    /** A node of a synthetic tree: /proc is proc, /sys sysfs, anything else devtmpfs. */
    static StatFs ofSynthetic(String topComponent) {
        return switch (topComponent) {
            case "proc" -> pseudo(PROC_SUPER_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
            case "sys" -> pseudo(SYSFS_MAGIC, ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
            default -> pseudo(TMPFS_MAGIC, ST_NOSUID | ST_RELATIME);
        };
    }

    /** A file system with no blocks of its own: sizes 0, 4 KiB blocks. */
    static StatFs pseudo(long magic, long mountFlags) {
        return new StatFs(magic, 4096, 0, 0, 0, 0, 0, 0, NAME_MAX, ST_VALID | mountFlags);
    }

    public void encode(byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(type).putLong(blockSize).putLong(blocks).putLong(freeBlocks).putLong(availableBlocks)
                .putLong(files).putLong(freeFiles)
                .putInt((int) fsid).putInt((int) (fsid >>> 32))
                .putLong(nameMax).putLong(blockSize).putLong(flags)
                .putLong(0).putLong(0).putLong(0).putLong(0);
    }
}
