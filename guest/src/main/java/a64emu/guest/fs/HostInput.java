package a64emu.guest.fs;

import java.io.IOException;
import java.io.InputStream;

/**
 * The guest's standard input as the host delivers it: a daemon thread reads the host stream
 * into a buffer, so that a guest read never blocks the emulator. A read finds the bytes
 * that have arrived, the end of the stream, or nothing yet ({@link #WOULD_BLOCK}): then the
 * kernel puts the reading thread to sleep on this object, other guest threads run, and when
 * every thread sleeps the scheduler waits here in real time ({@link #await}).
 *
 * <p>Until then, bytes the host stream reports {@code available()} are read directly. The
 * thread starts at the first read that finds none, so a program that never reads its
 * standard input never takes the host's, and one reading a file to the end needs a
 * thread only to learn that it has ended.
 */
public final class HostInput {
    /** What {@link #read} returns when no byte has arrived and the stream has not ended. */
    public static final int WOULD_BLOCK = -2;
    /** What {@link #read} returns when the host stream failed. */
    public static final int FAILED = -3;
    private static final int CAPACITY = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[CAPACITY];
    private int start;
    private int count;
    private boolean ended;
    private boolean failed;
    private Thread pump;
    /** Deliveries from the host (a chunk, the end, a failure), and those announced to the pollers so far. */
    private long arrivals;
    private long announced;
    private final WaitQueue pollers = new WaitQueue();

    public HostInput(InputStream in) {
        this.in = in;
    }

    /** Bytes that have arrived into {@code b}; 0 at the end of the stream; or {@link #WOULD_BLOCK} / {@link #FAILED}. */
    public synchronized int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (count == 0) {
            if (failed) {
                return FAILED;
            }
            if (ended) {
                return 0;
            }
            if (pump == null) {
                // Bytes the host already holds (a file, a filled pipe) are read at once, no thread needed.
                try {
                    int ready = in.available();
                    if (ready > 0) {
                        int n = in.read(b, off, Math.min(len, ready));
                        if (n > 0) {
                            return n;
                        }
                    }
                } catch (IOException e) {
                    failed = true;
                    return FAILED;
                }
            }
            startPump();
            return WOULD_BLOCK;
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) {
            b[off + i] = buffer[(start + i) % CAPACITY];
        }
        start = (start + n) % CAPACITY;
        count -= n;
        notifyAll(); // room for the pump
        return n;
    }

    /**
     * poll: the events ready now (POLLIN with bytes, POLLHUP at the end as a pipe whose
     * writer has gone, POLLERR after a failure), registering the poller for what arrives;
     * starts the host thread, so that what the host holds arrives without a read.
     */
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        synchronized (this) {
            if (count == 0) {
                startPump();
            }
            int mask = 0;
            if (count > 0) {
                mask |= PollTable.POLLIN | PollTable.POLLRDNORM;
            }
            if (ended) {
                mask |= PollTable.POLLHUP;
            }
            if (failed) {
                mask |= PollTable.POLLERR;
            }
            return mask;
        }
    }

    /**
     * Wakes the pollers if the host has delivered since the last call (the tty's wake-up on
     * received input, taken on the kernel's side at a scheduling point, since the host
     * thread must not run guest code); whether it had.
     */
    public boolean announceArrivals() {
        synchronized (this) {
            if (arrivals == announced) {
                return false;
            }
            announced = arrivals;
        }
        pollers.wakeUp(PollTable.POLLIN | PollTable.POLLRDNORM | PollTable.POLLHUP | PollTable.POLLERR);
        return true;
    }

    /** Whether a read would return at once: bytes, the end, or a failure. */
    public synchronized boolean ready() {
        return count > 0 || ended || failed;
    }

    /** Waits up to {@code nanos} (Long.MAX_VALUE: without limit) until {@link #ready}. */
    public synchronized void await(long nanos) {
        startPump();
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        try {
            while (!ready()) {
                if (deadline == Long.MAX_VALUE) {
                    wait();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The host input a poll of {@code f} waits for (standard input, or an epoll instance
     * watching it), or null.
     */
    public static HostInput polledBy(OpenFile f) {
        if (f instanceof EventPoll ep) {
            return ep.hostInput();
        }
        return f.canPoll() && f.waitChannel() instanceof HostInput in ? in : null;
    }

    /** Whether the host may still deliver: the stream has neither ended nor failed. */
    public synchronized boolean mayDeliver() {
        return !ended && !failed;
    }

    /** Waits up to {@code nanos} until the host delivers something not yet announced to the pollers. */
    public synchronized void awaitArrival(long nanos) {
        startPump();
        long deadline = System.nanoTime() + nanos;
        try {
            while (arrivals == announced && mayDeliver()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startPump() {
        if (pump != null || ended || failed) {
            return;
        }
        pump = new Thread(this::pump, "a64emu-stdin");
        pump.setDaemon(true);
        pump.start();
    }

    /** The host side: blocking reads into the buffer until the stream ends or fails. */
    private void pump() {
        byte[] chunk = new byte[4096];
        while (true) {
            int n;
            try {
                int space;
                synchronized (this) {
                    while (count == CAPACITY) {
                        wait();
                    }
                    space = CAPACITY - count; // only grows until this thread adds more
                }
                n = in.read(chunk, 0, Math.min(chunk.length, space));
            } catch (IOException e) {
                synchronized (this) {
                    failed = true;
                    arrivals++;
                    notifyAll();
                }
                return;
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                arrivals++;
                if (n < 0) {
                    ended = true;
                    notifyAll();
                    return;
                }
                for (int i = 0; i < n; i++) {
                    buffer[(start + count + i) % CAPACITY] = chunk[i];
                }
                count += n;
                notifyAll();
            }
        }
    }
}
