package a64emu.guest.mm;

/**
 * The object behind a MAP_SHARED|MAP_ANONYMOUS mapping: Linux backs it with a shmem file
 * ({@code shmem_zero_setup}, shown as "/dev/zero (deleted)"), so that the processes that
 * inherit it through fork find the same pages, including pages first touched after the
 * fork. Here its pages live in the page cache under this object's identity and never
 * leave it while a mapping remains; they start zero-filled.
 */
public final class SharedAnonymous implements PageSource {
    /** The name Linux shows in /proc/pid/maps for shared anonymous memory. */
    public static final String MAPS_NAME = "/dev/zero (deleted)";

    private final long size;

    public SharedAnonymous(long size) {
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    /** A new object reads as zeros everywhere inside it. */
    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        int n = (int) Math.max(0, Math.min(len, size - pos));
        java.util.Arrays.fill(dst, off, off + n, (byte) 0);
        return n;
    }

    /** The pages are the only copy of the data: keeping them is the write-back. */
    @Override
    public long writeAt(long pos, byte[] src, int off, int len) {
        return len;
    }

    @Override
    public boolean evictWhenUnmapped() {
        return false;
    }
}
