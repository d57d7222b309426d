/* statfs/fstatfs, posix_fadvise and close_range, as Linux answers them. Prints only what
 * does not depend on the host's disks: the magic numbers of /proc and of a pipe, the name
 * length, that a regular file's file system has blocks, and each call's errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: %ld\n", what, r);
}

int main(void) {
    struct statfs s;
    show("statfs /proc", statfs("/proc", &s));
    printf("  /proc f_type=%#lx namelen=%ld blocks=%ld\n", (long)s.f_type, (long)s.f_namelen, (long)s.f_blocks);
    show("statfs /proc/self/maps", statfs("/proc/self/maps", &s));
    printf("  f_type=%#lx\n", (long)s.f_type);
    show("statfs missing", statfs("/no/such/file", &s));
    show("statfs bad pointer", syscall(SYS_statfs, "/", (void *)8));

    int p[2];
    pipe(p);
    show("fstatfs pipe", fstatfs(p[0], &s));
    printf("  pipe f_type=%#lx bsize=%ld\n", (long)s.f_type, (long)s.f_bsize);
    show("fstatfs closed fd", fstatfs(999, &s));

    int fd = open("/proc/self/exe", O_RDONLY);
    show("fstatfs program", fstatfs(fd, &s));
    printf("  program's file system: blocks>0 %d, bsize>=512 %d, namelen %ld, frsize==bsize %d\n",
           s.f_blocks > 0, s.f_bsize >= 512, (long)s.f_namelen, s.f_frsize == s.f_bsize);

    /* posix_fadvise returns the error number instead of setting errno */
    printf("fadvise program SEQUENTIAL: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    printf("fadvise program DONTNEED: %d\n", posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED));
    printf("fadvise bad advice: %s\n", strerrorname_np(posix_fadvise(fd, 0, 0, 42)));
    printf("fadvise negative length: %s\n", strerrorname_np(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL)));
    printf("fadvise pipe: %s\n", strerrorname_np(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL)));
    printf("fadvise closed fd: %s\n", strerrorname_np(posix_fadvise(999, 0, 0, POSIX_FADV_NORMAL)));

    /* close_range: fds 10..14 made with dup2, then closed or marked close-on-exec */
    for (int i = 10; i < 15; i++) dup2(fd, i);
    show("close_range first>last", syscall(SYS_close_range, 12, 11, 0));
    show("close_range bad flags", syscall(SYS_close_range, 10, 14, 1));
    show("close_range CLOEXEC 10..11", syscall(SYS_close_range, 10, 11, 4 /* CLOSE_RANGE_CLOEXEC */));
    printf("  fd 10 FD_CLOEXEC %d, fd 12 FD_CLOEXEC %d\n", fcntl(10, F_GETFD), fcntl(12, F_GETFD));
    show("close_range 12..~0", syscall(SYS_close_range, 12, ~0U, 0));
    printf("  fd 11 open %d, fd 12 open %d, fd 14 open %d\n", fcntl(11, F_GETFD) >= 0,
           fcntl(12, F_GETFD) >= 0, fcntl(14, F_GETFD) >= 0);
    show("close_range past the table", syscall(SYS_close_range, 100000, 100001, 0));
    return 0;
}
