/* Exits with a distinctive status so that a run can tell the guest's status
 * from any status of the emulator itself. */
#include <stdio.h>

#define STATUS 42

int main(void)
{
    printf("exit_code: leaving with status %d\n", STATUS);
    return STATUS;
}
