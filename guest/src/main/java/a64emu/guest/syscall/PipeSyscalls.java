package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.Pipe;

/** pipe2(2) (Linux {@code fs/pipe.c do_pipe2}): a new pipe, its two descriptors stored as int[2]. */
final class PipeSyscalls {
    private final Process process;

    PipeSyscalls(Process process) {
        this.process = process;
    }

    long pipe2(long fds, int flags) throws BadUserAddressException {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT)) != 0) {
            return -Errno.EINVAL;
        }
        Pipe pipe = new Pipe(flags, p -> {
            if (process.kernel != null) {
                process.kernel.wakeChannel(p);
            }
        });
        int[] fd = process.files.installPipe(pipe, (flags & OpenFlags.O_CLOEXEC) != 0);
        if (fd.length == 1) {
            return fd[0];
        }
        try {
            process.user.write32(fds, fd[0]);
            process.user.write32(fds + 4, fd[1]);
        } catch (BadUserAddressException e) {
            // do_pipe2: the descriptors are taken back when they cannot be returned.
            process.files.close(fd[0]);
            process.files.close(fd[1]);
            throw e;
        }
        return 0;
    }
}
