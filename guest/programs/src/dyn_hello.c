/*
 * A dynamically linked program (no -static): ld-linux-aarch64.so.1 loads libc.so.6, relocates
 * both and calls main. It prints with stdio, sorts strings it copies with malloc, and reports
 * what the auxiliary vector says about its own loading (AT_BASE nonzero, AT_ENTRY inside
 * the program, AT_PHDR pointing at a PT_PHDR-described table), without printing addresses,
 * which move with the layout.
 */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

extern void _start(void);

int main(void) {
    static const char *const words[] = {"pear", "apple", "fig", "cherry", "banana"};
    enum { N = sizeof words / sizeof words[0] };
    char *copies[N];
    for (int i = 0; i < N; i++) {
        copies[i] = malloc(strlen(words[i]) + 1);
        if (copies[i] == NULL) {
            perror("malloc");
            return 1;
        }
        strcpy(copies[i], words[i]);
    }
    qsort(copies, N, sizeof copies[0], compare);
    printf("hello from a dynamically linked program\n");
    for (int i = 0; i < N; i++) {
        printf("%d %s\n", i, copies[i]);
        free(copies[i]);
    }

    unsigned long base = getauxval(AT_BASE);
    unsigned long entry = getauxval(AT_ENTRY);
    const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    unsigned long phnum = getauxval(AT_PHNUM);
    printf("AT_BASE (the interpreter) is %s\n", base != 0 ? "set" : "zero");
    printf("AT_ENTRY is _start: %s\n", entry == (unsigned long)&_start ? "yes" : "no");
    printf("AT_PHENT %lu, AT_PHNUM %s\n", getauxval(AT_PHENT), phnum > 0 ? "nonzero" : "zero");
    int interp = 0;
    for (unsigned long i = 0; i < phnum; i++) {
        if (phdr[i].p_type == PT_INTERP) {
            interp = 1;
        }
    }
    printf("AT_PHDR table has PT_INTERP: %s\n", interp ? "yes" : "no");
    fflush(stdout);
    fputs("dyn_hello: done\n", stderr);
    return 0;
}
