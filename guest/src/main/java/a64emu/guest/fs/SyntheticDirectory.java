package a64emu.guest.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * An open directory {@link SyntheticNode}, for getdents64(2) and as the dirfd of the *at calls
 * (its guest path is walked again, through the same tree). Listed like {@link DirectoryFile}: "."
 * and ".." first, the offset is the index of the next entry, a rewind to 0 lists afresh.
 */
final class SyntheticDirectory extends ListedDirectory {
    private final SyntheticNode node;
    private final long device;
    private final long parentInode;

    SyntheticDirectory(String guestPath, SyntheticNode node, long parentInode, long device, int flags) {
        super(guestPath, flags);
        this.node = node;
        this.device = device;
        this.parentInode = parentInode;
    }

    @Override
    List<Dirent64> list() throws ErrnoException {
        List<Dirent64> list = new ArrayList<>();
        list.add(new Dirent64(node.inode(), 1, FileMode.DT_DIR, "."));
        list.add(new Dirent64(parentInode, 2, FileMode.DT_DIR, ".."));
        for (SyntheticNode.Entry e : node.list()) {
            list.add(new Dirent64(e.inode(), list.size() + 1, FileMode.direntType(typeBits(e.kind())), e.name()));
        }
        return list;
    }

    @Override
    KernelStat stat() {
        return statOf(node, device);
    }

    static int typeBits(SyntheticNode.Kind kind) {
        return switch (kind) {
            case DIRECTORY -> FileMode.S_IFDIR;
            case REGULAR -> FileMode.S_IFREG;
            case SYMLINK -> FileMode.S_IFLNK;
            case CHARACTER_DEVICE -> FileMode.S_IFCHR;
        };
    }

    /**
     * stat(2) of a synthetic node as procfs answers it: size 0 (the length is unknown until the
     * contents are generated), st_blksize 1024 (proc's s_blocksize), no blocks, two links for a
     * directory, times of now (a proc inode is made when it is looked up); a device node's
     * st_rdev, and devtmpfs's st_blksize (a shmem inode's page size).
     */
    static KernelStat statOf(SyntheticNode node, long device) {
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        long sec = nowNanos / 1_000_000_000L;
        long nsec = nowNanos % 1_000_000_000L;
        int nlink = node.kind() == SyntheticNode.Kind.DIRECTORY ? 2 : 1;
        return new KernelStat(device, node.inode(), typeBits(node.kind()) | node.permissions(), nlink,
                node.uid(), node.gid(), node.rdev(), 0,
                node.kind() == SyntheticNode.Kind.CHARACTER_DEVICE ? KernelStat.BLOCK_SIZE : 1024, 0, sec, nsec, sec, nsec, sec, nsec);
    }
}
