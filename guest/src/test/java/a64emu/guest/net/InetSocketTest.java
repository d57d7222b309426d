package a64emu.guest.net;

import static a64emu.guest.fs.PollTable.POLLERR;
import static a64emu.guest.fs.PollTable.POLLHUP;
import static a64emu.guest.fs.PollTable.POLLIN;
import static a64emu.guest.fs.PollTable.POLLOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InetSocketTest {
    private final List<Object> woken = new ArrayList<>();
    private final HostNetwork net = new HostNetwork(HostNetwork.Mode.HOST, new UnixNamespace(c -> {}), woken::add);
    private final HostNetwork none = new HostNetwork(HostNetwork.Mode.NONE, new UnixNamespace(c -> {}), woken::add);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @AfterEach
    void close() {
        net.close();
        none.close();
    }

    private InetSocket tcp(HostNetwork n) throws ErrnoException {
        return InetSocket.create(n, InetSockaddr.AF_INET, InetSocket.SOCK_STREAM, 0, 0, 1000, 1000);
    }

    private InetSocket udp(HostNetwork n) throws ErrnoException {
        return InetSocket.create(n, InetSockaddr.AF_INET, InetSocket.SOCK_DGRAM, 0, 0, 1000, 1000);
    }

    /** Waits (as the scheduler's idle loop does) until {@code s} polls one of {@code events}; fails after 5 s. */
    private int awaitPoll(InetSocket s, int events) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            int mask = s.poll(null);
            if ((mask & events) != 0) return mask;
            net.await(50_000_000);
        }
        throw new AssertionError("no " + events + " on " + s + " within 5 s");
    }

    private static int errno(ThrowingRunnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void tcpConnectsToAHostServerAndExchangesBytes() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocket s = tcp(net);
            InetSocketAddress target = new InetSocketAddress(LOOPBACK, host.getLocalPort());
            try {
                s.connect(target, false);
            } catch (ErrnoException e) {
                assertEquals(Errno.EINPROGRESS, e.errno());
                assertEquals(Errno.EALREADY, errno(() -> s.connect(target, false)));
            }
            awaitPoll(s, POLLOUT);
            assertTrue(woken.contains(s) || s.poll(null) != 0);
            try (Socket peer = host.accept()) {
                assertEquals(0, s.takeError());
                assertEquals(target, s.peerAddress());
                assertEquals(2, s.send(bytes("hi"), null, 0));
                byte[] got = peer.getInputStream().readNBytes(2);
                assertArrayEquals(bytes("hi"), got);
                peer.getOutputStream().write(bytes("yo!"));
                awaitPoll(s, POLLIN);
                assertArrayEquals(bytes("yo"), s.receive(2, SocketFlags.MSG_PEEK, false).data());
                assertArrayEquals(bytes("yo!"), s.receive(16, 0, false).data());
                assertEquals(Errno.EAGAIN, errno(() -> s.receive(16, 0, false)));
                peer.shutdownOutput();
                awaitPoll(s, POLLIN);
                assertEquals(0, s.receive(16, 0, false).length(), "the end of the stream");
            }
            s.release();
        }
    }

    @Test
    void aBlockingConnectAnswersAgainWhenWokenAndThenIsConnected() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocket s = tcp(net);
            InetSocketAddress target = new InetSocketAddress(LOOPBACK, host.getLocalPort());
            try {
                s.connect(target, true);
            } catch (ErrnoException e) {
                assertEquals(Errno.EAGAIN, e.errno(), "the thread sleeps");
                awaitPoll(s, POLLOUT);
                s.connect(target, true); // the run after the wake-up: done
            }
            assertEquals(Errno.EISCONN, errno(() -> s.connect(target, true)));
            s.release();
        }
    }

    @Test
    void connectToAClosedPortIsRefusedThroughSoError() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, LOOPBACK)) {
            port = gone.getLocalPort();
        }
        InetSocket s = tcp(net);
        InetSocketAddress target = new InetSocketAddress(LOOPBACK, port);
        try {
            s.connect(target, false);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINPROGRESS) {
                int mask = awaitPoll(s, POLLERR);
                assertEquals(POLLERR | POLLHUP, mask & (POLLERR | POLLHUP));
                assertEquals(Errno.ECONNREFUSED, s.takeError());
                assertEquals(Errno.ECONNABORTED, errno(() -> s.connect(target, false)), "the error was read");
            } else {
                assertEquals(Errno.ECONNREFUSED, e.errno());
            }
        }
        s.release();
    }

    @Test
    void aListenerBoundToPortZeroHasARealPortAndAcceptsAHostClient() throws Exception {
        InetSocket l = tcp(net);
        l.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = l.localAddress().getPort();
        assertNotEquals(0, port);
        l.listen(5);
        assertTrue(l.listening());
        assertEquals(Errno.EAGAIN, errno(() -> l.accept(0)));
        try (Socket client = new Socket(LOOPBACK, port)) {
            awaitPoll(l, POLLIN);
            InetSocket a = l.accept(a64emu.guest.fs.OpenFlags.O_NONBLOCK);
            assertEquals(0, l.poll(null) & POLLIN, "no second connection is promised");
            assertTrue(a.nonBlocking());
            assertEquals(client.getLocalPort(), a.peerAddress().getPort());
            assertEquals(port, a.localAddress().getPort());
            client.getOutputStream().write(7);
            awaitPoll(a, POLLIN);
            assertArrayEquals(new byte[] {7}, a.receive(1, 0, false).data());
            a.release();
        }
        l.release();
    }

    @Test
    void bindingATakenPortIsAddressInUse() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocket s = tcp(net);
            assertEquals(Errno.EADDRINUSE, errno(() -> s.bind(new InetSocketAddress(LOOPBACK, host.getLocalPort()))));
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals(Errno.EINVAL, errno(() -> s.bind(new InetSocketAddress(LOOPBACK, 0))), "already bound");
            s.release();
        }
    }

    @Test
    void aSendAfterThePeerClosedEndsInEpipe() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocket s = tcp(net);
            try {
                s.connect(new InetSocketAddress(LOOPBACK, host.getLocalPort()), false);
            } catch (ErrnoException e) {
                assertEquals(Errno.EINPROGRESS, e.errno());
            }
            awaitPoll(s, POLLOUT);
            host.accept().close();
            int errno = 0;
            for (int i = 0; i < 100 && errno == 0; i++) {
                try {
                    s.send(bytes("x"), null, 0);
                    Thread.sleep(10);
                } catch (ErrnoException e) {
                    errno = e.errno();
                }
            }
            assertEquals(Errno.EPIPE, errno);
            assertTrue(s.writeEpipeRaisesSigpipe());
            s.release();
        }
    }

    @Test
    void udpReceivesAHostDatagramWithPeekAndTruncation() throws Exception {
        InetSocket s = udp(net);
        s.bind(new InetSocketAddress(LOOPBACK, 0));
        try (DatagramSocket host = new DatagramSocket(0, LOOPBACK)) {
            host.send(new DatagramPacket(bytes("datagram"), 8, s.localAddress()));
            awaitPoll(s, POLLIN);
            InetSocket.Received peek = s.receive(64, SocketFlags.MSG_PEEK, false);
            assertEquals(host.getLocalPort(), peek.from().getPort());
            InetSocket.Received r = s.receive(4, SocketFlags.MSG_TRUNC, false);
            assertArrayEquals(bytes("data"), r.data());
            assertEquals(8, r.length(), "MSG_TRUNC: the datagram's length");
            assertTrue(r.truncated());
            assertEquals(Errno.EAGAIN, errno(() -> s.receive(64, 0, false)));

            assertEquals(Errno.EDESTADDRREQ, errno(() -> s.send(bytes("?"), null, 0)));
            s.send(bytes("back"), new InetSocketAddress(LOOPBACK, host.getLocalPort()), 0);
            DatagramPacket p = new DatagramPacket(new byte[16], 16);
            host.setSoTimeout(5000);
            host.receive(p);
            assertEquals("back", new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            assertEquals(Errno.EMSGSIZE, errno(() -> s.send(new byte[65508], p.getSocketAddress() instanceof
                    InetSocketAddress a ? a : null, 0)));
        }
        s.release();
    }

    @Test
    void optionsGoToTheHostSocketAsLinuxReportsThem() throws Exception {
        InetSocket s = tcp(net);
        byte[] one = {1, 0, 0, 0};
        s.setOption(InetSocket.IPPROTO_TCP, InetSocket.TCP_NODELAY, one);
        assertEquals(1, intOf(s.getOption(InetSocket.IPPROTO_TCP, InetSocket.TCP_NODELAY)));
        s.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVBUF, new byte[] {0, 0, 1, 0}); // 65536
        assertEquals(131072, intOf(s.getOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVBUF)), "doubled, as Linux keeps it");
        assertEquals(InetSocket.SOCK_STREAM, intOf(s.getOption(InetSocket.SOL_SOCKET, InetSocket.SO_TYPE)));
        assertEquals(InetSockaddr.AF_INET, intOf(s.getOption(InetSocket.SOL_SOCKET, InetSocket.SO_DOMAIN)));
        assertEquals(InetSocket.IPPROTO_TCP, intOf(s.getOption(InetSocket.SOL_SOCKET, InetSocket.SO_PROTOCOL)));
        assertEquals(Errno.EINVAL, errno(() -> s.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_REUSEADDR, new byte[2])));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> s.setOption(InetSocket.SOL_SOCKET, 9999, one)));
        assertEquals(Errno.ENOTSUP, errno(() -> s.getOption(InetSocket.IPPROTO_IPV6, InetSocket.IPV6_V6ONLY)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> s.setOption(InetSocket.IPPROTO_IPV6, InetSocket.IPV6_V6ONLY, one)));
        s.release();
        InetSocket u = udp(net);
        assertEquals(Errno.ENOTSUP, errno(() -> u.getOption(InetSocket.IPPROTO_TCP, InetSocket.TCP_NODELAY)));
        u.release();
    }

    @Test
    void receiveAndSendTimeoutsAreKeptInJiffiesAsLinuxKeepsThem() throws Exception {
        InetSocket u = udp(net);
        assertEquals(-1, u.receiveTimeout(), "no limit by default");
        u.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVTIMEO_OLD, timeval(1, 1));
        assertEquals(1_004_000_000L, u.receiveTimeout(), "rounded up to a 4 ms jiffy");
        ByteBuffer got = ByteBuffer.wrap(u.getOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVTIMEO_OLD))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, got.getLong(0));
        assertEquals(4000, got.getLong(8));
        u.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_SNDTIMEO_NEW, timeval(-1, 0));
        assertEquals(0, u.sendTimeout(), "a negative tv_sec: no wait at all");
        assertEquals(Errno.EDOM, errno(() -> u.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVTIMEO_OLD,
                timeval(0, 1_000_000))));
        assertEquals(Errno.EINVAL, errno(() -> u.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVTIMEO_OLD,
                new byte[8])));
        u.setOption(InetSocket.SOL_SOCKET, InetSocket.SO_RCVTIMEO_OLD, timeval(0, 0));
        assertEquals(-1, u.receiveTimeout(), "{0, 0}: no limit again");
        u.release();
    }

    private static byte[] timeval(long sec, long usec) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sec).putLong(usec).array();
    }

    private static int intOf(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void socketTypesAndProtocolsAreCheckedAsForAnUnprivilegedUser() {
        assertEquals(Errno.EPERM, errno(() -> InetSocket.create(net, InetSockaddr.AF_INET, InetSocket.SOCK_RAW, 1, 0, 0, 0)));
        assertEquals(Errno.EACCES, errno(() -> InetSocket.create(net, InetSockaddr.AF_INET, InetSocket.SOCK_DGRAM,
                InetSocket.IPPROTO_ICMP, 0, 0, 0)));
        assertEquals(Errno.ESOCKTNOSUPPORT, errno(() -> InetSocket.create(net, InetSockaddr.AF_INET6, 5, 0, 0, 0, 0)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> InetSocket.create(net, InetSockaddr.AF_INET,
                InetSocket.SOCK_STREAM, InetSocket.IPPROTO_UDP, 0, 0, 0)));
    }

    @Test
    void aClosedSocketLetsGoOfItsHostPortAtOnce() throws Exception {
        InetSocket l = tcp(net);
        l.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = l.localAddress().getPort();
        l.listen(1);
        l.release();
        assertEquals(0, net.openSockets());
        IOException refused = assertThrows(IOException.class, () -> new Socket(LOOPBACK, port).close());
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    }

    @Test
    void withoutANetworkBindTakesLoopbackButEveryRouteIsMissing() throws Exception {
        InetSocket s = tcp(none);
        s.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = s.localAddress().getPort();
        assertTrue(port >= HostNetwork.EPHEMERAL_LOW && port <= HostNetwork.EPHEMERAL_HIGH);
        InetSocket twin = tcp(none);
        assertEquals(Errno.EADDRINUSE, errno(() -> twin.bind(new InetSocketAddress(LOOPBACK, port))));
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> twin.bind(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0))));
        assertEquals(Errno.ENETUNREACH, errno(() -> twin.connect(new InetSocketAddress(LOOPBACK, port), true)));
        s.listen(1);
        assertEquals(Errno.EAGAIN, errno(() -> s.accept(0)));
        assertFalse(s.waitsForHost(), "nothing but the guest can wake it");
        assertEquals(0, s.poll(null));
        InetSocket six = InetSocket.create(none, InetSockaddr.AF_INET6, InetSocket.SOCK_DGRAM, 0, 0, 0, 0);
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> six.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0))));
        assertEquals(Errno.ENETUNREACH, errno(() -> six.send(bytes("x"), new InetSocketAddress(LOOPBACK, 9), 0)));
        assertEquals(0, none.openSockets(), "no host socket behind them");
        s.release();
        twin.release();
        six.release();
    }

    @Test
    void sockaddrLayoutsAreLinuxs() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0x1234);
        byte[] in = InetSockaddr.encode(a, InetSockaddr.AF_INET);
        assertArrayEquals(new byte[] {2, 0, 0x12, 0x34, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, in);
        assertEquals(a, InetSockaddr.parse(in, InetSockaddr.AF_INET, false));
        byte[] mapped = InetSockaddr.encode(a, InetSockaddr.AF_INET6);
        assertEquals(28, mapped.length);
        assertEquals(10, mapped[0]);
        assertEquals((byte) 0xFF, mapped[18]);
        assertEquals(127, mapped[20]);
        assertEquals(a, InetSockaddr.parse(mapped, InetSockaddr.AF_INET6, false));
        assertEquals(Errno.EINVAL, errno(() -> InetSockaddr.parse(new byte[8], InetSockaddr.AF_INET, false)));
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> InetSockaddr.parse(mapped, InetSockaddr.AF_INET, false)));
        assertEquals(Errno.EINVAL, errno(() -> InetSockaddr.parse(in, InetSockaddr.AF_INET6, false)), "shorter than sockaddr_in6");
        assertEquals(a, InetSockaddr.parse(in, InetSockaddr.AF_INET6, true), "an IPv6 datagram socket takes sockaddr_in");
    }

    @Test
    void hostErrorsAreTheErrnoTheirMessageNames() {
        assertEquals(Errno.ECONNREFUSED, HostErrors.errno(new java.net.ConnectException("Connection refused")));
        assertEquals(Errno.ECONNRESET, HostErrors.errno(new java.net.SocketException("Connection reset")));
        assertEquals(Errno.EPIPE, HostErrors.errno(new IOException("Broken pipe")));
        assertEquals(Errno.EADDRINUSE, HostErrors.errno(new java.net.BindException("Address already in use")));
        assertEquals(Errno.EADDRNOTAVAIL, HostErrors.errno(new java.net.BindException("Cannot assign requested address")));
        assertEquals(Errno.ENETUNREACH, HostErrors.errno(new java.net.SocketException("Network is unreachable")));
        assertEquals(Errno.EHOSTUNREACH, HostErrors.errno(new java.net.NoRouteToHostException("No route to host")));
        assertEquals(Errno.ETIMEDOUT, HostErrors.errno(new java.net.ConnectException("Connection timed out")));
        assertEquals(Errno.ECONNREFUSED, HostErrors.errno(new java.net.PortUnreachableException()));
        assertEquals(Errno.EIO, HostErrors.errno(new IOException("something else")));
    }

    @Test
    void readAndWriteAreReceiveAndSend() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocket s = tcp(net);
            try {
                s.connect(new InetSocketAddress(LOOPBACK, host.getLocalPort()), false);
            } catch (ErrnoException e) {
                assertEquals(Errno.EINPROGRESS, e.errno());
            }
            awaitPoll(s, POLLOUT);
            try (Socket peer = host.accept()) {
                assertEquals(3, s.send(bytes("abc"), 0, 3));
                InputStream in = peer.getInputStream();
                assertArrayEquals(bytes("abc"), in.readNBytes(3));
                peer.getOutputStream().write(bytes("de"));
                awaitPoll(s, POLLIN);
                byte[] buf = new byte[4];
                assertEquals(2, s.receive(buf, 1, 3));
                assertEquals('d', buf[1]);
            }
            s.release();
        }
    }
}
