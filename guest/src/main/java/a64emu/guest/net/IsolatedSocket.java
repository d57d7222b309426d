package a64emu.guest.net;

import static a64emu.guest.net.SocketFlags.*;

import static a64emu.guest.fs.PollTable.*;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.PollTable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;

/**
 * A TCP or UDP socket in a network namespace whose only interface, loopback, is down
 * ({@code run --net none}; what {@code unshare -n} gives a program): no host socket behind
 * it. bind takes the unspecified address and IPv4 loopback addresses, which the local
 * routing table still holds, and refuses the rest, ::1 included, with EADDRNOTAVAIL; a
 * listener never sees a connection; connect and every send with an address find no route
 * (ENETUNREACH); nothing ever arrives.
 */
final class IsolatedSocket extends InetSocket {
    private InetSocketAddress local;
    private boolean listening;

    IsolatedSocket(HostNetwork net, int family, int type, int protocol, int flags, int uid, int gid) {
        super(net, family, type, protocol, flags, uid, gid);
    }

    private String portKey() {
        return protocol() == IPPROTO_TCP ? "tcp" : "udp";
    }

    /** Only the guest could wake a thread asleep here, and nothing ever comes: the host is not waited for. */
    @Override
    public boolean waitsForHost() {
        return false;
    }

    @Override
    List<NetworkChannel> channels() {
        return List.of();
    }

    /** inet_bind's inet_addr_type check: RTN_LOCAL for 127.0.0.0/8 (and the mapped form), nothing local for IPv6. */
    @Override
    void bindAddress(InetSocketAddress address) throws ErrnoException {
        if (local != null) throw new ErrnoException(Errno.EINVAL);
        if (v6Only() && InetSockaddr.isV4(address)) throw new ErrnoException(Errno.EINVAL);
        InetAddress ip = address.getAddress();
        boolean ok = ip.isAnyLocalAddress() || ip instanceof Inet4Address && ip.isLoopbackAddress();
        if (!ok) throw new ErrnoException(Errno.EADDRNOTAVAIL);
        int port = net.bindIsolated(portKey(), address.getPort());
        if (port < 0) throw new ErrnoException(Errno.EADDRINUSE);
        local = new InetSocketAddress(ip, port);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress peerAddress() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTCONN);
    }

    @Override
    public boolean listening() {
        return listening;
    }

    @Override
    public void listen(int backlog) throws ErrnoException {
        if (type() != SOCK_STREAM) throw new ErrnoException(Errno.ENOTSUP);
        if (local == null) bind(InetSockaddr.unspecified(family));
        listening = true;
    }

    @Override
    public InetSocket accept(int flags) throws ErrnoException {
        if (!listening) throw new ErrnoException(type() == SOCK_STREAM ? Errno.EINVAL : Errno.ENOTSUP);
        throw new ErrnoException(Errno.EAGAIN);
    }

    @Override
    public void connect(InetSocketAddress address, boolean mayWait) throws ErrnoException {
        if (listening) throw new ErrnoException(Errno.EISCONN);
        if (address == null) return;
        throw new ErrnoException(Errno.ENETUNREACH);
    }

    @Override
    public int send(byte[] data, InetSocketAddress to, int flags) throws ErrnoException {
        if ((flags & MSG_OOB) != 0) throw new ErrnoException(Errno.ENOTSUP);
        if (type() == SOCK_STREAM) throw new ErrnoException(Errno.EPIPE);
        if (to == null) throw new ErrnoException(Errno.EDESTADDRREQ);
        throw new ErrnoException(Errno.ENETUNREACH);
    }

    @Override
    public Received receive(int len, int flags, boolean mayWait) throws ErrnoException {
        if (type() == SOCK_STREAM) throw new ErrnoException(Errno.ENOTCONN);
        throw new ErrnoException(Errno.EAGAIN);
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        if (listening && (how + 1 & RCV_SHUTDOWN) != 0) {
            listening = false;
            return;
        }
        throw new ErrnoException(Errno.ENOTCONN);
    }

    /** tcp_poll of a closed or listening socket, datagram_poll of an empty one. */
    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, waiters);
        if (listening) return 0;
        return type() == SOCK_STREAM ? POLLOUT | POLLWRNORM | POLLHUP : POLLOUT | POLLWRNORM | POLLWRBAND;
    }

    @Override
    void closeHost() {
        if (local != null) net.unbindIsolated(portKey(), local.getPort());
    }
}
