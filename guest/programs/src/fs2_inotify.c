/* inotify as Linux answers it, for the events a process's own file operations
 * make: IN_CREATE, IN_OPEN, IN_MODIFY (two writes in a row coalesce into one
 * event), IN_CLOSE_WRITE/NOWRITE, IN_ACCESS, IN_ATTRIB, IN_MOVED_FROM/TO with
 * one cookie, IN_MOVE_SELF, IN_DELETE, IN_DELETE_SELF and IN_IGNORED, IN_ISDIR
 * for directories; the watch flags IN_ONESHOT, IN_MASK_ADD, IN_MASK_CREATE,
 * IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK; the errors of the three calls;
 * FIONREAD; a read too small for the next event; a blocking read woken by a
 * forked child's create, poll and epoll; IN_Q_OVERFLOW past 16384 queued
 * events. Works in a directory it makes under /tmp; prints watch descriptors
 * (numbered from 1 in each instance) and names, never cookies' values. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fstest.h"

static const char *mask_names(uint32_t m)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"}, {IN_CLOSE_WRITE, "CLOSE_WRITE"},
        {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"}, {IN_OPEN, "OPEN"}, {IN_MOVED_FROM, "MOVED_FROM"},
        {IN_MOVED_TO, "MOVED_TO"}, {IN_CREATE, "CREATE"}, {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"},
        {IN_MOVE_SELF, "MOVE_SELF"}, {IN_UNMOUNT, "UNMOUNT"}, {IN_Q_OVERFLOW, "Q_OVERFLOW"},
        {IN_IGNORED, "IGNORED"}, {IN_ISDIR, "ISDIR"},
    };
    static char buf[160];
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (m & names[i].bit) {
            if (buf[0]) strcat(buf, "|");
            strcat(buf, names[i].name);
            m &= ~names[i].bit;
        }
    }
    if (m) sprintf(buf + strlen(buf), "%s0x%x", buf[0] ? "|" : "", m);
    return buf;
}

/* Reads what is queued (the descriptor is nonblocking) and prints each event. */
static void drain(int in, const char *when)
{
    char buf[4096] __attribute__((aligned(8)));
    int queued = -1;
    ioctl(in, FIONREAD, &queued);
    printf("%s: FIONREAD %d\n", when, queued);
    uint32_t last_cookie = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n <= 0) {
            printf("  then read: %s\n", err(n));
            return;
        }
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            const char *cookie = e->cookie == 0 ? "" : e->cookie == last_cookie ? " cookie=same" : " cookie=new";
            if (e->cookie) last_cookie = e->cookie;
            printf("  wd=%d %s%s%s%s len=%u\n", e->wd, mask_names(e->mask), cookie, e->len ? " name=" : "",
                   e->len ? e->name : "", e->len);
            p += sizeof *e + e->len;
        }
    }
}

static void events(void)
{
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("instance flags: %s, cloexec %d\n",
           (fcntl(in, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == (O_RDONLY | O_NONBLOCK) ? "O_RDONLY|O_NONBLOCK" : "?",
           fcntl(in, F_GETFD) & FD_CLOEXEC);
    int wd = inotify_add_watch(in, dir, IN_ALL_EVENTS);
    printf("watch the directory: %s\n", err(wd));
    printf("watch it again: %s\n", err(inotify_add_watch(in, dir, IN_ALL_EVENTS)));
    drain(in, "nothing yet");

    int fd = open(at("f"), O_CREAT | O_WRONLY, 0600);
    if (write(fd, "ab", 2) != 2) perror("write");
    if (write(fd, "cd", 2) != 2) perror("write");
    close(fd);
    drain(in, "create, write twice, close");

    int fwd = inotify_add_watch(in, at("f"), IN_ALL_EVENTS);
    printf("watch the file: %s\n", err(fwd));
    fd = open(at("f"), O_RDONLY);
    char c[4];
    if (read(fd, c, 4) != 4) perror("read");
    close(fd);
    chmod(at("f"), 0640);
    drain(in, "open for reading, read, close, chmod");

    rename(at("f"), at("g"));
    drain(in, "rename f to g");
    close(open(at("h"), O_CREAT | O_WRONLY, 0600));
    rename(at("h"), at("g"));
    drain(in, "create h, rename it over g");

    mkdir(at("sub"), 0700);
    int swd = inotify_add_watch(in, at("sub"), IN_ALL_EVENTS);
    rmdir(at("sub"));
    drain(in, "mkdir sub, watch it, rmdir");

    truncate(at("g"), 1);
    link(at("g"), at("g2"));
    unlink(at("g2"));
    drain(in, "truncate g, link g2, unlink g2");

    int gwd = inotify_add_watch(in, at("g"), IN_ATTRIB | IN_DELETE_SELF);
    unlink(at("g"));
    drain(in, "watch g, unlink g");

    fd = open(at("o"), O_CREAT | O_WRONLY, 0600);
    inotify_add_watch(in, at("o"), IN_ALL_EVENTS);
    unlink(at("o"));
    drain(in, "open o, watch it, unlink it");
    close(fd);
    drain(in, "close o");
    (void)swd;
    (void)gwd;

    printf("rm_watch of the directory: %s\n", err(inotify_rm_watch(in, wd)));
    printf("rm_watch again: %s\n", err(inotify_rm_watch(in, wd)));
    drain(in, "after rm_watch");
    close(in);
}

static void flags(void)
{
    int in = inotify_init1(IN_NONBLOCK);
    close(open(at("x"), O_CREAT | O_WRONLY, 0600));
    if (symlink("x", at("lnk")) != 0) perror("symlink");

    int a = inotify_add_watch(in, at("x"), IN_ATTRIB);
    int b = inotify_add_watch(in, at("x"), IN_MODIFY | IN_MASK_ADD);
    printf("IN_MASK_ADD keeps the wd: %s\n", a == b ? "yes" : "no");
    printf("IN_MASK_CREATE on a watched file: %s\n", err(inotify_add_watch(in, at("x"), IN_MODIFY | IN_MASK_CREATE)));
    printf("IN_MASK_ADD|IN_MASK_CREATE: %s\n", err(inotify_add_watch(in, at("x"), IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE)));
    int fd = open(at("x"), O_WRONLY);
    if (write(fd, "1", 1) != 1) perror("write");
    fchmod(fd, 0600);
    close(fd);
    drain(in, "write and fchmod, watched for ATTRIB then MODIFY added");

    printf("replace the mask with IN_OPEN: %s\n", err(inotify_add_watch(in, at("x"), IN_OPEN)));
    fd = open(at("x"), O_WRONLY);
    if (write(fd, "2", 1) != 1) perror("write");
    close(fd);
    drain(in, "open and write, watched for OPEN only");

    printf("IN_ONLYDIR on a file: %s\n", err(inotify_add_watch(in, at("x"), IN_OPEN | IN_ONLYDIR)));
    printf("IN_ONLYDIR on a directory: %s\n", err(inotify_add_watch(in, dir, IN_CREATE | IN_ONLYDIR | IN_ONESHOT)));
    close(open(at("y"), O_CREAT | O_WRONLY, 0600));
    close(open(at("z"), O_CREAT | O_WRONLY, 0600));
    drain(in, "IN_ONESHOT: create y and z");

    int l = inotify_add_watch(in, at("lnk"), IN_OPEN | IN_DONT_FOLLOW);
    printf("IN_DONT_FOLLOW watches the link: %s\n", l != a ? "a new wd" : "the file's wd");
    printf("following it: %s\n", inotify_add_watch(in, at("lnk"), IN_OPEN) == a ? "the file's wd" : "another wd");

    int ex = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(ex, dir, IN_MODIFY | IN_DELETE | IN_EXCL_UNLINK);
    int plain = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(plain, dir, IN_MODIFY | IN_DELETE);
    fd = open(at("y"), O_WRONLY);
    unlink(at("y"));
    if (write(fd, "3", 1) != 1) perror("write");
    close(fd);
    drain(ex, "IN_EXCL_UNLINK: write to y after unlinking it");
    drain(plain, "the same without IN_EXCL_UNLINK");
    close(ex);
    close(plain);

    printf("init1 bad flags: %s\n", err(inotify_init1(1)));
    printf("add_watch mask 0: %s\n", err(inotify_add_watch(in, dir, 0)));
    printf("add_watch unknown bit: %s\n", err(inotify_add_watch(in, dir, IN_OPEN | 0x8000000)));
    printf("add_watch bad fd: %s\n", err(inotify_add_watch(-1, dir, IN_OPEN)));
    printf("add_watch not an instance: %s\n", err(inotify_add_watch(1, dir, IN_OPEN)));
    printf("add_watch missing file: %s\n", err(inotify_add_watch(in, at("none"), IN_OPEN)));
    printf("rm_watch unknown wd: %s\n", err(inotify_rm_watch(in, 999)));
    printf("rm_watch not an instance: %s\n", err(inotify_rm_watch(1, 1)));
    printf("write to an instance: %s\n", err(write(in, "x", 1)));
    printf("lseek on an instance: %s\n", err(lseek(in, 0, SEEK_SET)));
    close(open(at("x"), O_RDONLY));
    char small[8];
    printf("read into 8 bytes: %s\n", err(read(in, small, sizeof small)));
    close(in);
    unlink(at("x"));
    unlink(at("z"));
    unlink(at("lnk"));
}

static void waiting(void)
{
    int in = inotify_init1(0);
    inotify_add_watch(in, dir, IN_CREATE);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        close(open(at("late"), O_CREAT | O_WRONLY, 0600));
        _exit(0);
    }
    char buf[256] __attribute__((aligned(8)));
    ssize_t n = read(in, buf, sizeof buf);
    struct inotify_event *e = (struct inotify_event *)buf;
    printf("blocking read woken: %s, %s name=%s\n", err(n), mask_names(e->mask), e->name);
    waitpid(child, NULL, 0);

    struct pollfd p = {in, POLLIN, 0};
    printf("poll with nothing queued: %s\n", err(poll(&p, 1, 0)));
    close(open(at("late2"), O_CREAT | O_WRONLY, 0600));
    const char *r = err(poll(&p, 1, 0));
    printf("poll after a create: %s revents %s\n", r, p.revents == POLLIN ? "POLLIN" : "?");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    printf("epoll_ctl: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev)));
    struct epoll_event got;
    r = err(epoll_wait(ep, &got, 1, 0));
    printf("epoll_wait: %s data %u\n", r, got.data.u32);
    close(ep);
    close(in);
    unlink(at("late"));
    unlink(at("late2"));
}

static void overflow(void)
{
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, dir, IN_MODIFY);
    int a = open(at("a"), O_CREAT | O_WRONLY, 0600);
    int b = open(at("b"), O_CREAT | O_WRONLY, 0600);
    for (int i = 0; i < 8200; i++) {
        if (write(a, "x", 1) != 1 || write(b, "y", 1) != 1) perror("write");
    }
    close(a);
    close(b);
    int queued = 0;
    ioctl(in, FIONREAD, &queued);
    static char buf[1 << 20] __attribute__((aligned(8)));
    long events = 0, overflows = 0, modify = 0;
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            events++;
            if (e->mask == IN_Q_OVERFLOW && e->wd == -1) overflows++;
            if (e->mask == IN_MODIFY) modify++;
            p += sizeof *e + e->len;
        }
    }
    printf("16400 alternating writes: FIONREAD %d, %ld events read (%ld IN_MODIFY, %ld IN_Q_OVERFLOW), then %s\n",
           queued, events, modify, overflows, err(n));
    close(in);
    unlink(at("a"));
    unlink(at("b"));
}

int main(void)
{
    strcpy(dir, "/tmp/fs2_inotify.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    events();
    flags();
    waiting();
    overflow();
    printf("cleanup: %s\n", err(rmdir(dir)));
    return 0;
}
