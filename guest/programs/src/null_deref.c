/* Reads through a NULL pointer. Nothing is mapped at address 0, so the read
 * is a translation fault outside every VMA: the kernel kills the process with
 * SIGSEGV (SEGV_MAPERR) and a shell reports status 128+11 = 139. */
#include <stdio.h>

int main(void)
{
    volatile int *nothing_here = NULL;
    printf("null_deref: reading through a NULL pointer\n");
    fflush(stdout);
    int value = *nothing_here;
    printf("null_deref: still alive, read %d\n", value);
    return 0;
}
