package a64emu.guest.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open directory: read by getdents64(2) and usable as the dirfd of the *at calls. The listing
 * is taken when the first getdents64 (or a rewind to offset 0) needs it, "." and ".." first as
 * ext4 returns them; the file offset is the index of the next entry, so each record's d_off is
 * the index after it and lseek(fd, d_off, SEEK_SET) resumes there (what telldir/seekdir rely on).
 */
final class DirectoryFile extends ListedDirectory {
    /** The name it was opened by, checked before each use (see {@link HostName}). */
    private final HostName name;
    private final long parentInode;

    /**
     * @param host the directory, a name below {@code root} the walk has just resolved
     * @param parentHost the directory above it (the root's own for the root)
     */
    DirectoryFile(Path root, String guestPath, Path host, Path parentHost, int flags) throws ErrnoException {
        super(guestPath, flags);
        this.name = HostName.of(root, host);
        this.parentInode = inode(parentHost);
    }

    /**
     * The listing, read through the name only when it still leads to this directory; else
     * ENOENT, what getdents64 answers for a removed directory (IS_DEADDIR in iterate_dir).
     */
    @Override
    List<Dirent64> list() throws ErrnoException {
        Path host = name.currentOrEnoent();
        List<Dirent64> list = new ArrayList<>();
        list.add(new Dirent64(name.statAtOpen().ino(), 1, FileMode.DT_DIR, "."));
        list.add(new Dirent64(parentInode, 2, FileMode.DT_DIR, ".."));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(host)) {
            for (Path child : s) {
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(child, "unix:ino,mode", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // removed while listing: Linux would not return it either
                }
                list.add(new Dirent64((Long) a.get("ino"), list.size() + 1,
                        FileMode.direntType((Integer) a.get("mode")), child.getFileName().toString()));
            }
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        return list;
    }

    private static long inode(Path p) throws ErrnoException {
        try {
            return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    @Override
    KernelStat stat() throws ErrnoException {
        return name.stat();
    }

    /** A directory's fsync: ext4 and tmpfs answer 0 (the entries are the host's to flush). */
    @Override
    int fsync(boolean dataOnly) {
        return 0;
    }

    /** The directory's name, checked: see {@link HostName}. */
    HostName name() {
        return name;
    }
}
