package a64emu.guest.net;

import static a64emu.guest.net.SocketFlags.*;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.PollTable;
import a64emu.guest.fs.SocketFile;
import a64emu.guest.fs.WaitQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NetworkChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AF_INET or AF_INET6 socket (Linux {@code net/ipv4/af_inet.c}, {@code net/ipv6/af_inet6.c}):
 * what the system calls ask of every kind, the type, protocol and family checks of
 * {@code inet_create}, and the socket options, which go to the host socket where Java can
 * set them. {@link TcpSocket} and {@link UdpSocket} forward to host sockets;
 * {@link IsolatedSocket} is one in a network with no interface up ({@code --net none}).
 *
 * <p>As with {@link UnixSocket}, operations never sleep: where Linux would wait they throw
 * EAGAIN, and the system call layer puts the thread to sleep on this socket, which the host
 * network wakes (the kernel's channel, and {@link #waiters} for pollers) when the host
 * socket becomes ready.
 */
public abstract class InetSocket extends SocketFile {
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVTIMEO_OLD = 20;
    public static final int SO_SNDTIMEO_OLD = 21;
    public static final int SO_RCVTIMEO_NEW = 66;
    public static final int SO_SNDTIMEO_NEW = 67;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int TCP_NODELAY = 1;
    public static final int IP_TOS = 1;
    public static final int IPV6_V6ONLY = 26;

    /** What one receive takes from the socket: the bytes, the datagram's whole length, the sender. */
    public record Received(byte[] data, int length, InetSocketAddress from, boolean truncated) {}

    /** One settable option: where it lives, and the host's name for it (null: kept here only). */
    private record Option(int level, int name, SocketOption<?> host, boolean flag) {}

    /** IPV6_V6ONLY: the guest's (Java keeps its IPv6 sockets dual-stack), which the sockets enforce on addresses. */
    private static final Option V6ONLY = new Option(IPPROTO_IPV6, IPV6_V6ONLY, null, true);

    private static final List<Option> OPTIONS = List.of(
            new Option(SOL_SOCKET, SO_REUSEADDR, StandardSocketOptions.SO_REUSEADDR, true),
            new Option(SOL_SOCKET, SO_REUSEPORT, StandardSocketOptions.SO_REUSEPORT, true),
            new Option(SOL_SOCKET, SO_KEEPALIVE, StandardSocketOptions.SO_KEEPALIVE, true),
            new Option(SOL_SOCKET, SO_BROADCAST, StandardSocketOptions.SO_BROADCAST, true),
            new Option(SOL_SOCKET, SO_SNDBUF, StandardSocketOptions.SO_SNDBUF, false),
            new Option(SOL_SOCKET, SO_RCVBUF, StandardSocketOptions.SO_RCVBUF, false),
            new Option(IPPROTO_TCP, TCP_NODELAY, StandardSocketOptions.TCP_NODELAY, true),
            new Option(IPPROTO_IP, IP_TOS, StandardSocketOptions.IP_TOS, false),
            V6ONLY);

    final HostNetwork net;
    final int family;
    private final int type;
    private final int protocol;
    private final int ownerUid;
    private final int ownerGid;
    /** The pending error (sk_err) SO_ERROR answers and clears. */
    int error;
    int shutdown;
    /** Options the program set, by (level, name): kept for channels opened later, and for those Java cannot set. */
    final Map<Option, Integer> setOptions = new LinkedHashMap<>();
    private int[] linger = {0, 0};
    /** Whether SO_LINGER was ever set (then channels opened later get it too). */
    private boolean setLinger;
    final WaitQueue waiters = new WaitQueue();
    /** SO_RCVTIMEO and SO_SNDTIMEO in nanoseconds, whole jiffies: -1 waits without limit, 0 not at all. */
    private long rcvTimeo = -1;
    private long sndTimeo = -1;
    /** CONFIG_HZ, which the timeouts are rounded up to (include/net/sock.h keeps them in jiffies). */
    private static final long HZ = 250;
    private static final long JIFFY_NANOS = 1_000_000_000L / HZ;

    InetSocket(HostNetwork net, int family, int type, int protocol, int flags, int ownerUid, int ownerGid) {
        super(net.newInode(), flags);
        this.net = net;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
    }

    /**
     * socket(family, type, protocol) for AF_INET or AF_INET6 (inet_create's look-up in
     * inetsw): a stream is TCP and a datagram UDP (protocol 0 or that one); ICMP datagram
     * ("ping") sockets are EACCES, as outside net.ipv4.ping_group_range; SOCK_RAW is EPERM
     * without CAP_NET_RAW; other types ESOCKTNOSUPPORT, other protocols EPROTONOSUPPORT.
     *
     * @param flags O_NONBLOCK for SOCK_NONBLOCK
     */
    public static InetSocket create(HostNetwork net, int family, int type, int protocol, int flags, int uid, int gid)
            throws ErrnoException {
        int proto = switch (type) {
            case SOCK_STREAM -> {
                if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP) throw new ErrnoException(Errno.EPROTONOSUPPORT);
                yield IPPROTO_TCP;
            }
            case SOCK_DGRAM -> {
                int ping = family == InetSockaddr.AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
                if (protocol == ping) throw new ErrnoException(Errno.EACCES);
                if (protocol != IPPROTO_IP && protocol != IPPROTO_UDP) throw new ErrnoException(Errno.EPROTONOSUPPORT);
                yield IPPROTO_UDP;
            }
            case SOCK_RAW -> throw new ErrnoException(Errno.EPERM);
            default -> throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        };
        if (net.mode() == HostNetwork.Mode.NONE) {
            return new IsolatedSocket(net, family, type, proto, flags, uid, gid);
        }
        try {
            return type == SOCK_STREAM ? new TcpSocket(net, family, flags, uid, gid)
                    : new UdpSocket(net, family, flags, uid, gid);
        } catch (IOException e) {
            throw new ErrnoException(HostErrors.errno(e));
        }
    }

    public final int family() {
        return family;
    }

    public final int type() {
        return type;
    }

    public final int protocol() {
        return protocol;
    }

    @Override
    protected final int ownerUid() {
        return ownerUid;
    }

    @Override
    protected final int ownerGid() {
        return ownerGid;
    }

    @Override
    public final Object waitChannel() {
        return this;
    }

    @Override
    public boolean writeEpipeRaisesSigpipe() {
        return type == SOCK_STREAM;
    }

    /** Whether a thread asleep on this socket waits for the host (false: only the guest can wake it). */
    public abstract boolean waitsForHost();

    // ---- what the system calls ask ----

    /**
     * bind(2). An IPv6 socket bound to one IPv6 address (neither the unspecified one nor an
     * IPv4-mapped one) becomes IPv6-only (inet6_bind sets sk_ipv6only).
     */
    public final void bind(InetSocketAddress address) throws ErrnoException {
        bindAddress(address);
        if (family == InetSockaddr.AF_INET6 && !address.getAddress().isAnyLocalAddress() && !InetSockaddr.isV4(address)) {
            setOptions.put(V6ONLY, 1);
        }
    }

    abstract void bindAddress(InetSocketAddress address) throws ErrnoException;

    public abstract void listen(int backlog) throws ErrnoException;

    /** accept4: the new connection (with O_NONBLOCK from {@code flags}); EAGAIN while there is none. */
    public abstract InetSocket accept(int flags) throws ErrnoException;

    /**
     * connect(2) to {@code address} (null: AF_UNSPEC, dissolve the association). A connection
     * that cannot complete at once is EINPROGRESS, or EAGAIN when {@code mayWait}: the call
     * sleeps and runs again, and then finds it done (0) or failed (its error).
     */
    public abstract void connect(InetSocketAddress address, boolean mayWait) throws ErrnoException;

    /** send(2) of {@code data} (to {@code to}, or null): bytes taken; EAGAIN when there is no room. */
    public abstract int send(byte[] data, InetSocketAddress to, int flags) throws ErrnoException;

    /** recv(2) of at most {@code len} bytes; EAGAIN while nothing is there (and MSG_WAITALL's rest, when {@code mayWait}). */
    public abstract Received receive(int len, int flags, boolean mayWait) throws ErrnoException;

    public abstract void shutdown(int how) throws ErrnoException;

    /** getsockname: the local address (null when unbound). */
    public abstract InetSocketAddress localAddress();

    /** getpeername: ENOTCONN when not connected. */
    public abstract InetSocketAddress peerAddress() throws ErrnoException;

    public abstract boolean listening();

    /** The host channels open now, which options go to. */
    abstract List<NetworkChannel> channels();

    /** The host socket closes (the last reference went, or the kernel ends). */
    abstract void closeHost();

    /** The host reported {@code ops} (SelectionKey bits) ready; the socket wakes whom it concerns. */
    void hostReady(int ops) {}

    @Override
    protected final void closeResource() {
        closeHost();
        net.forget(this);
        net.wake(this, PollTable.POLLHUP | PollTable.POLLERR);
    }

    /** How long a receive (or accept) waits: -1 without limit, 0 not at all (SO_RCVTIMEO). */
    public final long receiveTimeout() {
        return rcvTimeo;
    }

    /** How long a send (or connect) waits: -1 without limit, 0 not at all (SO_SNDTIMEO). */
    public final long sendTimeout() {
        return sndTimeo;
    }

    private static boolean isTimeout(int name) {
        return name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW;
    }

    private static boolean isReceiveTimeout(int name) {
        return name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW;
    }

    /** sock_get_timeout: a struct timeval (64-bit fields), {0, 0} for none. */
    private static byte[] timeval(long nanos) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        if (nanos > 0) {
            long jiffies = nanos / JIFFY_NANOS;
            b.putLong(jiffies / HZ).putLong((jiffies % HZ) * (1_000_000 / HZ));
        }
        return b.array();
    }

    /** sock_set_timeout: EDOM for tv_usec outside [0, 10^6); a negative tv_sec is no wait at all, {0, 0} none. */
    private static long timeout(byte[] value) throws ErrnoException {
        if (value.length < 16) throw new ErrnoException(Errno.EINVAL);
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        long sec = b.getLong(0);
        long usec = b.getLong(8);
        if (usec < 0 || usec >= 1_000_000) throw new ErrnoException(Errno.EDOM);
        if (sec < 0) return 0;
        if (sec == 0 && usec == 0) return -1;
        if (sec >= Long.MAX_VALUE / 1_000_000_000L / 2) return -1; // MAX_SCHEDULE_TIMEOUT
        long jiffies = sec * HZ + (usec + 1_000_000 / HZ - 1) / (1_000_000 / HZ);
        return jiffies * JIFFY_NANOS;
    }

    /** Sets the pending error (recvmmsg keeps the error that ended a batch for the next call). */
    public final void setPendingError(int errno) {
        error = errno;
    }

    /** SO_ERROR: the pending error, cleared. */
    public final int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    /** {@code read(2)}: a receive without flags. */
    @Override
    protected final long receive(byte[] buf, int off, int len) {
        try {
            Received r = receive(len, 0, false);
            System.arraycopy(r.data(), 0, buf, off, r.data().length);
            return r.data().length;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** {@code write(2)}: a send without flags or address. */
    @Override
    protected final long send(byte[] buf, int off, int len) {
        try {
            return send(java.util.Arrays.copyOfRange(buf, off, off + len), null, 0);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    // ---- options ----

    private static Option option(int level, int name) throws ErrnoException {
        for (Option o : OPTIONS) {
            if (o.level() == level && o.name() == name) return o;
        }
        throw new ErrnoException(Errno.ENOPROTOOPT);
    }

    /**
     * Whether the protocol has options at {@code level}: a TCP option of a UDP socket, IPv6's
     * of an IPv4 one, fall to ip_setsockopt (ENOPROTOOPT) or ip_getsockopt (EOPNOTSUPP).
     */
    private void checkLevel(int level, boolean get) throws ErrnoException {
        boolean ok = level == SOL_SOCKET || level == IPPROTO_IP
                || (level == IPPROTO_TCP && protocol == IPPROTO_TCP)
                || (level == IPPROTO_IPV6 && family == InetSockaddr.AF_INET6);
        if (!ok) throw new ErrnoException(get ? Errno.ENOTSUP : Errno.ENOPROTOOPT);
    }

    /** getsockopt(2): the value's bytes (an int, or SO_LINGER's struct linger). */
    public final byte[] getOption(int level, int name) throws ErrnoException {
        checkLevel(level, true);
        ByteBuffer out = ByteBuffer.allocate(level == SOL_SOCKET && name == SO_LINGER ? 8 : 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_TYPE -> out.putInt(type);
                case SO_ERROR -> out.putInt(takeError());
                case SO_PROTOCOL -> out.putInt(protocol);
                case SO_DOMAIN -> out.putInt(family);
                case SO_ACCEPTCONN -> out.putInt(listening() ? 1 : 0);
                case SO_LINGER -> out.putInt(linger[0]).putInt(linger[1]);
                case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> {
                    return timeval(rcvTimeo);
                }
                case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> {
                    return timeval(sndTimeo);
                }
                default -> out.putInt(optionValue(option(level, name)));
            }
            return out.array();
        }
        return out.putInt(optionValue(option(level, name))).array();
    }

    private int optionValue(Option o) {
        if (o.host() != null) {
            for (NetworkChannel ch : channels()) {
                if (ch.supportedOptions().contains(o.host())) {
                    try {
                        Object v = ch.getOption(o.host());
                        if (v instanceof Boolean b) return b ? 1 : 0;
                        // The JDK halves Linux's SO_SNDBUF and SO_RCVBUF so that they read as set; the guest sees Linux's.
                        boolean halved = o.host() == StandardSocketOptions.SO_SNDBUF
                                || o.host() == StandardSocketOptions.SO_RCVBUF;
                        return halved ? (Integer) v * 2 : (Integer) v;
                    } catch (IOException e) {
                        break; // a closed channel: what was set
                    }
                }
            }
        }
        Integer set = setOptions.get(o);
        if (set == null) return defaultValue(o);
        if (o.level() == SOL_SOCKET && (o.name() == SO_RCVBUF || o.name() == SO_SNDBUF)) {
            // sock_setsockopt: capped at rmem_max/wmem_max, doubled for the bookkeeping, at least the minimum.
            int min = o.name() == SO_RCVBUF ? UnixSocket.MIN_RCVBUF : UnixSocket.MIN_SNDBUF;
            return Math.max(Math.min(Math.max(set, 0), UnixSocket.MAX_BUFFER) * 2, min);
        }
        return set;
    }

    /** net.ipv4.tcp_wmem and tcp_rmem's defaults: a TCP socket's buffers before SO_SNDBUF/SO_RCVBUF. */
    static final int TCP_WMEM_DEFAULT = 16384;
    static final int TCP_RMEM_DEFAULT = 131072;

    /** What Linux answers for an option never set, where no host channel can say (an isolated socket's). */
    private int defaultValue(Option o) {
        if (o.level() != SOL_SOCKET) return 0;
        boolean tcp = protocol == IPPROTO_TCP;
        if (o.name() == SO_SNDBUF) return tcp ? TCP_WMEM_DEFAULT : UnixSocket.DEFAULT_BUFFER;
        if (o.name() == SO_RCVBUF) return tcp ? TCP_RMEM_DEFAULT : UnixSocket.DEFAULT_BUFFER;
        return 0;
    }

    /** setsockopt(2) with the value's bytes (EINVAL when shorter than an int, or a struct linger). */
    public final void setOption(int level, int name, byte[] value) throws ErrnoException {
        checkLevel(level, false);
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        if (level == SOL_SOCKET && name == SO_LINGER) {
            if (value.length < 8) throw new ErrnoException(Errno.EINVAL);
            linger = new int[] {in.getInt(0) != 0 ? 1 : 0, in.getInt(4)};
            setLinger = true;
            for (NetworkChannel ch : channels()) {
                applyLinger(ch);
            }
            return;
        }
        if (level == SOL_SOCKET && isTimeout(name)) {
            long t = timeout(value);
            if (isReceiveTimeout(name)) rcvTimeo = t;
            else sndTimeo = t;
            return;
        }
        if (level == SOL_SOCKET && (name == SO_TYPE || name == SO_ERROR || name == SO_PROTOCOL
                || name == SO_DOMAIN || name == SO_ACCEPTCONN)) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        Option o = option(level, name);
        if (value.length < 4) throw new ErrnoException(Errno.EINVAL);
        int v = in.getInt(0);
        if (o == V6ONLY && localAddress() != null) {
            throw new ErrnoException(Errno.EINVAL); // do_ipv6_setsockopt: only before bind
        }
        setOptions.put(o, o.flag() ? (v != 0 ? 1 : 0) : v);
        for (NetworkChannel ch : channels()) {
            apply(ch, o, v);
        }
    }

    /** The options the program set, onto a channel opened since (or an accepted one, which inherits them). */
    final void applyOptions(NetworkChannel ch) {
        setOptions.forEach((o, v) -> apply(ch, o, v));
        applyLinger(ch);
    }

    @SuppressWarnings("unchecked")
    private static void apply(NetworkChannel ch, Option o, int v) {
        if (o.host() == null || !ch.supportedOptions().contains(o.host())) return;
        try {
            if (o.flag()) {
                ch.setOption((SocketOption<Boolean>) o.host(), v != 0);
            } else {
                ch.setOption((SocketOption<Integer>) o.host(), Math.max(0, v));
            }
        } catch (IOException | IllegalArgumentException e) {
            // The host refused a value Linux takes (it clamps): the option keeps its value.
        }
    }

    private void applyLinger(NetworkChannel ch) {
        if (!setLinger) return;
        if (!ch.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) return;
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, linger[0] != 0 ? Math.max(0, linger[1]) : -1);
        } catch (IOException e) {
            // As above.
        }
    }

    /** IPV6_V6ONLY as set (the host's IPv6 sockets stay dual-stack; the guest's refuse IPv4 with it). */
    final boolean v6Only() {
        return family == InetSockaddr.AF_INET6 && setOptions.getOrDefault(V6ONLY, 0) != 0;
    }
}
