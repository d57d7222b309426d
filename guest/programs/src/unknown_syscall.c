/* A system call number past arm64's table (Linux 6.1 ends at 450): ENOSYS, the program goes
 * on. a64emu also notes the number in its kernel log, which --log unimp shows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    errno = 0;
    long r = syscall(999);
    printf("syscall(999): %ld %s\n", r, strerror(errno));
    return 0;
}
