package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.SEEK_CUR;
import static a64emu.guest.fs.OpenFlags.SEEK_SET;

import a64emu.guest.Errno;
import java.util.List;

/**
 * What every open directory shares, host or synthetic: read(2) is EISDIR, getdents64(2) hands
 * out a listing taken when first needed ("." and ".." first), and the file offset is the index
 * of the next entry, so each record's d_off resumes there through lseek(SEEK_SET) and a rewind
 * to 0 lists afresh (what telldir/seekdir/rewinddir rely on).
 */
abstract class ListedDirectory extends OpenFile {
    private List<Dirent64> entries;
    private long position;

    ListedDirectory(String guestPath, int flags) {
        super(guestPath, flags);
    }

    /** The entries, "." and ".." first, each with d_off = its index + 1. */
    abstract List<Dirent64> list() throws ErrnoException;

    @Override
    public final boolean isDirectory() {
        return true;
    }

    @Override
    final long read(byte[] buf, int off, int len) {
        return -Errno.EISDIR;
    }

    @Override
    final long pread(byte[] buf, int off, int len, long pos) {
        return -Errno.EISDIR;
    }

    @Override
    final synchronized long getdents64(byte[] out) {
        if (entries == null) {
            try {
                entries = list();
            } catch (ErrnoException e) {
                return e.negated();
            }
        }
        int used = 0;
        while (position < entries.size()) {
            Dirent64 d = entries.get((int) position);
            int len = d.recordLength();
            if (used + len > out.length) {
                if (used == 0) return -Errno.EINVAL; // buffer too small for one record
                break;
            }
            used += d.encode(out, used);
            position++;
        }
        return used;
    }

    @Override
    final synchronized long lseek(long offset, int whence) {
        long target = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            default -> -1;
        };
        if (target < 0) return -Errno.EINVAL;
        if (target == 0) entries = null; // rewinddir: see entries created since the last listing
        position = target;
        return target;
    }
}
