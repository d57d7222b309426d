package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.signal.Signal;
import org.junit.jupiter.api.Test;

class GdbSignalsTest {
    @Test
    void faultSignalsKeepTheirNumbers() {
        assertEquals(11, GdbSignals.fromLinux(Signal.SIGSEGV));
        assertEquals(4, GdbSignals.fromLinux(Signal.SIGILL));
        assertEquals(8, GdbSignals.fromLinux(Signal.SIGFPE));
        assertEquals(5, GdbSignals.fromLinux(Signal.SIGTRAP));
    }

    @Test
    void signalsGdbNumbersDifferentlyAreTranslatedBothWays() {
        assertEquals(10, GdbSignals.fromLinux(Signal.SIGBUS));
        assertEquals(30, GdbSignals.fromLinux(Signal.SIGUSR1));
        assertEquals(31, GdbSignals.fromLinux(Signal.SIGUSR2));
        assertEquals(20, GdbSignals.fromLinux(Signal.SIGCHLD));
        assertEquals(12, GdbSignals.fromLinux(Signal.SIGSYS));
        assertEquals(45, GdbSignals.fromLinux(33));
        assertEquals(77, GdbSignals.fromLinux(32));
        assertEquals(GdbSignals.UNKNOWN, GdbSignals.fromLinux(Signal.SIGSTKFLT));
        for (int linux = 1; linux <= 64; linux++) {
            if (linux != Signal.SIGSTKFLT) {
                assertEquals(linux, GdbSignals.toLinux(GdbSignals.fromLinux(linux)), "signal " + linux);
            }
        }
        assertEquals(-1, GdbSignals.toLinux(76)); // GDB_SIGNAL_CANCEL
    }
}
