package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.net.HostNetwork;
import a64emu.guest.net.InetSocket;
import a64emu.guest.net.InetSockaddr;
import a64emu.guest.net.SocketFlags;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;

/**
 * The socket system calls for AF_INET and AF_INET6 sockets ({@link InetSocket}): the address
 * checks each protocol makes (net/ipv4/af_inet.c, net/ipv6/af_inet6.c), the sockaddr_in and
 * sockaddr_in6 copies, and the sleeping, as {@link SocketSyscalls} does for AF_UNIX (whose
 * copy-in helpers it uses). Control messages a program sends are not interpreted
 * (IP_PKTINFO and the like), and none are received.
 */
final class InetSocketSyscalls {
    /** inet_port_requires_bind_service: ports below net.ipv4.ip_unprivileged_port_start (1024) need CAP_NET_BIND_SERVICE. */
    static final int UNPRIVILEGED_PORT_START = 1024;

    private final Process process;
    private final SocketSyscalls sockets;
    /** The deadline a wait under SO_RCVTIMEO/SO_SNDTIMEO slept with: its call's next run keeps it. */
    record TimeoutDeadline(long nanos) {}

    /** The deadline this call's earlier run slept with, taken as the call starts (null for a fresh call). */
    private TimeoutDeadline resumed;

    /** The network of a process built alone (no kernel), for tests. */
    private HostNetwork detached;

    InetSocketSyscalls(Process process, SocketSyscalls sockets) {
        this.process = process;
        this.sockets = sockets;
    }

    /** Takes this call's restart block (a call that returns without sleeping must not leave one behind). */
    private void begin() {
        resumed = process.current != null && process.current.takeRestartBlock() instanceof TimeoutDeadline d ? d : null;
    }

    /**
     * An answer of -EAGAIN from a socket that may wait: the thread sleeps on {@code s}, for at
     * most {@code timeout} nanoseconds (SO_RCVTIMEO/SO_SNDTIMEO; -1: no limit, 0: no wait),
     * after which the call answers {@code expired} (sock_rcvtimeo's EAGAIN, connect's EINPROGRESS).
     */
    private long sleep(long result, boolean mayWait, InetSocket s, String reason, long timeout, int expired) {
        if (result != -Errno.EAGAIN || !mayWait || timeout < 0) {
            return sockets.waitOr(result, mayWait, s, reason);
        }
        if (timeout == 0) return -expired;
        if (process.kernel == null) return result;
        long deadline = resumed != null ? resumed.nanos() : PollWait.deadline(process, process.current, timeout);
        Task.Wait w = new Task.Wait(reason, deadline, -expired, true);
        w.channel = s;
        w.restartBlock = new TimeoutDeadline(deadline);
        process.current.block(w);
        return result;
    }

    private HostNetwork network() {
        if (process.kernel != null) return process.kernel.network();
        if (detached == null) {
            detached = new HostNetwork(HostNetwork.Mode.HOST, new a64emu.guest.net.UnixNamespace(channel -> {}),
                    channel -> {});
        }
        return detached;
    }

    /** socket(2) once the family is AF_INET or AF_INET6 and the flags are good. */
    long socket(int family, int type, int protocol, int flags) {
        try {
            InetSocket s = InetSocket.create(network(), family, type, protocol, flags & SocketSyscalls.SOCK_NONBLOCK,
                    (int) process.credentials.euid(), (int) process.credentials.egid());
            return process.files.installNew(s, (flags & SocketSyscalls.SOCK_CLOEXEC) != 0);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** socketpair(2): the sockets are made (their errors first), then sock_no_socketpair refuses. */
    long socketpair(int family, int type, int protocol) {
        try {
            InetSocket.create(network(), family, type, protocol, 0, 0, 0).release();
            return -Errno.ENOTSUP;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    private boolean privileged() {
        return process.credentials.euid() == 0;
    }

    long bind(InetSocket s, byte[] raw) {
        try {
            InetSocketAddress a;
            if (s.family() == InetSockaddr.AF_INET && raw.length >= InetSockaddr.SOCKADDR_IN
                    && InetSockaddr.family(raw) == InetSockaddr.AF_UNSPEC) {
                // inet_bind's compatibility game: AF_UNSPEC passes as AF_INET only with INADDR_ANY.
                byte[] asInet = raw.clone();
                asInet[0] = InetSockaddr.AF_INET;
                a = InetSockaddr.parse(asInet, InetSockaddr.AF_INET, false);
                if (!a.getAddress().isAnyLocalAddress()) return -Errno.EAFNOSUPPORT;
            } else {
                a = InetSockaddr.parse(raw, s.family(), false);
            }
            if (a.getPort() != 0 && a.getPort() < UNPRIVILEGED_PORT_START && !privileged()) return -Errno.EACCES;
            s.bind(a);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long listen(InetSocket s, int backlog) {
        try {
            s.listen(backlog);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** The address of a connect or a send: AF_UNSPEC (null) where {@code unspec} allows; an IPv6 datagram socket takes sockaddr_in too. */
    private static InetSocketAddress target(InetSocket s, byte[] raw) throws ErrnoException {
        return InetSockaddr.parse(raw, s.family(), s.type() == InetSocket.SOCK_DGRAM);
    }

    long connect(InetSocket s, byte[] raw) {
        begin();
        boolean mayWait = !s.nonBlocking();
        try {
            if (raw.length < 2) return -Errno.EINVAL;
            InetSocketAddress a = InetSockaddr.family(raw) == InetSockaddr.AF_UNSPEC ? null : target(s, raw);
            s.connect(a, mayWait);
            return 0;
        } catch (ErrnoException e) {
            return sleep(-e.errno(), mayWait, s, "connect to a host socket", s.sendTimeout(), Errno.EINPROGRESS);
        }
    }

    long accept4(InetSocket s, long addr, long addrLen, int flags) throws BadUserAddressException {
        begin();
        InetSocket accepted;
        try {
            accepted = s.accept(flags & SocketSyscalls.SOCK_NONBLOCK);
        } catch (ErrnoException e) {
            return sleep(-e.errno(), !s.nonBlocking(), s, "accept on a listening host socket", s.receiveTimeout(),
                    Errno.EAGAIN);
        }
        if (addr != 0) {
            try {
                sockets.putSockaddr(InetSockaddr.encode(accepted.peerAddress(), s.family()), addr, addrLen);
            } catch (ErrnoException | BadUserAddressException e) {
                accepted.release();
                return e instanceof ErrnoException ee ? -ee.errno() : -Errno.EFAULT;
            }
        }
        return process.files.installNew(accepted, (flags & SocketSyscalls.SOCK_CLOEXEC) != 0);
    }

    long getsockname(InetSocket s, long addr, long addrLen, boolean peer) throws BadUserAddressException {
        try {
            InetSocketAddress a = peer ? s.peerAddress() : s.localAddress();
            sockets.putSockaddr(InetSockaddr.encode(a, s.family()), addr, addrLen);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long shutdown(InetSocket s, int how) {
        if (how < 0 || how > 2) return -Errno.EINVAL;
        try {
            s.shutdown(how);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    // ---- data ----

    /**
     * The most one send takes: a stream's {@link SocketSyscalls#SEND_MAX}; a datagram whole, up
     * to what no UDP datagram can be (more is EMSGSIZE; the socket checks the exact size).
     */
    private static long sendLimit(InetSocket s) {
        return s.type() == InetSocket.SOCK_STREAM ? SocketSyscalls.SEND_MAX : 65536;
    }

    long sendto(InetSocket s, long buf, long len, int flags, long addr, long addrLen) throws BadUserAddressException {
        begin();
        try {
            int n = (int) Math.min(Math.max(len, 0), sendLimit(s));
            if (s.type() == InetSocket.SOCK_DGRAM && len > n) return -Errno.EMSGSIZE;
            byte[] data = n == 0 ? new byte[0] : process.user.read(buf, n);
            byte[] raw = addr == 0 ? new byte[0] : sockets.sockaddr(addr, addrLen);
            return send(s, data, raw, flags);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long sendmsg(InetSocket s, long msg, int flags) throws BadUserAddressException {
        begin();
        long name = process.user.read64(msg);
        int nameLen = process.user.read32(msg + 8);
        try {
            long[][] iov = sockets.iovecs(msg);
            long limit = sendLimit(s);
            long total = 0;
            for (long[] v : iov) total += v[1];
            if (s.type() == InetSocket.SOCK_DGRAM && total > limit) return -Errno.EMSGSIZE;
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (long[] v : iov) {
                int n = (int) Math.min(v[1], limit - data.size());
                if (n > 0) data.write(process.user.read(v[0], n), 0, n);
            }
            byte[] raw = name == 0 || nameLen == 0 ? new byte[0] : sockets.sockaddr(name, nameLen);
            return send(s, data.toByteArray(), raw, flags);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    private long send(InetSocket s, byte[] data, byte[] raw, int flags) {
        boolean mayWait = !s.nonBlocking() && (flags & SocketFlags.MSG_DONTWAIT) == 0;
        try {
            // A stream socket ignores the address (tcp_sendmsg); a datagram socket takes it.
            InetSocketAddress to = raw.length == 0 || s.type() == InetSocket.SOCK_STREAM ? null : target(s, raw);
            return s.send(data, to, flags);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE && s.writeEpipeRaisesSigpipe() && (flags & SocketFlags.MSG_NOSIGNAL) == 0
                    && process.kernel != null) {
                process.kernel.signals().sendToThread(process.current, SignalInfo.fromProcess(Signal.SIGPIPE,
                        Signal.SI_USER, process.pid, (int) process.credentials.uid(),
                        "send on a TCP connection the peer has closed"));
            }
            return sleep(-e.errno(), mayWait, s, "send on a full host socket", s.sendTimeout(), Errno.EAGAIN);
        }
    }

    private InetSocket.Received receive(InetSocket s, int len, int flags) throws ErrnoException {
        if ((flags & SocketFlags.MSG_OOB) != 0) throw new ErrnoException(Errno.EINVAL); // no urgent data is kept
        boolean mayWait = !s.nonBlocking() && (flags & SocketFlags.MSG_DONTWAIT) == 0;
        return s.receive(len, flags, mayWait);
    }

    private long receiveWaitOr(InetSocket s, ErrnoException e, int flags) {
        boolean mayWait = !s.nonBlocking() && (flags & SocketFlags.MSG_DONTWAIT) == 0;
        return sleep(-e.errno(), mayWait, s, "receive on an empty host socket", s.receiveTimeout(), Errno.EAGAIN);
    }

    long recvfrom(InetSocket s, long buf, long len, int flags, long addr, long addrLen) throws BadUserAddressException {
        begin();
        int n = (int) Math.min(Math.max(len, 0), SocketSyscalls.MAX_RW_COUNT);
        InetSocket.Received r;
        try {
            r = receive(s, n, flags);
        } catch (ErrnoException e) {
            return receiveWaitOr(s, e, flags);
        }
        if (r.data().length > 0) process.user.write(buf, r.data());
        if (addr != 0 && r.from() != null) {
            try {
                sockets.putSockaddr(InetSockaddr.encode(r.from(), s.family()), addr, addrLen);
            } catch (ErrnoException e) {
                return -e.errno();
            }
        }
        return r.length();
    }

    long recvmsg(InetSocket s, long msg, int flags) throws BadUserAddressException {
        begin();
        long[][] iov;
        try {
            iov = sockets.iovecs(msg);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        long name = process.user.read64(msg);
        int nameLen = process.user.read32(msg + 8);
        if (nameLen < 0) return -Errno.EINVAL;
        long total = 0;
        for (long[] v : iov) total += v[1];
        InetSocket.Received r;
        try {
            r = receive(s, (int) Math.min(total, SocketSyscalls.MAX_RW_COUNT), flags & ~SocketSyscalls.MSG_CMSG_CLOEXEC);
        } catch (ErrnoException e) {
            return receiveWaitOr(s, e, flags);
        }
        int off = 0;
        for (long[] v : iov) {
            int n = (int) Math.min(v[1], r.data().length - off);
            if (n <= 0) break;
            process.user.write(v[0], r.data(), off, n);
            off += n;
        }
        if (name != 0) {
            // A stream's recvmsg leaves msg_namelen 0 (tcp_recvmsg fills no name).
            byte[] from = r.from() == null ? new byte[0] : InetSockaddr.encode(r.from(), s.family());
            int n = Math.min(nameLen, from.length);
            if (n > 0) process.user.write(name, from, 0, n);
            process.user.write32(msg + 8, from.length);
        }
        process.user.write64(msg + 40, 0);
        process.user.write32(msg + 48, r.truncated() ? SocketFlags.MSG_TRUNC : 0);
        return r.length();
    }

    // ---- options ----

    long getsockopt(InetSocket s, int level, int name, long value, long lenVa) throws BadUserAddressException {
        int len = process.user.read32(lenVa);
        if (len < 0) return -Errno.EINVAL;
        try {
            byte[] out = s.getOption(level, name);
            int n = Math.min(len, out.length);
            if (n > 0) process.user.write(value, out, 0, n);
            process.user.write32(lenVa, n);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long setsockopt(InetSocket s, int level, int name, long value, long len) throws BadUserAddressException {
        if (len < 0) return -Errno.EINVAL;
        byte[] v = len == 0 ? new byte[0] : process.user.read(value, (int) Math.min(len, 64));
        try {
            s.setOption(level, name, v);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }
}
