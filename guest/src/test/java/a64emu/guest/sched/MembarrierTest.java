package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import org.junit.jupiter.api.Test;

class MembarrierTest {
    private final TestMachine m = new TestMachine(48);

    private int call(int cmd, int flags, int cpu) {
        return Membarrier.call(m.mm, cmd, flags, cpu);
    }

    @Test
    void queryAnswers61sCommandsOnArm64() {
        assertEquals(0x1ff, call(Membarrier.CMD_QUERY, 0, 0));
        assertEquals(-Errno.EINVAL, call(Membarrier.CMD_QUERY, 1, 0));
        assertEquals(-Errno.EINVAL, call(0x200, 0, 0), "GET_REGISTRATIONS came in 6.3");
        assertEquals(-Errno.EINVAL, call(3, 0, 0));
    }

    @Test
    void privateExpeditedNeedsItsOwnRegistration() {
        assertEquals(-Errno.EPERM, call(Membarrier.CMD_PRIVATE_EXPEDITED, 0, 0));
        assertEquals(0, call(Membarrier.CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
        assertEquals(-Errno.EPERM, call(Membarrier.CMD_PRIVATE_EXPEDITED, 0, 0),
                "SYNC_CORE's registration does not make plain PRIVATE_EXPEDITED ready");
        assertEquals(0, call(Membarrier.CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
        assertEquals(0, call(Membarrier.CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
        assertEquals(0, call(Membarrier.CMD_PRIVATE_EXPEDITED, 0, 0));
    }

    @Test
    void onlyTheRseqCommandTakesTheCpuFlag() {
        assertEquals(-Errno.EINVAL, call(Membarrier.CMD_PRIVATE_EXPEDITED, Membarrier.CMD_FLAG_CPU, 0));
        assertEquals(-Errno.EPERM, call(Membarrier.CMD_PRIVATE_EXPEDITED_RSEQ, Membarrier.CMD_FLAG_CPU, 0));
        assertEquals(0, call(Membarrier.CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
        assertEquals(0, call(Membarrier.CMD_PRIVATE_EXPEDITED_RSEQ, Membarrier.CMD_FLAG_CPU, 100000),
                "a CPU that does not exist is no error");
        assertEquals(-Errno.EINVAL, call(Membarrier.CMD_PRIVATE_EXPEDITED_RSEQ, 2, 0));
    }
}
