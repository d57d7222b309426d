package a64emu.guest.fs;

/**
 * A process file descriptor (Linux {@code kernel/pid.c pidfd_create}): an anonymous-inode
 * file, "anon_inode:[pidfd]", that names a process by its pid for pidfd_send_signal. It holds
 * the pid, not the process: once the process is reaped the pid names nothing and a signal
 * through the descriptor is ESRCH, as when Linux's struct pid has no task left.
 */
public final class PidFd extends OpenFile {
    /** O_RDWR: pidfd_create opens its file read-write. */
    private static final int O_RDWR = 2;
    /** The anonymous inode every anon_inode file shares (anon_inode_inode); its number is arbitrary. */
    private static final long ANON_INODE_INO = 1;

    private final int pid;
    private final long startTime;

    /**
     * {@code startTime} (the process's start, which exec keeps) tells the process the pid named
     * from a later one that reuses the pid.
     */
    public PidFd(int pid, long startTime, int openFlags) {
        super("anon_inode:[pidfd]", O_RDWR | (openFlags & OpenFlags.O_NONBLOCK));
        this.pid = pid;
        this.startTime = startTime;
    }

    public int pid() {
        return pid;
    }

    public long startTime() {
        return startTime;
    }

    /** The pidfd behind a descriptor's file, or null. */
    public static PidFd of(OpenFile f) {
        return f instanceof PidFd p ? p : null;
    }

    @Override
    KernelStat stat() {
        // anon_inode_inode: mode S_IRUSR | S_IWUSR with no file type, owned by root.
        return new KernelStat(0, ANON_INODE_INO, 0600, 1, 0, 0, 0, 0, KernelStat.BLOCK_SIZE, 0, 0, 0, 0, 0, 0, 0);
    }
}
