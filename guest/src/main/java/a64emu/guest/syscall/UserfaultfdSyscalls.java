package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.UserfaultFile;
import a64emu.guest.mm.Userfaultfd;
import java.util.function.Consumer;

/**
 * userfaultfd(2) and the ioctls of its descriptor (Linux {@code fs/userfaultfd.c}): argument
 * structures in and out of user memory in front of {@link Userfaultfd}.
 */
final class UserfaultfdSyscalls {
    /** UFFD_CLOEXEC and UFFD_NONBLOCK are O_CLOEXEC and O_NONBLOCK (UFFD_SHARED_FCNTL_FLAGS). */
    private static final int SHARED_FCNTL_FLAGS = OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK;

    // _IOWR / _IOR (asm-generic/ioctl.h) of type UFFDIO 0xAA with each argument structure's size.
    static final long UFFDIO_API = ioc(3, 24, Userfaultfd.UFFDIO_API_NR);
    static final long UFFDIO_REGISTER = ioc(3, 32, Userfaultfd.UFFDIO_REGISTER_NR);
    static final long UFFDIO_UNREGISTER = ioc(2, 16, Userfaultfd.UFFDIO_UNREGISTER_NR);
    static final long UFFDIO_WAKE = ioc(2, 16, Userfaultfd.UFFDIO_WAKE_NR);
    static final long UFFDIO_COPY = ioc(3, 40, Userfaultfd.UFFDIO_COPY_NR);
    static final long UFFDIO_ZEROPAGE = ioc(3, 32, Userfaultfd.UFFDIO_ZEROPAGE_NR);
    static final long UFFDIO_WRITEPROTECT = ioc(3, 24, Userfaultfd.UFFDIO_WRITEPROTECT_NR);
    static final long UFFDIO_CONTINUE = ioc(3, 32, Userfaultfd.UFFDIO_CONTINUE_NR);
    private static final long UFFDIO_WRITEPROTECT_MODE_WP = 1;
    private static final long UFFDIO_WRITEPROTECT_MODE_DONTWAKE = 2;

    private static long ioc(int dir, int size, int nr) {
        return ((long) dir << 30) | ((long) size << 16) | (0xAAL << 8) | nr;
    }

    private final Process process;

    UserfaultfdSyscalls(Process process) {
        this.process = process;
    }

    /** Whether {@code fd} is a userfaultfd (its ioctls are answered here). */
    boolean handles(int fd) {
        OpenFile f = process.files.file(fd);
        return f != null && UserfaultFile.of(f) != null;
    }

    private Consumer<Object> sleepers() {
        return channel -> {
            if (process.kernel != null) {
                process.kernel.wakeChannel(channel);
            }
        };
    }

    /**
     * userfaultfd(flags): without UFFD_USER_MODE_ONLY the caller needs CAP_SYS_PTRACE, since
     * vm.unprivileged_userfaultfd is 0 ({@code userfaultfd_syscall_allowed}); the flags are
     * checked after that.
     */
    long userfaultfd(int flags) {
        if ((flags & Userfaultfd.UFFD_USER_MODE_ONLY) == 0 && !process.capable(Process.CAP_SYS_PTRACE)) {
            return -Errno.EPERM;
        }
        if ((flags & ~(SHARED_FCNTL_FLAGS | Userfaultfd.UFFD_USER_MODE_ONLY)) != 0) {
            return -Errno.EINVAL;
        }
        Userfaultfd ctx = new Userfaultfd(process.mm, flags, sleepers());
        return process.files.installNew(new UserfaultFile(ctx, flags, sleepers()),
                (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** ioctl(fd, cmd, arg) on a userfaultfd ({@code userfaultfd_ioctl}); unknown commands are EINVAL. */
    long ioctl(int fd, long cmd, long arg) throws BadUserAddressException {
        Userfaultfd ctx = UserfaultFile.of(process.files.file(fd)).context();
        if (cmd != UFFDIO_API && !ctx.initialized()) {
            return -Errno.EINVAL;
        }
        if (cmd == UFFDIO_API) {
            return api(ctx, arg);
        } else if (cmd == UFFDIO_REGISTER) {
            long[] in = read(arg, 3); // range.start, range.len, mode (ioctls is output)
            long r = ctx.register(in[0], in[1], in[2]);
            if (r < 0) {
                return r;
            }
            process.user.write64(arg + 24, r);
            return 0;
        } else if (cmd == UFFDIO_UNREGISTER) {
            long[] in = read(arg, 2);
            return ctx.unregister(in[0], in[1]);
        } else if (cmd == UFFDIO_WAKE) {
            long[] in = read(arg, 2);
            return ctx.wakeRange(in[0], in[1]);
        } else if (cmd == UFFDIO_COPY) {
            long[] in = read(arg, 4); // dst, src, len, mode (copy is output)
            long[] result = new long[1];
            long copied = ctx.copy(in[0], in[1], in[2], in[3], this::readSourcePage, result);
            return writeOutcome(arg + 32, copied, result[0]);
        } else if (cmd == UFFDIO_ZEROPAGE) {
            long[] in = read(arg, 3); // range.start, range.len, mode (zeropage is output)
            long[] result = new long[1];
            long filled = ctx.zeropage(in[0], in[1], in[2], result);
            return writeOutcome(arg + 24, filled, result[0]);
        } else if (cmd == UFFDIO_CONTINUE) {
            long[] in = read(arg, 3);
            long[] result = new long[1];
            long mapped = ctx.continueRange(in[0], in[1], in[2], result);
            return writeOutcome(arg + 24, mapped, result[0]);
        } else if (cmd == UFFDIO_WRITEPROTECT) {
            return writeprotect(ctx, read(arg, 3));
        }
        return -Errno.EINVAL;
    }

    /**
     * {@code userfaultfd_api}: the answer is written back first; a refusal zeroes the
     * structure (and a second UFFDIO_API fails after its answer was written).
     */
    private long api(Userfaultfd ctx, long arg) throws BadUserAddressException {
        long[] in = read(arg, 2);
        long[] answer = ctx.api(in[0], in[1], process.capable(Process.CAP_SYS_PTRACE));
        long error = answer[3];
        process.user.write64(arg, answer[0]);
        process.user.write64(arg + 8, answer[1]);
        process.user.write64(arg + 16, answer[2]);
        return error;
    }

    /**
     * UFFDIO_WRITEPROTECT: no area here is registered in WP mode (arm64 6.1 has none), so a
     * valid request finds no such area: ENOENT ({@code mwriteprotect_range}).
     */
    private static long writeprotect(Userfaultfd ctx, long[] in) {
        long r = ctx.validateRange(in[0], in[1]);
        if (r != 0) {
            return r;
        }
        long mode = in[2];
        if ((mode & ~(UFFDIO_WRITEPROTECT_MODE_WP | UFFDIO_WRITEPROTECT_MODE_DONTWAKE)) != 0
                || ((mode & UFFDIO_WRITEPROTECT_MODE_WP) != 0 && (mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE) != 0)) {
            return -Errno.EINVAL;
        }
        return -Errno.ENOENT;
    }

    /** The output field ({@code copy}, {@code zeropage}, {@code mapped}) when written, then the ioctl's result. */
    private long writeOutcome(long field, long value, long result) throws BadUserAddressException {
        if (value != Long.MIN_VALUE) {
            process.user.write64(field, value);
        }
        return result;
    }

    private boolean readSourcePage(long va, byte[] page) {
        try {
            process.user.read(va, page, 0, page.length);
            return true;
        } catch (BadUserAddressException e) {
            return false;
        }
    }

    private long[] read(long arg, int words) throws BadUserAddressException {
        long[] v = new long[words];
        for (int i = 0; i < words; i++) {
            v[i] = process.user.read64(arg + 8L * i);
        }
        return v;
    }
}
