/*
 * read_only_root: every kind of write-side call on a root's files, one line
 * each ("NAME: ok" or "NAME: ERRNO"), then the reads that must still work and
 * a write open in /proc, a mount of its own that --read-only leaves writable.
 * ReadOnlyRunTest (tools/src/test/.../ReadOnlyRunTest.java) runs it as
 * /bin/read_only_root --in-root inside a scratch root that holds file.txt
 * ("inside\n"), dir/ and link -> file.txt, with and without --read-only.
 * Without --in-root it prints its usage and exits 2 (what expected/ records),
 * so that it never writes into the directory it happens to run in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void result(const char *name, int r) {
    if (r >= 0) {
        printf("%s: ok\n", name);
        return;
    }
    const char *e = errno == EROFS ? "EROFS" : errno == ENOENT ? "ENOENT" : errno == EEXIST ? "EEXIST"
                  : errno == EPERM ? "EPERM" : errno == EISDIR ? "EISDIR" : errno == EACCES ? "EACCES"
                  : "another errno";
    printf("%s: %s\n", name, e);
}

static int opened(int fd) {
    if (fd >= 0) close(fd);
    return fd;
}

int main(int argc, char **argv) {
    if (argc != 2 || strcmp(argv[1], "--in-root") != 0) {
        printf("usage: read_only_root --in-root (run by ReadOnlyRunTest inside a scratch root)\n");
        return 2;
    }
    result("open O_WRONLY", opened(open("/file.txt", O_WRONLY)));
    result("open O_RDWR", opened(open("/file.txt", O_RDWR)));
    result("open O_RDONLY|O_TRUNC", opened(open("/file.txt", O_RDONLY | O_TRUNC)));
    result("open O_WRONLY through a link", opened(open("/link", O_WRONLY | O_APPEND)));
    result("open O_CREAT new", opened(open("/new.txt", O_WRONLY | O_CREAT, 0644)));
    result("mkdir", mkdir("/newdir", 0755));
    result("symlink", symlink("file.txt", "/newlink"));
    result("link", link("/file.txt", "/hard.txt"));
    result("rename", rename("/hard.txt", "/renamed.txt"));
    result("unlink", unlink("/renamed.txt"));
    result("rmdir", rmdir("/newdir"));
    result("chmod", chmod("/file.txt", 0600));
    result("chown (to oneself)", chown("/file.txt", getuid(), getgid()));
    result("access W_OK", access("/file.txt", W_OK));
    int fd = open("/file.txt", O_RDONLY);
    result("fchmod", fchmod(fd, 0644));
    char buf[16] = {0};
    result("read file.txt", (int) read(fd, buf, sizeof buf - 1));
    printf("file.txt holds \"%s\"\n", strtok(buf, "\n") ? buf : "");
    close(fd);
    result("access R_OK", access("/file.txt", R_OK));
    result("open /proc/self/comm O_WRONLY", opened(open("/proc/self/comm", O_WRONLY)));
    return 0;
}
