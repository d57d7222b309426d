/*
 * sendmmsg(2) and recvmmsg(2) over an AF_UNIX datagram socketpair, an AF_UNIX stream pair and
 * UDP on 127.0.0.1: msg_len of each entry, a batch cut short by an empty queue (the count so
 * far), MSG_WAITFORONE, MSG_DONTWAIT, the timeout (looked at after each datagram), a blocking
 * recvmmsg that waits for every message, MSG_TRUNC in an entry, a fault in a later entry
 * (the count) and in the first (EFAULT), and the argument checks.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 6

static struct mmsghdr msgs[N];
static struct iovec iovs[N];
static char bufs[N][32];

static void prepare(int n, int size) {
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < n; i++) {
        iovs[i].iov_base = bufs[i];
        iovs[i].iov_len = size;
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_len = 12345;
    }
}

static void outgoing(int n) {
    prepare(n, 0);
    for (int i = 0; i < n; i++) {
        snprintf(bufs[i], sizeof bufs[i], "message %d%.*s", i, i, "xxxxxx");
        iovs[i].iov_len = strlen(bufs[i]);
    }
}

static void show(const char *what, int r, int n) {
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %d [", what, r);
    for (int i = 0; i < n; i++) printf("%s%u", i ? " " : "", msgs[i].msg_len);
    printf("]\n");
}

static void received(int r) {
    for (int i = 0; i < r; i++) {
        printf("  '%.*s'%s\n", (int)msgs[i].msg_len < 32 ? (int)msgs[i].msg_len : 32, bufs[i],
               msgs[i].msg_hdr.msg_flags & MSG_TRUNC ? " MSG_TRUNC" : "");
    }
}

static void unix_dgram(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    outgoing(3);
    show("sendmmsg 3", sendmmsg(sv[0], msgs, 3, 0), 3);
    prepare(5, 32);
    int r = recvmmsg(sv[1], msgs, 5, MSG_DONTWAIT, NULL);
    show("recvmmsg 5 MSG_DONTWAIT", r, 5);
    received(r);
    prepare(2, 32);
    show("recvmmsg on empty, MSG_DONTWAIT", recvmmsg(sv[1], msgs, 2, MSG_DONTWAIT, NULL), 0);

    outgoing(2);
    sendmmsg(sv[0], msgs, 2, 0);
    prepare(4, 32);
    r = recvmmsg(sv[1], msgs, 4, MSG_WAITFORONE, NULL);
    show("recvmmsg 4 MSG_WAITFORONE", r, 4);

    outgoing(3);
    sendmmsg(sv[0], msgs, 3, 0);
    prepare(3, 4);
    struct timespec t = {5, 0};
    r = recvmmsg(sv[1], msgs, 2, 0, &t);
    show("recvmmsg 2 of 3 with a timeout, 4-byte buffers", r, 3);
    received(r);
    printf("  timeout left: at most 5 s %d, more than 4 s %d\n", t.tv_sec < 5 || (t.tv_sec == 5 && t.tv_nsec == 0),
           t.tv_sec >= 4);
    prepare(1, 32);
    recvmmsg(sv[1], msgs, 1, 0, NULL);
    t.tv_sec = 0;
    t.tv_nsec = 2000000000L;
    show("recvmmsg with tv_nsec 2e9", recvmmsg(sv[1], msgs, 1, 0, &t), 0);

    /* A blocking recvmmsg waits for every message: a child sends them one at a time. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < 3; i++) {
            usleep(20000);
            char m[8];
            snprintf(m, sizeof m, "late %d", i);
            send(sv[0], m, strlen(m), 0);
        }
        _exit(0);
    }
    prepare(3, 32);
    r = recvmmsg(sv[1], msgs, 3, 0, NULL);
    show("blocking recvmmsg 3", r, 3);
    received(r);
    waitpid(child, NULL, 0);

    /* A fault in the second entry: the first went. */
    outgoing(2);
    iovs[1].iov_base = (void *)8;
    show("sendmmsg with a bad second buffer", sendmmsg(sv[0], msgs, 2, 0), 2);
    outgoing(1);
    iovs[0].iov_base = (void *)8;
    show("sendmmsg with a bad first buffer", sendmmsg(sv[0], msgs, 1, 0), 0);
    prepare(2, 32);
    show("what arrived", recvmmsg(sv[1], msgs, 2, MSG_DONTWAIT, NULL), 2);
    show("sendmmsg vlen 0", sendmmsg(sv[0], msgs, 0, 0), 0);
    show("recvmmsg MSG_CMSG_COMPAT", recvmmsg(sv[1], msgs, 1, (int)0x80000000, NULL), 0);
    show("sendmmsg MSG_CMSG_COMPAT", sendmmsg(sv[0], msgs, 1, (int)0x80000000), 0);
    show("sendmmsg bad fd", sendmmsg(99, msgs, 1, 0), 0);
    int p[2];
    pipe(p);
    show("recvmmsg on a pipe", recvmmsg(p[0], msgs, 1, 0, NULL), 0);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

static void unix_stream(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    outgoing(3);
    show("stream sendmmsg 3", sendmmsg(sv[0], msgs, 3, 0), 3);
    close(sv[0]);
    prepare(4, 8);
    int r = recvmmsg(sv[1], msgs, 4, 0, NULL);
    show("stream recvmmsg 4 of 8 bytes", r, 4);
    received(r);
    close(sv[1]);
}

static void udp(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ba = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in aa = ba;
    bind(a, (struct sockaddr *)&aa, sizeof aa);
    bind(b, (struct sockaddr *)&ba, sizeof ba);
    socklen_t len = sizeof ba;
    getsockname(b, (struct sockaddr *)&ba, &len);
    len = sizeof aa;
    getsockname(a, (struct sockaddr *)&aa, &len);
    outgoing(4);
    for (int i = 0; i < 4; i++) {
        msgs[i].msg_hdr.msg_name = &ba;
        msgs[i].msg_hdr.msg_namelen = sizeof ba;
    }
    show("udp sendmmsg 4", sendmmsg(a, msgs, 4, 0), 4);
    struct sockaddr_in from[N];
    prepare(6, 32);
    for (int i = 0; i < 6; i++) {
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    int r = recvmmsg(b, msgs, 6, MSG_WAITFORONE, NULL);
    show("udp recvmmsg 6 MSG_WAITFORONE", r, 6);
    received(r);
    for (int i = 0; i < r; i++) {
        printf("  from a %d namelen %d\n", from[i].sin_port == aa.sin_port, (int)msgs[i].msg_hdr.msg_namelen);
    }
    close(a);
    close(b);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("-- AF_UNIX datagrams\n");
    unix_dgram();
    printf("-- AF_UNIX stream\n");
    unix_stream();
    printf("-- UDP\n");
    udp();
    return 0;
}
