package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code run --net none}: {@code guest/programs/src/net_inet.c} in a network with no
 * interface up. The expected output is the program's under {@code unshare -rn qemu-aarch64}
 * on Linux 6.x: sockets are made, bind takes 127.0.0.1 (with a port of its own) but not ::1
 * (EADDRNOTAVAIL), every connect and send to an address is ENETUNREACH, and a listener
 * polled for a connection times out. The same program with the host's network gives its
 * recorded expected output instead (GuestProgramsTest), so the test tells the two apart.
 */
class NetNoneRunTest {
    @Test
    void withoutANetworkEveryRouteIsMissingAsUnderUnshareN() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--net", "none", GuestPrograms.binary("net_inet").toString());

        assertEquals(0, run.status(), run.out() + run.stderr());
        assertEquals(UNSHARE_N, run.out());
    }

    @Test
    void anUnknownModeIsAUsageError() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--net", "bridge", GuestPrograms.binary("net_inet").toString());

        assertEquals(2, run.status());
        assertTrue(run.stderr().contains("Invalid value for option '--net'"), run.stderr());
    }

    private static final String UNSHARE_N = """
            -- tcp between two processes
            tcp socket: ok
            tcp bind 127.0.0.1:0: ok
            getsockname: family 2, len 16, port nonzero 1
            listen: ok
            SO_ACCEPTCONN 1, SO_TYPE 1, SO_DOMAIN 2, SO_PROTOCOL 6
            child connect: ENETUNREACH
            poll listener: 0 revents 0
            client exit 1
            -- options
            setsockopt TCP_NODELAY: ok
            setsockopt SO_REUSEADDR: ok
            setsockopt SO_KEEPALIVE: ok
            TCP_NODELAY 1 SO_REUSEADDR 1 SO_KEEPALIVE 1 SO_ERROR 0 SO_ACCEPTCONN 0
            SO_RCVBUF after 65536: 131072
            short setsockopt: EINVAL
            unknown option: ENOPROTOOPT
            IPV6_V6ONLY on IPv4: 0
            fresh tcp socket revents 0x14
            recv unconnected: ENOTCONN
            send unconnected: EPIPE
            getpeername unconnected: ENOTCONN
            setsockopt SO_RCVTIMEO: ok
            SO_RCVTIMEO 1.500000 len 16
            tv_usec 10^6: EDOM
            recv with a 100 ms SO_RCVTIMEO: EAGAIN after at least 90 ms 1
            udp SO_TYPE 2 SO_PROTOCOL 17 TCP_NODELAY EOPNOTSUPP listen EOPNOTSUPP
            -- address checks
            bind addrlen 8: EINVAL
            bind sockaddr_in6 on AF_INET: EAFNOSUPPORT
            connect sockaddr_in6 on AF_INET: EAFNOSUPPORT
            socketpair AF_INET: EOPNOTSUPP
            socket AF_INET SOCK_SEQPACKET: ESOCKTNOSUPPORT
            socket AF_INET SOCK_STREAM IPPROTO_UDP: EPROTONOSUPPORT
            second bind to the same port: EADDRINUSE
            bind again: EINVAL
            -- refused
            connect to a closed port: ENETUNREACH
            non-blocking connect to a closed port: ENETUNREACH
            -- non-blocking, poll, epoll
            tcp socket: ok
            tcp bind 127.0.0.1:0: ok
            getsockname: family 2, len 16, port nonzero 1
            listen: ok
            non-blocking connect: ENETUNREACH
            -- sigpipe
            tcp socket: ok
            tcp bind 127.0.0.1:0: ok
            getsockname: family 2, len 16, port nonzero 1
            listen: ok
            connect: ENETUNREACH
            -- udp
            udp bind a: ok
            udp bind b: ok
            udp send without address: EDESTADDRREQ
            sendto -1 ENETUNREACH
            -- ipv6
            tcp6 socket: ok
            bind ::1: EADDRNOTAVAIL
            -- threads, select
            sendto -1; the thread got nothing (poll 0)
            select: 0, readable 0
            select on an empty socket: 0
            -- bulk
            tcp socket: ok
            tcp bind 127.0.0.1:0: ok
            getsockname: family 2, len 16, port nonzero 1
            listen: ok
            bulk: no connection
            bulk sender exit 1
            """;
}
