package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** process_vm_readv/writev on the caller itself (a process built alone has no other). */
class ProcessVmSyscallsTest {
    private final SyscallFixture f = new SyscallFixture(1000, 1000);
    private final long iov = f.scratch;
    private final long data = f.scratch + 1024;

    private void iovec(long at, long base, long len) throws BadUserAddressException {
        f.m.user.write64(at, base);
        f.m.user.write64(at + 8, len);
    }

    @Test
    void readvScattersTheRemoteBytesOverTheLocalPieces() throws BadUserAddressException {
        f.m.user.write(data, "hello world!".getBytes(StandardCharsets.US_ASCII));
        iovec(iov, data + 100, 5);
        iovec(iov + 16, data + 200, 7);
        iovec(iov + 32, data, 12);
        assertEquals(12, f.call(PROCESS_VM_READV, SyscallFixture.PID, iov, 2, iov + 32, 1, 0));
        assertArrayEquals("hello".getBytes(), f.m.user.read(data + 100, 5));
        assertArrayEquals(" world!".getBytes(), f.m.user.read(data + 200, 7));
    }

    @Test
    void writevGathersTheLocalPiecesIntoTheRemoteOnes() throws BadUserAddressException {
        f.m.user.write(data, "abcdef".getBytes(StandardCharsets.US_ASCII));
        iovec(iov, data, 6);
        iovec(iov + 16, data + 300, 2);
        iovec(iov + 32, data + 400, 4);
        assertEquals(6, f.call(PROCESS_VM_WRITEV, SyscallFixture.PID, iov, 1, iov + 16, 2, 0));
        assertArrayEquals("ab".getBytes(), f.m.user.read(data + 300, 2));
        assertArrayEquals("cdef".getBytes(), f.m.user.read(data + 400, 4));
    }

    @Test
    void theCopyStopsAtTheFirstUnreachableRemotePiece() throws BadUserAddressException {
        iovec(iov, data + 100, 16);
        iovec(iov + 16, data, 4);
        iovec(iov + 32, 0, 4);
        assertEquals(4, f.call(PROCESS_VM_READV, SyscallFixture.PID, iov, 1, iov + 16, 2, 0));
        assertEquals(-Errno.EFAULT, f.call(PROCESS_VM_READV, SyscallFixture.PID, iov, 1, iov + 32, 1, 0));
    }

    @Test
    void badArgumentsAreLinuxsErrors() throws BadUserAddressException {
        iovec(iov, data, 4);
        assertEquals(-Errno.EINVAL, f.call(PROCESS_VM_READV, SyscallFixture.PID, iov, 1, iov, 1, 1), "flags");
        assertEquals(-Errno.EINVAL, f.call(PROCESS_VM_READV, SyscallFixture.PID, iov, 1025, iov, 1, 0));
        assertEquals(-Errno.EFAULT, f.call(PROCESS_VM_READV, SyscallFixture.PID, 8, 1, iov, 1, 0));
        assertEquals(-Errno.ESRCH, f.call(PROCESS_VM_READV, 77, iov, 1, iov, 1, 0));
        assertEquals(0, f.call(PROCESS_VM_READV, 77, iov, 0, iov, 1, 0), "nothing to copy: no lookup");
    }
}
