package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.sched.SchedParams;
import org.junit.jupiter.api.Test;

class SchedSyscallsTest {
    private final SyscallFixture user = new SyscallFixture(1000, 1000);
    private final SyscallFixture root = new SyscallFixture(0, 0);

    @Test
    void setaffinityKeepsTheCpusTheMachineHasAndGetaffinityReadsThemBack() throws BadUserAddressException {
        long mask = user.scratch;
        user.m.user.write64(mask, 0xFFL);
        assertEquals(0, user.call(SCHED_SETAFFINITY, 0, 8, mask));
        user.m.user.write64(mask, 0);
        assertEquals(8, user.call(SCHED_GETAFFINITY, 0, 128, mask), "the kernel's mask size");
        assertEquals(1, user.m.user.read64(mask), "CPU 0, the one CPU");
        assertEquals(1, user.process.current.sched.cpusAllowed);
    }

    @Test
    void setaffinityWithNoCpuOfTheMachineIsEinval() throws BadUserAddressException {
        user.m.user.write64(user.scratch, 0b10);
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETAFFINITY, 0, 8, user.scratch));
        user.m.user.write64(user.scratch, 0);
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETAFFINITY, 0, 8, user.scratch));
        assertEquals(-Errno.EFAULT, user.call(SCHED_SETAFFINITY, 0, 8, 8));
        assertEquals(-Errno.ESRCH, user.call(SCHED_SETAFFINITY, 77, 8, user.scratch + 64));
    }

    @Test
    void getaffinityWantsAWholeNumberOfLongs() {
        assertEquals(-Errno.EINVAL, user.call(SCHED_GETAFFINITY, 0, 4, user.scratch));
        assertEquals(-Errno.EINVAL, user.call(SCHED_GETAFFINITY, 0, 12, user.scratch));
        assertEquals(-Errno.ESRCH, user.call(SCHED_GETAFFINITY, 77, 8, user.scratch));
    }

    @Test
    void getcpuAnswersCpuAndNodeZeroAndSkipsNullPointers() throws BadUserAddressException {
        user.m.user.write64(user.scratch, -1);
        assertEquals(0, user.call(GETCPU, user.scratch, user.scratch + 4, 0));
        assertEquals(0, user.m.user.read64(user.scratch));
        assertEquals(0, user.call(GETCPU, 0, 0, 0));
    }

    @Test
    void priorityRangesAreLinuxs() {
        assertEquals(99, user.call(SCHED_GET_PRIORITY_MAX, SchedParams.SCHED_FIFO));
        assertEquals(1, user.call(SCHED_GET_PRIORITY_MIN, SchedParams.SCHED_RR));
        assertEquals(0, user.call(SCHED_GET_PRIORITY_MAX, SchedParams.SCHED_OTHER));
        assertEquals(0, user.call(SCHED_GET_PRIORITY_MIN, SchedParams.SCHED_IDLE));
        assertEquals(-Errno.EINVAL, user.call(SCHED_GET_PRIORITY_MAX, 42));
    }

    @Test
    void anUnprivilegedThreadMayChooseBatchButNotFifoNorLeaveIdle() throws BadUserAddressException {
        long param = user.scratch;
        user.m.user.write32(param, 0);
        assertEquals(0, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_BATCH, param));
        assertEquals(SchedParams.SCHED_BATCH, user.call(SCHED_GETSCHEDULER, 0));
        user.m.user.write32(param, 1);
        assertEquals(-Errno.EPERM, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_FIFO, param),
                "RLIMIT_RTPRIO is 0");
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_OTHER, param),
                "a priority for a fair policy");
        user.m.user.write32(param, 0);
        assertEquals(0, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_IDLE, param));
        assertEquals(-Errno.EPERM, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_OTHER, param),
                "leaving SCHED_IDLE needs can_nice");
        assertEquals(-Errno.EINVAL, user.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_OTHER, 0));
        assertEquals(-Errno.EINVAL, user.call(SCHED_GETSCHEDULER, -1));
    }

    @Test
    void cap_sys_niceAllowsARealTimePolicyReadBackByGetparam() throws BadUserAddressException {
        long param = root.scratch;
        root.m.user.write32(param, 50);
        assertEquals(0, root.call(SCHED_SETSCHEDULER, 0, SchedParams.SCHED_RR | SchedParams.SCHED_RESET_ON_FORK,
                param));
        assertEquals(SchedParams.SCHED_RR | SchedParams.SCHED_RESET_ON_FORK, root.call(SCHED_GETSCHEDULER, 0));
        root.m.user.write32(param + 8, -1);
        assertEquals(0, root.call(SCHED_GETPARAM, 0, param + 8));
        assertEquals(50, root.m.user.read32(param + 8));
        assertEquals(0, root.call(SCHED_RR_GET_INTERVAL, 0, param + 16));
        assertEquals(100_000_000L, root.m.user.read64(param + 24), "RR_TIMESLICE");
    }

    @Test
    void aFairThreadsIntervalIsTheLatencyInWholeJiffies() throws BadUserAddressException {
        assertEquals(0, user.call(SCHED_RR_GET_INTERVAL, 0, user.scratch));
        assertEquals(0, user.m.user.read64(user.scratch));
        assertEquals(4_000_000L, user.m.user.read64(user.scratch + 8), "6 ms is one 4 ms jiffy at HZ=250");
        assertEquals(-Errno.EINVAL, user.call(SCHED_RR_GET_INTERVAL, -1, user.scratch));
    }

    @Test
    void niceGoesUpFreelyButDownOnlyWithinRlimitNice() {
        assertEquals(20, user.call(GETPRIORITY, SchedSyscalls.PRIO_PROCESS, 0), "20 - nice 0");
        assertEquals(0, user.call(SETPRIORITY, SchedSyscalls.PRIO_PROCESS, 0, 5));
        assertEquals(15, user.call(GETPRIORITY, SchedSyscalls.PRIO_PROCESS, 0));
        assertEquals(-Errno.EACCES, user.call(SETPRIORITY, SchedSyscalls.PRIO_PROCESS, 0, 3));
        assertEquals(0, user.call(SETPRIORITY, SchedSyscalls.PRIO_USER, 0, 100));
        assertEquals(19, user.process.current.sched.nice, "clamped");
        assertEquals(0, root.call(SETPRIORITY, SchedSyscalls.PRIO_PGRP, 0, -20), "CAP_SYS_NICE");
        assertEquals(40, root.call(GETPRIORITY, SchedSyscalls.PRIO_PGRP, 0));
        assertEquals(-Errno.EINVAL, user.call(GETPRIORITY, 3, 0));
        assertEquals(-Errno.ESRCH, user.call(SETPRIORITY, SchedSyscalls.PRIO_PROCESS, 77, 0));
    }

    @Test
    void forkResetsARealTimePolicyThatAskedForIt() {
        SchedParams parent = new SchedParams();
        parent.policy = SchedParams.SCHED_FIFO;
        parent.rtPriority = 10;
        parent.nice = -5;
        parent.resetOnFork = true;
        SchedParams child = new SchedParams();
        child.inheritForFork(parent);
        assertEquals(SchedParams.SCHED_OTHER, child.policy);
        assertEquals(0, child.rtPriority);
        assertEquals(0, child.nice);
    }
}
