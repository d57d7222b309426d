package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.Statx;
import a64emu.guest.fs.Timestamps;

/**
 * statx(2), utimensat(2) and truncate(2): the guest memory side
 * (paths, struct statx, struct timespec[2]); the semantics are in the file layer.
 */
final class FileMetadataSyscalls {
    private final Process process;

    FileMetadataSyscalls(Process process) {
        this.process = process;
    }

    /** A path argument (null means ENAMETOOLONG). */
    private String path(long va) throws BadUserAddressException {
        return process.user.readCString(va, FileSyscalls.PATH_MAX - 1);
    }

    long statx(int dirfd, long pathVa, int flags, int mask, long statxVa) throws BadUserAddressException {
        String path = path(pathVa);
        if (path == null) return -Errno.ENAMETOOLONG;
        byte[] out = new byte[Statx.SIZE];
        int r = process.files.statx(dirfd, path, flags, mask, out);
        if (r == 0) process.user.write(statxVa, out);
        return r;
    }

    /** utimensat(2): a NULL path operates on dirfd itself; NULL times means both now. */
    long utimensat(int dirfd, long pathVa, long timesVa, int flags) throws BadUserAddressException {
        long[] times = null;
        if (timesVa != 0) {
            times = new long[4];
            for (int i = 0; i < 4; i++) times[i] = process.user.read64(timesVa + 8L * i);
        }
        String path = null;
        if (pathVa != 0) {
            path = path(pathVa);
            if (path == null) return -Errno.ENAMETOOLONG;
        }
        return Timestamps.utimensat(process.files, dirfd, path, times, flags);
    }

    long truncate(long pathVa, long length) throws BadUserAddressException {
        String path = path(pathVa);
        if (path == null) return -Errno.ENAMETOOLONG;
        return path.isEmpty() ? -Errno.ENOENT : process.files.truncate(path, length);
    }
}
