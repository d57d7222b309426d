package a64emu.guest.fs;

import static a64emu.guest.fs.OpenFlags.*;

import a64emu.guest.Errno;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;

/**
 * Extended attributes (fs/xattr.c): the setxattr, getxattr, listxattr and removexattr
 * families. The "user." namespace is the host file's own user attributes, through the JDK's
 * UserDefinedFileAttributeView (Linux's fgetxattr family underneath), so a host file system
 * without them answers EOPNOTSUPP as Linux does. Linux's xattr_permission rules come first:
 * user attributes only on regular files and directories (EPERM to set, ENODATA to read on
 * anything else, a symbolic link included), "trusted." only for CAP_SYS_ADMIN. The
 * "security." and "system." namespaces are not reachable from the JDK: EOPNOTSUPP, as a file
 * system without their handlers answers; listxattr lists the user attributes only. Files that
 * are not the host's (pipes, memfds, /proc) have no user attribute handlers (tmpfs gained them
 * only in Linux 6.6): EOPNOTSUPP, or the xattr_permission answer for a pipe.
 */
public final class Xattrs {
    private Xattrs() {}

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;
    /** XATTR_NAME_MAX, XATTR_SIZE_MAX and XATTR_LIST_MAX (include/uapi/linux/limits.h). */
    public static final int NAME_MAX = 255;
    public static final int SIZE_MAX = 65536;
    public static final int LIST_MAX = 65536;
    private static final String USER = "user.";
    private static final String TRUSTED = "trusted.";

    /** What an xattr call acts on: a path (followed or not), or a descriptor. */
    public record Target(int dirfd, String path, boolean follow) {
        public static Target path(String path, boolean follow) {
            return new Target(AT_FDCWD, path, follow);
        }

        public static Target fd(int fd) {
            return new Target(fd, null, true);
        }
    }

    /** The file behind a target: its host path (null when it is not a host file) and its type. */
    private record Node(Path host, int type) {}

    private static Node node(FileTable t, Target target) throws ErrnoException {
        if (target.path() == null) {
            OpenFile f = t.file(target.dirfd());
            if (f == null || f.isPathOnly()) throw new ErrnoException(Errno.EBADF);
            Path host = f instanceof PathOnlyFile ? null : HostName.currentHostOf(f);
            return new Node(host, FileMode.type(f.stat().mode()));
        }
        if (target.path().isEmpty()) throw new ErrnoException(Errno.ENOENT);
        ResolvedPath r = t.fileSystem().resolve(t.fileSystem().cwd(), target.path(), target.follow());
        if (!r.exists()) throw new ErrnoException(Errno.ENOENT);
        if (r.isSynthetic()) return new Node(null, r.isDirectory() ? FileMode.S_IFDIR : FileMode.S_IFREG);
        int type = r.isSymbolicLink() ? FileMode.S_IFLNK : r.isDirectory() ? FileMode.S_IFDIR
                : r.attributes().isRegularFile() ? FileMode.S_IFREG : FileMode.S_IFCHR;
        return new Node(r.host(), type);
    }

    /** The name check of every call: "" or longer than XATTR_NAME_MAX is ERANGE. */
    private static void checkName(String name) throws ErrnoException {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ERANGE);
        }
    }

    /**
     * xattr_permission, then the handler lookup: the attribute's name in the user namespace,
     * or an exception with Linux's answer.
     */
    private static String userName(Node n, String name, boolean write) throws ErrnoException {
        if (name.startsWith(TRUSTED)) throw new ErrnoException(write ? Errno.EPERM : Errno.ENODATA);
        if (name.startsWith(USER)) {
            if (n.type() != FileMode.S_IFREG && n.type() != FileMode.S_IFDIR) {
                throw new ErrnoException(write ? Errno.EPERM : Errno.ENODATA);
            }
            if (n.host() == null) throw new ErrnoException(Errno.ENOTSUP);
            if (write && !Files.isWritable(n.host())) throw new ErrnoException(Errno.EACCES);
            if (!write && !Files.isReadable(n.host())) throw new ErrnoException(Errno.EACCES);
            return name.substring(USER.length());
        }
        throw new ErrnoException(Errno.ENOTSUP);
    }

    private static UserDefinedFileAttributeView view(Path host) throws ErrnoException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(host, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v == null) throw new ErrnoException(Errno.ENOTSUP);
        return v;
    }

    /** setxattr(2) family: 0 or -errno. */
    public static int set(FileTable t, Target target, String name, byte[] value, int flags) {
        if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) return -Errno.EINVAL;
        try {
            checkName(name);
            if (value.length > SIZE_MAX) return -Errno.E2BIG;
            Node n = node(t, target);
            String user = userName(n, name, true);
            UserDefinedFileAttributeView v = view(n.host());
            boolean exists = v.list().contains(user);
            if ((flags & XATTR_CREATE) != 0 && exists) return -Errno.EEXIST;
            if ((flags & XATTR_REPLACE) != 0 && !exists) return -Errno.ENODATA;
            v.write(user, ByteBuffer.wrap(value));
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        } catch (IOException e) {
            return -hostErrno(e);
        }
    }

    /**
     * getxattr(2) family: the value's length; with {@code size} 0 only the length is asked for;
     * a smaller buffer is ERANGE. {@code out} receives the value.
     */
    public static long get(FileTable t, Target target, String name, int size, ByteArrayOutputStream out) {
        try {
            checkName(name);
            Node n = node(t, target);
            String user = userName(n, name, false);
            UserDefinedFileAttributeView v = view(n.host());
            if (!v.list().contains(user)) return -Errno.ENODATA;
            int length = v.size(user);
            if (size == 0) return length;
            if (length > size) return length > SIZE_MAX || size >= SIZE_MAX ? -Errno.E2BIG : -Errno.ERANGE;
            ByteBuffer b = ByteBuffer.allocate(length);
            v.read(user, b);
            out.write(b.array(), 0, b.position());
            return b.position();
        } catch (ErrnoException e) {
            return e.negated();
        } catch (IOException e) {
            return -hostErrno(e);
        }
    }

    /** listxattr(2) family: the NUL-terminated names' total length (size 0 asks for it), ERANGE if it does not fit. */
    public static long list(FileTable t, Target target, int size, ByteArrayOutputStream out) {
        try {
            Node n = node(t, target);
            if (n.host() == null || (n.type() != FileMode.S_IFREG && n.type() != FileMode.S_IFDIR)) return 0;
            List<String> names = view(n.host()).list();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String name : names) {
                all.writeBytes((USER + name).getBytes(StandardCharsets.UTF_8));
                all.write(0);
            }
            if (size == 0) return all.size();
            if (all.size() > Math.min(size, LIST_MAX)) return size >= LIST_MAX ? -Errno.E2BIG : -Errno.ERANGE;
            all.writeTo(out);
            return all.size();
        } catch (ErrnoException e) {
            return e.negated();
        } catch (IOException e) {
            return -hostErrno(e);
        }
    }

    /** removexattr(2) family: ENODATA for an attribute the file does not have. */
    public static int remove(FileTable t, Target target, String name) {
        try {
            checkName(name);
            Node n = node(t, target);
            String user = userName(n, name, true);
            UserDefinedFileAttributeView v = view(n.host());
            if (!v.list().contains(user)) return -Errno.ENODATA;
            v.delete(user);
            return 0;
        } catch (ErrnoException e) {
            return e.negated();
        } catch (IOException e) {
            return -hostErrno(e);
        }
    }

    /**
     * The JDK reports an xattr failure as a FileSystemException whose reason is its own words
     * followed by strerror ("Unable to get list of extended attributes: Operation not supported").
     */
    private static final Map<String, Integer> REASONS = Map.of(
            "Operation not supported", Errno.ENOTSUP,
            "No data available", Errno.ENODATA,
            "Numerical result out of range", Errno.ERANGE,
            "Argument list too long", Errno.E2BIG,
            "No space left on device", Errno.ENOSPC,
            "Operation not permitted", Errno.EPERM,
            "Permission denied", Errno.EACCES);

    private static int hostErrno(IOException e) {
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (text != null) {
            for (Map.Entry<String, Integer> r : REASONS.entrySet()) {
                if (text.contains(r.getKey())) return r.getValue();
            }
        }
        return ErrnoException.errnoOf(e);
    }
}
