/*
 * A memory hog: allocates and fills memory without end, never freeing it. On Linux the
 * allocations succeed (overcommit) and the pages are taken as they are written, until reclaim
 * has nothing left to take (the data is incompressible, so zram fills as fast as RAM): then
 * the OOM killer (mm/oom_kill.c:out_of_memory, via mm/page_alloc.c:__alloc_pages_may_oom)
 * kills the process with the largest badness, this one, by SIGKILL: status 137. a64emu must
 * end it the same way, from its emulated RAM (--ram), never with a JVM OutOfMemoryError.
 * No oracle can run it (qemu-aarch64 on this 24 GiB host would take the host's memory):
 * "reasoned" in the oracles file; expected/lim_memhog.options gives a small machine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHUNK (1u << 20)

int main(void) {
    uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift64: pages zram cannot compress */
    printf("allocating until the OOM killer ends this process\n");
    fflush(stdout);
    for (;;) {
        uint64_t *p = malloc(CHUNK);
        if (p == NULL) {
            /* mmap would fail only against an address-space limit, which there is none of */
            printf("malloc failed\n");
            return 1;
        }
        for (unsigned i = 0; i < CHUNK / sizeof *p; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            p[i] = x;
        }
    }
}
