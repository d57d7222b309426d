/* Moving bytes inside the kernel, memfds and advisory locks, as Linux answers:
 * sendfile, copy_file_range, splice and tee between files and pipes (offset
 * pointers or the file offset, and their EINVAL/ESPIPE/EXDEV cases);
 * memfd_create (its /proc/self/fd name, MFD_CLOEXEC) and its seals (what
 * each forbids, EPERM, F_SEAL_SEAL); flock and fcntl record locks (POSIX and
 * OFD) between a parent and a forked child, including a child that sleeps in
 * F_SETLKW and flock until the parent lets go. Works in a directory it makes
 * under /tmp; prints no pids, inodes or times. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fstest.h"

static int make_file(const char *name, const char *text)
{
    int fd = open(at(name), O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) perror("write");
    return fd;
}

static void show_fd(const char *what, int fd)
{
    char buf[128] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    printf("%s: \"%s\" (%zd)\n", what, n > 0 ? buf : "", n);
}

static void show_pipe(const char *what, int fd)
{
    char buf[128] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("%s: \"%s\" (%zd)\n", what, n > 0 ? buf : "", n);
}

static void splice_checks(void)
{
    int src = make_file("src", "0123456789abcdef");
    int dst = make_file("dst", "");
    lseek(src, 0, SEEK_SET);
    off_t off = 4;
    const char *r = err(sendfile(dst, src, &off, 6));
    printf("sendfile with an offset: %s, offset now %lld, file offset %lld\n", r, (long long)off,
           (long long)lseek(src, 0, SEEK_CUR));
    r = err(sendfile(dst, src, NULL, 3));
    printf("sendfile at the file offset: %s, file offset %lld\n", r, (long long)lseek(src, 0, SEEK_CUR));
    show_fd("  dst", dst);
    int p[2];
    pipe(p);
    printf("sendfile into a pipe: %s\n", err(sendfile(p[1], src, NULL, 100)));
    show_pipe("  pipe", p[0]);
    printf("sendfile from a pipe: %s\n", err(sendfile(dst, p[0], NULL, 1)));
    printf("sendfile bad fd: %s\n", err(sendfile(dst, 99, NULL, 1)));
    int app = open(at("dst"), O_WRONLY | O_APPEND);
    printf("sendfile to O_APPEND: %s\n", err(sendfile(app, src, &off, 1)));
    close(app);
    off = 100;
    printf("sendfile past the end: %s\n", err(sendfile(dst, src, &off, 5)));

    loff_t in = 10, out = 0;
    int cp = make_file("copy", "");
    r = err(copy_file_range(src, &in, cp, &out, 4, 0));
    printf("copy_file_range with offsets: %s, in %lld out %lld\n", r, (long long)in, (long long)out);
    printf("copy_file_range at the file offsets: %s\n", err(copy_file_range(src, NULL, cp, NULL, 2, 0)));
    show_fd("  copy", cp);
    printf("copy_file_range flags: %s\n", err(copy_file_range(src, NULL, cp, NULL, 2, 1)));
    printf("copy_file_range from a pipe: %s\n", err(copy_file_range(p[0], NULL, cp, NULL, 2, 0)));
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    printf("copy_file_range from a directory: %s\n", err(copy_file_range(d, NULL, cp, NULL, 2, 0)));
    in = 0;
    out = 2;
    printf("copy_file_range overlapping in one file: %s\n", err(copy_file_range(src, &in, src, &out, 4, 0)));
    in = 100;
    printf("copy_file_range at the end of the input: %s\n", err(copy_file_range(src, &in, cp, NULL, 4, 0)));
    int mfd = memfd_create("xdev", 0);
    printf("copy_file_range to a memfd (another file system): %s\n", err(copy_file_range(src, NULL, mfd, NULL, 4, 0)));
    close(mfd);
    close(d);

    loff_t o = 2;
    r = err(splice(src, &o, p[1], NULL, 5, 0));
    printf("splice file to pipe with an offset: %s, offset %lld\n", r, (long long)o);
    int q[2];
    pipe(q);
    printf("tee: %s\n", err(tee(p[0], q[1], 100, 0)));
    show_pipe("  teed copy", q[0]);
    printf("splice pipe to pipe: %s\n", err(splice(p[0], NULL, q[1], NULL, 3, 0)));
    show_pipe("  moved", q[0]);
    o = 0;
    int sp = make_file("spliced", "");
    r = err(splice(p[0], NULL, sp, &o, 10, 0));
    printf("splice pipe to file with an offset: %s, offset %lld\n", r, (long long)o);
    show_fd("  spliced", sp);
    printf("splice empty pipe, SPLICE_F_NONBLOCK: %s\n", err(splice(p[0], NULL, sp, NULL, 10, SPLICE_F_NONBLOCK)));
    printf("splice file to file: %s\n", err(splice(src, NULL, sp, NULL, 10, 0)));
    o = 0;
    printf("splice offset on the pipe side: %s\n", err(splice(p[0], &o, sp, NULL, 10, 0)));
    printf("splice a pipe to itself: %s\n", err(splice(p[0], NULL, p[1], NULL, 10, 0)));
    printf("splice bad flags: %s\n", err(splice(p[0], NULL, sp, NULL, 10, 0x100)));
    printf("splice zero length: %s\n", err(splice(src, NULL, sp, NULL, 0, 0)));
    printf("tee a file: %s\n", err(tee(src, q[1], 10, 0)));
    printf("tee a pipe to itself: %s\n", err(tee(p[0], p[1], 10, 0)));
    printf("tee empty pipe, nonblocking: %s\n", err(tee(p[0], q[1], 10, SPLICE_F_NONBLOCK)));
    close(p[1]);
    printf("splice from a pipe with no writer: %s\n", err(splice(p[0], NULL, sp, NULL, 10, 0)));
    close(p[0]);
    close(q[0]);
    close(q[1]);
    close(sp);
    close(cp);
    close(dst);
    close(src);
}

static void memfd_checks(void)
{
    int fd = memfd_create("scratch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    char link[64], target[128] = {0};
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    readlink(link, target, sizeof target - 1);
    printf("memfd_create: fd ok %d, link \"%s\", cloexec %d\n", fd >= 0, target, !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
    struct stat s;
    fstat(fd, &s);
    printf("  regular %d, mode %o, size %lld, nlink %lu, F_GETFL O_RDWR %d\n", S_ISREG(s.st_mode), s.st_mode & 07777,
           (long long)s.st_size, (unsigned long)s.st_nlink, (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    const char *r1 = err(write(fd, "memfd data", 10));
    printf("write: %s, ftruncate 8192: %s\n", r1, err(ftruncate(fd, 8192)));
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared map reads \"%.10s\", byte 5000 is %d\n", m, m[5000]);
    m[0] = 'M';
    char c = 0;
    pread(fd, &c, 1, 0);
    printf("store through the map, pread sees '%c'\n", c);
    munmap(m, 8192);
    printf("F_GET_SEALS: %s\n", err(fcntl(fd, F_GET_SEALS)));
    r1 = err(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    printf("F_ADD_SEALS SHRINK|GROW: %s, seals now %s\n", r1, err(fcntl(fd, F_GET_SEALS)));
    r1 = err(ftruncate(fd, 10));
    const char *r2 = err(ftruncate(fd, 9000));
    printf("  ftruncate smaller: %s, larger: %s, same: %s\n", r1, r2, err(ftruncate(fd, 8192)));
    r1 = err(pwrite(fd, "x", 1, 100));
    r2 = err(pwrite(fd, "abcd", 4, 8190));
    printf("  pwrite inside: %s, pwrite across the end: %s, pwrite past the end: %s\n", r1, r2,
           err(pwrite(fd, "y", 1, 9000)));
    printf("  fallocate past the end: %s\n", err(fallocate(fd, 0, 8000, 4096)));
    printf("F_ADD_SEALS WRITE: %s\n", err(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    r1 = err(write(fd, "z", 1));
    printf("  write: %s, pwrite: %s\n", r1, err(pwrite(fd, "z", 1, 0)));
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("  shared writable map: %s\n", w == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    void *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("  shared read-only map: %s\n", r == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    void *pv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("  private writable map: %s\n", pv == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    printf("  punch a hole: %s\n", err(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10)));
    r1 = err(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    r2 = err(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    printf("F_ADD_SEALS SEAL: %s, then FUTURE_WRITE: %s, seals %s\n", r1, r2, err(fcntl(fd, F_GET_SEALS)));
    printf("F_ADD_SEALS unknown bit: %s\n", err(fcntl(fd, F_ADD_SEALS, 0x100)));
    close(fd);
    int plain = memfd_create("plain", 0);
    r1 = err(fcntl(plain, F_GET_SEALS));
    r2 = err(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));
    printf("without MFD_ALLOW_SEALING: seals %s, F_ADD_SEALS %s, cloexec %d\n", r1, r2,
           !!(fcntl(plain, F_GETFD) & FD_CLOEXEC));
    close(plain);
    printf("memfd_create bad flags: %s\n", err(memfd_create("bad", 0x100)));
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    printf("memfd_create name too long: %s\n", err(memfd_create(longname, 0)));
    int reg = open(at("src"), O_RDWR);
    printf("F_GET_SEALS on a regular file: %s\n", err(fcntl(reg, F_GET_SEALS)));
    int p[2];
    pipe(p);
    printf("F_ADD_SEALS on a pipe: %s\n", err(fcntl(p[1], F_ADD_SEALS, F_SEAL_WRITE)));
    close(p[0]);
    close(p[1]);
    close(reg);
}

static void lock_range(int fd, int cmd, short type, off_t start, off_t len, const char *what)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    printf("%s: %s\n", what, err(fcntl(fd, cmd, &fl)));
}

static void getlk(int fd, int cmd, short type, off_t start, off_t len, const char *what, pid_t expect)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    long r = fcntl(fd, cmd, &fl);
    if (r < 0) { printf("%s: %s\n", what, err(r)); return; }
    if (fl.l_type == F_UNLCK) { printf("%s: unlocked\n", what); return; }
    printf("%s: %s lock %lld+%lld held by %s\n", what, fl.l_type == F_WRLCK ? "write" : "read", (long long)fl.l_start,
           (long long)fl.l_len, fl.l_pid == expect ? "the expected owner" : fl.l_pid == -1 ? "an OFD (-1)" : "someone else");
}

static void lock_checks(void)
{
    int fd = make_file("locked", "0123456789");
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    char b;
    printf("flock LOCK_EX: %s\n", err(flock(fd, LOCK_EX)));
    lock_range(fd, F_SETLK, F_WRLCK, 0, 4, "F_SETLK write 0..3");
    lock_range(fd, F_SETLK, F_RDLCK, 6, 0, "F_SETLK read 6..end");
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        int own = open(at("locked"), O_RDWR);
        printf("child: flock LOCK_EX|LOCK_NB on its own open: %s\n", err(flock(own, LOCK_EX | LOCK_NB)));
        printf("child: flock LOCK_SH|LOCK_NB on the inherited fd (same description): %s\n", err(flock(fd, LOCK_SH | LOCK_NB)));
        lock_range(own, F_SETLK, F_WRLCK, 2, 1, "child: F_SETLK write 2");
        lock_range(own, F_SETLK, F_RDLCK, 8, 1, "child: F_SETLK read 8");
        lock_range(own, F_SETLK, F_WRLCK, 8, 1, "child: F_SETLK write 8");
        lock_range(own, F_SETLK, F_WRLCK, 4, 2, "child: F_SETLK write 4..5");
        getlk(own, F_GETLK, F_WRLCK, 0, 0, "child: F_GETLK write whole file", parent);
        getlk(own, F_GETLK, F_RDLCK, 7, 1, "child: F_GETLK read 7", parent);
        getlk(own, F_GETLK, F_WRLCK, 4, 2, "child: F_GETLK write 4..5 (its own)", parent);
        lock_range(own, F_OFD_SETLK, F_WRLCK, 0, 1, "child: F_OFD_SETLK write 0");
        write(to_parent[1], "1", 1);
        read(to_child[0], &b, 1);
        /* The parent holds 0..3: this sleeps until the parent unlocks. */
        lock_range(own, F_SETLKW, F_WRLCK, 0, 4, "child: F_SETLKW write 0..3 after the wait");
        close(fd); /* its reference to the parent's flock'ed description */
        write(to_parent[1], "3", 1);
        printf("child: flock LOCK_EX (waits for the parent's close): %s\n", err(flock(own, LOCK_EX)));
        _exit(0);
    }
    read(to_parent[0], &b, 1);
    getlk(fd, F_GETLK, F_WRLCK, 4, 2, "parent: F_GETLK write 4..5", child);
    getlk(fd, F_OFD_GETLK, F_WRLCK, 4, 2, "parent: F_OFD_GETLK write 4..5", child);
    int ofd = open(at("locked"), O_RDWR);
    lock_range(ofd, F_OFD_SETLK, F_RDLCK, 9, 1, "parent: F_OFD_SETLK read 9 on another description");
    getlk(ofd, F_OFD_GETLK, F_WRLCK, 8, 2, "parent: F_OFD_GETLK write 8..9 from that description", parent);
    struct flock bad = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1};
    printf("parent: F_OFD_SETLK with l_pid set: %s\n", err(fcntl(ofd, F_OFD_SETLK, &bad)));
    bad.l_pid = 0;
    bad.l_whence = 7;
    printf("parent: F_SETLK bad whence: %s\n", err(fcntl(fd, F_SETLK, &bad)));
    bad.l_whence = SEEK_SET;
    bad.l_type = 9;
    printf("parent: F_SETLK bad type: %s\n", err(fcntl(fd, F_SETLK, &bad)));
    bad.l_type = F_RDLCK;
    bad.l_start = -5;
    printf("parent: F_SETLK negative start: %s\n", err(fcntl(fd, F_SETLK, &bad)));
    int ro = open(at("locked"), O_RDONLY);
    lock_range(ro, F_SETLK, F_WRLCK, 0, 1, "parent: F_SETLK write on a read-only fd");
    printf("parent: flock bad operation: %s\n", err(flock(fd, 0)));
    printf("parent: flock bad fd: %s\n", err(flock(99, LOCK_SH)));
    write(to_child[1], "2", 1);
    usleep(100000); /* the child is asleep in F_SETLKW by now (or soon: either way it waits) */
    printf("parent: closing another fd of the file drops every POSIX lock of the parent on it\n");
    close(ro);
    read(to_parent[0], &b, 1);
    printf("parent: closing the last fd of the flock'ed description\n");
    close(fd);
    int status;
    waitpid(child, &status, 0);
    printf("parent: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    getlk(ofd, F_OFD_GETLK, F_WRLCK, 0, 0, "parent: F_OFD_GETLK after the child exited", child);
    close(ofd);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    strcpy(dir, "/tmp/fs_splice_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    splice_checks();
    memfd_checks();
    lock_checks();
    const char *names[] = {"src", "dst", "copy", "spliced", "locked"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) unlink(at(names[i]));
    rmdir(dir);
    return 0;
}
