/*
 * What the compute programs (simd_*, fp_format, libm, atomics*) share: a
 * fixed pseudo-random source, so every run fills its inputs the same way, and
 * a hash that folds a whole result array into one printed line. A program
 * prints one line per kernel, "NAME hash=... first=... last=...", so a
 * difference from qemu-aarch64 names the kernel (and so the instructions)
 * that a64emu gets wrong. Nothing printed depends on addresses or timing.
 */
#ifndef COMPUTE_H
#define COMPUTE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* xorshift64*: fixed seed, same sequence on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static inline uint64_t rng64(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static inline void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

/* FNV-1a over bytes: the result of a kernel as one number. */
static inline uint64_t hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Keeps the compiler from folding a kernel across the point where inputs are made. */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))
#define NOINLINE __attribute__((noinline))

#endif
