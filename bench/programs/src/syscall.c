/* Speed benchmark (glibc): many small system calls, as a program that logs
 * or polls makes them: getpid, a one-byte write to /dev/null and
 * clock_gettime (through the vDSO where the engine offers one), 200,000 times.
 * The checksum counts what the calls returned (not the pid, which differs
 * between engines). Prints "syscall checksum=... ns=..." (bench/run --only
 * speed). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CALLS 200000

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror("syscall: /dev/null");
        return 2;
    }
    int64_t t0 = now_ns();
    uint64_t check = 0;
    for (int i = 0; i < CALLS; i++) {
        check += getpid() > 0;
        check += (uint64_t) write(fd, "x", 1) << 20;
        struct timespec ts;
        check += (uint64_t) (clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_nsec < 1000000000) << 40;
    }
    int64_t t1 = now_ns();
    close(fd);
    printf("syscall checksum=%016llx ns=%lld\n", (unsigned long long) check, (long long) (t1 - t0));
    return 0;
}
