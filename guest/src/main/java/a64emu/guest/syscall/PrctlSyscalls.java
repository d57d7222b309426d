package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.mm.AnonVmaName;
import a64emu.guest.signal.Signal;
import java.nio.charset.StandardCharsets;

/**
 * prctl(2), the options kernel/sys.c answers for an unprivileged arm64 process; every other
 * option is EINVAL, Linux's answer for an option it does not know.
 */
final class PrctlSyscalls {
    static final int PR_SET_PDEATHSIG = 1;
    static final int PR_GET_PDEATHSIG = 2;
    static final int PR_GET_DUMPABLE = 3;
    static final int PR_SET_DUMPABLE = 4;
    static final int PR_SET_NAME = 15;
    static final int PR_GET_SECCOMP = 21;
    static final int PR_SET_SECCOMP = 22;
    static final int PR_GET_NAME = 16;
    static final int PR_SET_NO_NEW_PRIVS = 38;
    static final int PR_GET_NO_NEW_PRIVS = 39;
    static final int PR_GET_TID_ADDRESS = 40;
    /** PR_SET_VMA ('S' 'V' 'M' 'A') and its one sub-option. */
    static final int PR_SET_VMA = 0x53564d41;
    static final int PR_SET_VMA_ANON_NAME = 0;
    /** TASK_COMM_LEN: the name with its NUL. */
    static final int TASK_COMM_LEN = 16;

    private final Process process;
    private final SeccompSyscalls seccomp;

    PrctlSyscalls(Process process) {
        this.process = process;
        this.seccomp = new SeccompSyscalls(process);
    }

    long prctl(int option, long arg2, long arg3, long arg4, long arg5) throws BadUserAddressException {
        return switch (option) {
            case PR_SET_PDEATHSIG -> {
                if (arg2 < 0 || arg2 > Signal.NSIG) yield -Errno.EINVAL; // valid_signal
                process.setPdeathSignal((int) arg2);
                yield 0;
            }
            case PR_GET_PDEATHSIG -> {
                process.user.write32(arg2, process.pdeathSignal());
                yield 0;
            }
            case PR_GET_DUMPABLE -> process.dumpable();
            case PR_SET_DUMPABLE -> {
                if (arg2 != Process.SUID_DUMP_DISABLE && arg2 != Process.SUID_DUMP_USER) yield -Errno.EINVAL;
                process.setDumpable((int) arg2);
                yield 0;
            }
            case PR_SET_NAME -> {
                process.setTaskComm(commAt(arg2));
                yield 0;
            }
            case PR_GET_NAME -> {
                byte[] name = new byte[TASK_COMM_LEN];
                byte[] comm = process.comm().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(comm, 0, name, 0, Math.min(comm.length, TASK_COMM_LEN - 1));
                process.user.write(arg2, name);
                yield 0;
            }
            case PR_GET_SECCOMP -> process.current.seccomp.mode();
            case PR_SET_SECCOMP -> seccomp.prctlSet(arg2, arg3);
            case PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) yield -Errno.EINVAL;
                process.setNoNewPrivs();
                yield 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) yield -Errno.EINVAL;
                yield process.noNewPrivs() ? 1 : 0;
            }
            // CONFIG_CHECKPOINT_RESTORE, on in Debian's arm64 kernel: the set_tid_address pointer.
            case PR_GET_TID_ADDRESS -> {
                process.user.write64(arg2, process.current.clearChildTid);
                yield 0;
            }
            case PR_SET_VMA -> setVmaAnonName(arg2, arg3, arg4, arg5);
            default -> -Errno.EINVAL;
        };
    }

    /** prctl_set_vma: a name of at most 79 printable bytes without {@code \`$[]}, or NULL to clear. */
    private long setVmaAnonName(long option, long addr, long size, long uname) throws BadUserAddressException {
        if (option != PR_SET_VMA_ANON_NAME) {
            return -Errno.EINVAL;
        }
        String name = null;
        if (uname != 0) {
            byte[] b = new byte[AnonVmaName.MAX_LEN];
            int n = 0;
            for (; ; n++) {
                if (n == b.length) {
                    return -Errno.EINVAL; // strndup_user: longer than ANON_VMA_NAME_MAX_LEN
                }
                b[n] = process.user.read(uname + n, 1)[0];
                if (b[n] == 0) {
                    break;
                }
            }
            name = new String(b, 0, n, StandardCharsets.ISO_8859_1);
            if (!AnonVmaName.isValidName(name)) {
                return -Errno.EINVAL;
            }
        }
        return AnonVmaName.set(process.mm, addr, size, name);
    }

    /** strncpy_from_user of at most 15 bytes: the name up to its NUL or the 15th byte. */
    private String commAt(long va) throws BadUserAddressException {
        byte[] b = new byte[TASK_COMM_LEN - 1];
        int n = 0;
        for (; n < b.length; n++) {
            b[n] = process.user.read(va + n, 1)[0];
            if (b[n] == 0) break;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
