package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.fs.Xattrs;
import java.io.ByteArrayOutputStream;

/**
 * The extended attribute calls (fs/xattr.c): setxattr, lsetxattr, fsetxattr, getxattr,
 * lgetxattr, fgetxattr, listxattr, llistxattr, flistxattr, removexattr, lremovexattr and
 * fremovexattr. The "l" forms do not follow a last symbolic link, the "f" forms take a
 * descriptor; {@link Xattrs} has the semantics.
 */
final class XattrSyscalls {
    private final Process process;

    XattrSyscalls(Process process) {
        this.process = process;
    }

    /** The target: a path ({@code pathOrFd} an address) or a descriptor ({@code fd} true). */
    private Xattrs.Target target(long pathOrFd, boolean fd, boolean follow) throws BadUserAddressException {
        if (fd) return Xattrs.Target.fd((int) pathOrFd);
        String path = process.user.readCString(pathOrFd, FileSyscalls.PATH_MAX - 1);
        return path == null ? null : Xattrs.Target.path(path, follow);
    }

    /** An attribute name: null (ERANGE) when it does not end within XATTR_NAME_MAX bytes. */
    private String name(long va) throws BadUserAddressException {
        return process.user.readCString(va, Xattrs.NAME_MAX);
    }

    long set(long pathOrFd, boolean fd, boolean follow, long nameVa, long valueVa, long size, int flags)
            throws BadUserAddressException {
        if ((flags & ~(Xattrs.XATTR_CREATE | Xattrs.XATTR_REPLACE)) != 0) return -Errno.EINVAL;
        String name = name(nameVa);
        if (name == null || name.isEmpty()) return -Errno.ERANGE;
        if (size < 0 || size > Xattrs.SIZE_MAX) return -Errno.E2BIG;
        byte[] value = size == 0 ? new byte[0] : process.user.read(valueVa, (int) size);
        Xattrs.Target t = target(pathOrFd, fd, follow);
        if (t == null) return -Errno.ENAMETOOLONG;
        return Xattrs.set(process.files, t, name, value, flags);
    }

    long get(long pathOrFd, boolean fd, boolean follow, long nameVa, long valueVa, long size)
            throws BadUserAddressException {
        String name = name(nameVa);
        if (name == null || name.isEmpty()) return -Errno.ERANGE;
        Xattrs.Target t = target(pathOrFd, fd, follow);
        if (t == null) return -Errno.ENAMETOOLONG;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long r = Xattrs.get(process.files, t, name, (int) Math.min(size < 0 ? Xattrs.SIZE_MAX : size, Xattrs.SIZE_MAX), out);
        if (r > 0 && out.size() > 0) process.user.write(valueVa, out.toByteArray());
        return r;
    }

    long list(long pathOrFd, boolean fd, boolean follow, long listVa, long size) throws BadUserAddressException {
        Xattrs.Target t = target(pathOrFd, fd, follow);
        if (t == null) return -Errno.ENAMETOOLONG;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long r = Xattrs.list(process.files, t, (int) Math.min(size < 0 ? Xattrs.LIST_MAX : size, Xattrs.LIST_MAX), out);
        if (r > 0 && out.size() > 0) process.user.write(listVa, out.toByteArray());
        return r;
    }

    long remove(long pathOrFd, boolean fd, boolean follow, long nameVa) throws BadUserAddressException {
        String name = name(nameVa);
        if (name == null || name.isEmpty()) return -Errno.ERANGE;
        Xattrs.Target t = target(pathOrFd, fd, follow);
        if (t == null) return -Errno.ENAMETOOLONG;
        return Xattrs.remove(process.files, t, name);
    }
}
