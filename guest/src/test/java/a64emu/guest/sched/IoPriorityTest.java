package a64emu.guest.sched;

import static a64emu.guest.sched.IoPriority.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import org.junit.jupiter.api.Test;

/** block/ioprio.c as Linux 6.1 has it: ioprio_check_cap and what ioprio_get reports. */
class IoPriorityTest {
    @Test
    void realTimeNeedsTheCapabilityAndLevelsStopAtSevenExceptForIdle() {
        assertEquals(-Errno.EPERM, check(value(IOPRIO_CLASS_RT, 0), false));
        assertEquals(0, check(value(IOPRIO_CLASS_RT, 7), true));
        assertEquals(-Errno.EINVAL, check(value(IOPRIO_CLASS_RT, 8), true));
        assertEquals(0, check(value(IOPRIO_CLASS_BE, 7), false));
        assertEquals(-Errno.EINVAL, check(value(IOPRIO_CLASS_BE, 8), false));
        assertEquals(0, check(value(IOPRIO_CLASS_IDLE, 100), false));
        assertEquals(0, check(value(IOPRIO_CLASS_NONE, 0), false));
        assertEquals(-Errno.EINVAL, check(value(IOPRIO_CLASS_NONE, 1), false));
        assertEquals(-Errno.EINVAL, check(value(4, 0), false));
    }

    @Test
    void withNothingSetTheCpuPolicyAndNiceValueDecide() {
        SchedParams p = new SchedParams();
        assertEquals(value(IOPRIO_CLASS_BE, 4), effective(p));
        p.nice = -20;
        assertEquals(value(IOPRIO_CLASS_BE, 0), effective(p));
        p.policy = SchedParams.SCHED_IDLE;
        assertEquals(IOPRIO_CLASS_IDLE, classOf(effective(p)));
        p.policy = SchedParams.SCHED_FIFO;
        assertEquals(IOPRIO_CLASS_RT, classOf(effective(p)));
        p.ioprio = value(IOPRIO_CLASS_IDLE, 0);
        assertEquals(value(IOPRIO_CLASS_IDLE, 0), effective(p), "a value set is reported as set");
    }

    @Test
    void forkAndExecKeepTheValueSet() {
        SchedParams parent = new SchedParams();
        parent.ioprio = value(IOPRIO_CLASS_BE, 2);
        SchedParams child = new SchedParams();
        child.inheritForFork(parent);
        assertEquals(value(IOPRIO_CLASS_BE, 2), child.ioprio);
    }
}
