package a64emu.guest.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A wait queue (Linux {@code wait_queue_head_t}) that pollers register on: a file whose
 * readiness can change later (a PSI trigger's event, a new kernel message) keeps one, its
 * poll method adds the caller's wake-up to it through {@link PollTable#wait}, and when the
 * readiness changes the file calls {@link #wakeUp}. Each waiter is keyed (by the sleeping
 * thread), so a poll that runs again replaces its entry instead of adding one more, and a
 * wake-up removes the entries it ran, as {@code autoremove_wake_function} does: a waiter
 * that is still interested registers again when its poll runs again.
 */
public final class WaitQueue {
    private final Map<Object, Runnable> waiters = new LinkedHashMap<>();

    /** Registers {@code wake} under {@code key}, replacing what that key had registered. */
    public synchronized void add(Object key, Runnable wake) {
        waiters.put(key, wake);
    }

    public synchronized void remove(Object key) {
        waiters.remove(key);
    }

    /** Runs and removes every waiter registered so far ({@code wake_up_interruptible}). */
    public void wakeUp() {
        List<Runnable> woken;
        synchronized (this) {
            woken = new ArrayList<>(waiters.values());
            waiters.clear();
        }
        woken.forEach(Runnable::run);
    }

    /** Waiters registered now. */
    public synchronized int size() {
        return waiters.size();
    }
}
