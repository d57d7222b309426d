/* The kernel's own accesses to user memory (copy_to_user / copy_from_user in
 * read, write and friends): they fault pages in on demand, break
 * copy-on-write, honour the page permissions and return EFAULT where a user
 * access would have raised SIGSEGV or SIGBUS, without any signal. Reference:
 * the real kernel. */
#include "vmtest.h"
#include <sys/uio.h>
#include <sys/wait.h>

static int pipefd[2];

/* read(2) of n bytes from a pipe holding them into dst. */
static const char *read_into(void *dst, size_t n)
{
    static char buf[64];
    char src[PAGE];
    memset(src, 'r', n);
    write(pipefd[1], src, n);
    ssize_t r = read(pipefd[0], dst, n);
    if (r < 0) {
        snprintf(buf, sizeof buf, "-1 %s", ename(errno));
        char drain[PAGE];
        read(pipefd[0], drain, n);   /* the bytes stay in the pipe after EFAULT */
    } else {
        snprintf(buf, sizeof buf, "%zd", r);
    }
    return buf;
}

/* write(2) of n bytes from src into the pipe; the pipe is drained again. */
static const char *write_from(const void *src, size_t n)
{
    static char buf[64];
    ssize_t r = write(pipefd[1], src, n);
    if (r < 0) {
        snprintf(buf, sizeof buf, "-1 %s", ename(errno));
    } else {
        char drain[PAGE];
        read(pipefd[0], drain, r);
        snprintf(buf, sizeof buf, "%zd", r);
    }
    return buf;
}

int main(void)
{
    vt_init();
    vt_catch_faults();
    pipe2(pipefd, O_NONBLOCK);   /* a drain never blocks */

    char *fresh = anon(2 * PAGE, PROT_READ | PROT_WRITE);
    printf("read(2) into untouched anon memory across two pages: %s\n", read_into(fresh + PAGE - 8, 16));
    printf("both pages resident after it: %s\n", resident(fresh, 2));
    printf("data arrived: %s\n", yesno(fresh[PAGE - 8] == 'r' && fresh[PAGE + 7] == 'r'));
    char *zero = anon(PAGE, PROT_READ | PROT_WRITE);
    printf("write(2) from untouched anon memory: %s\n", write_from(zero, 100));

    char *ro = anon(PAGE, PROT_READ);
    printf("read(2) into a read-only page: %s\n", read_into(ro, 10));
    printf("write(2) from a read-only page: %s\n", write_from(ro, 10));
    char *none = anon(PAGE, PROT_NONE);
    printf("write(2) from a PROT_NONE page: %s\n", write_from(none, 10));
    printf("read(2) into a PROT_NONE page: %s\n", read_into(none, 10));
    char *hole = fenced(PAGE);   /* used at once: later mappings may fill it */
    printf("read(2) into an unmapped page: %s\n", read_into(hole, 10));
    printf("write(2) from an unmapped page: %s\n", write_from(hole, 10));
    char *edge = fenced(2 * PAGE);
    mmap(edge, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("read(2) running from a mapped page into a hole: %s\n", read_into(edge + PAGE - 4, 8));
    printf("no signal was raised by any of them: %s\n", yesno(vt_sig == 0));

    /* The kernel writing into a private file mapping breaks copy-on-write. */
    char path[32];
    int fd = temp_file(2 * PAGE, path);
    char *fp = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    (void)*(volatile char *)fp;
    printf("read(2) into a private file mapping: %s\n", read_into(fp + 5, 3));
    char c = 0;
    pread(fd, &c, 1, 5);
    printf("mapping shows %c, file still %c\n", fp[5], c);
    /* ...and into a shared one writes the file. */
    char *fs = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("read(2) into a shared file mapping: %s\n", read_into(fs + PAGE + 1, 2));
    pread(fd, &c, 1, PAGE + 1);
    printf("file now %c\n", c);
    /* Beyond the end of the file: EFAULT instead of SIGBUS. */
    ftruncate(fd, PAGE);
    printf("read(2) into a shared file mapping past EOF: %s\n", read_into(fs + PAGE, 4));
    printf("write(2) from a shared file mapping past EOF: %s\n", write_from(fs + PAGE, 4));
    unlink(path);

    /* After fork, the kernel writing into the child's memory copies the page. */
    char *cow = anon(PAGE, PROT_READ | PROT_WRITE);
    memset(cow, 'p', PAGE);
    pid_t pid = xfork();
    if (pid == 0) {
        char src[8] = "childdd";
        int p2[2];
        pipe(p2);
        write(p2[1], src, 7);
        _exit(read(p2[0], cow, 7) == 7 && cow[0] == 'c' ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("read(2) by a forked child into shared-before-fork memory: child ok %s, parent still %c\n",
           yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0), cow[0]);

    /* Vectored I/O with one bad element. */
    hole = fenced(PAGE);
    char good[8] = "........";
    struct iovec iov[2] = { { good, 4 }, { hole, 4 } };
    write(pipefd[1], "abcdefgh", 8);
    ssize_t r = readv(pipefd[0], iov, 2);
    printf("readv with the second buffer unmapped: %s, first buffer %.4s\n", rc(r), good);
    char drain[16];
    read(pipefd[0], drain, sizeof drain);
    return 0;
}
