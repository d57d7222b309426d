package a64emu.guest;

import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.MappedFileCoherence;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.PageCache;
import a64emu.guest.mm.PageSource;

/**
 * An open file as the source of a file-backed mapping's pages. Its page-cache identity is
 * the file's device and inode, so every open of one file shares cached pages, as Linux's
 * page cache hangs off the inode.
 */
public final class OpenFilePages implements PageSource {
    /** What names a file for the page cache: st_dev and st_ino. */
    private record Inode(long dev, long ino) {}

    private final OpenFile file;
    private final Object identity;

    public OpenFilePages(OpenFile file) {
        this(file, inodeOf(file));
    }

    private OpenFilePages(OpenFile file, Object identity) {
        this.file = file;
        this.identity = identity;
    }

    /**
     * The page cache's side of {@link MappedFileCoherence}: the file layer calls it around
     * read(2), write(2) and ftruncate(2) of regular files.
     */
    public static MappedFileCoherence coherence(PageCache cache) {
        // A description's inode does not change: stat it once, not on every read(2).
        java.util.Map<OpenFile, Object> inodes = new java.util.WeakHashMap<>();
        return new MappedFileCoherence() {
            private Object inode(OpenFile file) {
                synchronized (inodes) {
                    return inodes.computeIfAbsent(file, OpenFilePages::inodeOf);
                }
            }

            @Override
            public void beforeAccess(OpenFile file) {
                cache.syncToFile(inode(file));
            }

            @Override
            public void afterWrite(OpenFile file) {
                Object inode = inode(file);
                if (cache.holds(inode)) {
                    cache.refresh(new OpenFilePages(file, inode));
                }
            }

            @Override
            public void afterTruncate(OpenFile file, long newSize) {
                cache.truncate(inode(file), newSize);
            }
        };
    }

    /** The inode, or the description itself when the file cannot be stat'ed (it is then not shared). */
    private static Object inodeOf(OpenFile file) {
        try {
            KernelStat st = file.fileStat();
            return new Inode(st.dev(), st.ino());
        } catch (ErrnoException e) {
            return file;
        }
    }

    public OpenFile file() {
        return file;
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        return file.readAt(pos, dst, off, len);
    }

    @Override
    public long writeAt(long pos, byte[] src, int off, int len) {
        return file.writeAt(pos, src, off, len);
    }

    @Override
    public Object identity() {
        return identity;
    }
}
