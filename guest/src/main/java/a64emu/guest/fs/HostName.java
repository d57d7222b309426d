package a64emu.guest.fs;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host name an open description was opened by, and the file's stat at that moment. Linux
 * keeps the inode behind a descriptor; the JDK lets us keep only a name, and a name is not
 * safe to use twice: between two system calls the guest may rename a directory on the way and
 * put in its place a link whose text is a host path outside the root, which the host kernel
 * would follow. So the name is used again only after {@link #current()} has checked, with the
 * guest's threads stopped (the kernel runs one system call at a time), that every directory
 * from the root down is still a directory and not a link, and that the last component is
 * still the same file (device and inode). A name that fails the check is stale: the caller
 * answers from {@link #statAtOpen()} or with ENOENT, never through the host path.
 *
 * <p>A host process other than a64emu that swaps directories between the check and the use
 * is not defended against (see {@link FileSystem}).
 */
final class HostName {
    private final Path root;
    private final Path host;
    private final KernelStat statAtOpen;

    private HostName(Path root, Path host, KernelStat statAtOpen) {
        this.root = root;
        this.host = host;
        this.statAtOpen = statAtOpen;
    }

    /**
     * The name {@code host} (below {@code root}, just resolved by the walk, so trusted now)
     * with its stat now.
     */
    static HostName of(Path root, Path host) throws ErrnoException {
        if (!host.startsWith(root)) throw new IllegalArgumentException(host + " is not below " + root);
        try {
            return new HostName(root, host, KernelStat.ofHostPath(host));
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** The host path it was opened by, unchecked: only for naming it (fsnotify's parent of an unlinked file). */
    Path openedAs() {
        return host;
    }

    /** The file's stat when it was opened (the link's own, for a link). */
    KernelStat statAtOpen() {
        return statAtOpen;
    }

    /**
     * The host path, if it still names the same file by a path of real directories below the
     * root; else null (the file or a directory on the way was moved, removed or replaced).
     */
    Path current() throws ErrnoException {
        Path p = root;
        Path relative = root.relativize(host);
        int n = host.equals(root) ? 0 : relative.getNameCount();
        try {
            for (int i = 0; i < n - 1; i++) {
                p = p.resolve(relative.getName(i));
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory()) return null; // a link (or anything else) where a directory was
            }
            KernelStat now = KernelStat.ofHostPath(host);
            return now.dev() == statAtOpen.dev() && now.ino() == statAtOpen.ino() ? host : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** {@link #current()}, or ENOENT when the name no longer leads to the file. */
    Path currentOrEnoent() throws ErrnoException {
        Path p = current();
        if (p == null) throw new ErrnoException(Errno.ENOENT);
        return p;
    }

    /** The file's stat now when its name still leads to it, else the stat taken at open. */
    KernelStat stat() throws ErrnoException {
        Path p = current();
        if (p == null) return statAtOpen;
        try {
            return KernelStat.ofHostPath(p);
        } catch (NoSuchFileException e) {
            return statAtOpen;
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /**
     * The checked host path behind an open description ({@link #currentOrEnoent}), or null for
     * one with no host file behind it (a pipe, a memfd, a /proc file, a standard stream).
     */
    static Path currentHostOf(OpenFile f) throws ErrnoException {
        HostName name = f instanceof HostFile h ? h.name()
                : f instanceof DirectoryFile d ? d.name()
                : f instanceof PathOnlyFile p ? p.name() : null;
        return name == null ? null : name.currentOrEnoent();
    }
}
