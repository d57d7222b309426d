package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import org.junit.jupiter.api.Test;

class ProcessGroupSyscallsTest {
    private final SyscallFixture f = new SyscallFixture(1000, 1000);

    @Test
    void theFirstProcessLeadsItsGroupAndSession() {
        assertEquals(SyscallFixture.PID, f.call(GETPGID, 0));
        assertEquals(SyscallFixture.PID, f.call(GETSID, 0));
        assertEquals(SyscallFixture.PID, f.call(GETPGID, SyscallFixture.PID));
        assertEquals(-Errno.EPERM, f.call(SETSID), "a group leader cannot start a session");
        assertEquals(-Errno.EPERM, f.call(SETPGID, 0, 0), "nor can a session leader move");
    }

    @Test
    void aProcessThatLeadsNothingMayStartASession() {
        f.process.pgid = 1;
        f.process.sid = 1;
        assertEquals(SyscallFixture.PID, f.call(SETSID));
        assertEquals(SyscallFixture.PID, f.process.pgid);
        assertEquals(SyscallFixture.PID, f.call(GETSID, 0));
        assertEquals(-Errno.EPERM, f.call(SETSID));
    }

    @Test
    void setpgidMakesTheCallerLeadANewGroupButJoinsNoGroupThatIsNotThere() {
        f.process.pgid = 1;
        f.process.sid = 1;
        assertEquals(-Errno.EPERM, f.call(SETPGID, 0, 555));
        assertEquals(0, f.call(SETPGID, 0, 0));
        assertEquals(SyscallFixture.PID, f.process.pgid);
        assertEquals(-Errno.EINVAL, f.call(SETPGID, 0, -1));
        assertEquals(-Errno.ESRCH, f.call(SETPGID, 77, 0));
        assertEquals(-Errno.ESRCH, f.call(GETPGID, 77));
        assertEquals(-Errno.ESRCH, f.call(GETSID, 77));
    }

    @Test
    void killOfTheOwnGroupReachesTheCaller() {
        assertEquals(0, f.call(KILL, 0, 0));
        assertEquals(0, f.call(KILL, -SyscallFixture.PID, 0));
        assertEquals(-Errno.ESRCH, f.call(KILL, -555, 0));
    }
}
