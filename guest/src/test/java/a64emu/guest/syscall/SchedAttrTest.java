package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.sched.SchedParams;
import org.junit.jupiter.api.Test;

/** sched_setattr and sched_getattr: the size protocol, the policies an unprivileged thread may take. */
class SchedAttrTest {
    private final SyscallFixture user = new SyscallFixture(1000, 1000);

    private long attr(int size, int policy, long flags, int nice, int priority) throws BadUserAddressException {
        long at = user.scratch;
        user.m.user.write(at, new byte[256]);
        user.m.user.write32(at, size);
        user.m.user.write32(at + 4, policy);
        user.m.user.write64(at + 8, flags);
        user.m.user.write32(at + 16, nice);
        user.m.user.write32(at + 20, priority);
        return at;
    }

    @Test
    void batchWithANiceValueIsWhatSchedGetattrAndTheOlderCallsReport() throws BadUserAddressException {
        assertEquals(0, user.call(SCHED_SETATTR, 0, attr(56, SchedParams.SCHED_BATCH, 0, 5, 0), 0));
        assertEquals(SchedParams.SCHED_BATCH, user.call(SCHED_GETSCHEDULER, 0));
        assertEquals(15, user.call(GETPRIORITY, 0, 0), "20 - nice");
        long at = user.scratch + 512;
        assertEquals(0, user.call(SCHED_GETATTR, 0, at, 56, 0));
        assertEquals(56, user.m.user.read32(at));
        assertEquals(SchedParams.SCHED_BATCH, user.m.user.read32(at + 4));
        assertEquals(5, user.m.user.read32(at + 16));
    }

    @Test
    void aLowerNiceRealTimeAndDeadlineNeedCapSysNice() throws BadUserAddressException {
        assertEquals(-Errno.EPERM, user.call(SCHED_SETATTR, 0, attr(56, SchedParams.SCHED_OTHER, 0, -1, 0), 0));
        assertEquals(-Errno.EPERM, user.call(SCHED_SETATTR, 0, attr(56, SchedParams.SCHED_FIFO, 0, 0, 10), 0));
        long dl = attr(56, SchedParams.SCHED_DEADLINE, 0, 0, 0);
        user.m.user.write64(dl + 24, 10_000_000);
        user.m.user.write64(dl + 32, 30_000_000);
        user.m.user.write64(dl + 40, 100_000_000);
        assertEquals(-Errno.EPERM, user.call(SCHED_SETATTR, 0, dl, 0));
        user.m.user.write64(dl + 40, 1);
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETATTR, 0, dl, 0), "bad parameters before the permission");
    }

    @Test
    void theSizeProtocolRejectsUnknownTrailingBytesWithE2big() throws BadUserAddressException {
        long at = attr(128, SchedParams.SCHED_OTHER, 0, 3, 0);
        assertEquals(0, user.call(SCHED_SETATTR, 0, at, 0), "zeros past the known struct are fine");
        at = attr(128, SchedParams.SCHED_OTHER, 0, 3, 0);
        user.m.user.write32(at + 100, 1);
        assertEquals(-Errno.E2BIG, user.call(SCHED_SETATTR, 0, at, 0));
        assertEquals(56, user.m.user.read32(at), "the size the kernel knows, written back");
        at = attr(20, SchedParams.SCHED_OTHER, 0, 3, 0);
        assertEquals(-Errno.E2BIG, user.call(SCHED_SETATTR, 0, at, 0));
        at = attr(0, SchedParams.SCHED_OTHER, 0, 4, 0);
        assertEquals(0, user.call(SCHED_SETATTR, 0, at, 0), "size 0 is the first version's");
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETATTR, 0, attr(48, 0, 0x20, 0, 0), 0),
                "utilization clamps need the second version");
        assertEquals(-Errno.ENOTSUP, user.call(SCHED_SETATTR, 0, attr(56, 0, 0x20, 4, 0), 0),
                "after the permission checks (nice stays at 4)");
        assertEquals(-Errno.EINVAL, user.call(SCHED_GETATTR, 0, user.scratch, 47, 0));
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETATTR, 0, 0, 0));
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETATTR, 0, at, 1));
        assertEquals(-Errno.EFAULT, user.call(SCHED_SETATTR, 0, 8, 0));
    }
}
