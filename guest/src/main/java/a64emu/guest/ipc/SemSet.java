package a64emu.guest.ipc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One semaphore set, Linux {@code struct sem_array}: the values, each semaphore's last pid
 * and operation time, the set's change time, and the threads sleeping in semop on it (with
 * the operation they wait at, for GETNCNT and GETZCNT).
 */
public final class SemSet extends IpcObject {
    final int[] values;
    final int[] pids;
    final long[] otimes;
    long ctime;
    /** Sleepers by key, in the order they went to sleep; gone once served or no longer asleep. */
    private final Map<Object, Waiter> waiters = new LinkedHashMap<>();
    /** Results update_queue gave sleepers, for their next run. */
    private final Map<Object, Long> results = new java.util.HashMap<>();

    /**
     * A sleeping semop: its operations, whether they alter a value, its thread group, the
     * semaphore it waits at and whether for zero (GETNCNT/GETZCNT), and whether it still waits.
     */
    record Waiter(List<Sem.SemBuf> ops, boolean alter, int tgid, int semnum, boolean forZero, BooleanSupplier asleep) {
        Waiter blockedAt(int num, boolean zero) {
            return new Waiter(ops, alter, tgid, num, zero, asleep);
        }
    }

    SemSet(int key, int mode, int nsems, long ctime) {
        this.key = key;
        this.mode = mode;
        this.values = new int[nsems];
        this.pids = new int[nsems];
        this.otimes = new long[nsems];
        this.ctime = ctime;
    }

    public int nsems() {
        return values.length;
    }

    /** {@code get_semotime}: the latest operation time of any semaphore. */
    long otime() {
        long t = 0;
        for (long o : otimes) {
            t = Math.max(t, o);
        }
        return t;
    }

    /** Queues a sleeper (or updates where it waits, keeping its place). */
    void addWaiter(Object key, Waiter w) {
        waiters.put(key, w);
    }

    void removeWaiter(Object key) {
        waiters.remove(key);
    }

    boolean isWaiting(Object key) {
        return waiters.containsKey(key);
    }

    /** The sleepers still asleep, in order (a snapshot); those no longer asleep leave the queue. */
    List<Map.Entry<Object, Waiter>> waiters() {
        waiters.values().removeIf(w -> !w.asleep().getAsBoolean());
        return new ArrayList<>(waiters.entrySet());
    }

    /** A sleeper served by update_queue: out of the queue, its result kept for its next run. */
    void complete(Object key, long result) {
        waiters.remove(key);
        results.put(key, result);
    }

    Long takeResult(Object key) {
        return results.remove(key);
    }

    /** {@code count_semcnt}: sleepers whose blocking operation is on {@code semnum}. */
    int count(int semnum, boolean forZero) {
        waiters.values().removeIf(w -> !w.asleep().getAsBoolean());
        int n = 0;
        for (Waiter w : waiters.values()) {
            if (w.semnum() == semnum && w.forZero() == forZero) {
                n++;
            }
        }
        return n;
    }

}
