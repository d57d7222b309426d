package a64emu.tools.strace;

import java.util.List;

/**
 * What strace knows of one system call: its name, how to show each argument, and how to
 * show its result.
 */
record SyscallSignature(String name, Result result, List<Arg> args) {
    /** How a successful result is shown. */
    enum Result {
        /** A decimal number (an fd, a count). */
        DECIMAL,
        /** An address in hex (mmap, brk). */
        HEX,
        /** An octal mode (umask). */
        OCTAL,
        /** The call does not return: {@code = ?} (exit, exit_group). */
        NONE
    }

    /** A call strace has no signature for: {@code syscall_0x1c3(...)} with six hex arguments. */
    static SyscallSignature unknown(int nr, String name) {
        return new SyscallSignature(name != null ? name : "syscall_0x" + Integer.toHexString(nr), Result.DECIMAL,
                List.of(Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX));
    }
}
