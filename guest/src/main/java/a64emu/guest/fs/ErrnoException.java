package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;

/**
 * A file operation failed with a Linux errno (positive). Used inside the file layer so a lookup can
 * stop at any depth; the public syscall-shaped methods turn it into a negative return value.
 */
public final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public ErrnoException(int errno) {
        super(Errno.name(errno), null, false, false);
        this.errno = errno;
    }

    /** Positive errno value. */
    public int errno() {
        return errno;
    }

    /** The syscall return value: -errno. */
    public int negated() {
        return -errno;
    }

    /**
     * Java NIO throws a dedicated subclass only for some errnos; for the rest (ENOTDIR from a
     * FileChannel open, EISDIR, ENOSPC, EROFS, ELOOP from NOFOLLOW_LINKS, ...) the host errno
     * survives only as the strerror text in {@link FileSystemException#getReason()} or an
     * IOException's message. These are the glibc strerror strings.
     */
    private static final Map<String, Integer> HOST_REASONS = Map.ofEntries(
            Map.entry("Operation not permitted", Errno.EPERM),
            Map.entry("No such file or directory", Errno.ENOENT),
            Map.entry("Permission denied", Errno.EACCES),
            Map.entry("File exists", Errno.EEXIST),
            Map.entry("Not a directory", Errno.ENOTDIR),
            Map.entry("Is a directory", Errno.EISDIR),
            Map.entry("Invalid argument", Errno.EINVAL),
            Map.entry("No space left on device", Errno.ENOSPC),
            Map.entry("Read-only file system", Errno.EROFS),
            Map.entry("File name too long", Errno.ENAMETOOLONG),
            Map.entry("Directory not empty", Errno.ENOTEMPTY),
            Map.entry("Too many levels of symbolic links", Errno.ELOOP),
            Map.entry("No such device or address", Errno.ENXIO),
            Map.entry("Device or resource busy", Errno.EBUSY),
            Map.entry("Invalid cross-device link", Errno.EXDEV),
            Map.entry("File too large", Errno.EFBIG),
            Map.entry("Text file busy", Errno.ETXTBSY));

    /** Maps a host I/O failure to the errno Linux would have returned for the same host call. */
    public static ErrnoException from(IOException e) {
        return new ErrnoException(errnoOf(e));
    }

    static int errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
        if (e instanceof DirectoryNotEmptyException) return Errno.ENOTEMPTY;
        if (e instanceof FileSystemLoopException) return Errno.ELOOP;
        if (e instanceof ClosedChannelException) return Errno.EBADF;
        // FileSystemException carries strerror as its reason; FileChannel.open with NOFOLLOW_LINKS
        // on a link throws a plain IOException whose message is strerror plus advice
        // ("Too many levels of symbolic links (NOFOLLOW_LINKS specified)").
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (text != null) {
            for (var entry : HOST_REASONS.entrySet()) {
                if (text.startsWith(entry.getKey())) return entry.getValue();
            }
        }
        return Errno.EIO;
    }
}
