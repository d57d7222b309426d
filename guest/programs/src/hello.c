/* The first program a new user runs: glibc start-up, stdio, exit. */
#include <stdio.h>

int main(void)
{
    printf("Hello from AArch64, running on a64emu!\n");
    return 0;
}
