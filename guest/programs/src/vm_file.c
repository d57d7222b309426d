/* File mappings: MAP_SHARED writes reach the file (one page cache for
 * mappings and read/write), MAP_PRIVATE writes copy, and SIGBUS beyond the
 * end of the file. Reference: the real kernel. */
#include "vmtest.h"
#include <sys/wait.h>

static char file_byte(int fd, off_t off)
{
    char c = '?';
    if (pread(fd, &c, 1, off) != 1) return '-';
    return c;
}

int main(void)
{
    vt_init();
    vt_catch_faults();
    char path[32];
    int fd = temp_file(3 * PAGE, path);

    char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *s2 = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    printf("file mappings read the file: %c%c%c\n", s[0], p[PAGE], s2[2 * PAGE]);
    (void)*(volatile char *)(p + 2 * PAGE);   /* private page 2 mapped, not yet copied */

    s[5] = 's';
    printf("shared write, file without msync: %c\n", file_byte(fd, 5));
    printf("shared write, other shared mapping: %c\n", s2[5]);
    printf("shared write, untouched private page: %c\n", p[5]);

    p[PAGE + 7] = 'p';
    printf("private write, file: %c\n", file_byte(fd, PAGE + 7));
    printf("private write, shared mapping: %c\n", s[PAGE + 7]);
    printf("private write, private mapping: %c\n", p[PAGE + 7]);
    s[PAGE + 8] = 'q';
    printf("shared write after the private copy, private mapping: %c\n", p[PAGE + 8]);

    char w = 'w';
    pwrite(fd, &w, 1, 2 * PAGE + 9);
    printf("write(2), shared mapping: %c\n", s[2 * PAGE + 9]);
    printf("write(2), read-only-faulted private page: %c\n", p[2 * PAGE + 9]);

    printf("mincore of the file mapping: %s\n", resident(s2, 3));

    /* Another process mapping the same file shares the same page cache pages. */
    pid_t c = xfork();
    if (c == 0) {
        int cfd = open(path, O_RDWR);
        char *cs = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
        int saw = cs != MAP_FAILED && cs[5] == 's' && cs[PAGE + 8] == 'q';
        if (cs != MAP_FAILED) cs[PAGE + 11] = 'c';
        _exit(saw ? 0 : 1);
    }
    int st = -1;
    waitpid(c, &st, 0);
    printf("a child's own shared mapping of the file sees the parent's writes: %s\n",
           yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0));
    printf("the child's write through its mapping, parent's shared mapping: %c, file: %c\n", s[PAGE + 11],
           file_byte(fd, PAGE + 11));

    s[2 * PAGE + 100] = 'e';
    munmap(s, 3 * PAGE);
    munmap(p, 3 * PAGE);
    munmap(s2, 3 * PAGE);
    close(fd);
    fd = open(path, O_RDWR);
    printf("after munmap and close, reopened file: %c %c %c\n", file_byte(fd, 5), file_byte(fd, PAGE + 7),
           file_byte(fd, 2 * PAGE + 100));

    /* SIGBUS beyond the end of the file. */
    ftruncate(fd, 100);
    char *b = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap 3 pages of a 100-byte file: %s\n", mrc(b));
    printf("read inside the file: %s, byte %c\n", rd(b + 50, b), b[50]);
    printf("read past EOF in the last page: %s, byte %d\n", rd(b + 200, b), b[200]);
    printf("read one page past EOF: %s\n", rd(b + PAGE + 16, b));
    printf("write two pages past EOF: %s\n", wr(b + 2 * PAGE, 1, b));
    b[300] = 'x';
    printf("write past EOF in the last page, file size stays: %ld\n", (long)lseek(fd, 0, SEEK_END));
    char *bp = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private mapping, one page past EOF: %s\n", rd(bp + PAGE, bp));
    ftruncate(fd, 2 * PAGE);
    printf("after growing the file to 2 pages: %s, byte %d\n", rd(b + PAGE + 16, b), b[PAGE + 16]);
    ftruncate(fd, 0);
    printf("after truncating the file to 0: %s\n", rd(b, b));
    printf("mmap a 0-byte file: %s\n", mrc(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0)));
    close(fd);
    unlink(path);
    int fd2 = temp_file(PAGE, NULL);
    char *u = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd2, 0);
    close(fd2);
    printf("mapping of a closed, unlinked file still readable: %s, byte %c\n", rd(u + 1, u), u[1]);
    return 0;
}
