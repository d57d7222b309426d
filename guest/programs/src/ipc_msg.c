/* System V message queues across fork: msgget/msgsnd/msgrcv/msgctl, message types,
 * MSG_NOERROR, MSG_EXCEPT, MSG_COPY, queue limits, blocking both ways, EIDRM, EINTR. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY 0x5eed21

struct msg { long mtype; char mtext[64]; };

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static int snd(int id, long type, const char *text, int flg) {
    struct msg m;
    m.mtype = type;
    strcpy(m.mtext, text);
    return msgsnd(id, &m, strlen(text), flg);
}

static void rcv(const char *what, int id, size_t size, long type, int flg) {
    struct msg m;
    memset(&m, 0, sizeof m);
    ssize_t n = msgrcv(id, &m, size, type, flg);
    if (n < 0)
        printf("%s: %s\n", what, strerrorname_np(errno));
    else
        printf("%s: type=%ld len=%zd text=%.*s\n", what, m.mtype, n, (int)n, m.mtext);
}

/* Until process c sleeps (its state in /proc/c/stat is S). */
static void wait_sleeping(pid_t c) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f && fgets(buf, sizeof buf, f)) {
            char *p = strrchr(buf, ')');
            if (p && p[2] == 'S') { fclose(f); return; }
        }
        if (f) fclose(f);
        usleep(1000);
    }
}

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int stale = msgget(KEY, 0);
    if (stale >= 0) msgctl(stale, IPC_RMID, NULL);

    printf("get missing: %s\n", err(msgget(KEY, 0600)));
    int id = msgget(KEY, IPC_CREAT | IPC_EXCL | 0600);
    printf("create: %s\n", err(id));
    printf("excl: %s\n", err(msgget(KEY, IPC_CREAT | IPC_EXCL | 0600)));
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    printf("stat: qbytes=%lu qnum=%lu cbytes=%lu mode=%o stime=%ld\n", ds.msg_qbytes, ds.msg_qnum,
           ds.__msg_cbytes, ds.msg_perm.mode, (long)ds.msg_stime);

    struct msg m = {0, "x"};
    printf("type 0: %s\n", err(msgsnd(id, &m, 1, 0)));
    m.mtype = 1;
    printf("size 8193: %s\n", err(msgsnd(id, &m, 8193, 0)));
    printf("bad id: %s\n", err(msgsnd(id + 5 * 32768, &m, 1, 0)));

    snd(id, 1, "one", 0);
    snd(id, 3, "three", 0);
    snd(id, 2, "two", 0);
    snd(id, 5, "five", 0);
    snd(id, 1, "uno", 0);
    msgctl(id, IPC_STAT, &ds);
    printf("queued: qnum=%lu cbytes=%lu lspid self=%d\n", ds.msg_qnum, ds.__msg_cbytes, ds.msg_lspid == getpid());

    struct msg big;
    big.mtype = 0;
    long copied = msgrcv(id, &big, 64, 1, MSG_COPY | IPC_NOWAIT);
    if (copied >= 0)
        printf("MSG_COPY 1: type=%ld text=%.*s\n", big.mtype, (int)copied, big.mtext);
    else
        printf("MSG_COPY 1: %s\n", strerrorname_np(errno));
    printf("MSG_COPY without IPC_NOWAIT: %s\n", err(msgrcv(id, &big, 64, 0, MSG_COPY)));
    rcv("MSG_COPY 9", id, 64, 9, MSG_COPY | IPC_NOWAIT);

    rcv("first", id, 64, 0, 0);
    rcv("type 2", id, 64, 2, 0);
    rcv("type <= 4", id, 64, -4, 0);
    rcv("too small", id, 2, 5, 0);
    rcv("MSG_NOERROR", id, 2, 5, MSG_NOERROR);
    rcv("except 1", id, 64, 1, MSG_EXCEPT | IPC_NOWAIT);
    rcv("type 1", id, 64, 1, IPC_NOWAIT);
    rcv("empty", id, 64, 0, IPC_NOWAIT);
    msgctl(id, IPC_STAT, &ds);
    printf("drained: qnum=%lu cbytes=%lu lrpid self=%d rtime set=%d\n", ds.msg_qnum, ds.__msg_cbytes,
           ds.msg_lrpid == getpid(), ds.msg_rtime != 0);

    /* a receiver sleeping until a message of its type comes */
    pid_t c = fork();
    if (c == 0) {
        rcv("child: waited for type 7", id, 64, 7, 0);
        _exit(0);
    }
    wait_sleeping(c);
    snd(id, 6, "six", 0);
    snd(id, 7, "seven", 0);
    int st;
    waitpid(c, &st, 0);
    rcv("left for the parent", id, 64, 0, IPC_NOWAIT);

    /* a full queue: msg_qbytes lowered by IPC_SET, a sender sleeps until there is room */
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 10;
    printf("IPC_SET qbytes 10: %s\n", err(msgctl(id, IPC_SET, &ds)));
    printf("send 8: %s\n", err(snd(id, 1, "12345678", 0)));
    printf("send 8 more nowait: %s\n", err(snd(id, 1, "abcdefgh", IPC_NOWAIT)));
    c = fork();
    if (c == 0) {
        printf("child: blocked send %s\n", err(snd(id, 2, "abcdefgh", 0)));
        _exit(0);
    }
    wait_sleeping(c);
    rcv("parent took", id, 64, 0, 0);
    waitpid(c, &st, 0);
    rcv("parent then", id, 64, 0, 0);

    /* signals end waits with EINTR, SA_RESTART or not */
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        rcv("child: signalled", id, 64, 0, 0);
        _exit(0);
    }
    wait_sleeping(c);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);

    /* other users */
    msgctl(id, IPC_STAT, &ds);
    ds.msg_perm.mode = 0622;
    ds.msg_qbytes = 16384;
    msgctl(id, IPC_SET, &ds);
    c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0) _exit(1);
        printf("other user: send %s", err(snd(id, 1, "hi", IPC_NOWAIT)));
        printf(", receive %s", err(msgrcv(id, &big, 64, 0, IPC_NOWAIT)));
        printf(", stat %s", err(msgctl(id, IPC_STAT, &ds)));
        printf(", rmid %s\n", err(msgctl(id, IPC_RMID, NULL)));
        _exit(0);
    }
    waitpid(c, &st, 0);

    struct msginfo mi;
    int mx = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
    printf("IPC_INFO: %s msgmax=%d msgmnb=%d msgmni=%d msgssz=%d msgseg=%d msgpool=%d msgmap=%d msgtql=%d\n",
           err(mx), mi.msgmax, mi.msgmnb, mi.msgmni, mi.msgssz, mi.msgseg, mi.msgpool, mi.msgmap, mi.msgtql);

    FILE *f = fopen("/proc/sysvipc/msg", "r");
    char line[512];
    if (fgets(line, sizeof line, f)) printf("sysvipc header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int k, qid;
        unsigned perms;
        unsigned long cbytes, qnum;
        if (sscanf(line, "%d %d %o %lu %lu", &k, &qid, &perms, &cbytes, &qnum) == 5 && k == KEY)
            printf("sysvipc: key=%x perms=%o cbytes=%lu qnum=%lu\n", k, perms, cbytes, qnum);
    }
    fclose(f);

    rcv("from the other user", id, 64, 0, IPC_NOWAIT);

    /* removal ends a sleeping receiver with EIDRM */
    c = fork();
    if (c == 0) {
        rcv("child: queue removed", id, 64, 0, 0);
        _exit(0);
    }
    wait_sleeping(c);
    printf("rmid: %s\n", err(msgctl(id, IPC_RMID, NULL)));
    waitpid(c, &st, 0);
    printf("after rmid: %s\n", err(msgctl(id, IPC_STAT, &ds)));
    return 0;
}
