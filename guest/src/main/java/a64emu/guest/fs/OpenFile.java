package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;

/**
 * An open file description (Linux's struct file): what one open(2) created and every descriptor
 * dup'ed or inherited from it shares: the access mode, the status flags (O_APPEND, O_NONBLOCK) and
 * the file offset. Methods return the syscall value or a negative errno.
 *
 * <p>Reference counted: each descriptor holds one reference, and so must anyone else who keeps the
 * file past the descriptor's life (a file-backed mmap keeps its file after close(fd), exactly as
 * a Linux VMA holds vm_file): call {@link #retain()} when taking it and {@link #release()} when done;
 * the host resource closes when the count reaches zero.
 */
public abstract class OpenFile {
    private final String guestPath;
    private final int accessMode;
    private int statusFlags;
    private int references = 1;
    private java.util.Map<Object, Runnable> finalCloseHooks;

    protected OpenFile(String guestPath, int openFlags) {
        this.guestPath = guestPath;
        this.accessMode = openFlags & O_ACCMODE;
        this.statusFlags = openFlags & SETFL_MASK;
    }

    /** The guest path the file was opened by, canonical ("/a/b"), or a description like "pipe:[stdout]". */
    public String guestPath() {
        return guestPath;
    }

    public boolean readable() {
        return readsAllowed(accessMode);
    }

    public boolean writable() {
        return writesAllowed(accessMode);
    }

    /** Whether this is an O_PATH description (FMODE_PATH): most calls that take a descriptor refuse it with EBADF. */
    public final boolean isPathOnly() {
        return this instanceof PathOnlyFile;
    }

    public boolean isRegularFile() {
        return false;
    }

    public boolean isDirectory() {
        return false;
    }

    /**
     * Whether a write's EPIPE means the reading end has gone, so the writer also gets SIGPIPE
     * (fs/pipe.c pipe_write); a pipe end, and a standard stream whose host pipe lost its reader.
     */
    public boolean writeEpipeRaisesSigpipe() {
        return false;
    }

    /** Whether TCGETS and friends apply (isatty). */
    public boolean isTerminal() {
        return false;
    }

    /** Current length in bytes (0 for streams and directories). */
    public long size() {
        return 0;
    }

    /**
     * Reads up to {@code len} bytes at {@code pos} without moving the file offset: for page-fault
     * handling of file-backed mappings. Returns the bytes read (0 at or past the end) or -errno;
     * -ENODEV for a file that cannot be mapped (Linux mmap of a stream).
     */
    public int readAt(long pos, byte[] dst, int off, int len) {
        return -Errno.ENODEV;
    }

    /**
     * What a read or write that answered -EAGAIN sleeps on until it can go on (Linux's wait
     * queue: a pipe, the host's standard input), or null where -EAGAIN is the answer. The
     * kernel wakes the sleepers of a channel when it changes.
     */
    public Object waitChannel() {
        return null;
    }

    /**
     * poll: the events ready now (Linux {@code vfs_poll}), registering the poller on
     * {@code table} (null when the poll will not sleep) for the wait queues that announce a
     * change. A file without a poll method of its own is always ready for reading and
     * writing (DEFAULT_POLLMASK); pipes and the standard streams answer so here too.
     */
    public int poll(PollTable table) {
        return PollTable.DEFAULT_POLLMASK;
    }

    /**
     * {@code file_can_poll}: whether the file has a poll method of its own. epoll refuses the
     * others (a regular file, a directory) with EPERM, where poll and select call them ready.
     */
    public boolean canPoll() {
        return false;
    }

    /**
     * Runs {@code hook} when the last reference goes, before the resource closes (Linux's
     * {@code eventpoll_release}: an epoll item goes with the file it watches), under
     * {@code key} so that it can be taken back ({@link #removeFinalCloseHook}).
     */
    public synchronized void addFinalCloseHook(Object key, Runnable hook) {
        if (finalCloseHooks == null) {
            finalCloseHooks = new java.util.LinkedHashMap<>();
        }
        finalCloseHooks.put(key, hook);
    }

    public synchronized void removeFinalCloseHook(Object key) {
        if (finalCloseHooks != null) {
            finalCloseHooks.remove(key);
        }
    }

    /** {@link #waitChannel}, or null for a descriptor opened or set O_NONBLOCK (it answers EAGAIN). */
    public Object sleepChannel() {
        return (statusFlagsForGetfl() & OpenFlags.O_NONBLOCK) != 0 ? null : waitChannel();
    }

    /** read(2) at the file offset, advancing it. Access mode already checked by the table. */
    long read(byte[] buf, int off, int len) {
        return -Errno.EINVAL;
    }

    /** write(2) at the file offset (or the end with O_APPEND), advancing it. */
    long write(byte[] buf, int off, int len) {
        return -Errno.EINVAL;
    }

    long pread(byte[] buf, int off, int len, long pos) {
        return -Errno.ESPIPE;
    }

    long pwrite(byte[] buf, int off, int len, long pos) {
        return -Errno.ESPIPE;
    }

    /** ftruncate(2): sets the length (zero-filled when it grows); 0 or -errno. Only regular files. */
    long truncate(long length) {
        return -Errno.EINVAL;
    }

    /**
     * Whether mmap may map this file: 0, or -errno for a mapping the file refuses (a sealed
     * memfd refuses MAP_SHARED with PROT_WRITE: EPERM).
     */
    public int mayMap(boolean sharedWritable) {
        return 0;
    }

    /** pwrite(2) for other packages: write-back of MAP_SHARED pages. Bytes written or -errno. */
    public long writeAt(long pos, byte[] src, int off, int len) {
        return pwrite(src, off, len, pos);
    }

    /**
     * fsync(2)/fdatasync(2) once the descriptor is known good: 0, or EINVAL for a file with no
     * fsync operation (pipes, terminals, /proc files), as vfs_fsync_range answers.
     */
    int fsync(boolean dataOnly) {
        return -Errno.EINVAL;
    }

    /**
     * fallocate(2) on a regular file, the mode already checked by {@link FileSpace}: 0 or
     * -errno; EOPNOTSUPP for a file whose file system has no fallocate.
     */
    long allocate(int mode, long offset, long len) {
        return -Errno.ENOTSUP;
    }

    long lseek(long offset, int whence) {
        return -Errno.ESPIPE;
    }

    long getdents64(byte[] out) {
        return -Errno.ENOTDIR;
    }

    abstract KernelStat stat() throws ErrnoException;

    /** fstat(2) of this description for other packages (the device and inode columns of /proc/pid/maps). */
    public final KernelStat fileStat() throws ErrnoException {
        return stat();
    }

    /**
     * F_GETFL: the access mode and the status flags. Native arm64 Linux also reports the
     * O_LARGEFILE it forces on 64-bit opens; qemu-aarch64, the project's reference, does not (its
     * x86-64 host glibc defines O_LARGEFILE as 0, so nothing maps back), and we match qemu.
     */
    synchronized int statusFlagsForGetfl() {
        return accessMode | statusFlags;
    }

    /** F_SETFL: only O_APPEND, O_NONBLOCK, O_DIRECT and O_NOATIME change (fs/fcntl.c setfl). */
    synchronized void setStatusFlags(int flags) {
        statusFlags = flags & SETFL_MASK;
    }

    synchronized boolean appending() {
        return (statusFlags & O_APPEND) != 0;
    }

    public synchronized void retain() {
        if (references <= 0) throw new IllegalStateException("retain of closed file " + guestPath);
        references++;
    }

    public void release() {
        boolean last;
        synchronized (this) {
            if (references <= 0) throw new IllegalStateException("release of closed file " + guestPath);
            last = --references == 0;
        }
        if (last) {
            java.util.List<Runnable> hooks;
            synchronized (this) {
                hooks = finalCloseHooks == null ? java.util.List.of() : java.util.List.copyOf(finalCloseHooks.values());
                finalCloseHooks = null;
            }
            hooks.forEach(Runnable::run);
            closeResource();
        }
    }

    /**
     * Runs {@code hook} when the last reference to this description goes (its flock and OFD
     * locks are released then, as Linux's __fput does). A hook added twice (equal) runs once.
     */
    public void onLastRelease(Runnable hook) {
        addFinalCloseHook(hook, hook);
    }

    /**
     * lseek(2)'s new position for a file of {@code size} bytes read at {@code position}, or
     * -errno: generic_file_llseek's arithmetic, with no holes but the one at the end of file
     * (SEEK_DATA at or past EOF is ENXIO, SEEK_HOLE finds EOF).
     */
    static long seekTarget(long position, long size, long offset, int whence) {
        long target;
        switch (whence) {
            case OpenFlags.SEEK_SET -> target = offset;
            case OpenFlags.SEEK_CUR -> target = position + offset;
            case OpenFlags.SEEK_END -> target = size + offset;
            case OpenFlags.SEEK_DATA, OpenFlags.SEEK_HOLE -> {
                if (offset < 0) return -Errno.EINVAL;
                if (offset >= size) return -Errno.ENXIO;
                target = whence == OpenFlags.SEEK_DATA ? offset : size;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return target < 0 ? -Errno.EINVAL : target;
    }

    /** Frees the host resource; called once, when the last reference goes. */
    protected void closeResource() {}

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + guestPath + ")";
    }
}
