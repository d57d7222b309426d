package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.EventFd;
import a64emu.guest.fs.EventPoll;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.SignalFd;
import a64emu.guest.fs.TimerFd;
import java.util.List;
import java.util.function.Consumer;

/**
 * The event files: eventfd2, timerfd_create/settime/gettime, signalfd4, and epoll_create1,
 * epoll_ctl, epoll_pwait and epoll_pwait2 (Linux {@code fs/eventfd.c}, {@code fs/timerfd.c},
 * {@code fs/signalfd.c}, {@code fs/eventpoll.c}). The files themselves live in
 * {@code a64emu.guest.fs}; this class checks the arguments in Linux's order and moves them
 * between guest memory and the files. A thread in epoll_wait sleeps in the scheduler until an
 * item becomes ready, the timeout or a signal ({@link PollWait}).
 */
final class EventSyscalls {
    /** sizeof(struct epoll_event) on arm64: {u32 events; u64 data}, 8-byte aligned. */
    static final int EPOLL_EVENT_SIZE = 16;
    /** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
    static final int EP_MAX_EVENTS = Integer.MAX_VALUE / EPOLL_EVENT_SIZE;
    private static final int SIGSET_SIZE = 8;
    /** CAP_WAKE_ALARM: may arm the timers that would wake a suspended machine. */
    static final int CAP_WAKE_ALARM = 35;

    private final Process process;
    private final TimeSyscalls time;

    EventSyscalls(Process process, TimeSyscalls time) {
        this.process = process;
        this.time = time;
    }

    /** Wakes the threads sleeping on a file's channel, in whichever process they are. */
    private Consumer<Object> sleepers() {
        return channel -> {
            if (process.kernel != null) {
                process.kernel.wakeChannel(channel);
            }
        };
    }

    private Task current() {
        return process.kernel != null && process.kernel.running() != null ? process.kernel.running() : process.current;
    }

    private int install(OpenFile f, int flags) {
        return process.files.installNew(f, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** eventfd2(initval, flags). */
    long eventfd2(long initval, int flags) {
        if ((flags & ~(EventFd.EFD_CLOEXEC | EventFd.EFD_NONBLOCK | EventFd.EFD_SEMAPHORE)) != 0) {
            return -Errno.EINVAL;
        }
        return install(new EventFd((int) initval, flags, sleepers()), flags);
    }

    /** timerfd_create(clockid, flags). */
    long timerfdCreate(int clockid, int flags) {
        if ((flags & ~(TimerFd.TFD_CLOEXEC | TimerFd.TFD_NONBLOCK)) != 0
                || (clockid != TimeSyscalls.CLOCK_MONOTONIC && clockid != TimeSyscalls.CLOCK_REALTIME
                && clockid != TimeSyscalls.CLOCK_REALTIME_ALARM && clockid != TimeSyscalls.CLOCK_BOOTTIME
                && clockid != TimeSyscalls.CLOCK_BOOTTIME_ALARM)) {
            return -Errno.EINVAL;
        }
        if ((clockid == TimeSyscalls.CLOCK_REALTIME_ALARM || clockid == TimeSyscalls.CLOCK_BOOTTIME_ALARM)
                && !process.capable(CAP_WAKE_ALARM)) {
            return -Errno.EPERM;
        }
        if (process.kernel == null) {
            return -Errno.ENODEV; // no timers without the kernel's clock
        }
        a64emu.guest.Kernel k = process.kernel;
        return install(new TimerFd(clockid, flags, k.hrtimers(), () -> k.scheduler().now(), sleepers()), flags);
    }

    /** A struct itimerspec {it_interval, it_value} as {interval, value} nanoseconds; null if invalid. */
    private long[] readItimerspec(long va) throws BadUserAddressException {
        long[] v = new long[4];
        for (int i = 0; i < 4; i++) {
            v[i] = process.user.read64(va + 8L * i);
        }
        long interval = nanos(v[0], v[1]);
        long value = nanos(v[2], v[3]);
        return interval < 0 || value < 0 ? null : new long[] {interval, value};
    }

    /** timespec64_valid: -1 if not. */
    private static long nanos(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= PollWait.NANOS) {
            return -1;
        }
        return sec > Long.MAX_VALUE / PollWait.NANOS - 1 ? Long.MAX_VALUE : sec * PollWait.NANOS + nsec;
    }

    private void writeItimerspec(long va, long[] remainingAndInterval) throws BadUserAddressException {
        long interval = remainingAndInterval[1];
        long value = remainingAndInterval[0];
        process.user.write64(va, interval / PollWait.NANOS);
        process.user.write64(va + 8, interval % PollWait.NANOS);
        process.user.write64(va + 16, value / PollWait.NANOS);
        process.user.write64(va + 24, value % PollWait.NANOS);
    }

    /** timerfd_settime(fd, flags, new, old). */
    long timerfdSettime(int fd, int flags, long newValue, long oldValue) throws BadUserAddressException {
        long[] spec = readItimerspec(newValue);
        if ((flags & ~(TimerFd.TFD_TIMER_ABSTIME | TimerFd.TFD_TIMER_CANCEL_ON_SET)) != 0 || spec == null) {
            return -Errno.EINVAL;
        }
        OpenFile f = process.files.file(fd);
        if (f == null) {
            return -Errno.EBADF; // timerfd_fget
        }
        if (!(f instanceof TimerFd timer)) {
            return -Errno.EINVAL;
        }
        long deadline = -1;
        if (spec[1] != 0) {
            long schedNow = process.kernel.scheduler().now();
            long relative = spec[1];
            if ((flags & TimerFd.TFD_TIMER_ABSTIME) != 0) {
                relative = spec[1] - time.now(timer.clockId());
            }
            deadline = relative > Long.MAX_VALUE - schedNow ? Long.MAX_VALUE : schedNow + Math.max(0, relative);
        }
        long[] old = timer.set(deadline, spec[0]);
        if (oldValue != 0) {
            writeItimerspec(oldValue, old);
        }
        return 0;
    }

    /** timerfd_gettime(fd, curr). */
    long timerfdGettime(int fd, long curr) throws BadUserAddressException {
        OpenFile f = process.files.file(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof TimerFd timer)) {
            return -Errno.EINVAL;
        }
        writeItimerspec(curr, timer.get());
        return 0;
    }

    /** signalfd4(fd, mask, sizemask, flags): a new signalfd for fd -1, else a new mask for fd's. */
    long signalfd4(int fd, long mask, long sizemask, int flags) throws BadUserAddressException {
        if (sizemask != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        long set = process.user.read64(mask);
        if ((flags & ~(SignalFd.SFD_CLOEXEC | SignalFd.SFD_NONBLOCK)) != 0) {
            return -Errno.EINVAL;
        }
        if (fd == -1) {
            return install(new SignalFd(set, flags, this::current, sleepers()), flags);
        }
        OpenFile f = process.files.file(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof SignalFd s)) {
            return -Errno.EINVAL;
        }
        s.setMask(set);
        return fd;
    }

    /** epoll_create1(flags). */
    long epollCreate1(int flags) {
        if ((flags & ~EventPoll.EPOLL_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        return install(new EventPoll(sleepers()), flags);
    }

    /** epoll_ctl(epfd, op, fd, event), checks in do_epoll_ctl's order. */
    long epollCtl(int epfd, int op, int fd, long event) throws BadUserAddressException {
        int events = 0;
        long data = 0;
        boolean hasEvent = op != EventPoll.EPOLL_CTL_DEL;
        if (hasEvent) {
            events = process.user.read32(event);
            data = process.user.read64(event + 8);
        }
        OpenFile ep = process.files.file(epfd);
        OpenFile target = process.files.file(fd);
        if (ep == null || target == null) {
            return -Errno.EBADF;
        }
        if (!target.canPoll()) {
            return -Errno.EPERM;
        }
        if (hasEvent) {
            events &= ~EventPoll.EPOLLWAKEUP; // needs CAP_BLOCK_SUSPEND: dropped silently
        }
        if (ep == target || !(ep instanceof EventPoll epoll)) {
            return -Errno.EINVAL;
        }
        if (hasEvent && (events & EventPoll.EPOLLEXCLUSIVE) != 0) {
            if (op == EventPoll.EPOLL_CTL_MOD) {
                return -Errno.EINVAL;
            }
            if (op == EventPoll.EPOLL_CTL_ADD
                    && (target instanceof EventPoll || (events & ~EventPoll.EXCLUSIVE_OK_BITS) != 0)) {
                return -Errno.EINVAL;
            }
        }
        return switch (op) {
            case EventPoll.EPOLL_CTL_ADD -> epoll.add(target, fd, events, data);
            case EventPoll.EPOLL_CTL_DEL -> epoll.delete(target, fd);
            case EventPoll.EPOLL_CTL_MOD -> epoll.modify(target, fd, events, data);
            default -> -Errno.EINVAL;
        };
    }

    /** epoll_pwait(epfd, events, maxevents, timeout ms (negative: none), sigmask, sigsetsize). */
    long epollPwait(int epfd, long events, int maxevents, int timeoutMillis, long sigmask, long sigsetsize)
            throws BadUserAddressException {
        long relative = timeoutMillis < 0 ? PollWait.FOREVER : timeoutMillis * 1_000_000L;
        return epollWait(epfd, events, maxevents, relative, sigmask, sigsetsize);
    }

    /** epoll_pwait2(epfd, events, maxevents, timeout timespec (null: none), sigmask, sigsetsize). */
    long epollPwait2(int epfd, long events, int maxevents, long tsp, long sigmask, long sigsetsize)
            throws BadUserAddressException {
        long relative = PollWait.timeout(process, tsp);
        if (relative == PollWait.INVALID) {
            current().takeRestartBlock();
            return -Errno.EINVAL;
        }
        return epollWait(epfd, events, maxevents, relative, sigmask, sigsetsize);
    }

    /** do_epoll_pwait: the mask, do_epoll_wait's checks, then ep_poll. */
    private long epollWait(int epfd, long events, int maxevents, long relative, long sigmask, long sigsetsize) throws BadUserAddressException {
        Task t = current();
        long deadline = PollWait.deadline(process, t, relative);
        long r = PollWait.installSigmask(process, t, sigmask, sigsetsize);
        if (r < 0) {
            return r;
        }
        r = checkedWait(t, epfd, events, maxevents, relative, deadline);
        if (r != Long.MIN_VALUE) {
            PollWait.finish(t, r == -Errno.EINTR);
        }
        return r == Long.MIN_VALUE ? 0 : r;
    }

    /** The result, or Long.MIN_VALUE when the thread sleeps. */
    private long checkedWait(Task t, int epfd, long events, int maxevents, long relative, long deadline)
            throws BadUserAddressException {
        if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(events + (long) maxevents * EPOLL_EVENT_SIZE,
                process.mm.layout().taskSize()) > 0) {
            return -Errno.EFAULT; // access_ok
        }
        OpenFile f = process.files.file(epfd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!(f instanceof EventPoll ep)) {
            return -Errno.EINVAL;
        }
        if (ep.eventsAvailable()) {
            List<EventPoll.Event> got = ep.collect(maxevents);
            if (!got.isEmpty()) {
                for (int i = 0; i < got.size(); i++) {
                    long at = events + (long) i * EPOLL_EVENT_SIZE;
                    process.user.write32(at, got.get(i).events());
                    process.user.write32(at + 4, 0);
                    process.user.write64(at + 8, got.get(i).data());
                }
                return got.size();
            }
        }
        if (relative == 0 || PollWait.expired(process, deadline)) {
            return 0;
        }
        if (PollWait.signalPending(t) || process.kernel == null) {
            return -Errno.EINTR;
        }
        PollWait.sleep(t, "epoll_wait", ep, deadline, ep.hostInput(), 0);
        return Long.MIN_VALUE;
    }
}
