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
    /** Sleepers by key: the semaphore and whether they wait for zero; gone once not asleep. */
    private final Map<Object, Waiter> waiters = new LinkedHashMap<>();

    record Waiter(int semnum, boolean forZero, BooleanSupplier asleep) {}

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

    void addWaiter(Object key, int semnum, boolean forZero, BooleanSupplier asleep) {
        waiters.put(key, new Waiter(semnum, forZero, asleep));
    }

    void removeWaiter(Object key) {
        waiters.remove(key);
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

    List<Object> waiterKeys() {
        return new ArrayList<>(waiters.keySet());
    }
}
