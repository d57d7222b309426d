package a64emu.guest.net;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileMode;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.ResolvedPath;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kernel's table of bound AF_UNIX names (Linux's {@code unix_socket_table}): path names by
 * the inode of their socket file, so that any path reaching the file (a link, another working
 * directory) finds the socket, and abstract names by their bytes. A path bind creates the
 * socket file in the guest's file system as Linux's mknod of S_IFSOCK does (a real socket node
 * on the host, so that stat and ls show a socket); the file outlives the socket, and connecting
 * to it then is refused. It also wakes the threads and pollers sleeping on a socket, through the
 * kernel's channel wake-up given at construction.
 */
public final class UnixNamespace {
    /** The lock every AF_UNIX socket's state is changed under (Linux's unix_state_lock, kernel-wide). */
    final Object lock = new Object();
    private final Consumer<Object> wakeChannel;
    private final Map<FileKey, UnixSocket> byInode = new HashMap<>();
    private final Map<AbstractKey, UnixSocket> byAbstractName = new HashMap<>();
    private long nextInode = 1;
    private int nextAutobind = 0;

    /** A socket file's identity on the host. */
    private record FileKey(Object dev, Object ino) {}

    /** An abstract name; each socket type has its own (unix_abstract_hash mixes in the type). */
    private record AbstractKey(int type, ByteBuffer name) {
        AbstractKey(int type, byte[] name) {
            this(type, ByteBuffer.wrap(name));
        }
    }

    /** @param wakeChannel the kernel's wake-up of the threads sleeping on a channel (the socket) */
    public UnixNamespace(Consumer<Object> wakeChannel) {
        this.wakeChannel = wakeChannel;
    }

    synchronized long newInode() {
        return nextInode++;
    }

    void wake(UnixSocket s) {
        wakeChannel.accept(s);
        s.waiters.wakeUp();
    }

    /**
     * bind(2) of {@code s} to {@code addr}: a path name creates its socket file with mode
     * 0777 less the umask; called holding {@link #lock}.
     *
     * @throws ErrnoException EADDRINUSE for a name taken or a file there, ENOENT, ENOTDIR, EROFS...
     */
    void bind(UnixSocket s, int type, UnixAddress addr, FileSystem fs) throws ErrnoException {
        if (addr.isAbstract()) {
            AbstractKey key = new AbstractKey(type, addr.abstractBytes());
            if (byAbstractName.containsKey(key)) throw new ErrnoException(Errno.EADDRINUSE);
            byAbstractName.put(key, s);
            return;
        }
        Path host = checkPathFree(addr, fs);
        createSocketFile(host, 0777 & ~fs.currentUmask());
        byInode.put(keyOf(host), s);
    }

    /** The host path a path name would be created at; EADDRINUSE when something is there. */
    Path checkPathFree(UnixAddress addr, FileSystem fs) throws ErrnoException {
        ResolvedPath r = fs.resolve(fs.cwd(), addr.path(), false);
        if (r.exists()) throw new ErrnoException(Errno.EADDRINUSE);
        if (r.isSynthetic() || r.host() == null) throw new ErrnoException(Errno.EACCES);
        if (r.trailingSlash()) throw new ErrnoException(Errno.EISDIR);
        fs.requireWritable();
        return r.host();
    }

    /** autobind: an abstract name of five hex digits nobody holds (unix_autobind). */
    UnixAddress autobind(UnixSocket s, int type) throws ErrnoException {
        for (int tries = 0; tries < 0x100000; tries++) {
            byte[] name = String.format("%05x", nextAutobind).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            nextAutobind = (nextAutobind + 1) & 0xFFFFF;
            AbstractKey key = new AbstractKey(type, name);
            if (!byAbstractName.containsKey(key)) {
                byAbstractName.put(key, s);
                return UnixAddress.abstractName(name);
            }
        }
        throw new ErrnoException(Errno.ENOSPC);
    }

    /** The name goes with its socket (unix_release_sock); a socket file stays behind. */
    void unbind(UnixSocket s, UnixAddress addr, int type) {
        if (addr.isAbstract()) {
            byAbstractName.remove(new AbstractKey(type, addr.abstractBytes()), s);
        } else {
            byInode.values().removeIf(v -> v == s);
        }
    }

    /**
     * The socket bound to {@code addr} (unix_find_other): a path must lead to a socket file
     * (ENOENT if nothing is there, ECONNREFUSED for another kind of file or a file whose
     * socket is gone; EPROTOTYPE for a socket of another type), an abstract name must be
     * bound by a socket of {@code type} (ECONNREFUSED); called holding {@link #lock}.
     */
    UnixSocket find(UnixAddress addr, int type, FileSystem fs) throws ErrnoException {
        if (addr.isAbstract()) {
            UnixSocket s = byAbstractName.get(new AbstractKey(type, addr.abstractBytes()));
            if (s == null) throw new ErrnoException(Errno.ECONNREFUSED);
            return s;
        }
        ResolvedPath r = fs.resolve(fs.cwd(), addr.path(), true);
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.isSynthetic() || r.host() == null || r.isDirectory()) throw new ErrnoException(Errno.ECONNREFUSED);
        int mode;
        try {
            mode = (Integer) Files.getAttribute(r.host(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        if (FileMode.type(mode) != FileMode.S_IFSOCK) throw new ErrnoException(Errno.ECONNREFUSED);
        // path_permission(MAY_WRITE): a socket file the caller may not write is EACCES.
        if (!Files.isWritable(r.host())) throw new ErrnoException(Errno.EACCES);
        UnixSocket s = byInode.get(keyOf(r.host()));
        if (s == null) throw new ErrnoException(Errno.ECONNREFUSED);
        if (s.type() != type) throw new ErrnoException(Errno.EPROTOTYPE);
        return s;
    }

    private static FileKey keyOf(Path host) throws ErrnoException {
        try {
            return new FileKey(Files.getAttribute(host, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                    Files.getAttribute(host, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    /**
     * Makes a socket node at {@code host}: the JDK binds a host AF_UNIX socket there and closes
     * it, which leaves the node (Java has no mknod). A host path too long for sun_path is made
     * in a short temporary directory and renamed into place.
     */
    private static void createSocketFile(Path host, int mode) throws ErrnoException {
        try {
            if (host.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 100) {
                bindAndClose(host);
            } else {
                Path dir = Files.createTempDirectory("a64s");
                Path tmp = dir.resolve("s");
                try {
                    bindAndClose(tmp);
                    Files.move(tmp, host, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                    Files.deleteIfExists(dir);
                }
            }
            Files.setPosixFilePermissions(host, permissions(mode));
        } catch (FileAlreadyExistsException e) {
            throw new ErrnoException(Errno.EADDRINUSE);
        } catch (java.net.BindException e) {
            throw Files.exists(host, LinkOption.NOFOLLOW_LINKS) ? new ErrnoException(Errno.EADDRINUSE)
                    : new ErrnoException(Errno.EACCES);
        } catch (IOException e) {
            throw ErrnoException.from(e);
        }
    }

    private static void bindAndClose(Path p) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(p));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) s.add(order[bit]);
        }
        return s;
    }
}
