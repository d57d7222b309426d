package a64emu.tools.gdb;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.KernelStat;
import a64emu.guest.fs.ResolvedPath;
import a64emu.guest.fs.SyntheticNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * GDB's Host I/O packets ({@code vFile:}, gdb manual "Host I/O Packets"): how GDB reads
 * {@code target:} files, the executable that {@code qXfer:exec-file} names first of all.
 *
 * <p>Files are named as the guest names them: each path is walked by the guest kernel's
 * {@link FileSystem} of the selected process (its root and cwd, its /proc), so a run under
 * {@code --root} shows GDB nothing outside the root. Only reading is offered: an open for
 * writing, unlink and pwrite fail, as on a read-only mount.
 *
 * <p>Replies are {@code F result[,errno][;attachment]}, numbers in hex, errno in GDB's
 * File-I/O numbering ({@link #fileIoErrno}), the attachment escaped binary.
 */
final class HostIo implements AutoCloseable {
    /** The File-I/O open flags (gdb manual "Open Flags"); any but O_RDONLY asks to write. */
    static final int FILEIO_O_WRONLY = 0x1;
    static final int FILEIO_O_RDWR = 0x2;
    static final int FILEIO_O_APPEND = 0x8;
    static final int FILEIO_O_CREAT = 0x200;
    static final int FILEIO_O_TRUNC = 0x400;
    static final int FILEIO_O_EXCL = 0x800;
    private static final int FILEIO_WRITE_FLAGS =
            FILEIO_O_WRONLY | FILEIO_O_RDWR | FILEIO_O_APPEND | FILEIO_O_CREAT | FILEIO_O_TRUNC | FILEIO_O_EXCL;

    /** The File-I/O mode bits (gdb manual "mode_t Values"): three file types and the permissions. */
    static final int FILEIO_S_IFREG = 0100000;
    static final int FILEIO_S_IFDIR = 040000;
    static final int FILEIO_S_IFCHR = 020000;

    /** File-I/O's errno for anything it has no number for. */
    static final int FILEIO_EUNKNOWN = 9999;
    /** Linux errno to File-I/O errno (gdb manual "Errno Values"); the same but ENAMETOOLONG. */
    private static final Map<Integer, Integer> FILEIO_ERRNO = Map.ofEntries(
            Map.entry(Errno.EPERM, 1), Map.entry(Errno.ENOENT, 2), Map.entry(Errno.EINTR, 4),
            Map.entry(Errno.EBADF, 9), Map.entry(Errno.EACCES, 13), Map.entry(Errno.EFAULT, 14),
            Map.entry(Errno.EBUSY, 16), Map.entry(Errno.EEXIST, 17), Map.entry(Errno.ENODEV, 19),
            Map.entry(Errno.ENOTDIR, 20), Map.entry(Errno.EISDIR, 21), Map.entry(Errno.EINVAL, 22),
            Map.entry(Errno.ENFILE, 23), Map.entry(Errno.EMFILE, 24), Map.entry(Errno.EFBIG, 27),
            Map.entry(Errno.ENOSPC, 28), Map.entry(Errno.ESPIPE, 29), Map.entry(Errno.EROFS, 30),
            Map.entry(Errno.ENAMETOOLONG, 91));

    /** GDB's struct stat (gdb manual "struct stat"): 7 u32, 3 u64, 3 u32 time_t, big-endian. */
    static final int FILEIO_STAT_SIZE = 64;

    /** The most descriptors GDB may hold at once (it closes each file it read). */
    private static final int MAX_OPEN = 64;

    /**
     * The file system of the process a pid of {@code vFile:setfs} names (0: the followed
     * one), or null if there is no such process (any more).
     */
    private final IntFunction<FileSystem> fileSystems;
    /** The largest attachment a reply carries before escaping (escaping may double it). */
    private final int maxAttachment;
    private int fsPid;
    private final Map<Integer, GuestFile> open = new TreeMap<>();

    HostIo(IntFunction<FileSystem> fileSystems, int maxAttachment) {
        this.fileSystems = fileSystems;
        this.maxAttachment = maxAttachment;
    }

    /** The reply to {@code vFile:OPERATION:ARGS} (without "vFile:"); empty for what is not served. */
    String reply(String request) {
        int colon = request.indexOf(':');
        String operation = colon < 0 ? request : request.substring(0, colon);
        String[] args = colon < 0 ? new String[0] : request.substring(colon + 1).split(",", -1);
        try {
            return switch (operation) {
                case "setfs" -> setfs(Hex.count(args[0]));
                case "open" -> open(path(args[0]), Hex.count(args[1]));
                case "close" -> close(Hex.count(args[0]));
                case "pread" -> pread(Hex.count(args[0]), Hex.count(args[1]), Hex.number(args[2]));
                case "pwrite" -> failure(Errno.EBADF); // every descriptor is read-only
                case "fstat" -> fstat(Hex.count(args[0]));
                case "readlink" -> readlink(path(args[0]));
                case "unlink" -> failure(Errno.EROFS);
                default -> "";
            };
        } catch (ErrnoException e) {
            return failure(e.errno());
        }
    }

    /** Closes every file GDB left open (the session's end). */
    @Override
    public void close() {
        for (GuestFile f : open.values()) {
            f.close();
        }
        open.clear();
    }

    /** Linux {@code errno} in File-I/O's numbering. */
    static int fileIoErrno(int errno) {
        return FILEIO_ERRNO.getOrDefault(errno, FILEIO_EUNKNOWN);
    }

    static String failure(int errno) {
        return "F-1," + Integer.toHexString(fileIoErrno(errno));
    }

    // ---- the operations --------------------------------------------------------------------

    private String setfs(int pid) throws ErrnoException {
        fileSystem(pid); // the process must exist now
        fsPid = pid;
        return "F0";
    }

    private String open(String path, int flags) throws ErrnoException {
        if ((flags & FILEIO_WRITE_FLAGS) != 0) {
            throw new ErrnoException(Errno.EROFS);
        }
        if (open.size() >= MAX_OPEN) {
            throw new ErrnoException(Errno.EMFILE);
        }
        FileSystem fs = fileSystem(fsPid);
        ResolvedPath r = fs.resolve(fs.cwd(), path, true);
        if (!r.exists()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (r.isDirectory()) {
            throw new ErrnoException(Errno.EISDIR);
        }
        GuestFile f = r.isSynthetic() ? SyntheticFile.open(r.synthetic()) : HostFile.open(r);
        int fd = 0;
        while (open.containsKey(fd)) {
            fd++;
        }
        open.put(fd, f);
        return "F" + Integer.toHexString(fd);
    }

    private String close(int fd) throws ErrnoException {
        GuestFile f = open.remove(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        f.close();
        return "F0";
    }

    private String pread(int fd, int count, long offset) throws ErrnoException {
        GuestFile f = file(fd);
        byte[] data = new byte[Math.min(count, maxAttachment)];
        int n = f.pread(offset, data);
        return "F" + Integer.toHexString(n) + ";" + PacketChannel.escape(data, 0, n);
    }

    private String fstat(int fd) throws ErrnoException {
        byte[] stat = encodeStat(file(fd).stat());
        return "F" + Integer.toHexString(stat.length) + ";" + PacketChannel.escape(stat, 0, stat.length);
    }

    private String readlink(String path) throws ErrnoException {
        FileSystem fs = fileSystem(fsPid);
        ResolvedPath r = fs.resolve(fs.cwd(), path, false);
        if (!r.exists()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (!r.isSymbolicLink()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        String target;
        if (r.isSynthetic()) {
            target = r.synthetic().linkTarget();
        } else {
            try {
                target = Files.readSymbolicLink(r.host()).toString();
            } catch (IOException e) {
                throw ErrnoException.from(e);
            }
        }
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        return "F" + Integer.toHexString(bytes.length) + ";" + PacketChannel.escape(bytes, 0, bytes.length);
    }

    private GuestFile file(int fd) throws ErrnoException {
        GuestFile f = open.get(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    private FileSystem fileSystem(int pid) throws ErrnoException {
        FileSystem fs = fileSystems.apply(pid);
        if (fs == null) {
            throw new ErrnoException(Errno.EINVAL); // File-I/O has no ESRCH
        }
        return fs;
    }

    /** A hex-encoded path argument (GDB sends names as hex). */
    private static String path(String hex) throws ErrnoException {
        String path = new String(Hex.decode(hex), StandardCharsets.UTF_8);
        if (path.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return path;
    }

    /** GDB's struct stat of {@code s}: wider values are cut to the field, as the manual allows. */
    static byte[] encodeStat(KernelStat s) {
        int type = switch (FileMode.type(s.mode())) {
            case FileMode.S_IFREG -> FILEIO_S_IFREG;
            case FileMode.S_IFDIR -> FILEIO_S_IFDIR;
            case FileMode.S_IFCHR -> FILEIO_S_IFCHR;
            default -> 0;
        };
        ByteBuffer b = ByteBuffer.allocate(FILEIO_STAT_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt((int) s.dev()).putInt((int) s.ino()).putInt(type | (s.mode() & 0777)).putInt(s.nlink())
                .putInt(s.uid()).putInt(s.gid()).putInt((int) s.rdev())
                .putLong(s.size()).putLong(s.blksize()).putLong(s.blocks())
                .putInt((int) s.atimeSec()).putInt((int) s.mtimeSec()).putInt((int) s.ctimeSec());
        return b.array();
    }

    // ---- the files -------------------------------------------------------------------------

    /** One file GDB opened. */
    private interface GuestFile {
        /** Up to {@code into.length} bytes at {@code offset}; the count, 0 at the end. */
        int pread(long offset, byte[] into) throws ErrnoException;

        KernelStat stat() throws ErrnoException;

        void close();
    }

    /**
     * A file of the guest's root: its host path is where the guest's walk ended (inside the
     * root), opened read-only without following a link (the walk already followed them).
     */
    private record HostFile(FileChannel channel, java.nio.file.Path host) implements GuestFile {
        static HostFile open(ResolvedPath r) throws ErrnoException {
            try {
                return new HostFile(FileChannel.open(r.host(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                        r.host());
            } catch (IOException e) {
                throw ErrnoException.from(e);
            }
        }

        @Override
        public int pread(long offset, byte[] into) throws ErrnoException {
            try {
                int n = channel.read(ByteBuffer.wrap(into), offset);
                return Math.max(n, 0);
            } catch (IOException e) {
                throw ErrnoException.from(e);
            }
        }

        @Override
        public KernelStat stat() throws ErrnoException {
            try {
                return KernelStat.ofHostPath(host);
            } catch (IOException e) {
                throw ErrnoException.from(e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // A read-only channel has nothing to flush: its close cannot lose data.
            }
        }
    }

    /**
     * A regular file the kernel generates (/proc, /sys): one snapshot of its contents at open,
     * as a reader of a seq_file sees. Files read in place (pagemap) and devices are refused.
     */
    private record SyntheticFile(SyntheticNode node, byte[] contents) implements GuestFile {
        static SyntheticFile open(SyntheticNode node) throws ErrnoException {
            if (node.kind() != SyntheticNode.Kind.REGULAR || node.openReader() != null) {
                throw new ErrnoException(Errno.EACCES);
            }
            return new SyntheticFile(node, node.contents());
        }

        @Override
        public int pread(long offset, byte[] into) {
            if (offset >= contents.length) {
                return 0;
            }
            int n = (int) Math.min(into.length, contents.length - offset);
            System.arraycopy(contents, (int) offset, into, 0, n);
            return n;
        }

        @Override
        public KernelStat stat() {
            return new KernelStat(0, node.inode(), FileMode.S_IFREG | node.permissions(), 1, node.uid(), node.gid(),
                    0, contents.length, KernelStat.BLOCK_SIZE, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public void close() {}
    }
}
