/* File metadata calls as Linux answers them: statx (the basic-stats mask, the
 * struct's fields against newfstatat, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, the
 * AT_STATX_* sync types, the invalid flags), utimensat (explicit times,
 * UTIME_OMIT, UTIME_NOW, NULL times, AT_SYMLINK_NOFOLLOW, a descriptor with a
 * NULL path) as stat then reports them, truncate, linkat, symlinkat,
 * fallocate, the fsync family and the errors of the xattr calls that do not
 * depend on the host file system. Works in a directory it makes under /tmp;
 * prints no times, inodes or pids, only relations between them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "fstest.h"

static int same_stat(const struct statx *x, const struct stat *s)
{
    return x->stx_ino == s->st_ino && x->stx_mode == s->st_mode && x->stx_nlink == s->st_nlink
        && x->stx_uid == s->st_uid && x->stx_gid == s->st_gid && (off_t)x->stx_size == s->st_size
        && (blkcnt_t)x->stx_blocks == s->st_blocks && (blksize_t)x->stx_blksize == s->st_blksize
        && makedev(x->stx_dev_major, x->stx_dev_minor) == s->st_dev
        && makedev(x->stx_rdev_major, x->stx_rdev_minor) == s->st_rdev
        && x->stx_mtime.tv_sec == s->st_mtim.tv_sec && x->stx_mtime.tv_nsec == (unsigned)s->st_mtim.tv_nsec
        && x->stx_atime.tv_sec == s->st_atim.tv_sec && x->stx_atime.tv_nsec == (unsigned)s->st_atim.tv_nsec
        && x->stx_ctime.tv_sec == s->st_ctim.tv_sec && x->stx_ctime.tv_nsec == (unsigned)s->st_ctim.tv_nsec;
}

static void statx_checks(void)
{
    int fd = open(at("file"), O_CREAT | O_RDWR | O_TRUNC, 0640);
    if (write(fd, "hello, statx\n", 13) != 13) perror("write");
    if (symlink("file", at("link")) != 0) perror("symlink");
    struct statx x;
    struct stat s;
    long r = statx(AT_FDCWD, at("file"), 0, STATX_BASIC_STATS, &x);
    stat(at("file"), &s);
    printf("statx file: %s, basic stats %s, regular %d, mode %o, size %llu, same as stat: %s\n", err(r),
           (x.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "all" : "missing",
           S_ISREG(x.stx_mode), x.stx_mode & 07777, (unsigned long long)x.stx_size,
           same_stat(&x, &s) ? "yes" : "no");
    r = statx(AT_FDCWD, at("link"), 0, STATX_BASIC_STATS, &x);
    printf("statx link followed: %s, regular %d\n", err(r), S_ISREG(x.stx_mode));
    r = statx(AT_FDCWD, at("link"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &x);
    lstat(at("link"), &s);
    printf("statx link not followed: %s, symlink %d, size %llu, same as lstat: %s\n", err(r), S_ISLNK(x.stx_mode),
           (unsigned long long)x.stx_size, same_stat(&x, &s) ? "yes" : "no");
    r = fstatat(AT_FDCWD, at("link"), &s, AT_SYMLINK_NOFOLLOW);
    printf("newfstatat link not followed: %s, symlink %d\n", err(r), S_ISLNK(s.st_mode));
    r = statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &x);
    printf("statx AT_EMPTY_PATH on the fd: %s, size %llu\n", err(r), (unsigned long long)x.stx_size);
    r = fstatat(fd, "", &s, AT_EMPTY_PATH);
    printf("newfstatat AT_EMPTY_PATH on the fd: %s, size %lld\n", err(r), (long long)s.st_size);
    int pfd = open(at("link"), O_PATH | O_NOFOLLOW);
    r = statx(pfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &x);
    printf("statx AT_EMPTY_PATH on an O_PATH link: %s, symlink %d\n", err(r), S_ISLNK(x.stx_mode));
    close(pfd);
    r = statx(fd, "", 0, STATX_BASIC_STATS, &x);
    printf("statx empty path without AT_EMPTY_PATH: %s\n", err(r));
    r = fstatat(fd, "", &s, 0);
    printf("newfstatat empty path without AT_EMPTY_PATH: %s\n", err(r));
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    r = statx(dfd, "file", AT_STATX_FORCE_SYNC, STATX_ALL, &x);
    printf("statx relative to a dirfd, AT_STATX_FORCE_SYNC: %s, size %llu\n", err(r), (unsigned long long)x.stx_size);
    r = statx(dfd, "file", AT_STATX_DONT_SYNC, STATX_TYPE, &x);
    printf("statx AT_STATX_DONT_SYNC: %s\n", err(r));
    r = statx(dfd, "file", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_TYPE, &x);
    printf("statx both sync types: %s\n", err(r));
    r = statx(dfd, "file", 0x80000, STATX_TYPE, &x);
    printf("statx unknown flag: %s\n", err(r));
    r = statx(dfd, "file", 0, 0x80000000u, &x);
    printf("statx STATX__RESERVED: %s\n", err(r));
    r = statx(dfd, "missing", 0, STATX_TYPE, &x);
    printf("statx missing file: %s\n", err(r));
    r = statx(dfd, "file/", 0, STATX_TYPE, &x);
    printf("statx file with a trailing slash: %s\n", err(r));
    r = statx(AT_FDCWD, dir, 0, STATX_BASIC_STATS, &x);
    printf("statx directory: %s, dir %d\n", err(r), S_ISDIR(x.stx_mode));
    r = statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &x);
    printf("statx /: %s, mount root attribute known %d, set %d\n", err(r),
           !!(x.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT), !!(x.stx_attributes & STATX_ATTR_MOUNT_ROOT));
    close(dfd);
    close(fd);
}

static void show_times(const char *what, const char *path, int flags)
{
    struct stat s;
    if (fstatat(AT_FDCWD, path, &s, flags) != 0) { printf("%s: stat %s\n", what, err(-1)); return; }
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)s.st_atim.tv_sec, s.st_atim.tv_nsec,
           (long long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
}

static void utimens_checks(void)
{
    char file[128];
    strcpy(file, at("file"));
    struct timespec t[2] = {{1000000000, 500000000}, {1234567890, 123456789}};
    printf("utimensat explicit: %s\n", err(utimensat(AT_FDCWD, file, t, 0)));
    show_times("  times", file, 0);
    struct stat before, after;
    stat(file, &before);
    struct timespec omit_atime[2] = {{5, UTIME_OMIT}, {2000000000, 0}};
    printf("utimensat UTIME_OMIT atime: %s\n", err(utimensat(AT_FDCWD, file, omit_atime, 0)));
    show_times("  times", file, 0);
    stat(file, &after);
    printf("  ctime moved forward: %s\n",
           after.st_ctim.tv_sec > before.st_ctim.tv_sec
           || (after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec >= before.st_ctim.tv_nsec) ? "yes" : "no");
    struct timespec both_omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    printf("utimensat both UTIME_OMIT on a missing file: %s\n", err(utimensat(AT_FDCWD, at("missing"), both_omit, 0)));
    struct timespec now_mtime[2] = {{7, 7}, {0, UTIME_NOW}};
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    printf("utimensat UTIME_NOW mtime: %s\n", err(utimensat(AT_FDCWD, file, now_mtime, 0)));
    stat(file, &after);
    printf("  atime %lld.%09ld, mtime within a minute of now: %s\n", (long long)after.st_atim.tv_sec,
           after.st_atim.tv_nsec, after.st_mtim.tv_sec >= wall.tv_sec - 1 && after.st_mtim.tv_sec <= wall.tv_sec + 60 ? "yes" : "no");
    printf("utimensat NULL times: %s\n", err(utimensat(AT_FDCWD, file, NULL, 0)));
    stat(file, &after);
    printf("  both now: %s\n", after.st_atim.tv_sec >= wall.tv_sec - 1 && after.st_mtim.tv_sec >= wall.tv_sec - 1 ? "yes" : "no");
    struct timespec link_times[2] = {{300, 0}, {400, 1000}};
    printf("utimensat AT_SYMLINK_NOFOLLOW on the link: %s\n",
           err(utimensat(AT_FDCWD, at("link"), link_times, AT_SYMLINK_NOFOLLOW)));
    show_times("  link", at("link"), AT_SYMLINK_NOFOLLOW);
    stat(file, &after);
    printf("  target untouched: %s\n", after.st_mtim.tv_sec != 400 ? "yes" : "no");
    int fd = open(file, O_RDWR);
    struct timespec fd_times[2] = {{111, 1}, {222, 2}};
    printf("utimensat fd with NULL path: %s\n", err(syscall(SYS_utimensat, fd, NULL, fd_times, 0)));
    show_times("  times", file, 0);
    printf("futimens: %s\n", err(futimens(fd, t)));
    show_times("  times", file, 0);
    printf("utimensat fd with NULL path and a flag: %s\n",
           err(syscall(SYS_utimensat, fd, NULL, fd_times, AT_SYMLINK_NOFOLLOW)));
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    printf("utimensat nanoseconds out of range: %s\n", err(utimensat(AT_FDCWD, file, bad, 0)));
    printf("utimensat unknown flag: %s\n", err(utimensat(AT_FDCWD, file, t, 0x4)));
    printf("utimensat missing file: %s\n", err(utimensat(AT_FDCWD, at("missing"), t, 0)));
    printf("utimensat bad fd, NULL path: %s\n", err(syscall(SYS_utimensat, 999, NULL, t, 0)));
    printf("utimensat AT_EMPTY_PATH on the fd: %s\n", err(utimensat(fd, "", fd_times, AT_EMPTY_PATH)));
    show_times("  times", file, 0);
    close(fd);
}

static void name_checks(void)
{
    printf("linkat: %s\n", err(linkat(AT_FDCWD, at("file"), AT_FDCWD, at("hard"), 0)));
    struct stat a, b;
    stat(at("file"), &a);
    stat(at("hard"), &b);
    printf("  same inode %s, nlink %lu\n", a.st_ino == b.st_ino ? "yes" : "no", (unsigned long)a.st_nlink);
    printf("linkat existing name: %s\n", err(linkat(AT_FDCWD, at("file"), AT_FDCWD, at("hard"), 0)));
    printf("linkat a directory: %s\n", err(linkat(AT_FDCWD, dir, AT_FDCWD, at("dirlink"), 0)));
    printf("linkat the link itself: %s\n", err(linkat(AT_FDCWD, at("link"), AT_FDCWD, at("link2"), 0)));
    lstat(at("link2"), &b);
    printf("  is a symlink: %d\n", S_ISLNK(b.st_mode));
    printf("linkat AT_SYMLINK_FOLLOW: %s\n", err(linkat(AT_FDCWD, at("link"), AT_FDCWD, at("hard2"), AT_SYMLINK_FOLLOW)));
    lstat(at("hard2"), &b);
    printf("  is the file: %s\n", S_ISREG(b.st_mode) && b.st_ino == a.st_ino ? "yes" : "no");
    printf("linkat bad flag: %s\n", err(linkat(AT_FDCWD, at("file"), AT_FDCWD, at("x"), 0x1)));
    printf("linkat missing source: %s\n", err(linkat(AT_FDCWD, at("missing"), AT_FDCWD, at("x"), 0)));
    printf("symlinkat: %s\n", err(symlinkat("some/where", AT_FDCWD, at("dangling"))));
    char buf[64] = {0};
    ssize_t n = readlink(at("dangling"), buf, sizeof buf - 1);
    printf("  reads back \"%s\" (%zd)\n", buf, n);
    printf("symlinkat existing name: %s\n", err(symlinkat("x", AT_FDCWD, at("file"))));
    printf("symlinkat empty target: %s\n", err(symlinkat("", AT_FDCWD, at("empty"))));
    printf("truncate to 5: %s\n", err(truncate(at("file"), 5)));
    stat(at("file"), &a);
    printf("  size %lld\n", (long long)a.st_size);
    printf("truncate through the link to 3: %s\n", err(truncate(at("link"), 3)));
    stat(at("file"), &a);
    printf("  size %lld\n", (long long)a.st_size);
    printf("truncate a directory: %s\n", err(truncate(dir, 0)));
    printf("truncate negative: %s\n", err(truncate(at("file"), -1)));
    printf("truncate missing: %s\n", err(truncate(at("missing"), 0)));
}

static void space_checks(void)
{
    int fd = open(at("space"), O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (write(fd, "0123456789", 10) != 10) perror("write");
    struct stat s;
    printf("fallocate mode 0 to 8192: %s\n", err(fallocate(fd, 0, 0, 8192)));
    fstat(fd, &s);
    printf("  size %lld\n", (long long)s.st_size);
    printf("fallocate KEEP_SIZE past the end: %s\n", err(fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192)));
    fstat(fd, &s);
    printf("  size %lld\n", (long long)s.st_size);
    printf("fallocate PUNCH_HOLE|KEEP_SIZE 2..5: %s\n",
           err(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 3)));
    char buf[11] = {0};
    pread(fd, buf, 10, 0);
    for (int i = 0; i < 10; i++) if (!buf[i]) buf[i] = '_';
    printf("  bytes %s\n", buf);
    printf("fallocate PUNCH_HOLE alone: %s\n", err(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1)));
    printf("fallocate zero length: %s\n", err(fallocate(fd, 0, 0, 0)));
    printf("fallocate negative offset: %s\n", err(fallocate(fd, 0, -1, 10)));
    printf("fallocate unknown mode: %s\n", err(fallocate(fd, 0x100, 0, 10)));
    printf("fallocate bad fd: %s\n", err(fallocate(99, 0, 0, 1)));
    int ro = open(at("space"), O_RDONLY);
    printf("fallocate read-only fd: %s\n", err(fallocate(ro, 0, 0, 1)));
    int p[2];
    pipe(p);
    printf("fallocate pipe: %s\n", err(fallocate(p[1], 0, 0, 1)));
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    const char *r1 = err(fsync(fd));
    const char *r2 = err(fdatasync(fd));
    printf("fsync file: %s, fdatasync: %s, directory fsync: %s\n", r1, r2, err(fsync(d)));
    printf("fsync pipe: %s\n", err(fsync(p[0])));
    printf("fsync bad fd: %s\n", err(fsync(99)));
    sync();
    r1 = err(syncfs(fd));
    printf("sync: done, syncfs: %s, syncfs bad fd: %s\n", r1, err(syncfs(99)));
    printf("sync_file_range: %s\n", err(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)));
    printf("sync_file_range bad flags: %s\n", err(sync_file_range(fd, 0, 0, 8)));
    printf("sync_file_range negative offset: %s\n", err(sync_file_range(fd, -1, 0, 0)));
    printf("sync_file_range pipe: %s\n", err(sync_file_range(p[0], 0, 0, 0)));
    printf("sync_file_range bad fd: %s\n", err(sync_file_range(99, 0, 0, 0)));
    printf("setxattr unknown namespace: %s\n", err(setxattr(at("space"), "nosuch.x", "v", 1, 0)));
    printf("setxattr empty name: %s\n", err(setxattr(at("space"), "", "v", 1, 0)));
    printf("setxattr bad flags: %s\n", err(setxattr(at("space"), "user.x", "v", 1, 4)));
    printf("fsetxattr user on a pipe: %s\n", err(fsetxattr(p[0], "user.x", "v", 1, 0)));
    char v[8];
    printf("fgetxattr user on a pipe: %s\n", err(fgetxattr(p[0], "user.x", v, sizeof v)));
    printf("lsetxattr user on a symlink: %s\n", err(lsetxattr(at("link"), "user.x", "v", 1, 0)));
    printf("lgetxattr user on a symlink: %s\n", err(lgetxattr(at("link"), "user.x", v, sizeof v)));
    printf("getxattr missing file: %s\n", err(getxattr(at("missing"), "user.x", v, sizeof v)));
    close(d);
    close(ro);
    close(fd);
}

static void cleanup(void)
{
    const char *names[] = {"file", "link", "hard", "link2", "hard2", "dangling", "space"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) unlink(at(names[i]));
    rmdir(dir);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    strcpy(dir, "/tmp/fs_statx_XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    statx_checks();
    utimens_checks();
    name_checks();
    space_checks();
    cleanup();
    return 0;
}
