package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.net.InetSocket;
import a64emu.guest.net.SocketFlags;
import a64emu.guest.net.UnixSocket;

/**
 * sendmmsg(2) and recvmmsg(2) (Linux {@code net/socket.c __sys_sendmmsg}, {@code do_recvmmsg}):
 * a loop of sendmsg or recvmsg over an array of {@code struct mmsghdr} (a msghdr, then
 * msg_len, the bytes that message moved: 64 bytes each), for any kind of socket. The first
 * failure ends the loop; the messages done before it are the answer, the error the answer
 * only when none was. A message that has to wait sleeps as its sendmsg or recvmsg would; the
 * call then runs again from that message (the thread's restart block keeps the count).
 */
final class MultiMessageSyscalls {
    static final int MMSGHDR = 64;
    static final int MSG_LEN = 56;
    static final int MSG_WAITFORONE = 0x10000;
    static final int MSG_CMSG_COMPAT = 0x80000000;

    /** What a call that slept keeps for its next run: the messages done, and recvmmsg's end time (-1: none). */
    record Progress(int done, long deadline) {}

    private final Process process;
    private final SocketSyscalls sockets;

    MultiMessageSyscalls(Process process, SocketSyscalls sockets) {
        this.process = process;
        this.sockets = sockets;
    }

    /** sockfd_lookup_light: 0, or -EBADF / -ENOTSOCK. */
    private long lookup(int fd) {
        OpenFile f = process.files.file(fd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof UnixSocket) && !(f instanceof InetSocket)) return -Errno.ENOTSOCK;
        return 0;
    }

    private Progress progress() {
        return process.current != null && process.current.takeRestartBlock() instanceof Progress p ? p : null;
    }

    /** Whether the message just tried put the thread to sleep (its call runs again when woken). */
    private boolean slept(long result) {
        return result == -Errno.EAGAIN && process.current != null
                && process.current.state() == Task.State.BLOCKED;
    }

    private void keep(Progress p) {
        process.current.waitingFor().restartBlock = p;
    }

    long sendmmsg(int fd, long msgvec, int vlen, int flags) throws BadUserAddressException {
        Progress resumed = progress();
        if ((flags & MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        long bad = lookup(fd);
        if (bad != 0) return bad;
        int n = Integer.compareUnsigned(vlen, SocketSyscalls.UIO_MAXIOV) > 0 ? SocketSyscalls.UIO_MAXIOV : vlen;
        int done = resumed == null ? 0 : resumed.done();
        long err = 0;
        while (done < n) {
            long entry = msgvec + (long) MMSGHDR * done;
            long r = call(() -> sockets.sendmsg(fd, entry, flags));
            if (slept(r)) {
                keep(new Progress(done, -1));
                return r;
            }
            if (r < 0) {
                err = r;
                break;
            }
            if (store(() -> process.user.write32(entry + MSG_LEN, (int) r)) < 0) {
                err = -Errno.EFAULT;
                break;
            }
            done++;
            if (r < messageBytes(entry)) break; // a short send ends the batch
        }
        return done != 0 ? done : err;
    }

    /** One step of a batch that touches guest memory. */
    @FunctionalInterface
    private interface Step {
        void run() throws BadUserAddressException;
    }

    /** One message's call: a fault in it ends the batch as its error (EFAULT), not the whole call. */
    private static long call(Call call) {
        try {
            return call.run();
        } catch (BadUserAddressException e) {
            return -Errno.EFAULT;
        }
    }

    private static long store(Step step) {
        try {
            step.run();
            return 0;
        } catch (BadUserAddressException e) {
            return -Errno.EFAULT;
        }
    }

    @FunctionalInterface
    private interface Call {
        long run() throws BadUserAddressException;
    }

    /** The bytes a msghdr's iovecs hold (what a whole send would take). */
    private long messageBytes(long msg) throws BadUserAddressException {
        long iov = process.user.read64(msg + 16);
        long count = process.user.read64(msg + 24);
        long total = 0;
        for (long i = 0; i < count && i < SocketSyscalls.UIO_MAXIOV; i++) {
            total += process.user.read64(iov + 16 * i + 8);
        }
        return total;
    }

    long recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout) throws BadUserAddressException {
        Progress resumed = progress();
        if ((flags & MSG_CMSG_COMPAT) != 0) return -Errno.EINVAL;
        long deadline;
        if (resumed != null) {
            deadline = resumed.deadline();
        } else {
            long relative = timeout == 0 ? PollWait.FOREVER : PollWait.timeout(process, timeout);
            if (relative == PollWait.INVALID) return -Errno.EINVAL;
            deadline = relative < 0 ? -1 : PollWait.deadline(process, process.current, relative);
        }
        long bad = lookup(fd);
        if (bad != 0) return bad;
        OpenFile f = process.files.file(fd);
        int done = resumed == null ? 0 : resumed.done();
        if (resumed == null) {
            // sock_error: a pending error is the answer, and goes.
            int pending = f instanceof InetSocket s ? s.takeError() : ((UnixSocket) f).takeError();
            if (pending != 0) return -pending;
        }
        int n = Integer.compareUnsigned(vlen, SocketSyscalls.UIO_MAXIOV) > 0 ? SocketSyscalls.UIO_MAXIOV : vlen;
        int callFlags = flags & ~MSG_WAITFORONE;
        if ((flags & MSG_WAITFORONE) != 0 && done > 0) callFlags |= SocketFlags.MSG_DONTWAIT;
        long err = 0;
        while (done < n) {
            long entry = msgvec + (long) MMSGHDR * done;
            int stepFlags = callFlags;
            long r = call(() -> sockets.recvmsg(fd, entry, stepFlags));
            if (slept(r)) {
                keep(new Progress(done, deadline));
                return r;
            }
            if (r < 0) {
                err = r;
                break;
            }
            if (store(() -> process.user.write32(entry + MSG_LEN, (int) r)) < 0) {
                err = -Errno.EFAULT;
                break;
            }
            done++;
            if ((flags & MSG_WAITFORONE) != 0) callFlags |= SocketFlags.MSG_DONTWAIT;
            if (deadline >= 0) {
                // The timeout is looked at after each datagram: it never cuts a wait short.
                long left = deadline - process.kernel.scheduler().now();
                writeTimeLeft(timeout, Math.max(0, left));
                if (left <= 0) break;
            }
            if ((process.user.read32(entry + 48) & SocketFlags.MSG_OOB) != 0) break;
        }
        if (done == 0) return err;
        if (err != 0 && err != -Errno.EAGAIN && f instanceof InetSocket s) {
            s.setPendingError((int) -err); // remembered for the next call
        }
        return done;
    }

    private void writeTimeLeft(long timeout, long left) throws BadUserAddressException {
        process.user.write64(timeout, left / PollWait.NANOS);
        process.user.write64(timeout + 8, left % PollWait.NANOS);
    }
}
