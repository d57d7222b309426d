package a64emu.guest.fs;

/**
 * What a poll hands each file's poll method (Linux {@code poll_table}, fs/select.c): the
 * wake-up of the thread that polls, which {@link #wait} registers on the file's wait queues
 * ({@code poll_wait}), and the event bits of include/uapi/asm-generic/poll.h. A poll that
 * will not sleep passes no table ({@code null}), and files then register nothing.
 */
public final class PollTable {
    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDNORM = 0x040;
    public static final int POLLWRNORM = 0x100;
    /**
     * DEFAULT_POLLMASK: what a file without a poll method answers (vfs_poll), ready for
     * reading and writing at once, as a regular file is.
     */
    public static final int DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    public static final int POLLRDBAND = 0x080;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLRDHUP = 0x2000;

    private final Object key;
    private final WaitQueue.WakeFunction wake;
    /** The queues this table registered on, for {@link #release}. */
    private final java.util.List<WaitQueue> queues = new java.util.ArrayList<>();

    /** A poll's table: {@code wake} runs once, at the first wake-up of any queue the files put it on. */
    public PollTable(Object key, Runnable wake) {
        this.key = key;
        this.wake = events -> {
            wake.run();
            return false;
        };
    }

    /**
     * A table whose entries stay queued while {@code wake} returns true (an epoll item's,
     * Linux {@code ep_ptable_queue_proc}).
     *
     * @param key the poller (its thread, an epoll item), so that a poll run again replaces its entries
     */
    public PollTable(Object key, WaitQueue.WakeFunction wake) {
        this.key = key;
        this.wake = wake;
    }

    /** {@code poll_wait}: the poller is to be woken when {@code queue} is. */
    public static void wait(PollTable table, WaitQueue queue) {
        if (table != null) {
            queue.add(table.key, table.wake);
            synchronized (table.queues) {
                if (!table.queues.contains(queue)) {
                    table.queues.add(queue);
                }
            }
        }
    }

    /** Takes this table's entries off every queue it registered on (Linux {@code poll_freewait}, {@code ep_unregister_pollwait}). */
    public void release() {
        synchronized (queues) {
            for (WaitQueue q : queues) {
                q.remove(key);
            }
            queues.clear();
        }
    }
}
