/* AF_UNIX sockets between processes: socketpair of the three types, a listening socket
 * (path and abstract names) with a forked client, SCM_RIGHTS passing a pipe, SO_PEERCRED,
 * shutdown and end of file, EPIPE and SIGPIPE, blocking and non-blocking receives, poll,
 * and the errors of connect, bind and listen. Prints only what is the same on every run. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void check(int ok, const char *what) {
    if (!ok) {
        printf("FAILED: %s (errno %s)\n", what, strerrorname_np(errno));
        fflush(stdout);
        exit(1);
    }
}

static const char *err(long r) {
    return r < 0 ? strerrorname_np(errno) : "ok";
}

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) {
    (void) sig;
    sigpipes++;
}

static void stream_pair(void) {
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair stream");
    struct stat st;
    check(fstat(sv[0], &st) == 0, "fstat");
    printf("stream: fstat is socket: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    int type = 0;
    socklen_t len = sizeof type;
    check(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) == 0, "SO_TYPE");
    printf("stream: SO_TYPE %d len %u\n", type, len);
    check(write(sv[0], "hello ", 6) == 6 && write(sv[0], "world", 5) == 5, "write");
    char buf[64];
    ssize_t n = read(sv[1], buf, sizeof buf);
    printf("stream: read %zd '%.*s' (two writes joined)\n", n, (int) n, buf);
    check(send(sv[1], "abcdef", 6, 0) == 6, "send");
    n = recv(sv[0], buf, 4, MSG_PEEK);
    printf("stream: peek %zd '%.*s'\n", n, (int) n, buf);
    n = recv(sv[0], buf, 4, 0);
    printf("stream: recv %zd '%.*s'\n", n, (int) n, buf);
    n = recv(sv[0], buf, sizeof buf, 0);
    printf("stream: recv rest %zd '%.*s'\n", n, (int) n, buf);
    n = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
    printf("stream: empty MSG_DONTWAIT %zd %s\n", n, err(n));
    struct sockaddr_un sa;
    len = sizeof sa;
    check(getsockname(sv[0], (struct sockaddr *) &sa, &len) == 0, "getsockname");
    printf("stream: unnamed getsockname len %u family %d\n", len, sa.sun_family);
    len = sizeof sa;
    check(getpeername(sv[0], (struct sockaddr *) &sa, &len) == 0, "getpeername");
    printf("stream: unnamed getpeername len %u\n", len);

    struct pollfd p = {sv[0], POLLIN | POLLOUT, 0};
    {
        int ready = poll(&p, 1, 0);
        printf("stream: poll idle %d revents %#x\n", ready, p.revents);
    }
    check(write(sv[1], "x", 1) == 1, "write x");
    {
        int ready = poll(&p, 1, 0);
        printf("stream: poll data %d revents %#x\n", ready, p.revents);
    }
    check(read(sv[0], buf, 1) == 1, "read x");

    check(shutdown(sv[1], SHUT_WR) == 0, "shutdown");
    n = read(sv[0], buf, sizeof buf);
    printf("stream: read after peer SHUT_WR %zd\n", n);
    p.events = POLLIN | POLLRDHUP;
    {
        int ready = poll(&p, 1, 0);
        printf("stream: poll after SHUT_WR %d revents %#x\n", ready, p.revents);
    }
    n = send(sv[1], "y", 1, MSG_NOSIGNAL);
    printf("stream: send after own SHUT_WR %zd %s\n", n, err(n));
    n = write(sv[0], "back", 4);
    printf("stream: other direction still works %zd\n", n);
    n = read(sv[1], buf, sizeof buf);
    printf("stream: read back %zd\n", n);

    close(sv[1]);
    n = send(sv[0], "z", 1, MSG_NOSIGNAL);
    printf("stream: send to closed peer MSG_NOSIGNAL %zd %s, SIGPIPEs %d\n", n, err(n), (int) sigpipes);
    n = write(sv[0], "z", 1);
    printf("stream: write to closed peer %zd %s, SIGPIPEs %d\n", n, err(n), (int) sigpipes);
    p.events = POLLIN | POLLOUT;
    {
        int ready = poll(&p, 1, 0);
        printf("stream: poll after peer close %d revents %#x\n", ready, p.revents);
    }
    close(sv[0]);

    check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0, "socketpair nonblock");
    printf("stream: SOCK_NONBLOCK O_NONBLOCK %s, SOCK_CLOEXEC FD_CLOEXEC %s\n",
           (fcntl(sv[0], F_GETFL) & O_NONBLOCK) ? "yes" : "no", (fcntl(sv[1], F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    n = read(sv[0], buf, 1);
    printf("stream: nonblocking empty read %zd %s\n", n, err(n));
    int v = 10000;
    check(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v) == 0, "SO_SNDBUF");
    len = sizeof v;
    check(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &len) == 0, "get SO_SNDBUF");
    printf("stream: SO_SNDBUF set 10000 reads %d\n", v);
    long total = 0;
    char big[4096];
    memset(big, 'b', sizeof big);
    while ((n = write(sv[0], big, sizeof big)) > 0) total += n;
    printf("stream: a full socket answers %s; something was written: %s\n", err(n), total > 0 ? "yes" : "no");
    p.fd = sv[0];
    p.events = POLLOUT;
    printf("stream: poll full %d\n", poll(&p, 1, 0));
    int e = -1;
    len = sizeof e;
    check(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &e, &len) == 0, "SO_ERROR");
    printf("stream: SO_ERROR %d\n", e);
    close(sv[0]);
    close(sv[1]);
}

static void record_pairs(int type, const char *name) {
    int sv[2];
    check(socketpair(AF_UNIX, type, 0, sv) == 0, "socketpair");
    check(send(sv[0], "first", 5, 0) == 5 && send(sv[0], "second!", 7, 0) == 7, "send records");
    char buf[64];
    ssize_t n = recv(sv[1], buf, sizeof buf, MSG_PEEK);
    printf("%s: peek %zd '%.*s'\n", name, n, (int) n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("%s: recv %zd '%.*s'\n", name, n, (int) n, buf);
    struct iovec iov = {buf, 3};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    n = recvmsg(sv[1], &m, 0);
    printf("%s: recvmsg into 3 bytes %zd '%.*s' MSG_TRUNC %s\n", name, n, (int) n, buf,
           (m.msg_flags & MSG_TRUNC) ? "yes" : "no");
    check(send(sv[0], "third", 5, 0) == 5, "send third");
    n = recv(sv[1], buf, 2, MSG_TRUNC);
    printf("%s: recv 2 with MSG_TRUNC answers %zd\n", name, n);
    n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("%s: the rest was dropped: %zd %s\n", name, n, err(n));
    check(send(sv[0], "", 0, 0) == 0, "empty record");
    n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("%s: empty record %zd %s\n", name, n, err(n));
    close(sv[0]);
    n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("%s: recv after peer close %zd %s\n", name, n, err(n));
    n = send(sv[1], "x", 1, MSG_NOSIGNAL);
    printf("%s: send after peer close %zd %s\n", name, n, err(n));
    n = send(sv[1], "x", 1, MSG_NOSIGNAL);
    printf("%s: send again %zd %s\n", name, n, err(n));
    close(sv[1]);
}

static int send_fds(int sock, const int *fds, int count, const char *data) {
    char control[CMSG_SPACE(sizeof(int) * 4)];
    memset(control, 0, sizeof control);
    struct iovec iov = {(void *) data, strlen(data)};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    return sendmsg(sock, &m, 0);
}

static void fd_passing(void) {
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        int p[2];
        check(pipe(p) == 0, "pipe");
        check(write(p[1], "through the pipe", 16) == 16, "write pipe");
        close(p[1]);
        check(send_fds(sv[1], &p[0], 1, "fd") == 2, "sendmsg");
        close(p[0]);
        int three[3] = {sv[1], sv[1], sv[1]};
        check(send_fds(sv[1], three, 3, "three") == 5, "sendmsg three");
        int bad = 999;
        errno = 0;
        int r = send_fds(sv[1], &bad, 1, "bad");
        check(write(sv[1], r < 0 && errno == EBADF ? "E" : "?", 1) == 1, "report");
        _exit(0);
    }
    close(sv[1]);
    char buf[64];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    ssize_t n = recvmsg(sv[0], &m, MSG_CMSG_CLOEXEC);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    printf("scm: recvmsg %zd '%.*s', cmsg %s level %d type %d len %zu\n", n, (int) n, buf, c ? "present" : "absent",
           c ? c->cmsg_level : -1, c ? c->cmsg_type : -1, c ? (size_t) c->cmsg_len : 0);
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    n = read(fd, buf, sizeof buf);
    printf("scm: read from the received pipe %zd '%.*s', cloexec %s\n", n, (int) n, buf,
           (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    close(fd);
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    iov.iov_len = sizeof buf;
    n = recvmsg(sv[0], &m, 0);
    c = CMSG_FIRSTHDR(&m);
    /* Linux also sets MSG_CTRUNC here; qemu-aarch64, the recorded oracle, does not (see the unit tests). */
    printf("scm: three fds into room for two: %zd '%.*s', got %zu fd\n", n, (int) n, buf,
           c ? (c->cmsg_len - CMSG_LEN(0)) / sizeof(int) : 0);
    if (c) {
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        struct stat st;
        printf("scm: it is a socket: %s\n", fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) ? "yes" : "no");
        close(fd);
    }
    n = read(sv[0], buf, 1);
    printf("scm: a bad descriptor in SCM_RIGHTS: %s\n", n == 1 && buf[0] == 'E' ? "EBADF" : "?");
    int status;
    waitpid(child, &status, 0);
    close(sv[0]);
}

static socklen_t fill_path(struct sockaddr_un *sa, const char *path) {
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    strcpy(sa->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void server(struct sockaddr_un *sa, socklen_t salen, const char *name) {
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    check(ls >= 0, "socket");
    check(bind(ls, (struct sockaddr *) sa, salen) == 0, "bind");
    int r = listen(ls, 4);
    check(r == 0, "listen");
    int acc = 0;
    socklen_t len = sizeof acc;
    check(getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0, "SO_ACCEPTCONN");
    printf("%s: listening, SO_ACCEPTCONN %d\n", name, acc);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    r = bind(other, (struct sockaddr *) sa, salen);
    printf("%s: bind of a second socket to the name %s\n", name, err(r));
    close(other);
    pid_t child = fork();
    if (child == 0) {
        close(ls);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        check(connect(c, (struct sockaddr *) sa, salen) == 0, "connect");
        int r2 = connect(c, (struct sockaddr *) sa, salen);
        char msg[64];
        snprintf(msg, sizeof msg, "again:%s", err(r2));
        struct ucred cred;
        socklen_t cl = sizeof cred;
        check(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0, "child SO_PEERCRED");
        strcat(msg, cred.pid == getppid() ? " peer-is-parent" : " peer-is-other");
        usleep(20000); /* the parent waits in read meanwhile */
        check(write(c, msg, strlen(msg)) == (ssize_t) strlen(msg), "child write");
        char buf[16];
        ssize_t n = read(c, buf, sizeof buf);
        _exit(n == 0 ? 0 : 3);
    }
    struct sockaddr_un peer;
    len = sizeof peer;
    int s = accept4(ls, (struct sockaddr *) &peer, &len, SOCK_CLOEXEC);
    check(s >= 0, "accept");
    printf("%s: accepted, client address len %u, FD_CLOEXEC %s\n", name, len,
           (fcntl(s, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    struct ucred cred;
    len = sizeof cred;
    check(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0, "SO_PEERCRED");
    printf("%s: SO_PEERCRED len %u, peer pid is child: %s, uid %s, gid %s\n", name, len,
           cred.pid == child ? "yes" : "no", cred.uid == getuid() ? "same" : "differs",
           cred.gid == getgid() ? "same" : "differs");
    struct sockaddr_un me;
    len = sizeof me;
    check(getsockname(s, (struct sockaddr *) &me, &len) == 0, "getsockname");
    printf("%s: accepted socket's name is the listener's: %s\n", name,
           len == salen && memcmp(&me, sa, salen) == 0 ? "yes" : "no");
    char buf[64];
    ssize_t n = read(s, buf, sizeof buf); /* blocks until the child writes */
    printf("%s: read %zd '%.*s'\n", name, n, (int) n, buf);
    close(s);
    int status;
    waitpid(child, &status, 0);
    printf("%s: child saw end of file: %s\n", name, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    int nb = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check(connect(nb, (struct sockaddr *) sa, salen) == 0, "connect nb");
    int dup = accept(ls, NULL, NULL);
    check(dup >= 0, "accept nb");
    check(fcntl(ls, F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
    n = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
    printf("%s: accept on a non-blocking listener with nothing pending %s\n", name, err(n));
    close(dup);
    close(nb);
    close(ls);
}

static void named(void) {
    char dir[] = "/tmp/net_unix.XXXXXX";
    check(mkdtemp(dir) != NULL, "mkdtemp");
    char path[128];
    snprintf(path, sizeof path, "%s/sock", dir);
    struct sockaddr_un sa;
    socklen_t salen = fill_path(&sa, path);

    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    int r = connect(c, (struct sockaddr *) &sa, salen);
    printf("path: connect to a missing name %s\n", err(r));
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    r = listen(ls, 1);
    printf("path: listen unbound %s\n", err(r));
    check(bind(ls, (struct sockaddr *) &sa, salen) == 0, "bind");
    struct stat st;
    check(stat(path, &st) == 0, "stat");
    printf("path: bound name is a socket file: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    r = bind(ls, (struct sockaddr *) &sa, salen);
    printf("path: bind again %s\n", err(r));
    r = connect(c, (struct sockaddr *) &sa, salen);
    printf("path: connect to a socket not listening %s\n", err(r));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    r = connect(d, (struct sockaddr *) &sa, salen);
    printf("path: dgram connect to a stream socket %s\n", err(r));
    r = listen(d, 1);
    printf("path: listen on dgram %s\n", err(r));
    close(ls);
    r = connect(c, (struct sockaddr *) &sa, salen);
    printf("path: connect after the socket closed %s\n", err(r));
    unlink(path);
    close(c);

    char file[160];
    snprintf(file, sizeof file, "%s/file", dir);
    int f = open(file, O_CREAT | O_WRONLY, 0600);
    close(f);
    struct sockaddr_un fa;
    socklen_t falen = fill_path(&fa, file);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    r = connect(c, (struct sockaddr *) &fa, falen);
    printf("path: connect to a regular file %s\n", err(r));
    close(c);
    unlink(file);

    server(&sa, salen, "path");
    unlink(path);

    /* Datagrams to a bound name, from an unbound sender and a bound one. */
    int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
    check(bind(srv, (struct sockaddr *) &sa, salen) == 0, "bind dgram");
    r = sendto(d, "to-name", 7, 0, (struct sockaddr *) &sa, salen);
    printf("dgram: sendto a name %d\n", r);
    char buf[64];
    struct sockaddr_un from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *) &from, &fromlen);
    printf("dgram: recvfrom %zd '%.*s', unbound sender's address len %u\n", n, (int) n, buf, fromlen);
    int bound = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un auto_sa = {.sun_family = AF_UNIX};
    check(bind(bound, (struct sockaddr *) &auto_sa, offsetof(struct sockaddr_un, sun_path)) == 0, "autobind");
    socklen_t alen = sizeof auto_sa;
    check(getsockname(bound, (struct sockaddr *) &auto_sa, &alen) == 0, "getsockname autobind");
    printf("dgram: autobind name len %u, abstract %s\n", alen, auto_sa.sun_path[0] == 0 ? "yes" : "no");
    check(sendto(bound, "hi", 2, 0, (struct sockaddr *) &sa, salen) == 2, "sendto bound");
    fromlen = sizeof from;
    n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *) &from, &fromlen);
    printf("dgram: from a bound sender, address matches: %s\n",
           fromlen == alen && memcmp(&from, &auto_sa, alen) == 0 ? "yes" : "no");
    check(connect(srv, (struct sockaddr *) &auto_sa, alen) == 0, "connect srv");
    r = sendto(d, "x", 1, 0, (struct sockaddr *) &sa, salen);
    printf("dgram: sendto a socket connected elsewhere %s\n", err(r));
    close(srv);
    close(bound);
    close(d);
    unlink(path);
    rmdir(dir);

    char abs_name[64];
    struct sockaddr_un asa;
    memset(&asa, 0, sizeof asa);
    asa.sun_family = AF_UNIX;
    snprintf(abs_name, sizeof abs_name, "net_unix-%d", (int) getpid());
    memcpy(asa.sun_path + 1, abs_name, strlen(abs_name));
    socklen_t asalen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abs_name);
    server(&asa, asalen, "abstract");
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    r = connect(c, (struct sockaddr *) &asa, asalen);
    printf("abstract: connect after the listener closed %s\n", err(r));
    close(c);
}

static void blocking_seqpacket(void) {
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        usleep(20000);
        check(send(sv[1], "late", 4, 0) == 4, "late send");
        _exit(0);
    }
    close(sv[1]);
    char buf[16];
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    printf("seqpacket: blocking recv %zd '%.*s'\n", n, (int) n, buf);
    n = recv(sv[0], buf, sizeof buf, 0);
    printf("seqpacket: recv after the child exited %zd\n", n);
    struct pollfd p = {sv[0], POLLIN | POLLOUT, 0};
    {
        int ready = poll(&p, 1, 0);
        printf("seqpacket: poll %d revents %#x\n", ready, p.revents);
    }
    waitpid(child, NULL, 0);
    close(sv[0]);
}

static void errors(void) {
    int r = socket(AF_UNIX, SOCK_STREAM, 7);
    printf("errors: protocol 7 %s\n", err(r));
    r = socket(AF_UNIX, 9, 0);
    printf("errors: type 9 %s\n", err(r));
    r = socket(1000, SOCK_STREAM, 0);
    printf("errors: family 1000 %s\n", err(r));
    int fd = open("/", O_RDONLY);
    r = listen(fd, 1);
    printf("errors: listen on a directory %s\n", err(r));
    close(fd);
    r = listen(999, 1);
    printf("errors: listen on a closed fd %s\n", err(r));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    char buf[4];
    r = read(s, buf, sizeof buf);
    printf("errors: read unconnected stream %s\n", err(r));
    r = send(s, "x", 1, 0);
    printf("errors: send unconnected stream %s\n", err(r));
    r = shutdown(s, 3);
    printf("errors: shutdown 3 %s\n", err(r));
    r = shutdown(s, SHUT_RDWR);
    printf("errors: shutdown unconnected %s\n", err(r));
    r = accept(s, NULL, NULL);
    printf("errors: accept on a socket not listening %s\n", err(r));
    int v;
    socklen_t len = sizeof v;
    r = getsockopt(s, SOL_SOCKET, 12345, &v, &len);
    printf("errors: unknown option %s\n", err(r));
    struct sockaddr_un sa = {.sun_family = AF_INET};
    r = bind(s, (struct sockaddr *) &sa, sizeof sa);
    printf("errors: bind AF_INET address %s\n", err(r));
    close(s);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    r = send(d, "x", 1, 0);
    printf("errors: send unconnected dgram %s\n", err(r));
    close(d);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    stream_pair();
    record_pairs(SOCK_DGRAM, "dgram");
    record_pairs(SOCK_SEQPACKET, "seqpacket");
    fd_passing();
    named();
    blocking_seqpacket();
    errors();
    return 0;
}
