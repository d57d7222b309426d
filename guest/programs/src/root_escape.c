/*
 * root_escape: tries every way out of "a64emu run --root DIR" it knows, and
 * prints for each "attempt NAME: blocked (what it saw)", or "ESCAPED (...)"
 * with the bytes it read when a file outside the root answered.
 *
 * Run it only as RootEscapeTest does (tools/src/test/.../RootEscapeTest.java),
 * as /bin/root_escape inside a scratch root DIR = BASE/root, with BASE as its
 * one argument. BASE (outside the root) holds secret.txt and outside_prog;
 * the root holds inside.txt, sub/inside.txt and the host-made links
 * abs_link -> BASE/secret.txt, abs_dir_link -> BASE and rel_link ->
 * ../secret.txt. Every in-root file starts with "inside", so a read that
 * starts otherwise came from outside. Without an argument it prints its usage
 * and exits 2 (that is what guest/programs/expected/ records).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *base;
static char secret_path[4096];

static const char *errname(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case EROFS: return "EROFS";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case ENOEXEC: return "ENOEXEC";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "another errno";
    }
}

static void blocked_errno(const char *name, int e) {
    printf("attempt %s: blocked (%s)\n", name, errname(e));
}

/* Reads what fd holds and says whose file it was. */
static void report_content(const char *name, int fd) {
    char buf[65];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("attempt %s: blocked (read: %s)\n", name, errname(errno));
        return;
    }
    buf[n] = 0;
    char *nl = strchr(buf, '\n');
    if (nl) *nl = 0;
    if (strncmp(buf, "inside", 6) == 0) {
        printf("attempt %s: blocked (read the in-root file \"%s\")\n", name, buf);
    } else {
        printf("attempt %s: ESCAPED (read \"%s\")\n", name, buf);
    }
}

static void try_openat(const char *name, int dirfd, const char *path, int flags) {
    int fd = openat(dirfd, path, flags, 0644);
    if (fd < 0) {
        blocked_errno(name, errno);
        return;
    }
    if ((flags & O_ACCMODE) == O_WRONLY) {
        printf("attempt %s: ESCAPED? (created or opened %s for writing)\n", name, path);
    } else {
        report_content(name, fd);
    }
    close(fd);
}

static void try_open(const char *name, const char *path) {
    try_openat(name, AT_FDCWD, path, O_RDONLY);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text)) {
        printf("setup: cannot write %s: %s\n", path, errname(errno));
        exit(1);
    }
    close(fd);
}

static void must(int r, const char *what) {
    if (r < 0) {
        printf("setup: %s: %s\n", what, errname(errno));
        exit(1);
    }
}

/*
 * A directory /NAME holding secret.txt ("inside: decoy"), and a way to put in
 * its place a link to BASE: rename /NAME away, make /NAME a link to BASE (the
 * guest's own symlink, text an absolute host path).
 */
static void make_swappable(const char *name) {
    char path[256], file[300];
    snprintf(path, sizeof path, "/%s", name);
    must(mkdir(path, 0755), path);
    snprintf(file, sizeof file, "%s/secret.txt", path);
    write_file(file, "inside: decoy\n");
}

static void swap_for_escaping_link(const char *name) {
    char path[256], moved[300];
    snprintf(path, sizeof path, "/%s", name);
    snprintf(moved, sizeof moved, "/%s.moved", name);
    must(rename(path, moved), "rename away");
    must(symlink(base, path), "symlink to BASE");
}

static void path_attempts(void) {
    try_open("host_absolute_path", secret_path);
    try_open("dotdot_at_root", "/../secret.txt");
    try_open("dotdot_many", "../../../../../../../../secret.txt");
    must(chdir("/sub"), "chdir /sub");
    try_open("dotdot_after_chdir", "../../secret.txt");
    must(chdir("/"), "chdir /");
    must(chdir("../.."), "chdir ../..");
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL) strcpy(cwd, "(none)");
    int fd = open("secret.txt", O_RDONLY);
    printf("attempt chdir_above_root: blocked (getcwd \"%s\", secret.txt: %s)\n", cwd,
           fd < 0 ? errname(errno) : "opened");
    if (fd >= 0) close(fd);
}

static void symlink_attempts(void) {
    char path[4300];
    try_open("symlink_absolute", "/abs_link");
    try_open("symlink_absolute_dir", "/abs_dir_link/secret.txt");
    try_open("symlink_relative", "/rel_link");
    must(symlink("../../../../../../../../secret.txt", "/sub/deep_link"), "deep_link");
    try_open("symlink_relative_deep", "/sub/deep_link");
    must(symlink("chain2", "/chain1"), "chain1");
    must(symlink("/chain3", "/chain2"), "chain2");
    must(symlink("abs_link", "/chain3"), "chain3");
    try_open("symlink_chain", "/chain1");
    must(symlink("loop_b", "/loop_a"), "loop_a");
    must(symlink("/loop_a", "/loop_b"), "loop_b");
    try_open("symlink_loop", "/loop_a");
    must(symlink("self/x", "/self"), "self");
    try_open("symlink_self_loop", "/self");
    must(symlink("../..", "/sub/up"), "sub/up");
    try_open("symlink_up_then_dotdot", "/sub/up/../secret.txt");
    must(symlink(secret_path, "/made_abs"), "made_abs");
    try_open("symlink_made_by_guest", "/made_abs");
    snprintf(path, sizeof path, "%s/planted.txt", base);
    must(symlink(path, "/dangling"), "dangling");
    try_openat("create_through_dangling_link", AT_FDCWD, "/dangling", O_WRONLY | O_CREAT);
    try_openat("create_through_dir_link", AT_FDCWD, "/abs_dir_link/planted.txt", O_WRONLY | O_CREAT);
}

static void proc_attempts(void) {
    char path[4300];
    try_open("proc_self_root_dotdot", "/proc/self/root/../secret.txt");
    snprintf(path, sizeof path, "/proc/self/root%s", secret_path);
    try_open("proc_self_root_host_path", path);
    must(chdir("/sub"), "chdir /sub");
    try_open("proc_self_cwd_dotdot", "/proc/self/cwd/../../secret.txt");
    must(chdir("/"), "chdir /");
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    snprintf(path, sizeof path, "/proc/self/fd/%d/../secret.txt", dir);
    try_open("proc_self_fd_dotdot", path);
    close(dir);
    try_open("proc_self_exe_dotdot", "/proc/self/exe/../../secret.txt");
    try_open("proc_thread_self_root", "/proc/thread-self/root/../secret.txt");
}

static void dirfd_attempts(void) {
    int sub = open("/sub", O_RDONLY | O_DIRECTORY);
    try_openat("openat_dirfd_dotdot", sub, "../../secret.txt", O_RDONLY);
    close(sub);
    int rootpath = open("/", O_PATH | O_DIRECTORY);
    try_openat("openat_opath_dirfd_dotdot", rootpath, "../secret.txt", O_RDONLY);
    close(rootpath);

    make_swappable("swap_dirfd");
    int dirfd = open("/swap_dirfd", O_RDONLY | O_DIRECTORY);
    int pathfd = open("/swap_dirfd", O_PATH | O_DIRECTORY);
    swap_for_escaping_link("swap_dirfd");
    try_openat("openat_dirfd_moved", dirfd, "secret.txt", O_RDONLY);
    try_openat("openat_opath_dirfd_moved", pathfd, "secret.txt", O_RDONLY);
    char buf[4096];
    long n = syscall(SYS_getdents64, dirfd, buf, sizeof buf);
    if (n < 0) {
        blocked_errno("getdents_dirfd_moved", errno);
    } else {
        int outside = memmem(buf, n, "outside_prog", 12) != NULL;
        printf("attempt getdents_dirfd_moved: %s\n", outside ? "ESCAPED (listed BASE)" : "blocked (listed the in-root directory)");
    }
    if (fchdir(pathfd) < 0) {
        blocked_errno("fchdir_moved", errno);
    } else {
        try_open("fchdir_moved", "secret.txt");
        must(chdir("/"), "chdir /");
    }
    close(dirfd);
    close(pathfd);

    make_swappable("swap_cwd");
    must(chdir("/swap_cwd"), "chdir /swap_cwd");
    swap_for_escaping_link("swap_cwd");
    try_open("chdir_then_swap", "secret.txt");
    try_openat("chdir_then_swap_create", AT_FDCWD, "planted.txt", O_WRONLY | O_CREAT);
    must(chdir("/"), "chdir /");

    make_swappable("swap_fd");
    int file = open("/swap_fd/secret.txt", O_RDONLY);
    swap_for_escaping_link("swap_fd");
    struct stat st;
    if (fstat(file, &st) < 0) {
        blocked_errno("fstat_after_swap", errno);
    } else {
        printf("attempt fstat_after_swap: %s (size %lld)\n", st.st_size == 14 ? "blocked" : "ESCAPED",
               (long long) st.st_size);
    }
    if (fchmod(file, 0777) < 0) {
        blocked_errno("fchmod_after_swap", errno);
    } else {
        printf("attempt fchmod_after_swap: blocked? (changed some file's mode; the test checks BASE)\n");
    }
    close(file);
}

static void rename_link_attempts(void) {
    write_file("/movable.txt", "inside: movable\n");
    if (rename("/movable.txt", "/../../stolen.txt") < 0) {
        blocked_errno("rename_dotdot_target", errno);
    } else {
        printf("attempt rename_dotdot_target: blocked (%s)\n",
               access("/stolen.txt", F_OK) == 0 ? "renamed to /stolen.txt inside the root" : "renamed somewhere");
    }
    if (rename("/stolen.txt", "/abs_dir_link/stolen.txt") < 0) {
        blocked_errno("rename_into_dir_link", errno);
    } else {
        printf("attempt rename_into_dir_link: ESCAPED? (renamed; the test checks BASE)\n");
    }
    if (link("/abs_link", "/hard") < 0) {
        blocked_errno("hardlink_escaping_link", errno);
    } else {
        try_open("hardlink_escaping_link", "/hard");
    }
    if (linkat(AT_FDCWD, "/abs_link", AT_FDCWD, "/hard_follow", AT_SYMLINK_FOLLOW) < 0) {
        blocked_errno("hardlink_follow_escaping_link", errno);
    } else {
        try_open("hardlink_follow_escaping_link", "/hard_follow");
    }
    if (mkdir("/../../escape_dir", 0755) < 0) {
        blocked_errno("mkdir_above_root", errno);
    } else {
        printf("attempt mkdir_above_root: blocked (%s)\n",
               access("/escape_dir", F_OK) == 0 ? "made /escape_dir inside the root" : "made it somewhere");
    }
}

static void exec_attempts(void) {
    char path[4300];
    char *argv[] = {"outside_prog", NULL};
    snprintf(path, sizeof path, "%s/outside_prog", base);
    execve(path, argv, NULL);
    blocked_errno("execve_host_path", errno);
    must(symlink(path, "/exe_link"), "exe_link");
    execve("/exe_link", argv, NULL);
    blocked_errno("execve_through_link", errno);
    execve("/../outside_prog", argv, NULL);
    blocked_errno("execve_dotdot", errno);
}

/* openat2 in each resolve mode, execveat from a dirfd, mknodat, inotify, open_tree, file handles. */
static void newer_call_attempts(void) {
    struct open_how how = {.flags = O_RDONLY};
    int fd = syscall(SYS_openat2, AT_FDCWD, secret_path, &how, sizeof how);
    if (fd < 0) blocked_errno("openat2_host_path", errno); else { report_content("openat2_host_path", fd); close(fd); }
    int rootfd = open("/", O_PATH | O_DIRECTORY);
    how.resolve = RESOLVE_IN_ROOT;
    fd = syscall(SYS_openat2, rootfd, "../../secret.txt", &how, sizeof how);
    if (fd < 0) blocked_errno("openat2_in_root_dotdot", errno); else { report_content("openat2_in_root_dotdot", fd); close(fd); }
    fd = syscall(SYS_openat2, rootfd, "abs_link", &how, sizeof how);
    if (fd < 0) blocked_errno("openat2_in_root_abs_link", errno); else { report_content("openat2_in_root_abs_link", fd); close(fd); }
    how.resolve = RESOLVE_BENEATH;
    fd = syscall(SYS_openat2, rootfd, "rel_link", &how, sizeof how);
    if (fd < 0) blocked_errno("openat2_beneath_rel_link", errno); else { report_content("openat2_beneath_rel_link", fd); close(fd); }
    how.resolve = 0;
    how.flags = O_WRONLY | O_CREAT;
    how.mode = 0644;
    fd = syscall(SYS_openat2, rootfd, "../planted_by_openat2", &how, sizeof how);
    if (fd < 0) blocked_errno("openat2_create_dotdot", errno);
    else {
        struct stat st;
        printf("attempt openat2_create_dotdot: %s\n", stat("/planted_by_openat2", &st) == 0
               ? "blocked (made /planted_by_openat2 inside the root)" : "ESCAPED? (made a file, not in the root)");
        close(fd);
    }

    char *argv[] = {"outside_prog", NULL};
    syscall(SYS_execveat, rootfd, "../outside_prog", argv, NULL, 0);
    blocked_errno("execveat_dirfd_dotdot", errno);
    char host_prog[4300];
    snprintf(host_prog, sizeof host_prog, "%s/outside_prog", base);
    syscall(SYS_execveat, AT_FDCWD, host_prog, argv, NULL, 0);
    blocked_errno("execveat_host_path", errno);

    if (mknodat(rootfd, "../planted_fifo", S_IFIFO | 0644, 0) < 0) blocked_errno("mknodat_fifo_dotdot", errno);
    else {
        struct stat st;
        printf("attempt mknodat_fifo_dotdot: %s\n", stat("/planted_fifo", &st) == 0 && S_ISFIFO(st.st_mode)
               ? "blocked (made the FIFO /planted_fifo inside the root)" : "ESCAPED? (made a FIFO, not in the root)");
    }

    int in = inotify_init1(IN_NONBLOCK);
    if (inotify_add_watch(in, secret_path, IN_ALL_EVENTS) < 0) blocked_errno("inotify_watch_host_path", errno);
    else printf("attempt inotify_watch_host_path: ESCAPED (watched a host file)\n");
    close(in);

    fd = syscall(SYS_open_tree, AT_FDCWD, secret_path, 0);
    if (fd < 0) blocked_errno("open_tree_host_path", errno);
    else { printf("attempt open_tree_host_path: ESCAPED (an O_PATH descriptor of a host file)\n"); close(fd); }

    struct { unsigned int bytes; int type; unsigned char h[128]; } handle = {.bytes = 128};
    int mount_id;
    if (syscall(SYS_name_to_handle_at, AT_FDCWD, secret_path, &handle, &mount_id, 0) < 0)
        blocked_errno("name_to_handle_host_path", errno);
    else printf("attempt name_to_handle_host_path: ESCAPED (a handle of a host file)\n");
    close(rootfd);
}

/*
 * Two threads: one swaps /race between a directory and a link to BASE, the
 * other opens /race/secret.txt. Both yield so that the opens land in both
 * states on any scheduler; the guest kernel runs one system call at a time,
 * so a lookup is never interleaved more finely than that.
 */
#define RACE_OPENS 400
static volatile int race_done;
static volatile int race_swaps;

static void *race_swapper(void *arg) {
    (void) arg;
    while (!race_done) {
        rename("/race_dir", "/race");
        sched_yield(); /* let the opener in while /race is the directory */
        rename("/race", "/race_dir");
        rename("/race_link", "/race");
        sched_yield(); /* and while it is the link */
        rename("/race", "/race_link");
        race_swaps++;
    }
    return NULL;
}

/* mkdir -p of BASE inside the root, and BASE/secret.txt there: where the link leads when walked inside. */
static void make_mirror_of_base(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s", base);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(path, 0755) < 0 && errno != EEXIST) must(-1, "mkdir mirror");
            *p = c;
            if (c == 0) break;
        }
    }
    write_file(secret_path, "inside: the in-root mirror of BASE/secret.txt\n");
}

static void race_attempt(void) {
    make_mirror_of_base();
    make_swappable("race_dir");
    must(symlink(base, "/race_link"), "race_link");
    pthread_t t;
    if (pthread_create(&t, NULL, race_swapper, NULL) != 0) {
        printf("setup: pthread_create failed\n");
        exit(1);
    }
    while (race_swaps == 0) sched_yield(); /* the swapper is running */
    int outside = 0, decoy = 0, mirror = 0;
    for (int i = 0; i < RACE_OPENS; i++) {
        int fd = open("/race/secret.txt", O_RDONLY);
        if (fd < 0) continue; /* between two renames: no /race */
        char buf[16] = {0};
        if (read(fd, buf, sizeof buf - 1) <= 0 || strncmp(buf, "inside", 6) != 0) {
            outside++;
        } else if (strncmp(buf, "inside: decoy", 13) == 0) {
            decoy++;
        } else {
            mirror++;
        }
        close(fd);
        if (i & 1) sched_yield();
    }
    race_done = 1;
    pthread_join(t, NULL);
    /* Counts depend on scheduling; that both states were seen does not. */
    printf("attempt thread_race_symlink_swap: %s (%d opens, %s, %d reached outside)\n",
           outside ? "ESCAPED" : "blocked", RACE_OPENS,
           decoy && mirror ? "read the directory's file and, through the link, the in-root mirror"
                           : "did not see both states", outside);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        printf("usage: root_escape BASE (run by RootEscapeTest inside the root BASE/root)\n");
        return 2;
    }
    base = argv[1];
    snprintf(secret_path, sizeof secret_path, "%s/secret.txt", base);
    setvbuf(stdout, NULL, _IOLBF, 0);
    path_attempts();
    symlink_attempts();
    proc_attempts();
    dirfd_attempts();
    rename_link_attempts();
    exec_attempts();
    newer_call_attempts();
    race_attempt();
    printf("done\n");
    return 0;
}
