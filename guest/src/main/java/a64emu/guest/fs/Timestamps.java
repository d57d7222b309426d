package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * utimensat(2) (fs/utimes.c): sets a file's access and modification times; the change time
 * follows by itself, as the host kernel sets it. Each time is seconds and nanoseconds, or
 * UTIME_NOW (the current time) or UTIME_OMIT (left as it is); no times at all means both now.
 * Permissions are the host's: setting explicit times needs the file's owner (EPERM otherwise),
 * as in Linux. One difference: "now" is written as an explicit time, so a process with write
 * permission that does not own the file gets EPERM where Linux allows it.
 */
public final class Timestamps {
    private Timestamps() {}

    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    /**
     * utimensat(2).
     *
     * @param path the path, or null for a NULL pointer: then dirfd itself (futimens), and any flag is EINVAL
     * @param times {atime sec, atime nsec, mtime sec, mtime nsec}, or null for a NULL times pointer
     */
    public static int utimensat(FileTable t, int dirfd, String path, long[] times, int flags) {
        if (times != null && times[1] == UTIME_OMIT && times[3] == UTIME_OMIT) return 0; // not even the path is checked
        if (times != null && (!nsecValid(times[1]) || !nsecValid(times[3]))) return -Errno.EINVAL;
        try {
            Path host;
            boolean follow = true;
            if (path == null) {
                if (dirfd == AT_FDCWD) return -Errno.EFAULT; // do_utimes_path on a NULL name
                if (flags != 0) return -Errno.EINVAL;
                OpenFile f = t.file(dirfd);
                if (f == null || f instanceof PathOnlyFile) return -Errno.EBADF; // fdget skips O_PATH
                host = HostName.currentHostOf(f);
            } else {
                if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
                follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
                if (path.isEmpty()) {
                    if ((flags & AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
                    OpenFile f = dirfd == AT_FDCWD ? null : t.file(dirfd);
                    if (dirfd != AT_FDCWD && f == null) return -Errno.EBADF;
                    host = f == null ? resolved(t, AT_FDCWD, ".", true) : HostName.currentHostOf(f);
                    follow = f == null; // the descriptor's own file, an O_PATH link too
                } else {
                    host = resolved(t, dirfd, path, follow);
                }
            }
            if (host == null) return -Errno.EPERM;
            set(host, times, follow);
            t.fileSystem().fsnotify().changed(host, changeEvent(times));
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        }
    }

    /**
     * fsnotify_change's event for new times: both (or "now" for both) IN_ATTRIB, the access
     * time alone IN_ACCESS, the modification time alone IN_MODIFY.
     */
    private static int changeEvent(long[] times) {
        if (times == null || (times[1] != UTIME_OMIT && times[3] != UTIME_OMIT)) return Inotify.IN_ATTRIB;
        return times[3] == UTIME_OMIT ? Inotify.IN_ACCESS : Inotify.IN_MODIFY;
    }

    private static boolean nsecValid(long nsec) {
        return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec <= 999_999_999L);
    }

    /** The host file the path names; null for a file of /proc (it keeps no times to set here). */
    private static Path resolved(FileTable t, int dirfd, String path, boolean follow) throws ErrnoException {
        ResolvedPath r = t.fileSystem().resolve(t.startDir(dirfd, path), path, follow);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        return r.isSynthetic() ? null : r.host();
    }

    private static void set(Path host, long[] times, boolean follow) throws ErrnoException {
        FileTime now = FileTime.from(Instant.now());
        FileTime atime = times == null ? now : time(times[0], times[1], now);
        FileTime mtime = times == null ? now : time(times[2], times[3], now);
        LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            Files.getFileAttributeView(host, BasicFileAttributeView.class, options).setTimes(mtime, atime, null);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** A guest timespec as the JDK's time; null (leave unchanged) for UTIME_OMIT. */
    private static FileTime time(long sec, long nsec, FileTime now) {
        if (nsec == UTIME_OMIT) return null;
        if (nsec == UTIME_NOW) return now;
        return FileTime.from(Instant.ofEpochSecond(sec, nsec));
    }
}
