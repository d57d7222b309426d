package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An epoll instance (Linux {@code fs/eventpoll.c}): an interest list of (file, descriptor)
 * items and a ready list. Each item sits on its file's wait queue from EPOLL_CTL_ADD until it
 * goes; a wake-up whose events the item wants puts it on the ready list
 * ({@code ep_poll_callback}) and wakes the threads in epoll_wait. Collecting events polls
 * each ready item again ({@code ep_send_events}): an item no longer ready is dropped; a
 * level-triggered one goes back on the list to be polled next time, an edge-triggered one
 * only at its file's next wake-up, and an EPOLLONESHOT one is disabled until EPOLL_CTL_MOD.
 *
 * <p>Items do not keep their file open: when its last reference goes, the file takes its
 * items off every interest list ({@code eventpoll_release}), whatever descriptor they were
 * added by; closing one of two descriptors of a file leaves the item in place.
 */
public final class EventPoll extends AnonInodeFile {
    public static final int EPOLL_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    /** The bits that are modes of an item rather than events. */
    public static final int EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** The events an EPOLLEXCLUSIVE item may ask for (EPOLLEXCLUSIVE_OK_BITS). */
    public static final int EXCLUSIVE_OK_BITS = PollTable.POLLIN | PollTable.POLLOUT | PollTable.POLLRDNORM
            | PollTable.POLLWRNORM | PollTable.POLLRDBAND | PollTable.POLLWRBAND | PollTable.POLLPRI
            | PollTable.POLLERR | PollTable.POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
    /** How deep epoll instances may nest in each other (EP_MAX_NESTS). */
    public static final int EP_MAX_NESTS = 4;

    /** One event collected: the ready events and the item's data. */
    public record Event(int events, long data) {}

    private record Key(OpenFile file, int fd) {}

    /** struct epitem. */
    private final class Item {
        final OpenFile file;
        final int fd;
        int events;
        long data;
        boolean onReadyList;
        boolean removed;
        final PollTable table = new PollTable(this, (WaitQueue.WakeFunction) this::callback);

        Item(OpenFile file, int fd, int events, long data) {
            this.file = file;
            this.fd = fd;
            this.events = events;
            this.data = data;
        }

        /** ep_poll_callback: stays on the file's queue while the item lives. */
        boolean callback(int key) {
            synchronized (EventPoll.this) {
                if (removed) {
                    return false;
                }
                if ((events & ~EP_PRIVATE_BITS) == 0) {
                    return true; // disabled (EPOLLONESHOT fired)
                }
                if (key != 0 && (key & events) == 0) {
                    return true;
                }
                link(this);
            }
            wakeUp(PollTable.POLLIN);
            return true;
        }

        /** ep_item_poll: the events the item wants that are ready now. */
        int poll(PollTable t) {
            return file.poll(t) & events;
        }
    }

    private final Map<Key, Item> items = new LinkedHashMap<>();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();

    /** epoll_create1(flags), the flags already checked. */
    public EventPoll(Consumer<Object> sleepers) {
        super("eventpoll", OpenFlags.O_RDWR, sleepers);
    }

    private void link(Item it) {
        if (!it.onReadyList) {
            it.onReadyList = true;
            ready.add(it);
        }
    }

    /**
     * get_epoll_tfile_raw_ptr: the file of the {@code toff}-th item registered under descriptor
     * {@code tfd} (one descriptor number may name several files, after dup and close), or null.
     */
    public synchronized OpenFile target(int tfd, int toff) {
        int seen = 0;
        for (Item it : items.values()) {
            if (it.fd == tfd && !it.removed) {
                if (seen++ == toff) {
                    return it.file;
                }
            }
        }
        return null;
    }

    /** EPOLL_CTL_ADD: 0, -EEXIST, or -ELOOP for an epoll instance that would contain itself or nest too deep. */
    public int add(OpenFile file, int fd, int events, long data) {
        Item it;
        synchronized (this) {
            Key key = new Key(file, fd);
            if (items.containsKey(key)) {
                return -Errno.EEXIST;
            }
            if (file instanceof EventPoll inner && loopCheck(inner, 0)) {
                return -Errno.ELOOP;
            }
            it = new Item(file, fd, events | PollTable.POLLERR | PollTable.POLLHUP, data);
            items.put(key, it);
        }
        file.addFinalCloseHook(it, () -> remove(it));
        if (it.poll(it.table) != 0) {
            synchronized (this) {
                link(it);
            }
            wakeUp(PollTable.POLLIN);
        }
        return 0;
    }

    /** ep_loop_check_proc: whether {@code ep} reaches this instance, or nests deeper than EP_MAX_NESTS. */
    private boolean loopCheck(EventPoll ep, int depth) {
        List<OpenFile> inner = new ArrayList<>();
        synchronized (ep) {
            for (Item i : ep.items.values()) {
                inner.add(i.file);
            }
        }
        for (OpenFile f : inner) {
            if (f instanceof EventPoll e) {
                if (e == this || depth > EP_MAX_NESTS || loopCheck(e, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** EPOLL_CTL_MOD: 0, -ENOENT, or -EINVAL for an EPOLLEXCLUSIVE item. */
    public int modify(OpenFile file, int fd, int events, long data) {
        Item it;
        synchronized (this) {
            it = items.get(new Key(file, fd));
            if (it == null) {
                return -Errno.ENOENT;
            }
            if ((it.events & EPOLLEXCLUSIVE) != 0) {
                return -Errno.EINVAL;
            }
            it.events = events | PollTable.POLLERR | PollTable.POLLHUP;
            it.data = data;
        }
        if (it.poll(null) != 0) {
            synchronized (this) {
                link(it);
            }
            wakeUp(PollTable.POLLIN);
        }
        return 0;
    }

    /** EPOLL_CTL_DEL: 0 or -ENOENT. */
    public int delete(OpenFile file, int fd) {
        Item it;
        synchronized (this) {
            it = items.get(new Key(file, fd));
            if (it == null) {
                return -Errno.ENOENT;
            }
        }
        remove(it);
        return 0;
    }

    /** ep_remove: off the file's queues, the interest list and the ready list. */
    private void remove(Item it) {
        synchronized (this) {
            if (it.removed) {
                return;
            }
            it.removed = true;
            items.remove(new Key(it.file, it.fd));
            if (it.onReadyList) {
                ready.remove(it);
                it.onReadyList = false;
            }
        }
        it.table.release();
        it.file.removeFinalCloseHook(it);
    }

    /** Items on the interest list now. */
    public synchronized int interestCount() {
        return items.size();
    }

    /** ep_events_available. */
    public synchronized boolean eventsAvailable() {
        return !ready.isEmpty();
    }

    /**
     * ep_send_events: up to {@code max} events of the ready items, each polled again. Items
     * not reached stay first on the list; level-triggered ones reported go back at its end.
     */
    public List<Event> collect(int max) {
        List<Event> out = new ArrayList<>();
        synchronized (this) {
            List<Item> tx = new ArrayList<>(ready);
            ready.clear();
            for (Item it : tx) {
                it.onReadyList = false;
            }
            List<Item> again = new ArrayList<>();
            int i = 0;
            for (; i < tx.size() && out.size() < max; i++) {
                Item it = tx.get(i);
                int revents = it.poll(null);
                if (revents == 0) {
                    continue;
                }
                out.add(new Event(revents, it.data));
                if ((it.events & EPOLLONESHOT) != 0) {
                    it.events &= EP_PRIVATE_BITS;
                } else if ((it.events & EPOLLET) == 0) {
                    again.add(it);
                }
            }
            ArrayDeque<Item> next = new ArrayDeque<>();
            for (; i < tx.size(); i++) {
                next.add(tx.get(i));
            }
            next.addAll(ready); // linked while the items were polled
            next.addAll(again);
            ready.clear();
            for (Item it : next) {
                if (!it.onReadyList) {
                    it.onReadyList = true;
                    ready.add(it);
                }
            }
        }
        return out;
    }

    /**
     * The host's standard input, if an item (here or in a nested instance) is a file that
     * waits for it: a thread in epoll_wait also waits for the host then.
     */
    public synchronized HostInput hostInput() {
        for (Item it : items.values()) {
            HostInput in = HostInput.polledBy(it.file);
            if (in != null) {
                return in;
            }
        }
        return null;
    }

    /** ep_eventpoll_poll: readable while an item on the ready list is ready (the others are dropped). */
    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, pollers);
        synchronized (this) {
            while (!ready.isEmpty()) {
                Item it = ready.peek();
                if (it.poll(null) != 0) {
                    return PollTable.POLLIN | PollTable.POLLRDNORM;
                }
                ready.poll();
                it.onReadyList = false;
            }
            return 0;
        }
    }

    /** ep_free: every item goes. */
    @Override
    protected void closeResource() {
        List<Item> all;
        synchronized (this) {
            all = new ArrayList<>(items.values());
        }
        all.forEach(this::remove);
    }
}
