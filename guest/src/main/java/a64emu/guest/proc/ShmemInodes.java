package a64emu.guest.proc;

import a64emu.guest.mm.SharedAnonymous;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Device and inode numbers of shared anonymous memory, for the maps columns. Linux backs each
 * MAP_SHARED|MAP_ANONYMOUS mapping with a file on the kernel's internal tmpfs mount (shm_mnt,
 * anonymous device 00:01) and numbers its inode with get_next_ino(); here each object gets the
 * next number the first time /proc shows it, the same for every process that maps it.
 */
final class ShmemInodes {
    /** The internal shmem mount's device: major 0, minor 1. */
    static final long SHM_MNT_DEV = 0x01;

    private final Map<SharedAnonymous, Long> inodes = new WeakHashMap<>();
    private long next = 1;

    synchronized ProcessView.FileId idOf(SharedAnonymous object) {
        long ino = inodes.computeIfAbsent(object, o -> next++);
        return new ProcessView.FileId(SHM_MNT_DEV, ino);
    }
}
