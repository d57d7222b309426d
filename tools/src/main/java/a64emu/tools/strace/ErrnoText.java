package a64emu.tools.strace;

import a64emu.guest.Errno;
import java.util.Map;

/**
 * A failed call's result as strace prints it: {@code -1 ENOENT (No such file or directory)},
 * the name from {@link Errno} and the message strerror(3) gives (glibc's wording).
 */
final class ErrnoText {
    private ErrnoText() {}

    private static final Map<Integer, String> STRERROR = Map.ofEntries(
            Map.entry(Errno.EPERM, "Operation not permitted"),
            Map.entry(Errno.ENOENT, "No such file or directory"),
            Map.entry(Errno.ESRCH, "No such process"),
            Map.entry(Errno.EINTR, "Interrupted system call"),
            Map.entry(Errno.EIO, "Input/output error"),
            Map.entry(Errno.ENXIO, "No such device or address"),
            Map.entry(Errno.E2BIG, "Argument list too long"),
            Map.entry(Errno.ENOEXEC, "Exec format error"),
            Map.entry(Errno.EBADF, "Bad file descriptor"),
            Map.entry(Errno.ECHILD, "No child processes"),
            Map.entry(Errno.EAGAIN, "Resource temporarily unavailable"),
            Map.entry(Errno.ENOMEM, "Cannot allocate memory"),
            Map.entry(Errno.EACCES, "Permission denied"),
            Map.entry(Errno.EFAULT, "Bad address"),
            Map.entry(Errno.EBUSY, "Device or resource busy"),
            Map.entry(Errno.EEXIST, "File exists"),
            Map.entry(Errno.EXDEV, "Invalid cross-device link"),
            Map.entry(Errno.ENODEV, "No such device"),
            Map.entry(Errno.ENOTDIR, "Not a directory"),
            Map.entry(Errno.EISDIR, "Is a directory"),
            Map.entry(Errno.EINVAL, "Invalid argument"),
            Map.entry(Errno.ENFILE, "Too many open files in system"),
            Map.entry(Errno.EMFILE, "Too many open files"),
            Map.entry(Errno.ENOTTY, "Inappropriate ioctl for device"),
            Map.entry(Errno.ETXTBSY, "Text file busy"),
            Map.entry(Errno.EFBIG, "File too large"),
            Map.entry(Errno.ENOSPC, "No space left on device"),
            Map.entry(Errno.ESPIPE, "Illegal seek"),
            Map.entry(Errno.EROFS, "Read-only file system"),
            Map.entry(Errno.EMLINK, "Too many links"),
            Map.entry(Errno.EPIPE, "Broken pipe"),
            Map.entry(Errno.ERANGE, "Numerical result out of range"),
            Map.entry(Errno.ENAMETOOLONG, "File name too long"),
            Map.entry(Errno.ENOSYS, "Function not implemented"),
            Map.entry(Errno.ENOTEMPTY, "Directory not empty"),
            Map.entry(Errno.ELOOP, "Too many levels of symbolic links"),
            Map.entry(Errno.ENODATA, "No data available"),
            Map.entry(Errno.EOVERFLOW, "Value too large for defined data type"),
            Map.entry(Errno.ENOTSUP, "Operation not supported"),
            Map.entry(Errno.ETIMEDOUT, "Connection timed out"));

    /** Whether a raw result is an error: -4095..-1, as Linux's IS_ERR_VALUE. */
    static boolean isError(long result) {
        return result < 0 && result >= -4095;
    }

    /** {@code -1 ENOENT (No such file or directory)} for a result of -2. */
    static String of(long result) {
        int errno = (int) -result;
        String message = STRERROR.getOrDefault(errno, "Unknown error " + errno);
        return "-1 " + Errno.name(errno) + " (" + message + ")";
    }
}
