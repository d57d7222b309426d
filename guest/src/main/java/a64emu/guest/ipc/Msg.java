package a64emu.guest.ipc;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * System V message queues, Linux {@code ipc/msg.c}: msgget, msgsnd, msgrcv and msgctl with
 * Linux 6.1's defaults (kernel.msgmax 8192, msgmnb 16384, msgmni 32000). A send to a full
 * queue and a receive that finds no message sleep on the queue and run again when it
 * changes; its removal ends them with EIDRM.
 */
public final class Msg {
    public static final int MSGMAX = 8192;
    public static final int MSGMNB = 16384;
    public static final int MSGMNI = 32000;
    public static final int MSGPOOL = MSGMNI * (MSGMNB / 1024);
    public static final int MSGMAP = MSGMNB;
    public static final int MSGTQL = MSGMNB;
    public static final int MSGSSZ = 16;
    public static final int MSGSEG = 0xffff;

    public static final int MSG_NOERROR = 010000;
    public static final int MSG_EXCEPT = 020000;
    public static final int MSG_COPY = 040000;
    public static final int MSG_STAT = 11;
    public static final int MSG_INFO = 12;
    public static final int MSG_STAT_ANY = 13;

    /** sizeof(struct msqid64_ds) on a 64-bit kernel and sizeof(struct msginfo). */
    public static final int MSQID64_DS_SIZE = 120;
    public static final int MSGINFO_SIZE = 32;

    /** A received message: its type and the bytes to copy out (already cut to the buffer). */
    public record Received(long type, byte[] text) {}

    private final IpcIds<MsgQueue> ids = new IpcIds<>();
    private final Consumer<Object> wake;
    /** The messages and bytes in all queues (msg_hdrs, msg_bytes). */
    private long headers;
    private long bytes;

    Msg(Consumer<Object> wake) {
        this.wake = wake;
    }

    /** msgget(2). */
    public synchronized long get(IpcCaller c, int key, int flg) {
        return ids.get(key, flg, c, () -> ids.add(
                new MsgQueue(key, flg & IpcObject.S_IRWXUGO, MSGMNB, c.realtimeSeconds()), MSGMNI, c));
    }

    /** The checks of {@code do_msgsnd} before the text is read: EINVAL. */
    public static long checkSend(int msqid, long mtype, long msgsz) {
        if (msgsz > MSGMAX || msgsz < 0 || msqid < 0) {
            return -Errno.EINVAL;
        }
        return mtype < 1 ? -Errno.EINVAL : 0;
    }

    /**
     * {@code do_msgsnd} with the text read: EINVAL, EACCES, EIDRM for a queue removed while
     * the sender slept, EAGAIN with IPC_NOWAIT when the queue is full, else sleep.
     */
    public synchronized Outcome send(IpcCaller c, int msqid, long mtype, byte[] text, int flg, MsgQueue sleptOn) {
        if (sleptOn != null && sleptOn.isDeleted()) {
            return Outcome.of(-Errno.EIDRM);
        }
        MsgQueue q = ids.check(msqid);
        if (q == null) {
            return Outcome.of(-Errno.EINVAL);
        }
        if (!q.permits(c, Ipc.S_IWUGO)) {
            return Outcome.of(-Errno.EACCES);
        }
        if (!q.fits(text.length)) {
            return (flg & Ipc.IPC_NOWAIT) != 0 ? Outcome.of(-Errno.EAGAIN) : Outcome.sleep(q);
        }
        q.lspid = c.tgid();
        q.stime = c.realtimeSeconds();
        MsgQueue.Message m = new MsgQueue.Message(mtype, text);
        if (!pipelinedSend(q, m, c.realtimeSeconds())) {
            q.messages.add(m);
            q.cbytes += text.length;
            headers++;
            bytes += text.length;
        }
        wake.accept(q);
        return Outcome.of(0);
    }

    /**
     * {@code pipelined_send}: the first sleeping receiver the message suits gets it directly
     * (it never enters the queue, and the receiver's pid and the time are recorded now); one
     * whose buffer is too small without MSG_NOERROR gets E2BIG and the next one is tried.
     */
    private static boolean pipelinedSend(MsgQueue q, MsgQueue.Message m, long now) {
        q.receivers.values().removeIf(r -> !r.asleep().getAsBoolean());
        for (var it = q.receivers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            MsgQueue.Receiver r = e.getValue();
            if (!suits(m, r.type(), r.flg())) {
                continue;
            }
            it.remove();
            if (r.maxSize() < m.text().length) {
                q.handedOver.put(e.getKey(), -Errno.E2BIG);
                continue;
            }
            q.lrpid = r.tgid();
            q.rtime = now;
            q.handedOver.put(e.getKey(), m);
            return true;
        }
        return false;
    }

    /** {@code testmsg} for a receiver's {@code convert_mode}d type (never MSG_COPY: those do not sleep). */
    private static boolean suits(MsgQueue.Message m, long msgtyp, int flg) {
        if (msgtyp == 0) {
            return true;
        }
        if (msgtyp < 0) {
            return m.type() <= (msgtyp == Long.MIN_VALUE ? Long.MAX_VALUE : -msgtyp);
        }
        return (flg & MSG_EXCEPT) != 0 ? m.type() != msgtyp : m.type() == msgtyp;
    }

    /** The checks of {@code do_msgrcv} before the queue: EINVAL (and MSG_COPY needs IPC_NOWAIT, not MSG_EXCEPT). */
    public static long checkReceive(int msqid, long bufsz, int flg) {
        if (msqid < 0 || bufsz < 0) {
            return -Errno.EINVAL;
        }
        if ((flg & MSG_COPY) != 0 && ((flg & MSG_EXCEPT) != 0 || (flg & Ipc.IPC_NOWAIT) == 0)) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * {@code do_msgrcv}: the first message of type {@code msgtyp} (0: any; negative: the
     * lowest type up to its absolute value; with MSG_EXCEPT any other type; with MSG_COPY the
     * message at that position, left in the queue). E2BIG if it is longer than {@code bufsz}
     * without MSG_NOERROR (cut with it), ENOMSG with IPC_NOWAIT and none, else sleep as
     * {@code waiter} ({@code asleep} tells whether it still waits); a sender may then hand it
     * a message, which its next run returns.
     * The value of a completed outcome is a {@link Received} passed through {@code out[0]}.
     */
    public synchronized Outcome receive(IpcCaller c, int msqid, long bufsz, long msgtyp, int flg, MsgQueue sleptOn,
                                        Object waiter, java.util.function.BooleanSupplier asleep, Received[] out) {
        if (sleptOn != null) {
            sleptOn.receivers.remove(waiter);
            Object handed = sleptOn.handedOver.remove(waiter);
            if (handed instanceof MsgQueue.Message m) {
                int n = (int) Math.min(bufsz, m.text().length);
                out[0] = new Received(m.type(), java.util.Arrays.copyOf(m.text(), n));
                return Outcome.of(n);
            }
            if (handed instanceof Integer errno) {
                return Outcome.of(errno);
            }
        }
        if (sleptOn != null && sleptOn.isDeleted()) {
            return Outcome.of(-Errno.EIDRM);
        }
        MsgQueue q = ids.check(msqid);
        if (q == null) {
            return Outcome.of(-Errno.EINVAL);
        }
        if (!q.permits(c, Ipc.S_IRUGO)) {
            return Outcome.of(-Errno.EACCES);
        }
        MsgQueue.Message m = find(q, msgtyp, flg);
        if (m == null) {
            if ((flg & Ipc.IPC_NOWAIT) != 0) {
                return Outcome.of(-Errno.ENOMSG);
            }
            long maxSize = (flg & MSG_NOERROR) != 0 ? Integer.MAX_VALUE : bufsz;
            q.receivers.put(waiter, new MsgQueue.Receiver(msgtyp, flg, maxSize, c.tgid(), asleep));
            return Outcome.sleep(q);
        }
        if (bufsz < m.text().length && (flg & MSG_NOERROR) == 0) {
            return Outcome.of(-Errno.E2BIG);
        }
        if ((flg & MSG_COPY) != 0) {
            // copy_msg into a buffer of min(bufsz, msgmax) bytes: EINVAL if the message is longer.
            if (m.text().length > Math.min(bufsz, MSGMAX)) {
                return Outcome.of(-Errno.EINVAL);
            }
        } else {
            q.messages.remove(m);
            q.rtime = c.realtimeSeconds();
            q.lrpid = c.tgid();
            q.cbytes -= m.text().length;
            headers--;
            bytes -= m.text().length;
            wake.accept(q);
        }
        int n = (int) Math.min(bufsz, m.text().length);
        out[0] = new Received(m.type(), java.util.Arrays.copyOf(m.text(), n));
        return Outcome.of(n);
    }

    /** {@code convert_mode} and {@code find_msg}. */
    private static MsgQueue.Message find(MsgQueue q, long msgtyp, int flg) {
        if ((flg & MSG_COPY) != 0) {
            return msgtyp >= 0 && msgtyp < q.messages.size() ? q.messages.get((int) msgtyp) : null;
        }
        if (msgtyp == 0) {
            return q.messages.isEmpty() ? null : q.messages.get(0);
        }
        if (msgtyp < 0) {
            long limit = msgtyp == Long.MIN_VALUE ? Long.MAX_VALUE : -msgtyp;
            MsgQueue.Message found = null;
            for (MsgQueue.Message m : q.messages) {
                if (m.type() <= limit) {
                    if (m.type() == 1) {
                        return m;
                    }
                    limit = m.type() - 1;
                    found = m;
                }
            }
            return found;
        }
        boolean except = (flg & MSG_EXCEPT) != 0;
        for (MsgQueue.Message m : q.messages) {
            if ((m.type() == msgtyp) != except) {
                return m;
            }
        }
        return null;
    }

    public static int outputSize(int cmd) {
        return switch (cmd) {
            case Ipc.IPC_STAT, MSG_STAT, MSG_STAT_ANY -> MSQID64_DS_SIZE;
            case Ipc.IPC_INFO, MSG_INFO -> MSGINFO_SIZE;
            default -> 0;
        };
    }

    /** msgctl(2), IPC_SET's struct msqid64_ds already read into {@code buf}. */
    public synchronized long ctl(IpcCaller c, int msqid, int cmd, ByteBuffer buf) {
        if (msqid < 0 || cmd < 0) {
            return -Errno.EINVAL;
        }
        switch (cmd) {
            case Ipc.IPC_INFO, MSG_INFO -> {
                boolean msgInfo = cmd == MSG_INFO;
                buf.putInt(0, msgInfo ? ids.inUse() : MSGPOOL);
                buf.putInt(4, msgInfo ? (int) Math.min(headers, Integer.MAX_VALUE) : MSGMAP);
                buf.putInt(8, MSGMAX);
                buf.putInt(12, MSGMNB);
                buf.putInt(16, MSGMNI);
                buf.putInt(20, MSGSSZ);
                buf.putInt(24, msgInfo ? (int) Math.min(bytes, Integer.MAX_VALUE) : MSGTQL);
                buf.putShort(28, (short) MSGSEG);
                return Math.max(0, ids.maxIdx());
            }
            case Ipc.IPC_STAT, MSG_STAT, MSG_STAT_ANY -> {
                MsgQueue q = cmd == Ipc.IPC_STAT ? ids.check(msqid) : ids.byIndex(msqid);
                if (q == null) {
                    return -Errno.EINVAL;
                }
                if (cmd != MSG_STAT_ANY && !q.permits(c, Ipc.S_IRUGO)) {
                    return -Errno.EACCES;
                }
                q.putIpc64Perm(buf, 0);
                buf.putLong(48, q.stime);
                buf.putLong(56, q.rtime);
                buf.putLong(64, q.ctime);
                buf.putLong(72, q.cbytes);
                buf.putLong(80, q.messages.size());
                buf.putLong(88, q.qbytes);
                buf.putInt(96, q.lspid);
                buf.putInt(100, q.lrpid);
                return cmd == Ipc.IPC_STAT ? 0 : q.id;
            }
            case Ipc.IPC_SET, Ipc.IPC_RMID -> {
                MsgQueue q = ids.check(msqid);
                if (q == null) {
                    return -Errno.EINVAL;
                }
                if (!q.mayControl(c)) {
                    return -Errno.EPERM;
                }
                if (cmd == Ipc.IPC_RMID) {
                    headers -= q.messages.size();
                    bytes -= q.cbytes;
                    ids.remove(q);
                    wake.accept(q);
                    return 0;
                }
                long newQbytes = buf.getLong(88);
                if (Long.compareUnsigned(newQbytes, MSGMNB) > 0 && !c.capable(IpcCaller.CAP_SYS_RESOURCE)) {
                    return -Errno.EPERM;
                }
                IpcObject.PermSet p = IpcObject.PermSet.of(buf, 0);
                int err = q.updatePerm(p.uid(), p.gid(), p.mode());
                if (err != 0) {
                    return err;
                }
                q.qbytes = newQbytes;
                q.ctime = c.realtimeSeconds();
                wake.accept(q);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    synchronized List<MsgQueue> queues() {
        return new ArrayList<>(ids.all());
    }
}
