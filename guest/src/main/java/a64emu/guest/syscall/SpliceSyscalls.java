package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.Pipe;
import a64emu.guest.fs.Splice;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.signal.SignalDelivery;

/**
 * sendfile(2), copy_file_range(2), splice(2) and tee(2): the offset pointers (loff_t, read
 * before and written back after the move), and sleeping on a pipe that is empty or full
 * until it changes, then running the call again, as pipe reads and writes do.
 */
final class SpliceSyscalls {
    private final Process process;

    SpliceSyscalls(Process process) {
        this.process = process;
    }

    /** The offset behind a guest pointer in a one-element array, or null for NULL. */
    private long[] offset(long va) throws BadUserAddressException {
        return va == 0 ? null : new long[] {process.user.read64(va)};
    }

    private void store(long va, long[] offset, long result) throws BadUserAddressException {
        if (va != 0 && result > 0) process.user.write64(va, offset[0]);
    }

    long sendfile(int outFd, int inFd, long offsetVa, long count) throws BadUserAddressException {
        long[] off = offset(offsetVa);
        Splice.Wait w = new Splice.Wait();
        long r = Splice.sendfile(process.files, outFd, inFd, off, count, w);
        store(offsetVa, off, r);
        return waitIfAsked(r, w, "sendfile to a full pipe");
    }

    long copyFileRange(int inFd, long offInVa, int outFd, long offOutVa, long len, int flags)
            throws BadUserAddressException {
        long[] offIn = offset(offInVa);
        long[] offOut = offset(offOutVa);
        long r = Splice.copyFileRange(process.files, inFd, offIn, outFd, offOut, len, flags);
        store(offInVa, offIn, r);
        store(offOutVa, offOut, r);
        return r;
    }

    long splice(int inFd, long offInVa, int outFd, long offOutVa, long len, int flags) throws BadUserAddressException {
        long[] offIn = offset(offInVa);
        long[] offOut = offset(offOutVa);
        Splice.Wait w = new Splice.Wait();
        long r = Splice.splice(process.files, inFd, offIn, outFd, offOut, len, flags, w);
        store(offInVa, offIn, r);
        store(offOutVa, offOut, r);
        return waitIfAsked(r, w, "splice on a pipe");
    }

    long tee(int inFd, int outFd, long len, int flags) {
        Splice.Wait w = new Splice.Wait();
        return waitIfAsked(Splice.tee(process.files, inFd, outFd, len, flags, w), w, "tee on a pipe");
    }

    /**
     * vmsplice(2) (fs/splice.c): the flags (EINVAL), the descriptor's direction (EBADF),
     * the iovec array (EINVAL, EFAULT), nothing to move (0), then the pipe check (EBADF).
     * Into a pipe the iovecs' bytes are copied (at most a pipe's capacity: the rest would
     * not fit anyway); a fault after the first byte ends the copy there.
     */
    long vmsplice(int fd, long iov, long nrSegs, int flags) throws BadUserAddressException {
        if ((flags & ~Splice.SPLICE_F_ALL) != 0) return -Errno.EINVAL;
        int toPipe = Splice.vmspliceDirection(process.files, fd);
        if (toPipe < 0) return toPipe;
        long[][] v = FileSyscalls.iovecs(process.user, iov, nrSegs > Integer.MAX_VALUE ? -1 : (int) nrSegs);
        if (v == null) return -Errno.EINVAL;
        long total = 0;
        for (long[] e : v) total += e[1];
        if (total == 0) return 0;
        int len = (int) Math.min(total, Pipe.CAPACITY);
        Splice.Wait w = new Splice.Wait();
        if (toPipe == 1) {
            byte[] data = gather(v, len);
            long r = Splice.vmspliceToPipe(process.files, fd, data, flags, w);
            if (r == -Errno.EPIPE) raiseSigpipe();
            return waitIfAsked(r, w, "vmsplice to a full pipe");
        }
        byte[] data = new byte[len];
        long r = Splice.vmspliceFromPipe(process.files, fd, data, flags, w);
        if (r > 0) scatter(v, data, (int) r);
        return waitIfAsked(r, w, "vmsplice from an empty pipe");
    }

    /** The first {@code len} bytes the iovecs name, fewer if a later one faults (none: EFAULT). */
    private byte[] gather(long[][] v, int len) throws BadUserAddressException {
        byte[] out = new byte[len];
        int off = 0;
        for (long[] e : v) {
            int n = (int) Math.min(e[1], len - off);
            if (n == 0) continue;
            try {
                process.user.read(e[0], out, off, n);
            } catch (BadUserAddressException ex) {
                if (off == 0) throw ex;
                return java.util.Arrays.copyOf(out, off);
            }
            off += n;
            if (off == len) break;
        }
        return out;
    }

    private void scatter(long[][] v, byte[] data, int len) throws BadUserAddressException {
        int off = 0;
        for (long[] e : v) {
            int n = (int) Math.min(e[1], len - off);
            if (n == 0) continue;
            process.user.write(e[0], data, off, n);
            off += n;
            if (off == len) break;
        }
    }

    /** The SIGPIPE that wait_for_space sends when the pipe has no reader. */
    private void raiseSigpipe() {
        if (process.kernel == null || process.current == null) return;
        process.kernel.signals().sendToThread(process.current, SignalInfo.fromProcess(Signal.SIGPIPE, Signal.SI_USER,
                process.pid, (int) process.credentials.uid(), "vmsplice to a pipe with no reader"));
    }

    /**
     * -EAGAIN naming a pipe: the thread sleeps on it and the call runs again when it moves
     * (a signal first: EINTR). Without a scheduler to sleep in, EAGAIN is the answer.
     */
    private long waitIfAsked(long result, Splice.Wait w, String reason) {
        Task t = process.current;
        if (result != -Errno.EAGAIN || w.on == null || process.kernel == null || t == null) return result;
        if (SignalDelivery.hasDeliverable(t)) return -Errno.EINTR;
        Task.Wait wait = new Task.Wait(reason, -1, 0, true);
        wait.channel = w.on;
        t.block(wait);
        return 0;
    }
}
