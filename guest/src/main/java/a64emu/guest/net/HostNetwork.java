package a64emu.guest.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The guest's AF_INET and AF_INET6 network (Linux's network namespace): in {@link Mode#HOST}
 * the host's, every guest socket being a host socket (as qemu-aarch64 forwards them); in
 * {@link Mode#NONE} a namespace of its own with no interface up ({@code unshare -n}).
 *
 * <p>Host sockets are non-blocking Java channels on one {@link Selector}, which only the
 * kernel's thread touches: a socket asks for the host readiness it waits for (data, room,
 * a connection) and forgets it once seen, so a level the guest leaves unread does not wake
 * the selector again. The scheduler looks at the selector at every scheduling point
 * ({@link #refresh}) and, when every guest thread sleeps and one waits for a socket, waits
 * on it in real time ({@link #await}); what it reports wakes the socket's sleepers and
 * pollers. No host thread of its own, and none blocked but the scheduler's, for a bounded
 * time.
 */
public final class HostNetwork {
    /** {@code run --net}: what the guest's AF_INET and AF_INET6 sockets reach. */
    public enum Mode {
        /** The host's network: each guest socket is a host socket. */
        HOST,
        /**
         * A network namespace whose loopback is down: sockets are made, bind takes the
         * unspecified address and 127.0.0.0/8 (not ::1), and every route is missing
         * (ENETUNREACH): what a program sees under {@code unshare -n}.
         */
        NONE
    }

    private final Mode mode;
    private final UnixNamespace inodes;
    private final Consumer<Object> wakeChannel;
    private Selector selector;
    private final Set<InetSocket> open = new LinkedHashSet<>();
    /** {@link Mode#NONE}: the ports bound, by protocol ("tcp:PORT"), and the next ephemeral port. */
    private final Set<String> isolatedPorts = new java.util.HashSet<>();
    private int nextEphemeral = EPHEMERAL_LOW;
    /** net.ipv4.ip_local_port_range's default. */
    static final int EPHEMERAL_LOW = 32768;
    static final int EPHEMERAL_HIGH = 60999;

    /**
     * @param inodes      where the sockfs inode numbers come from (shared with AF_UNIX sockets)
     * @param wakeChannel the kernel's wake-up of the threads sleeping on a channel (a socket)
     */
    public HostNetwork(Mode mode, UnixNamespace inodes, Consumer<Object> wakeChannel) {
        this.mode = mode;
        this.inodes = inodes;
        this.wakeChannel = wakeChannel;
    }

    public Mode mode() {
        return mode;
    }

    long newInode() {
        return inodes.newInode();
    }

    /** Registers {@code channel} (non-blocking) for {@code s}, interested in nothing yet. */
    SelectionKey register(InetSocket s, SelectableChannel channel) throws IOException {
        if (selector == null) selector = Selector.open();
        channel.configureBlocking(false);
        open.add(s);
        return channel.register(selector, 0, s);
    }

    /**
     * {@code s} has closed its channels: the selector lets go of them at once, since the JDK
     * closes a registered channel's host socket only when its key leaves the selector (a
     * listener left open would take connections the guest sees refused on Linux).
     */
    void forget(InetSocket s) {
        open.remove(s);
        settle();
    }

    /** Lets the host sockets of channels closed since go now (see {@link #forget}). */
    void settle() {
        if (selector == null) return;
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException("the host socket selector failed", e);
        }
        dispatch();
    }

    /** Wakes the threads sleeping on {@code s} and its pollers with {@code events}. */
    void wake(InetSocket s, int events) {
        wakeChannel.accept(s);
        s.waiters.wakeUp(events);
    }

    /**
     * Takes what the host reports ready now, without waiting, to the sockets (which wake their
     * sleepers and pollers); whether any was.
     */
    public boolean refresh() {
        if (selector == null) return false;
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException("the host socket selector failed", e);
        }
        return dispatch();
    }

    private boolean dispatch() {
        if (selector.selectedKeys().isEmpty()) return false;
        List<SelectionKey> ready = new ArrayList<>(selector.selectedKeys());
        selector.selectedKeys().clear();
        for (SelectionKey k : ready) {
            if (k.isValid() && k.attachment() instanceof InetSocket s) {
                int ops = k.readyOps();
                k.interestOps(k.interestOps() & ~ops);
                s.hostReady(ops);
            }
        }
        return true;
    }

    /**
     * Whether a guest thread or poller waits for a host socket (a thread asleep on one is
     * for the kernel to say: {@code blockedOnSocket}): then the scheduler waits in real time.
     */
    public boolean awaited(boolean blockedOnSocket) {
        if (blockedOnSocket) return true;
        for (InetSocket s : open) {
            if (s.waiters.size() > 0) return true;
        }
        return false;
    }

    /** Waits up to {@code nanos} for a host socket to become ready, then as {@link #refresh}. */
    public void await(long nanos) {
        if (selector == null) return;
        try {
            long millis = Math.max(1, nanos / 1_000_000);
            selector.select(millis);
            dispatch();
        } catch (IOException e) {
            throw new UncheckedIOException("the host socket selector failed", e);
        }
    }

    /** Ends an {@link #await} early; safe from any thread. */
    public void wakeup() {
        Selector s = selector;
        if (s != null) s.wakeup();
    }

    /** Closes every host socket still open and the selector (the kernel is done). */
    public void close() {
        for (InetSocket s : List.copyOf(open)) {
            s.closeHost();
        }
        open.clear();
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing is left to tell.
            }
        }
    }

    // ---- the isolated namespace's port table ----

    /** {@link Mode#NONE}'s bind of {@code port} (0: an ephemeral one) for {@code protocol}: the port, or -1 when taken. */
    int bindIsolated(String protocol, int port) {
        if (port != 0) return isolatedPorts.add(protocol + ":" + port) ? port : -1;
        for (int i = 0; i <= EPHEMERAL_HIGH - EPHEMERAL_LOW; i++) {
            int p = nextEphemeral;
            nextEphemeral = p == EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
            if (isolatedPorts.add(protocol + ":" + p)) return p;
        }
        return -1;
    }

    void unbindIsolated(String protocol, int port) {
        isolatedPorts.remove(protocol + ":" + port);
    }

    /** Sockets open now (for tests). */
    int openSockets() {
        return open.size();
    }
}
