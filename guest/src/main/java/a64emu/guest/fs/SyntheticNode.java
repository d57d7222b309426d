package a64emu.guest.fs;

import java.util.List;

/**
 * One file, directory or symbolic link of a file system whose contents the kernel generates, such
 * as /proc (Linux's proc_dir_entry and the pid entries of fs/proc/base.c). The path walk of
 * {@link FileSystem} reaches it through a {@link SyntheticTree} and never touches a host path for
 * it. Methods that do not apply to the node's kind are never called for it.
 */
public interface SyntheticNode {
    enum Kind { DIRECTORY, REGULAR, SYMLINK, CHARACTER_DEVICE }

    /** One name in a directory listing. */
    record Entry(String name, long inode, Kind kind) {}

    /**
     * The reads of one open description of a file read in place: {@code len} bytes at file
     * position {@code pos} into {@code buf}, returning the count (0 at the end) or -errno.
     */
    @FunctionalInterface
    interface PositionalReader {
        long read(long pos, byte[] buf, int off, int len);
    }

    Kind kind();

    /** The permission bits (S_IFMT is derived from the kind). */
    int permissions();

    long inode();

    /** Owner ids for stat(2). */
    int uid();

    int gid();

    /**
     * A device node's device number as stat(2) reports st_rdev (userspace's encoding, glibc's
     * makedev); 0 for anything else.
     */
    default long rdev() {
        return 0;
    }

    /** A link's target text (readlink), resolved by the path walk like any link's. */
    default String linkTarget() throws ErrnoException {
        throw new ErrnoException(a64emu.guest.Errno.EINVAL);
    }

    /** A directory's entries other than "." and "..", in readdir order. */
    default List<Entry> list() throws ErrnoException {
        throw new ErrnoException(a64emu.guest.Errno.ENOTDIR);
    }

    /**
     * A regular file's whole contents, generated now: opening takes one snapshot that reads and
     * seeks then see (the way a seq_file shows one consistent generation to a reader).
     */
    default byte[] contents() throws ErrnoException {
        throw new ErrnoException(a64emu.guest.Errno.EINVAL);
    }

    /**
     * For a file that is read in place rather than generated whole (Linux's proc files with a
     * read method of their own: pagemap, environ), the reader of one open, made at open, where
     * Linux's open method takes the process's mm and checks the opener's access; null for a
     * file whose {@link #contents} a reader sees.
     */
    default PositionalReader openReader() throws ErrnoException {
        return null;
    }

    /**
     * For a magic link (Linux's proc_fd_link, /proc/pid/fd/N): the open file it stands for, which
     * an open(2) through the link reaches when its text names no path (a pipe, "pipe:[stdout]");
     * null for a link that is only its text.
     */
    default OpenFile openedFile() {
        return null;
    }

    /**
     * The node's own open method, for a file that keeps state per open description
     * (/dev/kmsg's read position, a /proc/pressure trigger): the methods the description's
     * calls go to, after the caller passed the permission check; null for a node whose
     * {@link #contents} or {@link #openReader} a description reads. Errors are open(2)'s.
     */
    default FileOperations open(int flags) throws ErrnoException {
        return null;
    }

    /** write(2) of {@code data} to a writable file: the count taken, or -errno. */
    default long write(byte[] data) {
        return -a64emu.guest.Errno.EINVAL;
    }
}
