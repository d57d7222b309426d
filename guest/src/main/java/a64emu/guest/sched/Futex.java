package a64emu.guest.sched;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Task;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fast user-space mutexes, Linux {@code kernel/futex/}: wait queues keyed by the futex
 * word, the wait/wake/requeue/wake-op operations glibc uses, and their errors.
 *
 * <p>Key (Linux {@code get_futex_key}): a private mapping's word is known by its address
 * space and virtual address (parent and child after fork have different words even while
 * they share the frame copy-on-write); a word in a MAP_SHARED area by its physical address,
 * so processes sharing it meet on one queue.
 */
public final class Futex {
    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;
    public static final int FUTEX_REQUEUE = 3;
    public static final int FUTEX_CMP_REQUEUE = 4;
    public static final int FUTEX_WAKE_OP = 5;
    public static final int FUTEX_WAIT_BITSET = 9;
    public static final int FUTEX_WAKE_BITSET = 10;
    public static final int FUTEX_PRIVATE_FLAG = 128;
    public static final int FUTEX_CLOCK_REALTIME = 256;
    public static final int FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    public static final int FUTEX_BITSET_MATCH_ANY = -1;

    private record PrivateKey(AddressSpace mm, long uaddr) {}

    private record SharedKey(long physical) {}

    private final Map<Object, ArrayDeque<Task>> queues = new HashMap<>();
    private final Scheduler scheduler;

    public Futex(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The queue key of the word at {@code uaddr} for {@code task}; the word has been read (mapped). */
    private Object key(Task task, long uaddr, boolean isPrivate) {
        AddressSpace mm = task.process.mm;
        Vma vma = mm.find(uaddr);
        if (!isPrivate && vma != null && (vma.flags() & Vma.VM_SHARED) != 0) {
            return new SharedKey(task.cpu.mmu.translate(uaddr, AccessType.READ, 0));
        }
        return new PrivateKey(mm, uaddr);
    }

    /**
     * FUTEX_WAIT / FUTEX_WAIT_BITSET: sleeps if the word still holds {@code val}
     * (else EAGAIN), until woken (0), the timeout passes (ETIMEDOUT) or a signal (EINTR).
     * {@code relativeTimeout} in nanoseconds, -1 for none.
     */
    public long waitOn(Task task, long uaddr, int val, long relativeTimeout, int bitset, boolean isPrivate)
            throws BadUserAddressException {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        int current = task.process.user.read32(uaddr);
        if (current != val) {
            return -Errno.EAGAIN;
        }
        if (relativeTimeout == 0) {
            return -Errno.ETIMEDOUT;
        }
        Object key = key(task, uaddr, isPrivate);
        long deadline = relativeTimeout < 0 ? -1 : saturatingAdd(scheduler.now(), relativeTimeout);
        Task.Wait w = new Task.Wait(String.format("futex wait on 0x%x", uaddr), deadline, -Errno.ETIMEDOUT, false);
        w.futexKey = key;
        w.futexBitset = bitset;
        task.block(w);
        queues.computeIfAbsent(key, k -> new ArrayDeque<>()).add(task);
        return 0;
    }

    /** FUTEX_WAITV_MAX: the most words one futex_waitv waits on. */
    public static final int FUTEX_WAITV_MAX = 128;

    /**
     * futex_waitv's sleep ({@code futex_wait_multiple}): each word's key is taken first (EINVAL
     * for a misaligned one, EFAULT for an unmapped one); then if a word no longer holds its
     * value the call is EAGAIN, else the thread sleeps on all of them at once until a wake of
     * any ends it with that word's index, the timeout passes (ETIMEDOUT) or a signal comes
     * (EINTR, or the call runs again after an SA_RESTART handler: the sleep is a retried
     * call, which a wake-up completes with the index). {@code relativeTimeout} in
     * nanoseconds, -1 for none.
     *
     * @return 0 when the thread sleeps, else the result
     */
    public long waitMultiple(Task task, long[] uaddrs, int[] vals, boolean[] isPrivate, long relativeTimeout)
            throws BadUserAddressException {
        Object[] keys = new Object[uaddrs.length];
        for (int i = 0; i < uaddrs.length; i++) {
            if ((uaddrs[i] & 3) != 0) {
                return -Errno.EINVAL;
            }
            task.process.user.read32(uaddrs[i]); // get_futex_key faults the word in
            keys[i] = key(task, uaddrs[i], isPrivate[i]);
        }
        for (int i = 0; i < uaddrs.length; i++) {
            if (task.process.user.read32(uaddrs[i]) != vals[i]) {
                return -Errno.EAGAIN;
            }
        }
        if (relativeTimeout == 0) {
            return -Errno.ETIMEDOUT;
        }
        long deadline = relativeTimeout < 0 ? -1 : saturatingAdd(scheduler.now(), relativeTimeout);
        Task.Wait w = new Task.Wait(String.format("futex_waitv on %d words", uaddrs.length), deadline,
                -Errno.ETIMEDOUT, true);
        w.futexKeys = keys;
        w.futexBitset = FUTEX_BITSET_MATCH_ANY;
        task.block(w);
        for (Object k : new java.util.LinkedHashSet<>(Arrays.asList(keys))) {
            queues.computeIfAbsent(k, x -> new ArrayDeque<>()).add(task);
        }
        return 0;
    }

    /** FUTEX_WAKE / FUTEX_WAKE_BITSET: wakes up to {@code count} waiters whose bitset matches. */
    public long wake(Task task, long uaddr, int count, int bitset, boolean isPrivate) throws BadUserAddressException {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        task.process.user.read32(uaddr);
        return wakeKey(key(task, uaddr, isPrivate), count, bitset);
    }

    /** Wakes waiters on a futex word of {@code task}'s address space (thread exit, robust lists). */
    public void wakeAddress(Task task, long uaddr, int count) {
        wakeKey(new PrivateKey(task.process.mm, uaddr), count, FUTEX_BITSET_MATCH_ANY);
    }

    private int wakeKey(Object key, int count, int bitset) {
        ArrayDeque<Task> q = queues.get(key);
        if (q == null) {
            return 0;
        }
        int woken = 0;
        for (Iterator<Task> it = q.iterator(); it.hasNext() && woken < count; ) {
            Task t = it.next();
            if (!stillWaiting(t, key)) {
                it.remove();
                continue;
            }
            if ((t.waitingFor().futexBitset & bitset) != 0) {
                it.remove();
                Object[] all = t.waitingFor().futexKeys;
                if (all != null) {
                    // futex_waitv: the result is the index of the word woken; leave the other queues.
                    int index = Arrays.asList(all).indexOf(key);
                    forget(t);
                    t.complete(index);
                } else {
                    t.wake(0);
                }
                woken++;
            }
        }
        if (q.isEmpty()) {
            queues.remove(key);
        }
        return woken;
    }

    private static boolean stillWaiting(Task t, Object key) {
        if (t.state() != Task.State.BLOCKED) {
            return false;
        }
        Task.Wait w = t.waitingFor();
        return (w.futexKey != null && w.futexKey.equals(key))
                || (w.futexKeys != null && Arrays.asList(w.futexKeys).contains(key));
    }

    /**
     * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes {@code wakeCount} waiters on uaddr and moves up
     * to {@code requeueCount} others to uaddr2; CMP_ first checks the word against val3 (EAGAIN).
     */
    public long requeue(Task task, long uaddr, long uaddr2, int wakeCount, int requeueCount, Integer cmpVal,
                        boolean isPrivate) throws BadUserAddressException {
        if ((uaddr & 3) != 0 || (uaddr2 & 3) != 0 || wakeCount < 0 || requeueCount < 0) {
            return -Errno.EINVAL;
        }
        int current = task.process.user.read32(uaddr);
        task.process.user.read32(uaddr2);
        if (cmpVal != null && current != cmpVal) {
            return -Errno.EAGAIN;
        }
        Object from = key(task, uaddr, isPrivate);
        Object to = key(task, uaddr2, isPrivate);
        int woken = wakeKey(from, wakeCount, FUTEX_BITSET_MATCH_ANY);
        ArrayDeque<Task> q = queues.get(from);
        int moved = 0;
        if (q != null && !from.equals(to)) {
            List<Task> move = new ArrayList<>();
            for (Iterator<Task> it = q.iterator(); it.hasNext() && moved < requeueCount; ) {
                Task t = it.next();
                it.remove();
                if (stillWaiting(t, from)) {
                    Object[] all = t.waitingFor().futexKeys;
                    if (all != null) {
                        // A futex_waitv sleeper's entry moves; a wake there still reports its index.
                        for (int i = 0; i < all.length; i++) {
                            if (all[i].equals(from)) {
                                all[i] = to;
                            }
                        }
                    } else {
                        t.waitingFor().futexKey = to;
                    }
                    move.add(t);
                    moved++;
                }
            }
            if (q.isEmpty()) {
                queues.remove(from);
            }
            queues.computeIfAbsent(to, k -> new ArrayDeque<>()).addAll(move);
        }
        // CMP_REQUEUE returns woken + requeued; plain REQUEUE only the woken (futex_requeue).
        return cmpVal != null ? woken + moved : woken;
    }

    /**
     * FUTEX_WAKE_OP: changes the word at uaddr2 by the operation encoded in val3, wakes
     * {@code count} waiters on uaddr, and {@code count2} on uaddr2 if the old value passes
     * val3's comparison (Linux futex_atomic_op_inuser).
     */
    public long wakeOp(Task task, long uaddr, long uaddr2, int count, int count2, int val3, boolean isPrivate)
            throws BadUserAddressException {
        if ((uaddr & 3) != 0 || (uaddr2 & 3) != 0) {
            return -Errno.EINVAL;
        }
        int op = (val3 >>> 28) & 7;
        boolean shiftArg = ((val3 >>> 28) & 8) != 0;
        int cmp = (val3 >>> 24) & 15;
        int oparg = (val3 << 8) >> 20;
        int cmparg = (val3 << 20) >> 20;
        if (shiftArg) {
            if (oparg < 0 || oparg > 31) {
                return -Errno.EINVAL;
            }
            oparg = 1 << oparg;
        }
        int old = task.process.user.read32(uaddr2);
        int updated = switch (op) {
            case 0 -> oparg;
            case 1 -> old + oparg;
            case 2 -> old | oparg;
            case 3 -> old & ~oparg;
            case 4 -> old ^ oparg;
            default -> Integer.MIN_VALUE;
        };
        if (op > 4) {
            return -Errno.ENOSYS;
        }
        boolean wakeSecond = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> false;
        };
        if (cmp > 5) {
            return -Errno.ENOSYS;
        }
        task.process.user.write32(uaddr2, updated);
        int woken = wakeKey(key(task, uaddr, isPrivate), count, FUTEX_BITSET_MATCH_ANY);
        if (wakeSecond) {
            woken += wakeKey(key(task, uaddr2, isPrivate), count2, FUTEX_BITSET_MATCH_ANY);
        }
        return woken;
    }

    /** Removes a thread that stops waiting for another reason (signal, timeout, death). */
    public void forget(Task t) {
        Task.Wait w = t.waitingFor();
        if (w != null && w.futexKey != null) {
            leave(t, w.futexKey);
        }
        if (w != null && w.futexKeys != null) {
            for (Object k : w.futexKeys) {
                leave(t, k);
            }
        }
    }

    private void leave(Task t, Object key) {
        ArrayDeque<Task> q = queues.get(key);
        if (q != null) {
            q.remove(t);
            if (q.isEmpty()) {
                queues.remove(key);
            }
        }
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
