package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An inotify instance (Linux {@code fs/notify/inotify/inotify_user.c}): a group of watches, one
 * per watched inode, each with a watch descriptor, and the queue of events that {@link Fsnotify}
 * hands it. A read returns whole {@code struct inotify_event}s ({@code int wd; u32 mask, cookie,
 * len; char name[len]}, the name NUL-padded to a multiple of 16 bytes), as many as fit; a
 * buffer too small for the first is EINVAL. An empty queue answers -EAGAIN, which the kernel
 * turns into sleeping unless the instance is O_NONBLOCK. The queue holds at most
 * {@link #MAX_QUEUED_EVENTS}; one more event queues a single IN_Q_OVERFLOW (wd -1) instead.
 * An event equal to the last one queued (wd, mask, cookie and name) is dropped (inotify_merge).
 */
public final class Inotify extends AnonInodeFile {
    public static final int IN_ACCESS = 0x1;
    public static final int IN_MODIFY = 0x2;
    public static final int IN_ATTRIB = 0x4;
    public static final int IN_CLOSE_WRITE = 0x8;
    public static final int IN_CLOSE_NOWRITE = 0x10;
    public static final int IN_OPEN = 0x20;
    public static final int IN_MOVED_FROM = 0x40;
    public static final int IN_MOVED_TO = 0x80;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_ALL_EVENTS = 0xfff;
    public static final int IN_UNMOUNT = 0x2000;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;
    public static final int IN_ONLYDIR = 0x0100_0000;
    public static final int IN_DONT_FOLLOW = 0x0200_0000;
    public static final int IN_EXCL_UNLINK = 0x0400_0000;
    public static final int IN_MASK_CREATE = 0x1000_0000;
    public static final int IN_MASK_ADD = 0x2000_0000;
    public static final int IN_ISDIR = 0x4000_0000;
    public static final int IN_ONESHOT = 0x8000_0000;
    /** Every bit a watch's mask may hold (ALL_INOTIFY_BITS). */
    public static final int ALL_INOTIFY_BITS = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR
            | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;
    public static final int IN_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int IN_NONBLOCK = OpenFlags.O_NONBLOCK;
    /** /proc/sys/fs/inotify/max_queued_events's default. */
    public static final int MAX_QUEUED_EVENTS = 16384;
    /** sizeof(struct inotify_event): names are padded to a multiple of it. */
    public static final int EVENT_SIZE = 16;
    /** FIONREAD: the bytes of the events queued. */
    public static final int FIONREAD = 0x541B;

    /** One queued event. */
    record Event(int wd, int mask, int cookie, byte[] name) {
        int size() {
            return EVENT_SIZE + paddedNameLength();
        }

        /** round_event_name_len: 0 without a name, else the name and its NUL rounded up to 16. */
        int paddedNameLength() {
            return name.length == 0 ? 0 : (name.length + 1 + EVENT_SIZE - 1) / EVENT_SIZE * EVENT_SIZE;
        }

        boolean sameAs(Event o) {
            return wd == o.wd && mask == o.mask && cookie == o.cookie && java.util.Arrays.equals(name, o.name);
        }
    }

    private final Fsnotify registry;
    final long owner;
    private final Deque<Event> queue = new ArrayDeque<>();
    private boolean overflowQueued;
    private final Map<Integer, Fsnotify.Watch> watches = new HashMap<>();
    private int lastWd;

    /** inotify_init1's instance, the flags already checked; owned by {@code owner} (its euid) for the limits. */
    Inotify(Fsnotify registry, long owner, int flags, Consumer<Object> sleepers) {
        super("inotify", OpenFlags.O_RDONLY | (flags & IN_NONBLOCK), sleepers);
        this.registry = registry;
        this.owner = owner;
    }

    /** fsnotify_add_event with inotify_merge: the overflow event in place of one past the limit. */
    void queue(int wd, int mask, int cookie, String name) {
        byte[] bytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        Event e = new Event(wd, mask, cookie, bytes);
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED_EVENTS) {
                if (overflowQueued) return;
                overflowQueued = true;
                queue.addLast(new Event(-1, IN_Q_OVERFLOW, 0, new byte[0]));
            } else {
                if (!queue.isEmpty() && queue.peekLast().sameAs(e)) return;
                queue.addLast(e);
            }
        }
        wakeUp(PollTable.POLLIN | PollTable.POLLRDNORM);
    }

    /** The next free watch descriptor: idr_alloc_cyclic from 1, so a removed one is not reused soon. */
    synchronized int allocateWd(Fsnotify.Watch w) {
        int wd = lastWd;
        do {
            wd = wd == Integer.MAX_VALUE ? 1 : wd + 1;
        } while (watches.containsKey(wd));
        lastWd = wd;
        watches.put(wd, w);
        return wd;
    }

    synchronized Fsnotify.Watch watch(int wd) {
        return watches.get(wd);
    }

    synchronized void forget(int wd) {
        watches.remove(wd);
    }

    synchronized List<Fsnotify.Watch> allWatches() {
        return new ArrayList<>(watches.values());
    }

    /** FIONREAD: the bytes a read would need for every event queued. */
    public synchronized int queuedBytes() {
        int n = 0;
        for (Event e : queue) n += e.size();
        return n;
    }

    /** Events queued now. */
    public synchronized int queued() {
        return queue.size();
    }

    @Override
    long read(byte[] buf, int off, int len) {
        int done = 0;
        synchronized (this) {
            while (!queue.isEmpty()) {
                Event e = queue.peekFirst();
                if (e.size() > len - done) {
                    if (done == 0) return -Errno.EINVAL;
                    break;
                }
                queue.removeFirst();
                if (e.mask == IN_Q_OVERFLOW && e.wd == -1) overflowQueued = false;
                ByteBuffer b = ByteBuffer.wrap(buf, off + done, e.size()).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(e.wd).putInt(e.mask).putInt(e.cookie).putInt(e.paddedNameLength());
                b.put(e.name);
                while (b.hasRemaining()) b.put((byte) 0);
                done += e.size();
            }
        }
        return done > 0 ? done : -Errno.EAGAIN;
    }

    /** noop_llseek: the offset stays 0 and is answered. */
    @Override
    long lseek(long offset, int whence) {
        return 0;
    }

    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        synchronized (this) {
            return queue.isEmpty() ? 0 : PollTable.POLLIN | PollTable.POLLRDNORM;
        }
    }

    @Override
    protected void closeResource() {
        registry.destroyGroup(this);
    }
}
