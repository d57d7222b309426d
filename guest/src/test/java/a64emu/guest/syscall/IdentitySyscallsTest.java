package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentitySyscallsTest {
    private final SyscallFixture user = new SyscallFixture(1000, 100);
    private final SyscallFixture root = new SyscallFixture(0, 0);

    @Test
    void anUnprivilegedProcessKeepsItsOwnIdsOnly() {
        assertEquals(0, user.call(SETUID, 1000));
        assertEquals(-Errno.EPERM, user.call(SETUID, 0));
        assertEquals(-Errno.EINVAL, user.call(SETUID, 0xFFFF_FFFFL));
        assertEquals(0, user.call(SETRESUID, -1, -1, -1));
        assertEquals(-Errno.EPERM, user.call(SETRESUID, -1, 0, -1));
        assertEquals(-Errno.EPERM, user.call(SETREUID, 0, -1));
        assertEquals(0, user.call(SETREUID, -1, 1000));
        assertEquals(-Errno.EPERM, user.call(SETGID, 0));
        assertEquals(-Errno.EPERM, user.call(SETREGID, -1, 0));
        assertEquals(-Errno.EPERM, user.call(SETRESGID, 0, 0, 0));
        assertEquals(0, user.call(SETGID, 100));
        assertEquals(-Errno.EPERM, user.call(SETGROUPS, 0, 0));
    }

    @Test
    void getresuidAndGetresgidWriteAllThreeIds() throws BadUserAddressException {
        long s = user.scratch;
        assertEquals(0, user.call(GETRESUID, s, s + 4, s + 8));
        assertEquals(1000, user.m.user.read32(s + 8));
        assertEquals(0, user.call(GETRESGID, s, s + 4, s + 8));
        assertEquals(100, user.m.user.read32(s + 4));
        assertEquals(-Errno.EFAULT, user.call(GETRESUID, 8, s, s));
    }

    @Test
    void setfsuidAnswersTheOldFsuidWhetherOrNotItChanges() {
        assertEquals(1000, user.call(SETFSUID, 0), "refused, but the old value is answered");
        assertEquals(1000, user.process.credentials.fsuid());
        assertEquals(0, root.call(SETFSUID, 5));
        assertEquals(5, root.process.credentials.fsuid());
        assertEquals(5, root.call(SETFSUID, -1), "-1 only asks");
    }

    @Test
    void rootDroppingEveryUidLosesItsCapabilitiesAndDumpability() {
        assertEquals(Process.CAP_FULL_SET, root.process.capEffective);
        assertEquals(0, root.call(SETRESUID, 65534, 65534, 65534));
        assertEquals(0, root.process.capEffective);
        assertEquals(0, root.process.capPermitted);
        assertEquals(Process.SUID_DUMP_DISABLE, root.process.dumpable());
        assertEquals(-Errno.EPERM, root.call(SETUID, 0), "no way back");
    }

    @Test
    void rootKeepingASavedUidOfZeroGetsItsCapabilitiesBackWithEuidZero() {
        assertEquals(0, root.call(SETRESUID, -1, 1000, -1));
        assertEquals(0, root.process.capEffective, "euid 0 -> nonzero clears the effective set");
        assertEquals(Process.CAP_FULL_SET, root.process.capPermitted);
        assertEquals(0, root.call(SETRESUID, -1, 0, -1), "back to euid 0: effective = permitted");
        assertEquals(Process.CAP_FULL_SET, root.process.capEffective);
    }

    @Test
    void setreuidWithARealIdSetsTheSavedOneToTheEffective() {
        assertEquals(0, root.call(SETREUID, 1000, 2000));
        assertEquals(1000, root.process.credentials.uid());
        assertEquals(2000, root.process.credentials.euid());
        assertEquals(2000, root.process.credentials.suid());
        assertEquals(2000, root.process.credentials.fsuid());
    }

    @Test
    void setgroupsKeepsTheListSortedAndGetgroupsWantsRoomForAll() throws BadUserAddressException {
        long list = root.scratch;
        root.m.user.write32(list, 30);
        root.m.user.write32(list + 4, 10);
        root.m.user.write32(list + 8, 20);
        assertEquals(0, root.call(SETGROUPS, 3, list));
        assertEquals(List.of(10L, 20L, 30L), root.process.credentials.groups());
        assertEquals(3, root.call(GETGROUPS, 0, 0));
        assertEquals(-Errno.EINVAL, root.call(GETGROUPS, 2, list));
        assertEquals(3, root.call(GETGROUPS, 3, list + 64));
        assertEquals(20, root.m.user.read32(list + 68));
        assertEquals(-Errno.EINVAL, root.call(SETGROUPS, IdentitySyscalls.NGROUPS_MAX + 1, list));
        assertEquals(-Errno.EINVAL, root.call(GETGROUPS, -1, list));
    }
}
