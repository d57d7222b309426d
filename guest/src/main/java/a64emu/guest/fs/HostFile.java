package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A host file opened through a FileChannel: regular files, and character devices or FIFOs the
 * guest names (/dev/null, /dev/urandom). Regular files are read and written at the description's
 * own offset with positional I/O, so dup'ed descriptors share it as in Linux; other kinds are
 * streams (positional I/O gives ESPIPE on them).
 */
final class HostFile extends OpenFile {
    /** The name it was opened by, with the stat taken then, so fstat still answers after the name goes. */
    private final HostName name;
    private final FileChannel channel;
    private final boolean regular;
    private long position;

    private HostFile(String guestPath, HostName name, FileChannel channel, boolean regular, int flags) {
        super(guestPath, flags);
        this.name = name;
        this.channel = channel;
        this.regular = regular;
    }

    /** The host file's name, checked: see {@link HostName}. */
    HostName name() {
        return name;
    }

    /**
     * Opens {@code host}, a name below {@code root} the walk has just resolved (so trusted at
     * this moment), with the host's own open: {@code options} carry NOFOLLOW_LINKS.
     */
    static HostFile open(Path root, String guestPath, Path host, int flags, Set<OpenOption> options, boolean regular)
            throws ErrnoException {
        FileChannel ch;
        try {
            ch = FileChannel.open(host, options);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        try {
            return new HostFile(guestPath, HostName.of(root, host), ch, regular, flags);
        } catch (ErrnoException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing after a failed stat: the open itself is already being reported as failed.
        }
    }

    @Override
    public boolean isRegularFile() {
        return regular;
    }

    @Override
    public long size() {
        try {
            return regular ? channel.size() : 0;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    public int readAt(long pos, byte[] dst, int off, int len) {
        if (!regular) return -Errno.ENODEV;
        long n = pread(dst, off, len, pos);
        return (int) n;
    }

    @Override
    long read(byte[] buf, int off, int len) {
        if (!regular) return streamRead(buf, off, len);
        synchronized (this) {
            long n = pread(buf, off, len, position);
            if (n > 0) position += n;
            return n;
        }
    }

    private long streamRead(byte[] buf, int off, int len) {
        try {
            int n = channel.read(ByteBuffer.wrap(buf, off, len));
            return n < 0 ? 0 : n;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    long write(byte[] buf, int off, int len) {
        if (!regular) {
            try {
                return writeFully(ByteBuffer.wrap(buf, off, len), -1);
            } catch (IOException e) {
                return -ErrnoException.errnoOf(e);
            }
        }
        synchronized (this) {
            try {
                long at = appending() ? channel.size() : position;
                long n = writeFully(ByteBuffer.wrap(buf, off, len), at);
                position = at + n;
                return n;
            } catch (IOException e) {
                return -ErrnoException.errnoOf(e);
            }
        }
    }

    private long writeFully(ByteBuffer b, long at) throws IOException {
        long total = 0;
        while (b.hasRemaining()) {
            int n = at < 0 ? channel.write(b) : channel.write(b, at + total);
            total += n;
        }
        return total;
    }

    @Override
    long pread(byte[] buf, int off, int len, long pos) {
        if (!regular) return -Errno.ESPIPE;
        if (pos < 0) return -Errno.EINVAL;
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            long total = 0;
            // FileChannel may return short counts; a regular file read is short only at EOF.
            while (b.hasRemaining()) {
                int n = channel.read(b, pos + total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    long pwrite(byte[] buf, int off, int len, long pos) {
        if (!regular) return -Errno.ESPIPE;
        if (pos < 0) return -Errno.EINVAL;
        try {
            return writeFully(ByteBuffer.wrap(buf, off, len), pos);
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    long truncate(long length) {
        if (!regular) return -Errno.EINVAL;
        try {
            long size = channel.size();
            if (length < size) {
                channel.truncate(length);
            } else if (length > size) {
                // FileChannel cannot extend a file: one zero byte at the new end does, sparsely.
                writeFully(ByteBuffer.wrap(new byte[1]), length - 1);
            }
            return 0;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    int fsync(boolean dataOnly) {
        if (!regular) return -Errno.EINVAL;
        try {
            channel.force(!dataOnly);
            return 0;
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    /**
     * fallocate(2) as tmpfs does it (shmem_fallocate): plain allocation (the file grows to
     * offset+len unless FALLOC_FL_KEEP_SIZE), and PUNCH_HOLE|KEEP_SIZE, which zeroes the range
     * inside the file. The JDK cannot reserve blocks or make holes, so the bytes read are Linux's
     * but the host file is not made sparse. Any other mode is EOPNOTSUPP, as on tmpfs.
     */
    @Override
    long allocate(int mode, long offset, long len) {
        if (!regular) return -Errno.ENODEV;
        try {
            synchronized (this) {
                long size = channel.size();
                long end = offset + len;
                if (mode == FileSpace.FALLOC_FL_PUNCH_HOLE_KEEP_SIZE) {
                    long stop = Math.min(end, size);
                    byte[] zeros = new byte[64 * 1024];
                    for (long at = offset; at < stop; at += zeros.length) {
                        writeFully(ByteBuffer.wrap(zeros, 0, (int) Math.min(zeros.length, stop - at)), at);
                    }
                    return 0;
                }
                if ((mode & ~FileSpace.FALLOC_FL_KEEP_SIZE) != 0) return -Errno.ENOTSUP;
                if ((mode & FileSpace.FALLOC_FL_KEEP_SIZE) == 0 && end > size) {
                    writeFully(ByteBuffer.wrap(new byte[1]), end - 1);
                }
                return 0;
            }
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
    }

    @Override
    synchronized long lseek(long offset, int whence) {
        if (!regular) return -Errno.ESPIPE;
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            return -ErrnoException.errnoOf(e);
        }
        long target = seekTarget(position, size, offset, whence);
        if (target < 0) return target;
        position = target;
        return target;
    }

    @Override
    KernelStat stat() throws ErrnoException {
        Path p = name.current();
        try {
            if (p != null) return KernelStat.ofHostPath(p);
        } catch (NoSuchFileException e) {
            // Gone since the check: as below.
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
        // The name no longer leads to our file (unlinked, renamed over, a directory on the way
        // moved): report ours as fstat on the inode would, with the size the channel knows.
        return name.statAtOpen().withSize(Math.max(0, size()));
    }

    @Override
    protected void closeResource() {
        closeQuietly(channel);
    }
}
