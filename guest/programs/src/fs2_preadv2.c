/* Positional and flagged vector I/O, and the other file calls of issue 15's
 * "Files" item, as Linux answers them: preadv/pwritev at an offset, preadv2/
 * pwritev2 with offset -1 (the file offset) and RWF_* flags (RWF_APPEND,
 * RWF_DSYNC, RWF_NOWAIT on an empty pipe, unknown flags), ESPIPE/EINVAL/EBADF;
 * readahead; vmsplice into and out of a pipe; ioprio_get/ioprio_set (the
 * default best-effort level 4, IDLE, the invalid values); openat2 (struct
 * open_how's size rules, flag and mode checks, RESOLVE_BENEATH, IN_ROOT,
 * NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV); mknodat of a regular file, a socket and
 * a FIFO, and the FIFO as a named pipe between a parent and a forked child
 * (opens that wait for the other end, ENXIO, O_RDWR). Works in a directory it
 * makes under /tmp; prints no pids, inodes or times. Nothing here needs or
 * tests a privilege, so root and an unprivileged user see the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fstest.h"

static void vector_io(void)
{
    int fd = open(at("v"), O_CREAT | O_RDWR | O_TRUNC, 0600);
    struct iovec w[2] = {{"hello ", 6}, {"world", 5}};
    printf("pwritev at 0: %s\n", err(pwritev(fd, w, 2, 0)));
    char a[4] = {0}, b[8] = {0};
    struct iovec r[2] = {{a, 3}, {b, 7}};
    printf("preadv at 2: %s \"%s\" \"%s\"\n", err(preadv(fd, r, 2, 2)), a, b);
    printf("file offset after both: %s\n", err(lseek(fd, 0, SEEK_CUR)));
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    const char *n = err(preadv2(fd, r, 2, -1, 0));
    printf("preadv2 at -1: %s \"%s\" \"%s\", offset now %s\n", n, a, b, err(lseek(fd, 0, SEEK_CUR)));
    struct iovec tail = {"!", 1};
    n = err(pwritev2(fd, &tail, 1, 0, RWF_APPEND));
    printf("pwritev2 RWF_APPEND at 0: %s, size %s\n", n, err(lseek(fd, 0, SEEK_END)));
    struct iovec more = {"?", 1};
    printf("pwritev2 RWF_DSYNC|RWF_SYNC at 3: %s\n", err(pwritev2(fd, &more, 1, 3, RWF_DSYNC | RWF_SYNC)));
    char all[32] = {0};
    struct iovec whole = {all, sizeof all - 1};
    printf("preadv2 RWF_HIPRI at 0: %s \"%s\"\n", err(preadv2(fd, &whole, 1, 0, RWF_HIPRI)), all);
    /* 0x20 and up are flags of later kernels (RWF_NOAPPEND, RWF_ATOMIC, RWF_DONTCACHE, ...). */
    printf("preadv2 unknown flag: %s\n", err(preadv2(fd, &whole, 1, 0, 0x40000000)));
    struct iovec none = {all, 0};
    printf("preadv2 unknown flag, nothing to read: %s\n", err(preadv2(fd, &none, 1, 0, 0x40000000)));
    printf("preadv at -1: %s\n", err(preadv(fd, &whole, 1, -1)));
    printf("preadv2 at -2: %s\n", err(preadv2(fd, &whole, 1, -2, 0)));
    printf("preadv 1025 iovecs: %s\n", err(preadv(fd, &whole, 1025, 0)));
    printf("preadv bad fd: %s\n", err(preadv(-1, &whole, 1, 0)));
    int wo = open(at("v"), O_WRONLY);
    printf("preadv on O_WRONLY: %s\n", err(preadv(wo, &whole, 1, 0)));
    printf("pwritev on O_RDONLY: %s\n", err(pwritev(open(at("v"), O_RDONLY), &more, 1, 0)));
    close(wo);

    int p[2];
    if (pipe(p) != 0) perror("pipe");
    printf("preadv on a pipe: %s\n", err(preadv(p[0], &whole, 1, 0)));
    printf("pwritev on a pipe: %s\n", err(pwritev(p[1], &more, 1, 0)));
    printf("preadv2 RWF_NOWAIT on an empty pipe: %s\n", err(preadv2(p[0], &whole, 1, -1, RWF_NOWAIT)));
    struct iovec pw[2] = {{"pi", 2}, {"pe", 2}};
    printf("pwritev2 at -1 on a pipe: %s\n", err(pwritev2(p[1], pw, 2, -1, 0)));
    memset(all, 0, sizeof all);
    printf("preadv2 at -1 on a pipe: %s \"%s\"\n", err(preadv2(p[0], &whole, 1, -1, 0)), all);

    printf("readahead of a file: %s\n", err(readahead(fd, 0, 4096)));
    printf("readahead of a pipe: %s\n", err(readahead(p[0], 0, 4096)));
    printf("readahead of O_WRONLY: %s\n", err(readahead(p[1], 0, 4096)));
    printf("readahead bad fd: %s\n", err(readahead(-1, 0, 4096)));

    struct iovec vs[2] = {{"vm", 2}, {"splice", 6}};
    printf("vmsplice into the pipe: %s\n", err(vmsplice(p[1], vs, 2, SPLICE_F_GIFT)));
    char v1[3] = {0}, v2[8] = {0};
    struct iovec vr[2] = {{v1, 2}, {v2, 7}};
    printf("vmsplice out of the pipe: %s \"%s\" \"%s\"\n", err(vmsplice(p[0], vr, 2, 0)), v1, v2);
    printf("vmsplice from an empty pipe, nonblocking: %s\n", err(vmsplice(p[0], vr, 2, SPLICE_F_NONBLOCK)));
    printf("vmsplice bad flags: %s\n", err(vmsplice(p[1], vs, 2, 0x10)));
    printf("vmsplice to a file: %s\n", err(vmsplice(fd, vs, 2, 0)));
    printf("vmsplice nothing: %s\n", err(vmsplice(p[1], vs, 0, 0)));
    close(p[0]);
    close(p[1]);
    close(fd);
}

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_PRIO_VALUE(c, d) (((c) << IOPRIO_CLASS_SHIFT) | (d))

static void show_ioprio(const char *what, long v)
{
    if (v < 0) {
        printf("%s: %s\n", what, err(v));
        return;
    }
    printf("%s: class %ld level %ld\n", what, v >> IOPRIO_CLASS_SHIFT, v & ((1 << IOPRIO_CLASS_SHIFT) - 1));
}

static void io_priorities(void)
{
    /* What ioprio_get says before any ioprio_set differs between kernels (6.1: the class and
     * level the nice value implies, best-effort 4; 6.8 and later: none, 0): not shown. So are
     * levels of 8 and more, which 6.6 and later take as priority hints. */
    printf("ioprio_set IDLE: %s\n", err(syscall(SYS_ioprio_set, 1, 0, IOPRIO_PRIO_VALUE(3, 0))));
    show_ioprio("ioprio_get after IDLE", syscall(SYS_ioprio_get, 1, 0));
    printf("ioprio_set BE 2: %s\n", err(syscall(SYS_ioprio_set, 1, getpid(), IOPRIO_PRIO_VALUE(2, 2))));
    show_ioprio("ioprio_get after BE 2", syscall(SYS_ioprio_get, 1, 0));
    printf("ioprio_set class 5: %s\n", err(syscall(SYS_ioprio_set, 1, 0, IOPRIO_PRIO_VALUE(5, 0))));
    printf("ioprio_set NONE level 1: %s\n", err(syscall(SYS_ioprio_set, 1, 0, IOPRIO_PRIO_VALUE(0, 1))));
    printf("ioprio_set which 7: %s\n", err(syscall(SYS_ioprio_set, 7, 0, IOPRIO_PRIO_VALUE(2, 0))));
    printf("ioprio_get which 0: %s\n", err(syscall(SYS_ioprio_get, 0, 0)));
    printf("ioprio_get no such process: %s\n", err(syscall(SYS_ioprio_get, 1, 0x3fffff00)));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        show_ioprio("  forked child inherits", syscall(SYS_ioprio_get, 1, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("ioprio_set NONE: %s\n", err(syscall(SYS_ioprio_set, 1, 0, IOPRIO_PRIO_VALUE(0, 0))));
}

static long openat2_(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static const char *opened(long fd)
{
    if (fd < 0) return err(fd);
    close(fd);
    return "opened";
}

static void open2(void)
{
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    close(open(at("file"), O_CREAT | O_WRONLY, 0600));
    mkdir(at("sub"), 0700);
    if (symlink("file", at("rel")) != 0) perror("symlink");
    if (symlink("/file", at("abs")) != 0) perror("symlink");
    if (symlink("..", at("sub/up")) != 0) perror("symlink");

    struct {
        struct open_how how;
        uint64_t extra;
    } big = {{.flags = O_RDONLY}, 0};
    printf("openat2 size 24: %s\n", opened(syscall(SYS_openat2, d, "file", &big, 24)));
    printf("openat2 size 16: %s\n", err(syscall(SYS_openat2, d, "file", &big, 16)));
    printf("openat2 size 32, zero tail: %s\n", opened(syscall(SYS_openat2, d, "file", &big, 32)));
    big.extra = 1;
    printf("openat2 size 32, non-zero tail: %s\n", err(syscall(SYS_openat2, d, "file", &big, 32)));
    printf("openat2 flag bit 40: %s\n", err(openat2_(d, "file", 1ULL << 40, 0, 0)));
    printf("openat2 mode without O_CREAT: %s\n", err(openat2_(d, "file", O_RDONLY, 0600, 0)));
    printf("openat2 mode 010000 with O_CREAT: %s\n", err(openat2_(d, "new", O_CREAT | O_WRONLY, 010000, 0)));
    printf("openat2 O_CREAT|O_DIRECTORY: %s\n", err(openat2_(d, "new", O_CREAT | O_DIRECTORY, 0600, 0)));
    printf("openat2 O_PATH|O_RDWR: %s\n", err(openat2_(d, "file", O_PATH | O_RDWR, 0, 0)));
    printf("openat2 unknown resolve bit: %s\n", err(openat2_(d, "file", O_RDONLY, 0, 0x40)));
    printf("openat2 BENEATH|IN_ROOT: %s\n",
           err(openat2_(d, "file", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT)));
    printf("openat2 CACHED with O_CREAT: %s\n", err(openat2_(d, "new", O_CREAT | O_WRONLY, 0600, RESOLVE_CACHED)));
    printf("openat2 O_CREAT|O_CLOEXEC: %s\n", opened(openat2_(d, "new", O_CREAT | O_WRONLY | O_CLOEXEC, 0600, 0)));

    printf("BENEATH file: %s\n", opened(openat2_(d, "file", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH sub/../file: %s\n", opened(openat2_(d, "sub/../file", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH ../x: %s\n", err(openat2_(d, "../x", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH absolute: %s\n", err(openat2_(d, "/tmp", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH relative link: %s\n", opened(openat2_(d, "rel", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH absolute link: %s\n", err(openat2_(d, "abs", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH sub/up/file: %s\n", opened(openat2_(d, "sub/up/file", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("BENEATH sub/up/up: %s\n", err(openat2_(d, "sub/up/up", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("IN_ROOT /file: %s\n", opened(openat2_(d, "/file", O_RDONLY, 0, RESOLVE_IN_ROOT)));
    printf("IN_ROOT ../../file: %s\n", opened(openat2_(d, "../../file", O_RDONLY, 0, RESOLVE_IN_ROOT)));
    printf("IN_ROOT absolute link: %s\n", opened(openat2_(d, "abs", O_RDONLY, 0, RESOLVE_IN_ROOT)));
    printf("IN_ROOT /tmp: %s\n", err(openat2_(d, "/tmp", O_RDONLY, 0, RESOLVE_IN_ROOT)));
    printf("NO_SYMLINKS rel: %s\n", err(openat2_(d, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS)));
    printf("NO_SYMLINKS rel, O_PATH|O_NOFOLLOW: %s\n",
           opened(openat2_(d, "rel", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS)));
    printf("NO_SYMLINKS file: %s\n", opened(openat2_(d, "file", O_RDONLY, 0, RESOLVE_NO_SYMLINKS)));
    printf("NO_MAGICLINKS /proc/self/exe: %s\n",
           err(openat2_(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS)));
    printf("NO_MAGICLINKS /proc/self/status: %s\n",
           opened(openat2_(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS)));
    printf("no restriction /proc/self/exe: %s\n", opened(openat2_(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, 0)));
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    printf("BENEATH self/exe from /proc: %s\n", err(openat2_(proc, "self/exe", O_RDONLY, 0, RESOLVE_BENEATH)));
    printf("NO_XDEV /proc/self/status from /: %s\n",
           err(openat2_(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_XDEV)));
    printf("NO_XDEV self/status from /proc: %s\n",
           opened(openat2_(proc, "self/status", O_RDONLY, 0, RESOLVE_NO_XDEV)));
    printf("NO_XDEV ../proc from /proc: %s\n", err(openat2_(proc, "../proc", O_RDONLY, 0, RESOLVE_NO_XDEV)));
    printf("NO_XDEV file: %s\n", opened(openat2_(d, "file", O_RDONLY, 0, RESOLVE_NO_XDEV)));
    printf("openat2 empty path: %s\n", err(openat2_(d, "", O_RDONLY, 0, 0)));
    close(proc);
    close(d);
}

static const char *kind(const char *name)
{
    struct stat st;
    if (lstat(at(name), &st) != 0) return strerrorname_np(errno);
    static char buf[64];
    const char *t = S_ISREG(st.st_mode) ? "regular" : S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "socket"
                    : "other";
    snprintf(buf, sizeof buf, "%s %04o", t, st.st_mode & 07777);
    return buf;
}

static void make_node(const char *what, const char *name, mode_t mode)
{
    const char *r = err(mknodat(AT_FDCWD, at(name), mode, 0));
    printf("mknodat %s: %s, %s\n", what, r, kind(name));
}

static void nodes(void)
{
    umask(022);
    make_node("regular", "reg", S_IFREG | 0664);
    make_node("type 0", "zero", 0644);
    make_node("fifo", "fifo", S_IFIFO | 0666);
    make_node("socket", "sock", S_IFSOCK | 0600);
    printf("mknodat directory: %s\n", err(mknodat(AT_FDCWD, at("d"), S_IFDIR | 0700, 0)));
    printf("mknodat bad type: %s\n", err(mknodat(AT_FDCWD, at("bad"), 0110000 | 0600, 0)));
    printf("mknodat existing: %s\n", err(mknodat(AT_FDCWD, at("reg"), S_IFIFO | 0600, 0)));
    printf("mknodat in a missing directory: %s\n", err(mknodat(AT_FDCWD, at("none/x"), S_IFIFO | 0600, 0)));

    printf("open fifo O_WRONLY|O_NONBLOCK, no reader: %s\n", err(open(at("fifo"), O_WRONLY | O_NONBLOCK)));
    int r = open(at("fifo"), O_RDONLY | O_NONBLOCK);
    char buf[32] = {0};
    printf("open fifo O_RDONLY|O_NONBLOCK: %s, read with no writer: %s\n", r < 0 ? err(r) : "ok",
           err(read(r, buf, sizeof buf)));
    int w = open(at("fifo"), O_WRONLY | O_NONBLOCK);
    printf("open fifo O_WRONLY|O_NONBLOCK with a reader: %s\n", w < 0 ? err(w) : "ok");
    printf("read, writer open and nothing written: %s\n", err(read(r, buf, sizeof buf)));
    printf("lseek on the fifo: %s\n", err(lseek(w, 0, SEEK_SET)));
    close(w);
    close(r);
    int rw = open(at("fifo"), O_RDWR);
    printf("O_RDWR write: %s", err(write(rw, "self", 4)));
    memset(buf, 0, sizeof buf);
    printf(", read: %s \"%s\"\n", err(read(rw, buf, sizeof buf)), buf);
    close(rw);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int cw = open(at("fifo"), O_WRONLY); /* waits for the parent's open */
        if (write(cw, "through the fifo", 16) != 16) _exit(1);
        close(cw);
        _exit(0);
    }
    int pr = open(at("fifo"), O_RDONLY); /* waits for the child's open */
    memset(buf, 0, sizeof buf);
    ssize_t n = 0, got;
    while ((got = read(pr, buf + n, sizeof buf - 1 - n)) > 0) n += got;
    int status;
    waitpid(child, &status, 0);
    printf("named pipe between processes: \"%s\" (%zd), then %s, child status %d\n", buf, n, err(got),
           WEXITSTATUS(status));
    close(pr);
}

int main(void)
{
    strcpy(dir, "/tmp/fs2_preadv2.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    vector_io();
    io_priorities();
    open2();
    nodes();
    const char *names[] = {"v", "new", "file", "rel", "abs", "sub/up", "sub", "reg", "zero", "fifo", "sock"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i], "sub") == 0) {
            rmdir(at(names[i]));
        } else {
            unlink(at(names[i]));
        }
    }
    printf("cleanup: %s\n", err(rmdir(dir)));
    return 0;
}
