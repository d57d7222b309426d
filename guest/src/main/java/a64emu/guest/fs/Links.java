package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * linkat(2) and symlinkat(2) (fs/namei.c do_linkat, do_symlinkat). Every name is resolved by
 * the guest's {@link FileSystem}, so with --root neither the old name, nor the new one, nor a
 * link's target reaches outside the root; the host's link(2) and symlink(2) then make the entry
 * (and apply the host's own permission checks on the directories).
 */
public final class Links {
    private Links() {}

    /**
     * linkat(2): a new name {@code newPath} for the file {@code oldPath} names. A last symbolic
     * link in oldPath is linked itself unless AT_SYMLINK_FOLLOW; AT_EMPTY_PATH needs
     * CAP_DAC_READ_SEARCH, which an unprivileged process lacks: ENOENT, as Linux answers. A
     * directory is EPERM, an existing new name EEXIST, /proc on either side EXDEV.
     */
    public static int linkat(FileTable t, int olddirfd, String oldPath, int newdirfd, String newPath, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        if ((flags & AT_EMPTY_PATH) != 0) return -Errno.ENOENT;
        if (oldPath.isEmpty() || newPath.isEmpty()) return -Errno.ENOENT;
        FileSystem fs = t.fileSystem();
        try {
            ResolvedPath from = fs.resolve(t.startDir(olddirfd, oldPath), oldPath, (flags & AT_SYMLINK_FOLLOW) != 0);
            if (!from.exists()) return -Errno.ENOENT;
            ResolvedPath to = fs.resolve(t.startDir(newdirfd, newPath), newPath, false);
            if (to.exists()) return -Errno.EEXIST;
            if (from.isSynthetic() || to.host() == null) return -Errno.EXDEV;
            if (from.isDirectory()) return -Errno.EPERM;
            if (to.trailingSlash()) return -Errno.ENOENT;
            Files.createLink(to.host(), from.host());
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        } catch (FileAlreadyExistsException e) {
            return -Errno.EEXIST;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    /**
     * symlinkat(2): a link at {@code linkPath} whose text is {@code target}, stored as given
     * (it is resolved, inside the root, only when the link is followed). An empty target is
     * ENOENT, an existing name EEXIST, a name under /proc EACCES.
     */
    public static int symlinkat(FileTable t, String target, int newdirfd, String linkPath) {
        if (target.isEmpty() || linkPath.isEmpty()) return -Errno.ENOENT;
        FileSystem fs = t.fileSystem();
        try {
            ResolvedPath to = fs.resolve(t.startDir(newdirfd, linkPath), linkPath, false);
            if (to.exists()) return -Errno.EEXIST;
            if (to.host() == null) return -Errno.EACCES;
            if (to.trailingSlash()) return -Errno.ENOENT;
            Files.createSymbolicLink(to.host(), Path.of(target));
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        } catch (FileAlreadyExistsException e) {
            return -Errno.EEXIST;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        } catch (java.nio.file.InvalidPathException e) {
            return -Errno.EINVAL;
        }
    }
}
