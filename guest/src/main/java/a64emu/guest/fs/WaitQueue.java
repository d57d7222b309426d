package a64emu.guest.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A wait queue (Linux {@code wait_queue_head_t}) that pollers register on: a file whose
 * readiness can change later (a pipe, an eventfd, a PSI trigger's event, a new kernel
 * message) keeps one, its poll method adds the caller's wake-up to it through
 * {@link PollTable#wait}, and when the readiness changes the file calls {@link #wakeUp}.
 * Each waiter is keyed (by the sleeping thread, or the epoll item), so a poll that runs
 * again replaces its entry instead of adding one more.
 *
 * <p>A wake-up may name the events it announces (Linux's wake-up key: EPOLLIN when a pipe
 * gets data, EPOLLOUT when it gets room), 0 meaning any. A poll's waiter is removed by the
 * wake-up that runs it ({@code autoremove_wake_function}: a waiter still interested
 * registers again when its poll runs again); an epoll item's stays queued until the item
 * goes ({@code ep_poll_callback}), and sees the events of each wake-up.
 */
public final class WaitQueue {
    /** Linux {@code wait_queue_func_t}: told the events of the wake-up; returns whether to stay queued. */
    @FunctionalInterface
    public interface WakeFunction {
        boolean wake(int events);
    }

    private final Map<Object, WakeFunction> waiters = new LinkedHashMap<>();

    /** Registers {@code wake}, removed by the first wake-up, under {@code key}, replacing what that key had registered. */
    public synchronized void add(Object key, Runnable wake) {
        waiters.put(key, events -> {
            wake.run();
            return false;
        });
    }

    /** Registers {@code wake} under {@code key}; it stays queued while it returns true. */
    public synchronized void add(Object key, WakeFunction wake) {
        waiters.put(key, wake);
    }

    public synchronized void remove(Object key) {
        waiters.remove(key);
    }

    /** Wakes every waiter registered so far for any event ({@code wake_up_interruptible}). */
    public void wakeUp() {
        wakeUp(0);
    }

    /** Wakes every waiter registered so far, announcing {@code events} (0: any); removes those that ask. */
    public void wakeUp(int events) {
        List<Map.Entry<Object, WakeFunction>> woken;
        synchronized (this) {
            woken = new ArrayList<>(waiters.entrySet());
            for (Map.Entry<Object, WakeFunction> e : woken) {
                waiters.remove(e.getKey());
            }
        }
        for (Map.Entry<Object, WakeFunction> e : woken) {
            if (e.getValue().wake(events)) {
                synchronized (this) {
                    // Kept, unless it registered again (or was removed) while it ran.
                    waiters.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Waiters registered now. */
    public synchronized int size() {
        return waiters.size();
    }
}
