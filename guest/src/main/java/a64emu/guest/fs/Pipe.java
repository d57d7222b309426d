package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.util.function.Consumer;

/**
 * An anonymous pipe, Linux {@code fs/pipe.c}: a 64 KiB ring buffer between a read end and a
 * write end, each an open file description of its own. The ends never sleep themselves:
 * a read of an empty pipe with a writer left, or a write to a full one, answers -EAGAIN,
 * and the kernel turns that into sleeping (unless O_NONBLOCK) until {@code onChange}
 * reports that the pipe moved. A read with no writer left is end of file; a write with no
 * reader left is EPIPE (the kernel adds SIGPIPE). Writes of at most PIPE_BUF bytes are
 * atomic.
 */
public final class Pipe {
    /** Linux's default pipe size: 16 pages. */
    public static final int CAPACITY = 65536;
    /** Writes up to this size are never interleaved with others (POSIX PIPE_BUF). */
    public static final int PIPE_BUF = 4096;
    private static long nextInode = 1;

    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int size;
    private int readers = 1;
    private int writers = 1;
    /** Opens of a FIFO for reading and for writing so far (r_counter, w_counter): what a blocking open waits to see move. */
    private long readerOpens;
    private long writerOpens;
    private final long inode;
    private final Consumer<Pipe> onChange;
    /** The pollers of both ends (Linux's rd_wait and wr_wait, told apart by the wake-up's events). */
    private final WaitQueue pollers = new WaitQueue();
    public final ReadEnd readEnd;
    public final WriteEnd writeEnd;

    /** A new pipe; {@code flags} may hold O_NONBLOCK (both ends) and O_DIRECT (ignored: no packet mode). */
    public Pipe(int flags, Consumer<Pipe> onChange) {
        synchronized (Pipe.class) {
            this.inode = nextInode++;
        }
        this.onChange = onChange;
        this.readEnd = new ReadEnd(flags & O_NONBLOCK);
        this.writeEnd = new WriteEnd(flags & O_NONBLOCK);
    }

    /** The pipe of a FIFO (a named pipe), with no end open yet: each open(2) adds one ({@link #openFifo}). */
    Pipe(Consumer<Pipe> onChange) {
        synchronized (Pipe.class) {
            this.inode = nextInode++;
        }
        this.onChange = onChange;
        this.readers = 0;
        this.writers = 0;
        this.readEnd = null;
        this.writeEnd = null;
    }

    /** Whether no end is open (a FIFO's pipe is then freed, its bytes with it). */
    synchronized boolean unused() {
        return readers == 0 && writers == 0;
    }

    /**
     * fifo_open: one more end for an open of the FIFO named {@code name} (stat from it) with
     * the open's flags, counted in at once so that a waiting partner sees it; -ENXIO for a
     * nonblocking writer with no reader, -EINVAL for access mode 3.
     */
    Object openFifo(String guestPath, HostName name, int flags) {
        boolean read = readsAllowed(flags);
        boolean write = writesAllowed(flags);
        if ((flags & O_ACCMODE) == O_ACCMODE) return -Errno.EINVAL;
        FifoEnd end;
        synchronized (this) {
            if (write && !read && (flags & O_NONBLOCK) != 0 && readers == 0) return -Errno.ENXIO;
            if (read) {
                readerOpens++;
                readers++;
            }
            if (write) {
                writerOpens++;
                writers++;
            }
            // wait_for_partner only when no end of the other kind is open now.
            boolean waits = read != write && (flags & O_NONBLOCK) == 0 && (read ? writers == 0 : readers == 0);
            end = new FifoEnd(guestPath, name, flags, !waits ? -1 : read ? writerOpens : readerOpens,
                    read && !write && (flags & O_NONBLOCK) != 0 ? writerOpens : 0);
        }
        onChange.accept(this); // wake_up_partner
        pollers.wakeUp();
        return end;
    }

    /**
     * An end of a FIFO opened by name: readable, writable or both as opened. The stat is the
     * FIFO file's own. A blocking open for one direction waits until an open for the other
     * has been made since it began ({@link #partnerArrived}): O_RDWR never waits, a nonblocking
     * reader does not either.
     */
    public final class FifoEnd extends End {
        private final HostName name;
        /** The partner's open count when this open began; -1 when it need not wait. */
        private final long partnerOpensAtStart;
        /**
         * fifo_open's f_version: for a nonblocking reader, the writers' open count at its open;
         * until another writer opens, no writer is no hang-up (POLLHUP is suppressed).
         */
        private final long writerOpensSeen;

        FifoEnd(String guestPath, HostName name, int flags, long partnerOpensAtStart, long writerOpensSeen) {
            super(guestPath, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC));
            this.name = name;
            this.partnerOpensAtStart = partnerOpensAtStart;
            this.writerOpensSeen = writerOpensSeen;
        }

        @Override
        public int poll(PollTable table) {
            int mask = super.poll(table);
            synchronized (Pipe.this) {
                return writerOpens == writerOpensSeen ? mask & ~PollTable.POLLHUP : mask;
            }
        }

        /** Whether the open may return: no wait needed, or a partner has opened since it began. */
        public boolean partnerArrived() {
            synchronized (Pipe.this) {
                if (partnerOpensAtStart < 0) return true;
                long now = readable() ? writerOpens : readerOpens;
                return now != partnerOpensAtStart;
            }
        }

        /** The FIFO file's name, checked before use (fsnotify's events name it). */
        HostName name() {
            return name;
        }

        /** What a waiting open sleeps on (the pipe: its partner's open wakes it). */
        public Object partnerChannel() {
            return Pipe.this;
        }

        @Override
        public boolean writeEpipeRaisesSigpipe() {
            return true;
        }

        @Override
        long read(byte[] buf, int off, int len) {
            return readBytes(buf, off, len);
        }

        @Override
        long write(byte[] buf, int off, int len) {
            return writeBytes(buf, off, len);
        }

        @Override
        KernelStat stat() throws ErrnoException {
            return name.stat();
        }

        @Override
        void countClosed() {
            if (readable()) readers--;
            if (writable()) writers--;
        }
    }

    private String name() {
        return "pipe:[" + inode + "]";
    }

    private KernelStat fifoStat() {
        // pipefs: no device, the pipe's inode, a FIFO readable and writable by its owner.
        return new KernelStat(0, inode, FileMode.S_IFIFO | 0600, 1, 0, 0, 0, size, KernelStat.BLOCK_SIZE, 0,
                0, 0, 0, 0, 0, 0);
    }

    /** The pipe behind a descriptor's file, or null if it is not a pipe end. */
    public static Pipe of(OpenFile f) {
        return f instanceof End e ? e.pipe() : null;
    }

    /** What the two ends share: the pipe's name and stat, and counting themselves out on close. */
    private abstract class End extends OpenFile {
        End(int openFlags) {
            super(name(), openFlags);
        }

        End(String guestPath, int openFlags) {
            super(guestPath, openFlags);
        }

        @Override
        public boolean writeEpipeRaisesSigpipe() {
            return true;
        }

        Pipe pipe() {
            return Pipe.this;
        }

        @Override
        public Object waitChannel() {
            return Pipe.this;
        }

        @Override
        KernelStat stat() throws ErrnoException {
            return fifoStat();
        }

        @Override
        public boolean canPoll() {
            return true;
        }

        /**
         * pipe_poll: the read end is readable with data, hung up with no writer left; the
         * write end writable while a PIPE_BUF write would go in at once (Linux counts free
         * slots, of a page each), in error with no reader left.
         */
        @Override
        public int poll(PollTable table) {
            PollTable.wait(table, pollers);
            synchronized (Pipe.this) {
                int mask = 0;
                if (readable()) {
                    if (size > 0) {
                        mask |= PollTable.POLLIN | PollTable.POLLRDNORM;
                    }
                    if (writers == 0) {
                        mask |= PollTable.POLLHUP;
                    }
                }
                if (writable()) {
                    if (CAPACITY - size >= PIPE_BUF) {
                        mask |= PollTable.POLLOUT | PollTable.POLLWRNORM;
                    }
                    if (readers == 0) {
                        mask |= PollTable.POLLERR;
                    }
                }
                return mask;
            }
        }

        @Override
        protected final void closeResource() {
            synchronized (Pipe.this) {
                countClosed();
            }
            onChange.accept(Pipe.this);
            pollers.wakeUp(); // pipe_release: wake_up_interruptible_all on both queues
        }

        /** One fewer end of this kind is open; called holding the pipe's lock. */
        abstract void countClosed();
    }

    public final class ReadEnd extends End {
        ReadEnd(int flags) {
            super(O_RDONLY | flags);
        }

        @Override
        long read(byte[] buf, int off, int len) {
            return readBytes(buf, off, len);
        }

        @Override
        void countClosed() {
            readers--;
        }
    }

    /** pipe_read: what an end that reads gets. */
    private long readBytes(byte[] buf, int off, int len) {
        int n;
        synchronized (this) {
            if (len == 0) {
                return 0;
            }
            if (size == 0) {
                return writers == 0 ? 0 : -Errno.EAGAIN;
            }
            n = Math.min(len, size);
            for (int i = 0; i < n; i++) {
                buf[off + i] = ring[(head + i) % CAPACITY];
            }
            head = (head + n) % CAPACITY;
            size -= n;
        }
        onChange.accept(this);
        pollers.wakeUp(PollTable.POLLOUT | PollTable.POLLWRNORM);
        return n;
    }

    public final class WriteEnd extends End {
        WriteEnd(int flags) {
            super(O_WRONLY | flags);
        }

        @Override
        long write(byte[] buf, int off, int len) {
            return writeBytes(buf, off, len);
        }

        @Override
        void countClosed() {
            writers--;
        }
    }

    /** pipe_write: what an end that writes gets. */
    private long writeBytes(byte[] buf, int off, int len) {
        int n;
        synchronized (this) {
            if (readers == 0) {
                return -Errno.EPIPE;
            }
            if (len == 0) {
                return 0;
            }
            int free = CAPACITY - size;
            if (free == 0 || (len <= PIPE_BUF && free < len)) {
                return -Errno.EAGAIN;
            }
            n = Math.min(len, free);
            for (int i = 0; i < n; i++) {
                ring[(head + size + i) % CAPACITY] = buf[off + i];
            }
            size += n;
        }
        onChange.accept(this);
        pollers.wakeUp(PollTable.POLLIN | PollTable.POLLRDNORM);
        return n;
    }

    /** Bytes waiting to be read (splice and tee size their moves by it). */
    public synchronized int available() {
        return size;
    }

    /** Room left for writing. */
    public synchronized int space() {
        return CAPACITY - size;
    }

    /**
     * tee(2)'s read: copies up to {@code len} waiting bytes without consuming them. The count,
     * 0 at end of file (empty, no writer left), or -EAGAIN when empty with a writer.
     */
    public synchronized int peek(byte[] buf, int off, int len) {
        if (size == 0) return writers == 0 ? 0 : -Errno.EAGAIN;
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            buf[off + i] = ring[(head + i) % CAPACITY];
        }
        return n;
    }
}
