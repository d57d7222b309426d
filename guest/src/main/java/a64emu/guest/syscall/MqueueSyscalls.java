package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.MqueueFile;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.SocketFile;
import a64emu.guest.ipc.MessageQueue;
import a64emu.guest.ipc.Mqueue;
import a64emu.guest.ipc.Outcome;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The POSIX message queue system calls (mq_open, mq_unlink, mq_timedsend, mq_timedreceive,
 * mq_notify, mq_getsetattr; Linux {@code ipc/mqueue.c}): arguments copied in Linux's order,
 * the queues in {@link a64emu.guest.ipc}. A send to a full queue or a receive from an empty
 * one sleeps until the queue changes, the absolute CLOCK_REALTIME timeout (ETIMEDOUT) or a
 * signal (EINTR, restarted after a SA_RESTART handler: Linux's -ERESTARTSYS).
 */
final class MqueueSyscalls {
    private static final long NANOS = 1_000_000_000L;
    /** sizeof(struct mq_attr): mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs and four reserved longs. */
    static final int MQ_ATTR_SIZE = 64;
    /** sizeof(struct sigevent) and NOTIFY_COOKIE_LEN. */
    static final int SIGEVENT_SIZE = 64;
    static final int NOTIFY_COOKIE_LEN = 32;
    /** _NSIG: the highest valid signal. */
    private static final int NSIG = 64;

    private final Process process;
    private final IpcSyscalls ipc;
    private final TimeSyscalls time;

    /** What a call that slept keeps for its next run: its queue and deadline (-1: none). */
    private record Restart(MessageQueue on, long deadline) {}

    MqueueSyscalls(Process process, IpcSyscalls ipc, TimeSyscalls time) {
        this.process = process;
        this.ipc = ipc;
        this.time = time;
    }

    private Mqueue mqueue() {
        return process.kernel.ipc().mqueue();
    }

    private boolean noKernel() {
        return process.kernel == null || process.kernel.ipc() == null;
    }

    /** getname: EFAULT, ENAMETOOLONG at PATH_MAX, ENOENT for an empty name. */
    private String name(long va) throws BadUserAddressException, ErrnoException {
        String name = process.user.readCString(va, OpenFlags.PATH_MAX - 1);
        if (name == null) throw new ErrnoException(Errno.ENAMETOOLONG);
        if (name.isEmpty()) throw new ErrnoException(Errno.ENOENT);
        return name;
    }

    /**
     * mq_open(2): the name, then a free descriptor (EMFILE), then the queue; the descriptor is
     * always close-on-exec (get_unused_fd_flags(O_CLOEXEC)).
     */
    long mqOpen(long nameVa, int oflag, int mode, long attrVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        long[] attr = null;
        if (attrVa != 0) {
            ByteBuffer b = buffer(MQ_ATTR_SIZE);
            process.user.read(attrVa, b.array(), 0, MQ_ATTR_SIZE);
            attr = new long[] {b.getLong(8), b.getLong(16)};
        }
        try {
            String name = name(nameVa);
            if (!process.files.hasFreeDescriptor()) {
                return -Errno.EMFILE;
            }
            int umask = process.files.fileSystem().currentUmask();
            MessageQueue q = mqueue().open(ipc.caller(), name, (oflag & OpenFlags.O_CREAT) != 0,
                    (oflag & OpenFlags.O_EXCL) != 0, oflag & OpenFlags.O_ACCMODE, mode & ~umask & 07777, attr,
                    process.limits[Process.RLIMIT_MSGQUEUE][0], time.now(TimeSyscalls.CLOCK_REALTIME));
            var ns = process.kernel.ipc();
            MqueueFile f = new MqueueFile(q, oflag, ns::currentTgid);
            return process.files.installNew(f, true);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long mqUnlink(long nameVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        try {
            return mqueue().unlink(ipc.caller(), name(nameVa));
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** The descriptor's queue: EBADF for none or another kind of file. */
    private MqueueFile queue(int fd) throws ErrnoException {
        OpenFile f = process.files.file(fd);
        if (!(f instanceof MqueueFile m)) throw new ErrnoException(Errno.EBADF);
        return m;
    }

    /** prepare_timeout: EFAULT, then EINVAL for a malformed timespec; -1 for none. */
    private long absoluteTimeout(long va) throws BadUserAddressException, ErrnoException {
        if (va == 0) return -1;
        long sec = process.user.read64(va);
        long nsec = process.user.read64(va + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) throw new ErrnoException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    /** The scheduler's deadline for an absolute CLOCK_REALTIME time (-1: none); a woken call keeps its first. */
    private long deadline(Task t, long absolute) {
        if (t.takeRestartBlock() instanceof Restart r) return r.deadline();
        if (absolute < 0) return -1;
        long now = process.kernel.scheduler().now();
        long left = absolute - time.now(TimeSyscalls.CLOCK_REALTIME);
        return left <= 0 ? now : left > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + left;
    }

    /**
     * mq_timedsend(2): the timeout checked first, then the priority (EINVAL at MQ_PRIO_MAX),
     * the descriptor (EBADF, also without write access), the size (EMSGSIZE), the message
     * copied in (EFAULT).
     */
    long mqTimedsend(int fd, long msgVa, long len, long prioArg, long timeoutVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        try {
            long abs = absoluteTimeout(timeoutVa);
            long prio = prioArg & 0xFFFF_FFFFL;
            if (prio >= MessageQueue.MQ_PRIO_MAX) return -Errno.EINVAL;
            MqueueFile f = queue(fd);
            if (!f.writable()) return -Errno.EBADF;
            long err = f.queue().checkSendSize(len);
            if (err != 0) return err;
            byte[] text = process.user.read(msgVa, (int) len);
            Task t = process.current;
            long deadline = deadline(t, abs);
            Outcome o = f.queue().send(text, (int) prio, f.nonBlocking(), process.pid,
                    (int) process.credentials.uid(), time.now(TimeSyscalls.CLOCK_REALTIME));
            return sleepOr(t, o, "mq_timedsend", deadline);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** mq_timedreceive(2): EBADF without read access, EMSGSIZE for a buffer below mq_msgsize. */
    long mqTimedreceive(int fd, long msgVa, long len, long prioVa, long timeoutVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        try {
            long abs = absoluteTimeout(timeoutVa);
            MqueueFile f = queue(fd);
            if (!f.readable()) return -Errno.EBADF;
            long err = f.queue().checkReceiveSize(len);
            if (err != 0) return err;
            Task t = process.current;
            long deadline = deadline(t, abs);
            MessageQueue.Received[] got = new MessageQueue.Received[1];
            MessageQueue q = f.queue();
            // A receiver waits until it runs again: asleep, or woken and not yet back in the call.
            Outcome o = q.receive(f.nonBlocking(), t, () -> t.state() == Task.State.BLOCKED
                            ? t.waitingFor().channel == q : t.restartBlock() instanceof Restart r && r.on() == q,
                    time.now(TimeSyscalls.CLOCK_REALTIME), got);
            if (o.blocks() || o.value() < 0) {
                return sleepOr(t, o, "mq_timedreceive", deadline);
            }
            if (prioVa != 0) {
                process.user.write32(prioVa, got[0].priority());
            }
            process.user.write(msgVa, got[0].text());
            return o.value();
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /**
     * mq_notify(2): the struct sigevent copied in (EFAULT); EINVAL for an unknown sigev_notify
     * or signal. SIGEV_THREAD names a netlink socket in sigev_signo and a 32-byte cookie at
     * sigev_value: there is no AF_NETLINK here, so a descriptor is EBADF if closed, ENOTSOCK if
     * not a socket and EINVAL for a socket of another family, as netlink_getsockbyfilp answers.
     * A signal notification is sent only while the registering image runs (self_exec_id).
     * Then EBADF for a descriptor that is not a queue, EBUSY if another process registered.
     */
    long mqNotify(int fd, long sigeventVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        int notify = 0;
        int signo = 0;
        long value = 0;
        if (sigeventVa != 0) {
            ByteBuffer b = buffer(SIGEVENT_SIZE);
            process.user.read(sigeventVa, b.array(), 0, SIGEVENT_SIZE);
            value = b.getLong(0);
            signo = b.getInt(8);
            notify = b.getInt(12);
            if (notify != MessageQueue.SIGEV_NONE && notify != MessageQueue.SIGEV_SIGNAL
                    && notify != MessageQueue.SIGEV_THREAD) {
                return -Errno.EINVAL;
            }
            if (notify == MessageQueue.SIGEV_SIGNAL && Integer.compareUnsigned(signo, NSIG) > 0) {
                return -Errno.EINVAL;
            }
            if (notify == MessageQueue.SIGEV_THREAD) {
                process.user.read(value, NOTIFY_COOKIE_LEN);
                OpenFile sock = process.files.file(signo);
                if (sock == null) return -Errno.EBADF;
                return sock instanceof SocketFile ? -Errno.EINVAL : -Errno.ENOTSOCK;
            }
        }
        try {
            MqueueFile f = queue(fd);
            return f.queue().notify(process.pid, process, notify, signo, value, sigeventVa == 0);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** mq_getsetattr(2): EINVAL for mq_flags other than O_NONBLOCK, EBADF; the old attributes written after. */
    long mqGetsetattr(int fd, long newVa, long oldVa) throws BadUserAddressException {
        if (noKernel()) return -Errno.ENOSYS;
        long newFlags = -1;
        if (newVa != 0) {
            ByteBuffer b = buffer(MQ_ATTR_SIZE);
            process.user.read(newVa, b.array(), 0, MQ_ATTR_SIZE);
            newFlags = b.getLong(0);
            if ((newFlags & ~(long) OpenFlags.O_NONBLOCK) != 0) return -Errno.EINVAL;
        }
        MqueueFile f;
        try {
            f = queue(fd);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        ByteBuffer old = buffer(MQ_ATTR_SIZE);
        long[] attr = f.queue().attr();
        old.putLong(0, f.nonBlocking() ? OpenFlags.O_NONBLOCK : 0);
        old.putLong(8, attr[0]);
        old.putLong(16, attr[1]);
        old.putLong(24, attr[2]);
        if (newVa != 0) {
            f.setNonBlocking((newFlags & OpenFlags.O_NONBLOCK) != 0);
        }
        if (oldVa != 0) {
            process.user.write(oldVa, old.array(), 0, MQ_ATTR_SIZE);
        }
        return 0;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The value, or asleep on the queue until it changes, the deadline (ETIMEDOUT) or a signal. */
    private long sleepOr(Task t, Outcome o, String reason, long deadline) {
        if (!o.blocks()) return o.value();
        Task.Wait w = new Task.Wait(reason, deadline, -Errno.ETIMEDOUT, true);
        w.channel = o.sleepOn();
        w.restartBlock = new Restart((MessageQueue) o.sleepOn(), deadline);
        t.block(w);
        return 0;
    }
}
