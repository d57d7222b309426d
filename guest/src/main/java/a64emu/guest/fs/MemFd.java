package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file made by memfd_create(2) (mm/memfd.c): an anonymous tmpfs file that lives in the
 * guest kernel's memory, kept here as sparse 4 KiB pages (a page never written reads as
 * zeros and takes no room). It has no name in any directory: /proc/PID/fd and the maps
 * show "/memfd:NAME (deleted)" as Linux does. Its size, data and seals are the inode's and
 * every descriptor dup'ed or inherited shares them, with one offset per description.
 *
 * <p>Seals (F_ADD_SEALS, include/uapi/linux/fcntl.h) refuse with EPERM what they forbid,
 * as shmem does: F_SEAL_SHRINK a smaller size, F_SEAL_GROW a larger one (a write past the end
 * stops at it), F_SEAL_WRITE and F_SEAL_FUTURE_WRITE every write and a shared writable mapping,
 * F_SEAL_SEAL any further seal. A memfd made without MFD_ALLOW_SEALING starts with F_SEAL_SEAL.
 * Not done: adding F_SEAL_WRITE while a shared writable mapping exists answers 0 where Linux
 * answers EBUSY (mappings are not counted per file here).
 */
public final class MemFd extends OpenFile {
    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;
    public static final int F_SEAL_FUTURE_WRITE = 0x10;
    public static final int F_ALL_SEALS = 0x1F;
    /** The device of the kernel's internal tmpfs mount (shm_mnt) that memfds live on: 0:1. */
    public static final long DEVICE = 1;
    /** MFD_NAME_MAX_LEN: NAME_MAX minus "memfd:". */
    public static final int NAME_MAX_LEN = 249;
    private static final int PAGE = 4096;
    /**
     * The bytes all memfds may hold at once: a quarter of the JVM's heap, so that a guest
     * filling memfds gets ENOSPC (tmpfs's answer when it is full) and never exhausts the host.
     */
    private static final long CAPACITY = Runtime.getRuntime().maxMemory() / 4;
    private static long pagesInUse;
    private static long nextInode = 1;

    /** What the descriptions of one memfd share: Linux's inode. */
    private static final class Inode {
        final long ino;
        final int uid;
        final int gid;
        final TreeMap<Long, byte[]> pages = new TreeMap<>();
        long size;
        int seals;
        long mtimeNanos = System.currentTimeMillis() * 1_000_000L;

        Inode(long ino, int uid, int gid, int seals) {
            this.ino = ino;
            this.uid = uid;
            this.gid = gid;
            this.seals = seals;
        }
    }

    private final Inode inode;
    private long position;

    private MemFd(String name, Inode inode) {
        super("/memfd:" + name + " (deleted)", O_RDWR);
        this.inode = inode;
    }

    /** memfd_create(2)'s file, owned by {@code uid}/{@code gid}; {@code allowSealing} is MFD_ALLOW_SEALING. */
    public static MemFd create(String name, boolean allowSealing, int uid, int gid) {
        long ino;
        synchronized (MemFd.class) {
            ino = nextInode++;
        }
        return new MemFd(name, new Inode(ino, uid, gid, allowSealing ? 0 : F_SEAL_SEAL));
    }

    @Override
    public boolean isRegularFile() {
        return true;
    }

    @Override
    public long size() {
        synchronized (inode) {
            return inode.size;
        }
    }

    /** F_GET_SEALS. */
    public int seals() {
        synchronized (inode) {
            return inode.seals;
        }
    }

    /** F_ADD_SEALS (memfd_add_seals): EPERM without write access or once F_SEAL_SEAL is set, EINVAL for unknown bits. */
    public int addSeals(long seals) {
        if (!writable()) return -Errno.EPERM;
        if ((seals & ~(long) F_ALL_SEALS) != 0) return -Errno.EINVAL;
        synchronized (inode) {
            if ((inode.seals & F_SEAL_SEAL) != 0) return -Errno.EPERM;
            inode.seals |= (int) seals;
            return 0;
        }
    }

    @Override
    public int mayMap(boolean sharedWritable) {
        return sharedWritable && (seals() & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0 ? -Errno.EPERM : 0;
    }

    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        return (int) pread(dst, off, len, pos);
    }

    @Override
    long read(byte[] buf, int off, int len) {
        synchronized (this) {
            long n = pread(buf, off, len, position);
            if (n > 0) position += n;
            return n;
        }
    }

    @Override
    long write(byte[] buf, int off, int len) {
        synchronized (this) {
            long at = appending() ? size() : position;
            long n = pwrite(buf, off, len, at);
            if (n > 0) position = at + n;
            return n;
        }
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        synchronized (inode) {
            if (pos >= inode.size) return 0;
            int n = (int) Math.min(len, inode.size - pos);
            for (int done = 0; done < n; ) {
                long at = pos + done;
                int inPage = (int) (at % PAGE);
                int chunk = Math.min(n - done, PAGE - inPage);
                byte[] page = inode.pages.get(at / PAGE);
                if (page == null) {
                    java.util.Arrays.fill(buf, off + done, off + done + chunk, (byte) 0);
                } else {
                    System.arraycopy(page, inPage, buf, off + done, chunk);
                }
                done += chunk;
            }
            return n;
        }
    }

    @Override
    long pwrite(byte[] buf, int off, int len, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        synchronized (inode) {
            if ((inode.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) return -Errno.EPERM;
            if ((inode.seals & F_SEAL_GROW) != 0 && pos + len > inode.size) {
                // shmem_write_begin refuses the part past the end: what fits is written.
                if (pos >= inode.size) return len == 0 ? 0 : -Errno.EPERM;
                len = (int) (inode.size - pos);
            }
            return store(buf, off, len, pos);
        }
    }

    /** Write-back of a shared mapping's page: the mapping was allowed, so seals do not apply. */
    @Override
    public long writeAt(long pos, byte[] src, int off, int len) {
        synchronized (inode) {
            long n = store(src, off, (int) Math.max(0, Math.min(len, inode.size - pos)), pos);
            return n;
        }
    }

    /** Copies bytes in, growing the file; ENOSPC when every memfd together would pass {@link #CAPACITY}. Holds the inode lock. */
    private long store(byte[] buf, int off, int len, long pos) {
        if (pos + len < 0) return -Errno.EFBIG;
        for (int done = 0; done < len; ) {
            long at = pos + done;
            int inPage = (int) (at % PAGE);
            int chunk = Math.min(len - done, PAGE - inPage);
            byte[] page = inode.pages.get(at / PAGE);
            if (page == null) {
                if (!reserve(1)) {
                    if (done == 0) return -Errno.ENOSPC;
                    len = done;
                    break;
                }
                page = new byte[PAGE];
                inode.pages.put(at / PAGE, page);
            }
            System.arraycopy(buf, off + done, page, inPage, chunk);
            done += chunk;
        }
        if (len > 0) {
            inode.size = Math.max(inode.size, pos + len);
            inode.mtimeNanos = System.currentTimeMillis() * 1_000_000L;
        }
        return len;
    }

    private static synchronized boolean reserve(long pages) {
        if ((pagesInUse + pages) * PAGE > CAPACITY) return false;
        pagesInUse += pages;
        return true;
    }

    private static synchronized void unreserve(long pages) {
        pagesInUse -= pages;
    }

    @Override
    long truncate(long length) {
        synchronized (inode) {
            if (length < inode.size && (inode.seals & F_SEAL_SHRINK) != 0) return -Errno.EPERM;
            if (length > inode.size && (inode.seals & F_SEAL_GROW) != 0) return -Errno.EPERM;
            resize(length);
            return 0;
        }
    }

    /** Sets the size; pages wholly past the end go, the tail of the last one is zeroed. Holds the inode lock. */
    private void resize(long length) {
        if (length < inode.size) {
            long firstGone = (length + PAGE - 1) / PAGE;
            Map<Long, byte[]> gone = inode.pages.tailMap(firstGone, true);
            unreserve(gone.size());
            gone.clear();
            byte[] last = inode.pages.get(length / PAGE);
            if (last != null) java.util.Arrays.fill(last, (int) (length % PAGE), PAGE, (byte) 0);
        }
        inode.size = length;
        inode.mtimeNanos = System.currentTimeMillis() * 1_000_000L;
    }

    /** shmem_fallocate: allocation (EPERM past the end under F_SEAL_GROW) and hole punching (EPERM under a write seal). */
    @Override
    long allocate(int mode, long offset, long len) {
        synchronized (inode) {
            long end = offset + len;
            if ((mode & FileSpace.FALLOC_FL_PUNCH_HOLE) != 0) {
                if (mode != FileSpace.FALLOC_FL_PUNCH_HOLE_KEEP_SIZE) return -Errno.ENOTSUP;
                if ((inode.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) return -Errno.EPERM;
                long stop = Math.min(end, inode.size);
                for (long at = offset; at < stop; ) {
                    long pageNo = at / PAGE;
                    int inPage = (int) (at % PAGE);
                    int chunk = (int) Math.min(stop - at, PAGE - inPage);
                    byte[] page = inode.pages.get(pageNo);
                    if (page != null && chunk == PAGE) {
                        inode.pages.remove(pageNo);
                        unreserve(1);
                    } else if (page != null) {
                        java.util.Arrays.fill(page, inPage, inPage + chunk, (byte) 0);
                    }
                    at += chunk;
                }
                return 0;
            }
            if ((mode & ~FileSpace.FALLOC_FL_KEEP_SIZE) != 0) return -Errno.ENOTSUP;
            if ((inode.seals & F_SEAL_GROW) != 0 && end > inode.size) return -Errno.EPERM;
            if ((mode & FileSpace.FALLOC_FL_KEEP_SIZE) == 0 && end > inode.size) resize(end);
            return 0;
        }
    }

    /** shmem's fsync is noop_fsync: the data is in memory already. */
    @Override
    int fsync(boolean dataOnly) {
        return 0;
    }

    @Override
    synchronized long lseek(long offset, int whence) {
        long size = size();
        long target = seekTarget(position, size, offset, whence);
        if (target < 0) return target;
        position = target;
        return target;
    }

    /** A regular file of mode 0777 with no links (it was never in a directory). */
    @Override
    KernelStat stat() {
        synchronized (inode) {
            long sec = Math.floorDiv(inode.mtimeNanos, 1_000_000_000L);
            long nsec = Math.floorMod(inode.mtimeNanos, 1_000_000_000L);
            return new KernelStat(DEVICE, inode.ino, FileMode.S_IFREG | 0777, 0, inode.uid, inode.gid, 0, inode.size,
                    KernelStat.BLOCK_SIZE, (long) inode.pages.size() * (PAGE / 512), sec, nsec, sec, nsec, sec, nsec);
        }
    }

    @Override
    protected void closeResource() {
        synchronized (inode) {
            // The inode goes with its last description (no name, no mapping: the mm keeps its own reference).
            unreserve(inode.pages.size());
            inode.pages.clear();
        }
    }
}
