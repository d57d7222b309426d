package a64emu.guest.syscall;

import static a64emu.guest.fs.PollTable.POLLERR;
import static a64emu.guest.fs.PollTable.POLLHUP;
import static a64emu.guest.fs.PollTable.POLLNVAL;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.PollTable;
import a64emu.guest.signal.SignalDelivery;
import java.util.HashMap;
import java.util.Map;

/**
 * ppoll(2) (Linux {@code fs/select.c do_sys_poll}): each descriptor's poll method says which
 * events are ready ({@link OpenFile#poll}; most files are always ready for reading and
 * writing, as a regular file is on Linux); POLLERR and POLLHUP are reported whether asked for
 * or not, POLLNVAL for a descriptor that is not open. When nothing is ready the thread sleeps
 * until the timeout, a signal, or a wake-up from one of the files it polled: each file whose
 * readiness can change (a /proc/pressure trigger, /dev/kmsg) registered the thread on its
 * wait queue, and a wake-up runs the call again with the deadline it had. With no descriptors
 * it sleeps until the timeout or a signal, the way glibc's pause() waits.
 */
final class PollSyscalls {
    private static final long NANOS = 1_000_000_000L;
    private static final long SIGSET_SIZE = 8;

    private final Process process;
    /**
     * The deadline of each thread's ppoll that a file woke: the call runs again and must not
     * start its timeout afresh (Linux loops inside do_poll with the original end time).
     */
    private final Map<Task, Long> rerunDeadline = new HashMap<>();

    PollSyscalls(Process process) {
        this.process = process;
    }

    /** ppoll(fds, nfds, tmo_p, sigmask, sigsetsize); struct pollfd is {int fd; short events, revents}. */
    long ppoll(long fds, long nfds, long timeout, long sigmask, long sigsetsize) throws BadUserAddressException {
        if (Long.compareUnsigned(nfds, process.limits[Process.RLIMIT_NOFILE][0]) > 0) {
            return -Errno.EINVAL;
        }
        Task t = process.current;
        Long rerun = rerunDeadline.remove(t);
        long relative = -1;
        if (timeout != 0) {
            long sec = process.user.read64(timeout);
            long nsec = process.user.read64(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= NANOS) {
                return -Errno.EINVAL;
            }
            relative = sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
        }
        if (sigmask != 0) {
            if (sigsetsize != SIGSET_SIZE) {
                return -Errno.EINVAL;
            }
            // As rt_sigsuspend: the mask holds while the call waits, the old one returns after.
            // A call run again after a wake-up may still hold it, the old one saved.
            if (rerun == null || !t.restoreSigmask) {
                t.savedSigmask = t.blocked();
            }
            t.restoreSigmask = true;
            t.setBlocked(process.user.read64(sigmask));
        }
        boolean mayWait = relative != 0 && process.kernel != null;
        long deadline = rerun != null ? rerun
                : relative < 0 || !mayWait ? -1 : process.kernel.scheduler().now() + relative;
        PollTable table = !mayWait ? null : new PollTable(t, () -> {
            rerunDeadline.put(t, deadline);
            process.kernel.wakeChannel(t);
        });
        int ready = 0;
        if (nfds > 0) {
            byte[] b = process.user.read(fds, (int) nfds * 8);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < nfds; i++) {
                int fd = bb.getInt(8 * i);
                short events = bb.getShort(8 * i + 4);
                int revents = 0;
                if (fd >= 0) {
                    OpenFile f = process.files.file(fd);
                    if (f == null) {
                        revents = POLLNVAL;
                    } else {
                        revents = f.poll(table) & (events | POLLERR | POLLHUP);
                    }
                }
                bb.putShort(8 * i + 6, (short) revents);
                if (revents != 0) {
                    ready++;
                }
            }
            process.user.write(fds, b);
        }
        boolean timedOut = rerun != null && deadline >= 0 && deadline <= process.kernel.scheduler().now();
        if (ready > 0 || relative == 0 || timedOut) {
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
        // Run again when a polled file wakes the thread; a signal ends it with EINTR whatever
        // SA_RESTART says (poll returns -ERESTARTNOHAND).
        Task.Wait w = new Task.Wait("ppoll", deadline, 0, true);
        w.channel = t;
        w.restartable = false;
        t.block(w);
        return 0;
    }
}
