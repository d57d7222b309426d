package a64emu.guest.net;

import static a64emu.guest.net.SocketFlags.*;

import static a64emu.guest.fs.PollTable.*;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.PollTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP socket forwarded to a host TCP socket (Linux {@code net/ipv4/tcp.c} as a program
 * sees it). Java has one channel class for a connection and another for a listener, and
 * binds a listener only as it listens: so bind opens the host listener at once (a host
 * client can connect between the guest's bind and listen), and a bound socket that then
 * connects moves to a connection channel bound to the same address.
 *
 * <p>Received bytes are taken from the host as soon as it reports them, into a buffer of
 * {@link #INBOX_MAX} bytes that reads, MSG_PEEK and poll look at: so the end of the stream
 * and a reset are known to poll (POLLRDHUP, POLLERR) as on Linux.
 */
public final class TcpSocket extends InetSocket {
    /** The bytes taken from the host ahead of the guest's reads (the host keeps the rest). */
    static final int INBOX_MAX = 256 * 1024;
    /** net.core.somaxconn: the host listener's backlog. */
    static final int BACKLOG = 4096;

    private enum State { CLOSE, BOUND, LISTEN, SYN_SENT, ESTABLISHED }

    private State state = State.CLOSE;
    /** The connection channel (null while the socket is a listener). */
    private SocketChannel conn;
    private SelectionKey connKey;
    /** The listener channel, from bind or listen. */
    private ServerSocketChannel server;
    private SelectionKey serverKey;
    private byte[] inbox = new byte[0];
    private int inboxLength;
    /** The host's stream has ended (its read answered -1). */
    private boolean eof;
    private boolean writable = true;
    private boolean acceptable;
    /**
     * Linux's SS_CONNECTING: a connect has started and no connect call has reported its end
     * yet. The next one (the blocking call's run after its wake-up, or a non-blocking
     * program's second connect) answers 0 or the error; later ones EISCONN.
     */
    private boolean connecting;

    TcpSocket(HostNetwork net, int family, int flags, int uid, int gid) throws IOException {
        super(net, family, SOCK_STREAM, IPPROTO_TCP, flags, uid, gid);
        openConnection();
    }

    /** An accepted connection. */
    private TcpSocket(TcpSocket listener, SocketChannel accepted, int flags) throws IOException {
        super(listener.net, listener.family, SOCK_STREAM, IPPROTO_TCP, flags, listener.ownerUid(), listener.ownerGid());
        setOptions.putAll(listener.setOptions);
        conn = accepted;
        connKey = net.register(this, conn);
        applyOptions(conn);
        state = State.ESTABLISHED;
        pull();
    }

    private ProtocolFamily hostFamily() {
        return family == InetSockaddr.AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private void openConnection() throws IOException {
        conn = SocketChannel.open(hostFamily());
        connKey = net.register(this, conn);
        applyOptions(conn);
    }

    @Override
    public boolean waitsForHost() {
        return true;
    }

    @Override
    List<NetworkChannel> channels() {
        List<NetworkChannel> l = new ArrayList<>(2);
        if (conn != null && conn.isOpen()) l.add(conn);
        if (server != null && server.isOpen()) l.add(server);
        return l;
    }

    // ---- names ----

    @Override
    void bindAddress(InetSocketAddress address) throws ErrnoException {
        if (state != State.CLOSE) throw new ErrnoException(Errno.EINVAL);
        if (v6Only() && InetSockaddr.isV4(address)) throw new ErrnoException(Errno.EINVAL);
        try {
            server = ServerSocketChannel.open(hostFamily());
            server.setOption(StandardSocketOptions.SO_REUSEADDR, false); // Linux's default; the JDK's is true
            applyOptions(server);
            server.bind(address, BACKLOG);
            serverKey = net.register(this, server);
            state = State.BOUND;
        } catch (IOException e) {
            closeQuietly(server);
            server = null;
            throw new ErrnoException(HostErrors.errno(e));
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            if (server != null && server.isOpen()) return (InetSocketAddress) server.getLocalAddress();
            if (conn != null && conn.isOpen()) return (InetSocketAddress) conn.getLocalAddress();
        } catch (IOException e) {
            // Closed under us: unnamed.
        }
        return null;
    }

    @Override
    public InetSocketAddress peerAddress() throws ErrnoException {
        if (state != State.ESTABLISHED) throw new ErrnoException(Errno.ENOTCONN);
        try {
            return (InetSocketAddress) conn.getRemoteAddress();
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
    }

    @Override
    public boolean listening() {
        return state == State.LISTEN;
    }

    // ---- connections ----

    @Override
    public void listen(int backlog) throws ErrnoException {
        switch (state) {
            case LISTEN -> {
                return;
            }
            case SYN_SENT, ESTABLISHED -> throw new ErrnoException(Errno.EINVAL);
            case CLOSE -> bind(InetSockaddr.unspecified(family)); // inet_autobind
            default -> { }
        }
        state = State.LISTEN;
        closeQuietly(conn);
        conn = null;
        acceptable = false;
        arm(serverKey, SelectionKey.OP_ACCEPT);
    }

    @Override
    public InetSocket accept(int flags) throws ErrnoException {
        if (state != State.LISTEN) throw new ErrnoException(Errno.EINVAL);
        SocketChannel c;
        try {
            c = server.accept();
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
        // Whether another connection waits is the host's to say again: poll must not promise one
        // (a select-driven server would block in its accept).
        acceptable = false;
        arm(serverKey, SelectionKey.OP_ACCEPT);
        if (c == null) throw new ErrnoException(Errno.EAGAIN);
        try {
            return new TcpSocket(this, c, flags & OpenFlags.O_NONBLOCK);
        } catch (IOException e) {
            closeQuietly(c);
            throw new ErrnoException(HostErrors.errno(e));
        }
    }

    @Override
    public void connect(InetSocketAddress address, boolean mayWait) throws ErrnoException {
        switch (state) {
            case ESTABLISHED -> {
                if (connecting) {
                    connecting = false;
                    return;
                }
                throw new ErrnoException(Errno.EISCONN);
            }
            case LISTEN -> throw new ErrnoException(Errno.EISCONN);
            case SYN_SENT -> throw new ErrnoException(mayWait ? Errno.EAGAIN : Errno.EALREADY);
            default -> { }
        }
        if (connecting) {
            // The connection failed (a reset, a timeout, an ICMP error): sock_error, or ECONNABORTED once read.
            connecting = false;
            int e = takeError();
            throw new ErrnoException(e != 0 ? e : Errno.ECONNABORTED);
        }
        if (address == null) return; // AF_UNSPEC on an unconnected socket: nothing to dissolve
        if (v6Only() && InetSockaddr.isV4(address)) throw new ErrnoException(Errno.ENETUNREACH);
        try {
            if (conn == null || !conn.isOpen()) openConnection();
            if (state == State.BOUND) {
                // The listener bind opened gives way to a connection bound to the same address.
                InetSocketAddress local = localAddress();
                closeQuietly(server);
                server = null;
                serverKey = null;
                net.settle();
                conn.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                conn.bind(local);
            }
            shutdown = 0;
            eof = false;
            if (conn.connect(address)) {
                established();
                return;
            }
        } catch (IOException e) {
            failed(e);
            throw new ErrnoException(takeError());
        }
        state = State.SYN_SENT;
        connecting = true;
        arm(connKey, SelectionKey.OP_CONNECT);
        throw new ErrnoException(mayWait ? Errno.EAGAIN : Errno.EINPROGRESS);
    }

    private void established() {
        state = State.ESTABLISHED;
        writable = true;
        pull();
    }

    /** tcp_done after a failed connect: the error pending, the socket closed both ways, a new host socket for a later connect. */
    private void failed(IOException e) {
        error = HostErrors.errno(e);
        state = State.CLOSE;
        shutdown = SHUTDOWN_MASK;
        closeQuietly(conn);
        conn = null;
        connKey = null;
    }

    // ---- data ----

    /** Takes what the host has received into the inbox, and asks to hear of more while there is room. */
    private void pull() {
        if (conn == null || eof || error != 0) return;
        try {
            while (inboxLength < INBOX_MAX) {
                if (inbox.length == inboxLength) {
                    inbox = java.util.Arrays.copyOf(inbox, Math.min(INBOX_MAX, Math.max(4096, inbox.length * 2)));
                }
                int n = conn.read(ByteBuffer.wrap(inbox, inboxLength, inbox.length - inboxLength));
                if (n < 0) {
                    eof = true;
                    return;
                }
                if (n == 0) {
                    arm(connKey, SelectionKey.OP_READ);
                    return;
                }
                inboxLength += n;
            }
        } catch (IOException e) {
            // A reset (tcp_reset, tcp_done): the error once, then the end of file both ways.
            error = HostErrors.errno(e);
            eof = true;
            shutdown = SHUTDOWN_MASK;
        }
    }

    @Override
    public Received receive(int len, int flags, boolean mayWait) throws ErrnoException {
        if (state == State.SYN_SENT) throw new ErrnoException(Errno.EAGAIN);
        if (state != State.ESTABLISHED) throw new ErrnoException(Errno.ENOTCONN);
        if (inboxLength == 0) pull();
        if (inboxLength == 0) {
            if (error != 0) throw new ErrnoException(takeError());
            if (eof || (shutdown & RCV_SHUTDOWN) != 0 || len == 0) return new Received(new byte[0], 0, null, false);
            throw new ErrnoException(Errno.EAGAIN);
        }
        int n = Math.min(len, inboxLength);
        if ((flags & MSG_WAITALL) != 0 && (flags & MSG_PEEK) == 0 && mayWait && n < len && !eof && error == 0
                && inboxLength < INBOX_MAX) {
            throw new ErrnoException(Errno.EAGAIN); // tcp_recvmsg waits for the rest (the bytes wait in the inbox)
        }
        byte[] out = java.util.Arrays.copyOf(inbox, n);
        if ((flags & MSG_PEEK) == 0) {
            System.arraycopy(inbox, n, inbox, 0, inboxLength - n);
            inboxLength -= n;
            if (connKey != null && connKey.isValid() && (connKey.interestOps() & SelectionKey.OP_READ) == 0) pull();
        }
        return new Received(out, n, null, false);
    }

    @Override
    public int send(byte[] data, InetSocketAddress to, int flags) throws ErrnoException {
        if ((flags & MSG_OOB) != 0) throw new ErrnoException(Errno.ENOTSUP);
        if (state != State.ESTABLISHED) {
            if (error != 0) throw new ErrnoException(takeError());
            if (state == State.SYN_SENT) throw new ErrnoException(Errno.EAGAIN);
            throw new ErrnoException(Errno.EPIPE); // sk_stream_wait_connect: not connecting
        }
        if (error != 0) throw new ErrnoException(takeError()); // a reset the guest has not seen yet
        if ((shutdown & SEND_SHUTDOWN) != 0) throw new ErrnoException(Errno.EPIPE);
        if (data.length == 0) return 0;
        try {
            int n = conn.write(ByteBuffer.wrap(data));
            if (n == 0) {
                writable = false;
                arm(connKey, SelectionKey.OP_WRITE);
                throw new ErrnoException(Errno.EAGAIN);
            }
            return n;
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        int mask = how + 1;
        switch (state) {
            case ESTABLISHED -> {
                try {
                    if ((mask & RCV_SHUTDOWN) != 0) conn.shutdownInput();
                    if ((mask & SEND_SHUTDOWN) != 0) conn.shutdownOutput();
                } catch (IOException e) {
                    throw new ErrnoException(HostErrors.errno(e));
                }
                shutdown |= mask;
            }
            case LISTEN -> {
                if ((mask & RCV_SHUTDOWN) != 0) {
                    // inet_shutdown of a listener: tcp_disconnect stops listening.
                    closeQuietly(server);
                    server = null;
                    state = State.CLOSE;
                }
            }
            case SYN_SENT -> {
                closeQuietly(conn);
                conn = null;
                state = State.CLOSE;
            }
            default -> throw new ErrnoException(Errno.ENOTCONN);
        }
        net.wake(this, 0);
    }

    // ---- readiness ----

    private void arm(SelectionKey key, int op) {
        if (key != null && key.isValid()) key.interestOps(key.interestOps() | op);
    }

    @Override
    void hostReady(int ops) {
        if ((ops & SelectionKey.OP_CONNECT) != 0 && state == State.SYN_SENT) {
            try {
                if (conn.finishConnect()) {
                    established();
                } else {
                    arm(connKey, SelectionKey.OP_CONNECT);
                }
            } catch (IOException e) {
                failed(e);
            }
        }
        if ((ops & SelectionKey.OP_READ) != 0) pull();
        if ((ops & SelectionKey.OP_WRITE) != 0) writable = true;
        if ((ops & SelectionKey.OP_ACCEPT) != 0) acceptable = true;
        net.wake(this, 0);
    }

    /** tcp_poll. */
    @Override
    public int poll(PollTable table) {
        PollTable.wait(table, waiters);
        int mask = 0;
        if (state == State.LISTEN) {
            return acceptable ? POLLIN | POLLRDNORM : 0;
        }
        if (shutdown == SHUTDOWN_MASK || state == State.CLOSE || state == State.BOUND) mask |= POLLHUP;
        if ((shutdown & RCV_SHUTDOWN) != 0 || eof) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        if (state != State.SYN_SENT) {
            if (inboxLength > 0) mask |= POLLIN | POLLRDNORM;
            if ((shutdown & SEND_SHUTDOWN) != 0 || state != State.ESTABLISHED || writable) mask |= POLLOUT | POLLWRNORM;
        }
        if (error != 0) mask |= POLLERR;
        return mask;
    }

    @Override
    void closeHost() {
        closeQuietly(conn);
        closeQuietly(server);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            // The host socket is gone either way.
        }
    }
}
