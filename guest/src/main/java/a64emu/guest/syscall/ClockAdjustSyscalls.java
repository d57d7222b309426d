package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.sched.Timex;

/**
 * adjtimex and clock_adjtime (Linux {@code kernel/time/timekeeping.c} do_adjtimex with
 * timekeeping_validate_timex, {@code posix-timers.c} do_clock_adjtime). Reading the state is
 * allowed to everyone; any mode that sets something needs CAP_SYS_TIME (EPERM). A privileged
 * caller gets EPERM too once its arguments pass Linux's checks: the guest's clock is the
 * host's, which the guest does not set.
 */
final class ClockAdjustSyscalls {
    /** CAP_SYS_TIME. */
    static final int CAP_SYS_TIME = 25;
    /** USER_HZ: ADJ_TICK's tick must be within 10% of 1e6 / USER_HZ. */
    private static final long USER_HZ = 100;

    private final Process process;
    private final TimeSyscalls time;

    ClockAdjustSyscalls(Process process, TimeSyscalls time) {
        this.process = process;
        this.time = time;
    }

    /** adjtimex(buf): the struct is copied back even when the call fails, as Linux does. */
    long adjtimex(long buf) throws BadUserAddressException {
        byte[] timex = process.user.read(buf, Timex.SIZE);
        long r = adjust(timex);
        process.user.write(buf, timex);
        return r;
    }

    /** clock_adjtime(clockid, buf): only CLOCK_REALTIME can be adjusted. */
    long clockAdjtime(int clockId, long buf) throws BadUserAddressException {
        byte[] timex = process.user.read(buf, Timex.SIZE);
        long r;
        if (clockId < 0) {
            // A dynamic clock (a PTP device's fd) this kernel has none of; a CPU clock has no clock_adj.
            r = (clockId & 7) == 3 ? -Errno.EINVAL : -Errno.ENOTSUP;
        } else if (clockId > TimeSyscalls.CLOCK_BOOTTIME_ALARM && clockId != TimeSyscalls.CLOCK_TAI) {
            r = -Errno.EINVAL;
        } else if (clockId != TimeSyscalls.CLOCK_REALTIME) {
            r = -Errno.ENOTSUP;
        } else {
            r = adjust(timex);
        }
        if (r >= 0) {
            process.user.write(buf, timex);
        }
        return r;
    }

    /** timekeeping_validate_timex, then __do_adjtimex for the read that is all an unprivileged caller may do. */
    private long adjust(byte[] timex) {
        int modes = Timex.modes(timex);
        if ((modes & Timex.ADJ_ADJTIME) != 0) {
            if ((modes & Timex.ADJ_OFFSET_SINGLESHOT) == 0) {
                return -Errno.EINVAL; // the single-shot mode goes with no other
            }
            if ((modes & Timex.ADJ_OFFSET_READONLY) == 0) {
                return -Errno.EPERM;
            }
        } else if (modes != 0) {
            if (process.capable(CAP_SYS_TIME) && (modes & Timex.ADJ_TICK) != 0
                    && (Timex.tick(timex) < 900_000 / USER_HZ || Timex.tick(timex) > 1_100_000 / USER_HZ)) {
                return -Errno.EINVAL; // the quartz off by more than 10%
            }
            return -Errno.EPERM;
        }
        return Timex.read(timex, time.now(TimeSyscalls.CLOCK_REALTIME));
    }
}
