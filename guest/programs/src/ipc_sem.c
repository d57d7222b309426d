/* System V semaphores across fork: semget/semop/semtimedop/semctl, blocking, wait-for-zero,
 * SEM_UNDO at exit (clamped), EIDRM and EINTR for sleepers, permissions, /proc/sysvipc/sem. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY 0x5eed11

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static int op(int id, int num, int delta, int flg) {
    struct sembuf b = {(unsigned short)num, (short)delta, (short)flg};
    return semop(id, &b, 1);
}

static void wait_count(int id, int num, int cmd, int n) {
    while (semctl(id, num, cmd) != n) usleep(1000);
}

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int stale = semget(KEY, 0, 0);
    if (stale >= 0) semctl(stale, 0, IPC_RMID);
    union semun arg;

    printf("too many: %s\n", err(semget(KEY, 32001, IPC_CREAT | 0600)));
    printf("zero new: %s\n", err(semget(KEY, 0, IPC_CREAT | 0600)));
    int id = semget(KEY, 3, IPC_CREAT | IPC_EXCL | 0600);
    printf("create: %s\n", err(id));
    printf("excl: %s\n", err(semget(KEY, 3, IPC_CREAT | IPC_EXCL | 0600)));
    printf("more than it has: %s\n", err(semget(KEY, 4, 0)));
    printf("fewer is the same: %d\n", semget(KEY, 2, 0) == id);

    struct semid_ds ds;
    arg.buf = &ds;
    semctl(id, 0, IPC_STAT, arg);
    printf("stat: nsems=%lu mode=%o otime=%ld\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode, (long)ds.sem_otime);

    arg.val = 32768;
    printf("SETVAL 32768: %s\n", err(semctl(id, 0, SETVAL, arg)));
    arg.val = -1;
    printf("SETVAL -1: %s\n", err(semctl(id, 0, SETVAL, arg)));
    arg.val = 5;
    printf("SETVAL 5 on sem 3: %s\n", err(semctl(id, 3, SETVAL, arg)));
    unsigned short vals[3] = {1, 2, 3};
    arg.array = vals;
    printf("SETALL: %s\n", err(semctl(id, 0, SETALL, arg)));
    unsigned short got[3] = {0};
    arg.array = got;
    semctl(id, 0, GETALL, arg);
    printf("GETALL: %u %u %u GETVAL(2)=%d GETPID self=%d\n", got[0], got[1], got[2], semctl(id, 2, GETVAL),
           semctl(id, 1, GETPID) == getpid());

    /* errors of semop */
    struct sembuf many[501];
    memset(many, 0, sizeof many);
    printf("nsops 0: %s\n", err(semop(id, many, 0)));
    printf("nsops 501: %s\n", err(semop(id, many, 501)));
    printf("sem 3: %s\n", err(op(id, 3, 1, 0)));
    printf("nowait: %s\n", err(op(id, 0, -2, IPC_NOWAIT)));
    printf("zero nowait: %s\n", err(op(id, 0, 0, IPC_NOWAIT)));
    printf("past SEMVMX: %s\n", err(op(id, 0, 32767, 0)));
    struct timespec bad = {0, 1000000000}, short_wait = {0, 20000000};
    struct sembuf one = {0, -2, 0};
    printf("bad timeout: %s\n", err(semtimedop(id, &one, 1, &bad)));
    printf("timed out: %s\n", err(semtimedop(id, &one, 1, &short_wait)));
    /* all or nothing: the second operation cannot go, so the first is not done either */
    struct sembuf two[2] = {{0, 1, 0}, {1, -5, IPC_NOWAIT}};
    printf("atomic: %s", err(semop(id, two, 2)));
    printf(" sem0=%d\n", semctl(id, 0, GETVAL));
    /* operations on one semaphore apply in order */
    struct sembuf seq[2] = {{2, -3, 0}, {2, 4, 0}};
    printf("in order: %s", err(semop(id, seq, 2)));
    printf(" sem2=%d\n", semctl(id, 2, GETVAL));
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("otime set: %d\n", ds.sem_otime != 0);

    /* a blocked decrement across fork */
    arg.val = 0;
    semctl(id, 0, SETVAL, arg);
    pid_t c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        printf("child: decrement woke %s sem0=%d\n", err(r), semctl(id, 0, GETVAL));
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    printf("parent: ncnt=%d\n", semctl(id, 0, GETNCNT));
    op(id, 0, 1, 0);
    int st;
    waitpid(c, &st, 0);
    printf("parent: ncnt after=%d\n", semctl(id, 0, GETNCNT));

    /* wait for zero */
    arg.val = 2;
    semctl(id, 1, SETVAL, arg);
    c = fork();
    if (c == 0) {
        int r = op(id, 1, 0, 0);
        printf("child: zero wait woke %s\n", err(r));
        _exit(0);
    }
    wait_count(id, 1, GETZCNT, 1);
    printf("parent: zcnt=%d\n", semctl(id, 1, GETZCNT));
    op(id, 1, -1, 0);
    printf("parent: one left, zcnt=%d\n", semctl(id, 1, GETZCNT));
    op(id, 1, -1, 0);
    waitpid(c, &st, 0);

    /* SEM_UNDO: reverted at exit */
    arg.val = 3;
    semctl(id, 2, SETVAL, arg);
    c = fork();
    if (c == 0) {
        op(id, 2, 5, SEM_UNDO);
        op(id, 2, -1, SEM_UNDO);
        printf("child: sem2=%d\n", semctl(id, 2, GETVAL));
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("parent: undone sem2=%d pid is child's=%d\n", semctl(id, 2, GETVAL), semctl(id, 2, GETPID) == c);
    /* undo clamped at 0: the child adds 2 with undo, the parent takes 3 away meanwhile */
    arg.val = 0;
    semctl(id, 0, SETVAL, arg);
    c = fork();
    if (c == 0) {
        op(id, 2, 2, SEM_UNDO);
        op(id, 0, -1, 0);
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    op(id, 2, -4, 0);
    printf("parent: sem2 before child exit=%d\n", semctl(id, 2, GETVAL));
    op(id, 0, 1, 0);
    waitpid(c, &st, 0);
    printf("parent: clamped sem2=%d\n", semctl(id, 2, GETVAL));
    /* SETVAL clears the adjustments */
    c = fork();
    if (c == 0) {
        op(id, 2, 4, SEM_UNDO);
        arg.val = 7;
        semctl(id, 2, SETVAL, arg);
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("parent: after SETVAL in child sem2=%d\n", semctl(id, 2, GETVAL));

    /* a signal ends the wait with EINTR even with SA_RESTART */
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    arg.val = 0;
    semctl(id, 0, SETVAL, arg);
    c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        printf("child: signalled wait %s\n", err(r));
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);
    printf("parent: ncnt after signal=%d\n", semctl(id, 0, GETNCNT));

    /* IPC_SET and other users */
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    ds.sem_perm.mode = 0604;
    printf("IPC_SET: %s", err(semctl(id, 0, IPC_SET, (union semun){.buf = &ds})));
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf(" mode=%o\n", ds.sem_perm.mode);
    c = fork();
    if (c == 0) {
        if (setuid(65534) < 0) _exit(1);
        printf("other user: GETVAL %s", err(semctl(id, 0, GETVAL)));
        printf(", semop %s", err(op(id, 0, 1, IPC_NOWAIT)));
        printf(", wait zero %s", err(op(id, 0, 0, IPC_NOWAIT)));
        printf(", rmid %s\n", err(semctl(id, 0, IPC_RMID)));
        _exit(0);
    }
    waitpid(c, &st, 0);

    struct seminfo si;
    int mx = semctl(0, 0, IPC_INFO, (union semun){.__buf = &si});
    printf("IPC_INFO: %s semmsl=%d semopm=%d semvmx=%d semmni=%d semmns=%d\n", err(mx), si.semmsl, si.semopm,
           si.semvmx, si.semmni, si.semmns);

    FILE *f = fopen("/proc/sysvipc/sem", "r");
    char line[512];
    if (fgets(line, sizeof line, f)) printf("sysvipc header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int k, sid;
        unsigned perms, nsems;
        if (sscanf(line, "%d %d %o %u", &k, &sid, &perms, &nsems) == 4 && k == KEY)
            printf("sysvipc: key=%x perms=%o nsems=%u\n", k, perms, nsems);
    }
    fclose(f);

    /* removal wakes the sleepers with EIDRM */
    c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        printf("child: removed while waiting %s\n", err(r));
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    printf("rmid: %s\n", err(semctl(id, 0, IPC_RMID)));
    waitpid(c, &st, 0);
    printf("after rmid: %s\n", err(semctl(id, 0, GETVAL)));
    return 0;
}
