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
    /** The name it was opened by (null on a /proc node), checked before each use: see {@link HostName}. */
    private final HostName name;
    private final boolean directory;
    private final SyntheticNode synthetic;
    private final long syntheticDevice;

    PathOnlyFile(Path root, String guestPath, Path host, boolean directory, int flags) throws ErrnoException {
        // O_PATH descriptions have no access mode: f_mode is FMODE_PATH only (fs/open.c).
        super(guestPath, (flags & ~O_ACCMODE) | 3);
        this.name = HostName.of(root, host);
        this.directory = directory;
        this.synthetic = null;
        this.syntheticDevice = 0;
    }

    /** O_PATH on a node of the /proc tree: no host path behind it. */
    PathOnlyFile(String guestPath, SyntheticNode node, long device, int flags) {
        super(guestPath, (flags & ~O_ACCMODE) | 3);
        this.name = null;
        this.directory = node.kind() == SyntheticNode.Kind.DIRECTORY;
        this.synthetic = node;
        this.syntheticDevice = device;
    }

    /** The name it was opened by, or null on a node of the /proc tree. */
    HostName name() {
        return name;
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
        return name.stat();
    }
}
