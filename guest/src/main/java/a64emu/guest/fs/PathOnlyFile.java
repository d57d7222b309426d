package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A descriptor opened with O_PATH: it names a file (or directory, or with O_NOFOLLOW the link
 * itself) without opening it, for use as a dirfd, with fstat and with AT_EMPTY_PATH. read/write
 * fail with EBADF as in Linux (the description has neither read nor write mode).
 */
final class PathOnlyFile extends OpenFile {
    private final Path host;
    private final boolean directory;
    private final SyntheticNode synthetic;
    private final long syntheticDevice;

    PathOnlyFile(String guestPath, Path host, boolean directory, int flags) {
        // O_PATH descriptions have no access mode: f_mode is FMODE_PATH only (fs/open.c).
        super(guestPath, (flags & ~O_ACCMODE) | 3);
        this.host = host;
        this.directory = directory;
        this.synthetic = null;
        this.syntheticDevice = 0;
    }

    /** O_PATH on a node of the /proc tree: no host path behind it. */
    PathOnlyFile(String guestPath, SyntheticNode node, long device, int flags) {
        super(guestPath, (flags & ~O_ACCMODE) | 3);
        this.host = null;
        this.directory = node.kind() == SyntheticNode.Kind.DIRECTORY;
        this.synthetic = node;
        this.syntheticDevice = device;
    }

    /** The host file named, or null for a node of /proc. */
    Path host() {
        return host;
    }

    @Override
    public boolean isDirectory() {
        return directory;
    }

    @Override
    synchronized int statusFlagsForGetfl() {
        // F_GETFL on an O_PATH fd reports O_PATH alone (checked under qemu-aarch64).
        return O_PATH;
    }

    @Override
    KernelStat stat() throws ErrnoException {
        if (synthetic != null) return SyntheticDirectory.statOf(synthetic, syntheticDevice);
        try {
            return KernelStat.ofHostPath(host);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }
}
