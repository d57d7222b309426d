package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.mm.VmLayout;

/**
 * process_vm_readv and process_vm_writev (Linux {@code mm/process_vm_access.c}): bytes copied
 * between the caller's memory and another process's, described by two iovec arrays. The
 * target must be one the caller may ptrace (same real ids, or CAP_SYS_PTRACE, and dumpable);
 * the copy stops at the first remote page that cannot be reached, answering what was copied,
 * or EFAULT when nothing was.
 */
final class ProcessVmSyscalls {
    /** UIO_MAXIOV. */
    static final int UIO_MAXIOV = 1024;
    /** MAX_RW_COUNT: INT_MAX rounded down to a page. */
    private static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~(VmLayout.PAGE_SIZE - 1);

    private final Process process;

    ProcessVmSyscalls(Process process) {
        this.process = process;
    }

    long readv(int pid, long lvec, long liovcnt, long rvec, long riovcnt, long flags)
            throws BadUserAddressException {
        return transfer(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
    }

    long writev(int pid, long lvec, long liovcnt, long rvec, long riovcnt, long flags)
            throws BadUserAddressException {
        return transfer(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
    }

    private long[][] iovecs(long va, long count) throws BadUserAddressException {
        long[][] v = new long[(int) count][2];
        long total = 0;
        for (int i = 0; i < count; i++) {
            v[i][0] = process.user.read64(va + 16L * i);
            v[i][1] = process.user.read64(va + 16L * i + 8);
            if (v[i][1] < 0) {
                return null;
            }
            total += v[i][1];
            if (total < 0) {
                return null;
            }
        }
        return v;
    }

    private long transfer(int pid, long lvec, long liovcnt, long rvec, long riovcnt, long flags, boolean write)
            throws BadUserAddressException {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(liovcnt, UIO_MAXIOV) > 0 || Long.compareUnsigned(riovcnt, UIO_MAXIOV) > 0) {
            return -Errno.EINVAL;
        }
        long[][] local = iovecs(lvec, liovcnt);
        if (local == null) {
            return -Errno.EINVAL;
        }
        long[][] remote = iovecs(rvec, riovcnt);
        if (remote == null) {
            return -Errno.EINVAL;
        }
        long localTotal = 0;
        for (long[] v : local) {
            localTotal += v[1];
        }
        if (localTotal == 0) {
            return 0;
        }
        Process target = target(pid);
        if (target == null) {
            return -Errno.ESRCH;
        }
        if (!mayAccess(target)) {
            return -Errno.EPERM;
        }
        Copy copy = new Copy(local, Math.min(localTotal, MAX_RW_COUNT));
        for (long[] r : remote) {
            long at = r[0];
            long left = r[1];
            while (left > 0 && copy.remaining() > 0) {
                int chunk = (int) Math.min(Math.min(left, copy.remaining()),
                        VmLayout.pageDown(at) + VmLayout.PAGE_SIZE - at);
                byte[] b;
                try {
                    if (write) {
                        b = copy.takeLocal(chunk);
                        remoteWrite(target, at, b);
                    } else {
                        b = remoteRead(target, at, chunk);
                        copy.putLocal(b);
                    }
                } catch (BadUserAddressException e) {
                    return copy.done > 0 ? copy.done : -Errno.EFAULT;
                }
                copy.done += chunk;
                at += chunk;
                left -= chunk;
            }
        }
        return copy.done;
    }

    /** The process a pid (any of its threads' ids) names; 0 names nobody here. */
    private Process target(int pid) {
        if (pid == process.pid || pid == process.current.tid) {
            return process;
        }
        if (process.kernel == null) {
            return null;
        }
        Task t = process.kernel.task(pid);
        return t == null || t.process.mm.isReleased() ? null : t.process;
    }

    /** __ptrace_may_access with PTRACE_MODE_ATTACH_REALCREDS. */
    private boolean mayAccess(Process target) {
        return PtraceAccess.mayAccess(process, target, false);
    }

    private byte[] remoteRead(Process target, long va, int len) throws BadUserAddressException {
        if (target == process) {
            return process.user.read(va, len);
        }
        byte[][] out = new byte[1][];
        BadUserAddressException[] fault = new BadUserAddressException[1];
        process.kernel.withAddressSpace(target, () -> {
            try {
                out[0] = target.user.read(va, len);
            } catch (BadUserAddressException e) {
                fault[0] = e;
            }
        });
        if (fault[0] != null) {
            throw fault[0];
        }
        return out[0];
    }

    private void remoteWrite(Process target, long va, byte[] b) throws BadUserAddressException {
        if (target == process) {
            process.user.write(va, b);
            return;
        }
        BadUserAddressException[] fault = new BadUserAddressException[1];
        process.kernel.withAddressSpace(target, () -> {
            try {
                target.user.write(va, b);
            } catch (BadUserAddressException e) {
                fault[0] = e;
            }
        });
        if (fault[0] != null) {
            throw fault[0];
        }
    }

    /**
     * The caller's side of the copy, walked in order: a local fault ends the call with EFAULT
     * (the remote bytes already moved stay moved, as in Linux).
     */
    private final class Copy {
        private final long[][] local;
        private final long limit;
        private int index;
        private long offset;
        long done;

        Copy(long[][] local, long limit) {
            this.local = local;
            this.limit = limit;
        }

        long remaining() {
            return limit - done;
        }

        byte[] takeLocal(int len) throws BadUserAddressException {
            byte[] b = new byte[len];
            int got = 0;
            while (got < len) {
                int n = step(len - got);
                process.user.read(local[index][0] + offset, b, got, n);
                advance(n);
                got += n;
            }
            return b;
        }

        void putLocal(byte[] b) throws BadUserAddressException {
            int put = 0;
            while (put < b.length) {
                int n = step(b.length - put);
                process.user.write(local[index][0] + offset, b, put, n);
                advance(n);
                put += n;
            }
        }

        private int step(int want) {
            while (local[index][1] - offset == 0) {
                index++;
                offset = 0;
            }
            return (int) Math.min(want, local[index][1] - offset);
        }

        private void advance(int n) {
            offset += n;
        }
    }
}
