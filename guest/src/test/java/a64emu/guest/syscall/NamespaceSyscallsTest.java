package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import org.junit.jupiter.api.Test;

class NamespaceSyscallsTest {
    private final SyscallFixture user = new SyscallFixture(1000, 1000);

    @Test
    void unshareOfWhatIsNotSharedSucceedsAndNewNamespacesAreRefused() {
        assertEquals(0, user.call(UNSHARE, 0));
        assertEquals(0, user.call(UNSHARE, NamespaceSyscalls.CLONE_FILES | NamespaceSyscalls.CLONE_FS));
        assertEquals(0, user.call(UNSHARE, NamespaceSyscalls.CLONE_VM | NamespaceSyscalls.CLONE_SYSVSEM));
        assertEquals(-Errno.EPERM, user.call(UNSHARE, NamespaceSyscalls.CLONE_NEWUTS));
        assertEquals(-Errno.EPERM, user.call(UNSHARE, NamespaceSyscalls.CLONE_NEWUSER));
        assertEquals(-Errno.EINVAL, user.call(UNSHARE, 0x1000), "CLONE_PIDFD is no unshare flag");
    }

    @Test
    void setnsWantsANamespaceFileOrAPidfd() {
        assertEquals(-Errno.EBADF, user.call(SETNS, 99, 0));
        assertEquals(-Errno.EINVAL, user.call(SETNS, 0, 0), "standard input is no namespace");
        assertEquals(-Errno.EBADF, user.call(SETNS, -1, -1));
    }
}
