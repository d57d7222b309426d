package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kcmp;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.EventPoll;
import a64emu.guest.fs.OpenFile;

/**
 * kcmp(pid1, pid2, type, idx1, idx2) (Linux {@code kernel/kcmp.c}): whether two threads share
 * a kernel object, with PTRACE_MODE_READ on both. The objects are this kernel's: an open file
 * description, the address space, the descriptor table, the handler table; the working
 * directory travels with the descriptor table here (KCMP_FS compares the table's), and no
 * process has an I/O context or a System V semaphore undo list (KCMP_IO and KCMP_SYSVSEM
 * compare equal, as two Linux tasks without either do).
 */
final class KcmpSyscalls {
    /** sizeof(struct kcmp_epoll_slot): efd, tfd, toff (u32 each). */
    private static final int EPOLL_SLOT_SIZE = 12;

    private final Process process;

    KcmpSyscalls(Process process) {
        this.process = process;
    }

    private Task task(int tid) {
        if (process.kernel == null) {
            return tid == process.current.tid ? process.current : null;
        }
        return process.kernel.task(tid);
    }

    long kcmp(int pid1, int pid2, int type, long idx1, long idx2) throws BadUserAddressException {
        Task t1 = task(pid1);
        Task t2 = task(pid2);
        if (t1 == null || t2 == null) {
            return -Errno.ESRCH;
        }
        Process p1 = t1.process;
        Process p2 = t2.process;
        if (!PtraceAccess.mayAccess(process, p1, false) || !PtraceAccess.mayAccess(process, p2, false)) {
            return -Errno.EPERM;
        }
        Kcmp order = process.kernel == null ? new Kcmp(new java.util.SplittableRandom(0)) : process.kernel.kcmp();
        return switch (type) {
            case Kcmp.KCMP_FILE -> {
                OpenFile f1 = fileOf(p1, idx1);
                OpenFile f2 = fileOf(p2, idx2);
                yield f1 != null && f2 != null ? order.compare(f1, f2, type) : -Errno.EBADF;
            }
            case Kcmp.KCMP_VM -> order.compare(p1.mm, p2.mm, type);
            case Kcmp.KCMP_FILES -> order.compare(p1.files, p2.files, type);
            case Kcmp.KCMP_FS -> order.compare(p1.files.fileSystem(), p2.files.fileSystem(), type);
            case Kcmp.KCMP_SIGHAND -> order.compare(p1.signals, p2.signals, type);
            case Kcmp.KCMP_IO, Kcmp.KCMP_SYSVSEM -> order.compare(null, null, type);
            case Kcmp.KCMP_EPOLL_TFD -> epollTarget(order, p1, p2, idx1, idx2);
            default -> -Errno.EINVAL;
        };
    }

    /** get_file_raw_ptr: the description at descriptor {@code idx} of {@code p}; null if none (or the process exited). */
    private static OpenFile fileOf(Process p, long idx) {
        if (p.hasExited() || idx < 0 || idx > Integer.MAX_VALUE) {
            return null;
        }
        return p.files.file((int) idx);
    }

    /** kcmp_epoll_target: file idx1 of p1 against the target (tfd, toff-th) of epoll descriptor efd of p2. */
    private long epollTarget(Kcmp order, Process p1, Process p2, long idx1, long slotAddress)
            throws BadUserAddressException {
        byte[] slot = process.user.read(slotAddress, EPOLL_SLOT_SIZE);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(slot).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int efd = b.getInt(0);
        int tfd = b.getInt(4);
        int toff = b.getInt(8);
        OpenFile f = fileOf(p1, idx1);
        if (f == null) {
            return -Errno.EBADF;
        }
        OpenFile ep = fileOf(p2, efd & 0xFFFF_FFFFL);
        if (ep == null) {
            return -Errno.EBADF;
        }
        if (!(ep instanceof EventPoll epoll)) {
            return -Errno.EINVAL;
        }
        OpenFile target = epoll.target(tfd, toff);
        if (target == null) {
            return -Errno.ENOENT;
        }
        return order.compare(f, target, Kcmp.KCMP_FILE);
    }
}
