/*
 * dlopen(3) of a shared library at run time: libdlplugin.so, found through the program's
 * DT_RUNPATH "$ORIGIN/../lib" (guest/programs/lib/ next to bin/), so the run does not depend
 * on the working directory. It looks up two symbols, calls them (the library itself calls
 * back into libc), checks that dlopen of a missing library fails with a message, and
 * dlcloses the library.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    void *missing = dlopen("libdoesnotexist.so", RTLD_NOW);
    printf("dlopen of a missing library: %s\n", missing == NULL ? "fails" : "succeeds?");
    const char *why = dlerror();
    printf("dlerror names it: %s\n", why != NULL && strstr(why, "libdoesnotexist.so") != NULL ? "yes" : "no");

    void *plugin = dlopen("libdlplugin.so", RTLD_NOW | RTLD_LOCAL);
    if (plugin == NULL) {
        printf("dlopen libdlplugin.so failed: %s\n", dlerror());
        return 1;
    }
    int (*answer)(int) = (int (*)(int))dlsym(plugin, "plugin_answer");
    const char *(*describe)(const char *) = (const char *(*)(const char *))dlsym(plugin, "plugin_describe");
    const int *counter = (const int *)dlsym(plugin, "plugin_calls");
    if (answer == NULL || describe == NULL || counter == NULL) {
        printf("dlsym failed: %s\n", dlerror());
        return 1;
    }
    printf("plugin_answer(40) = %d\n", answer(40));
    printf("plugin_answer(-2) = %d\n", answer(-2));
    printf("plugin_describe: %s\n", describe("a64emu"));
    printf("plugin_calls = %d\n", *counter);
    printf("dlsym of a missing symbol: %s\n", dlsym(plugin, "plugin_nothing") == NULL ? "NULL" : "found?");
    printf("dlclose: %d\n", dlclose(plugin));
    return 0;
}
