/* A phone in miniature: an "init" starts apps the way Android's
 * ActivityManager does and gives each the oom_score_adj of its importance
 * (frameworks/base/.../am/ProcessList.java: FOREGROUND_APP_ADJ 0,
 * VISIBLE_APP_ADJ 100, PERCEPTIBLE_APP_ADJ 200, SERVICE_ADJ 500,
 * PREVIOUS_APP_ADJ 700, CACHED_APP_MIN_ADJ 900 .. CACHED_APP_MAX_ADJ 999).
 * Every app fills a working set with data that compresses the way an app
 * heap does (about 2.4 : 1 with lz4), more than RAM and zram together can
 * hold; the low-memory killer has to make room, and the foreground app must
 * finish its work with every byte intact.
 *
 *   android_like                  init: starts the apps, prints what became of them
 *   android_like --app N          (run by init under the app's name) app N of the table
 *
 * Each app is fork + execve of this program (/proc/self/exe) with argv[0]
 * the app's package name, as zygote names its children: /proc/PID/cmdline,
 * which lmkd and procrank print, shows the name (the comm stays the
 * executable's, "android_like"). Init talks to each app through two pipes:
 * fd 3 (init -> app: 'x' = check your data) and fd 4 (app -> init: 'r' =
 * working set filled, 'p' = a quarter of the game loaded, 'v' or 'f' = data
 * intact or not). Only init prints.
 *
 * The story: the keyboard (visible), a music player (perceptible) and a mail
 * sync service start first. The user then opens chat and news, each in the
 * foreground while it loads and cached once the next one opens (the least
 * recently used the higher adj); then the browser; then a game, which makes
 * the browser the previous app (700) and, once a quarter of the game is
 * loaded, a cached one (900). The game loads the rest and reads it all back
 * twice. Init then asks the apps still running to check their data, prints
 * the answers and ends the run with them still running.
 *
 * Options: expected/android_like.options (--ram 128M, --zram 64M, lmkd's PSI
 * policy). Expected output reasoned from lmkd and Linux 6.1; which apps die,
 * and in which order, does not depend on timing, because of the sizes:
 *
 *  - What the machine can hold: 128 MiB of frames, about 4 of them the
 *    kernel's and the program's own, and 64 MiB of swap whose compressed
 *    pages take frames too (mm/zsmalloc.c): at 2.4 : 1, at most about 155
 *    MiB of anonymous memory, and that only if kswapd swaps out as fast as
 *    the apps allocate; when it falls behind, free memory drops below the low
 *    watermark (mm/page_alloc.c:get_page_from_freelist wakes kswapd there)
 *    with RAM alone full, about 123 MiB.
 *  - lmkd's PSI policy (system/memory/lmkd/lmkd.cpp:mp_event_psi) kills when
 *    free memory is below the low watermark: the process with the highest
 *    oom_score_adj of at least 701 ("watermark is breached"), or of at least
 *    201 when swap is low too, and lmkd counts as free swap no more than free
 *    memory plus the inactive page cache, so with RAM full it always is. The
 *    kernel's OOM killer (mm/oom_kill.c:oom_badness), which kills only when
 *    swap is full as well, weights oom_score_adj by a thousandth of RAM+swap
 *    (48 pages) per point, far more than any size here. Either way the
 *    cached apps go highest adj first: chat, news, browser.
 *  - Each has to go: keyboard, music, mail, init and the game need 100 MiB;
 *    any one cached app (64 MiB) on top is more than the 155 MiB, so every
 *    killer must kill it. Chat goes while news loads, news while the browser
 *    loads, and the browser while the game loads (as the previous app or
 *    cached, it is the only candidate above the service's 500 either way).
 *  - Nothing else goes: without the cached apps the rest fits in RAM with
 *    more than 20 MiB to spare, so reclaim stops, free memory stays above
 *    the watermarks and no rule of lmkd's, nor the OOM killer, has a reason.
 *
 * Each victim becomes a zombie for init, reaped after the game's load:
 * several at once are reaped oldest child first (kernel/exit.c:do_wait walks
 * ->children in fork order), which is also the order they are killed in.
 */
#include "mptest.h"
#include <sys/wait.h>

enum role { VISIBLE, PERCEPTIBLE, SERVICE, CACHED, FOREGROUND };

static const struct app {
    const char *name;
    enum role role;
    int adj;           /* its oom_score_adj once the next app is in front */
    size_t mib;        /* its working set */
} apps[] = {
    { "com.keyboard", VISIBLE,     100,  8 },
    { "com.music",    PERCEPTIBLE, 200, 12 },
    { "com.mail",     SERVICE,     500, 14 },
    { "com.chat",     CACHED,      999, 64 },
    { "com.news",     CACHED,      950, 64 },
    { "com.browser",  CACHED,      900, 64 },
    { "com.game",     FOREGROUND,    0, 64 },
};
#define NAPPS (sizeof apps / sizeof apps[0])
#define BROWSER 5
#define GAME 6
/* ProcessList.PREVIOUS_APP_ADJ: the app the user was in before this one. */
#define PREVIOUS_APP_ADJ 700
#define CTL_FD 3
#define REPORT_FD 4

static const char *role_name(enum role r)
{
    switch (r) {
    case VISIBLE: return "visible";
    case PERCEPTIBLE: return "perceptible";
    case SERVICE: return "service";
    case CACHED: return "cached";
    default: return "foreground";
    }
}

/* ---- an app's heap ------------------------------------------------------ */

static const char *const words[] = {
    "the", "message", "thread", "contact", "photo", "cache", "layout", "view", "string", "bitmap",
    "http", "json", "title", "author", "comment", "image", "user", "android", "activity", "token",
    "session", "https://", "example.com/", "id=", "name=", "<div>", "</div>", "class=", "0x", "null",
    "true", "false",
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

/* Strings: words in random order, made once; a page of text is a page of it
 * from a random place (zram compresses each page on its own, so the pages
 * sharing this text gains nothing). */
static char text[4 * PAGE];

static void make_text(unsigned a)
{
    uint64_t s = mix(a) | 1;
    size_t n = 0;
    while (n < sizeof text) {
        const char *word = words[rng_next(&s) % (sizeof words / sizeof words[0])];
        while (*word && n < sizeof text) text[n++] = *word++;
        if (n < sizeof text) text[n++] = ' ';
    }
}

/* Page i of app a's working set, written into w: Java objects (class
 * pointer, hash, small fields, references into the heap), strings, int
 * arrays, and one page in twenty of already-compressed bytes (an image), which
 * zram stores nearly as it is. The same (a, i) always gives the same page. */
static void heap_page(uint64_t *w, unsigned a, size_t i)
{
    uint64_t s = mix(((uint64_t)a << 32) ^ i) | 1;
    unsigned kind = (unsigned)(mix(s) % 20);
    /* A cached app has pictures decoded (a browser's, a news reader's): a
     * quarter of its pages are images, against one in twenty elsewhere. */
    if (apps[a].role == CACHED && kind >= 15) kind = 19;
    else if (apps[a].role == CACHED && kind >= 7) kind += 3;
    if (kind < 10) {
        for (size_t k = 0; k < PAGE / 8; k += 8) {
            uint64_t r = rng_next(&s);
            w[k] = 0x70000000ULL + (r & 7) * 0x40;                /* klass */
            w[k + 1] = (r & 0x700) == 0 ? r >> 40 : 0;            /* identity hash, once asked for */
            w[k + 2] = (r >> 12) & 0xf;                           /* int field */
            w[k + 3] = i * 64 + k;                                /* long field */
            w[k + 4] = 0x12c00000ULL + (i * 64 + k + (r >> 16 & 7)) * 8; /* reference, nearby */
            w[k + 5] = (r >> 24) & 1 ? w[k + 4] + 32 : 0;         /* reference or null */
            w[k + 6] = 0;
            w[k + 7] = 0x1000000ULL | (r >> 30 & 3);              /* flags */
        }
    } else if (kind < 15) {
        memcpy(w, text + rng_next(&s) % (sizeof text - PAGE), PAGE);
    } else if (kind < 19) {
        uint32_t *v = (uint32_t *)w;
        for (size_t k = 0; k < PAGE / 4; k++) v[k] = k % 8 ? (uint32_t)(k / 8) : (uint32_t)(rng_next(&s) % 1000);
    } else {
        for (size_t k = 0; k < PAGE / 8; k++) w[k] = rng_next(&s);
    }
}

/* Fills pages [from, to) of the working set; returns the pages' checksum. */
static uint64_t fill(char *p, unsigned a, size_t from, size_t to)
{
    uint64_t sum = 0;
    for (size_t i = from; i < to; i++) {
        uint64_t *w = (uint64_t *)(p + i * PAGE);
        heap_page(w, a, i);
        sum += fnv64(w, PAGE / 8) * (i + 1);
    }
    return sum;
}

/* The checksum of pages [0, n) as they are in memory now. */
static uint64_t checksum(const char *p, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += fnv64((const uint64_t *)(p + i * PAGE), PAGE / 8) * (i + 1);
    return sum;
}

static void tell(int fd, char c)
{
    if (write(fd, &c, 1) != 1) _exit(97);
}

/* ---- the apps ----------------------------------------------------------- */

static int run_app(unsigned a)
{
    const struct app *app = &apps[a];
    size_t n = app->mib * MIB / PAGE;
    char *heap = anon(n * PAGE, PROT_READ | PROT_WRITE);
    make_text(a);
    if (a != GAME) {
        uint64_t sum = fill(heap, a, 0, n);
        tell(REPORT_FD, 'r');
        /* Then idle until init asks for a check of the data (or the killer
         * comes); after answering, idle until the end. */
        char c;
        if (read(CTL_FD, &c, 1) != 1) return 2;
        tell(REPORT_FD, checksum(heap, n) == sum ? 'v' : 'f');
        while (read(CTL_FD, &c, 1) == 1) {}
        return 0;
    }
    /* The game: loads its level a quarter at a time, then plays two frames
     * over all of it. */
    uint64_t sum = 0;
    for (size_t q = 0; q < 4; q++) {
        sum += fill(heap, a, n * q / 4, n * (q + 1) / 4);
        tell(REPORT_FD, 'p');
    }
    int ok = 1;
    for (int frame = 0; frame < 2; frame++) ok &= checksum(heap, n) == sum;
    return ok ? 0 : 1;
}

/* ---- init --------------------------------------------------------------- */

static pid_t pids[NAPPS];
static int ctl[NAPPS];
static int report[NAPPS];

static void set_adj(unsigned a, int adj)
{
    char path[64], text[16];
    snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pids[a]);
    int fd = open(path, O_WRONLY);
    int len = snprintf(text, sizeof text, "%d", adj);
    /* fs/proc/base.c:__set_oom_adj: raising one's child's value needs no privilege. */
    if (fd < 0 || write(fd, text, len) != len) {
        printf("%s: oom_score_adj %d not set: %s\n", apps[a].name, adj, ename(errno));
        exit(1);
    }
    close(fd);
}

static void launch(unsigned a)
{
    int down[2], up[2];
    if (pipe(down) || pipe(up)) exit(99);
    pid_t pid = xfork();
    if (pid == 0) {
        if (dup2(down[0], CTL_FD) < 0 || dup2(up[1], REPORT_FD) < 0) _exit(99);
        for (int fd = REPORT_FD + 1; fd < 64; fd++) close(fd);
        char index[8];
        snprintf(index, sizeof index, "%u", a);
        char *argv[] = { (char *)apps[a].name, "--app", index, NULL };
        extern char **environ;
        execve("/proc/self/exe", argv, environ);
        _exit(98);
    }
    close(down[0]);
    close(up[1]);
    pids[a] = pid;
    ctl[a] = down[1];
    report[a] = up[0];
    /* ProcessList.setOomAdj: the adj is set as the app comes up. */
    set_adj(a, apps[a].role == CACHED ? 0 : apps[a].adj);
}

/* What the app wrote next: 'r', 'p', or 0 at end of file (it died). */
static char hear(unsigned a)
{
    char c;
    return read(report[a], &c, 1) == 1 ? c : 0;
}

static unsigned app_of(pid_t pid)
{
    for (unsigned a = 0; a < NAPPS; a++)
        if (pids[a] == pid) return a;
    printf("waitpid: unknown child %d\n", (int)pid);
    exit(1);
}

/* "exit 0" or "SIGKILL" */
static const char *how(int status)
{
    static char buf[32];
    if (WIFSIGNALED(status)) return signame(WTERMSIG(status));
    snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(status));
    return buf;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--app")) {
        vt_init();
        return run_app((unsigned)atoi(argv[2]));
    }
    mp_init();
    /* A survivor that died after all gets its goodbye as EPIPE, not SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    /* The background: started by the system in their own categories. */
    for (unsigned a = 0; a < NAPPS; a++) {
        if (apps[a].role == CACHED || apps[a].role == FOREGROUND) continue;
        launch(a);
        int ready = hear(a) == 'r';
        printf("%s: started as %s (oom_score_adj %d), ready %s\n", apps[a].name, role_name(apps[a].role),
               apps[a].adj, yesno(ready));
    }
    /* The apps the user opens one after the other: each in front while it
     * loads, cached (its adj) once the next is in front. */
    for (unsigned a = 0; a < NAPPS; a++) {
        if (apps[a].role != CACHED) continue;
        launch(a);
        int ready = hear(a) == 'r';
        if (a != BROWSER) {
            set_adj(a, apps[a].adj);
            printf("%s: opened in the foreground (oom_score_adj 0), ready %s; cached (oom_score_adj %d)\n",
                   apps[a].name, yesno(ready), apps[a].adj);
        } else {
            printf("%s: opened in the foreground (oom_score_adj 0), ready %s\n", apps[a].name, yesno(ready));
        }
    }
    /* The game comes to the front: the browser becomes the previous app, and
     * cached once the game is a quarter done. */
    launch(GAME);
    set_adj(BROWSER, PREVIOUS_APP_ADJ);
    printf("%s: opened in the foreground; %s is the previous app (oom_score_adj %d)\n", apps[GAME].name,
           apps[BROWSER].name, PREVIOUS_APP_ADJ);
    int quarters = 0;
    while (hear(GAME) == 'p') {
        if (++quarters == 1) set_adj(BROWSER, apps[BROWSER].adj);
    }
    printf("%s: loaded %d quarters of its level; %s cached (oom_score_adj %d)\n", apps[GAME].name, quarters,
           apps[BROWSER].name, apps[BROWSER].adj);
    fflush(stdout);

    /* The killer's victims, as init reaps them, until the game is done:
     * lmkd.cpp:find_and_kill_process takes the highest adj first, each dies
     * of SIGKILL (kernel/signal.c:do_send_sig_info), and several zombies are
     * reaped oldest child first (kernel/exit.c:do_wait). */
    int kills = 0;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) { printf("waitpid: %s\n", ename(errno)); return 1; }
        unsigned a = app_of(pid);
        pids[a] = 0;
        if (a == GAME) {
            /* Every page it wrote and read back, from RAM or through zram
             * (mm/memory.c:do_swap_page), holds what it wrote. */
            printf("%s: finished its work, %s, checksum correct %s\n", apps[a].name, how(status),
                   yesno(WIFEXITED(status) && WEXITSTATUS(status) == 0));
            break;
        }
        printf("killed %d: %s (%s, oom_score_adj %d) by %s\n", ++kills, apps[a].name, role_name(apps[a].role),
               apps[a].adj, how(status));
    }
    /* The survivors check their data, in launch order, and are still running
     * when init ends the run: what reclaim swapped out of them comes back
     * from zram intact (mm/memory.c:do_swap_page). */
    for (unsigned a = 0; a < NAPPS; a++) {
        if (!pids[a]) continue;
        char check = 'x';
        int answered = write(ctl[a], &check, 1) == 1 ? hear(a) : 0;
        printf("%s: still running at the end, data intact %s\n", apps[a].name, yesno(answered == 'v'));
    }
    printf("apps killed: %d\n", kills);
    return 0;
}
