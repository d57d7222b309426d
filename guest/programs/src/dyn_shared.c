/*
 * Two processes running the same dynamically linked program share libc's text: the
 * parent forks a child that execs this program again (a fresh address space, libc loaded
 * anew by ld.so through the page cache), waits until the child has run, then reads its
 * own /proc/self/smaps for libc.so.6's executable mapping. With the text pages in the page
 * cache mapped by both processes, Shared_Clean is nonzero and Pss is below Rss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct area {
    long rss, pss, shared_clean;
    int found;
};

/* The first r-xp mapping of a file named .../libc.so.6 in /proc/self/smaps. */
static struct area libc_text(void) {
    struct area a = {0, 0, 0, 0};
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL) {
        perror("/proc/self/smaps");
        exit(1);
    }
    char line[512];
    int in = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char perms[8];
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
            if (a.found) break;
            size_t n = strlen(line);
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ')) line[--n] = '\0';
            in = strcmp(perms, "r-xp") == 0 && n >= 9 && strcmp(line + n - 9, "libc.so.6") == 0;
            a.found = in;
            continue;
        }
        if (!in) continue;
        sscanf(line, "Rss: %ld kB", &a.rss);
        sscanf(line, "Pss: %ld kB", &a.pss);
        sscanf(line, "Shared_Clean: %ld kB", &a.shared_clean);
    }
    fclose(f);
    return a;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "child") == 0) {
        int ready = atoi(argv[2]), done = atoi(argv[3]);
        printf("child: running the same program\n");
        fflush(stdout);
        char c = 'r';
        if (write(ready, &c, 1) != 1) return 2;
        if (read(done, &c, 1) != 1) return 3;
        return 0;
    }
    int ready[2], done[2];
    if (pipe(ready) != 0 || pipe(done) != 0) {
        perror("pipe");
        return 1;
    }
    /* The program's own path: readlink, since execve("/proc/self/exe") under qemu-aarch64 would run qemu. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        perror("readlink /proc/self/exe");
        return 1;
    }
    self[n] = '\0';
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char r[16], d[16];
        snprintf(r, sizeof r, "%d", ready[1]);
        snprintf(d, sizeof d, "%d", done[0]);
        close(ready[0]);
        close(done[1]);
        execl(self, argv[0], "child", r, d, (char *)NULL);
        perror("execl");
        _exit(127);
    }
    close(ready[1]);
    close(done[0]);
    char c;
    if (read(ready[0], &c, 1) != 1) {
        printf("the child did not start\n");
        return 1;
    }
    struct area a = libc_text();
    printf("libc.so.6 r-xp mapping found: %s\n", a.found ? "yes" : "no");
    printf("Shared_Clean nonzero (frames shared with the child): %s\n", a.shared_clean > 0 ? "yes" : "no");
    printf("Pss below Rss: %s\n", a.pss < a.rss ? "yes" : "no");
    if (write(done[1], &c, 1) != 1) return 1;
    int status;
    waitpid(pid, &status, 0);
    printf("child exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
