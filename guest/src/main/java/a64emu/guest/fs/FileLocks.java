package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The advisory file locks of the guest kernel (Linux fs/locks.c), per inode and shared by every
 * process of the machine: flock(2) locks, owned by an open file description; POSIX record locks
 * (fcntl F_SETLK), owned by a process's descriptor table and released when that process closes
 * any descriptor of the file; and open file description locks (F_OFD_SETLK), owned by the
 * description. POSIX and OFD locks conflict with each other (different owners) but never with
 * flock locks. Locks are guest-kernel state only: host processes do not see them.
 *
 * <p>A request that conflicts answers -EAGAIN; a caller that may sleep (F_SETLKW, flock
 * without LOCK_NB) waits on {@link #queue} and asks again when a lock on the inode goes.
 * Deadlock detection (EDEADLK) is not done: two processes waiting on each other sleep until
 * a signal.
 */
public final class FileLocks {
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;
    /** The end of a lock to the end of the file and beyond (OFFSET_MAX). */
    public static final long OFFSET_MAX = Long.MAX_VALUE;

    /** What names a file for its locks: st_dev and st_ino, so every open of it meets the same locks. */
    private record Inode(long dev, long ino) {}

    /** A byte-range lock [start, end] (end inclusive). {@code pid} is F_GETLK's l_pid: the owner's tgid, -1 for OFD. */
    public record RangeLock(Object owner, int pid, boolean ofd, int type, long start, long end) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }
    }

    private static final class InodeLocks {
        final Map<OpenFile, Integer> flocks = new HashMap<>();
        final List<RangeLock> ranges = new ArrayList<>();
        final WaitQueue waiters = new WaitQueue();

        boolean isEmpty() {
            return flocks.isEmpty() && ranges.isEmpty() && waiters.size() == 0;
        }
    }

    /** Runs when a description's last reference goes: its flock and OFD locks go with it. */
    private record Release(FileLocks locks, OpenFile file) implements Runnable {
        @Override
        public void run() {
            locks.releaseDescription(file);
        }
    }

    private final Map<Object, InodeLocks> inodes = new HashMap<>();
    /** The owners (descriptor tables) holding POSIX locks, so that close(2) of others costs nothing. */
    private final Set<Object> posixOwners = new HashSet<>();

    /** The inode key of an open file (its dev and ino). */
    public static Object inodeOf(OpenFile f) throws ErrnoException {
        KernelStat st = f.stat();
        return new Inode(st.dev(), st.ino());
    }

    /** Where a caller that must wait for a lock on {@code inode} registers to be woken. */
    public synchronized WaitQueue queue(Object inode) {
        return inodes.computeIfAbsent(inode, k -> new InodeLocks()).waiters;
    }

    /**
     * flock(2) of description {@code f} with {@code type} F_RDLCK (LOCK_SH), F_WRLCK (LOCK_EX) or
     * F_UNLCK (LOCK_UN): 0, or -EAGAIN when another description holds a conflicting lock. A
     * conversion first drops the old lock (flock_lock_inode), so a blocked upgrade has let go.
     */
    public int flock(OpenFile f, Object inode, int type) {
        WaitQueue wake = null;
        int result = 0;
        synchronized (this) {
            InodeLocks l = inodes.computeIfAbsent(inode, k -> new InodeLocks());
            Integer held = l.flocks.get(f);
            if (held != null && held == type) return 0;
            if (held != null) {
                l.flocks.remove(f);
                wake = l.waiters;
            }
            if (type != F_UNLCK) {
                boolean conflict = false;
                for (Map.Entry<OpenFile, Integer> e : l.flocks.entrySet()) {
                    if (e.getKey() != f && (type == F_WRLCK || e.getValue() == F_WRLCK)) conflict = true;
                }
                if (conflict) {
                    result = -Errno.EAGAIN;
                } else {
                    l.flocks.put(f, type);
                    f.onLastRelease(new Release(this, f));
                }
            }
            forgetIfEmpty(inode, l);
        }
        if (wake != null) wake.wakeUp();
        return result;
    }

    /** The first lock another owner holds that conflicts with {@code type} over [start, end], or null (F_GETLK). */
    public synchronized RangeLock conflicting(Object owner, Object inode, int type, long start, long end) {
        InodeLocks l = inodes.get(inode);
        if (l == null) return null;
        for (RangeLock r : l.ranges) {
            if (r.owner() != owner && r.overlaps(start, end) && (type == F_WRLCK || r.type() == F_WRLCK)) return r;
        }
        return null;
    }

    /**
     * F_SETLK / F_OFD_SETLK: sets (or with F_UNLCK removes) {@code owner}'s lock over [start, end],
     * replacing what the owner held there and merging with its adjacent locks of the same type
     * (posix_lock_inode). 0, or -EAGAIN on a conflict with another owner.
     *
     * @param ofd whether the owner is an open file description (OFD lock), released with it
     */
    public int setRange(Object owner, int pid, boolean ofd, Object inode, int type, long start, long end) {
        WaitQueue wake;
        synchronized (this) {
            if (type != F_UNLCK && conflicting(owner, inode, type, start, end) != null) return -Errno.EAGAIN;
            InodeLocks l = inodes.computeIfAbsent(inode, k -> new InodeLocks());
            List<RangeLock> mine = new ArrayList<>();
            for (Iterator<RangeLock> it = l.ranges.iterator(); it.hasNext(); ) {
                RangeLock r = it.next();
                if (r.owner() != owner) continue;
                it.remove();
                if (!r.overlaps(start, end)) {
                    mine.add(r);
                    continue;
                }
                if (r.start() < start) mine.add(new RangeLock(owner, pid, ofd, r.type(), r.start(), start - 1));
                if (r.end() > end) mine.add(new RangeLock(owner, pid, ofd, r.type(), end + 1, r.end()));
            }
            if (type != F_UNLCK) mine.add(new RangeLock(owner, pid, ofd, type, start, end));
            l.ranges.addAll(merged(mine));
            if (!ofd && type != F_UNLCK) posixOwners.add(owner);
            if (ofd && type != F_UNLCK && owner instanceof OpenFile f) f.onLastRelease(new Release(this, f));
            wake = l.waiters;
            forgetIfEmpty(inode, l);
        }
        wake.wakeUp();
        return 0;
    }

    /** One owner's locks sorted, with touching or overlapping ones of one type joined. */
    private static List<RangeLock> merged(List<RangeLock> locks) {
        locks.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<RangeLock> out = new ArrayList<>();
        for (RangeLock r : locks) {
            RangeLock last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.type() == r.type() && (last.end() == OFFSET_MAX || r.start() <= last.end() + 1)) {
                out.set(out.size() - 1, new RangeLock(last.owner(), last.pid(), last.ofd(), last.type(), last.start(),
                        Math.max(last.end(), r.end())));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** Whether {@code owner} holds POSIX locks anywhere (cheap: close(2) asks it for every descriptor). */
    public synchronized boolean holdsPosixLocks(Object owner) {
        return posixOwners.contains(owner);
    }

    /**
     * close(2) of any descriptor of {@code inode} by {@code owner} (locks_remove_posix): every
     * POSIX lock the owner held on the file goes, even those taken through another descriptor.
     */
    public void closedByOwner(Object owner, Object inode) {
        WaitQueue wake = null;
        synchronized (this) {
            InodeLocks l = inodes.get(inode);
            if (l == null) return;
            if (l.ranges.removeIf(r -> r.owner() == owner && !r.ofd())) wake = l.waiters;
            boolean stillHolds = false;
            for (InodeLocks other : inodes.values()) {
                for (RangeLock r : other.ranges) stillHolds |= r.owner() == owner;
            }
            if (!stillHolds) posixOwners.remove(owner);
            forgetIfEmpty(inode, l);
        }
        if (wake != null) wake.wakeUp();
    }

    /** The last reference to {@code f} went: its flock and OFD locks go (locks_remove_file). */
    void releaseDescription(OpenFile f) {
        List<WaitQueue> wake = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Object, InodeLocks>> it = inodes.entrySet().iterator(); it.hasNext(); ) {
                InodeLocks l = it.next().getValue();
                boolean removed = l.flocks.remove(f) != null;
                removed |= l.ranges.removeIf(r -> r.owner() == f);
                if (removed) wake.add(l.waiters);
                if (l.isEmpty()) it.remove();
            }
        }
        wake.forEach(WaitQueue::wakeUp);
    }

    private void forgetIfEmpty(Object inode, InodeLocks l) {
        if (l.isEmpty()) inodes.remove(inode);
    }

    /** The range locks on {@code inode}, for tests and /proc/locks. */
    public synchronized List<RangeLock> rangeLocks(Object inode) {
        InodeLocks l = inodes.get(inode);
        return l == null ? List.of() : List.copyOf(l.ranges);
    }
}
