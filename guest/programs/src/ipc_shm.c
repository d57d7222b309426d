/* System V shared memory across fork: shmget/shmat/shmdt/shmctl, nattch, IPC_RMID,
 * SHM_RDONLY faults, the /proc/self/maps line and /proc/sysvipc/shm. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY 0x5eed01
#define KEY2 0x5eed02

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static unsigned long nattch(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) return (unsigned long)-1;
    return ds.shm_nattch;
}

static sigjmp_buf jb;
static volatile int fault_code;
static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    fault_code = si->si_code;
    siglongjmp(jb, 1);
}

/* The /proc/self/maps line of the area at addr, without its addresses. */
static void show_maps(void *addr, int id) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi, off;
        char perms[8], dev[16], name[256] = "";
        unsigned long ino;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255[^\n]", &lo, &hi, perms, &off, dev, &ino, name) < 6) continue;
        if (lo == (unsigned long)addr) {
            char *n = name;
            while (*n == ' ') n++;
            printf("maps: %s %08lx %s inode=%s size=%lu %s\n", perms, off, dev,
                   (long)ino == id ? "shmid" : "other", hi - lo, n);
        }
    }
    fclose(f);
}

static void show_proc(int key) {
    FILE *f = fopen("/proc/sysvipc/shm", "r");
    char line[512];
    if (!fgets(line, sizeof line, f)) return;
    printf("sysvipc header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int k, id;
        unsigned perms, cpid, lpid, uid, gid, cuid, cgid;
        unsigned long size, nat;
        if (sscanf(line, "%d %d %o %lu %u %u %lu %u %u %u %u", &k, &id, &perms, &size, &cpid, &lpid, &nat, &uid,
                   &gid, &cuid, &cgid) == 11 && k == key)
            printf("sysvipc: key=%x perms=%o size=%lu nattch=%lu\n", k, perms, size, nat);
    }
    fclose(f);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* keys and creation */
    int stale = shmget(KEY, 0, 0);
    if (stale >= 0) shmctl(stale, IPC_RMID, NULL);
    errno = 0;
    printf("get missing: %s\n", err(shmget(KEY, 4096, 0600)));
    int id = shmget(KEY, 10000, IPC_CREAT | IPC_EXCL | 0600);
    printf("create: %s\n", err(id));
    printf("again excl: %s\n", err(shmget(KEY, 10000, IPC_CREAT | IPC_EXCL | 0600)));
    printf("again same id: %d\n", shmget(KEY, 0, 0) == id);
    printf("again larger: %s\n", err(shmget(KEY, 20000, 0)));
    printf("size 0: %s\n", err(shmget(KEY2, 0, IPC_CREAT | 0600)));
    int priv = shmget(IPC_PRIVATE, 4096, 0600);
    printf("private distinct: %d\n", priv != id);
    shmctl(priv, IPC_RMID, NULL);

    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    printf("stat: segsz=%zu nattch=%lu mode=%o key=%x cpid_self=%d lpid=%d atime=%ld\n", ds.shm_segsz, ds.shm_nattch,
           ds.shm_perm.mode, ds.shm_perm.__key, ds.shm_cpid == getpid(), ds.shm_lpid, (long)ds.shm_atime);
    printf("stat bad id: %s\n", err(shmctl(id + 7 * 32768, IPC_STAT, &ds)));
    printf("ctl bad cmd: %s\n", err(shmctl(id, 99, &ds)));

    /* attach */
    char *p = shmat(id, NULL, 0);
    printf("attach: %s aligned=%d\n", p == (void *)-1 ? err(-1) : "ok", ((unsigned long)p & 4095) == 0);
    strcpy(p, "parent");
    shmctl(id, IPC_STAT, &ds);
    printf("after attach: nattch=%lu lpid_self=%d atime_set=%d\n", ds.shm_nattch, ds.shm_lpid == getpid(),
           ds.shm_atime != 0);
    show_maps(p, id);
    printf("page past end readable: %d\n", p[12287] == 0);

    /* fork duplicates the attach; the child attaches again by id and writes */
    pid_t c = fork();
    if (c == 0) {
        printf("child: nattch=%lu sees=%s\n", nattch(id), p);
        char *q = shmat(id, NULL, 0);
        printf("child: second attach nattch=%lu same data=%d\n", nattch(id), strcmp(q, "parent") == 0);
        strcpy(q + 100, "from child");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent: after child exit nattch=%lu child wrote=%s\n", nattch(id), p + 100);

    /* a segment outlives its attaches until IPC_RMID */
    long rc = shmdt(p);
    printf("detach: %s nattch=%lu\n", err(rc), nattch(id));
    p = shmat(id, NULL, 0);
    printf("reattach keeps data: %s\n", p + 100);

    /* errors of shmat and shmdt */
    errno = 0;
    printf("misaligned: %s\n", err((long)shmat(id, p + 1, 0)));
    void *r = shmat(id, p + 1, SHM_RND | SHM_REMAP);
    printf("SHM_RND|SHM_REMAP at own attach: %s same=%d\n", r == (void *)-1 ? err(-1) : "ok", r == p);
    printf("remap without address: %s\n", err((long)shmat(id, NULL, SHM_REMAP)));
    printf("over a mapping: %s\n", err((long)shmat(id, p, 0)));
    printf("shmdt not attached: %s\n", err(shmdt(&st)));
    printf("shmdt misaligned: %s\n", err(shmdt(p + 8)));
    printf("nattch now: %lu\n", nattch(id));

    /* SHM_RDONLY: a store faults, mprotect cannot add write */
    char *ro = shmat(id, NULL, SHM_RDONLY);
    printf("rdonly attach reads: %s\n", ro + 100);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) {
        ro[0] = 'x';
        printf("rdonly store: no fault\n");
    } else {
        printf("rdonly store: SIGSEGV code=%s\n", fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
    }
    printf("mprotect write on rdonly: %s\n", err(mprotect(ro, 4096, PROT_READ | PROT_WRITE)));
    show_maps(ro, id);
    rc = shmdt(ro);
    printf("shmdt rdonly: %s nattch=%lu\n", err(rc), nattch(id));

    /* a split area counts twice */
    mprotect(p + 4096, 4096, PROT_READ);
    printf("split by mprotect: nattch=%lu\n", nattch(id));
    rc = shmdt(p);
    printf("shmdt split: %s nattch=%lu\n", err(rc), nattch(id));

    /* IPC_SET, SHM_LOCK */
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 0640;
    printf("IPC_SET: %s", err(shmctl(id, IPC_SET, &ds)));
    shmctl(id, IPC_STAT, &ds);
    printf(" mode=%o\n", ds.shm_perm.mode);
    printf("SHM_LOCK: %s", err(shmctl(id, SHM_LOCK, NULL)));
    shmctl(id, IPC_STAT, &ds);
    printf(" mode=%o", ds.shm_perm.mode);
    shmctl(id, SHM_UNLOCK, NULL);
    shmctl(id, IPC_STAT, &ds);
    printf(" unlocked mode=%o\n", ds.shm_perm.mode);

    /* another user */
    c = fork();
    if (c == 0) {
        if (setuid(65534) < 0) _exit(1);
        printf("other user: get rw %s", err(shmget(KEY, 0, 0600)));
        printf(", get r %s", err(shmget(KEY, 0, 0400)));
        printf(", attach %s", err((long)shmat(id, NULL, 0)));
        printf(", rmid %s", err(shmctl(id, IPC_RMID, NULL)));
        printf(", lock %s", err(shmctl(id, SHM_LOCK, NULL)));
        printf(", stat %s\n", err(shmctl(id, IPC_STAT, &ds)));
        _exit(0);
    }
    waitpid(c, &st, 0);

    struct shminfo info;
    int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
    printf("IPC_INFO: %s shmmni=%lu shmmin=%lu shmmax=%lx\n", err(maxidx), info.shmmni, info.shmmin, info.shmmax);

    /* IPC_RMID while attached: SHM_DEST, key gone, destroyed at the last detach */
    p = shmat(id, NULL, 0);
    show_proc(KEY);
    printf("rmid: %s\n", err(shmctl(id, IPC_RMID, NULL)));
    shmctl(id, IPC_STAT, &ds);
    printf("after rmid: mode=%o key=%x nattch=%lu data=%s\n", ds.shm_perm.mode, ds.shm_perm.__key, ds.shm_nattch,
           p + 100);
    printf("key lookup after rmid: %s\n", err(shmget(KEY, 0, 0)));
    show_maps(p, id);
    printf("last detach: %s\n", err(shmdt(p)));
    printf("stat after destroy: %s\n", err(shmctl(id, IPC_STAT, &ds)));

    /* the id of a new segment at a freed index has the next sequence number */
    int id2 = shmget(KEY, 4096, IPC_CREAT | 0600);
    printf("new segment id differs: %d\n", id2 != id);
    shmctl(id2, IPC_RMID, NULL);
    return 0;
}
