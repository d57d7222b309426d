package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.signal.SignalDelivery;

/**
 * ppoll(2) (Linux {@code fs/select.c}): every descriptor this kernel offers (files,
 * directories, the standard streams) is always ready, as a regular file is on Linux, so
 * a poll returns at once unless it watches nothing; then the thread sleeps until the
 * timeout or a signal, the way glibc's pause() (ppoll with no descriptors) waits.
 */
final class PollSyscalls {
    static final short POLLIN = 0x001;
    static final short POLLPRI = 0x002;
    static final short POLLOUT = 0x004;
    static final short POLLNVAL = 0x020;
    static final short POLLRDNORM = 0x040;
    static final short POLLWRNORM = 0x100;
    private static final long NANOS = 1_000_000_000L;
    private static final long SIGSET_SIZE = 8;

    private final Process process;

    PollSyscalls(Process process) {
        this.process = process;
    }

    /** ppoll(fds, nfds, tmo_p, sigmask, sigsetsize); struct pollfd is {int fd; short events, revents}. */
    long ppoll(long fds, long nfds, long timeout, long sigmask, long sigsetsize) throws BadUserAddressException {
        if (Long.compareUnsigned(nfds, process.limits[Process.RLIMIT_NOFILE][0]) > 0) {
            return -Errno.EINVAL;
        }
        long relative = -1;
        if (timeout != 0) {
            long sec = process.user.read64(timeout);
            long nsec = process.user.read64(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= NANOS) {
                return -Errno.EINVAL;
            }
            relative = sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
        }
        Task t = process.current;
        if (sigmask != 0) {
            if (sigsetsize != SIGSET_SIZE) {
                return -Errno.EINVAL;
            }
            // As rt_sigsuspend: the mask holds while the call waits, the old one returns after.
            t.savedSigmask = t.blocked();
            t.restoreSigmask = true;
            t.setBlocked(process.user.read64(sigmask));
        }
        int ready = 0;
        if (nfds > 0) {
            byte[] b = process.user.read(fds, (int) nfds * 8);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < nfds; i++) {
                int fd = bb.getInt(8 * i);
                short events = bb.getShort(8 * i + 4);
                short revents = 0;
                if (fd >= 0) {
                    OpenFile f = process.files.file(fd);
                    if (f == null) {
                        revents = POLLNVAL;
                    } else {
                        revents = (short) (events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM));
                    }
                }
                bb.putShort(8 * i + 6, revents);
                if (revents != 0) {
                    ready++;
                }
            }
            process.user.write(fds, b);
        }
        if (ready > 0 || relative == 0) {
            if (sigmask != 0 && !SignalDelivery.hasDeliverable(t)) {
                t.restoreSigmask = false;
                t.setBlocked(t.savedSigmask);
            }
            return ready;
        }
        if (SignalDelivery.hasDeliverable(t)) {
            return -Errno.EINTR;
        }
        if (process.kernel == null) {
            return -Errno.EINTR;
        }
        long deadline = relative < 0 ? -1 : process.kernel.scheduler().now() + relative;
        t.block(new Task.Wait("ppoll", deadline, 0, false));
        return 0;
    }
}
