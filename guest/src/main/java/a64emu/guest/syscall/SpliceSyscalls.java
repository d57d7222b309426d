package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.Splice;
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
