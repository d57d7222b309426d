package a64emu.guest.fs;

/**
 * The open file of a socket (Linux {@code net/socket.c socket_file_ops}), for socket
 * implementations outside this package: read(2) and write(2) are a recv and a send without
 * flags or address ({@code sock_read_iter}, {@code sock_write_iter}), and fstat answers the
 * sockfs inode. Whether a write's EPIPE raises SIGPIPE is the protocol's to say (a stream
 * socket's does, a datagram socket's does not).
 */
public abstract class SocketFile extends OpenFile {
    /** sockfs's anonymous device number (its st_dev), 0:8 as on a usual Linux boot. */
    public static final long SOCKFS_DEV = 8;

    private final long inode;

    /** @param flags O_RDWR plus the O_NONBLOCK of SOCK_NONBLOCK */
    protected SocketFile(long inode, int flags) {
        super("socket:[" + inode + "]", OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.inode = inode;
    }

    /** The sockfs inode number, what /proc/PID/fd's "socket:[N]" names. */
    public final long inode() {
        return inode;
    }

    /** Whether the description is O_NONBLOCK now (SOCK_NONBLOCK, or set by fcntl). */
    public final boolean nonBlocking() {
        return (statusFlagsForGetfl() & OpenFlags.O_NONBLOCK) != 0;
    }

    /** Sets O_NONBLOCK on the description (accept4's SOCK_NONBLOCK for the accepted socket). */
    protected final void makeNonBlocking() {
        setStatusFlags(statusFlagsForGetfl() | OpenFlags.O_NONBLOCK);
    }

    /** sock_poll: every socket has a poll method, so epoll takes it (EPERM only for files without). */
    @Override
    public final boolean canPoll() {
        return true;
    }

    /** read(2): bytes received into {@code buf}, 0 at end of file, or -errno (-EAGAIN to wait). */
    protected abstract long receive(byte[] buf, int off, int len);

    /** write(2): bytes sent from {@code buf}, or -errno (-EAGAIN to wait, -EPIPE with SIGPIPE). */
    protected abstract long send(byte[] buf, int off, int len);

    @Override
    final long read(byte[] buf, int off, int len) {
        return receive(buf, off, len);
    }

    @Override
    final long write(byte[] buf, int off, int len) {
        return send(buf, off, len);
    }

    /** The owner of the sockfs inode (the creator's fsuid and fsgid). */
    protected abstract int ownerUid();

    protected abstract int ownerGid();

    @Override
    final KernelStat stat() {
        // sock_alloc: S_IFSOCK | S_IRWXUGO, one link, no size, blocks of a page.
        return new KernelStat(SOCKFS_DEV, inode, FileMode.S_IFSOCK | 0777, 1, ownerUid(), ownerGid(), 0, 0,
                KernelStat.BLOCK_SIZE, 0, 0, 0, 0, 0, 0, 0);
    }
}
