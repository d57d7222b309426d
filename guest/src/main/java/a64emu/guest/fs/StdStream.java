package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Descriptor 0, 1 or 2 of the first guest process, backed by a Java stream. Reads take what
 * has arrived ({@link HostInput}) and otherwise sleep in the kernel, so other guest threads
 * run meanwhile; every write is flushed at once so the guest's stdout and stderr interleave on the host
 * as they would on Linux (the guest's libc does its own buffering).
 *
 * <p>What fstat and isatty report: when the stream is the JVM's own System.in/out/err, its host
 * descriptor is stat'ed through /proc/self/fd/N (a pty, a pipe, a regular file after redirection),
 * and it counts as a terminal when that is a character device and {@code System.console() != null}
 * (the JDK's own test: stdin and stdout are ttys). Any other stream (a test's byte array, a
 * harness's capture) reports a FIFO, S_IFIFO|0600, as a shell pipe would, and is not a terminal;
 * glibc then fully buffers stdout, just as when a Linux program writes into a pipe.
 */
final class StdStream extends OpenFile {
    private final HostInput in;
    private final OutputStream out;
    private final int fd;
    private final KernelStat hostStat;
    private final boolean terminal;

    private StdStream(int fd, InputStream in, OutputStream out, int flags) {
        super(fd == 0 ? "pipe:[stdin]" : fd == 1 ? "pipe:[stdout]" : "pipe:[stderr]", flags);
        this.fd = fd;
        this.in = in == null ? null : new HostInput(in);
        this.out = out;
        this.hostStat = isJvmStream(fd, in, out) ? hostDescriptorStat(fd) : null;
        this.terminal = hostStat != null && System.console() != null
                && FileMode.type(hostStat.mode()) == FileMode.S_IFCHR;
    }

    static StdStream input(InputStream in) {
        return new StdStream(0, in, null, O_RDONLY);
    }

    static StdStream output(int fd, OutputStream out) {
        return new StdStream(fd, null, out, O_WRONLY);
    }

    private static boolean isJvmStream(int fd, InputStream in, OutputStream out) {
        try {
            return switch (fd) {
                case 0 -> in == System.in || in instanceof FileInputStream f && f.getFD() == FileDescriptor.in;
                case 1 -> out == System.out || out instanceof FileOutputStream f && f.getFD() == FileDescriptor.out;
                default -> out == System.err || out instanceof FileOutputStream f && f.getFD() == FileDescriptor.err;
            };
        } catch (IOException e) {
            return false;
        }
    }

    /** stat(2) of the JVM's own descriptor; null where /proc/self/fd does not exist. */
    private static KernelStat hostDescriptorStat(int fd) {
        Path p = Path.of("/proc/self/fd/" + fd);
        try {
            return KernelStat.ofUnixAttributes(Files.readAttributes(p, "unix:*")); // follows the magic link
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public boolean isTerminal() {
        return terminal;
    }

    /** What has arrived of the host stream; -EAGAIN when nothing has yet (the reader sleeps on {@link #waitChannel}). */
    @Override
    long read(byte[] buf, int off, int len) {
        if (in == null) return -Errno.EBADF;
        int n = in.read(buf, off, len);
        return switch (n) {
            case HostInput.WOULD_BLOCK -> -Errno.EAGAIN;
            case HostInput.FAILED -> -Errno.EIO;
            default -> n;
        };
    }

    @Override
    public Object waitChannel() {
        return in;
    }

    /**
     * Standard input is ready as the host delivers (a host regular file always is, as on
     * Linux); the output streams are always writable, the host taking what they write.
     */
    @Override
    public int poll(PollTable table) {
        if (in == null) {
            return PollTable.POLLOUT | PollTable.POLLWRNORM;
        }
        if (hostStat != null && FileMode.type(hostStat.mode()) == FileMode.S_IFREG) {
            return PollTable.DEFAULT_POLLMASK;
        }
        return in.poll(table);
    }

    /** A tty or a pipe: both have a poll method. */
    @Override
    public boolean canPoll() {
        return hostStat == null || FileMode.type(hostStat.mode()) != FileMode.S_IFREG;
    }

    @Override
    long write(byte[] buf, int off, int len) {
        if (out == null) return -Errno.EBADF;
        try {
            out.write(buf, off, len);
            out.flush();
            return len;
        } catch (IOException e) {
            return brokenPipe(e) ? -Errno.EPIPE : -Errno.EIO;
        }
    }

    /**
     * The host's write(2) failed with EPIPE: the JVM ignores SIGPIPE, and the JDK reports the
     * errno only through strerror's text. The guest must see what Linux gives a writer to a
     * pipe with no reader, EPIPE and SIGPIPE ({@code yes | head} ends with status 141).
     */
    private static boolean brokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    @Override
    public boolean writeEpipeRaisesSigpipe() {
        return out != null;
    }

    @Override
    KernelStat stat() {
        if (hostStat != null) return hostStat;
        // A pipe on Linux: pipefs device, no owner beyond the process, blksize one page.
        return new KernelStat(0, 0, FileMode.S_IFIFO | 0600, 1, 0, 0, 0, 0, KernelStat.BLOCK_SIZE, 0,
                0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "StdStream(fd " + fd + (terminal ? ", tty" : "") + ")";
    }
}
