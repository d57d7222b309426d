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
    private final Path host;
    private final Path parentHost;

    DirectoryFile(String guestPath, Path host, Path parentHost, int flags) {
        super(guestPath, flags);
        this.host = host;
        this.parentHost = parentHost;
    }

    @Override
    List<Dirent64> list() throws ErrnoException {
        List<Dirent64> list = new ArrayList<>();
        list.add(new Dirent64(inode(host), 1, FileMode.DT_DIR, "."));
        list.add(new Dirent64(inode(parentHost), 2, FileMode.DT_DIR, ".."));
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
        try {
            return KernelStat.ofHostPath(host);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /** A directory's fsync: ext4 and tmpfs answer 0 (the entries are the host's to flush). */
    @Override
    int fsync(boolean dataOnly) {
        return 0;
    }

    Path host() {
        return host;
    }
}
