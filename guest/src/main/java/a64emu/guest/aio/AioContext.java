package a64emu.guest.aio;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.fs.EventFd;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.PollTable;
import a64emu.guest.fs.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One AIO context (Linux struct kioctx): its completion ring, mapped into the process as
 * "/[aio] (deleted)" and laid out as struct aio_ring, whose address is the context's id.
 * The kernel appends each completion at the tail and moves {@code tail} in the ring's header;
 * user space (libaio's fast path) or io_getevents takes them from {@code head}, which user
 * space may move itself. Slots: nr_events - 1 requests may be outstanding or completed and not
 * yet taken at a time (io_submit's EAGAIN beyond).
 *
 * <p>The kernel writes the ring through the process's address space, installed for the
 * moment when the completion comes from another process's call (a POLL request woken by a
 * writer).
 */
public final class AioContext {
    /** sizeof(struct aio_ring) and sizeof(struct io_event). */
    public static final int RING_HEADER_SIZE = 32;
    public static final int IO_EVENT_SIZE = 32;
    public static final int AIO_RING_MAGIC = 0xa10a10a1;
    public static final int AIO_RING_COMPAT_FEATURES = 1;
    public static final int AIO_RING_INCOMPAT_FEATURES = 0;
    /** What /proc/PID/maps shows for the ring: a file of the aio pseudo file system, unlinked. */
    public static final String MAPS_NAME = "/[aio] (deleted)";
    // struct aio_ring: id, nr, head, tail, magic, compat_features, incompat_features, header_length (u32 each).
    static final int RING_ID = 0;
    static final int RING_NR = 4;
    static final int RING_HEAD = 8;
    static final int RING_TAIL = 12;

    private final Process process;
    private final long userId;
    private final long mmapSize;
    private final int nrEvents;
    private final long maxReqs;
    private final int id;
    /** The kernel's copy of the tail. */
    private int tail;
    /** POLL requests not completed (Linux active_reqs). */
    private final List<PollRequest> activeReqs = new ArrayList<>();
    private boolean dead;

    AioContext(Process process, long userId, long mmapSize, int nrEvents, long maxReqs, int id) {
        this.process = process;
        this.userId = userId;
        this.mmapSize = mmapSize;
        this.nrEvents = nrEvents;
        this.maxReqs = maxReqs;
        this.id = id;
    }

    /** The context id: the ring's user address. */
    public long userId() {
        return userId;
    }

    public int id() {
        return id;
    }

    /** The ring's events (ring->nr). */
    public int nrEvents() {
        return nrEvents;
    }

    long mmapSize() {
        return mmapSize;
    }

    long maxReqs() {
        return maxReqs;
    }

    public synchronized boolean isDead() {
        return dead;
    }

    /** The header aio_setup_ring writes: id, nr, head = tail = 0, the magic, features, header length. */
    byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(RING_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(RING_ID, id);
        b.putInt(RING_NR, nrEvents);
        b.putInt(16, AIO_RING_MAGIC);
        b.putInt(20, AIO_RING_COMPAT_FEATURES);
        b.putInt(24, AIO_RING_INCOMPAT_FEATURES);
        b.putInt(28, RING_HEADER_SIZE);
        return b.array();
    }

    /** ring->head as user space left it, within the ring; the kernel's tail when the ring is unreadable. */
    private int head() {
        int[] h = {tail};
        withRing(() -> h[0] = process.user.read32(userId + RING_HEAD));
        return Integer.remainderUnsigned(h[0], nrEvents);
    }

    /** Completed events not yet taken. */
    public synchronized int pendingEvents() {
        return Math.floorMod(tail - head(), nrEvents);
    }

    /** get_reqs_available: room for one more request (in flight or completed and not taken). */
    synchronized boolean hasRoom() {
        return activeReqs.size() + pendingEvents() < nrEvents - 1;
    }

    /**
     * aio_complete: the event {data, obj, res, res2} at the tail, the tail moved on in the
     * ring, the eventfd signalled and io_getevents' sleepers woken.
     */
    void complete(long obj, long data, long res, long res2, EventFd eventfd) {
        synchronized (this) {
            ByteBuffer e = ByteBuffer.allocate(IO_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            e.putLong(0, data);
            e.putLong(8, obj);
            e.putLong(16, res);
            e.putLong(24, res2);
            long at = userId + RING_HEADER_SIZE + (long) tail * IO_EVENT_SIZE;
            tail = (tail + 1) % nrEvents;
            int newTail = tail;
            withRing(() -> {
                process.user.write(at, e.array());
                process.user.write32(userId + RING_TAIL, newTail);
            });
        }
        if (eventfd != null) {
            eventfd.signal(1);
        }
        wakeWaiters();
    }

    /**
     * aio_read_events_ring: copies up to {@code max} events from the head to {@code dst} in the
     * caller's memory and moves the head past them; the count, or -EFAULT.
     */
    public synchronized long takeEvents(long dst, long max) {
        int head = head();
        long n = 0;
        try {
            while (n < max && head != tail) {
                byte[] e = process.user.read(userId + RING_HEADER_SIZE + (long) head * IO_EVENT_SIZE, IO_EVENT_SIZE);
                process.user.write(dst + n * IO_EVENT_SIZE, e);
                n++;
                head = (head + 1) % nrEvents;
            }
            process.user.write32(userId + RING_HEAD, head);
        } catch (BadUserAddressException ex) {
            return -Errno.EFAULT;
        }
        return n;
    }

    /** Runs a ring access with the process's address space installed; a ring unmapped meanwhile is not written. */
    private void withRing(RingAccess access) {
        Runnable r = () -> {
            try {
                access.run();
            } catch (BadUserAddressException e) {
                // Linux writes the ring's pages themselves; here a ring the process unmapped is gone.
            }
        };
        if (process.kernel != null) {
            process.kernel.withAddressSpace(process, r);
        } else {
            r.run();
        }
    }

    @FunctionalInterface
    private interface RingAccess {
        void run() throws BadUserAddressException;
    }

    /** The channel io_getevents sleeps on. */
    public Object channel() {
        return this;
    }

    private void wakeWaiters() {
        Kernel k = process.kernel;
        if (k != null) {
            k.wakeChannel(this);
        }
    }

    /**
     * aio_poll: completes at once with the events {@code file} has ready of {@code events}
     * (always with POLLERR and POLLHUP), else waits on the file's queues until one comes or
     * io_cancel. {@code file}'s reference and the eventfd's now belong to the request.
     */
    void poll(OpenFile file, int events, long obj, long data, EventFd eventfd) {
        PollRequest req = new PollRequest(file, events | PollTable.POLLERR | PollTable.POLLHUP, obj, data, eventfd);
        int mask = file.poll(req.table) & req.events;
        if (mask != 0) {
            req.table.release();
            file.release();
            complete(obj, data, mask, 0, eventfd);
            return;
        }
        synchronized (this) {
            activeReqs.add(req);
        }
    }

    /**
     * io_cancel: a POLL request still waiting completes now with the events ready (usually
     * none): -EINPROGRESS; no such request, -EINVAL.
     */
    public long cancel(long obj) {
        PollRequest req;
        synchronized (this) {
            req = null;
            for (PollRequest r : activeReqs) {
                if (r.obj == obj) {
                    req = r;
                    break;
                }
            }
            if (req == null) {
                return -Errno.EINVAL;
            }
        }
        req.finish(true);
        return -Errno.EINPROGRESS;
    }

    /** kill_ioctx: no more requests; the waiting ones are cancelled and the sleepers woken. */
    void kill() {
        List<PollRequest> reqs;
        synchronized (this) {
            dead = true;
            reqs = List.copyOf(activeReqs);
        }
        for (PollRequest r : reqs) {
            r.finish(true);
        }
        wakeWaiters();
    }

    /** An IOCB_CMD_POLL request waiting for its file. */
    private final class PollRequest {
        final OpenFile file;
        final int events;
        final long obj;
        final long data;
        final EventFd eventfd;
        final PollTable table = new PollTable(this, (WaitQueue.WakeFunction) this::woken);

        PollRequest(OpenFile file, int events, long obj, long data, EventFd eventfd) {
            this.file = file;
            this.events = events;
            this.obj = obj;
            this.data = data;
            this.eventfd = eventfd;
        }

        /** aio_poll_wake: a wake-up that may concern the events; stays queued while none is ready. */
        boolean woken(int key) {
            if (key != 0 && (key & events) == 0) {
                return true;
            }
            if ((file.poll(null) & events) == 0) {
                return true;
            }
            finish(false, key);
            return false;
        }

        void finish(boolean cancelled) {
            finish(cancelled, 0);
        }

        /**
         * aio_poll_wake completing inline reports the wake-up's whole key (POLLIN|POLLRDNORM for
         * data in a pipe), not only the events asked for; aio_poll_complete_work (a wake-up with
         * no key, or a cancel) reports what is ready of the events then, none included.
         */
        void finish(boolean cancelled, int key) {
            synchronized (AioContext.this) {
                if (!activeReqs.remove(this)) {
                    return;
                }
            }
            table.release();
            int mask = key != 0 ? key : file.poll(null) & events;
            file.release();
            if (dead && !cancelled) {
                return;
            }
            complete(obj, data, mask, 0, eventfd);
        }
    }
}
