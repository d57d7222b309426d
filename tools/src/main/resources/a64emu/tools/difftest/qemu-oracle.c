/*
 * The qemu-aarch64 oracle of 'a64emu difftest' (see QemuOracle.java): runs each case
 * record of CASES in the scratch window, mapped at its a64emu address, and writes
 * the outcome records to OUT.
 *
 *   qemu-oracle REFERENCE CASES OUT
 *
 * REFERENCE is the scratch memory image, mapped from address 0. Stores into the case's
 * own 24-byte slot are not reported. Outcome record: status (0 retired, else the signal number), then
 * if retired the 102-word state record of qemu-oracle.S (up to the vector registers)
 * and the count of changed bytes followed by (address, value) pairs.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The window starts at address 0, as in the other engines: qemu-aarch64 lets a guest map
 * page 0 (natively Linux's mmap_min_addr forbids it). A volatile, so that the compiler
 * cannot see a null pointer in at(WINDOW_FIRST) and treat its use as undefined. */
static volatile uintptr_t window_first = 0;
#define WINDOW_FIRST ((uint64_t) window_first)
#define RECORD_WORDS 103
#define STATE_WORDS 100
#define LDR_X30_PLUS_16 0x5800009eU
/* More than any one instruction stores (LD4/ST4 of 64 bytes, DC ZVA of a block). */
#define MAX_CHANGED 4096

extern void run_case(const uint64_t *in, uint64_t *out);
extern void store_state(void);
extern void restore_c_context(void);

static sigjmp_buf escape;

static void on_signal(int sig) {
    restore_c_context();
    siglongjmp(escape, sig);
}

static void *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    *size = (size_t) ftell(f);
    fseek(f, 0, SEEK_SET);
    void *data = malloc(*size);
    if (fread(data, 1, *size, f) != *size) { perror(path); exit(2); }
    fclose(f);
    return data;
}

/* A window address as a pointer (the window is mapped at its a64emu addresses). */
static uint8_t *at(uint64_t address) { return (uint8_t *) (uintptr_t) address; }

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: qemu-oracle REFERENCE CASES OUT\n"); return 2; }
    size_t memSize, casesSize;
    uint8_t *reference = read_file(argv[1], &memSize);
    uint64_t *cases = read_file(argv[2], &casesSize);
    FILE *out = fopen(argv[3], "wb");
    if (!out) { perror(argv[3]); return 2; }
    uint8_t *window = mmap((void *) WINDOW_FIRST, memSize - WINDOW_FIRST, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (window != (uint8_t *) WINDOW_FIRST) { perror("mmap window"); return 2; }
    memcpy(at(WINDOW_FIRST), reference + WINDOW_FIRST, memSize - WINDOW_FIRST);

    static uint8_t altstack[65536];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);

    size_t count = casesSize / (RECORD_WORDS * 8);
    static uint64_t state[STATE_WORDS];
    static uint64_t pairs[2 * MAX_CHANGED];
    for (size_t k = 0; k < count; k++) {
        uint64_t *in = cases + k * RECORD_WORDS;
        uint64_t pc = in[101];
        uint64_t slot = in[102];
        put32(at(slot), LDR_X30_PLUS_16);
        put32(at(pc), (uint32_t) in[100]);
        int64_t back = ((int64_t) (uintptr_t) store_state - (int64_t) (slot + 8)) / 4;
        put32(at(slot + 8), 0x14000000U | ((uint32_t) back & 0x3FFFFFFU));
        memcpy(at(slot + 16), &in[30], 8);
        __builtin___clear_cache((char *) at(slot), (char *) at(slot + 24));
        int sig = sigsetjmp(escape, 1);
        if (sig == 0) {
            run_case(in, state);
        }
        uint64_t status = (uint64_t) sig;
        fwrite(&status, 8, 1, out);
        if (sig == 0) {
            fwrite(state, 8, STATE_WORDS, out);
        }
        /* The trampoline and the word under test are not the case's stores: back to the
         * reference (which a64emu's run of the case also holds them in), unreported. */
        memcpy(at(slot), reference + slot, 24);
        /* One pass over the window in 64-bit words (memcmp per word, run under qemu,
         * cost more than the case itself): collect the changed bytes, restore them. */
        uint64_t changed = 0;
        const uint64_t *now = (const uint64_t *) at(WINDOW_FIRST);
        const uint64_t *was = (const uint64_t *) (reference + WINDOW_FIRST);
        size_t words = (memSize - WINDOW_FIRST) / 8;
        for (size_t i = 0; i < words; i++) {
            if (now[i] != was[i]) {
                size_t a = WINDOW_FIRST + i * 8;
                for (size_t b = a; b < a + 8; b++) {
                    if (*at(b) != reference[b]) {
                        if (changed < MAX_CHANGED) {
                            pairs[2 * changed] = b;
                            pairs[2 * changed + 1] = *at(b);
                        }
                        changed++;
                        *at(b) = reference[b];
                    }
                }
            }
        }
        if (changed > MAX_CHANGED) {
            fprintf(stderr, "case %zu changed %llu bytes, more than %d\n", k, (unsigned long long) changed, MAX_CHANGED);
            return 2;
        }
        if (sig == 0) {
            fwrite(&changed, 8, 1, out);
            fwrite(pairs, 8, 2 * changed, out);
        }
    }
    fclose(out);
    return 0;
}
