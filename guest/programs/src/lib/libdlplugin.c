/* The shared library dyn_dlopen loads with dlopen(3): data, a constructor, and calls into libc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plugin_calls;
static int constructed;

__attribute__((constructor)) static void plugin_init(void) {
    constructed = 42;
    printf("libdlplugin: constructor ran\n");
}

__attribute__((destructor)) static void plugin_fini(void) {
    printf("libdlplugin: destructor ran after %d calls\n", plugin_calls);
    fflush(stdout);
}

int plugin_answer(int x) {
    plugin_calls++;
    return x + constructed - 40;
}

const char *plugin_describe(const char *who) {
    static char buffer[64];
    plugin_calls++;
    char *upper = strdup(who);
    for (char *p = upper; *p; p++) {
        if (*p >= 'a' && *p <= 'z') *p -= 'a' - 'A';
    }
    snprintf(buffer, sizeof buffer, "loaded by %s (%zu letters)", upper, strlen(upper));
    free(upper);
    return buffer;
}
