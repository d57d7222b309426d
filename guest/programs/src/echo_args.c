/* Prints what the kernel put on the initial stack: argc, argv, the
 * environment entries whose names start with A64EMU_ (so that the output does
 * not depend on the rest of the host environment), and auxv values that have
 * one right answer. argv[0] is printed by its last path component only,
 * because every caller spells the program's path differently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    printf("argv[0] ends in \"%s\"\n", basename_of(argv[0]));
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    if (argv[argc] != NULL)
        printf("argv is not NULL-terminated\n");

    /* Sorted, because the order of the environment is the caller's choice
     * (qemu-aarch64 reverses it, Linux keeps it). */
    enum { MAX_SELECTED = 64 };
    const char *selected[MAX_SELECTED];
    int count = 0;
    for (char **e = environ; *e != NULL; e++)
        if (strncmp(*e, "A64EMU_", 7) == 0 && count < MAX_SELECTED)
            selected[count++] = *e;
    qsort(selected, count, sizeof selected[0], compare_strings);
    for (int i = 0; i < count; i++)
        printf("env \"%s\"\n", selected[i]);
    printf("%d A64EMU_ variables\n", count);

    const char *greeting = getenv("A64EMU_GREETING");
    printf("getenv(\"A64EMU_GREETING\") = %s\n", greeting ? greeting : "(null)");
    const char *missing = getenv("A64EMU_NOT_SET");
    printf("getenv(\"A64EMU_NOT_SET\") = %s\n", missing ? missing : "(null)");

    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_UID matches getuid(): %s\n", getauxval(AT_UID) == getuid() ? "yes" : "no");
    printf("AT_RANDOM is set: %s\n", getauxval(AT_RANDOM) != 0 ? "yes" : "no");
    printf("AT_ENTRY is set: %s\n", getauxval(AT_ENTRY) != 0 ? "yes" : "no");

    fprintf(stderr, "echo_args: %d arguments\n", argc - 1);
    return 0;
}
