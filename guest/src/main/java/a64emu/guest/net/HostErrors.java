package a64emu.guest.net;

import a64emu.guest.Errno;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Map;

/**
 * The errno behind a host socket's Java exception. The JDK builds its socket exceptions'
 * messages from the host's strerror (and a few words of its own, such as "Connection
 * reset"), so the message names the errno the host kernel gave; the channel exceptions that
 * the JDK raises itself, before any system call, name the state it found.
 */
final class HostErrors {
    /** glibc's strerror texts (and the JDK's own words) for the errnos a socket call meets. */
    private static final Map<String, Integer> MESSAGES = Map.ofEntries(
            Map.entry("connection refused", Errno.ECONNREFUSED),
            Map.entry("connection reset by peer", Errno.ECONNRESET),
            Map.entry("connection reset", Errno.ECONNRESET),
            Map.entry("broken pipe", Errno.EPIPE),
            Map.entry("address already in use", Errno.EADDRINUSE),
            Map.entry("cannot assign requested address", Errno.EADDRNOTAVAIL),
            Map.entry("network is unreachable", Errno.ENETUNREACH),
            Map.entry("network is down", Errno.ENETDOWN),
            Map.entry("no route to host", Errno.EHOSTUNREACH),
            Map.entry("connection timed out", Errno.ETIMEDOUT),
            Map.entry("software caused connection abort", Errno.ECONNABORTED),
            Map.entry("permission denied", Errno.EACCES),
            Map.entry("operation not permitted", Errno.EPERM),
            Map.entry("message too long", Errno.EMSGSIZE),
            Map.entry("no buffer space available", Errno.ENOBUFS),
            Map.entry("invalid argument", Errno.EINVAL),
            Map.entry("address family not supported by protocol", Errno.EAFNOSUPPORT),
            Map.entry("protocol not available", Errno.ENOPROTOOPT),
            Map.entry("transport endpoint is not connected", Errno.ENOTCONN),
            Map.entry("destination address required", Errno.EDESTADDRREQ));

    private HostErrors() {}

    /** The errno of {@code e}; EIO for a host failure that names none of them. */
    static int errno(Exception e) {
        if (e instanceof PortUnreachableException) return Errno.ECONNREFUSED;
        if (e instanceof AlreadyConnectedException) return Errno.EISCONN;
        if (e instanceof ConnectionPendingException) return Errno.EALREADY;
        if (e instanceof NotYetConnectedException) return Errno.ENOTCONN;
        if (e instanceof AlreadyBoundException) return Errno.EINVAL;
        if (e instanceof UnsupportedAddressTypeException) return Errno.EAFNOSUPPORT;
        if (e instanceof ClosedChannelException) return Errno.EPIPE;
        String m = e.getMessage();
        if (m != null) {
            String key = m.toLowerCase(java.util.Locale.ROOT);
            int paren = key.indexOf(" (");
            if (paren > 0) key = key.substring(0, paren); // "Connection refused (Connection refused)"
            Integer errno = MESSAGES.get(key.strip());
            if (errno != null) return errno;
            for (Map.Entry<String, Integer> x : MESSAGES.entrySet()) {
                if (key.endsWith(": " + x.getKey())) return x.getValue();
            }
        }
        return e instanceof IOException ? Errno.EIO : Errno.EINVAL;
    }
}
