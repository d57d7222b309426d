package a64emu.guest.syscall;

import static a64emu.guest.fs.PollTable.POLLERR;
import static a64emu.guest.fs.PollTable.POLLHUP;
import static a64emu.guest.fs.PollTable.POLLIN;
import static a64emu.guest.fs.PollTable.POLLNVAL;
import static a64emu.guest.fs.PollTable.POLLOUT;
import static a64emu.guest.fs.PollTable.POLLPRI;
import static a64emu.guest.fs.PollTable.POLLRDBAND;
import static a64emu.guest.fs.PollTable.POLLRDNORM;
import static a64emu.guest.fs.PollTable.POLLWRBAND;
import static a64emu.guest.fs.PollTable.POLLWRNORM;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.HostInput;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.PollTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ppoll(2) and pselect6(2) (Linux {@code fs/select.c do_sys_poll}, {@code core_sys_select}):
 * each descriptor's poll method says which events are ready ({@link OpenFile#poll}; a file
 * without one, a regular file, is always ready for reading and writing); poll reports
 * POLLERR and POLLHUP whether asked for or not and POLLNVAL for a descriptor that is not
 * open, where select refuses one with EBADF. When nothing is ready the thread sleeps in the
 * scheduler (it runs no instructions) until one of the files it polled wakes it, the timeout
 * or a signal ({@link PollWait}); with no descriptors it sleeps until the timeout or a
 * signal, the way glibc's pause() waits.
 */
final class PollSyscalls {
    /** What select counts as readable, writable and exceptional (POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
    static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    static final int POLLEX_SET = POLLPRI;

    private final Process process;

    PollSyscalls(Process process) {
        this.process = process;
    }

    /** The table a poll that may sleep registers with: a wake-up runs the thread's call again. */
    private PollTable table(Task t, boolean mayWait) {
        return !mayWait ? null : new PollTable(t, () -> process.kernel.wakeChannel(t));
    }

    /** ppoll(fds, nfds, tmo_p, sigmask, sigsetsize); struct pollfd is {int fd; short events, revents}. */
    long ppoll(long fds, long nfds, long tsp, long sigmask, long sigsetsize) throws BadUserAddressException {
        Task t = process.current;
        long relative = PollWait.timeout(process, tsp);
        if (relative == PollWait.INVALID) {
            t.takeRestartBlock();
            return -Errno.EINVAL;
        }
        long deadline = PollWait.deadline(process, t, relative);
        long r = PollWait.installSigmask(process, t, sigmask, sigsetsize);
        if (r < 0) {
            return r;
        }
        nfds &= 0xFFFF_FFFFL; // unsigned int
        if (nfds > process.limits[Process.RLIMIT_NOFILE][0]) {
            PollWait.finish(t, false);
            return -Errno.EINVAL;
        }
        boolean mayWait = relative != 0 && process.kernel != null;
        PollTable table = table(t, mayWait);
        HostInput host = null;
        int ready = 0;
        byte[] b = process.user.read(fds, (int) nfds * 8);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < nfds; i++) {
            int fd = bb.getInt(8 * i);
            int events = Short.toUnsignedInt(bb.getShort(8 * i + 4));
            int revents = 0;
            if (fd >= 0) {
                OpenFile f = process.files.file(fd);
                if (f == null) {
                    revents = POLLNVAL;
                } else {
                    revents = f.poll(ready > 0 ? null : table) & (events | POLLERR | POLLHUP);
                    if (host == null) {
                        host = HostInput.polledBy(f);
                    }
                }
            }
            bb.putShort(8 * i + 6, (short) revents);
            if (revents != 0) {
                ready++;
            }
        }
        return finishOrSleep(t, table, ready, relative, deadline, tsp, host, "ppoll",
                () -> process.user.write(fds, b));
    }

    /** What a poll or select does once it has looked at every file. */
    private interface WriteBack {
        void run() throws BadUserAddressException;
    }

    /**
     * Returns what was found (writing it back), 0 at the deadline, EINTR for a signal, or
     * sleeps and runs again when woken.
     */
    private long finishOrSleep(Task t, PollTable table, int ready, long relative, long deadline, long tsp,
                               HostInput host, String reason, WriteBack writeBack) throws BadUserAddressException {
        if (ready > 0 || relative == 0 || PollWait.expired(process, deadline)) {
            if (table != null) {
                table.release(); // poll_freewait
            }
            PollWait.finish(t, false);
            PollWait.writeTimeLeft(process, tsp, relative, deadline);
            writeBack.run();
            return ready;
        }
        if (PollWait.signalPending(t) || process.kernel == null) {
            if (table != null) {
                table.release();
            }
            PollWait.finish(t, true);
            PollWait.writeTimeLeft(process, tsp, relative, deadline);
            return -Errno.EINTR;
        }
        PollWait.sleep(t, reason, t, deadline, host, tsp);
        return 0;
    }

    /**
     * pselect6(n, readfds, writefds, exceptfds, tsp, sig), sig pointing at {const sigset_t *ss;
     * size_t ss_len}. Each fd_set is an array of 64-bit words, bit fd of word fd / 64.
     */
    long pselect6(long n, long inp, long outp, long exp, long tsp, long sig) throws BadUserAddressException {
        Task t = process.current;
        long sigmask = 0;
        long sigsetsize = 0;
        if (sig != 0) {
            sigmask = process.user.read64(sig);
            sigsetsize = process.user.read64(sig + 8);
        }
        long relative = PollWait.timeout(process, tsp);
        if (relative == PollWait.INVALID) {
            t.takeRestartBlock();
            return -Errno.EINVAL;
        }
        long deadline = PollWait.deadline(process, t, relative);
        long r = PollWait.installSigmask(process, t, sigmask, sigsetsize);
        if (r < 0) {
            return r;
        }
        int nfds = (int) n;
        if (nfds < 0) {
            PollWait.finish(t, false);
            return -Errno.EINVAL;
        }
        // core_sys_select: n beyond the descriptor table's size is clamped to it.
        nfds = Math.min(nfds, process.files.maxFds());
        int words = (nfds + 63) / 64;
        long[] in;
        long[] out;
        long[] ex;
        try {
            in = readFdSet(inp, words);
            out = readFdSet(outp, words);
            ex = readFdSet(exp, words);
        } catch (BadUserAddressException e) {
            PollWait.finish(t, false);
            throw e;
        }
        // max_select_fd: every descriptor named must be open.
        for (int fd = 0; fd < nfds; fd++) {
            if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) {
                if (process.files.file(fd) == null) {
                    PollWait.finish(t, false);
                    return -Errno.EBADF;
                }
            }
        }
        boolean mayWait = relative != 0 && process.kernel != null;
        PollTable table = table(t, mayWait);
        HostInput host = null;
        long[] resIn = new long[words];
        long[] resOut = new long[words];
        long[] resEx = new long[words];
        int ready = 0;
        for (int fd = 0; fd < nfds; fd++) {
            if (!(isSet(in, fd) || isSet(out, fd) || isSet(ex, fd))) {
                continue;
            }
            OpenFile f = process.files.file(fd);
            int mask = f.poll(ready > 0 ? null : table);
            if (host == null) {
                host = HostInput.polledBy(f);
            }
            if ((mask & POLLIN_SET) != 0 && isSet(in, fd)) {
                resIn[fd / 64] |= 1L << (fd % 64);
                ready++;
            }
            if ((mask & POLLOUT_SET) != 0 && isSet(out, fd)) {
                resOut[fd / 64] |= 1L << (fd % 64);
                ready++;
            }
            if ((mask & POLLEX_SET) != 0 && isSet(ex, fd)) {
                resEx[fd / 64] |= 1L << (fd % 64);
                ready++;
            }
        }
        return finishOrSleep(t, table, ready, relative, deadline, tsp, host, "pselect6", () -> {
            writeFdSet(inp, resIn);
            writeFdSet(outp, resOut);
            writeFdSet(exp, resEx);
        });
    }

    private long[] readFdSet(long va, int words) throws BadUserAddressException {
        long[] set = new long[words];
        if (va != 0) {
            for (int i = 0; i < words; i++) {
                set[i] = process.user.read64(va + 8L * i);
            }
        }
        return set;
    }

    private void writeFdSet(long va, long[] set) throws BadUserAddressException {
        if (va != 0) {
            for (int i = 0; i < set.length; i++) {
                process.user.write64(va + 8L * i, set[i]);
            }
        }
    }

    private static boolean isSet(long[] set, int fd) {
        return (set[fd / 64] & (1L << (fd % 64))) != 0;
    }
}
