/*
 * AF_INET and AF_INET6 sockets over the loopback: a TCP server and client in two processes
 * (fork), a UDP echo, a non-blocking connect watched by poll and epoll, a refused
 * connection, EPIPE and SIGPIPE after the peer closed, MSG_PEEK, MSG_TRUNC and MSG_WAITALL,
 * the common socket options, the address checks, and IPv6 over ::1. Ports are chosen by the
 * kernel (bind to port 0) and never printed. Each step prints what it got and goes on after a
 * failure, so that the same program shows what a network with no interface up answers
 * (run --net none: socket and bind to 127.0.0.1 work, every route is missing).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case ENETUNREACH: return "ENETUNREACH";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case EPIPE: return "EPIPE";
    case EAGAIN: return "EAGAIN";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EMSGSIZE: return "EMSGSIZE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EDOM: return "EDOM";
    default: return "other";
    }
}

static void report(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: ok\n", what);
}

static struct sockaddr_in loopback4(int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A port nothing listens on: one the kernel handed out and took back. */
static int closed_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(0);
    socklen_t len = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

static int getint(int s, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(s, level, name, &v, &len) < 0) return -errno;
    return v;
}

/* A listening TCP socket on 127.0.0.1 with a kernel-chosen port, or -1. */
static int tcp_listener(struct sockaddr_in *where) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    report("tcp socket", s);
    *where = loopback4(0);
    report("tcp bind 127.0.0.1:0", bind(s, (struct sockaddr *)where, sizeof *where));
    socklen_t len = sizeof *where;
    getsockname(s, (struct sockaddr *)where, &len);
    printf("getsockname: family %d, len %d, port nonzero %d\n", where->sin_family, (int)len, where->sin_port != 0);
    report("listen", listen(s, 8));
    return s;
}

static void tcp_fork(void) {
    struct sockaddr_in srv;
    int l = tcp_listener(&srv);
    printf("SO_ACCEPTCONN %d, SO_TYPE %d, SO_DOMAIN %d, SO_PROTOCOL %d\n", getint(l, SOL_SOCKET, SO_ACCEPTCONN),
           getint(l, SOL_SOCKET, SO_TYPE), getint(l, SOL_SOCKET, SO_DOMAIN), getint(l, SOL_SOCKET, SO_PROTOCOL));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(l);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&srv, sizeof srv) < 0) {
            printf("child connect: %s\n", errname(errno));
            _exit(1);
        }
        const char *msg = "hello from the client";
        if (send(c, msg, strlen(msg), 0) != (ssize_t)strlen(msg)) _exit(2);
        char buf[64];
        ssize_t n = recv(c, buf, sizeof buf, MSG_WAITALL);
        if (n != 5 || memcmp(buf, "world", 5) != 0) _exit(3);
        /* The server shut its writing side after "world": the end of the stream. */
        if (recv(c, buf, sizeof buf, 0) != 0) _exit(4);
        /* Two pieces, for the server's MSG_WAITALL. */
        send(c, "abc", 3, 0);
        usleep(20000);
        send(c, "defgh", 5, 0);
        close(c);
        _exit(0);
    }
    struct pollfd p = {l, POLLIN, 0};
    int ready = poll(&p, 1, 3000);
    printf("poll listener: %d revents %#x\n", ready, p.revents);
    if (ready == 1) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int a = accept4(l, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
        report("accept4", a);
        printf("peer family %d, len %d, loopback %d\n", peer.sin_family, (int)len,
               peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
        struct sockaddr_in me, them;
        socklen_t l1 = sizeof me, l2 = sizeof them;
        getsockname(a, (struct sockaddr *)&me, &l1);
        getpeername(a, (struct sockaddr *)&them, &l2);
        printf("accepted local port is the listener's %d, peer port matches %d\n", me.sin_port == srv.sin_port,
               them.sin_port == peer.sin_port);
        char buf[64];
        ssize_t n = recv(a, buf, 5, MSG_PEEK);
        printf("peek %zd '%.5s'\n", n, buf);
        n = recv(a, buf, sizeof buf, 0);
        printf("recv %zd '%.*s'\n", n, (int)n, buf);
        printf("send %zd\n", send(a, "world", 5, 0));
        report("shutdown SHUT_WR", shutdown(a, SHUT_WR));
        n = recv(a, buf, 8, MSG_WAITALL);
        printf("recv MSG_WAITALL %zd '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
        n = recv(a, buf, sizeof buf, 0);
        printf("recv at the end %zd\n", n);
        close(a);
    }
    int status;
    waitpid(child, &status, 0);
    printf("client exit %d\n", WEXITSTATUS(status));
    close(l);
}

static void options(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    report("setsockopt TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    report("setsockopt SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    report("setsockopt SO_KEEPALIVE", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
    printf("TCP_NODELAY %d SO_REUSEADDR %d SO_KEEPALIVE %d SO_ERROR %d SO_ACCEPTCONN %d\n",
           getint(s, IPPROTO_TCP, TCP_NODELAY), getint(s, SOL_SOCKET, SO_REUSEADDR),
           getint(s, SOL_SOCKET, SO_KEEPALIVE), getint(s, SOL_SOCKET, SO_ERROR), getint(s, SOL_SOCKET, SO_ACCEPTCONN));
    int rcv = 65536;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    printf("SO_RCVBUF after 65536: %d\n", getint(s, SOL_SOCKET, SO_RCVBUF));
    printf("short setsockopt: %s\n", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 2) < 0 ? errname(errno) : "ok");
    printf("unknown option: %s\n", setsockopt(s, SOL_SOCKET, 9999, &one, sizeof one) < 0 ? errname(errno) : "ok");
    printf("IPV6_V6ONLY on IPv4: %d\n", getint(s, IPPROTO_IPV6, IPV6_V6ONLY) == -ENOPROTOOPT);
    struct pollfd p = {s, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    printf("fresh tcp socket revents %#x\n", p.revents);
    char c;
    printf("recv unconnected: %s\n", recv(s, &c, 1, 0) < 0 ? errname(errno) : "ok");
    signal(SIGPIPE, SIG_IGN);
    printf("send unconnected: %s\n", send(s, "x", 1, 0) < 0 ? errname(errno) : "ok");
    signal(SIGPIPE, SIG_DFL);
    printf("getpeername unconnected: %s\n", getpeername(s, (struct sockaddr *)&p, &(socklen_t){16}) < 0
           ? errname(errno) : "ok");
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    /* SO_RCVTIMEO: a receive that waits that long answers EAGAIN. */
    struct sockaddr_in here = loopback4(0);
    bind(u, (struct sockaddr *)&here, sizeof here);
    struct timeval tv = {1, 500000}, got = {0, 0};
    socklen_t tl = sizeof got;
    report("setsockopt SO_RCVTIMEO", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &got, &tl);
    printf("SO_RCVTIMEO %ld.%06ld len %d\n", (long)got.tv_sec, (long)got.tv_usec, (int)tl);
    struct timeval bad = {0, 1000000};
    printf("tv_usec 10^6: %s\n", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof bad) < 0 ? errname(errno) : "ok");
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char c2;
    ssize_t rr = recv(u, &c2, 1, 0);
    int re = errno;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("recv with a 100 ms SO_RCVTIMEO: %s after at least 90 ms %d\n", rr < 0 ? errname(re) : "data", waited >= 90);
    printf("udp SO_TYPE %d SO_PROTOCOL %d TCP_NODELAY %s listen %s\n", getint(u, SOL_SOCKET, SO_TYPE),
           getint(u, SOL_SOCKET, SO_PROTOCOL), errname(-getint(u, IPPROTO_TCP, TCP_NODELAY)),
           listen(u, 1) < 0 ? errname(errno) : "ok");
    close(u);
}

static void checks(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(0);
    printf("bind addrlen 8: %s\n", bind(s, (struct sockaddr *)&a, 8) < 0 ? errname(errno) : "ok");
    struct sockaddr_in6 six;
    memset(&six, 0, sizeof six);
    six.sin6_family = AF_INET6;
    six.sin6_addr = in6addr_loopback;
    printf("bind sockaddr_in6 on AF_INET: %s\n", bind(s, (struct sockaddr *)&six, sizeof six) < 0 ? errname(errno) : "ok");
    printf("connect sockaddr_in6 on AF_INET: %s\n",
           connect(s, (struct sockaddr *)&six, sizeof six) < 0 ? errname(errno) : "ok");
    close(s);
    int sv[2];
    printf("socketpair AF_INET: %s\n", socketpair(AF_INET, SOCK_STREAM, 0, sv) < 0 ? errname(errno) : "ok");
    printf("socket AF_INET SOCK_SEQPACKET: %s\n", socket(AF_INET, SOCK_SEQPACKET, 0) < 0 ? errname(errno) : "ok");
    printf("socket AF_INET SOCK_STREAM IPPROTO_UDP: %s\n",
           socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) < 0 ? errname(errno) : "ok");
    int x = socket(AF_INET, SOCK_STREAM, 0), y = socket(AF_INET, SOCK_STREAM, 0);
    a = loopback4(0);
    socklen_t len = sizeof a;
    if (bind(x, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(x, (struct sockaddr *)&a, &len) == 0) {
        printf("second bind to the same port: %s\n", bind(y, (struct sockaddr *)&a, sizeof a) < 0 ? errname(errno) : "ok");
        printf("bind again: %s\n", bind(x, (struct sockaddr *)&a, sizeof a) < 0 ? errname(errno) : "ok");
    }
    close(x);
    close(y);
}

static void refused(void) {
    int port = closed_port();
    struct sockaddr_in a = loopback4(port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect to a closed port: %s\n", connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? errname(errno) : "ok");
    close(s);
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    printf("non-blocking connect to a closed port: %s\n",
           r == 0 ? "ok" : e == EINPROGRESS || e == ECONNREFUSED ? "EINPROGRESS or ECONNREFUSED" : errname(e));
    if (r < 0 && e == EINPROGRESS) {
        struct pollfd p = {s, POLLOUT, 0};
        poll(&p, 1, 3000);
        printf("poll: POLLOUT %d POLLERR %d POLLHUP %d\n", !!(p.revents & POLLOUT), !!(p.revents & POLLERR),
               !!(p.revents & POLLHUP));
        printf("SO_ERROR %s, then %s\n", errname(getint(s, SOL_SOCKET, SO_ERROR)),
               errname(getint(s, SOL_SOCKET, SO_ERROR)));
    }
    close(s);
}

static void nonblocking(void) {
    struct sockaddr_in srv;
    int l = tcp_listener(&srv);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *)&srv, sizeof srv);
    printf("non-blocking connect: %s\n", r == 0 || errno == EINPROGRESS ? "0 or EINPROGRESS" : errname(errno));
    if (r < 0 && errno != EINPROGRESS) {
        close(c);
        close(l);
        return;
    }
    struct pollfd p = {c, POLLOUT, 0};
    printf("poll POLLOUT: %d revents %#x\n", poll(&p, 1, 3000), p.revents);
    printf("SO_ERROR %d\n", getint(c, SOL_SOCKET, SO_ERROR));
    printf("connect again: %s\n", connect(c, (struct sockaddr *)&srv, sizeof srv) < 0 ? errname(errno) : "ok");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    struct epoll_event got;
    int n = epoll_wait(ep, &got, 1, 3000);
    printf("epoll listener: %d data %u events %#x\n", n, got.data.u32, got.events);
    int a = accept4(l, NULL, NULL, SOCK_NONBLOCK);
    report("accept4 SOCK_NONBLOCK", a);
    char buf[16];
    printf("recv on empty non-blocking: %s\n", recv(a, buf, sizeof buf, 0) < 0 ? errname(errno) : "data");
    fcntl(l, F_SETFL, O_NONBLOCK);
    printf("accept with none pending on an O_NONBLOCK listener: %s\n", accept(l, NULL, NULL) < 0 ? errname(errno) : "ok");
    ev.data.u32 = 9;
    epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev);
    send(c, "ping", 4, 0);
    n = epoll_wait(ep, &got, 1, 3000);
    printf("epoll accepted: %d data %u events %#x\n", n, got.data.u32, got.events);
    printf("recv %zd\n", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    close(c);
    ev.events = EPOLLIN | EPOLLRDHUP;
    epoll_ctl(ep, EPOLL_CTL_MOD, a, &ev);
    n = epoll_wait(ep, &got, 1, 3000);
    printf("epoll after the peer closed: %d events %#x\n", n, got.events);
    /* The peer has gone: a send is answered by a reset, and the next one is EPIPE. */
    int err = 0;
    for (int i = 0; i < 50 && err == 0; i++) {
        if (send(a, "x", 1, MSG_NOSIGNAL) < 0) err = errno;
        else usleep(10000);
    }
    printf("send after the peer closed: %s\n", errname(err));
    close(a);
    close(ep);
    close(l);
}

static volatile int sigpipes;
static void on_sigpipe(int sig) {
    (void)sig;
    sigpipes++;
}

static void sigpipe(void) {
    struct sockaddr_in srv;
    int l = tcp_listener(&srv);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&srv, sizeof srv) < 0) {
        printf("connect: %s\n", errname(errno));
        close(c);
        close(l);
        return;
    }
    int a = accept(l, NULL, NULL);
    close(a);
    signal(SIGPIPE, on_sigpipe);
    int err = 0;
    for (int i = 0; i < 50 && err == 0; i++) {
        if (send(c, "x", 1, 0) < 0) err = errno;
        else usleep(10000);
    }
    printf("send without MSG_NOSIGNAL: %s, SIGPIPE %d\n", errname(err), sigpipes);
    signal(SIGPIPE, SIG_DFL);
    close(c);
    close(l);
}

static void udp(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in aa = loopback4(0), ba = loopback4(0);
    report("udp bind a", bind(a, (struct sockaddr *)&aa, sizeof aa));
    report("udp bind b", bind(b, (struct sockaddr *)&ba, sizeof ba));
    socklen_t len = sizeof aa;
    getsockname(a, (struct sockaddr *)&aa, &len);
    len = sizeof ba;
    getsockname(b, (struct sockaddr *)&ba, &len);
    printf("udp send without address: %s\n", send(a, "x", 1, 0) < 0 ? errname(errno) : "ok");
    ssize_t n = sendto(a, "ping", 4, 0, (struct sockaddr *)&ba, sizeof ba);
    printf("sendto %zd%s%s\n", n, n < 0 ? " " : "", n < 0 ? errname(errno) : "");
    if (n < 0) {
        close(a);
        close(b);
        return;
    }
    char buf[16];
    struct sockaddr_in from;
    len = sizeof from;
    n = recvfrom(b, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&from, &len);
    printf("peek %zd from a %d\n", n, from.sin_port == aa.sin_port);
    n = recvfrom(b, buf, 2, MSG_TRUNC, NULL, NULL);
    printf("recv 2 with MSG_TRUNC: %zd '%.2s'\n", n, buf);
    printf("recv on empty: %s\n", recv(b, buf, sizeof buf, MSG_DONTWAIT) < 0 ? errname(errno) : "data");
    sendto(a, "pong!", 5, 0, (struct sockaddr *)&ba, sizeof ba);
    struct iovec iov = {buf, 3};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(b, &m, 0);
    printf("recvmsg %zd flags MSG_TRUNC %d namelen %d\n", n, !!(m.msg_flags & MSG_TRUNC), (int)m.msg_namelen);
    /* Echo back through a connected socket. */
    report("udp connect", connect(b, (struct sockaddr *)&aa, sizeof aa));
    printf("send connected %zd\n", send(b, "echo", 4, 0));
    struct pollfd p = {a, POLLIN, 0};
    printf("poll %d revents %#x\n", poll(&p, 1, 3000), p.revents);
    n = recv(a, buf, sizeof buf, 0);
    printf("echo %zd '%.*s'\n", n, (int)n, buf);
    struct sockaddr_in peer;
    len = sizeof peer;
    report("getpeername connected udp", getpeername(b, (struct sockaddr *)&peer, &len));
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    report("udp connect AF_UNSPEC", connect(b, &unspec, sizeof unspec));
    printf("getpeername after: %s\n", getpeername(b, (struct sockaddr *)&peer, &len) < 0 ? errname(errno) : "ok");
    char big[70000];
    memset(big, 0, sizeof big);
    printf("sendto 70000 bytes: %s\n", sendto(a, big, sizeof big, 0, (struct sockaddr *)&ba, sizeof ba) < 0
           ? errname(errno) : "ok");
    /* A connected UDP socket whose peer has no socket: the ICMP error comes back. */
    struct sockaddr_in nobody = loopback4(closed_port());
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    connect(c, (struct sockaddr *)&nobody, sizeof nobody);
    send(c, "?", 1, 0);
    struct pollfd q = {c, POLLIN, 0};
    poll(&q, 1, 3000);
    printf("udp to nobody: POLLERR %d, recv %s\n", !!(q.revents & POLLERR),
           recv(c, buf, sizeof buf, MSG_DONTWAIT) < 0 ? errname(errno) : "data");
    close(c);
    close(a);
    close(b);
}

static void ipv6(void) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    report("tcp6 socket", l);
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0) {
        printf("bind ::1: %s\n", errname(errno));
        close(l);
        return;
    }
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    printf("bind ::1: ok, len %d family %d loopback %d\n", (int)len, a.sin6_family, IN6_IS_ADDR_LOOPBACK(&a.sin6_addr));
    printf("IPV6_V6ONLY %d\n", getint(l, IPPROTO_IPV6, IPV6_V6ONLY));
    listen(l, 4);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    report("connect [::1]", connect(c, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in6 peer;
    len = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &len);
    printf("accept: len %d family %d loopback %d\n", (int)len, peer.sin6_family, IN6_IS_ADDR_LOOPBACK(&peer.sin6_addr));
    send(c, "six", 3, 0);
    char buf[8];
    ssize_t n = recv(s, buf, sizeof buf, 0);
    printf("recv %zd '%.*s'\n", n, (int)n, buf);
    close(s);
    close(c);
    close(l);
    /* An IPv6 datagram socket reaches an IPv4 one through a sockaddr_in. */
    int u4 = socket(AF_INET, SOCK_DGRAM, 0), u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in four = loopback4(0);
    bind(u4, (struct sockaddr *)&four, sizeof four);
    len = sizeof four;
    getsockname(u4, (struct sockaddr *)&four, &len);
    printf("udp6 sendto a sockaddr_in: %zd\n", sendto(u6, "46", 2, 0, (struct sockaddr *)&four, sizeof four));
    struct sockaddr_in from;
    len = sizeof from;
    n = recvfrom(u4, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    printf("udp4 got %zd from family %d\n", n, from.sin_family);
    close(u4);
    close(u6);
}

/* 1 MiB through a TCP connection between two processes, with a small send buffer: the sender waits for room. */
static void bulk(void) {
    struct sockaddr_in srv;
    int l = tcp_listener(&srv);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(l);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        int small = 8192;
        setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        if (connect(c, (struct sockaddr *)&srv, sizeof srv) < 0) _exit(1);
        static unsigned char block[65536];
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < (int)sizeof block; j++) block[j] = (unsigned char)(i * 31 + j);
            size_t off = 0;
            while (off < sizeof block) {
                ssize_t n = send(c, block + off, sizeof block - off, 0);
                if (n <= 0) _exit(2);
                off += n;
            }
        }
        close(c);
        _exit(0);
    }
    struct pollfd p = {l, POLLIN, 0};
    if (poll(&p, 1, 3000) != 1) {
        printf("bulk: no connection\n");
    } else {
        int a = accept(l, NULL, NULL);
        usleep(50000); /* the sender fills what the buffers hold meanwhile */
        static unsigned char buf[100000];
        unsigned long total = 0;
        unsigned sum = 2166136261u; /* FNV-1a */
        ssize_t n;
        while ((n = recv(a, buf, sizeof buf, 0)) > 0) {
            for (ssize_t j = 0; j < n; j++) sum = (sum ^ buf[j]) * 16777619u;
            total += n;
        }
        printf("bulk: received %lu bytes, checksum %08x\n", total, sum);
        close(a);
    }
    int status;
    waitpid(child, &status, 0);
    printf("bulk sender exit %d\n", WEXITSTATUS(status));
    close(l);
}

/* A thread sleeps in poll on a UDP socket while the main thread sleeps too, then sends to it; select sees a datagram. */
static int thread_fd;
static char thread_got[32];

static void *receiver(void *arg) {
    (void)arg;
    struct pollfd p = {thread_fd, POLLIN, 0};
    int r = poll(&p, 1, 3000);
    ssize_t n = r == 1 ? recv(thread_fd, thread_got, sizeof thread_got - 1, MSG_DONTWAIT) : -1;
    if (n < 0) snprintf(thread_got, sizeof thread_got, "nothing (poll %d)", r);
    return NULL;
}

static void threads(void) {
    int u = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback4(0);
    bind(u, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(u, (struct sockaddr *)&a, &len);
    thread_fd = u;
    pthread_t t;
    pthread_create(&t, NULL, receiver, NULL);
    usleep(20000);
    ssize_t n = sendto(s, "to the thread", 13, 0, (struct sockaddr *)&a, sizeof a);
    pthread_join(t, NULL);
    printf("sendto %zd; the thread got %s\n", n, thread_got);
    sendto(s, "select", 6, 0, (struct sockaddr *)&a, sizeof a);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(u, &r);
    struct timeval tv = {3, 0};
    int ready = select(u + 1, &r, NULL, NULL, &tv);
    printf("select: %d, readable %d\n", ready, ready > 0 && FD_ISSET(u, &r));
    char buf[16];
    recv(u, buf, sizeof buf, MSG_DONTWAIT);
    FD_ZERO(&r);
    FD_SET(u, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 50000;
    printf("select on an empty socket: %d\n", select(u + 1, &r, NULL, NULL, &tv));
    close(u);
    close(s);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- tcp between two processes\n");
    tcp_fork();
    printf("-- options\n");
    options();
    printf("-- address checks\n");
    checks();
    printf("-- refused\n");
    refused();
    printf("-- non-blocking, poll, epoll\n");
    nonblocking();
    printf("-- sigpipe\n");
    sigpipe();
    printf("-- udp\n");
    udp();
    printf("-- ipv6\n");
    ipv6();
    printf("-- threads, select\n");
    threads();
    printf("-- bulk\n");
    bulk();
    return 0;
}
