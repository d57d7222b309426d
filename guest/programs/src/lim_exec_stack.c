/*
 * What RLIMIT_STACK and the personality do at execve, and RLIMIT_AS on stack growth, each
 * printed as a fact that does not depend on the machine or the architecture:
 * - the mmap layout (mm/util.c: mmap_is_legacy, mmap_base, arch_pick_mmap_layout): with the
 *   personality ADDR_COMPAT_LAYOUT mappings are placed bottom-up (each new one above the
 *   last); otherwise top-down, below a gap as large as RLIMIT_STACK (at least 128 MiB).
 *   (An unlimited RLIMIT_STACK also selects the legacy layout on arm64, whose generic
 *   mmap_is_legacy checks it, but not on x86-64, the native oracle: VmLayoutTest covers it);
 * - ADDR_NO_RANDOMIZE (setarch -R): two execs get the same addresses;
 * - the room for arguments (fs/exec.c: bprm_stack_limits): a quarter of RLIMIT_STACK, at
 *   most 6 MiB and at least 128 KiB, else E2BIG;
 * - the stack cannot grow when that would pass RLIMIT_AS (mm/mmap.c: acct_stack_growth).
 * The native oracle runs it (architecture-neutral).
 *
 *   lim_exec_stack                 the parent: runs the cases below by re-executing itself
 *   lim_exec_stack layout          prints the layout's direction and the room below the stack
 *   lim_exec_stack addresses       prints two addresses (compared by the parent, not printed)
 *   lim_exec_stack args N...       exits 0 (it got its arguments)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024ul * 1024)

static char self[4096];

static void set_stack_limit(rlim_t soft) {
    struct rlimit l;
    getrlimit(RLIMIT_STACK, &l);
    l.rlim_cur = soft;
    if (setrlimit(RLIMIT_STACK, &l) != 0) {
        printf("setrlimit(RLIMIT_STACK): %s\n", strerrorname_np(errno));
    }
}

/* Runs "self ARGS..." in a child with the given stack limit and personality; returns its output. */
static int run_child(rlim_t stack, unsigned long persona, char **argv, char *out, size_t outlen) {
    int p[2];
    if (pipe(p) != 0) {
        return -1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 1);
        set_stack_limit(stack);
        if (persona != 0 && personality(persona) < 0) {
            printf("personality: %s\n", strerrorname_np(errno));
        }
        execv(self, argv);
        printf("execv: %s\n", strerrorname_np(errno));
        fflush(stdout);
        _exit(127);
    }
    close(p[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < outlen && (r = read(p[0], out + n, outlen - 1 - n)) > 0) {
        n += r;
    }
    out[n] = 0;
    close(p[0]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void layout_case(const char *what, rlim_t stack, unsigned long persona) {
    char out[512];
    char *argv[] = {self, "layout", NULL};
    run_child(stack, persona, argv, out, sizeof out);
    printf("%s: %s", what, out);
}

/* In the child: which way do mappings go, and how much room is left below the stack? */
static int layout(void) {
    void *a = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *b = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED || b == MAP_FAILED) {
        printf("mmap: %s\n", strerrorname_np(errno));
        return 1;
    }
    struct rlimit l;
    getrlimit(RLIMIT_STACK, &l);
    uintptr_t here = (uintptr_t) &l;
    uintptr_t highest = (uintptr_t) a > (uintptr_t) b ? (uintptr_t) a : (uintptr_t) b;
    uintptr_t gap = here - highest;
    const char *room;
    if (l.rlim_cur == RLIM_INFINITY) {
        room = "n/a";
    } else {
        uintptr_t want = l.rlim_cur < 128 * MiB ? 128 * MiB : l.rlim_cur;
        room = gap >= want ? "at least the limit" : "less than the limit";
    }
    printf("%s, room below the stack %s\n", (uintptr_t) b > (uintptr_t) a ? "bottom-up" : "top-down", room);
    return 0;
}

static int addresses(void) {
    void *a = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int local;
    printf("%p %p\n", a, (void *) &local);
    return 0;
}

static void no_randomize_case(void) {
    char first[128], second[128];
    char *argv[] = {self, "addresses", NULL};
    run_child(8 * MiB, ADDR_NO_RANDOMIZE, argv, first, sizeof first);
    run_child(8 * MiB, ADDR_NO_RANDOMIZE, argv, second, sizeof second);
    printf("ADDR_NO_RANDOMIZE: two execs get %s addresses\n", strcmp(first, second) == 0 ? "the same" : "different");
}

/* execs self with `count` arguments of `len` bytes each under the stack limit; prints the result. */
static void args_case(rlim_t stack, int count, size_t len) {
    char **argv = calloc(count + 3, sizeof *argv);
    argv[0] = self;
    argv[1] = "args";
    char *s = malloc(len + 1);
    memset(s, 'x', len);
    s[len] = 0;
    for (int i = 0; i < count; i++) {
        argv[2 + i] = s;
    }
    char out[128];
    int status = run_child(stack, 0, argv, out, sizeof out);
    char limit[32];
    if (stack == RLIM_INFINITY) {
        strcpy(limit, "unlimited");
    } else {
        snprintf(limit, sizeof limit, "%lu KiB", (unsigned long) (stack / 1024));
    }
    printf("RLIMIT_STACK %s, %d x %zu KiB of arguments: %s", limit, count, len / 1024,
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "runs\n" : out);
    free(s);
    free(argv);
}

static volatile sig_atomic_t depth_at_fault;
static volatile int depth;

static void on_segv(int sig) {
    (void) sig;
    depth_at_fault = depth;
    _exit(depth_at_fault > 0 ? 3 : 4);
}

/* Each call keeps a 4 KiB frame live across the next call (no tail call the compiler could loop). */
static __attribute__((noinline)) int recurse(int n) {
    volatile char frame[4096];
    frame[0] = (char) n;
    depth = n;
    if (n < (1 << 30)) {
        recurse(n + 1);
    }
    return frame[0];
}

/* The stack grows until the address space would pass RLIMIT_AS; then SIGSEGV. */
static void address_space_case(void) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        static char altstack[65536];
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
        sigaltstack(&ss, NULL);
        struct sigaction sa = {.sa_handler = on_segv, .sa_flags = SA_ONSTACK};
        sigaction(SIGSEGV, &sa, NULL);
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        unsigned long vmsize_kb = 0;
        while (f && fgets(line, sizeof line, f)) {
            sscanf(line, "VmSize: %lu kB", &vmsize_kb);
        }
        if (f) {
            fclose(f);
        }
        /* 512 KiB more than now: the stack (limit 8 MiB) stops well before its own limit. */
        struct rlimit as = {vmsize_kb * 1024 + 512 * 1024, RLIM_INFINITY};
        if (setrlimit(RLIMIT_AS, &as) != 0) {
            _exit(5);
        }
        recurse(1);
        _exit(6);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("stack growth under RLIMIT_AS (VmSize + 512 KiB): %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 3 ? "SIGSEGV before 8 MiB of stack" : "not stopped");
}

int main(int argc, char **argv) {
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        perror("readlink");
        return 1;
    }
    self[n] = 0;
    if (argc > 1 && strcmp(argv[1], "layout") == 0) {
        return layout();
    }
    if (argc > 1 && strcmp(argv[1], "addresses") == 0) {
        return addresses();
    }
    if (argc > 1 && strcmp(argv[1], "args") == 0) {
        return 0;
    }
    layout_case("RLIMIT_STACK 8 MiB", 8 * MiB, 0);
    layout_case("RLIMIT_STACK 1 GiB", 1024 * MiB, 0);
    layout_case("RLIMIT_STACK 64 KiB", 64 * 1024, 0);
    layout_case("ADDR_COMPAT_LAYOUT", 8 * MiB, ADDR_COMPAT_LAYOUT);
    no_randomize_case();
    args_case(8 * MiB, 10, 100 * 1024);
    args_case(1 * MiB, 10, 100 * 1024);
    args_case(256 * 1024, 1, 100 * 1024);
    args_case(256 * 1024, 2, 100 * 1024);
    args_case(RLIM_INFINITY, 50, 100 * 1024);
    args_case(RLIM_INFINITY, 70, 100 * 1024);
    address_space_case();
    return 0;
}
