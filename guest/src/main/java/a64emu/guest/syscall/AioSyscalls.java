package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.aio.AioContext;
import a64emu.guest.aio.AioSubmit;
import a64emu.guest.aio.Iocb;

/**
 * io_setup, io_destroy, io_submit, io_cancel, io_getevents and io_pgetevents (Linux
 * {@code fs/aio.c}). The contexts and requests are {@link a64emu.guest.aio}'s; this class reads
 * the arguments and sleeps: io_submit on a request that must wait for its file (as Linux's
 * does inside the call), io_getevents until min_nr events are there, the timeout passes or a
 * signal comes.
 */
final class AioSyscalls {
    private final Process process;

    AioSyscalls(Process process) {
        this.process = process;
    }

    private Task current() {
        return process.kernel != null && process.kernel.running() != null ? process.kernel.running() : process.current;
    }

    /** io_setup(nr_events, ctxp): *ctxp must be 0 on entry; the ring's address is written there. */
    long ioSetup(long nrEvents, long ctxp) throws BadUserAddressException {
        long old = process.user.read64(ctxp);
        int nr = (int) nrEvents;
        if (old != 0 || nr == 0) {
            return -Errno.EINVAL;
        }
        if (process.kernel == null) {
            return -Errno.ENOSYS;
        }
        long ctx = process.aio.setup(process, Integer.toUnsignedLong(nr), process.kernel.aioLimits());
        if (ctx < 0) {
            return ctx;
        }
        try {
            process.user.write64(ctxp, ctx);
        } catch (BadUserAddressException e) {
            process.aio.destroy(process, process.aio.lookup(process, ctx));
            throw e;
        }
        return 0;
    }

    long ioDestroy(long ctxId) {
        AioContext ctx = process.aio.lookup(process, ctxId);
        return ctx == null ? -Errno.EINVAL : process.aio.destroy(process, ctx);
    }

    /** io_submit(ctx, nr, iocbpp): how many were submitted, or the first one's error when none was. */
    long ioSubmit(long ctxId, long nr, long iocbpp) {
        if (nr < 0) {
            return -Errno.EINVAL;
        }
        AioContext ctx = process.aio.lookup(process, ctxId);
        if (ctx == null) {
            return -Errno.EINVAL;
        }
        long n = Math.min(nr, ctx.nrEvents());
        AioSubmit submit = new AioSubmit(process, ctx);
        long ret = 0;
        int i;
        for (i = 0; i < n; i++) {
            long iocb;
            try {
                iocb = process.user.read64(iocbpp + 8L * i);
            } catch (BadUserAddressException e) {
                ret = -Errno.EFAULT;
                break;
            }
            ret = submit.submit(iocb);
            if (ret == AioSubmit.WOULD_BLOCK) {
                if (i == 0 && process.kernel != null) {
                    // The first request waits as Linux's read_iter would; the call runs again then.
                    Task.Wait w = new Task.Wait("io_submit", -1, 0, true);
                    w.channel = submit.channel();
                    current().block(w);
                    return 0;
                }
                ret = 0;
                break; // the ones before are submitted: they are the result
            }
            if (ret != 0) {
                break;
            }
        }
        return i > 0 ? i : ret;
    }

    /** io_cancel(ctx, iocb, result): EINPROGRESS for a POLL request cancelled (its event comes through the ring). */
    long ioCancel(long ctxId, long iocb, long result) throws BadUserAddressException {
        int key = process.user.read32(iocb + Iocb.KEY_OFFSET);
        if (key != Iocb.KIOCB_KEY) {
            return -Errno.EINVAL;
        }
        AioContext ctx = process.aio.lookup(process, ctxId);
        return ctx == null ? -Errno.EINVAL : ctx.cancel(iocb);
    }

    long ioGetevents(long ctxId, long minNr, long nr, long events, long timeout) throws BadUserAddressException {
        return ioPgetevents(ctxId, minNr, nr, events, timeout, 0);
    }

    /** io_pgetevents(ctx, min_nr, nr, events, timeout, usig): with usig, the signal mask while it waits. */
    long ioPgetevents(long ctxId, long minNr, long nr, long events, long timeout, long usig)
            throws BadUserAddressException {
        long relative = PollWait.FOREVER;
        if (timeout != 0) {
            long sec = process.user.read64(timeout);
            long nsec = process.user.read64(timeout + 8);
            // No check of the timespec: a negative time is a time already passed.
            relative = sec < 0 || nsec < 0 ? 0
                    : sec > Long.MAX_VALUE / PollWait.NANOS - 1 ? Long.MAX_VALUE : sec * PollWait.NANOS + nsec;
        }
        Task t = current();
        long deadline = PollWait.deadline(process, t, relative);
        if (usig != 0) {
            long sigmask = process.user.read64(usig);
            long sigsetsize = process.user.read64(usig + 8);
            long r = PollWait.installSigmask(process, t, sigmask, sigsetsize);
            if (r < 0) {
                return r;
            }
        }
        long r = getevents(t, ctxId, minNr, nr, events, relative, deadline);
        if (r != Long.MIN_VALUE) {
            PollWait.finish(t, r == -Errno.EINTR);
        }
        return r == Long.MIN_VALUE ? 0 : r;
    }

    /** do_io_getevents and read_events: the count, -errno, or Long.MIN_VALUE when the thread sleeps. */
    private long getevents(Task t, long ctxId, long minNr, long nr, long events, long relative, long deadline) {
        AioContext ctx = process.aio.lookup(process, ctxId);
        if (ctx == null || !(minNr <= nr && minNr >= 0)) {
            return -Errno.EINVAL;
        }
        int pending = ctx.pendingEvents();
        if (pending >= minNr || relative == 0 || PollWait.expired(process, deadline) || process.kernel == null) {
            long n = ctx.takeEvents(events, nr);
            return n == 0 && PollWait.signalPending(t) ? -Errno.EINTR : n;
        }
        if (PollWait.signalPending(t)) {
            return -Errno.EINTR;
        }
        PollWait.sleep(t, "io_getevents", ctx.channel(), deadline, null, 0);
        return Long.MIN_VALUE;
    }
}
