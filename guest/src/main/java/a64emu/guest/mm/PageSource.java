package a64emu.guest.mm;

/**
 * Where the bytes of a file-backed mapping come from: an open file, read at a position.
 * The page cache reads one page at a time through it and writes dirty shared pages back.
 */
public interface PageSource {
    /** Current size of the file in bytes; pages wholly past it raise SIGBUS (BUS_ADRERR). */
    long size();

    /** Reads up to {@code len} bytes at {@code pos}; returns the count, 0 at end of file. */
    int readAt(long pos, byte[] dst, int off, int len);

    /**
     * Writes {@code len} bytes at {@code pos} (write-back of MAP_SHARED pages); returns the
     * count or -errno. The default is a file that cannot be written: a MAP_SHARED writable
     * mapping of it is refused at mmap (EACCES), so no dirty page of it can exist.
     */
    default long writeAt(long pos, byte[] src, int off, int len) {
        return -a64emu.guest.Errno.EBADF;
    }

    /**
     * What names the file for the page cache: equal identities share cached pages (Linux
     * keys the cache by inode). The default is this object.
     */
    default Object identity() {
        return this;
    }

    /**
     * Whether a cached page may leave the cache once nothing maps it (a file, re-readable);
     * false for memory that has no file behind it (shared anonymous memory).
     */
    default boolean evictWhenUnmapped() {
        return true;
    }

    /**
     * Whether the pages stay when no area maps the object any more: a System V shared memory
     * segment keeps them until it is removed (IPC_RMID), where shared anonymous memory goes
     * with its last mapping. Only asked of sources that are not {@link #evictWhenUnmapped}.
     */
    default boolean outlivesMappings() {
        return false;
    }

    /**
     * Whether reclaim must leave the object's pages alone (Linux {@code mapping_unevictable}:
     * a System V segment under SHM_LOCK).
     */
    default boolean unevictable() {
        return false;
    }

    /**
     * Linux {@code vm_operations_struct.open}: fork copied an area that maps this source
     * (shm counts the attach and notes the time and pid).
     */
    default void areaOpened() {}

    /**
     * Linux {@code vm_operations_struct.close}: an area that mapped this source went (munmap,
     * shmdt, exit, execve); the area is no longer in its address space when this runs.
     */
    default void areaClosed() {}
}
