package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.sched.Timex;
import org.junit.jupiter.api.Test;

class ClockAdjustSyscallsTest {
    private final SyscallFixture user = new SyscallFixture(1000, 1000);

    private void modes(int modes) throws BadUserAddressException {
        user.m.user.write(user.scratch, new byte[Timex.SIZE]);
        user.m.user.write32(user.scratch, modes);
    }

    @Test
    void readingTheStateReportsAnUnsynchronisedClock() throws BadUserAddressException {
        modes(0);
        assertEquals(Timex.TIME_ERROR, user.call(ADJTIMEX, user.scratch));
        assertEquals(Timex.STA_UNSYNC, user.m.user.read32(user.scratch + 40), "status");
        assertEquals(16_000_000, user.m.user.read64(user.scratch + 24), "maxerror");
        assertEquals(2, user.m.user.read64(user.scratch + 48), "constant");
        assertEquals(32_768_000, user.m.user.read64(user.scratch + 64), "tolerance");
        assertEquals(10_000, user.m.user.read64(user.scratch + 88), "tick");
        assertEquals(0, user.m.user.read32(user.scratch), "modes kept");
    }

    @Test
    void settingAnythingNeedsCapSysTime() throws BadUserAddressException {
        modes(0x0002); // ADJ_FREQUENCY
        assertEquals(-Errno.EPERM, user.call(ADJTIMEX, user.scratch));
        modes(0x8001); // ADJ_OFFSET_SINGLESHOT
        assertEquals(-Errno.EPERM, user.call(ADJTIMEX, user.scratch));
        modes(0xa001); // ADJ_OFFSET_SS_READ
        assertEquals(Timex.TIME_ERROR, user.call(ADJTIMEX, user.scratch));
        modes(0x8000); // ADJ_ADJTIME without the single-shot bit
        assertEquals(-Errno.EINVAL, user.call(ADJTIMEX, user.scratch));
        assertEquals(-Errno.EFAULT, user.call(ADJTIMEX, 8));
    }

    @Test
    void clockAdjtimeAdjustsOnlyTheRealtimeClock() throws BadUserAddressException {
        modes(0);
        assertEquals(Timex.TIME_ERROR, user.call(CLOCK_ADJTIME, TimeSyscalls.CLOCK_REALTIME, user.scratch));
        assertEquals(-Errno.ENOTSUP, user.call(CLOCK_ADJTIME, TimeSyscalls.CLOCK_MONOTONIC, user.scratch));
        assertEquals(-Errno.ENOTSUP, user.call(CLOCK_ADJTIME, TimeSyscalls.CLOCK_PROCESS_CPUTIME_ID, user.scratch));
        assertEquals(-Errno.EINVAL, user.call(CLOCK_ADJTIME, 10, user.scratch));
        assertEquals(-Errno.EINVAL, user.call(CLOCK_ADJTIME, (~3 << 3) | 3, user.scratch), "a dynamic clock's fd 3");
        assertEquals(-Errno.EFAULT, user.call(CLOCK_ADJTIME, TimeSyscalls.CLOCK_REALTIME, 8));
    }
}
