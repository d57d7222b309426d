package a64emu.guest.ipc;

import a64emu.guest.mm.PageSource;
import java.util.Arrays;

/**
 * One shared memory segment, Linux {@code struct shmid_kernel}: a shmem object of
 * {@link #size} bytes whose pages live in the page cache under this segment's identity, so
 * that every process attaching it maps the same frames, as MAP_SHARED|MAP_ANONYMOUS memory
 * does. Unlike that memory its pages outlive the mappings: they go when the segment is
 * destroyed (IPC_RMID with no attach left, or the last detach after it).
 *
 * <p>Each shmat makes an {@link Attachment}, the area's file (Linux's per-attach
 * {@code struct file} clone with {@code shm_vm_ops}); areas of one attach are what shmdt
 * unmaps, and the number of areas of all attaches in all address spaces is shm_nattch,
 * counted as Linux counts its {@code vm_ops->open}/{@code close} calls (a split area counts
 * twice, fork duplicates every attach, exit and execve detach).
 */
public final class ShmSegment extends IpcObject {
    /** The shm mode bits beyond the permissions (UAPI linux/shm.h). */
    public static final int SHM_DEST = 01000;
    public static final int SHM_LOCKED = 02000;

    private final Shm shm;
    final long size;
    final long pages;
    /** The name of the segment's file ("SYSV" and the key at creation), as /proc/PID/maps shows it. */
    final String mapsName;
    long atime;
    long dtime;
    long ctime;
    final int cpid;
    int lpid;
    /** The uid whose RLIMIT_MEMLOCK accounting SHM_LOCK charged (mlock_ucounts), -1 for none. */
    long lockedUid = -1;

    ShmSegment(Shm shm, int key, int mode, long size, int cpid, long ctime) {
        this.shm = shm;
        this.key = key;
        this.mode = mode;
        this.size = size;
        this.pages = (size + Shm.PAGE_SIZE - 1) / Shm.PAGE_SIZE;
        this.cpid = cpid;
        this.ctime = ctime;
        this.mapsName = String.format("/SYSV%08x (deleted)", key);
    }

    public long size() {
        return size;
    }

    /** shm_nattch: the areas that map the segment now, in every address space. */
    public long nattch() {
        return shm.areasMapping(this);
    }

    /**
     * The file behind one shmat's areas. Its pages are the segment's (same identity); areas
     * of two attaches never merge, since each attach is its own file.
     */
    public final class Attachment implements PageSource {
        public ShmSegment segment() {
            return ShmSegment.this;
        }

        @Override
        public long size() {
            return size;
        }

        /** A page first touched reads as zeros. */
        @Override
        public int readAt(long pos, byte[] dst, int off, int len) {
            int n = (int) Math.max(0, Math.min(len, size - pos));
            Arrays.fill(dst, off, off + n, (byte) 0);
            return n;
        }

        /** The pages are the only copy of the data: keeping them is the write-back. */
        @Override
        public long writeAt(long pos, byte[] src, int off, int len) {
            return len;
        }

        @Override
        public Object identity() {
            return ShmSegment.this;
        }

        @Override
        public boolean evictWhenUnmapped() {
            return false;
        }

        @Override
        public boolean outlivesMappings() {
            return true;
        }

        /** SHM_LOCK ({@code shmem_lock}): the segment's pages stay in memory. */
        @Override
        public boolean unevictable() {
            return (mode & SHM_LOCKED) != 0;
        }

        /** {@code shm_open} through fork's copy of the area: attach time and pid. */
        @Override
        public void areaOpened() {
            shm.opened(ShmSegment.this);
        }

        /** {@code shm_close}: detach time and pid, and the end of a removed segment's last attach. */
        @Override
        public void areaClosed() {
            shm.closed(ShmSegment.this);
        }
    }
}
