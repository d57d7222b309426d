package a64emu.guest.net;

import static a64emu.guest.net.SocketFlags.*;

import static a64emu.guest.fs.PollTable.*;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.PollTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.List;

/**
 * A UDP socket forwarded to a host datagram socket (Linux {@code net/ipv4/udp.c} as a program
 * sees it). The next datagram is taken from the host whole, into a buffer of the largest a
 * datagram can be, as soon as the host reports it: a receive reads it from there, MSG_PEEK
 * leaves it, and a short buffer gets the front of it and MSG_TRUNC.
 */
public final class UdpSocket extends InetSocket {
    /** The largest UDP payload (65535 less the IPv4 and UDP headers, what IPv6 allows too without jumbograms). */
    static final int MAX_DATAGRAM = 65535;

    private final DatagramChannel channel;
    private final SelectionKey key;
    private final ByteBuffer landing = ByteBuffer.allocate(MAX_DATAGRAM);
    /** The datagram taken from the host and not yet read, with its sender; null when none. */
    private byte[] next;
    private InetSocketAddress nextFrom;
    private boolean writable = true;

    UdpSocket(HostNetwork net, int family, int flags, int uid, int gid) throws IOException {
        super(net, family, SOCK_DGRAM, IPPROTO_UDP, flags, uid, gid);
        channel = DatagramChannel.open(family == InetSockaddr.AF_INET ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        key = net.register(this, channel);
    }

    @Override
    public boolean waitsForHost() {
        return true;
    }

    @Override
    List<NetworkChannel> channels() {
        return channel.isOpen() ? List.of(channel) : List.of();
    }

    @Override
    void bindAddress(InetSocketAddress address) throws ErrnoException {
        if (localAddress() != null) throw new ErrnoException(Errno.EINVAL);
        if (v6Only() && InetSockaddr.isV4(address)) throw new ErrnoException(Errno.EINVAL);
        try {
            channel.bind(address);
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
        pull();
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetSocketAddress peerAddress() throws ErrnoException {
        try {
            InetSocketAddress a = (InetSocketAddress) channel.getRemoteAddress();
            if (a == null) throw new ErrnoException(Errno.ENOTCONN);
            return a;
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
    }

    @Override
    public boolean listening() {
        return false;
    }

    /** sock_no_listen. */
    @Override
    public void listen(int backlog) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTSUP);
    }

    /** sock_no_accept. */
    @Override
    public InetSocket accept(int flags) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTSUP);
    }

    /** ip4_datagram_connect: sets the one peer (a new connect replaces it; AF_UNSPEC dissolves it). */
    @Override
    public void connect(InetSocketAddress address, boolean mayWait) throws ErrnoException {
        try {
            if (channel.isConnected()) channel.disconnect();
            if (address == null) return;
            if (v6Only() && InetSockaddr.isV4(address)) throw new ErrnoException(Errno.ENETUNREACH);
            channel.connect(address);
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
        // A datagram from someone else taken before the connect is still the next one: Linux keeps it queued too.
        pull();
    }

    @Override
    public int send(byte[] data, InetSocketAddress to, int flags) throws ErrnoException {
        if ((flags & MSG_OOB) != 0) throw new ErrnoException(Errno.ENOTSUP);
        if ((shutdown & SEND_SHUTDOWN) != 0) throw new ErrnoException(Errno.EPIPE);
        if (data.length > MAX_DATAGRAM - (family == InetSockaddr.AF_INET ? 28 : 48)) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        if (to != null && v6Only() && InetSockaddr.isV4(to)) throw new ErrnoException(Errno.ENETUNREACH);
        try {
            int n;
            if (to == null || channel.isConnected() && to.equals(channel.getRemoteAddress())) {
                if (!channel.isConnected()) throw new ErrnoException(Errno.EDESTADDRREQ);
                n = channel.write(ByteBuffer.wrap(data));
            } else if (channel.isConnected()) {
                // Java sends a connected channel's datagrams to its peer only.
                throw new ErrnoException(Errno.EISCONN);
            } else {
                n = channel.send(ByteBuffer.wrap(data), to);
                pull(); // the send bound the socket: datagrams may come now
            }
            if (n == 0 && data.length > 0) {
                writable = false;
                arm(SelectionKey.OP_WRITE);
                throw new ErrnoException(Errno.EAGAIN);
            }
            return data.length;
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
    }

    /** Takes the next datagram from the host if none is waiting here; asks to hear of one otherwise. */
    private void pull() {
        if (next != null || !channel.isOpen()) return;
        try {
            if (channel.getLocalAddress() == null) return; // nothing can arrive before a bind
            landing.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(landing);
            if (from == null) {
                arm(SelectionKey.OP_READ);
                return;
            }
            landing.flip();
            next = new byte[landing.remaining()];
            landing.get(next);
            nextFrom = from;
        } catch (IOException e) {
            error = HostErrors.errno(e); // an ICMP error on a connected socket: ECONNREFUSED
            arm(SelectionKey.OP_READ);
        }
    }

    @Override
    public Received receive(int len, int flags, boolean mayWait) throws ErrnoException {
        pull();
        if (next == null) {
            if (error != 0) throw new ErrnoException(takeError());
            if ((shutdown & RCV_SHUTDOWN) != 0) return new Received(new byte[0], 0, null, false);
            throw new ErrnoException(Errno.EAGAIN);
        }
        byte[] d = next;
        InetSocketAddress from = nextFrom;
        if ((flags & MSG_PEEK) == 0) {
            next = null;
            nextFrom = null;
            pull();
        }
        int n = Math.min(len, d.length);
        boolean truncated = n < d.length;
        return new Received(Arrays.copyOf(d, n), (flags & MSG_TRUNC) != 0 ? d.length : n, from, truncated);
    }

    /** udp_disconnect's shutdown: ENOTCONN unless connected, then only the flags (reads end, sends are EPIPE). */
    @Override
    public void shutdown(int how) throws ErrnoException {
        if (!channel.isConnected()) throw new ErrnoException(Errno.ENOTCONN);
        shutdown |= how + 1;
        net.wake(this, 0);
    }

    private void arm(int op) {
        if (key.isValid()) key.interestOps(key.interestOps() | op);
    }

    @Override
    void hostReady(int ops) {
        if ((ops & SelectionKey.OP_READ) != 0) pull();
        if ((ops & SelectionKey.OP_WRITE) != 0) writable = true;
        net.wake(this, 0);
    }

    /** udp_poll (datagram_poll). */
    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, waiters);
        int mask = 0;
        if (error != 0) mask |= POLLERR;
        if ((shutdown & RCV_SHUTDOWN) != 0) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        if (shutdown == SHUTDOWN_MASK) mask |= POLLHUP;
        if (next != null) mask |= POLLIN | POLLRDNORM;
        if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        return mask;
    }

    @Override
    void closeHost() {
        try {
            channel.close();
        } catch (IOException e) {
            // Gone either way.
        }
    }
}
