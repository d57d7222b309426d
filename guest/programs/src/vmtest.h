/*
 * Shared helpers for the issue-5 virtual-memory and process test programs
 * (vm_*.c, proc_*.c, sig_*.c). Header only: build.sh compiles each NAME.c on
 * its own.
 *
 * Every line a program prints describes one case and is independent of where
 * things were mapped, of pids and of timing: addresses are printed as offsets
 * from the program's own mappings, errno values by name. So the same source
 * prints the same text on x86-64 Linux (the reference) and under a64emu.
 */
#ifndef VMTEST_H
#define VMTEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wunused-function"

#define PAGE 4096UL

static char vt_stdout_buf[4096];

/* Line-buffered stdout without malloc (no heap appears because of printf),
 * flushed before every fork so children do not repeat buffered lines. Drops
 * every capability, so a reference recorded as root behaves like the
 * unprivileged process a64emu models (RLIMIT_MEMLOCK applies, and so on); the
 * result is ignored because a kernel without capset has nothing to drop. */
static void vt_init(void)
{
    setvbuf(stdout, vt_stdout_buf, _IOLBF, sizeof vt_stdout_buf);
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    syscall(SYS_capset, &h, d);
    /* On Linux every program ends within a second. Under an emulator that
     * is still missing a feature (a signal that never comes, a child that
     * never exits), end the run instead of hanging the test suite. */
    alarm(240);
}

/* fork() after flushing stdout; a kernel without fork ends the program at
 * once instead of leaving the parent waiting for a child that never ran. */
static pid_t xfork(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork: -1 %s\n", strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
        exit(1);
    }
    return pid;
}

static const char *ename(int e)
{
    const char *n = strerrorname_np(e);
    return n ? n : "E?";
}

static const char *signame(int s)
{
    static char buf[16];
    const char *n = sigabbrev_np(s);
    if (!n) { snprintf(buf, sizeof buf, "%d", s); return buf; }
    snprintf(buf, sizeof buf, "SIG%s", n);
    return buf;
}

static const char *sicode(int sig, int code)
{
    static char buf[32];
    if (sig == SIGSEGV) {
        if (code == SEGV_MAPERR) return "SEGV_MAPERR";
        if (code == SEGV_ACCERR) return "SEGV_ACCERR";
    } else if (sig == SIGBUS) {
        if (code == BUS_ADRALN) return "BUS_ADRALN";
        if (code == BUS_ADRERR) return "BUS_ADRERR";
        if (code == BUS_OBJERR) return "BUS_OBJERR";
    }
    if (code == SI_USER) return "SI_USER";
    if (code == SI_TKILL) return "SI_TKILL";
    if (code == SI_QUEUE) return "SI_QUEUE";
    snprintf(buf, sizeof buf, "code %d", code);
    return buf;
}

/* "0" or "-1 ENAME" for calls that return 0 / -1 with errno. */
static const char *rc(long r)
{
    static char buf[64];
    if (r == -1) snprintf(buf, sizeof buf, "-1 %s", ename(errno));
    else snprintf(buf, sizeof buf, "%ld", r);
    return buf;
}

/* "ok" or "-1 ENAME" for mmap/mremap results. */
static const char *mrc(void *p)
{
    static char buf[64];
    if (p == MAP_FAILED) snprintf(buf, sizeof buf, "-1 %s", ename(errno));
    else snprintf(buf, sizeof buf, "ok");
    return buf;
}

static const char *yesno(int b) { return b ? "yes" : "no"; }

static void *anon(size_t len, int prot)
{
    void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(99); }
    return p;
}

/* A free, page-aligned range of len bytes with a PROT_NONE page on each side,
 * so the range's VMAs can never merge with a neighbour outside it. */
static char *fenced(size_t len)
{
    char *p = anon(len + 2 * PAGE, PROT_NONE);
    munmap(p + PAGE, len);
    return p + PAGE;
}

/* --- reading /proc without malloc ------------------------------------ */

static char vt_proc[1 << 20];

static size_t slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) { buf[0] = 0; return 0; }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r <= 0) break;
        n += r;
    }
    close(fd);
    buf[n] = 0;
    return n;
}

/* How many lines of /proc/self/maps overlap [base, base+len). */
static int vmas_in(const void *base, size_t len)
{
    uintptr_t lo = (uintptr_t)base, hi = lo + len;
    slurp("/proc/self/maps", vt_proc, sizeof vt_proc);
    int n = 0;
    for (char *l = vt_proc; *l; ) {
        unsigned long s, e;
        if (sscanf(l, "%lx-%lx", &s, &e) == 2 && s < hi && e > lo) n++;
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return n;
}

/* The maps line of the VMA holding addr: start/end offsets from addr and perms. */
static int vma_of(const void *addr, long *start_off, long *end_off, char perms[5])
{
    uintptr_t a = (uintptr_t)addr;
    slurp("/proc/self/maps", vt_proc, sizeof vt_proc);
    for (char *l = vt_proc; *l; ) {
        unsigned long s, e;
        char p[5] = "";
        if (sscanf(l, "%lx-%lx %4s", &s, &e, p) == 3 && s <= a && a < e) {
            if (start_off) *start_off = (long)s - (long)a;
            if (end_off) *end_off = (long)e - (long)a;
            if (perms) memcpy(perms, p, 5);
            return 1;
        }
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return 0;
}

/* A field ("Rss", "Pss", "VmFlags" ...) of the smaps entry of the VMA holding
 * addr, copied as text without the leading spaces; "" when absent. */
static const char *smaps_text(const char *path, const void *addr, const char *field)
{
    static char out[256];
    uintptr_t a = (uintptr_t)addr;
    size_t flen = strlen(field);
    int in = 0;
    out[0] = 0;
    slurp(path, vt_proc, sizeof vt_proc);
    for (char *l = vt_proc; *l; ) {
        char *nl = strchr(l, '\n');
        unsigned long s, e;
        char c;
        if (sscanf(l, "%lx-%lx%c", &s, &e, &c) == 3 && c == ' ') {
            in = s <= a && a < e;
        } else if (in && !strncmp(l, field, flen) && l[flen] == ':') {
            char *v = l + flen + 1;
            while (*v == ' ') v++;
            size_t n = nl ? (size_t)(nl - v) : strlen(v);
            if (n >= sizeof out) n = sizeof out - 1;
            memcpy(out, v, n);
            out[n] = 0;
            return out;
        }
        if (!nl) break;
        l = nl + 1;
    }
    return out;
}

static long smaps_kb(const void *addr, const char *field)
{
    return atol(smaps_text("/proc/self/smaps", addr, field));
}

/* A "Key:   value kB" field of a /proc file such as status or meminfo; -1 if absent. */
static long proc_kv(const char *path, const char *key)
{
    slurp(path, vt_proc, sizeof vt_proc);
    size_t klen = strlen(key);
    for (char *l = vt_proc; *l; ) {
        if (!strncmp(l, key, klen) && l[klen] == ':') return atol(l + klen + 1);
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return -1;
}

/* --- catching faults ---------------------------------------------------- */

static sigjmp_buf vt_jmp;
static volatile int vt_sig, vt_code;
static volatile uintptr_t vt_addr;

static void vt_catch(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    vt_sig = sig;
    vt_code = si->si_code;
    vt_addr = (uintptr_t)si->si_addr;
    siglongjmp(vt_jmp, 1);
}

static void vt_catch_faults(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = vt_catch;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* Touches addr (reading, or writing value) and describes what happened:
 * "ok", or "SIGSEGV SEGV_ACCERR at base+0x1000". vt_catch_faults() first. */
static const char *probe(volatile char *addr, int write, char value, const void *base)
{
    static char buf[96];
    vt_sig = 0;
    if (sigsetjmp(vt_jmp, 1) == 0) {
        if (write) *addr = value;
        else (void)*addr;
        return "ok";
    }
    long off = (long)(vt_addr - (uintptr_t)base);
    snprintf(buf, sizeof buf, "%s %s at base%s0x%lx", signame(vt_sig), sicode(vt_sig, vt_code),
             off < 0 ? "-" : "+", off < 0 ? -off : off);
    return buf;
}

static const char *rd(const void *addr, const void *base) { return probe((volatile char *)addr, 0, 0, base); }
static const char *wr(void *addr, char v, const void *base) { return probe((volatile char *)addr, 1, v, base); }

/* mincore vector of npages as a string of 0/1, or "-1 ENAME". */
static const char *resident(const void *addr, size_t npages)
{
    static char buf[300];
    unsigned char vec[256];
    if (npages > sizeof vec) npages = sizeof vec;
    if (mincore((void *)addr, npages * PAGE, vec) != 0) {
        snprintf(buf, sizeof buf, "-1 %s", ename(errno));
        return buf;
    }
    for (size_t i = 0; i < npages; i++) buf[i] = (vec[i] & 1) ? '1' : '0';
    buf[npages] = 0;
    return buf;
}

/* A temporary file of size bytes filled with 'A'+page index. Its name goes to
 * keep_name (at least 32 bytes) for the caller to unlink; with NULL it is
 * unlinked at once. */
static int temp_file(size_t size, char *keep_name)
{
    char name[] = "/tmp/a64emu-vmtest-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) { perror("mkstemp"); exit(99); }
    if (keep_name) strcpy(keep_name, name);
    else unlink(name);
    char page[PAGE];
    for (size_t off = 0; off < size; off += PAGE) {
        size_t n = size - off < PAGE ? size - off : PAGE;
        memset(page, 'A' + (int)(off / PAGE) % 26, n);
        if (pwrite(fd, page, n, off) != (ssize_t)n) { perror("pwrite"); exit(99); }
    }
    fsync(fd);   /* clean page cache: smaps then shows mapped pages as clean */
    return fd;
}

#endif
