package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.net.Credentials;
import a64emu.guest.net.InetSocket;
import a64emu.guest.net.SocketFlags;
import a64emu.guest.net.UnixAddress;
import a64emu.guest.net.UnixNamespace;
import a64emu.guest.net.UnixSocket;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket system calls (Linux {@code net/socket.c}) for AF_UNIX sockets: argument checks
 * in the order Linux makes them, copying addresses, iovecs and control messages between
 * guest memory and {@link UnixSocket}, and the sleeping: an operation that answers EAGAIN on
 * a blocking socket (and without MSG_DONTWAIT) puts the thread to sleep on the socket, and the
 * call runs again when the socket changes. AF_INET and AF_INET6 sockets go to
 * {@link InetSocketSyscalls}; other address families answer EAFNOSUPPORT.
 */
final class SocketSyscalls {
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** NPROTO/AF_MAX: families above are EAFNOSUPPORT before anything else. */
    static final int AF_MAX = 46;
    static final int SOCK_TYPE_MASK = 0xf;
    static final int SOCK_MAX = 11;
    static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK;
    static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
    /** sizeof(struct sockaddr_storage): the most move_addr_to_kernel copies. */
    static final int SOCKADDR_STORAGE = 128;
    static final int UIO_MAXIOV = 1024;
    static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~4095L;
    /**
     * The most one stream send takes (as read(2)/write(2) move a MiB at a time): a larger
     * blocking send returns that much, a short count, instead of queueing the whole buffer.
     */
    static final int SEND_MAX = 1 << 20;

    static final int SOL_SOCKET = 1;
    static final int SO_DEBUG = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_TYPE = 3;
    static final int SO_ERROR = 4;
    static final int SO_DONTROUTE = 5;
    static final int SO_BROADCAST = 6;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_KEEPALIVE = 9;
    static final int SO_OOBINLINE = 10;
    static final int SO_REUSEPORT = 15;
    static final int SO_PASSCRED = 16;
    static final int SO_PEERCRED = 17;
    static final int SO_ACCEPTCONN = 30;
    static final int SO_PROTOCOL = 38;
    static final int SO_DOMAIN = 39;

    static final int SCM_RIGHTS = 1;
    static final int SCM_CREDENTIALS = 2;
    static final int CMSG_HEADER = 16;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private final Process process;
    private final InetSocketSyscalls inet;
    private final MultiMessageSyscalls mmsg;
    /** The namespace of a process built alone (no kernel), for tests. */
    private UnixNamespace detached;

    SocketSyscalls(Process process) {
        this.process = process;
        this.inet = new InetSocketSyscalls(process, this);
        this.mmsg = new MultiMessageSyscalls(process, this);
    }

    /** sendmmsg(2): {@link MultiMessageSyscalls}, sendmsg after sendmsg. */
    long sendmmsg(int fd, long msgvec, int vlen, int flags) throws BadUserAddressException {
        return mmsg.sendmmsg(fd, msgvec, vlen, flags);
    }

    /** recvmmsg(2): {@link MultiMessageSyscalls}, recvmsg after recvmsg. */
    long recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout) throws BadUserAddressException {
        return mmsg.recvmmsg(fd, msgvec, vlen, flags, timeout);
    }

    private UnixNamespace namespace() {
        if (process.kernel != null) return process.kernel.unixSockets();
        if (detached == null) detached = new UnixNamespace(channel -> {});
        return detached;
    }

    private Credentials peerCredentials() {
        return new Credentials(process.pid, (int) process.credentials.euid(), (int) process.credentials.egid());
    }

    private Credentials messageCredentials() {
        return new Credentials(process.pid, (int) process.credentials.uid(), (int) process.credentials.gid());
    }

    /** sockfd_lookup: EBADF for no file, ENOTSOCK for a file that is not a socket. */
    private UnixSocket socket(int fd) throws ErrnoException {
        OpenFile f = process.files.file(fd);
        if (f == null) throw new ErrnoException(Errno.EBADF);
        if (!(f instanceof UnixSocket s)) throw new ErrnoException(Errno.ENOTSOCK);
        return s;
    }

    /**
     * An answer of -EAGAIN from a socket that may wait: the thread sleeps on {@code channel}
     * and the call runs again when it changes (a signal interrupts it, SA_RESTART restarting).
     */
    long waitOr(long result, boolean mayWait, Object channel, String reason) {
        if (result == -Errno.EAGAIN && mayWait && process.kernel != null) {
            Task.Wait w = new Task.Wait(reason, -1, 0, true);
            w.channel = channel;
            process.current.block(w);
        }
        return result;
    }

    /** socket(2). */
    long socket(int domain, int type, int protocol) {
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        type &= SOCK_TYPE_MASK;
        if (domain < 0 || domain >= AF_MAX) return -Errno.EAFNOSUPPORT;
        if (type >= SOCK_MAX) return -Errno.EINVAL;
        if (domain == AF_INET || domain == AF_INET6) return inet.socket(domain, type, protocol, flags);
        if (domain != AF_UNIX) return -Errno.EAFNOSUPPORT;
        if (protocol != 0 && protocol != AF_UNIX) return -Errno.EPROTONOSUPPORT;
        try {
            UnixSocket s = UnixSocket.create(namespace(), type, flags & SOCK_NONBLOCK, peerCredentials());
            return process.files.installNew(s, (flags & SOCK_CLOEXEC) != 0);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** socketpair(2): the two descriptors stored as int[2]. */
    long socketpair(int domain, int type, int protocol, long sv) throws BadUserAddressException {
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        type &= SOCK_TYPE_MASK;
        if (domain < 0 || domain >= AF_MAX) return -Errno.EAFNOSUPPORT;
        if (type >= SOCK_MAX) return -Errno.EINVAL;
        if (domain == AF_INET || domain == AF_INET6) return inet.socketpair(domain, type, protocol);
        if (domain != AF_UNIX) return -Errno.EAFNOSUPPORT;
        if (protocol != 0 && protocol != AF_UNIX) return -Errno.EPROTONOSUPPORT;
        UnixSocket[] pair;
        try {
            pair = UnixSocket.pair(namespace(), type, flags & SOCK_NONBLOCK, peerCredentials());
        } catch (ErrnoException e) {
            return -e.errno();
        }
        boolean cloexec = (flags & SOCK_CLOEXEC) != 0;
        int a = process.files.installNew(pair[0], cloexec);
        if (a < 0) {
            pair[1].release();
            return a;
        }
        int b = process.files.installNew(pair[1], cloexec);
        if (b < 0) {
            process.files.close(a);
            return b;
        }
        try {
            process.user.write32(sv, a);
            process.user.write32(sv + 4, b);
        } catch (BadUserAddressException e) {
            process.files.close(a);
            process.files.close(b);
            throw e;
        }
        return 0;
    }

    /** move_addr_to_kernel: the guest's sockaddr bytes (EINVAL for a length outside 0..128). */
    byte[] sockaddr(long addr, long len) throws BadUserAddressException, ErrnoException {
        if (len < 0 || len > SOCKADDR_STORAGE) throw new ErrnoException(Errno.EINVAL);
        return len == 0 ? new byte[0] : process.user.read(addr, (int) len);
    }

    private static int family(byte[] raw) {
        return raw.length < 2 ? -1 : (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
    }

    /** move_addr_to_user: as much of {@code addr} as the guest's length allows, then the full length. */
    void putSockaddr(byte[] addr, long addrVa, long lenVa) throws BadUserAddressException, ErrnoException {
        int ulen = process.user.read32(lenVa);
        if (ulen < 0) throw new ErrnoException(Errno.EINVAL);
        int n = Math.min(ulen, addr.length);
        if (n > 0) process.user.write(addrVa, addr, 0, n);
        process.user.write32(lenVa, addr.length);
    }

    long bind(int fd, long addr, long len) throws BadUserAddressException {
        try {
            byte[] raw = sockaddr(addr, len);
            if (process.files.file(fd) instanceof InetSocket is) return inet.bind(is, raw);
            UnixSocket s = socket(fd);
            UnixAddress a = raw.length == UnixAddress.PATH_OFFSET && family(raw) == AF_UNIX ? null : UnixAddress.parse(raw);
            s.bind(a, process.files.fileSystem());
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long listen(int fd, int backlog) {
        if (process.files.file(fd) instanceof InetSocket is) return inet.listen(is, backlog);
        try {
            socket(fd).listen(backlog, peerCredentials());
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long connect(int fd, long addr, long len) throws BadUserAddressException {
        UnixSocket s;
        UnixAddress a;
        try {
            byte[] raw = sockaddr(addr, len);
            if (process.files.file(fd) instanceof InetSocket is) return inet.connect(is, raw);
            s = socket(fd);
            if (s.type() == UnixSocket.SOCK_DGRAM && raw.length >= 2 && family(raw) == 0) {
                a = null; // AF_UNSPEC: dissolve the association
            } else {
                a = UnixAddress.parse(raw);
            }
        } catch (ErrnoException e) {
            return -e.errno();
        }
        try {
            s.connect(a, process.files.fileSystem(), peerCredentials());
            return 0;
        } catch (ErrnoException e) {
            return waitOr(-e.errno(), !s.nonBlocking(), s.connectChannel(a, process.files.fileSystem()),
                    "connect to a listening socket with a full backlog");
        }
    }

    long accept4(int fd, long addr, long addrLen, int flags) throws BadUserAddressException {
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        if (process.files.file(fd) instanceof InetSocket is) return inet.accept4(is, addr, addrLen, flags);
        UnixSocket s;
        try {
            s = socket(fd);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        UnixSocket accepted;
        try {
            accepted = s.accept(flags & SOCK_NONBLOCK);
        } catch (ErrnoException e) {
            return waitOr(-e.errno(), !s.nonBlocking(), s, "accept on a listening socket");
        }
        if (addr != 0) {
            try {
                UnixAddress peer = accepted.peerAddress();
                putSockaddr(peer == null ? UnixAddress.unnamed() : peer.encode(), addr, addrLen);
            } catch (ErrnoException | BadUserAddressException e) {
                accepted.release();
                return e instanceof ErrnoException ee ? -ee.errno() : -Errno.EFAULT;
            }
        }
        return process.files.installNew(accepted, (flags & SOCK_CLOEXEC) != 0);
    }

    long getsockname(int fd, long addr, long addrLen, boolean peer) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.getsockname(is, addr, addrLen, peer);
        try {
            UnixSocket s = socket(fd);
            UnixAddress a = peer ? s.peerAddress() : s.address();
            putSockaddr(a == null ? UnixAddress.unnamed() : a.encode(), addr, addrLen);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long shutdown(int fd, int how) {
        if (process.files.file(fd) instanceof InetSocket is) return inet.shutdown(is, how);
        try {
            socket(fd).shutdown(how);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    // ---- send ----

    long sendto(int fd, long buf, long len, int flags, long addr, long addrLen) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.sendto(is, buf, len, flags, addr, addrLen);
        try {
            UnixSocket s = socket(fd);
            int n = (int) Math.min(Math.max(len, 0), sendLimit(s));
            if (s.type() != UnixSocket.SOCK_STREAM && len > n) return -Errno.EMSGSIZE;
            byte[] data = n == 0 ? new byte[0] : process.user.read(buf, n);
            byte[] raw = addr == 0 ? new byte[0] : sockaddr(addr, addrLen);
            return send(s, data, List.of(), null, raw, flags);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** struct msghdr: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48. */
    long sendmsg(int fd, long msg, int flags) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.sendmsg(is, msg, flags);
        UnixSocket s;
        try {
            s = socket(fd);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        long name = process.user.read64(msg);
        int nameLen = process.user.read32(msg + 8);
        long control = process.user.read64(msg + 32);
        long controlLen = process.user.read64(msg + 40);
        List<OpenFile> files = new ArrayList<>();
        try {
            long[][] iov = iovecs(msg);
            long limit = sendLimit(s);
            long total = 0;
            for (long[] v : iov) total += v[1];
            if (s.type() != UnixSocket.SOCK_STREAM && total > limit) throw new ErrnoException(Errno.EMSGSIZE);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (long[] v : iov) {
                int n = (int) Math.min(v[1], limit - data.size());
                if (n > 0) data.write(process.user.read(v[0], n), 0, n);
            }
            byte[] raw = name == 0 || nameLen == 0 ? new byte[0] : sockaddr(name, nameLen);
            Credentials creds = controlMessages(control, controlLen, files);
            return send(s, data.toByteArray(), files, creds, raw, flags);
        } catch (ErrnoException e) {
            files.forEach(OpenFile::release);
            return -e.errno();
        } catch (BadUserAddressException e) {
            files.forEach(OpenFile::release);
            throw e;
        }
    }

    /** The bytes one send takes: SEND_MAX of a stream, a datagram or record at most sndbuf - 32 (else EMSGSIZE). */
    private static long sendLimit(UnixSocket s) {
        return s.type() == UnixSocket.SOCK_STREAM ? SEND_MAX : Math.max(0, s.sendBuffer() - 32);
    }

    /** The msghdr's iovecs as {base, len}: EMSGSIZE beyond UIO_MAXIOV, EINVAL for a negative length; capped at MAX_RW_COUNT. */
    long[][] iovecs(long msg) throws BadUserAddressException, ErrnoException {
        long iov = process.user.read64(msg + 16);
        long count = process.user.read64(msg + 24);
        if (Long.compareUnsigned(count, UIO_MAXIOV) > 0) throw new ErrnoException(Errno.EMSGSIZE);
        long[][] v = new long[(int) count][];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = process.user.read64(iov + 16L * i);
            long len = process.user.read64(iov + 16L * i + 8);
            if (len < 0) throw new ErrnoException(Errno.EINVAL);
            len = Math.min(len, MAX_RW_COUNT - total);
            total += len;
            v[i] = new long[] {base, len};
        }
        return v;
    }

    /**
     * __scm_send: the SOL_SOCKET control messages (others are skipped): SCM_RIGHTS files, each
     * retained into {@code files}, and SCM_CREDENTIALS, which must name the sender (EPERM
     * otherwise, unless root). Answers the credentials the message carries.
     */
    private Credentials controlMessages(long control, long controlLen, List<OpenFile> files)
            throws BadUserAddressException, ErrnoException {
        Credentials creds = messageCredentials();
        long off = 0;
        while (control != 0 && off + CMSG_HEADER <= controlLen) {
            long len = process.user.read64(control + off);
            int level = process.user.read32(control + off + 8);
            int type = process.user.read32(control + off + 12);
            if (len < CMSG_HEADER || Long.compareUnsigned(len, controlLen - off) > 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (level == SOL_SOCKET) {
                switch (type) {
                    case SCM_RIGHTS -> {
                        int n = (int) ((len - CMSG_HEADER) / 4);
                        if (files.size() + n > UnixSocket.SCM_MAX_FD) throw new ErrnoException(Errno.EINVAL);
                        for (int i = 0; i < n; i++) {
                            int fd = process.user.read32(control + off + CMSG_HEADER + 4L * i);
                            OpenFile f = process.files.file(fd);
                            if (f == null) throw new ErrnoException(Errno.EBADF);
                            f.retain();
                            files.add(f);
                        }
                    }
                    case SCM_CREDENTIALS -> {
                        if (len != CMSG_HEADER + 12) throw new ErrnoException(Errno.EINVAL);
                        Credentials c = new Credentials(process.user.read32(control + off + 16),
                                process.user.read32(control + off + 20), process.user.read32(control + off + 24));
                        checkCredentials(c);
                        creds = c;
                    }
                    default -> throw new ErrnoException(Errno.EINVAL);
                }
            }
            off += (len + 7) & ~7L;
        }
        return creds;
    }

    /** scm_check_creds: one's own pid, and a uid and gid one holds, unless privileged. */
    private void checkCredentials(Credentials c) throws ErrnoException {
        var own = process.credentials;
        boolean root = own.euid() == 0;
        boolean pidOk = c.pid() == process.pid || root;
        boolean uidOk = c.uid() == (int) own.uid() || c.uid() == (int) own.euid() || root;
        boolean gidOk = c.gid() == (int) own.gid() || c.gid() == (int) own.egid() || root;
        if (!pidOk || !uidOk || !gidOk) throw new ErrnoException(Errno.EPERM);
    }

    private long send(UnixSocket s, byte[] data, List<OpenFile> files, Credentials creds, byte[] rawAddress, int flags)
            throws ErrnoException {
        if ((flags & SocketFlags.MSG_OOB) != 0) {
            files.forEach(OpenFile::release);
            return -Errno.ENOTSUP;
        }
        UnixAddress to = null;
        if (rawAddress.length > 0) {
            to = UnixAddress.parse(rawAddress); // on EINVAL the caller releases the files
        }
        boolean mayWait = !s.nonBlocking() && (flags & SocketFlags.MSG_DONTWAIT) == 0;
        long r = s.send(data, files, creds == null ? messageCredentials() : creds, to, process.files.fileSystem(),
                flags, mayWait);
        if (r == -Errno.EPIPE && s.writeEpipeRaisesSigpipe() && (flags & SocketFlags.MSG_NOSIGNAL) == 0
                && process.kernel != null) {
            process.kernel.signals().sendToThread(process.current, SignalInfo.fromProcess(Signal.SIGPIPE,
                    Signal.SI_USER, process.pid, (int) process.credentials.uid(), "send on a socket whose peer has gone"));
        }
        if (r == -Errno.EAGAIN && mayWait) {
            // Nothing went: the files were released with the failed send and are taken again on the retry.
            return waitOr(r, true, s.sendChannel(), "send on a full socket");
        }
        return r;
    }

    // ---- receive ----

    long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLen) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.recvfrom(is, buf, len, flags, addr, addrLen);
        UnixSocket s;
        try {
            s = socket(fd);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        int n = (int) Math.min(Math.max(len, 0), MAX_RW_COUNT);
        UnixSocket.Received r;
        try {
            r = s.receive(n, flags);
        } catch (ErrnoException e) {
            return receiveWaitOr(s, e, flags);
        }
        r.files().forEach(OpenFile::release);
        if (r.data().length > 0) process.user.write(buf, r.data());
        if (addr != 0) {
            try {
                putSockaddr(r.from() == null ? new byte[0] : r.from().encode(), addr, addrLen);
            } catch (ErrnoException e) {
                return -e.errno();
            }
        }
        return r.length();
    }

    private long receiveWaitOr(UnixSocket s, ErrnoException e, int flags) {
        boolean mayWait = !s.nonBlocking() && (flags & SocketFlags.MSG_DONTWAIT) == 0;
        return waitOr(-e.errno(), mayWait, s, "receive on an empty socket");
    }

    long recvmsg(int fd, long msg, int flags) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.recvmsg(is, msg, flags);
        UnixSocket s;
        long[][] iov;
        try {
            s = socket(fd);
            iov = iovecs(msg);
        } catch (ErrnoException e) {
            return -e.errno();
        }
        long name = process.user.read64(msg);
        int nameLen = process.user.read32(msg + 8);
        if (nameLen < 0) return -Errno.EINVAL;
        long control = process.user.read64(msg + 32);
        long controlLen = process.user.read64(msg + 40);
        long total = 0;
        for (long[] v : iov) total += v[1];
        UnixSocket.Received r;
        try {
            r = s.receive((int) total, flags & ~MSG_CMSG_CLOEXEC);
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
        int msgFlags = r.truncated() ? SocketFlags.MSG_TRUNC : 0;
        long used = 0;
        if (r.creds() != null && s.passCredentials()) {
            byte[] cred = new byte[12];
            java.nio.ByteBuffer.wrap(cred).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(r.creds().pid()).putInt(r.creds().uid()).putInt(r.creds().gid());
            long[] put = putCmsg(control, controlLen, used, SCM_CREDENTIALS, cred);
            used = put[0];
            msgFlags |= (int) put[1];
        }
        if (!r.files().isEmpty()) {
            long room = controlLen - used;
            int fdmax = room > CMSG_HEADER ? (int) Math.min((room - CMSG_HEADER) / 4, Integer.MAX_VALUE) : 0;
            if (control == 0) fdmax = 0;
            boolean cloexec = (flags & MSG_CMSG_CLOEXEC) != 0;
            List<Integer> fds = new ArrayList<>();
            int i = 0;
            for (OpenFile f : r.files()) {
                if (i < fdmax) {
                    int newFd = process.files.installNew(f, cloexec);
                    if (newFd < 0) {
                        msgFlags |= SocketFlags.MSG_CTRUNC;
                        fdmax = i; // EMFILE: the rest are dropped
                    } else {
                        fds.add(newFd);
                    }
                } else {
                    f.release();
                }
                i++;
            }
            if (fds.size() < r.files().size()) msgFlags |= SocketFlags.MSG_CTRUNC;
            if (!fds.isEmpty()) {
                byte[] data = new byte[4 * fds.size()];
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                fds.forEach(bb::putInt);
                long[] put = putCmsg(control, controlLen, used, SCM_RIGHTS, data);
                used = put[0];
                msgFlags |= (int) put[1];
            }
        }
        if (name != 0) {
            byte[] from = r.from() == null ? new byte[0] : r.from().encode();
            int n = Math.min(nameLen, from.length);
            if (n > 0) process.user.write(name, from, 0, n);
            process.user.write32(msg + 8, from.length);
        }
        process.user.write64(msg + 40, used);
        process.user.write32(msg + 48, msgFlags);
        return r.length();
    }

    /** put_cmsg at {@code used}: answers {new used, MSG_CTRUNC or 0}. */
    private long[] putCmsg(long control, long controlLen, long used, int type, byte[] data)
            throws BadUserAddressException {
        long room = controlLen - used;
        if (control == 0 || room < CMSG_HEADER) return new long[] {used, SocketFlags.MSG_CTRUNC};
        long cmlen = CMSG_HEADER + data.length;
        long flag = 0;
        if (room < cmlen) {
            flag = SocketFlags.MSG_CTRUNC;
            cmlen = room;
        }
        process.user.write64(control + used, CMSG_HEADER + data.length);
        process.user.write32(control + used + 8, SOL_SOCKET);
        process.user.write32(control + used + 12, type);
        if (cmlen > CMSG_HEADER) process.user.write(control + used + CMSG_HEADER, data, 0, (int) (cmlen - CMSG_HEADER));
        long space = Math.min((CMSG_HEADER + data.length + 7) & ~7L, room);
        return new long[] {used + space, flag};
    }

    // ---- options ----

    long getsockopt(int fd, int level, int name, long value, long lenVa) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.getsockopt(is, level, name, value, lenVa);
        try {
            UnixSocket s = socket(fd);
            int len = process.user.read32(lenVa);
            if (len < 0) return -Errno.EINVAL;
            if (level != SOL_SOCKET) return -Errno.ENOTSUP;
            byte[] out;
            if (name == SO_PEERCRED) {
                Credentials c = s.peerCredentials();
                out = new byte[12];
                java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putInt(c.pid()).putInt(c.uid()).putInt(c.gid());
            } else {
                int v = switch (name) {
                    case SO_TYPE -> s.type();
                    case SO_ERROR -> s.takeError();
                    case SO_SNDBUF -> s.sendBuffer();
                    case SO_RCVBUF -> s.receiveBuffer();
                    case SO_PASSCRED -> s.passCredentials() ? 1 : 0;
                    case SO_ACCEPTCONN -> s.listening() ? 1 : 0;
                    case SO_PROTOCOL -> 0;
                    case SO_DOMAIN -> AF_UNIX;
                    default -> {
                        Integer flag = s.genericOption(name);
                        if (flag == null) throw new ErrnoException(Errno.ENOPROTOOPT);
                        yield flag;
                    }
                };
                out = new byte[4];
                java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v);
            }
            int n = Math.min(len, out.length);
            if (n > 0) process.user.write(value, out, 0, n);
            process.user.write32(lenVa, n);
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    long setsockopt(int fd, int level, int name, long value, long len) throws BadUserAddressException {
        if (process.files.file(fd) instanceof InetSocket is) return inet.setsockopt(is, level, name, value, len);
        try {
            UnixSocket s = socket(fd);
            if (level != SOL_SOCKET) return -Errno.ENOTSUP;
            if (len < 4) return -Errno.EINVAL;
            int v = process.user.read32(value);
            switch (name) {
                case SO_SNDBUF -> s.setSendBuffer(v);
                case SO_RCVBUF -> s.setReceiveBuffer(v);
                case SO_PASSCRED -> s.setPassCredentials(v != 0);
                case SO_TYPE, SO_ERROR, SO_PEERCRED, SO_ACCEPTCONN, SO_PROTOCOL, SO_DOMAIN -> {
                    return -Errno.ENOPROTOOPT;
                }
                default -> {
                    if (!s.setGenericOption(name, v)) return -Errno.ENOPROTOOPT;
                }
            }
            return 0;
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }
}
