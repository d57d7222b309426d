package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory {@link SyntheticNode}, for getdents64(2) and as the dirfd of the *at calls
 * (its guest path is walked again, through the same tree). Listed like {@link DirectoryFile}: "."
 * and ".." first, the offset is the index of the next entry, a rewind to 0 lists afresh.
 */
final class SyntheticDirectory extends OpenFile {
    private final SyntheticNode node;
    private final long device;
    private final long parentInode;
    private List<Dirent64> entries;
    private long position;

    SyntheticDirectory(String guestPath, SyntheticNode node, long parentInode, long device, int flags) {
        super(guestPath, flags);
        this.node = node;
        this.device = device;
        this.parentInode = parentInode;
    }

    @Override
    public boolean isDirectory() {
        return true;
    }

    @Override
    long read(byte[] buf, int off, int len) {
        return -Errno.EISDIR;
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        return -Errno.EISDIR;
    }

    @Override
    synchronized long getdents64(byte[] out) {
        if (entries == null) {
            try {
                entries = list();
            } catch (ErrnoException e) {
                return e.negated();
            }
        }
        int used = 0;
        while (position < entries.size()) {
            Dirent64 d = entries.get((int) position);
            int len = d.recordLength();
            if (used + len > out.length) {
                if (used == 0) return -Errno.EINVAL;
                break;
            }
            used += d.encode(out, used);
            position++;
        }
        return used;
    }

    private List<Dirent64> list() throws ErrnoException {
        List<Dirent64> list = new ArrayList<>();
        list.add(new Dirent64(node.inode(), 1, FileMode.DT_DIR, "."));
        list.add(new Dirent64(parentInode, 2, FileMode.DT_DIR, ".."));
        for (SyntheticNode.Entry e : node.list()) {
            list.add(new Dirent64(e.inode(), list.size() + 1, FileMode.direntType(typeBits(e.kind())), e.name()));
        }
        return list;
    }

    @Override
    synchronized long lseek(long offset, int whence) {
        long target = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            default -> -1;
        };
        if (target < 0) return -Errno.EINVAL;
        if (target == 0) entries = null;
        position = target;
        return target;
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
        };
    }

    /**
     * stat(2) of a synthetic node as procfs answers it: size 0 (the length is unknown until the
     * contents are generated), st_blksize 1024 (proc's s_blocksize), no blocks, two links for a
     * directory, times of now (a proc inode is made when it is looked up).
     */
    static KernelStat statOf(SyntheticNode node, long device) {
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        long sec = nowNanos / 1_000_000_000L;
        long nsec = nowNanos % 1_000_000_000L;
        int nlink = node.kind() == SyntheticNode.Kind.DIRECTORY ? 2 : 1;
        return new KernelStat(device, node.inode(), typeBits(node.kind()) | node.permissions(), nlink,
                node.uid(), node.gid(), 0, 0, 1024, 0, sec, nsec, sec, nsec, sec, nsec);
    }
}
