package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.fs.PidFd;
import org.junit.jupiter.api.Test;

class PidfdSyscallsTest {
    private static final int F_GETFD = 1;
    private final SyscallFixture f = new SyscallFixture(1000, 1000);

    @Test
    void pidfdOpenGivesACloseOnExecDescriptorThatCloses() {
        long fd = f.call(PIDFD_OPEN, SyscallFixture.PID, 0);
        assertTrue(fd >= 3, "a new descriptor: " + fd);
        assertTrue(PidFd.of(f.process.files.file((int) fd)) != null);
        assertEquals("anon_inode:[pidfd]", f.process.files.file((int) fd).guestPath());
        assertEquals(1, f.call(FCNTL, fd, F_GETFD), "FD_CLOEXEC");
        assertEquals(0, f.call(CLOSE, fd));
        assertEquals(-Errno.EBADF, f.call(PIDFD_SEND_SIGNAL, fd, 0, 0, 0));
    }

    @Test
    void pidfdOpenChecksFlagsAndPid() {
        assertEquals(-Errno.EINVAL, f.call(PIDFD_OPEN, SyscallFixture.PID, 1));
        assertEquals(-Errno.EINVAL, f.call(PIDFD_OPEN, 0, 0));
        assertEquals(-Errno.EINVAL, f.call(PIDFD_OPEN, -1, 0));
        assertEquals(-Errno.ESRCH, f.call(PIDFD_OPEN, 77, 0));
    }

    @Test
    void aSignalThroughThePidfdReachesTheProcess() {
        long fd = f.call(PIDFD_OPEN, SyscallFixture.PID, PidfdSyscalls.PIDFD_NONBLOCK);
        assertEquals(0, f.call(PIDFD_SEND_SIGNAL, fd, 0, 0, 0));
        assertEquals(0, f.call(PIDFD_SEND_SIGNAL, fd, 10, 0, 0));
        assertEquals(10, f.process.current.pending.peek().signo());
        assertEquals(-Errno.EINVAL, f.call(PIDFD_SEND_SIGNAL, fd, 0, 0, 8));
        assertEquals(-Errno.EBADF, f.call(PIDFD_SEND_SIGNAL, 0, 0, 0, 0), "stdin is no pidfd");
    }

    @Test
    void aPidfdNamesOnlyTheProcessItWasMadeForNotALaterOneWithItsPid() {
        long fd = f.call(PIDFD_OPEN, SyscallFixture.PID, 0);
        f.process.startBoottimeNanos += 1; // another process started under the same pid
        assertEquals(-Errno.ESRCH, f.call(PIDFD_SEND_SIGNAL, fd, 0, 0, 0));
    }
}
