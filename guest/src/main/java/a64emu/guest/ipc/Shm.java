package a64emu.guest.ipc;

import a64emu.guest.Errno;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Overcommit;
import a64emu.guest.mm.Vma;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * System V shared memory, Linux {@code ipc/shm.c}: shmget, shmctl, shmat and shmdt with the
 * limits of Linux 6.1's defaults (kernel.shmmax and shmall ULONG_MAX - 2^24, shmmni 4096).
 * A segment is mapped by {@link MemoryMap#mmap} as a MAP_SHARED file mapping of its
 * {@link ShmSegment.Attachment}, so faults, fork, reclaim, accounting and /proc treat it as
 * the shmem it is in Linux.
 */
public final class Shm {
    static final long PAGE_SIZE = 4096;
    /** arm64 SHMLBA: PAGE_SIZE (asm-generic/shmparam.h; only compat tasks use 4 pages). */
    public static final long SHMLBA = PAGE_SIZE;
    public static final long SHMMIN = 1;
    /** SHMMAX and SHMALL: ULONG_MAX - (1UL << 24), compared unsigned. */
    public static final long SHMMAX = -1L - (1L << 24);
    public static final long SHMALL = SHMMAX;
    public static final int SHMMNI = 4096;

    public static final int SHM_HUGETLB = 04000;
    /** SHM_HUGE_SHIFT and SHM_HUGE_MASK: the log2 of the huge page size in the shmget flags. */
    static final int SHM_HUGE_SHIFT = 26;
    static final int SHM_HUGE_MASK = 0x3f;
    /** vm.hugetlb_shm_group: the group allowed SHM_HUGETLB without CAP_IPC_LOCK. */
    static final long HUGETLB_SHM_GROUP = 0;
    public static final int SHM_NORESERVE = 010000;
    public static final int SHM_RDONLY = 010000;
    public static final int SHM_RND = 020000;
    public static final int SHM_REMAP = 040000;
    public static final int SHM_EXEC = 0100000;

    public static final int SHM_LOCK = 11;
    public static final int SHM_UNLOCK = 12;
    public static final int SHM_STAT = 13;
    public static final int SHM_INFO = 14;
    public static final int SHM_STAT_ANY = 15;

    /** sizeof(struct shmid64_ds), struct shminfo64 and struct shm_info on a 64-bit kernel. */
    public static final int SHMID64_DS_SIZE = 112;
    public static final int SHMINFO64_SIZE = 72;
    public static final int SHM_INFO_SIZE = 48;

    private final IpcIds<ShmSegment> ids = new IpcIds<>();
    private final FrameAllocator frames;
    private final IntSupplier currentTgid;
    private final LongSupplier realtimeSeconds;
    /** shm_tot: pages of all segments. */
    private long totalPages;
    /** The pages SHM_LOCK charged to each user (the ucounts' UCOUNT_RLIMIT_MEMLOCK). */
    private final Map<Long, Long> lockedPages = new HashMap<>();

    Shm(FrameAllocator frames, IntSupplier currentTgid, LongSupplier realtimeSeconds) {
        this.frames = frames;
        this.currentTgid = currentTgid;
        this.realtimeSeconds = realtimeSeconds;
    }

    /** shmget(2). */
    public synchronized long get(IpcCaller c, int key, long size, int flg) {
        return ids.get(key, flg, c, new IpcIds.Ops<>() {
            @Override
            public long create() {
                return newSegment(c, key, size, flg);
            }

            @Override
            public int moreChecks(ShmSegment s) {
                return Long.compareUnsigned(s.size, size) < 0 ? -Errno.EINVAL : 0;
            }
        });
    }

    /** Linux {@code newseg}, in its order of checks. */
    private long newSegment(IpcCaller c, int key, long size, int flg) {
        if (Long.compareUnsigned(size, SHMMIN) < 0 || Long.compareUnsigned(size, SHMMAX) > 0) {
            return -Errno.EINVAL;
        }
        long pages = Long.divideUnsigned(size, PAGE_SIZE) + (Long.remainderUnsigned(size, PAGE_SIZE) != 0 ? 1 : 0);
        if (Long.compareUnsigned(totalPages + pages, totalPages) < 0
                || Long.compareUnsigned(totalPages + pages, SHMALL) > 0) {
            return -Errno.ENOSPC;
        }
        if ((flg & SHM_HUGETLB) != 0) {
            return hugetlbSetup(c, flg);
        }
        // shmem_kernel_file_setup charges the size unless SHM_NORESERVE (shmem_acct_size).
        if ((flg & SHM_NORESERVE) == 0 && !Overcommit.enoughMemory(frames, pages)) {
            return -Errno.ENOMEM;
        }
        ShmSegment s = new ShmSegment(this, key, flg & IpcObject.S_IRWXUGO, size, c.tgid(), c.realtimeSeconds());
        int id = ids.add(s, SHMMNI, c);
        if (id < 0) {
            return id;
        }
        totalPages += pages;
        return id;
    }

    /**
     * newseg's SHM_HUGETLB branch: the huge page size asked (log2 in bits 26..31, 0 for the
     * default) must be one arm64 has with 4 KiB pages (64 KiB, 2 MiB, 32 MiB, 1 GiB: EINVAL
     * else); {@code hugetlb_file_setup} wants CAP_IPC_LOCK or vm.hugetlb_shm_group (0, root's
     * group: EPERM else); then no huge page is reserved (vm.nr_hugepages = 0): ENOMEM.
     */
    private static long hugetlbSetup(IpcCaller c, int flg) {
        int sizeLog = (flg >>> SHM_HUGE_SHIFT) & SHM_HUGE_MASK;
        if (sizeLog != 0 && sizeLog != 16 && sizeLog != 21 && sizeLog != 25 && sizeLog != 30) {
            return -Errno.EINVAL;
        }
        if (!c.capable(IpcCaller.CAP_IPC_LOCK) && !c.inGroup(HUGETLB_SHM_GROUP)) {
            return -Errno.EPERM;
        }
        return -Errno.ENOMEM;
    }

    /** Whether the command writes a structure back, and how large. */
    public static int outputSize(int cmd) {
        return switch (cmd) {
            case Ipc.IPC_STAT, SHM_STAT, SHM_STAT_ANY -> SHMID64_DS_SIZE;
            case Ipc.IPC_INFO -> SHMINFO64_SIZE;
            case SHM_INFO -> SHM_INFO_SIZE;
            default -> 0;
        };
    }

    /**
     * shmctl(2) once the syscall layer has read IPC_SET's struct shmid64_ds into {@code buf};
     * the structures the command returns are written to {@code buf} (little-endian, zeroed).
     */
    public synchronized long ctl(IpcCaller c, int shmid, int cmd, ByteBuffer buf) {
        if (cmd < 0 || shmid < 0) {
            return -Errno.EINVAL;
        }
        return switch (cmd) {
            case Ipc.IPC_INFO -> {
                buf.putLong(0, SHMMAX);
                buf.putLong(8, SHMMIN);
                buf.putLong(16, SHMMNI);
                buf.putLong(24, SHMMNI);
                buf.putLong(32, SHMALL);
                yield Math.max(0, ids.maxIdx());
            }
            case SHM_INFO -> {
                buf.putInt(0, ids.inUse());
                long rss = 0;
                long swp = 0;
                for (ShmSegment s : ids.all()) {
                    rss += residentPages(s);
                    swp += swappedPages(s);
                }
                buf.putLong(8, totalPages);
                buf.putLong(16, rss);
                buf.putLong(24, swp);
                yield Math.max(0, ids.maxIdx());
            }
            case Ipc.IPC_STAT, SHM_STAT, SHM_STAT_ANY -> stat(c, shmid, cmd, buf);
            case Ipc.IPC_SET, Ipc.IPC_RMID -> {
                ShmSegment s = ids.check(shmid);
                if (s == null) {
                    yield -Errno.EINVAL;
                }
                if (!s.mayControl(c)) {
                    yield -Errno.EPERM;
                }
                if (cmd == Ipc.IPC_RMID) {
                    remove(s);
                    yield 0;
                }
                IpcObject.PermSet p = IpcObject.PermSet.of(buf, 0);
                int err = s.updatePerm(p.uid(), p.gid(), p.mode());
                if (err == 0) {
                    s.ctime = c.realtimeSeconds();
                }
                yield err;
            }
            case SHM_LOCK, SHM_UNLOCK -> lock(c, shmid, cmd);
            default -> -Errno.EINVAL;
        };
    }

    /** {@code shmctl_stat}: SHM_STAT and SHM_STAT_ANY take an index and return the id. */
    private long stat(IpcCaller c, int shmid, int cmd, ByteBuffer buf) {
        ShmSegment s = cmd == Ipc.IPC_STAT ? ids.check(shmid) : ids.byIndex(shmid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (cmd != SHM_STAT_ANY && !s.permits(c, Ipc.S_IRUGO)) {
            return -Errno.EACCES;
        }
        s.putIpc64Perm(buf, 0);
        buf.putLong(48, s.size);
        buf.putLong(56, s.atime);
        buf.putLong(64, s.dtime);
        buf.putLong(72, s.ctime);
        buf.putInt(80, s.cpid);
        buf.putInt(84, s.lpid);
        buf.putLong(88, s.nattch());
        return cmd == Ipc.IPC_STAT ? 0 : s.id;
    }

    /**
     * {@code do_shm_rmid}: a segment still attached only loses its key and is marked
     * SHM_DEST (it is destroyed at its last detach); one attached nowhere goes now.
     */
    private void remove(ShmSegment s) {
        if (s.nattch() != 0) {
            s.mode |= ShmSegment.SHM_DEST;
            ids.setKeyPrivate(s);
        } else {
            destroy(s);
        }
    }

    /** {@code shm_destroy}: the id goes, the pages are freed, a SHM_LOCK charge is returned. */
    private void destroy(ShmSegment s) {
        totalPages -= s.pages;
        ids.remove(s);
        unlockCharge(s);
        frames.pageCache().dropObject(s);
    }

    /**
     * {@code shmctl_do_lock}: without CAP_IPC_LOCK only the owner or creator (EPERM), and
     * SHM_LOCK not at all with RLIMIT_MEMLOCK 0; the lock is charged to the caller's user
     * against RLIMIT_MEMLOCK (ENOMEM past it, {@code user_shm_lock}).
     */
    private long lock(IpcCaller c, int shmid, int cmd) {
        ShmSegment s = ids.check(shmid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (!c.capable(IpcCaller.CAP_IPC_LOCK)) {
            if (c.euid() != s.uid && c.euid() != s.cuid) {
                return -Errno.EPERM;
            }
            if (cmd == SHM_LOCK && c.memlockLimit() == 0) {
                return -Errno.EPERM;
            }
        }
        if (cmd == SHM_LOCK) {
            if ((s.mode & ShmSegment.SHM_LOCKED) != 0) {
                return 0;
            }
            long charged = lockedPages.getOrDefault(c.euid(), 0L) + s.pages;
            boolean unlimited = c.memlockLimit() < 0;
            if (!unlimited && charged > c.memlockLimit() / PAGE_SIZE && !c.capable(IpcCaller.CAP_IPC_LOCK)) {
                return -Errno.ENOMEM;
            }
            lockedPages.put(c.euid(), charged);
            s.lockedUid = c.euid();
            s.mode |= ShmSegment.SHM_LOCKED;
            return 0;
        }
        if ((s.mode & ShmSegment.SHM_LOCKED) != 0) {
            unlockCharge(s);
            s.mode &= ~ShmSegment.SHM_LOCKED;
        }
        return 0;
    }

    private void unlockCharge(ShmSegment s) {
        if (s.lockedUid >= 0) {
            lockedPages.merge(s.lockedUid, -s.pages, Long::sum);
            s.lockedUid = -1;
        }
    }

    /**
     * {@code do_shmat}: the address rounded down with SHM_RND or EINVAL if not page aligned;
     * SHM_REMAP needs an address; the access asked (read, write unless SHM_RDONLY, execute
     * with SHM_EXEC) is checked against the mode (EACCES); a given address must be free
     * unless SHM_REMAP (EINVAL). Then a MAP_SHARED mapping of the whole segment, fixed when an
     * address was given. Returns the address or -errno.
     */
    public synchronized long attach(IpcCaller c, MemoryMap mm, int shmid, long addr, int flg) {
        if (shmid < 0) {
            return -Errno.EINVAL;
        }
        int flags;
        if (addr != 0) {
            if ((addr & (SHMLBA - 1)) != 0) {
                if ((flg & SHM_RND) == 0) {
                    return -Errno.EINVAL;
                }
                addr &= ~(SHMLBA - 1);
                if (addr == 0 && (flg & SHM_REMAP) != 0) {
                    return -Errno.EINVAL;
                }
            }
            flags = Mman.MAP_SHARED | Mman.MAP_FIXED;
        } else {
            if ((flg & SHM_REMAP) != 0) {
                return -Errno.EINVAL;
            }
            flags = Mman.MAP_SHARED;
        }
        boolean readOnly = (flg & SHM_RDONLY) != 0;
        int prot = readOnly ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
        int access = readOnly ? Ipc.S_IRUGO : Ipc.S_IRUGO | Ipc.S_IWUGO;
        if ((flg & SHM_EXEC) != 0) {
            prot |= Mman.PROT_EXEC;
            access |= Ipc.S_IXUGO;
        }
        ShmSegment s = ids.check(shmid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (!s.permits(c, access)) {
            return -Errno.EACCES;
        }
        long size = s.size;
        AddressSpace as = mm.addressSpace();
        if (addr != 0 && (flg & SHM_REMAP) == 0) {
            if (addr + size < addr || !as.isFree(addr, addr + size)) {
                return -Errno.EINVAL;
            }
        }
        ShmSegment.Attachment file = s.new Attachment();
        long r = mm.mmap(addr, size, prot, flags,
                new MemoryMap.MappableFile(file, s.mapsName, true, !readOnly), 0);
        if (r >= 0) {
            // shm_mmap -> shm_open.
            opened(s);
        }
        return r;
    }

    /**
     * {@code ksys_shmdt}: from the first area at or above {@code addr} that an attach made at
     * {@code addr} (its file offset equals its distance from it), every area of that attach
     * within the segment's size from {@code addr} is unmapped; EINVAL if none.
     */
    public synchronized long detach(AddressSpace mm, long addr) {
        if ((addr & (PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        List<Vma> after = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            if (v.end() > addr) {
                after.add(v);
            }
        }
        ShmSegment.Attachment file = null;
        long size = 0;
        int i = 0;
        for (; i < after.size(); i++) {
            Vma v = after.get(i);
            if (madeByAttachAt(v, addr)) {
                file = (ShmSegment.Attachment) v.backing().source();
                size = file.segment().size;
                mm.unmap(v.start(), v.end());
                i++;
                break;
            }
        }
        if (file == null) {
            return -Errno.EINVAL;
        }
        long limit = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
        for (; i < after.size() && after.get(i).end() - addr <= limit; i++) {
            Vma v = after.get(i);
            if (madeByAttachAt(v, addr) && v.backing().source() == file) {
                mm.unmap(v.start(), v.end());
            }
        }
        return 0;
    }

    private static boolean madeByAttachAt(Vma v, long addr) {
        return v.backing() != null && v.backing().source() instanceof ShmSegment.Attachment
                && Long.divideUnsigned(v.start() - addr, PAGE_SIZE) == v.backing().offset() / PAGE_SIZE;
    }

    /** {@code shm_open}: an attach or fork's copy of an area. */
    synchronized void opened(ShmSegment s) {
        s.atime = realtimeSeconds.getAsLong();
        s.lpid = currentTgid.getAsInt();
    }

    /** {@code shm_close}: a detach; the last one of a removed segment destroys it. */
    synchronized void closed(ShmSegment s) {
        s.dtime = realtimeSeconds.getAsLong();
        s.lpid = currentTgid.getAsInt();
        if (!s.deleted && (s.mode & ShmSegment.SHM_DEST) != 0 && s.nattch() == 0) {
            destroy(s);
        }
    }

    /** The areas of every address space mapping {@code s}. */
    long areasMapping(ShmSegment s) {
        long n = 0;
        for (AddressSpace as : frames.addressSpaces()) {
            for (Vma v : as.vmas()) {
                if (v.backing() != null && v.backing().source() instanceof ShmSegment.Attachment a
                        && a.segment() == s) {
                    n++;
                }
            }
        }
        return n;
    }

    long residentPages(ShmSegment s) {
        return frames.pageCache().cachedPages(s);
    }

    long swappedPages(ShmSegment s) {
        return frames.pageCache().swappedPages(s, 0, Long.MAX_VALUE);
    }

    /** The segments, by index (for /proc/sysvipc/shm). */
    synchronized List<ShmSegment> segments() {
        return new ArrayList<>(ids.all());
    }

    /** The segment with id {@code shmid}, or null. */
    public synchronized ShmSegment segment(int shmid) {
        return ids.check(shmid);
    }
}
