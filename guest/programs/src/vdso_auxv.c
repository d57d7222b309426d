/*
 * The vDSO as Linux 6.1 arm64 gives it (arch/arm64/kernel/vdso.c, vdso/vdso.lds.S): its
 * address as the first auxiliary vector entry AT_SYSINFO_EHDR (ARCH_DLINFO), an ELF shared
 * object linux-vdso.so.1 whose dynamic symbol table exports __kernel_clock_gettime and the
 * other time functions at version LINUX_2.6.39, [vvar] (VVAR_NR_PAGES, 2 pages, r--p) right
 * below [vdso] (r-xp), __kernel_rt_sigreturn as the return address of a signal handler
 * (setup_return), and glibc's clock_gettime calling into it.
 *
 * Reasoned expected output: the oracle qemu-aarch64 7.2 maps no vDSO at all (qemu has one
 * from 8.0), and the vDSO is arm64's own, so no native run can answer. The machine does not
 * matter (expected/vdso_auxv.options gives the default RAM, as reasoned programs must).
 * Prints facts, never addresses or times.
 */
#include <elf.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *yes(int b) { return b ? "yes" : "no"; }

static uintptr_t base;
static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;
static const char *soname;
static unsigned nsyms;
static uintptr_t bias;

/*
 * The walk glibc's setup_vdso and dl_vdso_vsym make, done by hand, over the image Linux
 * links from arch/arm64/kernel/vdso/vdso.lds.S (one PT_LOAD at 0, PT_DYNAMIC, DT_SONAME
 * linux-vdso.so.1, VERSION LINUX_2.6.39) and maps at its start (arch/arm64/kernel/vdso.c:__setup_additional_pages).
 */
static int parse(void) {
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *) base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_type != ET_DYN || eh->e_machine != EM_AARCH64)
        return 0;
    const Elf64_Phdr *ph = (const Elf64_Phdr *) (base + eh->e_phoff);
    const Elf64_Dyn *dyn = 0;
    int loads = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && loads++ == 0)
            bias = base + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const Elf64_Dyn *) (base + ph[i].p_offset);
    }
    if (!dyn || loads != 1)
        return 0;
    uintptr_t sonameOffset = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_SYMTAB: symtab = (const Elf64_Sym *) (bias + dyn->d_un.d_ptr); break;
        case DT_STRTAB: strtab = (const char *) (bias + dyn->d_un.d_ptr); break;
        case DT_VERSYM: versym = (const Elf64_Half *) (bias + dyn->d_un.d_ptr); break;
        case DT_VERDEF: verdef = (const Elf64_Verdef *) (bias + dyn->d_un.d_ptr); break;
        case DT_HASH: nsyms = ((const Elf32_Word *) (bias + dyn->d_un.d_ptr))[1]; break;
        case DT_SONAME: sonameOffset = dyn->d_un.d_val; break;
        }
    }
    if (!symtab || !strtab || !versym || !verdef || !nsyms)
        return 0;
    soname = strtab + sonameOffset;
    return 1;
}

/* The index of the version definition called name, 0 if none. */
static unsigned version(const char *name) {
    const Elf64_Verdef *d = verdef;
    for (;;) {
        const Elf64_Verdaux *aux = (const Elf64_Verdaux *) ((const char *) d + d->vd_aux);
        if (!(d->vd_flags & VER_FLG_BASE) && strcmp(strtab + aux->vda_name, name) == 0)
            return d->vd_ndx;
        if (!d->vd_next)
            return 0;
        d = (const Elf64_Verdef *) ((const char *) d + d->vd_next);
    }
}

static void *vsym(const char *name, const char *ver) {
    unsigned ndx = version(ver);
    for (unsigned i = 1; i < nsyms; i++) {
        const Elf64_Sym *s = &symtab[i];
        if (strcmp(strtab + s->st_name, name) == 0 && s->st_shndx != SHN_UNDEF
                && ELF64_ST_TYPE(s->st_info) == STT_FUNC && (versym[i] & 0x7fff) == ndx && ndx != 0)
            return (void *) (bias + s->st_value);
    }
    return 0;
}

static sigjmp_buf jump;
static uintptr_t faultAddress;
static void *handlerReturn;

static void segv(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    faultAddress = (uintptr_t) si->si_addr;
    siglongjmp(jump, 1);
}

static void usr1(int sig) {
    (void) sig;
    handlerReturn = __builtin_extract_return_addr(__builtin_return_address(0));
}

struct area { uintptr_t start, end; char perms[5]; int found; };

static void maps(struct area *vvar, struct area *vdso) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char perms[5], name[256] = "";
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &s, &e, perms, name) < 3)
            continue;
        struct area *a = strcmp(name, "[vvar]") == 0 ? vvar : strcmp(name, "[vdso]") == 0 ? vdso : 0;
        if (a) {
            a->start = s;
            a->end = e;
            memcpy(a->perms, perms, 5);
            a->found++;
        }
    }
    if (f)
        fclose(f);
}

int main(void) {
    base = getauxval(AT_SYSINFO_EHDR);
    printf("getauxval(AT_SYSINFO_EHDR) is not 0: %s\n", yes(base != 0));
    if (!base)
        return 1;

    uint64_t pair[2] = {0, 0};
    int first = 0, same = 0;
    FILE *auxv = fopen("/proc/self/auxv", "rb");
    for (int i = 0; auxv && fread(pair, sizeof pair, 1, auxv) == 1 && pair[0] != AT_NULL; i++) {
        if (pair[0] == AT_SYSINFO_EHDR) {
            first = i == 0;
            same = pair[1] == base;
        }
    }
    if (auxv)
        fclose(auxv);
    /* fs/binfmt_elf.c:create_elf_tables puts ARCH_DLINFO (arm64: AT_SYSINFO_EHDR = mm->context.vdso)
     * first and saves the vector for fs/proc/base.c:proc_pid_auxv. */
    printf("/proc/self/auxv gives the same AT_SYSINFO_EHDR: %s\n", yes(same));
    printf("AT_SYSINFO_EHDR is the first entry: %s\n", yes(first));

    int ok = parse();
    printf("AT_SYSINFO_EHDR points at an ELF shared object with one PT_LOAD and PT_DYNAMIC: %s\n", yes(ok));
    if (!ok)
        return 1;
    printf("loaded at its link address plus the mapping's start: %s\n", yes(bias == base));
    printf("DT_SONAME: %s\n", soname);
    static const char *const names[] = {
        "__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres", "__kernel_rt_sigreturn",
    };
    void *fn[4];
    for (int i = 0; i < 4; i++) {
        fn[i] = vsym(names[i], "LINUX_2.6.39");
        printf("%s@LINUX_2.6.39 found: %s\n", names[i], yes(fn[i] != 0));
    }
    printf("a version LINUX_2.6 is not defined: %s\n", yes(version("LINUX_2.6") == 0));

    /* arch/arm64/kernel/vdso.c:__setup_additional_pages: one get_unmapped_area for both, [vvar]
     * (VVAR_NR_PAGES, VM_READ|VM_MAYREAD) first, then [vdso] (VM_READ|VM_EXEC). */
    struct area vvar = {0}, vdso = {0};
    maps(&vvar, &vdso);
    printf("[vvar] %s, %lu pages; [vdso] %s\n", vvar.perms, (unsigned long) (vvar.end - vvar.start) / 4096,
           vdso.perms);
    printf("one [vvar] and one [vdso]: %s\n", yes(vvar.found == 1 && vdso.found == 1));
    printf("[vvar] ends where [vdso] starts: %s\n", yes(vvar.end == vdso.start));
    printf("[vdso] starts at AT_SYSINFO_EHDR: %s\n", yes(vdso.start == base));
    printf("the functions lie in [vdso]: %s\n",
           yes((uintptr_t) fn[0] >= vdso.start && (uintptr_t) fn[3] < vdso.end));

    if (!fn[0] || !fn[1] || !fn[2] || !fn[3])
        return 1;
    int (*vgettime)(clockid_t, struct timespec *) = (int (*)(clockid_t, struct timespec *)) fn[0];
    int (*vgettimeofday)(struct timeval *, void *) = (int (*)(struct timeval *, void *)) fn[1];
    int (*vgetres)(clockid_t, struct timespec *) = (int (*)(clockid_t, struct timespec *)) fn[2];

    /* The image's functions: lib/vdso/gettimeofday.c falls back to the system call when the
     * clock mode is VDSO_CLOCKMODE_NONE or the clock id is invalid (-EINVAL from
     * kernel/time/posix-timers.c:clockid_to_kclock). */
    struct timespec a, b;
    int ra = vgettime(CLOCK_MONOTONIC, &a);
    int rb = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
    printf("__kernel_clock_gettime(CLOCK_MONOTONIC) agrees with the system call within 1 s: %s\n",
           yes(ra == 0 && rb == 0 && b.tv_sec - a.tv_sec <= 1 && b.tv_sec >= a.tv_sec));
    struct timeval tv;
    ra = vgettimeofday(&tv, 0);
    rb = syscall(SYS_clock_gettime, CLOCK_REALTIME, &b);
    printf("__kernel_gettimeofday agrees with CLOCK_REALTIME within 1 s: %s\n",
           yes(ra == 0 && rb == 0 && b.tv_sec - tv.tv_sec <= 1 && b.tv_sec >= tv.tv_sec));
    ra = vgetres(CLOCK_MONOTONIC, &a);
    rb = syscall(SYS_clock_getres, CLOCK_MONOTONIC, &b);
    printf("__kernel_clock_getres(CLOCK_MONOTONIC) equals the system call's: %s\n",
           yes(ra == 0 && rb == 0 && a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec));
    printf("__kernel_clock_gettime(-1) returns -EINVAL: %s\n", yes(vgettime(-1, &a) == -22));

    /* A handler without SA_RESTORER returns to __kernel_rt_sigreturn (arch/arm64/kernel/signal.c:setup_return). */
    signal(SIGUSR1, usr1);
    raise(SIGUSR1);
    printf("a signal handler returns to __kernel_rt_sigreturn: %s\n", yes(handlerReturn == fn[3]));

    /* glibc's clock_gettime calls into [vdso]: with it unreadable, the call faults there
     * (arch/arm64/mm/fault.c:do_page_fault, si_addr the instruction's address). The [vdso] may be
     * mprotected (VM_MAYREAD|VM_MAYEXEC); [vvar] has no VM_MAYWRITE, so PROT_WRITE is EACCES
     * (mm/mprotect.c:do_mprotect_pkey). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    int faulted = 0;
    if (mprotect((void *) vdso.start, vdso.end - vdso.start, PROT_NONE) != 0) {
        perror("mprotect");
        return 1;
    }
    if (sigsetjmp(jump, 1) == 0)
        clock_gettime(CLOCK_MONOTONIC, &a);
    else
        faulted = 1;
    mprotect((void *) vdso.start, vdso.end - vdso.start, PROT_READ | PROT_EXEC);
    printf("glibc's clock_gettime faults in [vdso] when it is PROT_NONE: %s\n",
           yes(faulted && faultAddress == (uintptr_t) fn[0]));
    printf("and works again after mprotect restores it: %s\n", yes(clock_gettime(CLOCK_MONOTONIC, &a) == 0));
    printf("[vvar] cannot be made writable (no VM_MAYWRITE): %s\n",
           yes(mprotect((void *) vvar.start, 4096, PROT_READ | PROT_WRITE) != 0));
    return 0;
}
