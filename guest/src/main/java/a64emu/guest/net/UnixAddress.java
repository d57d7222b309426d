package a64emu.guest.net;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A struct sockaddr_un as bound or looked up (Linux {@code unix_validate_addr},
 * {@code unix_mkname_bsd}): a path name (the sun_path bytes up to the first NUL), or an
 * abstract name (sun_path starting with a NUL byte: every byte of the given length counts,
 * NULs included). {@link #encode} gives the bytes getsockname, getpeername and recvfrom return.
 */
public final class UnixAddress {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    /** offsetof(struct sockaddr_un, sun_path). */
    public static final int PATH_OFFSET = 2;
    /** sizeof(struct sockaddr_un). */
    public static final int MAX_LENGTH = 110;

    private final String path;
    private final byte[] abstractName;

    private UnixAddress(String path, byte[] abstractName) {
        this.path = path;
        this.abstractName = abstractName;
    }

    /**
     * The address in {@code raw} (the guest's bytes, {@code raw.length} its addrlen).
     *
     * @throws ErrnoException EINVAL for a length out of range, another family, or an empty name
     */
    public static UnixAddress parse(byte[] raw) throws ErrnoException {
        if (raw.length <= PATH_OFFSET || raw.length > MAX_LENGTH) throw new ErrnoException(Errno.EINVAL);
        int family = (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
        if (family != AF_UNIX) throw new ErrnoException(Errno.EINVAL);
        if (raw[PATH_OFFSET] == 0) return abstractName(Arrays.copyOfRange(raw, PATH_OFFSET + 1, raw.length));
        int end = PATH_OFFSET;
        while (end < raw.length && raw[end] != 0) end++;
        return path(new String(raw, PATH_OFFSET, end - PATH_OFFSET, StandardCharsets.UTF_8));
    }

    public static UnixAddress path(String path) {
        return new UnixAddress(path, null);
    }

    /** An abstract name: the bytes after the leading NUL. */
    public static UnixAddress abstractName(byte[] name) {
        return new UnixAddress(null, name.clone());
    }

    public boolean isAbstract() {
        return abstractName != null;
    }

    /** The path name (UTF-8 decoded, as the file system's paths are); null for an abstract name. */
    public String path() {
        return path;
    }

    /** The abstract name's bytes after the NUL; null for a path name. */
    byte[] abstractBytes() {
        return abstractName;
    }

    /** The sockaddr_un Linux returns: the family, then the path and its NUL, or the NUL and the abstract name. */
    public byte[] encode() {
        byte[] name = isAbstract() ? abstractName : path.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[PATH_OFFSET + 1 + name.length];
        out[0] = AF_UNIX;
        System.arraycopy(name, 0, out, PATH_OFFSET + (isAbstract() ? 1 : 0), name.length);
        return out;
    }

    /** The address of an unbound socket: the family alone. */
    public static byte[] unnamed() {
        return new byte[] {AF_UNIX, 0};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress a && java.util.Objects.equals(path, a.path)
                && Arrays.equals(abstractName, a.abstractName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(path) * 31 + Arrays.hashCode(abstractName);
    }

    @Override
    public String toString() {
        return isAbstract() ? "@" + new String(abstractName, StandardCharsets.ISO_8859_1) : path;
    }
}
