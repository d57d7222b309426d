package a64emu.guest.ipc;

import a64emu.guest.Errno;
import a64emu.guest.fs.WaitQueue;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One POSIX message queue, the inode of Linux {@code ipc/mqueue.c} ({@code struct
 * mqueue_inode_info}): its attributes, its messages by priority (highest first, in arrival
 * order within one), the registered notification, the owner and mode, and the wait queue that
 * pollers register on. Sending and receiving threads that must wait sleep on this object.
 */
public final class MessageQueue {
    public static final int SIGEV_SIGNAL = 0;
    public static final int SIGEV_NONE = 1;
    public static final int SIGEV_THREAD = 2;
    /** MQ_PRIO_MAX: priorities are below it. */
    public static final int MQ_PRIO_MAX = 32768;
    /** FILENT_SIZE: the size the queue's file reports. */
    public static final long FILENT_SIZE = 80;

    /** A received message: its priority and text. */
    public record Received(int priority, byte[] text) {}

    /**
     * A registered notification: the owner (thread group), the image it ran when it registered
     * (a signal goes only to that image: Linux's self_exec_id check) and its struct sigevent.
     */
    record Notification(int owner, Object image, int how, int signo, long value) {}

    private final Mqueue ns;
    final String name;
    final long inode;
    final long uid;
    final long gid;
    final int mode;
    final long maxmsg;
    final long msgsize;
    /** The bytes charged to the creator's RLIMIT_MSGQUEUE. */
    final long charged;
    private final TreeMap<Integer, ArrayDeque<byte[]>> messages = new TreeMap<>(Collections.reverseOrder());
    private long curmsgs;
    private long qsize;
    private Notification notification;
    /** Receivers waiting, in arrival order, each with whether it still waits. */
    private final Map<Object, BooleanSupplier> receivers = new LinkedHashMap<>();
    /** Messages {@code pipelined_send} gave straight to a waiting receiver, for its next run. */
    private final Map<Object, Received> handedOver = new LinkedHashMap<>();
    /** Pollers (poll, select, epoll) of the queue's descriptors. */
    public final WaitQueue pollers = new WaitQueue();
    long mtimeNanos;

    MessageQueue(Mqueue ns, String name, long inode, long uid, long gid, int mode, long maxmsg, long msgsize,
                 long charged, long nowNanos) {
        this.ns = ns;
        this.name = name;
        this.inode = inode;
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
        this.charged = charged;
        this.mtimeNanos = nowNanos;
    }

    public String name() {
        return name;
    }

    public long inode() {
        return inode;
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    public int mode() {
        return mode;
    }

    public synchronized long mtimeNanos() {
        return mtimeNanos;
    }

    /** struct mq_attr without mq_flags (the descriptor's): mq_maxmsg, mq_msgsize, mq_curmsgs. */
    public synchronized long[] attr() {
        return new long[] {maxmsg, msgsize, curmsgs};
    }

    /**
     * {@code do_mq_timedsend} once the descriptor was checked for writing: a full queue
     * answers EAGAIN ({@code nonBlocking}) or sleeps. A receiver waiting gets the message
     * directly ({@code pipelined_send}: it never enters the queue); else it is queued, and
     * one that makes an empty queue non-empty fires the notification, which is then
     * unregistered ({@code __do_notify}).
     */
    public synchronized Outcome send(byte[] text, int priority, boolean nonBlocking, int senderTgid, int senderUid,
                                     long nowNanos) {
        if (curmsgs == maxmsg) {
            return nonBlocking ? Outcome.of(-Errno.EAGAIN) : Outcome.sleep(this);
        }
        mtimeNanos = nowNanos;
        receivers.values().removeIf(asleep -> !asleep.getAsBoolean());
        if (!receivers.isEmpty()) {
            Object receiver = receivers.keySet().iterator().next();
            receivers.remove(receiver);
            handedOver.put(receiver, new Received(priority, text));
            ns.wake(this);
            return Outcome.of(0);
        }
        messages.computeIfAbsent(priority, p -> new ArrayDeque<>()).addLast(text);
        curmsgs++;
        qsize += text.length;
        if (notification != null && curmsgs == 1) {
            Notification n = notification;
            notification = null;
            if (n.how() == SIGEV_SIGNAL && n.signo() != 0) {
                ns.signal(n.owner(), n.image(), n.signo(), n.value(), senderTgid, senderUid);
            }
        }
        wake(a64emu.guest.fs.PollTable.POLLIN);
        return Outcome.of(0);
    }

    /** Whether the checks a send makes before copying the message pass: EMSGSIZE. */
    public synchronized long checkSendSize(long len) {
        return len > msgsize ? -Errno.EMSGSIZE : 0;
    }

    /** {@code do_mq_timedreceive}'s size check: EMSGSIZE for a buffer smaller than mq_msgsize. */
    public synchronized long checkReceiveSize(long len) {
        return len < msgsize ? -Errno.EMSGSIZE : 0;
    }

    /**
     * The message a sender handed to {@code waiter} while it slept, else the oldest message of
     * the highest priority; an empty queue answers EAGAIN ({@code nonBlocking}) or sleeps,
     * {@code waiter} registered as a receiver while it does.
     */
    public synchronized Outcome receive(boolean nonBlocking, Object waiter, BooleanSupplier asleep, long nowNanos,
                                        Received[] out) {
        receivers.remove(waiter);
        Received handed = handedOver.remove(waiter);
        if (handed != null) {
            out[0] = handed;
            return Outcome.of(handed.text().length);
        }
        if (curmsgs == 0) {
            if (nonBlocking) {
                return Outcome.of(-Errno.EAGAIN);
            }
            receivers.put(waiter, asleep);
            return Outcome.sleep(this);
        }
        Map.Entry<Integer, ArrayDeque<byte[]>> first = messages.firstEntry();
        byte[] text = first.getValue().removeFirst();
        if (first.getValue().isEmpty()) {
            messages.remove(first.getKey());
        }
        curmsgs--;
        qsize -= text.length;
        mtimeNanos = nowNanos;
        out[0] = new Received(first.getKey(), text);
        wake(a64emu.guest.fs.PollTable.POLLOUT);
        return Outcome.of(text.length);
    }

    /**
     * {@code do_mq_notify} with a notification ({@code remove} to remove the caller's): EBUSY
     * when another is registered; removing one that is not the caller's does nothing.
     * {@code image} names the caller's program image: after an execve the signal is not sent.
     */
    public synchronized long notify(int tgid, Object image, int notify, int signo, long value, boolean remove) {
        if (remove) {
            if (notification != null && notification.owner() == tgid) {
                notification = null;
            }
            return 0;
        }
        if (notification != null) {
            return -Errno.EBUSY;
        }
        notification = new Notification(tgid, image, notify, signo, value);
        return 0;
    }

    /** {@code mqueue_flush_file}: a close by the owner of the notification removes it. */
    public synchronized void flush(int tgid) {
        if (notification != null && notification.owner() == tgid) {
            notification = null;
        }
    }

    /** What a read of the queue's descriptor shows ({@code mqueue_read_file}). */
    public synchronized String status() {
        Notification n = notification;
        return String.format("QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize,
                n == null ? 0 : n.how(), n != null && n.how() == SIGEV_SIGNAL ? n.signo() : 0,
                n == null ? 0 : n.owner());
    }

    /** {@code mqueue_poll_file}'s mask now. */
    public synchronized int pollMask() {
        int mask = 0;
        if (curmsgs != 0) {
            mask |= a64emu.guest.fs.PollTable.POLLIN | a64emu.guest.fs.PollTable.POLLRDNORM;
        }
        if (curmsgs < maxmsg) {
            mask |= a64emu.guest.fs.PollTable.POLLOUT | a64emu.guest.fs.PollTable.POLLWRNORM;
        }
        return mask;
    }

    private void wake(int events) {
        pollers.wakeUp(events);
        ns.wake(this);
    }

    /** The last description of the queue closed: an unlinked queue is freed ({@code mqueue_evict_inode}). */
    public void lastClose() {
        ns.released(this);
    }
}
