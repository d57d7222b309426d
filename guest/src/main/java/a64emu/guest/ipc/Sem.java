package a64emu.guest.ipc;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * System V semaphores, Linux {@code ipc/sem.c}: semget, semop/semtimedop and semctl with
 * Linux 6.1's default limits (kernel.sem = 32000 1024000000 500 32000). A semop that cannot
 * complete sleeps in its set's queue; whatever changes the values (an operation, SETVAL,
 * SETALL, undo at exit) serves the sleepers in queue order ({@code update_queue}) and wakes
 * those it served, whose next run returns the result; removal wakes them to EIDRM. SEM_UNDO
 * adjustments are kept per
 * process (the undo list of a thread group) and applied when it exits, the values clamped
 * to [0, SEMVMX] as {@code exit_sem} does.
 */
public final class Sem {
    public static final int SEMMSL = 32000;
    public static final int SEMMNI = 32000;
    public static final int SEMMNS = SEMMNI * SEMMSL;
    public static final int SEMOPM = 500;
    public static final int SEMVMX = 32767;
    public static final int SEMAEM = SEMVMX;
    public static final int SEMUME = SEMOPM;
    public static final int SEMMNU = SEMMNS;
    public static final int SEMMAP = SEMMNS;
    public static final int SEMUSZ = 20;

    public static final int SEM_UNDO = 0x1000;
    public static final int GETPID = 11;
    public static final int GETVAL = 12;
    public static final int GETALL = 13;
    public static final int GETNCNT = 14;
    public static final int GETZCNT = 15;
    public static final int SETVAL = 16;
    public static final int SETALL = 17;
    public static final int SEM_STAT = 18;
    public static final int SEM_INFO = 19;
    public static final int SEM_STAT_ANY = 20;

    /** sizeof(struct semid64_ds) on a 64-bit kernel, sizeof(struct seminfo), sizeof(struct sembuf). */
    public static final int SEMID64_DS_SIZE = 88;
    public static final int SEMINFO_SIZE = 40;
    public static final int SEMBUF_SIZE = 6;

    /** One struct sembuf: the semaphore (unsigned short), the operation, IPC_NOWAIT|SEM_UNDO. */
    public record SemBuf(int semnum, short op, short flg) {}

    private final IpcIds<SemSet> ids = new IpcIds<>();
    private final Consumer<Object> wake;
    private int usedSems;
    /** The undo lists by thread group: each set's semadj values. */
    private final Map<Integer, Map<SemSet, short[]>> undo = new HashMap<>();

    private final java.util.function.LongSupplier realtimeSeconds;

    Sem(Consumer<Object> wake, java.util.function.LongSupplier realtimeSeconds) {
        this.wake = wake;
        this.realtimeSeconds = realtimeSeconds;
    }

    /** semget(2). */
    public synchronized long get(IpcCaller c, int key, int nsems, int flg) {
        if (nsems < 0 || nsems > SEMMSL) {
            return -Errno.EINVAL;
        }
        return ids.get(key, flg, c, new IpcIds.Ops<>() {
            @Override
            public long create() {
                if (nsems == 0) {
                    return -Errno.EINVAL;
                }
                if ((long) usedSems + nsems > SEMMNS) {
                    return -Errno.ENOSPC;
                }
                SemSet s = new SemSet(key, flg & IpcObject.S_IRWXUGO, nsems, c.realtimeSeconds());
                int id = ids.add(s, SEMMNI, c);
                if (id >= 0) {
                    usedSems += nsems;
                }
                return id;
            }

            @Override
            public int moreChecks(SemSet s) {
                return nsems > s.nsems() ? -Errno.EINVAL : 0;
            }
        });
    }

    /**
     * semop(2)/semtimedop(2) after the syscall layer checked nsops and the timeout: the
     * operations all at once or none ({@code perform_atomic_semop}, applied in order),
     * EFBIG for a semaphore past the set, EACCES, ERANGE past SEMVMX or the undo range,
     * EAGAIN with IPC_NOWAIT, else sleep. {@code sleptOn} is the set a woken call slept on
     * (EIDRM if it went meanwhile); {@code waiter} names the thread and tells whether it is
     * still asleep, for GETNCNT and GETZCNT.
     */
    public synchronized Outcome semop(IpcCaller c, int semid, List<SemBuf> sops, SemSet sleptOn, Object waiter,
                                      BooleanSupplier asleep) {
        if (sleptOn != null) {
            Long done = sleptOn.takeResult(waiter);
            if (done != null) {
                return Outcome.of(done);
            }
            if (sleptOn.isDeleted()) {
                sleptOn.removeWaiter(waiter);
                return Outcome.of(-Errno.EIDRM);
            }
            if (sleptOn.isWaiting(waiter)) {
                // Still queued: every change since ran update_queue, which could not serve it.
                return Outcome.sleep(sleptOn);
            }
        }
        int max = 0;
        boolean undos = false;
        boolean alter = false;
        for (SemBuf op : sops) {
            max = Math.max(max, op.semnum());
            undos |= (op.flg() & SEM_UNDO) != 0;
            alter |= op.op() != 0;
        }
        SemSet s = ids.check(semid);
        if (s == null) {
            return Outcome.of(-Errno.EINVAL);
        }
        if (max >= s.nsems()) {
            return Outcome.of(-Errno.EFBIG);
        }
        if (!s.permits(c, alter ? Ipc.S_IWUGO : Ipc.S_IRUGO)) {
            return Outcome.of(-Errno.EACCES);
        }
        if (undos) {
            // find_alloc_undo: the process's entry for the set exists from its first SEM_UNDO call.
            undo.computeIfAbsent(c.tgid(), k -> new IdentityHashMap<>()).computeIfAbsent(s, k -> new short[k.nsems()]);
        }
        SemBuf blocking = perform(s, sops, c.tgid(), c.realtimeSeconds());
        if (blocking == null) {
            if (alter) {
                updateQueue(s, c.realtimeSeconds());
            }
            return Outcome.of(0);
        }
        if (blocking.semnum() < 0) {
            return Outcome.of(blocking.op());
        }
        if ((blocking.flg() & Ipc.IPC_NOWAIT) != 0) {
            return Outcome.of(-Errno.EAGAIN);
        }
        s.addWaiter(waiter, new SemSet.Waiter(sops, alter, c.tgid(), blocking.semnum(), blocking.op() == 0, asleep));
        return Outcome.sleep(s);
    }

    /**
     * {@code perform_atomic_semop}: every operation in order against the values as the earlier
     * ones left them, all applied (with the SEM_UNDO adjustments, the pids and the time) or
     * none. Returns null when done, the operation that must wait, or an error as a SemBuf
     * with semnum -1 and the -errno as its op (ERANGE past SEMVMX or the adjustment range).
     */
    private SemBuf perform(SemSet s, List<SemBuf> sops, int tgid, long now) {
        Map<SemSet, short[]> list = undo.get(tgid);
        short[] adj = list == null ? null : list.get(s);
        int[] values = s.values.clone();
        short[] newAdj = adj == null ? null : adj.clone();
        for (SemBuf op : sops) {
            int v = values[op.semnum()];
            if ((op.op() == 0 && v != 0) || v + op.op() < 0) {
                return op;
            }
            v += op.op();
            if (v > SEMVMX) {
                return new SemBuf(-1, (short) -Errno.ERANGE, (short) 0);
            }
            if ((op.flg() & SEM_UNDO) != 0) {
                int u = newAdj[op.semnum()] - op.op();
                if (u < -SEMAEM - 1 || u > SEMAEM) {
                    return new SemBuf(-1, (short) -Errno.ERANGE, (short) 0);
                }
                newAdj[op.semnum()] = (short) u;
            }
            values[op.semnum()] = v;
        }
        System.arraycopy(values, 0, s.values, 0, values.length);
        if (adj != null) {
            System.arraycopy(newAdj, 0, adj, 0, adj.length);
        }
        for (SemBuf op : sops) {
            s.pids[op.semnum()] = tgid;
        }
        // set_semotime / do_smart_update: the first operation's semaphore carries the time.
        s.otimes[sops.get(0).semnum()] = now;
        return null;
    }

    /**
     * {@code update_queue} after the values changed: the sleepers are tried in the order they
     * went to sleep; one whose operations now complete (or fail) gets its result and is woken,
     * and after an operation that altered a value the scan starts again from the first.
     */
    private void updateQueue(SemSet s, long now) {
        boolean served = false;
        boolean again = true;
        while (again) {
            again = false;
            for (Map.Entry<Object, SemSet.Waiter> e : s.waiters()) {
                SemSet.Waiter w = e.getValue();
                SemBuf blocking = perform(s, w.ops(), w.tgid(), now);
                if (blocking != null && blocking.semnum() >= 0) {
                    s.addWaiter(e.getKey(), w.blockedAt(blocking.semnum(), blocking.op() == 0));
                    continue;
                }
                s.complete(e.getKey(), blocking == null ? 0 : blocking.op());
                served = true;
                if (blocking == null && w.alter()) {
                    again = true;
                    break;
                }
            }
        }
        if (served) {
            wake.accept(s);
        }
    }

    /** The size of what a semctl command writes back through its pointer argument (GETALL: the caller's). */
    public static int outputSize(int cmd) {
        return switch (cmd) {
            case Ipc.IPC_STAT, SEM_STAT, SEM_STAT_ANY -> SEMID64_DS_SIZE;
            case Ipc.IPC_INFO, SEM_INFO -> SEMINFO_SIZE;
            default -> 0;
        };
    }

    /** IPC_INFO and SEM_INFO ({@code semctl_info}): struct seminfo, then the highest index in use. */
    public synchronized long info(int cmd, ByteBuffer buf) {
        boolean semInfo = cmd == SEM_INFO;
        buf.putInt(0, SEMMAP);
        buf.putInt(4, SEMMNI);
        buf.putInt(8, SEMMNS);
        buf.putInt(12, SEMMNU);
        buf.putInt(16, SEMMSL);
        buf.putInt(20, SEMOPM);
        buf.putInt(24, SEMUME);
        buf.putInt(28, semInfo ? ids.inUse() : SEMUSZ);
        buf.putInt(32, SEMVMX);
        buf.putInt(36, semInfo ? usedSems : SEMAEM);
        return Math.max(0, ids.maxIdx());
    }

    /** IPC_STAT, SEM_STAT (by index, returns the id), SEM_STAT_ANY (no read permission needed). */
    public synchronized long stat(IpcCaller c, int semid, int cmd, ByteBuffer buf) {
        SemSet s = cmd == Ipc.IPC_STAT ? ids.check(semid) : ids.byIndex(semid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (cmd != SEM_STAT_ANY && !s.permits(c, Ipc.S_IRUGO)) {
            return -Errno.EACCES;
        }
        s.putIpc64Perm(buf, 0);
        buf.putLong(48, s.otime());
        buf.putLong(56, s.ctime);
        buf.putLong(64, s.nsems());
        return cmd == Ipc.IPC_STAT ? 0 : s.id;
    }

    /** SETVAL ({@code semctl_setval}): ERANGE outside [0, SEMVMX]; every process's adjustment of it is cleared. */
    public synchronized long setval(IpcCaller c, int semid, int semnum, int val) {
        if (val > SEMVMX || val < 0) {
            return -Errno.ERANGE;
        }
        SemSet s = ids.check(semid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (semnum < 0 || semnum >= s.nsems()) {
            return -Errno.EINVAL;
        }
        if (!s.permits(c, Ipc.S_IWUGO)) {
            return -Errno.EACCES;
        }
        for (Map<SemSet, short[]> list : undo.values()) {
            short[] adj = list.get(s);
            if (adj != null) {
                adj[semnum] = 0;
            }
        }
        s.values[semnum] = val;
        s.pids[semnum] = c.tgid();
        s.ctime = c.realtimeSeconds();
        updateQueue(s, c.realtimeSeconds());
        return 0;
    }

    /** The set for GETALL and SETALL, checked ({@code semctl_main}'s start): EINVAL, EACCES. */
    public synchronized long checkAll(IpcCaller c, int semid, int cmd) {
        SemSet s = ids.check(semid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (!s.permits(c, cmd == SETALL ? Ipc.S_IWUGO : Ipc.S_IRUGO)) {
            return -Errno.EACCES;
        }
        return s.nsems();
    }

    /** GETALL: the values, or null if the set is gone. */
    public synchronized int[] getAll(int semid) {
        SemSet s = ids.check(semid);
        return s == null ? null : s.values.clone();
    }

    /** SETALL with the values read from the caller: ERANGE past SEMVMX; every adjustment of the set cleared. */
    public synchronized long setAll(IpcCaller c, int semid, int[] vals) {
        SemSet s = ids.check(semid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        for (int v : vals) {
            if (v > SEMVMX) {
                return -Errno.ERANGE;
            }
        }
        for (int i = 0; i < s.nsems(); i++) {
            s.values[i] = vals[i];
            s.pids[i] = c.tgid();
        }
        for (Map<SemSet, short[]> list : undo.values()) {
            short[] adj = list.get(s);
            if (adj != null) {
                java.util.Arrays.fill(adj, (short) 0);
            }
        }
        s.ctime = c.realtimeSeconds();
        updateQueue(s, c.realtimeSeconds());
        return 0;
    }

    /** GETVAL, GETPID, GETNCNT, GETZCNT: EINVAL, EACCES, then EINVAL for a semaphore outside the set. */
    public synchronized long getOne(IpcCaller c, int semid, int semnum, int cmd) {
        long err = checkAll(c, semid, cmd);
        if (err < 0) {
            return err;
        }
        SemSet s = ids.check(semid);
        if (semnum < 0 || semnum >= s.nsems()) {
            return -Errno.EINVAL;
        }
        return switch (cmd) {
            case GETVAL -> s.values[semnum];
            case GETPID -> s.pids[semnum];
            case GETNCNT -> s.count(semnum, false);
            case GETZCNT -> s.count(semnum, true);
            default -> -Errno.EINVAL;
        };
    }

    /** IPC_SET and IPC_RMID ({@code semctl_down}): EINVAL, EPERM unless owner, creator or CAP_SYS_ADMIN. */
    public synchronized long down(IpcCaller c, int semid, int cmd, ByteBuffer buf) {
        SemSet s = ids.check(semid);
        if (s == null) {
            return -Errno.EINVAL;
        }
        if (!s.mayControl(c)) {
            return -Errno.EPERM;
        }
        if (cmd == Ipc.IPC_RMID) {
            // freeary: the undo entries die, the sleepers wake to EIDRM.
            for (Map<SemSet, short[]> list : undo.values()) {
                list.remove(s);
            }
            usedSems -= s.nsems();
            ids.remove(s);
            wake.accept(s);
            return 0;
        }
        IpcObject.PermSet p = IpcObject.PermSet.of(buf, 0);
        int err = s.updatePerm(p.uid(), p.gid(), p.mode());
        if (err == 0) {
            s.ctime = c.realtimeSeconds();
        }
        return err;
    }

    /** {@code exit_sem}: the process's adjustments applied, each value clamped to [0, SEMVMX]. */
    public synchronized void exit(int tgid) {
        Map<SemSet, short[]> list = undo.remove(tgid);
        if (list == null) {
            return;
        }
        for (Map.Entry<SemSet, short[]> e : list.entrySet()) {
            SemSet s = e.getKey();
            if (s.isDeleted()) {
                continue;
            }
            short[] adj = e.getValue();
            boolean changed = false;
            for (int i = 0; i < adj.length; i++) {
                if (adj[i] != 0) {
                    s.values[i] = Math.min(SEMVMX, Math.max(0, s.values[i] + adj[i]));
                    s.pids[i] = tgid;
                    changed = true;
                }
            }
            if (changed) {
                updateQueue(s, realtimeSeconds.getAsLong());
            }
        }
    }

    synchronized List<SemSet> sets() {
        return new ArrayList<>(ids.all());
    }
}
