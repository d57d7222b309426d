package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Linux bprm_stack_limits: how much room execve gives argv and envp for a RLIMIT_STACK. */
class ExecArgumentLimitTest {
    @Test
    void theRoomIsAQuarterOfRlimitStack() {
        assertEquals(2L << 20, Exec.argumentLimit(8L << 20));
        assertEquals(1L << 20, Exec.argumentLimit(4L << 20));
    }

    @Test
    void theRoomIsAtMostThreeQuartersOfTheDefaultStackLimit() {
        assertEquals(6L << 20, Exec.argumentLimit(1L << 30));
        assertEquals(6L << 20, Exec.argumentLimit(Process.RLIM_INFINITY), "RLIM_INFINITY is unsigned, so huge");
    }

    @Test
    void theRoomIsAtLeast32PagesEvenForATinyStack() {
        assertEquals(32 * 4096, Exec.argumentLimit(64 << 10));
        assertEquals(32 * 4096, Exec.argumentLimit(0));
    }
}
