package a64emu.tools.gdb;

import a64emu.guest.signal.Signal;

/**
 * Signal numbers as the remote protocol carries them: GDB's own numbering
 * (gdb {@code include/gdb/signals.def}), not the target's. They agree with Linux arm64 for
 * SIGHUP..SIGTRAP, SIGABRT, SIGFPE, SIGKILL, SIGSEGV, SIGPIPE..SIGTERM, SIGTTIN, SIGTTOU and
 * SIGXCPU..SIGWINCH; the others are listed here, once.
 */
final class GdbSignals {
    private GdbSignals() {}

    /** GDB_SIGNAL_UNKNOWN: what a Linux signal without a GDB number is sent as (as qemu does). */
    static final int UNKNOWN = 143;
    /** GDB_SIGNAL_INT: the stop a break (^C) makes. */
    static final int INT = 2;
    /** GDB_SIGNAL_TRAP: breakpoints, steps and watchpoints. */
    static final int TRAP = 5;

    /** Linux signal number to GDB number, for Linux 1..31, the rest computed. */
    private static final int[] LINUX_TO_GDB = new int[65];
    static {
        for (int n = 1; n <= 31; n++) {
            LINUX_TO_GDB[n] = n;
        }
        LINUX_TO_GDB[Signal.SIGBUS] = 10;
        LINUX_TO_GDB[Signal.SIGUSR1] = 30;
        LINUX_TO_GDB[Signal.SIGUSR2] = 31;
        LINUX_TO_GDB[Signal.SIGSTKFLT] = UNKNOWN; // GDB has no SIGSTKFLT
        LINUX_TO_GDB[Signal.SIGCHLD] = 20;
        LINUX_TO_GDB[Signal.SIGCONT] = 19;
        LINUX_TO_GDB[Signal.SIGSTOP] = 17;
        LINUX_TO_GDB[Signal.SIGTSTP] = 18;
        LINUX_TO_GDB[Signal.SIGURG] = 16;
        LINUX_TO_GDB[Signal.SIGIO] = 23;
        LINUX_TO_GDB[Signal.SIGPWR] = 32;
        LINUX_TO_GDB[Signal.SIGSYS] = 12;
        // GDB_SIGNAL_REALTIME_33..63 are 45..75; REALTIME_32 is 77 and REALTIME_64 is 78
        // (76 is GDB_SIGNAL_CANCEL).
        LINUX_TO_GDB[32] = 77;
        for (int n = 33; n <= 63; n++) {
            LINUX_TO_GDB[n] = n + 12;
        }
        LINUX_TO_GDB[64] = 78;
    }

    /** The GDB number of Linux signal {@code linux} (0 stays 0; unknown ones {@link #UNKNOWN}). */
    static int fromLinux(int linux) {
        if (linux == 0) {
            return 0;
        }
        return linux > 0 && linux < LINUX_TO_GDB.length ? LINUX_TO_GDB[linux] : UNKNOWN;
    }

    /** The Linux number of GDB signal {@code gdb}, or -1 if Linux has none. */
    static int toLinux(int gdb) {
        if (gdb == 0) {
            return 0;
        }
        for (int n = 1; n < LINUX_TO_GDB.length; n++) {
            if (LINUX_TO_GDB[n] == gdb) {
                return n;
            }
        }
        return -1;
    }
}
