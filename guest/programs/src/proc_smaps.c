/* /proc: maps, smaps, smaps_rollup, status, statm, oom_score_adj and
 * meminfo, printed as facts about the program's own mappings (sizes, counts,
 * equalities) so that they do not depend on addresses. Includes the PSS of
 * pages shared by a forked pair. Reference: the real kernel. */
#include "vmtest.h"
#include <sys/wait.h>

static char path_buf[64];

static const char *pidpath(pid_t pid, const char *file)
{
    snprintf(path_buf, sizeof path_buf, "/proc/%d/%s", (int)pid, file);
    return path_buf;
}

static long kb(const char *path, const void *addr, const char *field)
{
    return atol(smaps_text(path, addr, field));
}

/* Sum of one field over every entry of an smaps file. */
static long smaps_sum(const char *path, const char *field)
{
    slurp(path, vt_proc, sizeof vt_proc);
    size_t flen = strlen(field);
    long sum = 0;
    for (char *l = vt_proc; *l; ) {
        if (!strncmp(l, field, flen) && l[flen] == ':') sum += atol(l + flen + 1);
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return sum;
}

/* The maps line of the VMA at addr, without its address range and with the
 * device and inode reduced to "dev"/"inode" when they are not zero. */
static const char *maps_line(const void *addr)
{
    static char out[256];
    uintptr_t a = (uintptr_t)addr;
    slurp("/proc/self/maps", vt_proc, sizeof vt_proc);
    for (char *l = vt_proc; *l; ) {
        unsigned long s, e, ino;
        char perms[8], off[32], dev[16];
        int n = 0;
        if (sscanf(l, "%lx-%lx %7s %31s %15s %lu%n", &s, &e, perms, off, dev, &ino, &n) == 6 && s <= a && a < e) {
            char *nl = strchr(l, '\n');
            char name[128] = "";
            while (l[n] == ' ') n++;
            size_t len = nl ? (size_t)(nl - (l + n)) : strlen(l + n);
            if (len >= sizeof name) len = sizeof name - 1;
            memcpy(name, l + n, len);
            name[len] = 0;
            if (!strncmp(name, "/tmp/a64emu-vmtest-", 19)) strcpy(name, "/tmp/a64emu-vmtest-XXXXXX");
            snprintf(out, sizeof out, "%s %s %s %s%s%s", perms, off, strcmp(dev, "00:00") ? "dev" : dev,
                     ino ? "inode" : "0", *name ? " " : "", name);
            return out;
        }
        char *nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return "(none)";
}

/* The keys of the smaps entry of the VMA at addr, in order. */
static const char *smaps_keys(const void *addr)
{
    static char out[1024];
    uintptr_t a = (uintptr_t)addr;
    int in = 0;
    out[0] = 0;
    slurp("/proc/self/smaps", vt_proc, sizeof vt_proc);
    for (char *l = vt_proc; *l; ) {
        char *nl = strchr(l, '\n');
        unsigned long s, e;
        char c;
        if (sscanf(l, "%lx-%lx%c", &s, &e, &c) == 3 && c == ' ') {
            if (in) break;
            in = s <= a && a < e;
        } else if (in) {
            char *colon = strchr(l, ':');
            if (colon && (!nl || colon < nl)) {
                strncat(out, l, colon - l);
                strcat(out, " ");
            }
        }
        if (!nl) break;
        l = nl + 1;
    }
    return out;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    int r = write(fd, text, strlen(text)) < 0 ? -1 : 0;
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

int main(void)
{
    vt_init();
    slurp("/proc/self/smaps", vt_proc, sizeof vt_proc);   /* fault the buffer in once */

    /* smaps of an anonymous mapping */
    char *a = anon(4 * PAGE, PROT_READ | PROT_WRITE);
    a[0] = 1;
    a[2 * PAGE] = 1;
    printf("smaps keys: %s\n", smaps_keys(a));
    printf("maps line of an anon RW mapping: %s\n", maps_line(a));
    printf("4-page anon, 2 pages written: Size %ld kB, Rss %ld kB, Pss %ld kB, Private_Dirty %ld kB, Anonymous %ld kB\n",
           smaps_kb(a, "Size"), smaps_kb(a, "Rss"), smaps_kb(a, "Pss"), smaps_kb(a, "Private_Dirty"),
           smaps_kb(a, "Anonymous"));
    printf("same: Shared_Clean %ld kB, Shared_Dirty %ld kB, Private_Clean %ld kB, Swap %ld kB, Locked %ld kB\n",
           smaps_kb(a, "Shared_Clean"), smaps_kb(a, "Shared_Dirty"), smaps_kb(a, "Private_Clean"), smaps_kb(a, "Swap"),
           smaps_kb(a, "Locked"));
    (void)*(volatile char *)(a + 3 * PAGE);
    printf("after also reading a third page (the zero page): Rss %ld kB\n", smaps_kb(a, "Rss"));
    printf("VmFlags of an anon RW mapping: %s\n", smaps_text("/proc/self/smaps", a, "VmFlags"));
    char *r = anon(PAGE, PROT_READ);
    printf("VmFlags of an anon read-only mapping: %s\n", smaps_text("/proc/self/smaps", r, "VmFlags"));

    /* smaps of a private file mapping at an offset */
    int fd = temp_file(4 * PAGE, NULL);
    char *f = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
    (void)*(volatile char *)f;
    (void)*(volatile char *)(f + PAGE);
    printf("maps line of a private file mapping at offset 1 page: %s\n", maps_line(f));
    printf("file mapping, 2 pages read: Rss %ld kB, Private_Clean %ld kB, Anonymous %ld kB\n", smaps_kb(f, "Rss"),
           smaps_kb(f, "Private_Clean"), smaps_kb(f, "Anonymous"));
    f[PAGE] = 'w';
    printf("after writing one page: Rss %ld kB, Private_Clean %ld kB, Private_Dirty %ld kB, Anonymous %ld kB\n",
           smaps_kb(f, "Rss"), smaps_kb(f, "Private_Clean"), smaps_kb(f, "Private_Dirty"), smaps_kb(f, "Anonymous"));

    char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh[0] = 1;
    sh[PAGE] = 1;
    printf("maps line of a shared anon mapping: %s\n", maps_line(sh));
    printf("shared anon, 2 pages written: Rss %ld kB, Anonymous %ld kB\n", smaps_kb(sh, "Rss"),
           smaps_kb(sh, "Anonymous"));

    /* The [stack] */
    char here;
    printf("maps line of the stack: %s\n", maps_line(&here));

    /* smaps_rollup sums smaps */
    slurp("/proc/self/smaps_rollup", vt_proc, sizeof vt_proc);
    printf("smaps_rollup first line ends in [rollup]: %s\n", yesno(strstr(vt_proc, "[rollup]\n") != NULL &&
                                                                  strstr(vt_proc, "[rollup]\n") < strchr(vt_proc, '\n') + 1));
    long rollup_rss = proc_kv("/proc/self/smaps_rollup", "Rss");
    long rollup_pss = proc_kv("/proc/self/smaps_rollup", "Pss");
    long rollup_anon = proc_kv("/proc/self/smaps_rollup", "Anonymous");
    printf("smaps_rollup Rss equals the sum over smaps: %s\n", yesno(rollup_rss == smaps_sum("/proc/self/smaps", "Rss")));
    printf("smaps_rollup Pss equals the sum over smaps: %s\n", yesno(rollup_pss == smaps_sum("/proc/self/smaps", "Pss")));
    printf("smaps_rollup Anonymous equals the sum over smaps: %s\n",
           yesno(rollup_anon == smaps_sum("/proc/self/smaps", "Anonymous")));

    /* status and statm */
    long rss = proc_kv("/proc/self/status", "VmRSS");
    long ranon = proc_kv("/proc/self/status", "RssAnon"), rfile = proc_kv("/proc/self/status", "RssFile"),
         rshmem = proc_kv("/proc/self/status", "RssShmem");
    printf("status VmRSS = RssAnon + RssFile + RssShmem: %s\n", yesno(rss == ranon + rfile + rshmem));
    printf("status Threads: %ld, VmSwap: %ld kB, VmLck: %ld kB\n", proc_kv("/proc/self/status", "Threads"),
           proc_kv("/proc/self/status", "VmSwap"), proc_kv("/proc/self/status", "VmLck"));
    long size0 = proc_kv("/proc/self/status", "VmSize"), data0 = proc_kv("/proc/self/status", "VmData");
    char *big = anon(256 * PAGE, PROT_READ | PROT_WRITE);
    long size1 = proc_kv("/proc/self/status", "VmSize"), data1 = proc_kv("/proc/self/status", "VmData");
    printf("mmap 1 MiB RW: VmSize +%ld kB, VmData +%ld kB\n", size1 - size0, data1 - data0);
    anon(256 * PAGE, PROT_READ);
    long size2 = proc_kv("/proc/self/status", "VmSize"), data2 = proc_kv("/proc/self/status", "VmData");
    printf("mmap 1 MiB read-only: VmSize +%ld kB, VmData +%ld kB\n", size2 - size1, data2 - data1);
    for (int i = 0; i < 256; i++) big[i * PAGE] = 1;
    long rss1 = proc_kv("/proc/self/status", "VmRSS");
    printf("touching 1 MiB: VmRSS grew by at least 1024 kB %s, and by less than 1200 kB %s\n",
           yesno(rss1 - rss >= 1024), yesno(rss1 - rss < 1200));
    printf("VmPeak >= VmSize: %s, VmHWM >= VmRSS: %s\n",
           yesno(proc_kv("/proc/self/status", "VmPeak") >= proc_kv("/proc/self/status", "VmSize")),
           yesno(proc_kv("/proc/self/status", "VmHWM") >= proc_kv("/proc/self/status", "VmRSS")));
    munmap(big, 256 * PAGE);
    long size3 = proc_kv("/proc/self/status", "VmSize");
    printf("munmap 1 MiB: VmSize -%ld kB, VmPeak still counts it: %s\n", size2 - size3,
           yesno(proc_kv("/proc/self/status", "VmPeak") >= size2));

    char statm[256];
    slurp("/proc/self/statm", statm, sizeof statm);
    long sz, res, shr, text, lib, data, dt;
    int n = sscanf(statm, "%ld %ld %ld %ld %ld %ld %ld", &sz, &res, &shr, &text, &lib, &data, &dt);
    printf("statm fields: %d, ends in newline %s\n", n, yesno(statm[strlen(statm) - 1] == '\n'));
    long vmsize = proc_kv("/proc/self/status", "VmSize"), vmrss = proc_kv("/proc/self/status", "VmRSS");
    long vmdata = proc_kv("/proc/self/status", "VmData"), vmstk = proc_kv("/proc/self/status", "VmStk");
    long vmexe = proc_kv("/proc/self/status", "VmExe");
    rfile = proc_kv("/proc/self/status", "RssFile");
    rshmem = proc_kv("/proc/self/status", "RssShmem");
    printf("statm size = VmSize: %s, resident = VmRSS: %s, shared = RssFile + RssShmem: %s\n", yesno(sz * 4 == vmsize),
           yesno(res * 4 == vmrss), yesno(shr * 4 == rfile + rshmem));
    printf("statm text = VmExe: %s, data = VmData + VmStk: %s, lib %ld, dt %ld\n", yesno(text * 4 == vmexe),
           yesno(data * 4 == vmdata + vmstk), lib, dt);

    /* PSS of pages shared by a forked pair */
    char *p = anon(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 'p', 4 * PAGE);
    int go[2], done[2];
    pipe(go);
    pipe(done);
    fflush(stdout);
    pid_t c = xfork();
    if (c == 0) {
        char b;
        (void)*(volatile char *)sh;
        (void)*(volatile char *)(sh + PAGE);
        write(done[1], "r", 1);
        read(go[0], &b, 1);
        p[0] = 'c';                         /* copy-on-write one page */
        write(done[1], "d", 1);
        read(go[0], &b, 1);
        _exit(0);
    }
    char b;
    read(done[0], &b, 1);
    printf("forked pair, 4 shared pages: Rss %ld kB, Pss %ld kB, Shared_Dirty %ld kB, Private_Dirty %ld kB\n",
           smaps_kb(p, "Rss"), smaps_kb(p, "Pss"), smaps_kb(p, "Shared_Dirty"), smaps_kb(p, "Private_Dirty"));
    printf("the child's /proc/PID/smaps: Rss %ld kB, Pss %ld kB\n", kb(pidpath(c, "smaps"), p, "Rss"),
           kb(pidpath(c, "smaps"), p, "Pss"));
    printf("shared anon mapping, both read by the child: Rss %ld kB, Pss %ld kB\n", smaps_kb(sh, "Rss"), smaps_kb(sh, "Pss"));
    write(go[1], "g", 1);
    read(done[0], &b, 1);
    printf("after the child wrote one page: Pss %ld kB, Shared_Dirty %ld kB, Private_Dirty %ld kB\n",
           smaps_kb(p, "Pss"), smaps_kb(p, "Shared_Dirty"), smaps_kb(p, "Private_Dirty"));
    printf("the child's view: Pss %ld kB, Private_Dirty %ld kB\n", kb(pidpath(c, "smaps"), p, "Pss"),
           kb(pidpath(c, "smaps"), p, "Private_Dirty"));
    printf("the child's status Threads: %ld\n", proc_kv(pidpath(c, "status"), "Threads"));
    write(go[1], "g", 1);
    waitpid(c, NULL, 0);
    printf("after the child exited: Pss %ld kB, Shared_Dirty %ld kB\n", smaps_kb(p, "Pss"),
           smaps_kb(p, "Shared_Dirty"));
    printf("/proc/PID of a reaped child: %s\n", rc(open(pidpath(c, "status"), O_RDONLY)));

    /* oom_score_adj */
    char buf[32];
    slurp("/proc/self/oom_score_adj", buf, sizeof buf);
    printf("oom_score_adj at start: %s", buf);
    printf("write 500: %s\n", rc(write_file("/proc/self/oom_score_adj", "500")));
    slurp("/proc/self/oom_score_adj", buf, sizeof buf);
    printf("oom_score_adj now: %s", buf);
    slurp("/proc/self/oom_score", buf, sizeof buf);
    printf("oom_score at least 500: %s\n", yesno(atol(buf) >= 500));
    printf("write 1001: %s\n", rc(write_file("/proc/self/oom_score_adj", "1001")));
    printf("write -1 without CAP_SYS_RESOURCE: %s\n", rc(write_file("/proc/self/oom_score_adj", "-1")));
    printf("write 200 (lower, but not below 0): %s\n", rc(write_file("/proc/self/oom_score_adj", "200")));
    printf("write text: %s\n", rc(write_file("/proc/self/oom_score_adj", "abc")));
    fflush(stdout);
    if ((c = xfork()) == 0) {
        slurp("/proc/self/oom_score_adj", buf, sizeof buf);
        _exit(atoi(buf) == 200 ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    printf("a forked child inherits oom_score_adj 200: %s\n", yesno(WIFEXITED(st) && WEXITSTATUS(st) == 0));

    /* meminfo */
    slurp("/proc/meminfo", vt_proc, sizeof vt_proc);
    char keys[256] = "";
    int lines = 0, well_formed = 0;
    for (char *l = vt_proc; *l; ) {
        char *nl = strchr(l, '\n');
        char *colon = strchr(l, ':');
        if (lines < 8 && colon) { strncat(keys, l, colon - l); strcat(keys, " "); }
        /* "Name:" padded to 16 columns, the value right-aligned in 8 more, " kB" */
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (colon && (colon - l) < 16 && len == 27 && !strncmp(l + 24, " kB", 3) && l[23] >= '0' && l[23] <= '9')
            well_formed++;
        else if (colon && !strncmp(l, "HugePages_", 10))
            well_formed++;
        else if (colon && len > 27 && !strncmp(l + len - 3, " kB", 3) && l[16] != ' ')
            well_formed++;   /* a value too wide for the column pushes it right */
        lines++;
        if (!nl) break;
        l = nl + 1;
    }
    printf("meminfo first keys: %s\n", keys);
    printf("meminfo lines in Linux's format: %s\n", yesno(lines > 0 && well_formed == lines));
    long total = proc_kv("/proc/meminfo", "MemTotal"), mfree = proc_kv("/proc/meminfo", "MemFree"),
         avail = proc_kv("/proc/meminfo", "MemAvailable"), stot = proc_kv("/proc/meminfo", "SwapTotal"),
         sfree = proc_kv("/proc/meminfo", "SwapFree");
    printf("meminfo MemFree <= MemTotal, MemAvailable <= MemTotal: %s, SwapFree <= SwapTotal: %s, MemTotal > 0: %s\n",
           yesno(mfree <= total && avail <= total), yesno(sfree <= stot), yesno(total > 0));
    return 0;
}
