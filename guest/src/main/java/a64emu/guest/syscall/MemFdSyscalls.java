package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.MemFd;
import a64emu.guest.fs.OpenFile;

/** memfd_create(2) and the seal commands of fcntl(2) (mm/memfd.c). */
final class MemFdSyscalls {
    static final int MFD_CLOEXEC = 0x1;
    static final int MFD_ALLOW_SEALING = 0x2;
    static final int MFD_HUGETLB = 0x4;
    /** MFD_HUGE_MASK << MFD_HUGE_SHIFT: the huge page size, allowed with MFD_HUGETLB only. */
    private static final int MFD_HUGE_SIZE_BITS = 0x3F << 26;
    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;

    private final Process process;

    MemFdSyscalls(Process process) {
        this.process = process;
    }

    static boolean handles(int fcntlCmd) {
        return fcntlCmd == F_ADD_SEALS || fcntlCmd == F_GET_SEALS;
    }

    /**
     * memfd_create(2): unknown flags are EINVAL, a name longer than MFD_NAME_MAX_LEN EINVAL.
     * MFD_HUGETLB is ENOSYS, what a kernel built without hugetlbfs answers (there are no huge
     * pages in this machine).
     */
    long memfdCreate(long nameVa, int flags) throws BadUserAddressException {
        int all = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB;
        if ((flags & MFD_HUGETLB) == 0 ? (flags & ~all) != 0 : (flags & ~(all | MFD_HUGE_SIZE_BITS)) != 0) {
            return -Errno.EINVAL;
        }
        String name = process.user.readCString(nameVa, MemFd.NAME_MAX_LEN);
        if (name == null) return -Errno.EINVAL;
        if ((flags & MFD_HUGETLB) != 0) return -Errno.ENOSYS;
        MemFd f = MemFd.create(name, (flags & MFD_ALLOW_SEALING) != 0, (int) process.credentials.euid(),
                (int) process.credentials.egid());
        return process.files.installNew(f, (flags & MFD_CLOEXEC) != 0);
    }

    /** F_ADD_SEALS / F_GET_SEALS: EINVAL on a file that is not a memfd, and for seals beyond 32 bits. */
    long fcntl(int fd, int cmd, long arg) {
        OpenFile f = process.files.file(fd);
        if (f == null || f.isPathOnly()) return -Errno.EBADF;
        if (!(f instanceof MemFd m)) return -Errno.EINVAL;
        if (cmd == F_GET_SEALS) return m.seals();
        if (arg < 0 || arg > 0xFFFF_FFFFL) return -Errno.EINVAL;
        return m.addSeals(arg);
    }
}
