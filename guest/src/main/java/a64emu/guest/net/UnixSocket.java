package a64emu.guest.net;

import static a64emu.guest.net.SocketFlags.*;

import static a64emu.guest.fs.PollTable.*;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.PollTable;
import a64emu.guest.fs.SocketFile;
import a64emu.guest.fs.WaitQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An AF_UNIX socket (Linux {@code net/unix/af_unix.c}) of type SOCK_STREAM, SOCK_DGRAM or
 * SOCK_SEQPACKET. Each socket has a receive queue of {@link Message}s; a send appends to the
 * peer's queue (or, for a datagram, to the queue of the socket its address names), and every
 * byte sent counts against the sender's send buffer until it is read, which is how a writer
 * comes to wait. A stream reads across messages; a datagram or record is read whole, the rest
 * of it dropped when the buffer is short. A connect queues a new server-side socket, already
 * connected to the client, on the listener, for accept to take.
 *
 * <p>Operations never sleep: where Linux would wait they answer -EAGAIN (or throw it), and the
 * system call layer puts the thread to sleep on this socket, which every change it cares about
 * wakes (the kernel's channel, and the {@link WaitQueue} pollers register on).
 */
public final class UnixSocket extends SocketFile {
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;

    /** net.core.wmem_default and rmem_default: every new socket's buffers. */
    public static final int DEFAULT_BUFFER = 212992;
    /** net.core.wmem_max and rmem_max: what SO_SNDBUF and SO_RCVBUF can ask for (doubled). */
    public static final int MAX_BUFFER = 212992;
    /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF on a 64-bit kernel. */
    public static final int MIN_SNDBUF = 4608;
    public static final int MIN_RCVBUF = 2304;
    /** net.unix.max_dgram_qlen: the datagrams a socket queues from senders it is not connected to. */
    public static final int MAX_DGRAM_QLEN = 10;
    /** net.core.somaxconn: listen's backlog is capped to it. */
    public static final int SOMAXCONN = 4096;
    /** SCM_MAX_FD: descriptors one message may carry. */
    public static final int SCM_MAX_FD = 253;
    /**
     * What a queued message costs its sender beyond its bytes (the sk_buff's truesize
     * overhead, roughly), so that many small messages fill a send buffer as on Linux.
     */
    static final int MESSAGE_OVERHEAD = 512;

    /** EPOLLRDHUP and EPOLLWRBAND (include/uapi/linux/eventpoll.h, asm-generic/poll.h). */
    static final int POLLRDHUP = 0x2000;
    static final int POLLWRBAND = 0x200;

    private enum State { CLOSE, LISTEN, ESTABLISHED }

    private final UnixNamespace ns;
    private final int type;
    private final int ownerUid;
    private final int ownerGid;
    private State state = State.CLOSE;
    private UnixSocket peer;
    /** The name getsockname answers (an accepted socket has its listener's); null when unnamed. */
    private UnixAddress address;
    /** Whether {@link #address} is this socket's own entry in the namespace (bind or autobind). */
    private boolean bound;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    /** A listener's connections not yet accepted (Linux queues their embryo sockets as skbs). */
    private final ArrayDeque<UnixSocket> pending = new ArrayDeque<>();
    private int backlog;
    private int shutdown;
    private int error;
    private boolean dead;
    /** Bytes (and overhead) of messages this socket sent that are still queued unread. */
    private long wmem;
    private int sndbuf = DEFAULT_BUFFER;
    private int rcvbuf = DEFAULT_BUFFER;
    private boolean passcred;
    /** The peer's credentials (SO_PEERCRED); this socket's own, for a listener (copied by connect). */
    private Credentials peerCred = Credentials.NONE;
    private Credentials listenCred = Credentials.NONE;
    final WaitQueue waiters = new WaitQueue();
    /**
     * What the last send that answered EAGAIN waits for when that is not this socket: the
     * receiver whose queue of datagrams from strangers is full (unix_wait_for_peer).
     */
    private UnixSocket blockedOn;

    private UnixSocket(UnixNamespace ns, int type, int flags, int ownerUid, int ownerGid) {
        super(ns.newInode(), flags);
        this.ns = ns;
        this.type = type;
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
    }

    /**
     * socket(AF_UNIX, type, 0): SOCK_RAW is taken as SOCK_DGRAM (unix_create).
     *
     * @param flags O_NONBLOCK for SOCK_NONBLOCK
     * @throws ErrnoException ESOCKTNOSUPPORT for another type
     */
    public static UnixSocket create(UnixNamespace ns, int type, int flags, Credentials owner) throws ErrnoException {
        int t = switch (type) {
            case SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM -> type;
            case SOCK_RAW -> SOCK_DGRAM;
            default -> throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        };
        return new UnixSocket(ns, t, flags, owner.uid(), owner.gid());
    }

    /** socketpair(2): two sockets connected to each other, each with the creator as its peer's credentials. */
    public static UnixSocket[] pair(UnixNamespace ns, int type, int flags, Credentials creator) throws ErrnoException {
        UnixSocket a = create(ns, type, flags, creator);
        UnixSocket b = create(ns, type, flags, creator);
        a.peer = b;
        b.peer = a;
        a.state = State.ESTABLISHED;
        b.state = State.ESTABLISHED;
        a.peerCred = creator;
        b.peerCred = creator;
        return new UnixSocket[] {a, b};
    }

    public int type() {
        return type;
    }

    @Override
    public boolean writeEpipeRaisesSigpipe() {
        return type == SOCK_STREAM;
    }

    @Override
    protected int ownerUid() {
        return ownerUid;
    }

    @Override
    protected int ownerGid() {
        return ownerGid;
    }

    @Override
    public Object waitChannel() {
        synchronized (ns.lock) {
            return blockedOn != null ? blockedOn : this;
        }
    }

    /** What a send that answered -EAGAIN sleeps on: this socket, or the receiver it waits for room in. */
    public Object sendChannel() {
        return waitChannel();
    }

    /** What a blocked connect sleeps on: the listener it waits for room in. */
    public Object connectChannel(UnixAddress addr, FileSystem fs) {
        synchronized (ns.lock) {
            try {
                return ns.find(addr, type, fs);
            } catch (ErrnoException e) {
                return this;
            }
        }
    }

    // ---- names ----

    /** bind(2): a name, or (null) an autobind name. EINVAL if already bound. */
    public void bind(UnixAddress addr, FileSystem fs) throws ErrnoException {
        synchronized (ns.lock) {
            if (addr == null) {
                autobind();
                return;
            }
            if (address != null) {
                // unix_bind_bsd makes the node before it finds the socket bound (and removes it
                // again), so a taken path is EADDRINUSE first; an abstract name is EINVAL first.
                if (!addr.isAbstract()) ns.checkPathFree(addr, fs);
                throw new ErrnoException(Errno.EINVAL);
            }
            ns.bind(this, type, addr, fs);
            address = addr;
            bound = true;
        }
    }

    private void autobind() throws ErrnoException {
        if (address == null) {
            address = ns.autobind(this, type);
            bound = true;
        }
    }

    /** getsockname(2): the bound name, or null when unnamed. */
    public UnixAddress address() {
        synchronized (ns.lock) {
            return address;
        }
    }

    /** getpeername(2): the peer's name (null when it has none). */
    public UnixAddress peerAddress() throws ErrnoException {
        synchronized (ns.lock) {
            if (peer == null) throw new ErrnoException(Errno.ENOTCONN);
            return peer.address;
        }
    }

    // ---- connections ----

    /** listen(2). */
    public void listen(int requested, Credentials who) throws ErrnoException {
        synchronized (ns.lock) {
            if (type != SOCK_STREAM && type != SOCK_SEQPACKET) throw new ErrnoException(Errno.ENOTSUP);
            if (address == null) throw new ErrnoException(Errno.EINVAL);
            if (state != State.CLOSE && state != State.LISTEN) throw new ErrnoException(Errno.EINVAL);
            int b = Integer.compareUnsigned(requested, SOMAXCONN) > 0 ? SOMAXCONN : requested;
            boolean grew = b > backlog;
            backlog = b;
            state = State.LISTEN;
            listenCred = who;
            if (grew) ns.wake(this);
        }
    }

    /**
     * connect(2) of a stream or seqpacket socket (unix_stream_connect): queues a new socket on
     * the listener; -EAGAIN (thrown) while the listener's backlog is full.
     */
    public void connect(UnixAddress addr, FileSystem fs, Credentials who) throws ErrnoException {
        synchronized (ns.lock) {
            if (type == SOCK_DGRAM) {
                connectDatagram(addr, fs);
                return;
            }
            if (addr == null) throw new ErrnoException(Errno.EINVAL);
            if (passcred) autobind();
            UnixSocket listener = ns.find(addr, type, fs);
            if (listener.state != State.LISTEN || (listener.shutdown & RCV_SHUTDOWN) != 0) {
                throw new ErrnoException(Errno.ECONNREFUSED);
            }
            if (listener.pending.size() > listener.backlog) throw new ErrnoException(Errno.EAGAIN);
            if (state == State.ESTABLISHED) throw new ErrnoException(Errno.EISCONN);
            if (state != State.CLOSE) throw new ErrnoException(Errno.EINVAL);
            UnixSocket server = new UnixSocket(ns, type, 0, listener.ownerUid, listener.ownerGid);
            server.state = State.ESTABLISHED;
            server.peer = this;
            server.peerCred = who;
            server.address = listener.address;
            server.sndbuf = listener.sndbuf;
            server.rcvbuf = listener.rcvbuf;
            server.passcred = listener.passcred;
            peer = server;
            peerCred = listener.listenCred;
            state = State.ESTABLISHED;
            listener.pending.add(server);
            ns.wake(listener);
            ns.wake(this);
        }
    }

    /** unix_dgram_connect: sets (or with null, AF_UNSPEC, clears) the default peer. */
    private void connectDatagram(UnixAddress addr, FileSystem fs) throws ErrnoException {
        UnixSocket other = null;
        if (addr != null) {
            if (passcred) autobind();
            other = ns.find(addr, type, fs);
            if (!mayReceiveFrom(other)) throw new ErrnoException(Errno.EPERM);
        }
        UnixSocket old = peer;
        peer = other;
        state = other == null ? State.CLOSE : State.ESTABLISHED;
        if (old != null && old != other) {
            disconnectedFrom(old);
        }
        ns.wake(this);
    }

    /** unix_may_send: a socket connected elsewhere takes datagrams only from its peer. */
    private boolean mayReceiveFrom(UnixSocket receiver) {
        return receiver.peer == null || receiver.peer == this;
    }

    /** unix_dgram_disconnected: the messages queued here are lost, and a peer that sent them learns it. */
    private void disconnectedFrom(UnixSocket old) {
        if (!queue.isEmpty()) {
            purge();
            if (!old.dead && old.peer == this) {
                old.error = Errno.ECONNRESET;
                ns.wake(old);
            }
        }
    }

    /**
     * accept(2)/accept4(2): the first pending connection, as a new file with {@code flags}
     * (O_NONBLOCK); -EAGAIN (thrown) when none is pending.
     */
    public UnixSocket accept(int flags) throws ErrnoException {
        synchronized (ns.lock) {
            if (type != SOCK_STREAM && type != SOCK_SEQPACKET) throw new ErrnoException(Errno.ENOTSUP);
            if (state != State.LISTEN) throw new ErrnoException(Errno.EINVAL);
            if (error != 0) throw new ErrnoException(takeErrorLocked());
            UnixSocket s = pending.poll();
            if (s == null) throw new ErrnoException(Errno.EAGAIN);
            if ((flags & OpenFlags.O_NONBLOCK) != 0) {
                s.makeNonBlocking();
            }
            ns.wake(this); // a connect waiting for room in the backlog
            return s;
        }
    }

    /** shutdown(2): SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2); a connected peer learns the other half. */
    public void shutdown(int how) throws ErrnoException {
        if (how < 0 || how > 2) throw new ErrnoException(Errno.EINVAL);
        int mode = how + 1;
        synchronized (ns.lock) {
            shutdown |= mode;
            UnixSocket other = peer;
            ns.wake(this);
            if (other != null && type != SOCK_DGRAM) {
                int peerMode = ((mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0)
                        | ((mode & SEND_SHUTDOWN) != 0 ? RCV_SHUTDOWN : 0);
                other.shutdown |= peerMode;
                ns.wake(other);
            }
        }
    }

    // ---- data ----

    /**
     * sendmsg(2) of {@code data} with {@code files} (SCM_RIGHTS, each retained by the caller
     * for the message: released here when the send fails). {@code to} is the address given
     * (null for none). Answers the bytes sent or -errno; -EAGAIN where a blocking send waits,
     * -EPIPE where a stream sender also gets SIGPIPE ({@link #writeEpipeRaisesSigpipe}).
     *
     * @param mayWait whether the send may wait (not O_NONBLOCK nor MSG_DONTWAIT): a stream
     *     send that may wait goes whole or not at all, one that may not sends what fits
     */
    public long send(byte[] data, List<OpenFile> files, Credentials creds, UnixAddress to, FileSystem fs,
            int flags, boolean mayWait) {
        long r;
        synchronized (ns.lock) {
            blockedOn = null;
            try {
                r = type == SOCK_STREAM ? sendStream(data, files, creds, to, mayWait)
                        : sendRecord(data, files, creds, to, fs);
            } catch (ErrnoException e) {
                r = -e.errno();
            }
        }
        if (r < 0) {
            files.forEach(OpenFile::release);
        }
        return r;
    }

    private long sendStream(byte[] data, List<OpenFile> files, Credentials creds, UnixAddress to, boolean mayWait)
            throws ErrnoException {
        if (to != null) throw new ErrnoException(state == State.ESTABLISHED ? Errno.EISCONN : Errno.ENOTSUP);
        UnixSocket other = peer;
        if (other == null) throw new ErrnoException(Errno.ENOTCONN);
        if ((shutdown & SEND_SHUTDOWN) != 0) throw new ErrnoException(Errno.EPIPE);
        if (other.dead || (other.shutdown & RCV_SHUTDOWN) != 0) throw new ErrnoException(Errno.EPIPE);
        if (wmem >= sndbuf) throw new ErrnoException(Errno.EAGAIN);
        int n = data.length;
        if (!mayWait) {
            n = (int) Math.min(n, sndbuf - wmem);
        }
        byte[] part = n == data.length ? data : java.util.Arrays.copyOf(data, n);
        enqueue(other, new Message(part, this, address, files, creds));
        return n;
    }

    /** unix_dgram_sendmsg, also for SOCK_SEQPACKET (unix_seqpacket_sendmsg) which ignores an address. */
    private long sendRecord(byte[] data, List<OpenFile> files, Credentials creds, UnixAddress to, FileSystem fs)
            throws ErrnoException {
        if (type == SOCK_SEQPACKET) {
            if (error != 0) throw new ErrnoException(takeErrorLocked());
            if (state != State.ESTABLISHED) throw new ErrnoException(Errno.ENOTCONN);
            to = null;
        }
        if (to == null && peer == null) throw new ErrnoException(Errno.ENOTCONN);
        if (passcred) autobind();
        if (data.length > sndbuf - 32) throw new ErrnoException(Errno.EMSGSIZE);
        if (wmem >= sndbuf) throw new ErrnoException(Errno.EAGAIN);
        UnixSocket other = to == null ? peer : ns.find(to, type, fs);
        if (!mayReceiveFrom(other)) throw new ErrnoException(Errno.EPERM);
        if (other.dead) {
            if (type == SOCK_SEQPACKET) throw new ErrnoException(Errno.EPIPE);
            if (peer == other) {
                peer = null;
                state = State.CLOSE;
                disconnectedFrom(other);
                throw new ErrnoException(Errno.ECONNREFUSED);
            }
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        if ((other.shutdown & RCV_SHUTDOWN) != 0) throw new ErrnoException(Errno.EPIPE);
        if (other != this && other.peer != this && other.queue.size() > MAX_DGRAM_QLEN) {
            blockedOn = other;
            throw new ErrnoException(Errno.EAGAIN);
        }
        enqueue(other, new Message(data, this, address, files, creds));
        return data.length;
    }

    private void enqueue(UnixSocket other, Message m) {
        other.queue.add(m);
        wmem += m.data.length + MESSAGE_OVERHEAD;
        ns.wake(other);
    }

    /** What a receive took: the bytes, the length recvmsg answers, and what came with them. */
    public record Received(byte[] data, int length, boolean truncated, UnixAddress from, List<OpenFile> files,
            Credentials creds) {}

    /**
     * recvmsg(2) of up to {@code len} bytes. The files received are the caller's (one
     * reference each) to install or release. -EAGAIN (thrown) when a receive must wait.
     */
    public Received receive(int len, int flags) throws ErrnoException {
        synchronized (ns.lock) {
            blockedOn = null;
            if (type == SOCK_STREAM) {
                if (state != State.ESTABLISHED) throw new ErrnoException(Errno.EINVAL);
                return receiveStream(len, flags);
            }
            if (type == SOCK_SEQPACKET && state != State.ESTABLISHED) throw new ErrnoException(Errno.ENOTCONN);
            return receiveRecord(len, flags);
        }
    }

    private Received nothingOrWait() throws ErrnoException {
        if (error != 0) throw new ErrnoException(takeErrorLocked());
        if ((shutdown & RCV_SHUTDOWN) != 0) return new Received(new byte[0], 0, false, null, List.of(), null);
        throw new ErrnoException(Errno.EAGAIN);
    }

    private Received receiveStream(int len, int flags) throws ErrnoException {
        if (queue.isEmpty()) return nothingOrWait();
        boolean peek = (flags & MSG_PEEK) != 0;
        long available = 0;
        for (Message m : queue) available += m.remaining();
        if ((flags & MSG_WAITALL) != 0 && !peek && (shutdown & RCV_SHUTDOWN) == 0 && peer != null && !peer.dead) {
            // Wait for all of it unless the sender is itself waiting for room (it could never come).
            if (available < len && peer.wmem < peer.sndbuf) throw new ErrnoException(Errno.EAGAIN);
        }
        len = (int) Math.min(len, available);
        byte[] out = new byte[len];
        int copied = 0;
        List<OpenFile> files = List.of();
        UnixAddress from = queue.peek().from;
        Credentials creds = queue.peek().creds;
        Iterator<Message> it = queue.iterator();
        while (copied < len && it.hasNext()) {
            Message m = it.next();
            int chunk = Math.min(len - copied, m.remaining());
            System.arraycopy(m.data, m.offset, out, copied, chunk);
            copied += chunk;
            boolean hadFiles = !m.files.isEmpty();
            if (peek) {
                if (hadFiles) {
                    files = retained(m.files);
                    break;
                }
                continue;
            }
            m.offset += chunk;
            if (hadFiles) {
                files = m.files;
                m.files = List.of();
            }
            if (m.remaining() > 0) {
                break;
            }
            it.remove();
            consumed(m);
            if (hadFiles) {
                break;
            }
        }
        return new Received(copied == len ? out : java.util.Arrays.copyOf(out, copied), copied, false, from, files,
                creds);
    }

    private Received receiveRecord(int len, int flags) throws ErrnoException {
        Message m = queue.peek();
        if (m == null) return nothingOrWait();
        boolean peek = (flags & MSG_PEEK) != 0;
        int n = Math.min(len, m.data.length);
        byte[] out = java.util.Arrays.copyOf(m.data, n);
        List<OpenFile> files;
        if (peek) {
            files = retained(m.files);
        } else {
            queue.poll();
            files = m.files;
            m.files = List.of();
            consumed(m);
        }
        boolean truncated = n < m.data.length;
        int length = (flags & MSG_TRUNC) != 0 ? m.data.length : n;
        return new Received(out, length, truncated, m.from, files, m.creds);
    }

    private static List<OpenFile> retained(List<OpenFile> files) {
        for (OpenFile f : files) {
            f.retain();
        }
        return new ArrayList<>(files);
    }

    /** A message left the queue: its sender has that much more room. */
    private void consumed(Message m) {
        m.sender.wmem -= m.data.length + MESSAGE_OVERHEAD;
        ns.wake(m.sender);
        ns.wake(this);
    }

    private void purge() {
        Message m;
        while ((m = queue.poll()) != null) {
            m.releaseFiles();
            consumed(m);
        }
    }

    @Override
    protected long receive(byte[] buf, int off, int len) {
        try {
            Received r = receive(len, 0);
            System.arraycopy(r.data(), 0, buf, off, r.data().length);
            r.files().forEach(OpenFile::release); // read(2) has no room for them (MSG_CTRUNC)
            return r.length();
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    @Override
    protected long send(byte[] buf, int off, int len) {
        byte[] data = off == 0 && len == buf.length ? buf : java.util.Arrays.copyOfRange(buf, off, off + len);
        return send(data, List.of(), null, null, null, 0, !nonBlocking());
    }

    // ---- options ----

    /** SO_ERROR: the pending error, cleared by reading it. */
    public int takeError() {
        synchronized (ns.lock) {
            return takeErrorLocked();
        }
    }

    private int takeErrorLocked() {
        int e = error;
        error = 0;
        return e;
    }

    public Credentials peerCredentials() {
        synchronized (ns.lock) {
            return peerCred;
        }
    }

    public boolean listening() {
        synchronized (ns.lock) {
            return state == State.LISTEN;
        }
    }

    public int sendBuffer() {
        synchronized (ns.lock) {
            return sndbuf;
        }
    }

    public int receiveBuffer() {
        synchronized (ns.lock) {
            return rcvbuf;
        }
    }

    /** SO_SNDBUF: twice the value asked for, capped by wmem_max, at least SOCK_MIN_SNDBUF. */
    public void setSendBuffer(int value) {
        synchronized (ns.lock) {
            int v = Integer.compareUnsigned(value, MAX_BUFFER) > 0 ? MAX_BUFFER : value;
            sndbuf = Math.max(v * 2, MIN_SNDBUF);
            ns.wake(this);
        }
    }

    /** SO_RCVBUF: twice the value asked for, capped by rmem_max, at least SOCK_MIN_RCVBUF. */
    public void setReceiveBuffer(int value) {
        synchronized (ns.lock) {
            int v = Integer.compareUnsigned(value, MAX_BUFFER) > 0 ? MAX_BUFFER : value;
            rcvbuf = Math.max(v * 2, MIN_RCVBUF);
        }
    }

    /** The socket-level flags AF_UNIX keeps but does not act on (SO_REUSEADDR, SO_KEEPALIVE...). */
    private static final java.util.Set<Integer> GENERIC_FLAGS = java.util.Set.of(2, 5, 6, 9, 10, 15);
    private final java.util.Map<Integer, Integer> genericFlags = new java.util.HashMap<>();

    /**
     * getsockopt of SO_REUSEADDR (2), SO_DONTROUTE (5), SO_BROADCAST (6), SO_KEEPALIVE (9),
     * SO_OOBINLINE (10) or SO_REUSEPORT (15): 0 or 1; null for another option.
     */
    public Integer genericOption(int name) {
        synchronized (ns.lock) {
            return GENERIC_FLAGS.contains(name) ? genericFlags.getOrDefault(name, 0) : null;
        }
    }

    /** setsockopt of one of those flags (any non-zero value sets it); false for another option. */
    public boolean setGenericOption(int name, int value) {
        synchronized (ns.lock) {
            if (!GENERIC_FLAGS.contains(name)) return false;
            genericFlags.put(name, value != 0 ? 1 : 0);
            return true;
        }
    }

    public boolean passCredentials() {
        synchronized (ns.lock) {
            return passcred;
        }
    }

    public void setPassCredentials(boolean on) {
        synchronized (ns.lock) {
            passcred = on;
        }
    }

    // ---- poll and close ----

    @Override
    public int poll(PollTable table) {
        synchronized (ns.lock) {
            PollTable.wait(table, waiters);
            int mask = 0;
            if (error != 0) mask |= POLLERR;
            if (shutdown == SHUTDOWN_MASK) mask |= POLLHUP;
            if ((shutdown & RCV_SHUTDOWN) != 0) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
            if (!queue.isEmpty() || !pending.isEmpty()) mask |= POLLIN | POLLRDNORM;
            if (type != SOCK_DGRAM && state == State.CLOSE) mask |= POLLHUP;
            boolean writable = state != State.LISTEN && wmem * 4 <= sndbuf;
            if (writable && type != SOCK_STREAM && peer != null) {
                PollTable.wait(table, peer.waiters);
                if (peer.peer != this && peer.queue.size() > MAX_DGRAM_QLEN) writable = false;
            }
            if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
            return mask;
        }
    }

    /** unix_release_sock: the name goes, the peer sees end of file (and ECONNRESET if data was lost). */
    @Override
    protected void closeResource() {
        synchronized (ns.lock) {
            dead = true;
            state = State.CLOSE;
            shutdown = SHUTDOWN_MASK;
            if (bound) {
                ns.unbind(this, address, type);
            }
            UnixSocket other = peer;
            if (other != null && type != SOCK_DGRAM) {
                other.shutdown = SHUTDOWN_MASK;
                if (!queue.isEmpty()) {
                    other.error = Errno.ECONNRESET;
                }
                ns.wake(other);
            }
            purge();
            UnixSocket embryo;
            while ((embryo = pending.poll()) != null) {
                // Connections never accepted: their clients see a reset.
                embryo.release();
                if (embryo.peer != null) embryo.peer.error = Errno.ECONNRESET;
            }
            ns.wake(this);
        }
    }
}
