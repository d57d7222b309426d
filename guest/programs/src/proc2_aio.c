/* Linux native AIO through raw system calls, as libaio makes them: io_setup maps the
 * completion ring (read here from user space, as libaio's io_getevents fast path does),
 * io_submit of reads, writes, vectored ones, syncs and polls over a file and a pipe with
 * IOCB_FLAG_RESFD, io_getevents blocking and with timeouts, io_cancel, io_destroy, the
 * errors in Linux's order, and what fork keeps. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct aio_ring {
    unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
    struct io_event io_events[];
};

static const char *err(long r) { return r >= 0 ? "ok" : strerrorname_np(errno); }
static long io_setup(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(aio_context_t ctx, long nr, struct iocb **iocbs) { return syscall(SYS_io_submit, ctx, nr, iocbs); }
static long io_cancel(aio_context_t ctx, struct iocb *iocb, struct io_event *ev) {
    return syscall(SYS_io_cancel, ctx, iocb, ev);
}
static long io_getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *ts) {
    return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}

static struct iocb make(int op, int fd, void *buf, size_t n, long long off, uint64_t data) {
    struct iocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_lio_opcode = op;
    cb.aio_fildes = fd;
    cb.aio_buf = (uint64_t) (uintptr_t) buf;
    cb.aio_nbytes = n;
    cb.aio_offset = off;
    cb.aio_data = data;
    cb.aio_key = 0x1234; /* io_submit sets it to KIOCB_KEY (0) */
    return cb;
}

static long submit1(aio_context_t ctx, struct iocb *cb) {
    struct iocb *list[1] = { cb };
    return io_submit(ctx, 1, list);
}

static int by_data(const void *a, const void *b) {
    const struct io_event *x = a, *y = b;
    return x->data < y->data ? -1 : x->data > y->data;
}

/* The events by their data: the syncs may complete in either order (a workqueue runs them in Linux). */
static void print_events(struct io_event *ev, long n) {
    if (n > 0) {
        qsort(ev, n, sizeof *ev, by_data);
    }
    for (long i = 0; i < n; i++) {
        printf("  event data=%llu res=%lld res2=%lld\n", (unsigned long long) ev[i].data, (long long) ev[i].res,
               (long long) ev[i].res2);
    }
}

/* The line of /proc/self/maps for the ring: its permissions and name. */
static void maps_line(aio_context_t ctx) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    char want[32];
    snprintf(want, sizeof want, "%llx-", (unsigned long long) ctx);
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) {
            char perms[8], name[256] = "";
            sscanf(line, "%*s %7s %*s %*s %*s %255[^\n]", perms, name);
            printf("maps: %s %s\n", perms, name);
            found = 1;
        }
    }
    if (!found) {
        printf("maps: no mapping at the context\n");
    }
    fclose(f);
}

int main(void) {
    aio_context_t ctx = 0;
    /* io_setup's checks. */
    aio_context_t nonzero = 1;
    printf("io_setup(*ctxp != 0): %s\n", err(io_setup(8, &nonzero)));
    printf("io_setup(0 events): %s\n", err(io_setup(0, &ctx)));
    printf("io_setup(bad ctxp): %s\n", err(io_setup(8, (aio_context_t *) 8)));
    printf("io_setup(65537): %s\n", err(io_setup(65537, &ctx)));
    printf("io_setup(8): %s\n", err(io_setup(8, &ctx)));
    struct aio_ring *ring = (struct aio_ring *) ctx;
    printf("ring: magic=%#x compat=%u incompat=%u header_length=%u head=%u tail=%u nr>=16: %s id=%u\n", ring->magic,
           ring->compat_features, ring->incompat_features, ring->header_length, ring->head, ring->tail,
           ring->nr >= 16 ? "yes" : "no", ring->id);
    maps_line(ctx);
    aio_context_t ctx2 = 0;
    long r2s = io_setup(4, &ctx2);
    printf("second io_setup: %s id=%u different ring: %s\n", err(r2s), ((struct aio_ring *) ctx2)->id,
           ctx2 != ctx ? "yes" : "no");
    printf("io_setup(65536) with 12 held: %s\n", err(io_setup(65536, &(aio_context_t){0})));

    /* A file: writes, reads, vectored, syncs, all completed by the time io_submit returns. */
    char path[] = "/tmp/proc2_aio_XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    char text[] = "hello aio world";
    struct iocb w = make(IOCB_CMD_PWRITE, fd, text, strlen(text), 0, 1);
    long sr = submit1(ctx, &w);
    printf("submit PWRITE: %ld key=%u\n", sr, w.aio_key);
    char got[32] = "";
    struct iocb r = make(IOCB_CMD_PREAD, fd, got, 3, 6, 2);
    char a[4] = "", b[8] = "";
    struct iovec iov[2] = { { a, 3 }, { b, 5 } };
    struct iocb rv = make(IOCB_CMD_PREADV, fd, iov, 2, 10, 3);
    char x[] = "XY", z[] = "Z";
    struct iovec wv[2] = { { x, 2 }, { z, 1 } };
    struct iocb wvc = make(IOCB_CMD_PWRITEV, fd, wv, 2, 15, 4);
    struct iocb fs = make(IOCB_CMD_FSYNC, fd, NULL, 0, 0, 5);
    struct iocb fds = make(IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 6);
    struct iocb *batch[5] = { &r, &rv, &wvc, &fs, &fds };
    printf("submit 5: %ld\n", io_submit(ctx, 5, batch));
    /* The syncs may complete a little later (Linux runs them on a workqueue). */
    printf("ring from user space: tail-head>=4: %s\n", (ring->tail - ring->head + ring->nr) % ring->nr >= 4 ? "yes" : "no");
    struct io_event ev[16];
    long n = io_getevents(ctx, 6, 16, ev, NULL);
    printf("io_getevents(6..16): %ld\n", n);
    print_events(ev, n);
    printf("obj of the first: %s\n", ev[0].obj == (uint64_t) (uintptr_t) &w ? "the iocb" : "?");
    printf("PREAD got '%s', PREADV got '%s' '%s'\n", got, a, b);
    char all[32] = "";
    pread(fd, all, sizeof all - 1, 0);
    printf("file: '%s'\n", all);
    printf("head==tail after: %s\n", ring->head == ring->tail ? "yes" : "no");

    /* libaio's fast path: take events from the ring without a system call. */
    struct iocb r2 = make(IOCB_CMD_PREAD, fd, got, 5, 0, 7);
    struct iocb r3 = make(IOCB_CMD_PREAD, fd, got + 8, 5, 100, 8);
    struct iocb *two[2] = { &r2, &r3 };
    printf("submit 2: %ld\n", io_submit(ctx, 2, two));
    unsigned head = ring->head, tail = ring->tail;
    printf("user ring: %u events\n", (tail - head + ring->nr) % ring->nr);
    while (head != tail) {
        struct io_event *e = &ring->io_events[head];
        printf("  ring event data=%llu res=%lld\n", (unsigned long long) e->data, (long long) e->res);
        head = (head + 1) % ring->nr;
    }
    ring->head = head;
    struct timespec zero = { 0, 0 };
    printf("io_getevents after user reaping: %ld\n", io_getevents(ctx, 1, 16, ev, &zero));

    /* A pipe, with completions told through an eventfd. */
    int p[2];
    pipe(p);
    int efd = eventfd(0, EFD_NONBLOCK);
    write(p[1], "pipe data", 9);
    char pbuf[16] = "";
    struct iocb pr = make(IOCB_CMD_PREAD, p[0], pbuf, sizeof pbuf, 0, 9);
    pr.aio_flags = IOCB_FLAG_RESFD;
    pr.aio_resfd = efd;
    printf("submit PREAD on pipe with data: %ld\n", submit1(ctx, &pr));
    uint64_t count = 0;
    long er = read(efd, &count, 8);
    printf("eventfd: %s count=%llu\n", err(er), (unsigned long long) count);
    n = io_getevents(ctx, 1, 16, ev, NULL);
    print_events(ev, n);
    printf("read from the pipe: '%s'\n", pbuf);
    /* RWF_NOWAIT on an empty pipe: EAGAIN as the result. */
    struct iocb pn = make(IOCB_CMD_PREAD, p[0], pbuf, sizeof pbuf, 0, 10);
    pn.aio_rw_flags = RWF_NOWAIT;
    printf("submit PREAD NOWAIT on empty pipe: %ld\n", submit1(ctx, &pn));
    n = io_getevents(ctx, 1, 16, ev, NULL);
    print_events(ev, n);
    /* POLL: asynchronous, completes when the pipe has data. */
    struct iocb pp = make(IOCB_CMD_POLL, p[0], (void *) (uintptr_t) POLLIN, 0, 0, 11);
    pp.aio_flags = IOCB_FLAG_RESFD;
    pp.aio_resfd = efd;
    printf("submit POLL on empty pipe: %ld\n", submit1(ctx, &pp));
    printf("io_getevents(timeout 0): %ld\n", io_getevents(ctx, 1, 16, ev, &zero));
    struct timespec short_wait = { 0, 20 * 1000000 };
    printf("io_getevents(timeout 20ms): %ld\n", io_getevents(ctx, 1, 16, ev, &short_wait));
    printf("eventfd before: %s\n", err(read(efd, &count, 8)));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* The child keeps the ring's mapping but has no context. */
        printf("child: io_destroy: %s\n", err(io_destroy(ctx)));
        printf("child: io_submit: %s\n", err(submit1(ctx, &w)));
        maps_line(ctx);
        fflush(stdout);
        struct timespec d = { 0, 50 * 1000000 };
        nanosleep(&d, NULL);
        write(p[1], "x", 1);
        _exit(0);
    }
    n = io_getevents(ctx, 1, 16, ev, NULL); /* blocks until the child writes */
    printf("io_getevents woken: %ld\n", n);
    print_events(ev, n);
    waitpid(child, NULL, 0);
    er = read(efd, &count, 8);
    printf("eventfd after: %s count=%llu\n", err(er), (unsigned long long) count);
    read(p[0], pbuf, sizeof pbuf);
    /* A read of an empty pipe waits inside io_submit, as Linux's pipe_read does, until data comes. */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct timespec d = { 0, 30 * 1000000 };
        nanosleep(&d, NULL);
        write(p[1], "late", 4);
        _exit(0);
    }
    memset(pbuf, 0, sizeof pbuf);
    struct iocb late = make(IOCB_CMD_PREAD, p[0], pbuf, sizeof pbuf, 0, 14);
    printf("submit PREAD on empty pipe (waits): %ld\n", submit1(ctx, &late));
    n = io_getevents(ctx, 1, 16, ev, NULL);
    print_events(ev, n);
    printf("read after the wait: '%s'\n", pbuf);
    waitpid(child, NULL, 0);
    /* io_cancel of a waiting POLL: EINPROGRESS, and its event comes through the ring. */
    struct iocb pc = make(IOCB_CMD_POLL, p[0], (void *) (uintptr_t) POLLIN, 0, 0, 12);
    submit1(ctx, &pc);
    struct io_event cev;
    printf("io_cancel: %s\n", err(io_cancel(ctx, &pc, &cev)));
    printf("io_cancel again: %s\n", err(io_cancel(ctx, &pc, &cev)));
    n = io_getevents(ctx, 1, 16, ev, &short_wait);
    printf("after cancel: %ld\n", n);
    print_events(ev, n);
    struct iocb done = make(IOCB_CMD_PREAD, fd, got, 1, 0, 13);
    submit1(ctx, &done);
    io_getevents(ctx, 1, 1, ev, NULL);
    printf("io_cancel of a completed request: %s\n", err(io_cancel(ctx, &done, &cev)));
    done.aio_key = 5;
    printf("io_cancel with a wrong key: %s\n", err(io_cancel(ctx, &done, &cev)));
    printf("io_cancel bad iocb: %s\n", err(io_cancel(ctx, (struct iocb *) 8, &cev)));

    /* io_submit's checks. */
    struct iocb bad = make(IOCB_CMD_PREAD, 999, got, 1, 0, 20);
    printf("submit bad fd: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_NOOP, fd, got, 1, 0, 20);
    printf("submit NOOP: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, fd, got, 1, 0, 20);
    bad.aio_reserved2 = 1;
    printf("submit reserved2: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, fd, got, 1, 0, 20);
    bad.aio_flags = IOCB_FLAG_RESFD;
    bad.aio_resfd = fd;
    printf("submit RESFD not an eventfd: %s\n", err(submit1(ctx, &bad)));
    bad.aio_resfd = 999;
    printf("submit RESFD bad fd: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, fd, got, 1, 0, 20);
    bad.aio_rw_flags = 0x40000000;
    printf("submit unknown RWF: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, p[1], got, 1, 0, 20);
    printf("submit PREAD on write end: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, fd, got, 1, -1, 20);
    printf("submit negative offset: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_FSYNC, fd, got, 1, 0, 20);
    printf("submit FSYNC with a buffer: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_POLL, p[0], (void *) 0x10000, 0, 0, 20);
    printf("submit POLL events past 16 bits: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREADV, fd, iov, 1025, 0, 20);
    printf("submit PREADV 1025 vectors: %s\n", err(submit1(ctx, &bad)));
    bad = make(IOCB_CMD_PREAD, fd, (void *) 8, 1, 0, 20);
    printf("submit PREAD to an unmapped buffer: %s\n", err(submit1(ctx, &bad)));
    n = io_getevents(ctx, 0, 16, ev, NULL);
    printf("events from the accepted ones: %ld\n", n);
    print_events(ev, n);
    printf("submit bad iocb pointer: %s\n", err(submit1(ctx, (struct iocb *) 8)));
    printf("submit bad array: %s\n", err(io_submit(ctx, 1, (struct iocb **) 8)));
    printf("submit nr -1: %s\n", err(io_submit(ctx, -1, batch)));
    printf("submit nr 0: %ld\n", io_submit(ctx, 0, batch));
    printf("submit bad context: %s\n", err(io_submit(12345, 1, batch)));
    struct iocb good = make(IOCB_CMD_PREAD, fd, got, 1, 0, 21);
    struct iocb worse = make(IOCB_CMD_PREAD, 999, got, 1, 0, 22);
    struct iocb *mixed[2] = { &good, &worse };
    printf("submit good then bad: %ld\n", io_submit(ctx, 2, mixed));
    n = io_getevents(ctx, 1, 16, ev, NULL);
    print_events(ev, n);
    printf("io_getevents min > nr: %s\n", err(io_getevents(ctx, 2, 1, ev, NULL)));
    printf("io_getevents min < 0: %s\n", err(io_getevents(ctx, -1, 1, ev, NULL)));
    printf("io_getevents bad context: %s\n", err(io_getevents(12345, 0, 1, ev, NULL)));
    printf("io_getevents bad timeout: %s\n", err(io_getevents(ctx, 0, 1, ev, (struct timespec *) 8)));

    /* A full ring: EAGAIN until events are taken. */
    long submitted = 0, rc;
    struct iocb many[300];
    for (int i = 0; i < 300; i++) {
        many[i] = make(IOCB_CMD_PREAD, fd, got, 1, 0, 100 + i);
        rc = submit1(ctx, &many[i]);
        if (rc != 1) {
            break;
        }
        submitted++;
    }
    printf("full ring: EAGAIN after >= 100: %s (%s)\n", submitted >= 100 ? "yes" : "no", err(rc));
    long reaped = 0;
    while ((n = io_getevents(ctx, 0, 16, ev, NULL)) > 0) {
        reaped += n;
    }
    printf("reaped all: %s; submit again: %ld\n", reaped == submitted ? "yes" : "no", submit1(ctx, &many[0]));
    io_getevents(ctx, 1, 1, ev, NULL);

    /* io_destroy unmaps the ring. */
    printf("io_destroy: %s\n", err(io_destroy(ctx)));
    maps_line(ctx);
    printf("io_destroy again: %s\n", err(io_destroy(ctx)));
    printf("io_getevents destroyed: %s\n", err(io_getevents(ctx, 0, 1, ev, NULL)));
    printf("io_destroy second: %s\n", err(io_destroy(ctx2)));
    return 0;
}
