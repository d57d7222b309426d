/*
 * Opens the file its argument names and reads it to the end, printing how many bytes it
 * read. Given a host FIFO that no one writes, it blocks in open(2) for ever: a64emu's
 * --timeout and Ctrl-C must still end the run (RunLimitsCommandTest). The recorded run reads
 * /dev/null.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: lim_host_wait FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        total += n;
    }
    printf("read %ld bytes\n", total);
    return 0;
}
