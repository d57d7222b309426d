package a64emu.guest.net;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The guest's {@code struct sockaddr_in} (include/uapi/linux/in.h: family, port in network
 * order, the address, eight bytes of padding; 16 bytes) and {@code struct sockaddr_in6}
 * (linux/in6.h: family, port, flow info, the address, scope id; 28 bytes), and the checks
 * the protocols make of one a program passes.
 */
public final class InetSockaddr {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCKADDR_IN = 16;
    public static final int SOCKADDR_IN6 = 28;
    /** SIN6_LEN_RFC2133: the shortest sockaddr_in6 IPv6 takes (without the scope id). */
    public static final int SIN6_LEN_RFC2133 = 24;

    private InetSockaddr() {}

    /** The family field of the raw bytes (-1 when shorter than one). */
    public static int family(byte[] raw) {
        return raw.length < 2 ? -1 : (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
    }

    /**
     * The address a socket of {@code family} is given to bind or connect to (inet_bind,
     * inet6_bind, tcp_v4_connect, tcp_v6_connect): EINVAL when shorter than that family's
     * structure, EAFNOSUPPORT for another family. An IPv6 socket takes a sockaddr_in too, as
     * its IPv4-mapped address, when {@code v4ForV6} (a connect; Linux's bind refuses it).
     */
    public static InetSocketAddress parse(byte[] raw, int family, boolean v4ForV6) throws ErrnoException {
        if (family == AF_INET) {
            if (raw.length < SOCKADDR_IN) throw new ErrnoException(Errno.EINVAL);
            if (family(raw) != AF_INET) throw new ErrnoException(Errno.EAFNOSUPPORT);
            return v4(raw);
        }
        if (v4ForV6 && family(raw) == AF_INET && raw.length >= SOCKADDR_IN) return v4(raw);
        if (raw.length < SIN6_LEN_RFC2133) throw new ErrnoException(Errno.EINVAL);
        if (family(raw) != AF_INET6) throw new ErrnoException(Errno.EAFNOSUPPORT);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        int port = b.getShort(2) & 0xFFFF;
        byte[] a = new byte[16];
        System.arraycopy(raw, 8, a, 0, 16);
        int scope = raw.length >= SOCKADDR_IN6 ? ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(24) : 0;
        try {
            InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, a, scope) : InetAddress.getByAddress(a);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // sixteen bytes are always an address
        }
    }

    private static InetSocketAddress v4(byte[] raw) {
        int port = (raw[2] & 0xFF) << 8 | (raw[3] & 0xFF);
        byte[] a = {raw[4], raw[5], raw[6], raw[7]};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The structure getsockname, getpeername, accept and recvfrom write for {@code address}
     * on a socket of {@code family}: an IPv4 address on an IPv6 socket is written IPv4-mapped
     * (::ffff:a.b.c.d), as Linux keeps it. A null address is the family's unspecified one.
     */
    public static byte[] encode(InetSocketAddress address, int family) {
        InetAddress ip = address == null ? null : address.getAddress();
        int port = address == null ? 0 : address.getPort();
        if (family == AF_INET) {
            byte[] out = new byte[SOCKADDR_IN];
            out[0] = AF_INET;
            out[2] = (byte) (port >> 8);
            out[3] = (byte) port;
            if (ip != null) System.arraycopy(v4Bytes(ip), 0, out, 4, 4);
            return out;
        }
        byte[] out = new byte[SOCKADDR_IN6];
        out[0] = AF_INET6;
        out[2] = (byte) (port >> 8);
        out[3] = (byte) port;
        if (ip instanceof Inet4Address) {
            out[18] = (byte) 0xFF;
            out[19] = (byte) 0xFF;
            System.arraycopy(ip.getAddress(), 0, out, 20, 4);
        } else if (ip != null) {
            System.arraycopy(ip.getAddress(), 0, out, 8, 16);
            int scope = ((Inet6Address) ip).getScopeId();
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(24, scope);
        }
        return out;
    }

    /** An IPv6 socket's view of an IPv4 peer is mapped; an IPv4 socket only ever has IPv4 addresses. */
    private static byte[] v4Bytes(InetAddress ip) {
        byte[] a = ip.getAddress();
        if (a.length == 4) return a;
        return new byte[] {a[12], a[13], a[14], a[15]};
    }

    /** The family's unspecified address and port 0 (INADDR_ANY, in6addr_any): what bind takes to pick both. */
    public static InetSocketAddress unspecified(int family) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[family == AF_INET ? 4 : 16]), 0);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code a} is an IPv4 address seen through IPv6 (Java gives those as Inet4Address). */
    public static boolean isV4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }
}
